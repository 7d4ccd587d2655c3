"""Fixtures of the Partnership's tests: the working groups as ``serve`` loads them, a second
partner organization whose editor leads groups, a group led by the owner's organization, and
projects published through the review layer."""

import datetime

import pytest

from mercuryhub.accounts.actions import do_create_organization, do_update_organization
from mercuryhub.partnership.models import Leadership
from mercuryhub.review import actions as review_actions
from tests.conftest import make_user
from tests.partnership.work import working_groups as make_working_groups


@pytest.fixture
def working_groups(db):
    return make_working_groups()


@pytest.fixture
def ghana_editor(db):
    """Editor of a Ghanaian NGO that is a partner of the Global Mercury Partnership."""
    return make_user("akosua.editor@mercuryfree.example.gh")


@pytest.fixture
def ghana_partner(ghana_editor, reviewer):
    organization = do_create_organization(
        ghana_editor,
        {"name": "Mercury-Free Ghana", "stakeholder_type": "ngo", "country": "GHA"},
    )
    return do_update_organization(
        reviewer, organization, {"is_partner": True, "joined_partnership_on": "2019-11-20"}
    )


@pytest.fixture
def led_group(working_groups, owner, organization):
    """WG1, led by the owner for Batrec since 2025."""
    group = working_groups["wg1"]
    Leadership.objects.create(
        group=group,
        person=owner,
        organization=organization,
        started_on=datetime.date(2025, 1, 1),
    )
    return group


PROJECT = {
    "organization": "batrec-industrie-ag",
    "name": "Fluorescent lamp collection in Ghana",
    "summary": "Collection points for spent fluorescent tubes in Accra and Kumasi.",
    "lessons_learned": "Retailers' take-back worked best where municipalities paid transport.",
    "countries": ["GHA"],
    "funder": "Specific International Programme",
    "first_year": 2019,
    "last_year": 2022,
    "status": "completed",
    "budget": "250000",
    "budget_currency": "USD",
    "waste_categories": ["lamps"],
    "partnership_areas": ["waste-management"],
}


def publish_project(owner, reviewer, **changes):
    project = review_actions.do_create_draft("project", owner, {**PROJECT, **changes})
    project = review_actions.do_submit_entry("project", owner, project)
    return review_actions.do_validate_entry("project", reviewer, project)


@pytest.fixture
def projects(owner, reviewer, organization):
    """Published: lamps in Ghana (2019–2022), ASGM in Peru (GEF, ongoing since 2021);
    a draft about batteries in Chile, never shown."""
    draft = review_actions.do_create_draft(
        "project",
        owner,
        {**PROJECT, "name": "Battery recycling pilot in Chile", "countries": ["CHL"]},
    )
    return {
        "lamps": publish_project(owner, reviewer),
        "asgm": publish_project(
            owner,
            reviewer,
            name="Mercury-free gold processing in Madre de Dios",
            summary="Retorts and gravity concentration for artisanal miners.",
            lessons_learned="",
            countries=["PER"],
            funder="Global Environment Facility (GEF)",
            first_year=2021,
            last_year=None,
            status="ongoing",
            budget="",
            budget_currency="",
            waste_categories=["asgm-tailings"],
            partnership_areas=["asgm"],
        ),
        "draft": draft,
    }
