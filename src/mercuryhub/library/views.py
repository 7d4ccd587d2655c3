"""The library's public pages: its home, a resource, a case study, and the files uploaded with
them."""

from urllib.parse import quote

from django.http import FileResponse, Http404
from django.shortcuts import render
from django.views.decorators.http import require_safe

from mercuryhub.library import queries
from mercuryhub.review import queries as review_queries


def library_home(request):
    return render(request, "library/home.html", {"latest": queries.latest(request.user)})


def resource_detail(request, pk):
    resource = queries.get_resource_for_user(request.user, pk)
    return render(
        request,
        "library/resource_detail.html",
        {
            "resource": resource,
            "entry": resource,
            "language_versions": queries.language_versions(request.user, resource),
            "stale": review_queries.is_stale(resource),
        },
    )


def case_study_detail(request, pk):
    case_study = queries.get_case_study_for_user(request.user, pk)
    return render(
        request,
        "library/case_study_detail.html",
        {
            "case_study": case_study,
            "entry": case_study,
            "validation": queries.published_judgements(case_study),
            "stale": review_queries.is_stale(case_study),
        },
    )


@require_safe
def document_file(request, pk):
    """An uploaded file, always as a download of its checked type: a browser neither shows it
    as a page nor guesses another type."""
    document = queries.get_document_for_user(request.user, pk)
    name = queries.served_name(document)
    try:
        stream = document.file.storage.open(document.file.name, "rb")
    except FileNotFoundError:
        raise Http404(f"The stored copy of file {pk} is missing") from None
    response = FileResponse(stream, content_type=queries.content_type_of(document))
    ascii_name = name.encode("ascii", "ignore").decode().replace('"', "").replace("\\", "")
    response["Content-Disposition"] = (
        f'attachment; filename="{ascii_name or "document"}"; '
        f"filename*=UTF-8''{quote(name, safe='')}"
    )
    response["Content-Length"] = str(document.size)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    if not queries.is_public_document(document):
        response["Cache-Control"] = "private, no-store"
    return response
