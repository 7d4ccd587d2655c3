"""The projects' list filters by country, region, funder, status, years, waste and area, pages
its results, draws its map from GeoJSON and exports CSV; a project's page shows its facts."""

import csv
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from mercuryhub.catalogue.spreadsheets.exporting import entries_csv
from mercuryhub.partnership.models import Project
from tests.partnership.conftest import publish_project

pytestmark = pytest.mark.django_db
LIST = "/partnership/projects/"


def _names(response) -> list[str]:
    return [project.name for project in response.context["page"]]


def test_it_lists_published_projects_only(client, projects):
    response = client.get(LIST)
    assert response.status_code == 200
    assert sorted(_names(response)) == [
        "Fluorescent lamp collection in Ghana",
        "Mercury-free gold processing in Madre de Dios",
    ]
    assert "Battery recycling pilot in Chile" not in response.content.decode()


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("country=GHA", ["Fluorescent lamp collection in Ghana"]),
        ("region=Americas", ["Mercury-free gold processing in Madre de Dios"]),
        ("funder=GEF", ["Mercury-free gold processing in Madre de Dios"]),
        ("status=completed", ["Fluorescent lamp collection in Ghana"]),
        ("from=2023", ["Mercury-free gold processing in Madre de Dios"]),
        ("to=2020", ["Fluorescent lamp collection in Ghana"]),
        ("waste=containing", ["Fluorescent lamp collection in Ghana"]),
        ("area=asgm", ["Mercury-free gold processing in Madre de Dios"]),
        ("q=retorts", ["Mercury-free gold processing in Madre de Dios"]),
    ],
)
def test_it_filters(client, projects, query, expected):
    assert _names(client.get(f"{LIST}?{query}")) == expected


def test_it_names_an_unknown_filter_value(client, projects):
    response = client.get(f"{LIST}?status=paused")
    assert response.status_code == 400
    assert "Unknown code paused" in response.content.decode()


def test_it_pages_the_results(client, owner, reviewer, organization, django_assert_max_num_queries):
    for number in range(23):
        publish_project(owner, reviewer, name=f"Project {number:02}")
    with django_assert_max_num_queries(25):
        first = client.get(LIST)
    assert len(first.context["page"]) == 20
    second = client.get(f"{LIST}?page=2")
    assert len(second.context["page"]) == 3
    assert "Page 2 of 2 (23 results)" in second.content.decode()


def test_the_map_is_geojson_at_the_countries_or_the_projects_point(client, projects):
    collection = client.get(reverse("partnership-project-map") + "?country=GHA").json()
    assert collection["type"] == "FeatureCollection"
    [feature] = collection["features"]
    assert feature["geometry"]["type"] == "Point"
    lon, lat = feature["geometry"]["coordinates"]
    assert 4 < lat < 12 and -4 < lon < 2  # the centre of Ghana
    assert feature["properties"]["url"] == projects["lamps"].get_absolute_url()
    assert feature["properties"]["status"] == "completed"


def test_the_export_is_the_import_layout(client, projects):
    response = client.get(reverse("partnership-project-export") + "?status=ongoing")
    assert response["Content-Disposition"].startswith('attachment; filename="mercuryhub-projects')
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert [row["title"] for row in rows] == ["Mercury-free gold processing in Madre de Dios"]
    assert rows[0]["countries"] == "PER"
    assert rows[0]["funder"] == "Global Environment Facility (GEF)"


def test_the_export_reads_projects_and_their_partners_in_a_fixed_number_of_queries(
    owner, reviewer, organization
):
    def export():
        with CaptureQueriesContext(connection) as queries:
            rows = list(csv.DictReader(io.StringIO(entries_csv("project", Project.objects.all()))))
        return rows, len(queries.captured_queries)

    publish_project(owner, reviewer, partners=[organization.slug])
    one, queries_for_one = export()
    for number in range(3):
        publish_project(owner, reviewer, name=f"Project {number}", partners=[organization.slug])
    four, queries_for_four = export()
    # A partner's slug (a field a code-only prefetch would leave to one query per row) is read
    # with the rest, whatever the number of projects.
    assert [row["partners"] for row in four] == [organization.slug] * 4
    assert len(one) == 1 and queries_for_four == queries_for_one


def test_the_project_page_shows_its_facts(client, projects):
    page = client.get(projects["lamps"].get_absolute_url()).content.decode()
    assert "Fluorescent lamp collection in Ghana" in page
    assert "Specific International Programme" in page
    assert "250,000 USD" in page or "250 000 USD" in page
    assert "municipalities paid transport" in page


def test_a_draft_has_no_public_page(client, projects):
    assert client.get(f"{LIST}{projects['draft'].pk}/").status_code == 404
