"""Exported files open right in the programs people open them with: CSV with a byte order mark
(and imported with or without one), XLSX fitted, frozen, filterable and titled."""

import io
import json

import openpyxl
import pytest

from mercuryhub.catalogue.models import Facility
from mercuryhub.catalogue.spreadsheets.exporting import XLSX_MAX_WIDTH, entries_xlsx
from mercuryhub.catalogue.spreadsheets.importing import import_entries

pytestmark = pytest.mark.django_db


def test_the_csv_download_starts_with_a_byte_order_mark_and_keeps_accents(client, facilities):
    content = client.get("/catalogue/export/csv/?country=ESP").getvalue()

    assert content.startswith(b"\xef\xbb\xbf")
    assert "MAYASA Almadén stabilization plant" in content.decode("utf-8-sig")
    api = client.get("/api/v1/catalogue/export.csv?country=ESP")
    assert api.getvalue().startswith(b"\xef\xbb\xbfexternal_id,")


def test_csv_and_geojson_downloads_are_written_as_they_are_read(client, facilities, settings):
    """A worker never holds the whole file: the response is streamed, a few hundred rows a
    piece, and what it streams is the whole export, in the language of the request."""
    from mercuryhub.catalogue.spreadsheets import exporting

    count = len(facilities)
    exporting.CSV_ROWS_PER_CHUNK, before = 2, exporting.CSV_ROWS_PER_CHUNK
    try:
        for path in ("/catalogue/export/csv/", "/api/v1/catalogue/export.csv"):
            response = client.get(path)
            assert response.streaming
            pieces = list(response.streaming_content)
            assert pieces[0] == "\ufeff".encode()
            lines = b"".join(pieces).decode("utf-8-sig").splitlines()
            assert len(lines) == count + 1  # the header, then each facility
            assert len(pieces) == 1 + -(-count // 2)  # the byte order mark, then 2 rows a piece
    finally:
        exporting.CSV_ROWS_PER_CHUNK = before
    for path in ("/fr/catalogue/export/geojson/", "/api/v1/facilities.geojson?lang=fr"):
        response = client.get(path)
        assert response.streaming
        features = json.loads(b"".join(response.streaming_content))["features"]
        assert len(features) == sum(1 for f in facilities.values() if f.latitude is not None)
        labels = {label for f in features for label in f["properties"]["accepted_waste_labels"]}
        assert "Lampes contenant du mercure" in labels, labels


@pytest.mark.parametrize("byte_order_mark", [True, False], ids=["with-bom", "without-bom"])
def test_the_importer_reads_an_exported_csv_with_or_without_a_byte_order_mark(
    client, facilities, tmp_path, byte_order_mark
):
    content = client.get("/catalogue/export/csv/").getvalue()
    if not byte_order_mark:
        content = content.removeprefix(b"\xef\xbb\xbf")
    path = tmp_path / "facilities.csv"
    path.write_bytes(content)

    report = import_entries("facility", path)

    assert (report.created, report.updated, report.unchanged) == (0, 0, 5), report.listing()
    assert report.problems == []
    assert Facility.objects.get(external_id="mayasa").city == "Almadén"


def test_the_xlsx_export_is_fitted_frozen_filterable_and_titled(facilities):
    Facility.objects.filter(external_id="batrec").update(description="Long text. " * 40)

    workbook = openpyxl.load_workbook(io.BytesIO(entries_xlsx("facility", Facility.objects.all())))

    assert workbook.properties.title == "MercuryHub catalogue: facilities"
    assert workbook.properties.creator == "MercuryHub"
    sheet = workbook.worksheets[0]
    assert sheet.freeze_panes == "A2"
    header = [cell.value for cell in sheet[1]]
    last_column = openpyxl.utils.get_column_letter(len(header))
    assert sheet.auto_filter.ref == f"A1:{last_column}6"
    widths = {
        name: sheet.column_dimensions[cell.column_letter].width
        for name, cell in zip(header, sheet[1], strict=True)
    }
    assert widths["name"] == len("econ mobile vacuum thermal desorption") + 2
    assert widths["summary"] == XLSX_MAX_WIDTH
    assert widths["external_id"] == len("external_id") + 2
