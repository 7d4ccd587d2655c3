"""Exports of the catalogue: CSV and XLSX in the import layout (they import back unchanged),
GeoJSON for maps, the DOCX publication, and the web and API downloads."""

import csv
import io
import json
from importlib import resources

import docx
import openpyxl
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from mercuryhub.catalogue.models import Expert, Facility, Offering
from mercuryhub.catalogue.queries import (
    experts_visible_to,
    facilities_visible_to,
    offerings_visible_to,
)
from mercuryhub.catalogue.spreadsheets import exporting
from mercuryhub.catalogue.spreadsheets.exporting import entries_csv, entries_xlsx
from mercuryhub.catalogue.spreadsheets.importing import import_entries
from mercuryhub.catalogue.spreadsheets.publication import catalogue_docx

pytestmark = pytest.mark.django_db

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _today() -> str:
    return timezone.localdate().isoformat()


@pytest.fixture
def shipped(db):
    with resources.as_file(
        resources.files("mercuryhub.catalogue") / "data" / "facilities.csv"
    ) as path:
        report = import_entries("facility", path)
    assert report.ok, report.listing()
    return Facility.objects.all()


def _csv_rows(text: str) -> list[dict]:
    return list(csv.DictReader(io.StringIO(text)))


# Round trips --------------------------------------------------------------------------------


def test_csv_and_xlsx_exports_of_the_shipped_facilities_import_back_unchanged(shipped, tmp_path):
    csv_path, xlsx_path = tmp_path / "export.csv", tmp_path / "export.xlsx"
    csv_path.write_text(entries_csv("facility", Facility.objects.all()), "utf-8")
    xlsx_path.write_bytes(entries_xlsx("facility", Facility.objects.all()))

    for path in (csv_path, xlsx_path):
        report = import_entries("facility", path)
        assert (report.created, report.updated, report.unchanged) == (0, 0, 44), path
        assert report.problems == []

    rows = _csv_rows(csv_path.read_text("utf-8"))
    batrec = next(row for row in rows if row["external_id"] == "batrec-wimmis")
    assert batrec["operator"] == "Batrec Industrie AG"
    assert batrec["latitude"] == "46.676"
    assert set(batrec["accepted_wastes"].split(";")) >= {"batteries", "lamps"}
    assert batrec["source_checked_on"] == "2026-11-22"
    assert batrec["last_confirmed"] == ""
    sheet = openpyxl.load_workbook(xlsx_path).worksheets[0]
    assert [cell.value for cell in sheet[1]][:3] == ["external_id", "name", "operator"]
    assert sheet.max_row == 45


def test_offering_and_expert_exports_import_back_unchanged_without_e_mail(
    offering, expert, tmp_path
):
    for kind, model in (("offering", Offering), ("expert", Expert)):
        path = tmp_path / f"{kind}.csv"
        path.write_text(entries_csv(kind, model.objects.all()), "utf-8")
        report = import_entries(kind, path)
        assert (report.created, report.updated, report.unchanged) == (0, 0, 1), report.listing()

    exported = _csv_rows((tmp_path / "expert.csv").read_text("utf-8"))
    assert exported[0]["email"] == ""
    assert "ana.pereira@example.org" not in (tmp_path / "expert.csv").read_text("utf-8")
    assert Expert.objects.get().email == "ana.pereira@example.org"
    offering_row = _csv_rows((tmp_path / "offering.csv").read_text("utf-8"))[0]
    assert (offering_row["provider"], offering_row["regions_served"]) == (
        "MRT System",
        "Africa;Asia",
    )


def test_a_text_that_looks_like_a_formula_is_defused_and_imports_back(facilities, tmp_path):
    Facility.objects.filter(external_id="batrec").update(name="=HYPERLINK(1)", city="-Wimmis")
    csv_path, xlsx_path = tmp_path / "export.csv", tmp_path / "export.xlsx"
    csv_path.write_text(entries_csv("facility", Facility.objects.all()), "utf-8")
    xlsx_path.write_bytes(entries_xlsx("facility", Facility.objects.all()))

    row = next(r for r in _csv_rows(csv_path.read_text("utf-8")) if r["external_id"] == "batrec")
    assert (row["name"], row["city"]) == ("'=HYPERLINK(1)", "'-Wimmis")
    cell = openpyxl.load_workbook(xlsx_path).worksheets[0]["B2"]
    assert (cell.value, cell.data_type) == ("=HYPERLINK(1)", "s")
    for path in (csv_path, xlsx_path):
        assert import_entries("facility", path).unchanged == 5


def test_the_export_command_writes_files_that_import_back_unchanged(facilities, tmp_path):
    stdout = io.StringIO()
    call_command("export", "facilities", "-o", str(tmp_path / "f.xlsx"), "--format", "xlsx")
    call_command("export", "publication", "-o", str(tmp_path / "c.docx"), stdout=stdout)

    assert import_entries("facility", tmp_path / "f.xlsx").unchanged == 5
    assert stdout.getvalue() == f"Wrote {tmp_path / 'c.docx'}\n"
    assert "Batrec Wimmis plant" in _docx_text((tmp_path / "c.docx").read_bytes())[1]


def test_the_export_command_writes_a_streamed_export_whole_or_not_at_all(facilities, tmp_path):
    path = tmp_path / "f.csv"
    call_command("export", "facilities", "-o", str(path), verbosity=0)
    assert import_entries("facility", path).unchanged == 5
    written = path.read_bytes()
    # An export that cannot be made leaves the file written before as it was, and no part.
    with pytest.raises(CommandError, match="GeoJSON holds facilities only"):
        call_command("export", "experts", "-o", str(path), "--format", "geojson", verbosity=0)
    assert path.read_bytes() == written
    assert sorted(p.name for p in tmp_path.iterdir()) == ["f.csv"]


# GeoJSON and the publication ----------------------------------------------------------------


def test_the_geojson_export_is_a_feature_collection_in_longitude_latitude_order(client, facilities):
    response = client.get("/catalogue/export/geojson/?waste=chlor-alkali")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/geo+json"
    assert response["Content-Disposition"] == (
        f'attachment; filename="mercuryhub-facilities-{_today()}.geojson"'
    )
    collection = json.loads(response.getvalue())
    assert collection["type"] == "FeatureCollection"
    names = {feature["properties"]["name"] for feature in collection["features"]}
    assert names == {
        "econ mobile vacuum thermal desorption",
        "MAYASA Almadén stabilization plant",
        "Santos chlor-alkali residue landfill",
    }
    for feature in collection["features"]:
        assert feature["type"] == "Feature"
        assert feature["id"] and feature["properties"]["status"]
        assert feature["geometry"]["type"] == "Point"
    mayasa = next(f for f in collection["features"] if f["properties"]["name"].startswith("MAY"))
    assert mayasa["geometry"]["coordinates"] == [-4.84, 38.77]


def test_the_geojson_reads_a_chunk_of_facilities_in_a_fixed_number_of_queries(
    facilities, monkeypatch
):
    placed = [f for f in Facility.objects.order_by("name", "pk") if f.has_coordinates]
    assert len(placed) >= 3
    monkeypatch.setattr(exporting, "EXPORT_CHUNK", 2)

    with CaptureQueriesContext(connection) as queries:
        collection = exporting.facilities_geojson(Facility.objects.all())

    # The facilities in one query, then per chunk its links and the terms not read before.
    chunks = -(-len(placed) // 2)
    assert len(queries.captured_queries) <= 1 + 2 * chunks
    assert [feature["id"] for feature in collection["features"]] == [f.pk for f in placed]
    for feature, facility in zip(collection["features"], placed, strict=True):
        wastes = list(facility.accepted_wastes.all())
        assert feature["properties"]["accepted_wastes"] == [term.code for term in wastes]
        assert feature["properties"]["accepted_waste_labels"] == [term.label for term in wastes]
        assert feature["properties"]["operator"] == facility.operator.name


def test_the_csv_reads_a_chunk_of_entries_in_a_fixed_number_of_queries(facilities, monkeypatch):
    entries = list(Facility.objects.order_by("name", "pk"))
    assert len(entries) >= 3
    monkeypatch.setattr(exporting, "EXPORT_CHUNK", 2)

    with CaptureQueriesContext(connection) as queries:
        text = entries_csv("facility", Facility.objects.all())

    # Per chunk: its entries, then each of the five related lists of the kind, whatever the
    # number of entries or links.
    chunks = -(-len(entries) // 2)
    assert len(queries.captured_queries) <= 6 * chunks
    rows = _csv_rows(text)
    assert [row["name"] for row in rows] == [entry.name for entry in entries]
    for row, entry in zip(rows, entries, strict=True):
        wastes = sorted(term.code for term in entry.accepted_wastes.all())
        assert row["accepted_wastes"] == ";".join(wastes)
        assert row["operator"] == entry.operator.name


def _docx_text(content: bytes) -> tuple[list[tuple[str, str]], str]:
    document = docx.Document(io.BytesIO(content))
    paragraphs = [(p.style.name, p.text) for p in document.paragraphs]
    return paragraphs, "\n".join(text for _style, text in paragraphs)


def test_the_publication_groups_facilities_by_waste_category_and_hides_e_mail(
    facilities, offering, expert
):
    generated_at = timezone.now()

    content = catalogue_docx(
        Facility.objects.filter(published=True),
        Offering.objects.filter(published=True),
        Expert.objects.filter(published=True),
        generated_at,
    )

    paragraphs, text = _docx_text(content)
    assert paragraphs[0] == (
        "Title",
        "Catalogue of Technologies and Services on Mercury Waste Management",
    )
    assert paragraphs[1] == (
        "Subtitle",
        "UNEP Global Mercury Partnership — Mercury Waste Management Area",
    )
    assert f"Generated on {timezone.localdate().isoformat()}" in text
    document = docx.Document(io.BytesIO(content))
    assert 'TOC \\o "1-3"' in document.element.xml
    assert "updateFields" in document.settings.element.xml
    assert "PAGE" in document.sections[0].footer.paragraphs[0]._p.xml
    headings = [(style, text) for style, text in paragraphs if style.startswith("Heading")]
    assert ("Heading 1", "Facilities by waste category") in headings
    assert ("Heading 2", "Wastes contaminated with mercury or mercury compounds") in headings
    chlor_alkali = "Wastes from mercury-cell chlor-alkali production and its decommissioning"
    assert ("Heading 3", chlor_alkali) in headings
    assert ("Heading 1", "Technologies, equipment and services") in headings
    assert ("Heading 1", "Experts") in headings
    assert ("Normal", "Experts") in paragraphs  # the contents, shown before any update
    assert ("Heading 4", "MAYASA Almadén stabilization plant") in paragraphs
    facts = [[cell.text for cell in row.cells] for t in document.tables for row in t.rows]
    assert ["Operator", "MAYASA"] in facts
    assert "Lamp recycling system" in text
    assert "Ana Pereira" in text
    assert "ana.pereira@example.org" not in text
    assert "ana.pereira@example.org" not in content.decode("latin-1")
    for index, (style, _text) in enumerate(paragraphs[:-1]):  # no category left empty
        if style == "Heading 3":
            assert paragraphs[index + 1][0] not in {"Heading 1", "Heading 2", "Heading 3"}


def test_a_facility_is_described_once_and_named_under_its_other_categories(facilities):
    paragraphs, _text = _docx_text(
        catalogue_docx(
            Facility.objects.all(), Offering.objects.none(), Expert.objects.none(), timezone.now()
        )
    )

    entries = [text for style, text in paragraphs if style == "Heading 4"]
    assert entries.count("Batrec Wimmis plant") == 1
    references = [text for _style, text in paragraphs if text.startswith("Batrec Wimmis plant —")]
    assert len(references) == 2 and len(set(references)) == 1  # its other two categories
    assert not any(text == "Technologies, equipment and services" for _s, text in paragraphs)


def test_the_publication_reads_the_catalogue_in_a_fixed_number_of_queries(
    facilities, offering, expert, django_assert_num_queries
):
    with django_assert_num_queries(14):
        catalogue_docx(
            facilities_visible_to(None),
            offerings_visible_to(None),
            experts_visible_to(None),
            timezone.now(),
        )


# Web downloads ------------------------------------------------------------------------------


def test_the_search_results_download_as_csv_with_a_dated_name(client, facilities):
    response = client.get("/catalogue/export/csv/?country=ESP")

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == (
        f'attachment; filename="mercuryhub-facilities-{_today()}.csv"'
    )
    rows = _csv_rows(response.getvalue().decode())
    assert [row["name"] for row in rows] == ["MAYASA Almadén stabilization plant"]


def test_experts_download_as_xlsx_without_e_mail(client, expert):
    response = client.get("/catalogue/export/xlsx/?type=expert")

    assert response.status_code == 200
    assert response["Content-Type"] == XLSX
    assert response["Content-Disposition"] == (
        f'attachment; filename="mercuryhub-experts-{_today()}.xlsx"'
    )
    sheet = openpyxl.load_workbook(io.BytesIO(response.getvalue())).worksheets[0]
    header = [cell.value for cell in sheet[1]]
    row = dict(zip(header, [cell.value for cell in sheet[2]], strict=True))
    assert row["name"] == "Ana Pereira"
    assert row["email"] is None


def test_a_bad_filter_gets_a_page_naming_the_problem(client, facilities):
    response = client.get("/catalogue/export/csv/?waste=mercury-lamps&country=XXX")

    assert response.status_code == 400
    page = response.content.decode()
    assert "The export could not be made" in page
    assert "Unknown waste code &#x27;mercury-lamps&#x27;" in page
    assert "Unknown country code &#x27;XXX&#x27;" in page


def test_geojson_of_experts_is_refused_and_an_unknown_format_is_not_found(client, expert):
    assert client.get("/catalogue/export/geojson/?type=expert").status_code == 400
    assert client.get("/catalogue/export/pdf/").status_code == 404


def test_the_publication_downloads_as_docx_of_published_entries_only(client, facilities):
    Facility.objects.filter(external_id="santos").update(published=False)

    response = client.get("/catalogue/publication.docx")

    assert response.status_code == 200
    assert response["Content-Type"] == DOCX
    assert response["Content-Disposition"] == (
        f'attachment; filename="mercuryhub-catalogue-{_today()}.docx"'
    )
    _paragraphs, text = _docx_text(response.content)
    assert "Batrec Wimmis plant" in text
    assert "Santos chlor-alkali residue landfill" not in text


# API downloads ------------------------------------------------------------------------------


def test_the_api_exports_filtered_csv(client, facilities):
    response = client.get("/api/v1/catalogue/export.csv?waste=lamps&status=planned")

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == (
        f'attachment; filename="mercuryhub-facilities-{_today()}.csv"'
    )
    assert [row["name"] for row in _csv_rows(response.getvalue().decode())] == [
        "Planta de lámparas Montevideo"
    ]


def test_the_api_exports_offerings_as_xlsx(client, offering):
    response = client.get("/api/v1/catalogue/export.xlsx?type=offering")

    assert response.status_code == 200
    assert response["Content-Type"] == XLSX
    assert response["Content-Disposition"] == (
        f'attachment; filename="mercuryhub-offerings-{_today()}.xlsx"'
    )
    sheet = openpyxl.load_workbook(io.BytesIO(response.getvalue())).worksheets[0]
    assert sheet["B2"].value == "Lamp recycling system"


def test_the_api_names_each_bad_filter_in_the_error_body(client, facilities):
    response = client.get("/api/v1/catalogue/export.csv?waste=mercury-lamps&lat=1")

    assert response.status_code == 422
    body = response.json()
    assert body["detail"].startswith("Invalid input: waste: Unknown waste code 'mercury-lamps'")
    assert {error["field"] for error in body["errors"]} == {"query.waste", "query.lon"}

    unknown_type = client.get("/api/v1/catalogue/export.xlsx?type=boat")
    assert unknown_type.status_code == 422
    assert unknown_type.json()["errors"][0]["field"] == "query.type"


def test_the_openapi_schema_documents_the_export_file_types(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]

    csv_ok = paths["/api/v1/catalogue/export.csv"]["get"]["responses"]["200"]
    xlsx_ok = paths["/api/v1/catalogue/export.xlsx"]["get"]["responses"]["200"]
    assert list(csv_ok["content"]) == ["text/csv"]
    assert list(xlsx_ok["content"]) == [XLSX]
    assert {"400", "422"} <= set(paths["/api/v1/catalogue/export.csv"]["get"]["responses"])
