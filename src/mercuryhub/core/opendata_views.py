"""The open-data page and its archive (core/opendata.py)."""

from django.conf import settings
from django.http import FileResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from mercuryhub.core.opendata import FILENAME, open_data_archive
from mercuryhub.review import registry


@require_GET
def open_data(request):
    return render(
        request,
        "core/open_data.html",
        {"kinds": registry.kinds(), "licence": settings.OPEN_DATA_LICENCE, "filename": FILENAME},
    )


@require_GET
def open_data_download(request):
    """The archive for the data as it is now, made when the data changed since the last one."""
    path = open_data_archive()
    return FileResponse(
        path.open("rb"), as_attachment=True, filename=FILENAME, content_type="application/zip"
    )
