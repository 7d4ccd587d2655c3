"""Exported files open right in the programs people open them with: CSV with a byte order mark
(and imported with or without one), XLSX fitted, frozen, filterable and titled."""

import io

import openpyxl
import pytest

from mercuryhub.catalogue.models import Facility
from mercuryhub.catalogue.spreadsheets.exporting import XLSX_MAX_WIDTH, entries_xlsx
from mercuryhub.catalogue.spreadsheets.importing import import_entries

pytestmark = pytest.mark.django_db


def test_the_csv_download_starts_with_a_byte_order_mark_and_keeps_accents(client, facilities):
    response = client.get("/catalogue/export/csv/?country=ESP")

    assert response.content.startswith(b"\xef\xbb\xbf")
    assert "MAYASA Almadén stabilization plant" in response.content.decode("utf-8-sig")
    api = client.get("/api/v1/catalogue/export.csv?country=ESP")
    assert api.content.startswith(b"\xef\xbb\xbfexternal_id,")


@pytest.mark.parametrize("byte_order_mark", [True, False], ids=["with-bom", "without-bom"])
def test_the_importer_reads_an_exported_csv_with_or_without_a_byte_order_mark(
    client, facilities, tmp_path, byte_order_mark
):
    content = client.get("/catalogue/export/csv/").content
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
