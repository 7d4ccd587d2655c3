"""The national overview's sites as CSV, XLSX and GeoJSON, with the worked example (conftest's
``sites``): the overview's filters, coordinates as each person may see them, the rows and
Features the API's items, and the links on the overview page."""

import csv
import io
import json

import pytest
from openpyxl import load_workbook

from mercuryhub.asgm.models import Site
from mercuryhub.asgm.serialization import COLUMNS
from tests.asgm.conftest import MOBALE_EXACT, MOBALE_ROUNDED

pytestmark = pytest.mark.django_db


def _download(client, file_format, **params):
    response = client.get(f"/asgm/COD/sites.{file_format}", params)
    assert response.status_code == 200, response
    assert response["Content-Disposition"].startswith('attachment; filename="asgm-sites-COD-')
    return b"".join(response.streaming_content)


def _csv(client, **params) -> list[dict]:
    text = _download(client, "csv", **params).decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text)))


def _xlsx(client, **params) -> list[dict]:
    sheet = load_workbook(io.BytesIO(_download(client, "xlsx", **params))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == list(COLUMNS)
    return [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]


def _geojson(client, **params) -> dict:
    return json.loads(_download(client, "geojson", **params))


def _mobale_points(client) -> dict:
    """Mobale's point in each export: (latitude, longitude, exact)."""
    csv_row = next(row for row in _csv(client) if row["code"] == "A")
    xlsx_row = next(row for row in _xlsx(client) if row["code"] == "A")
    feature = next(f for f in _geojson(client)["features"] if f["properties"]["code"] == "A")
    longitude, latitude = feature["geometry"]["coordinates"]
    return {
        "csv": (float(csv_row["latitude"]), float(csv_row["longitude"]), csv_row["exact"]),
        "xlsx": (xlsx_row["latitude"], xlsx_row["longitude"], xlsx_row["exact"]),
        "geojson": (latitude, longitude, feature["properties"]["exact"]),
        "properties": (feature["properties"]["latitude"], feature["properties"]["longitude"]),
    }


def _expect(point, exact: bool) -> dict:
    return {
        "csv": (*point, str(exact)),
        "xlsx": (*point, exact),
        "geojson": (*point, exact),
        "properties": point,
    }


def test_the_public_downloads_the_coordinates_rounded(client, sites, outsider):
    assert _mobale_points(client) == _expect(MOBALE_ROUNDED, exact=False)
    client.force_login(outsider)
    assert _mobale_points(client) == _expect(MOBALE_ROUNDED, exact=False)


def test_the_project_s_members_and_the_secretariat_download_them_exact(
    client, sites, viewer, secretariat
):
    client.force_login(viewer)
    assert _mobale_points(client) == _expect(MOBALE_EXACT, exact=True)
    client.force_login(secretariat)
    assert _mobale_points(client) == _expect(MOBALE_EXACT, exact=True)


def test_a_project_that_publishes_its_locations_exports_them_exact(
    client, sites, published_locations
):
    assert _mobale_points(client) == _expect(MOBALE_EXACT, exact=True)


def test_the_spreadsheets_hold_numbers_as_numbers_and_the_answers_behind_worst_practices(
    client, sites
):
    mobale = next(row for row in _xlsx(client) if row["code"] == "A")

    assert mobale["miners"] == 850
    assert mobale["gold_kg_per_year"] == 3
    low, typical = mobale["mercury_low_kg_per_year"], mobale["mercury_typical_kg_per_year"]
    assert (low, typical, mobale["mercury_high_kg_per_year"]) == (12, 30, 150)
    assert mobale["mercury_method"] == "estimated"
    assert mobale["mercury_ratio"] == Site.objects.get(code="A").mercury_ratio.label
    assert mobale["worst_practices"] == (
        "whole-ore-amalgamation; open-burning; residential-burning"
    )
    assert mobale["worst_practice_answers"] == (
        "whole-ore-amalgamation: amalgamation=whole_ore; open-burning: burning_place=open_air; "
        "residential-burning: burning_place=homes"
    )
    csv_mobale = next(row for row in _csv(client) if row["code"] == "A")
    assert csv_mobale["mercury_typical_kg_per_year"] == "30.0"
    assert csv_mobale["worst_practices"] == mobale["worst_practices"]


def test_a_geojson_feature_s_properties_are_the_api_s_site(client, sites):
    features = _geojson(client)["features"]
    api = client.get("/api/v1/asgm/sites", {"country": "COD"}).json()["items"]

    assert [f["properties"] for f in features] == api
    assert all(f["geometry"]["type"] == "Point" for f in features)


def test_the_exports_take_the_overview_s_filters(client, sites):
    assert [row["code"] for row in _csv(client, admin_area="Mwenga")] == ["C", "A"]
    assert [row["code"] for row in _xlsx(client, practice="mercury-free")] == ["C"]
    burning = _geojson(client, worst_practice="open-burning")["features"]
    assert [f["properties"]["code"] for f in burning] == ["A"]
    assert [row["code"] for row in _csv(client)] == ["B", "C", "A"]


def test_a_filter_that_is_not_understood_answers_the_overview_page_naming_it(client, sites):
    response = client.get("/asgm/COD/sites.csv", {"practice": "nonsense"})

    assert response.status_code == 400
    assert "nonsense is not a practice of the list." in response.content.decode()


def test_an_unknown_format_or_country_is_not_found(client, sites):
    assert client.get("/asgm/COD/sites.pdf").status_code == 404
    assert client.get("/asgm/XYZ/sites.csv").status_code == 404


def test_a_text_that_would_run_as_a_formula_stays_a_text_in_the_csv(client, sites):
    Site.objects.filter(code="C").update(name="=HYPERLINK(1)")

    lugushwa = next(row for row in _csv(client) if row["code"] == "C")
    assert lugushwa["name"] == "'=HYPERLINK(1)"
    assert next(row for row in _xlsx(client) if row["code"] == "C")["name"] == "=HYPERLINK(1)"


def test_the_overview_page_links_the_exports_with_its_filters(client, sites):
    page = client.get("/asgm/COD/", {"admin_area": "Mwenga", "page": "1"}).content.decode()

    for file_format in ("csv", "xlsx", "geojson"):
        assert f'href="/asgm/COD/sites.{file_format}?admin_area=Mwenga"' in page
    french = client.get("/fr/asgm/COD/").content.decode()
    assert 'href="/fr/asgm/COD/sites.csv"' in french
