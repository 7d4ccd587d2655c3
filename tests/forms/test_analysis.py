"""Summaries and cross-tabulations of a form's submissions, counted exactly on small sets."""

import pytest

from mercuryhub.forms import actions
from mercuryhub.forms.analysis import (
    Filters,
    crosstab,
    submissions_for_analysis,
    summarize,
    survey_of,
)
from mercuryhub.forms.models import Submission
from tests.forms.analysis_data import needs_submissions, site_submissions, site_xlsform

pytestmark = pytest.mark.django_db


@pytest.fixture
def needs(project, needs_form, app_user):
    needs_submissions(project, needs_form, app_user)
    return needs_form


@pytest.fixture
def site(project, reviewer, app_user):
    form = actions.do_publish_xlsform(reviewer, project, "site.xlsx", site_xlsform()).form
    site_submissions(project, form, app_user=app_user)
    return form


def _summaries(user, form, filters=None):
    submissions = submissions_for_analysis(user, form, filters or Filters())
    total, summaries = summarize(survey_of(form), submissions, "English (en)")
    return total, {summary.path: summary for summary in summaries}


def test_it_counts_each_choice_of_a_select_multiple(reviewer, needs):
    total, summaries = _summaries(reviewer, needs)

    wastes = summaries["waste_categories"]
    counts = {choice["name"]: choice["count"] for choice in wastes.choices if choice["count"]}
    assert total == 4
    assert (wastes.answered, wastes.skipped) == (3, 1)
    assert counts == {"lamps": 3, "batteries": 1, "dental-amalgam": 1}
    lamps = next(choice for choice in wastes.choices if choice["name"] == "lamps")
    assert (lamps["label"], lamps["percent"]) == ("Mercury lamps", 100.0)


def test_it_counts_a_select_one_and_labels_it_in_the_readers_language(reviewer, needs):
    submissions = submissions_for_analysis(reviewer, needs, Filters())
    _total, summaries = summarize(survey_of(needs), submissions, "French (fr)")

    stakeholders = next(s for s in summaries if s.path == "stakeholder_type")
    counts = {c["label"]: c["count"] for c in stakeholders.choices if c["count"]}
    assert stakeholders.label == "Pour quel type d'organisation répondez-vous ?"
    assert counts == {
        "Gouvernement": 2,
        "Organisation non gouvernementale / de la société civile": 1,
        "Secteur privé / industrie": 1,
    }


def test_it_gives_the_spread_and_histogram_of_numbers(reviewer, site):
    _total, summaries = _summaries(reviewer, site)

    miners = summaries["miners"]
    assert miners.statistics == {"min": 40.0, "median": 80.0, "mean": 80.0, "max": 120.0}
    assert sum(bin["count"] for bin in miners.histogram) == 3
    assert (miners.histogram[0]["low"], miners.histogram[-1]["count"]) == (40.0, 1)


def test_it_summarizes_a_repeat_over_its_instances(reviewer, site):
    _total, summaries = _summaries(reviewer, site)

    children = summaries["household/children"]
    assert (children.answered, children.skipped) == (3, None)
    assert children.statistics["max"] == 3.0


def test_it_collects_the_points_of_a_geopoint_as_longitude_latitude(reviewer, site):
    _total, summaries = _summaries(reviewer, site)

    location = summaries["location"]
    assert (location.answered, location.skipped) == (2, 1)
    assert location.to_dict()["points"] == [[-0.55, 6.17], [-1.99, 5.3]]


def test_it_leaves_out_rejected_submissions_unless_asked(reviewer, site):
    rejected = Submission.objects.get(data__site_name="Kibi")
    actions.do_review_submission(
        reviewer, rejected, Submission.ReviewState.REJECTED, "The site code is missing."
    )

    assert _summaries(reviewer, site)[0] == 2
    assert _summaries(reviewer, site, Filters(states=("rejected",)))[0] == 1


def test_it_crosses_waste_types_with_stakeholder_types(reviewer, needs):
    submissions = submissions_for_analysis(reviewer, needs, Filters())
    table = crosstab(survey_of(needs), submissions, "waste_categories", "stakeholder_type")

    assert table.total == 3
    assert table.cells == {
        ("lamps", "government"): 2,
        ("batteries", "government"): 1,
        ("lamps", "ngo"): 1,
        ("dental-amalgam", "ngo"): 1,
    }
    assert (table.row_totals["lamps"], table.column_totals["government"]) == (3, 2)
    lamps = next(row for row in table.table() if row["name"] == "lamps")
    assert [cell["percent"] for cell in lamps["cells"]][:3] == [66.7, 0.0, 33.3]
