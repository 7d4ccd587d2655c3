"""A project's years, budget, currency, point and organization are checked, every bad field
named at once; the organization's editors or the secretariat keep its projects."""

import pytest
from django.core.exceptions import PermissionDenied

from mercuryhub.lib.errors import InvalidInputError
from mercuryhub.partnership.project_fields import clean_project
from mercuryhub.review import actions as review_actions
from tests.partnership.conftest import PROJECT

pytestmark = pytest.mark.django_db


def _errors(**changes) -> dict:
    with pytest.raises(InvalidInputError) as refused:
        clean_project({**PROJECT, **changes})
    return refused.value.errors


def test_it_accepts_a_complete_project(organization):
    checked = clean_project(PROJECT)
    assert checked.values["first_year"] == 2019
    assert str(checked.values["budget"]) == "250000"
    assert [c.iso3 for c in checked.relations["countries"]] == ["GHA"]


def test_it_refuses_a_last_year_before_the_first(organization):
    assert _errors(first_year=2020, last_year=2018) == {
        "last_year": "The last year (2018) is before the first (2020)"
    }


def test_it_refuses_implausible_years(organization):
    errors = _errors(first_year=1899, last_year="soon")
    assert "1899 is not a plausible year" in errors["first_year"]
    assert errors["last_year"] == "'soon' is not a year; write it as 2019"


def test_it_refuses_an_unknown_currency_and_a_budget_without_one(organization):
    assert _errors(budget_currency="XYZ") == {
        "budget_currency": "Unknown currency 'XYZ'; use an ISO 4217 code (USD, EUR…)"
    }
    assert "Give the budget's currency" in _errors(budget_currency="")["budget_currency"]
    assert clean_project({**PROJECT, "budget_currency": "xof"}).values["budget_currency"] == "XOF"


def test_it_names_every_bad_field_at_once(organization):
    errors = _errors(budget="a lot", latitude=95, countries=["XXX"], status="paused")
    assert set(errors) == {"budget", "latitude", "countries", "status"}


def test_an_outsider_may_not_keep_the_organizations_projects(outsider, organization):
    with pytest.raises(PermissionDenied):
        review_actions.do_create_draft("project", outsider, PROJECT)


def test_the_secretariat_may_keep_any_organizations_projects(reviewer, organization):
    project = review_actions.do_create_draft("project", reviewer, PROJECT)
    assert project.organization == organization
    assert project.review_state == "draft"


def test_a_new_organization_is_registered_where_and_as_the_row_says(organization):
    new = {"organization": "Minamata Institute", "organization_country": "JPN"}
    checked = clean_project({**PROJECT, **new, "organization_type": "academia"})
    assert checked.operator_name == "Minamata Institute"
    assert (checked.operator_country.iso3, checked.operator_type.code) == ("JPN", "academia")
    assert set(_errors(**new, organization_type="ministry")) == {"organization_type"}
