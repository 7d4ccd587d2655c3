"""An organization's editor adds and edits a project with the catalogue's editing pages: the
form names a bad currency or years, and saves a draft the secretariat then reviews."""

import pytest

from mercuryhub.partnership.models import Project
from mercuryhub.review.queries import latest_data

pytestmark = pytest.mark.django_db

FORM = {
    "name": "Dental amalgam separators in Swiss clinics",
    "summary": "Separators fitted in 40 clinics.",
    "organization": "batrec-industrie-ag",
    "countries": ["CHE"],
    "funder": "Canton of Bern",
    "first_year": "2020",
    "last_year": "2018",
    "status": "completed",
    "budget": "12000",
    "budget_currency": "CHX",
    "waste_categories": ["dental-amalgam"],
    "content_language": "en",
}


def test_the_form_names_bad_fields_then_saves_a_draft(client, owner, organization):
    client.force_login(owner)
    page = client.get("/catalogue/new/project/")
    assert page.status_code == 200
    assert "Add a project" in page.content.decode()

    refused = client.post("/catalogue/new/project/", FORM).content.decode()
    assert "Unknown currency &#x27;CHX&#x27;" in refused
    assert "The last year (2018) is before the first (2020)" in refused
    assert not Project.objects.exists()

    saved = client.post(
        "/catalogue/new/project/", {**FORM, "budget_currency": "CHF", "last_year": "2023"}
    )
    assert saved.status_code == 302
    project = Project.objects.get()
    assert project.review_state == "draft" and not project.published
    assert latest_data("project", project)["budget"] == "12000.00"


def test_the_edit_page_starts_from_the_projects_data(client, owner, organization):
    client.force_login(owner)
    client.post("/catalogue/new/project/", {**FORM, "budget_currency": "CHF", "last_year": "2023"})
    project = Project.objects.get()
    page = client.get(f"/catalogue/project/{project.pk}/edit/").content.decode()
    assert 'value="Canton of Bern"' in page
    assert 'value="CHF"' in page
