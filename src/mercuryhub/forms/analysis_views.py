"""The summary of a form's submissions (each question's counts, chart and map, filtered by
review state and date), the cross-tabulation of two questions with its CSV, and the DOCX report
of both."""

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from mercuryhub.forms import analysis, queries, report
from mercuryhub.forms.analysis_forms import CrossTabForm, FilterForm
from mercuryhub.forms.exports import geopoint_paths
from mercuryhub.forms.webform.survey import choose_language
from mercuryhub.lib.streams import csv_lines


def analysed(request, slug, xml_form_id):
    """(form, survey, the reader's language in the form, the filter form, the submissions)."""
    form = queries.get_form_for_user(request.user, slug, xml_form_id)
    survey = analysis.survey_of(form)
    if survey is None:
        raise Http404("The form has no version")
    language = choose_language(survey, get_language())
    filter_form = FilterForm(request.GET or None)
    submissions = analysis.submissions_for_analysis(request.user, form, filter_form.filters())
    return form, survey, language, filter_form, submissions


def _crosstab(request, survey, language, submissions):
    crosstab_form = CrossTabForm(request.GET if "rows" in request.GET else None, survey, language)
    if not crosstab_form.is_bound or not crosstab_form.is_valid():
        return crosstab_form, None
    rows, columns = crosstab_form.cleaned_data["rows"], crosstab_form.cleaned_data["columns"]
    return crosstab_form, analysis.crosstab(survey, submissions, rows, columns, language)


@login_required
@require_safe
def form_summary(request, slug, xml_form_id):
    form, survey, language, filter_form, submissions = analysed(request, slug, xml_form_id)
    total, summaries = analysis.summarize(survey, submissions, language)
    crosstab_form, crosstab = _crosstab(request, survey, language, submissions)
    context = {
        "project": form.project,
        "form": form,
        "filter_form": filter_form,
        "crosstab_form": crosstab_form,
        "crosstab": crosstab.shown() if crosstab else None,
        "total": total,
        "summaries": summaries,
        "has_points": bool(geopoint_paths(survey)),
        "query": request.GET.urlencode(),
    }
    return render(request, "forms/analysis/summary.html", context)


@login_required
@require_safe
def form_crosstab_csv(request, slug, xml_form_id):
    form, survey, language, _filter_form, submissions = analysed(request, slug, xml_form_id)
    _form, crosstab = _crosstab(request, survey, language, submissions)
    if crosstab is None:
        raise Http404("Choose two different choice questions")
    header = ["", *(label for _name, label in crosstab.column_labels), _("Total")]
    rows = [
        [row["label"], *(cell["count"] for cell in row["cells"]), row["total"]]
        for row in crosstab.table()
    ]
    totals = [crosstab.column_totals.get(name, 0) for name, _label in crosstab.column_labels]
    rows.append([_("Total"), *totals, crosstab.total])
    # The choices' labels are the form author's texts: one that would run as a formula is
    # defused like every export's (lib.streams).
    lines = "".join(csv_lines(header, rows))
    response = HttpResponse(lines, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{xml_form_id}-crosstab.csv"'
    return response


@login_required
@require_safe
def form_report(request, slug, xml_form_id):
    form, survey, language, filter_form, submissions = analysed(request, slug, xml_form_id)
    total, summaries = analysis.summarize(survey, submissions, language)
    _form, crosstab = _crosstab(request, survey, language, submissions)
    document = report.write_report(form, total, summaries, crosstab, filter_form.filters())
    name = f"{xml_form_id}-report-{timezone.localdate().isoformat()}.docx"
    return FileResponse(document, as_attachment=True, filename=name)
