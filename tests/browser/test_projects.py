"""A visitor looks through the Partnership's projects: the map shows where they ran, the filters
narrow the list and the map together, and a project's page tells its story and links its case
study."""

import pytest

from mercuryhub.catalogue.actions import do_save_entry
from mercuryhub.library.fields import clean_case_study
from mercuryhub.partnership.project_fields import clean_project
from tests.conftest import make_user

pytestmark = pytest.mark.browser


def _project(**data):
    return do_save_entry("project", clean_project(data), review_state="imported", published=True)


@pytest.fixture
def projects(live_site):
    from mercuryhub.accounts.actions import do_create_organization

    do_create_organization(
        make_user("owen.owner@batrec.example"),
        {"name": "Batrec Industrie AG", "stakeholder_type": "private-sector", "country": "CHE"},
    )
    case = do_save_entry(
        "case_study",
        clean_case_study(
            {"external_id": "gh-tubes", "name": "Tube collection in Accra", "country": "GHA"}
        ),
        review_state="imported",
        published=True,
    )
    lamps = _project(
        external_id="gh-lamps",
        name="Fluorescent lamp collection in Ghana",
        summary="Collection points for spent tubes in Accra and Kumasi.",
        lessons_learned="Take-back worked where municipalities paid transport.",
        organization="batrec-industrie-ag",
        countries="GHA",
        funder="Specific International Programme",
        first_year=2019,
        last_year=2022,
        status="completed",
        waste_categories="lamps",
        case_studies="gh-tubes",
    )
    _project(
        external_id="pe-asgm",
        name="Mercury-free gold processing in Madre de Dios",
        organization="batrec-industrie-ag",
        countries="PER;BOL",
        funder="Global Environment Facility (GEF)",
        first_year=2021,
        status="ongoing",
        partnership_areas="asgm",
    )
    return live_site, lamps, case


def test_a_visitor_filters_the_projects_sees_them_on_the_map_and_opens_one(page, projects):
    site, lamps, case = projects
    page.goto(site.url + "/partnership/projects/")
    assert page.locator("#result-count").inner_text().startswith("2 projects")
    # One point per country: Ghana, Peru and Bolivia.
    page.wait_for_selector("#project-map[data-markers='3']")
    assert page.locator("#project-map-status").inner_text() == "3 places on the map"

    page.select_option("#status", "ongoing")
    page.get_by_role("button", name="Show").click()
    page.wait_for_url("**status=ongoing**")
    assert page.locator(".results h2").all_inner_texts() == [
        "Mercury-free gold processing in Madre de Dios"
    ]
    page.wait_for_selector("#project-map[data-markers='2']")

    page.get_by_role("link", name="Clear filters").click()
    page.fill("#q", "Kumasi")
    page.keyboard.press("Enter")
    page.get_by_role("link", name="Fluorescent lamp collection in Ghana").click()
    page.wait_for_url(f"**/partnership/projects/{lamps.pk}/")
    assert page.get_by_role("heading", name="Lessons learned").is_visible()
    page.wait_for_selector("#project-map[data-markers='1']")
    page.get_by_role("link", name="Tube collection in Accra").click()
    page.wait_for_url(f"**/library/case-studies/{case.pk}/")
