"""The exported files as LibreOffice opens them: each converted headless and read back as text.
Skipped where LibreOffice (soffice) is not installed; .ci/run installs it."""

import pytest

from mercuryhub.catalogue.models import Expert, Facility, Offering
from mercuryhub.catalogue.spreadsheets.exporting import entries_csv, entries_xlsx
from mercuryhub.catalogue.spreadsheets.publication import catalogue_docx
from tests.libreoffice import convert, needs_libreoffice

TO_CSV = "csv:Text - txt - csv (StarCalc):44,34,76"
CSV_FILTER = "Text - txt - csv (StarCalc)"
pytestmark = [pytest.mark.django_db, needs_libreoffice]


def _convert(path, target: str, tmp_path, infilter: str | None = None) -> str:
    return convert(path, target, tmp_path, infilter).read_text("utf-8-sig")


def test_libreoffice_reads_the_csv_and_xlsx_exports_with_accents_intact(facilities, tmp_path):
    csv_path, xlsx_path = tmp_path / "facilities.csv", tmp_path / "facilities.xlsx"
    csv_path.write_bytes(entries_csv("facility", Facility.objects.all()).encode("utf-8-sig"))
    xlsx_path.write_bytes(entries_xlsx("facility", Facility.objects.all()))

    for path in (csv_path, xlsx_path):
        # Read as the CSV import dialog offers it: comma-separated, UTF-8 (76).
        infilter = f"{CSV_FILTER}:44,34,76" if path.suffix == ".csv" else None
        text = _convert(path, f"csv:{CSV_FILTER}:44,34,76", tmp_path / path.suffix[1:], infilter)
        assert text.startswith("external_id,name,operator"), path
        assert "MAYASA Almadén stabilization plant" in text, path
        assert "Planta de lámparas Montevideo" in text, path


def test_libreoffice_shows_the_publication_with_its_contents_and_page_numbers(
    facilities, offering, expert, tmp_path
):
    path = tmp_path / "catalogue.docx"
    path.write_bytes(
        catalogue_docx(Facility.objects.all(), Offering.objects.all(), Expert.objects.all(), _now())
    )

    text = _convert(path, "txt:Text (encoded):UTF8", tmp_path / "txt")
    assert "MAYASA Almadén stabilization plant" in text
    assert "UNEP Global Mercury Partnership — Mercury Waste Management Area" in text
    contents = text[
        text.index("Contents") : text.index(
            "Facilities by waste category", text.index("Contents") + 20
        )
    ]
    assert "Experts" in contents

    flat = _convert(path, "fodt", tmp_path / "fodt")
    assert "<text:table-of-content" in flat
    assert "<text:page-number" in flat
    assert "ana.pereira@example.org" not in flat


def _now():
    from django.utils import timezone

    return timezone.now()
