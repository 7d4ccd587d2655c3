"""The starter projects (GEF-funded ASGM National Action Plan projects) import through the
spreadsheet layout, published as imported, and importing them again changes nothing."""

import io
from importlib import resources

import pytest

from mercuryhub.catalogue.spreadsheets.importing import import_entries
from mercuryhub.core.starter import load_starter_data
from mercuryhub.partnership.models import Project

pytestmark = pytest.mark.django_db


def test_the_starter_projects_are_loaded_with_their_facts(client):
    load_starter_data(io.StringIO(), verbosity=0)
    cameroon = Project.objects.get(external_id="unido-gef-cameroon-nap")
    assert cameroon.published and cameroon.review_state == "imported"
    assert (cameroon.first_year, cameroon.last_year, cameroon.status) == (2021, 2023, "completed")
    assert (str(cameroon.budget), cameroon.budget_currency) == ("546500.00", "USD")
    assert [c.iso3 for c in cameroon.countries.all()] == ["CMR"]
    assert cameroon.organization.name.endswith("(UNIDO)")
    # Registered by the import as the intergovernmental organization it is, in Vienna.
    assert cameroon.organization.stakeholder_type.code == "igo"
    assert cameroon.organization.country.iso3 == "AUT"
    assert Project.objects.filter(status="planned").count() == 1
    page = client.get("/partnership/projects/", {"country": "CMR"}).content.decode()
    assert "ASGM National Action Plan of Cameroon" in page


def test_importing_the_starter_file_again_changes_nothing():
    source = resources.files("mercuryhub.partnership") / "data" / "projects.csv"
    with resources.as_file(source) as path:
        first = import_entries("project", path)
        again = import_entries("project", path)
    assert first.ok and first.created == Project.objects.count() == 9
    assert (again.created, again.updated, again.unchanged) == (0, 0, 9)
