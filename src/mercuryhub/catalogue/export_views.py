"""Downloads of the catalogue: the search page's results as CSV, XLSX or GeoJSON, and the DOCX
publication of everything published."""

from django.http import Http404, HttpResponse
from django.http.response import HttpResponseBase
from django.template import engines
from django.utils import timezone
from django.views.decorators.http import require_GET

from mercuryhub.catalogue.queries import KINDS, visible
from mercuryhub.catalogue.spreadsheets.exporting import (
    CONTENT_TYPES,
    export_file,
    export_filename,
    parse_export_request,
)
from mercuryhub.catalogue.spreadsheets.publication import catalogue_docx
from mercuryhub.lib.errors import InvalidInputError
from mercuryhub.lib.streams import streamed_download

EXPORT_FORMATS = ("csv", "xlsx", "geojson")

_PROBLEMS_PAGE = """{% extends "base.html" %}{% load i18n %}
{% block title %}{% translate "The export could not be made" %}{% endblock %}
{% block content %}
<h1>{% translate "The export could not be made" %}</h1>
<p>{% translate "Please correct these parameters of the address and try again:" %}</p>
<ul class="errors">
  {% for field, message in errors.items %}<li><strong>{{ field }}</strong>: {{ message }}</li>
  {% endfor %}
</ul>
<p><a href="{% url 'catalogue-search' %}">{% translate "Back to the catalogue search" %}</a></p>
{% endblock %}"""


def _download(content, file_format: str, filename: str) -> HttpResponseBase:
    """A download of ``content``: bytes, or their pieces as an export makes them (streamed)."""
    if not isinstance(content, bytes):
        return streamed_download(content, CONTENT_TYPES[file_format], filename)
    response = HttpResponse(content, content_type=CONTENT_TYPES[file_format])
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _problems(request, error: InvalidInputError) -> HttpResponse:
    page = engines["django"].from_string(_PROBLEMS_PAGE)
    return HttpResponse(page.render({"errors": error.errors}, request), status=400)


@require_GET
def export_catalogue(request, file_format):
    """The entries of one type (``?type=``, facilities by default) that the search page would
    show for the same filters, as a file."""
    if file_format not in EXPORT_FORMATS:
        raise Http404(f"No export as {file_format!r}; use csv, xlsx or geojson")
    try:
        kind, filters = parse_export_request(request.GET)
        content, filename = export_file(kind, file_format, request.user, filters)
    except InvalidInputError as error:
        return _problems(request, error)
    return _download(content, file_format, filename)


@require_GET
def publication(request):
    """Every published facility, offering and expert in one Word document."""
    content = catalogue_docx(
        *(visible(kind, request.user) for kind in KINDS),
        generated_at=timezone.now(),
    )
    return _download(content, "docx", export_filename("catalogue", "docx"))
