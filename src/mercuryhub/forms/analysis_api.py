"""A form's summary in the API: the number of submissions and each question's counts, spread
and points, filtered by review state and date as on the summary page."""

from datetime import date
from typing import Any

from django.http import Http404
from django.utils.translation import get_language
from ninja import Query, Router, Schema

from mercuryhub.accounts.auth import request_user
from mercuryhub.forms import analysis, queries
from mercuryhub.forms.webform.survey import choose_language
from mercuryhub.lib.api import ERROR_RESPONSES

router = Router(tags=["forms"])


class SummaryOut(Schema):
    xml_form_id: str
    submissions: int
    questions: list[dict[str, Any]]


class SummaryFilters(Schema):
    states: list[analysis.State] = list(analysis.DEFAULT_STATES)
    since: date | None = None
    until: date | None = None


@router.get(
    "/projects/{slug}/forms/{xml_form_id}/summary",
    response={200: SummaryOut, **ERROR_RESPONSES},
    summary="A form's submissions summarized, question by question",
)
def get_form_summary(request, slug: str, xml_form_id: str, filters: Query[SummaryFilters]):
    """Each question's answered and skipped counts, the count of each choice, numbers'
    minimum, median, mean, maximum and histogram, geopoints as [longitude, latitude]."""
    user = request_user(request)
    form = queries.get_form_for_user(user, slug, xml_form_id)
    survey = analysis.survey_of(form)
    if survey is None:
        raise Http404("The form has no version")
    chosen = analysis.Filters(tuple(filters.states), filters.since, filters.until)
    submissions = analysis.submissions_for_analysis(user, form, chosen)
    language = choose_language(survey, get_language())
    total, summaries = analysis.summarize(survey, submissions, language)
    questions = [summary.to_dict() for summary in summaries]
    return {"xml_form_id": form.xml_form_id, "submissions": total, "questions": questions}
