"""A disguised XLSX (a zip bomb: a small file that expands to hundreds of megabytes, or a
sheet of millions of rows) is refused in a moment with a message saying what is too large, by
the one reader every XLSX upload goes through (lib/xlsx.py): catalogue imports, form
submissions imported from a workbook, XLSForm uploads and library documents."""

import io
import time
import zipfile

import pytest

from mercuryhub.catalogue.models import Facility
from mercuryhub.catalogue.spreadsheets.importing import import_entries
from mercuryhub.forms.conversion import XLSFormError, convert_xlsform
from mercuryhub.library.documents import XLSX
from mercuryhub.library.extraction import ExtractionError, extract_text

pytestmark = pytest.mark.django_db

_OXML = "http://schemas.openxmlformats.org"
_SML = "application/vnd.openxmlformats-officedocument.spreadsheetml"
_RELS = f"{_OXML}/officeDocument/2006/relationships"
_CONTENT_TYPES = (
    f'<Types xmlns="{_OXML}/package/2006/content-types">'
    '<Default Extension="rels" '
    'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    f'<Override PartName="/xl/workbook.xml" ContentType="{_SML}.sheet.main+xml"/>'
    f'<Override PartName="/xl/worksheets/sheet1.xml" ContentType="{_SML}.worksheet+xml"/>'
    "</Types>"
)
_ROOT_RELS = (
    f'<Relationships xmlns="{_OXML}/package/2006/relationships">'
    f'<Relationship Id="rId1" Type="{_RELS}/officeDocument" Target="xl/workbook.xml"/>'
    "</Relationships>"
)
_WORKBOOK = (
    f'<workbook xmlns="{_OXML}/spreadsheetml/2006/main" xmlns:r="{_RELS}">'
    '<sheets><sheet name="facilities" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
_WORKBOOK_RELS = (
    f'<Relationships xmlns="{_OXML}/package/2006/relationships">'
    f'<Relationship Id="rId1" Type="{_RELS}/worksheet" Target="worksheets/sheet1.xml"/>'
    "</Relationships>"
)
_SHEET_START = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
    '<row r="1"><c r="A1" t="inlineStr"><is><t>external_id</t></is></c></row>'
)


def _workbook(rows: int = 0, padding_mb: int = 0) -> bytes:
    """A valid one-sheet workbook of ``rows`` rows after its header, followed by ``padding_mb``
    megabytes of blanks inside the sheet's XML: both compress to almost nothing."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", _CONTENT_TYPES)
        archive.writestr("_rels/.rels", _ROOT_RELS)
        archive.writestr("xl/workbook.xml", _WORKBOOK)
        archive.writestr("xl/_rels/workbook.xml.rels", _WORKBOOK_RELS)
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            sheet.write(_SHEET_START.encode())
            batch = []
            for number in range(2, rows + 2):
                batch.append(f'<row r="{number}"><c r="A{number}"><v>{number}</v></c></row>')
                if len(batch) == 10_000:
                    sheet.write("".join(batch).encode())
                    batch = []
            sheet.write("".join(batch).encode())
            blank = b" " * 1_000_000
            for _ in range(padding_mb):
                sheet.write(blank)
            sheet.write(b"</sheetData></worksheet>")
    return buffer.getvalue()


def test_a_workbook_expanding_to_hundreds_of_megabytes_is_refused_at_once(settings):
    bomb = _workbook(padding_mb=300)
    assert len(bomb) < 1_000_000  # under a megabyte on disk

    started = time.monotonic()
    report = import_entries("facility", io.BytesIO(bomb), file_format="xlsx")

    assert time.monotonic() - started < 5
    message = report.listing()
    assert "would expand to 300 MB" in message and f"{settings.XLSX_MAX_EXPANDED_MB} MB" in message
    assert Facility.objects.count() == 0


def test_a_sheet_of_more_rows_than_allowed_is_refused_naming_the_limit(settings):
    settings.XLSX_MAX_ROWS = 5_000
    report = import_entries("facility", io.BytesIO(_workbook(rows=20_000)), file_format="xlsx")

    assert report.listing() == (
        "The sheet “facilities” has more than 5,000 rows: split it into smaller files."
    )
    assert Facility.objects.count() == 0


def test_reading_longer_than_allowed_stops_with_a_message(settings):
    settings.XLSX_MAX_READ_SECONDS = 0  # any reading takes longer
    report = import_entries("facility", io.BytesIO(_workbook(rows=2_000)), file_format="xlsx")

    assert "Reading this workbook took more than 0 seconds" in report.listing()


def test_an_xlsform_and_a_library_document_go_through_the_same_bounds():
    bomb = _workbook(padding_mb=300)

    with pytest.raises(XLSFormError) as refused:
        convert_xlsform(bomb)
    assert "would expand to 300 MB" in str(refused.value.problems)
    with pytest.raises(ExtractionError, match="would expand to 300 MB"):
        extract_text(io.BytesIO(bomb), XLSX)


def test_a_workbook_within_the_bounds_is_read_as_before():
    report = import_entries(
        "facility", io.BytesIO(_workbook(rows=3)), file_format="xlsx", dry_run=True
    )
    # Read: the rows' own problems are reported (the required columns are missing).
    assert "This required column is missing" in report.listing()
