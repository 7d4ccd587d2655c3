"""Partnership fixtures: projects published through the review layer by the organization's
editor and the secretariat."""

import pytest

from mercuryhub.review import actions as review_actions

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
