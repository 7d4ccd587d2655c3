"""A country team (the editor of Ghana's Environmental Protection Agency, its organization) and
a plan drafted through the review layer, as the builder drafts it."""

import pytest

from mercuryhub.accounts.actions import do_create_organization, do_set_membership
from mercuryhub.accounts.models import Membership
from mercuryhub.nap import actions
from tests.conftest import make_user

WORST_PRACTICES = (
    "whole-ore-amalgamation",
    "open-burning",
    "residential-burning",
    "cyanide-on-mercury-tailings",
)
REQUIRED_ELEMENTS = tuple("abcdefghijk")


@pytest.fixture
def team_lead(db):
    """Editor of Ghana's EPA: drafts and publishes Ghana's plan."""
    return make_user("grace.lead@epa.example")


@pytest.fixture
def agency(team_lead):
    return do_create_organization(
        team_lead,
        {
            "name": "Environmental Protection Agency of Ghana",
            "stakeholder_type": "government",
            "country": "GHA",
        },
    )


@pytest.fixture
def team_member(agency, team_lead):
    """A member (not an editor) of the agency: reads nothing of the draft."""
    user = make_user("kofi.member@epa.example")
    do_set_membership(team_lead, agency, user, Membership.Role.MEMBER)
    return user


def action(element="b", **values) -> dict:
    return {
        "element": element,
        "activity": values.pop("activity", f"Activity under ({element})"),
        "responsible_body": "Minerals Commission",
        "start": "2027-01-01",
        "end": "2028-12-31",
        "budget": "50000",
        "currency": "USD",
        **values,
    }


def complete_content(**changes) -> dict:
    """A plan that meets every check of Annex C."""
    return {
        "name": "Ghana ASGM National Action Plan 2027–2031",
        "country": "GHA",
        "organization": "environmental-protection-agency-of-ghana",
        "period_start": 2027,
        "period_end": 2031,
        "baseline": {"as_of": "2026-11-30", "source": "National overview", "sites": 3},
        "sections": {code: f"Text of element ({code})." for code in REQUIRED_ELEMENTS},
        "objectives": [
            {
                "element": "a",
                "indicator": "Mercury used in ASGM (t a year)",
                "baseline": "45",
                "target": "20",
                "year": 2031,
            }
        ],
        "actions": [
            *(action("b", worst_practices=[code]) for code in WORST_PRACTICES),
            action("k", activity="Mid-term review of the plan"),
        ],
        "stakeholders": [
            {"name": "Minerals Commission", "stakeholder_type": "government", "role": "Lead"}
        ],
        **changes,
    }


@pytest.fixture
def plan(team_lead, agency):
    return actions.do_create_plan(team_lead, complete_content())
