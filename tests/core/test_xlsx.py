"""The streamed XLSX writer (mercuryhub.lib.xlsx): what openpyxl and LibreOffice read back, and
that its bytes come before all its rows are read."""

import io
from decimal import Decimal

from openpyxl import load_workbook

from mercuryhub.lib.xlsx import column_letter, sheet_name, stream_xlsx
from tests.libreoffice import convert, needs_libreoffice


def _book(sheets, **kwargs):
    return load_workbook(io.BytesIO(b"".join(stream_xlsx(sheets, **kwargs))))


def test_values_come_back_as_written_numbers_as_numbers_texts_as_texts():
    rows = [
        ["Kibi", 120, Decimal("4.5"), 0.25, True, "=SUM(A1:A9)"],
        ["Tarkwa", "", None, -3, False, "  spaced  "],
    ]
    book = _book([("Sites", ["name", "miners", "hg", "share", "licensed", "note"], rows)])

    sheet = book["Sites"]
    assert list(sheet.values) == [
        ("name", "miners", "hg", "share", "licensed", "note"),
        ("Kibi", 120, 4.5, 0.25, True, "=SUM(A1:A9)"),
        ("Tarkwa", None, None, -3, False, "  spaced  "),
    ]
    assert sheet["F2"].data_type == "s"  # a text that looks like a formula stays a text


def test_the_header_is_bold_frozen_and_filterable_and_the_book_titled():
    book = _book([("Sites", ["name", "miners"], [["Kibi", 1], ["Obuasi", 2]])], title="Baseline")

    sheet = book["Sites"]
    assert sheet["A1"].font.b and not sheet["A2"].font.b
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == "A1:B3"
    assert book.properties.title == "Baseline"


def test_sheets_keep_their_order_and_an_empty_one_keeps_its_header():
    book = _book([("First", ["a"], [[1], [2]]), ("Second", ["b", "c"], [])])

    assert book.sheetnames == ["First", "Second"]
    assert list(book["Second"].values) == [("b", "c")]


def test_texts_lose_characters_xml_cannot_carry_and_are_cut_at_excel_s_limit():
    book = _book([("S", ["t"], [["bell\x07 and tab\tkept"], ["x" * 40_000], ["العربية 中文"]])])

    values = [row[0] for row in book["S"].values]
    assert values[1] == "bell and tab\tkept"
    assert len(values[2]) == 32_767
    assert values[3] == "العربية 中文"


def test_bytes_come_before_the_rows_are_all_read():
    read = []

    def rows():
        for number in range(20_000):
            read.append(number)
            yield [f"row {number} of {number * 7919 % 10007}", number]

    chunks = stream_xlsx([("S", ["name", "n"], rows())])
    first = next(chunks)
    assert first.startswith(b"PK") and read == []
    rows_read_at_each_chunk = []
    rest = b""
    for chunk in chunks:
        rows_read_at_each_chunk.append(len(read))
        rest += chunk
    assert min(count for count in rows_read_at_each_chunk if count) < 20_000
    assert load_workbook(io.BytesIO(first + rest)).active.max_row == 20_001


def test_sheet_names_are_made_valid_and_unique():
    taken: set = set()
    assert sheet_name("a/b:c", taken) == "a_b_c"
    assert sheet_name("A/B:C", taken) == "A_B_C_2"
    assert len(sheet_name("x" * 40, taken)) == 31
    assert sheet_name("", taken) == "Sheet"


def test_column_letters_run_past_z():
    assert [column_letter(i) for i in (0, 25, 26, 51, 52, 701, 702)] == [
        "A",
        "Z",
        "AA",
        "AZ",
        "BA",
        "ZZ",
        "AAA",
    ]


@needs_libreoffice
def test_libreoffice_opens_the_streamed_workbook(tmp_path):
    path = tmp_path / "sites.xlsx"
    rows = [["Almadén", 120], ["Kibi", 3]]
    path.write_bytes(b"".join(stream_xlsx([("Sites", ["name", "miners"], rows)])))
    converted = convert(path, "csv:Text - txt - csv (StarCalc):44,34,76", tmp_path)
    assert converted.read_text("utf-8-sig").splitlines() == [
        "name,miners",
        "Almadén,120",
        "Kibi,3",
    ]
