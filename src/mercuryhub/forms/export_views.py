"""The downloads of a form's submissions, CSV, XLSX and GeoJSON, streamed as they are read;
filtered as on the summary page."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.utils import timezone
from django.utils.translation import get_language
from django.views.decorators.http import require_safe

from mercuryhub.forms import analysis, exports, queries
from mercuryhub.forms.analysis_forms import ExportForm
from mercuryhub.forms.webform.survey import choose_language
from mercuryhub.lib import xlsx
from mercuryhub.lib.streams import streamed_download

FORMATS = ("csv", "xlsx", "geojson")


@login_required
@require_safe
def form_export(request, slug, xml_form_id, file_format):
    if file_format not in FORMATS:
        raise Http404("No such format")
    form = queries.get_form_for_user(request.user, slug, xml_form_id)
    survey = analysis.survey_of(form)
    if survey is None:
        raise Http404("The form has no version")
    export_form = ExportForm(request.GET or None)
    submissions = analysis.submissions_for_analysis(request.user, form, export_form.filters())
    language = choose_language(survey, get_language())
    labels = export_form.labels
    name = f"{xml_form_id}-{timezone.localdate().isoformat()}"
    if file_format == "xlsx":
        chunks = exports.xlsx_chunks(survey, submissions, labels=labels, language=language)
        return streamed_download(chunks, xlsx.CONTENT_TYPE, f"{name}.xlsx")
    if file_format == "geojson":
        points = exports.geopoint_paths(survey)
        point = request.GET.get("geopoint") or (points[0] if points else "")
        if point not in points:
            raise Http404("The form has no such geopoint question")
        layout = exports.Layout(survey, labels=False)
        chunks = exports.geojson_chunks(layout, submissions, point)
        return streamed_download(chunks, "application/geo+json", f"{name}.geojson")
    repeat = request.GET.get("repeat", "")
    if repeat and repeat not in {q.path for q in exports.repeats_of(survey)}:
        raise Http404("The form has no such repeat")
    layout = exports.Layout(survey, labels=labels, language=language, repeat=repeat)
    suffix = f"-{repeat.replace('/', '-')}" if repeat else ""
    lines = exports.csv_lines(layout, submissions)
    return streamed_download(lines, "text/csv; charset=utf-8", f"{name}{suffix}.csv")
