"""Opening a spreadsheet: a CSV, XLSX or JSON file read into a table of rows under a header,
each cell as text (or a bool, or a list of texts in a JSON list), with a problem for each cell
that is not a value."""

import csv
import io
import json
import time
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from mercuryhub.lib.streams import FORMULA_STARTS
from mercuryhub.lib.text import control_character_message
from mercuryhub.lib.xlsx import WorkbookTooLargeError, open_workbook, sheet_rows

FORMATS = ("csv", "xlsx", "json")


@dataclass(frozen=True)
class Problem:
    """What is wrong, and where: the row as a spreadsheet program numbers it (the header is row
    1), or the position of the object in a JSON list; ``row`` is None for the file as a whole."""

    row: int | None
    column: str | None
    message: str
    unit: str = "row"

    def __str__(self):
        where = [f"{self.unit.capitalize()} {self.row}"] if self.row is not None else []
        if self.column:
            where.append(f"column {self.column}")
        return f"{', '.join(where)}: {self.message}" if where else self.message


@dataclass
class Row:
    number: int
    values: dict  # column name -> cell value (text, bool, or a list for list columns)


@dataclass
class Table:
    header: list[str]
    rows: list[Row]
    unit: str = "row"
    problems: list[Problem] = field(default_factory=list)  # cells that are not values


class FileError(Exception):
    """A file that cannot be read as a table at all."""

    def __init__(self, problems: list[Problem]):
        super().__init__("; ".join(map(str, problems)))
        self.problems = problems


def read_table(source, file_format: str | None) -> Table:
    """The table in ``source`` (a path, or an open binary file), in ``file_format`` or the format
    its name's extension says; FileError when it cannot be read."""
    name = str(source) if isinstance(source, str | Path) else getattr(source, "name", "") or ""
    file_format = (file_format or Path(name).suffix.lstrip(".")).lower()
    if file_format not in FORMATS:
        raise FileError(
            [
                Problem(
                    None,
                    None,
                    f"Unknown file format {file_format or '(none)'!r}; "
                    "use a .csv, .xlsx or .json file or name the format",
                )
            ]
        )
    if isinstance(source, str | Path):
        try:
            content = Path(source).read_bytes()
        except OSError as error:
            raise FileError(
                [Problem(None, None, f"Cannot read {name}: {error.strerror}")]
            ) from None
    else:
        content = source.read()
    return {"csv": _read_csv, "xlsx": _read_xlsx, "json": _read_json}[file_format](content)


def _read_csv(content: bytes) -> Table:
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = content[: error.start].count(b"\n") + 1
        raise FileError(
            [Problem(line, None, "The file is not UTF-8 text; save it as 'CSV UTF-8'")]
        ) from None
    records = list(csv.reader(io.StringIO(text, newline="")))
    if not records or not any(cell.strip() for cell in records[0]):
        raise FileError([Problem(1, None, "The first row must name the columns")])
    header = [cell.strip().lower() for cell in records[0]]
    if len(header) == 1 and (";" in header[0] or "\t" in header[0]):
        raise FileError(
            [
                Problem(
                    1,
                    None,
                    "The columns must be separated by commas; this file seems to use "
                    "semicolons or tabs",
                )
            ]
        )
    return _table(header, enumerate(records[1:], start=2), unescape=True)


def _read_xlsx(content: bytes) -> Table:
    return next(iter(read_xlsx_sheets(content, first_only=True).values()))


def read_xlsx_sheets(
    content: bytes, *, first_only: bool = False, only: set[str] | None = None
) -> dict[str, Table]:
    """Every sheet of an XLSX workbook (or its first, or those ``only`` names, in lower case)
    as a table, by the sheet's name; a sheet with no header row is an empty table. The other
    sheets are not read, so that what they hold is no problem. FileError when it is not a
    workbook."""
    try:
        with open_workbook(content) as workbook:
            return _sheet_tables(workbook, first_only, only)
    except WorkbookTooLargeError as error:
        raise FileError([Problem(None, None, str(error))]) from None
    except (zipfile.BadZipFile, KeyError, ValueError, OSError):
        raise FileError([Problem(None, None, "The file is not an XLSX workbook")]) from None


def _sheet_tables(workbook, first_only: bool, only: set[str] | None) -> dict[str, Table]:
    tables, started = {}, time.monotonic()
    for sheet in workbook.worksheets[:1] if first_only else workbook.worksheets:
        if only is not None and sheet.title.strip().lower() not in only:
            continue
        rows = sheet_rows(sheet, started=started)
        header_cells = list(next(rows, ()))
        while header_cells and header_cells[-1] in (None, ""):
            header_cells.pop()
        if not header_cells:
            if first_only:
                raise FileError([Problem(1, None, "The first row must name the columns")])
            tables[sheet.title] = Table([], [])
            continue
        header = [str(cell or "").strip().lower() for cell in header_cells]
        tables[sheet.title] = _table(header, enumerate(rows, start=2), unescape=False)
    return tables


def _read_json(content: bytes) -> Table:
    try:
        items = json.loads(content.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise FileError([Problem(None, None, f"The file is not valid JSON: {error}")]) from None
    if not isinstance(items, list):
        raise FileError([Problem(None, None, "The file must hold a list of objects")])
    header: dict[str, None] = {}
    table = Table([], [], unit="item")
    for number, item in enumerate(items, start=1):
        if not isinstance(item, dict):
            table.problems.append(Problem(number, None, "Each item must be an object", "item"))
            continue
        values = {}
        for key, value in item.items():
            name = str(key).strip().lower()
            header[name] = None
            values[name] = _cell(value, name, number, table.problems, unit="item")
        table.rows.append(Row(number, values))
    table.header = list(header)
    return table


def _table(header: list[str], records, *, unescape: bool) -> Table:
    """Rows of cells under the header; blank rows are skipped but keep their numbers."""
    unnamed = [position for position, name in enumerate(header, start=1) if not name]
    if unnamed:
        raise FileError(
            [Problem(1, None, f"Column {position} has no name") for position in unnamed]
        )
    table = Table(header, [])
    for number, cells in records:
        cells = list(cells)
        if not any(_filled(cell) for cell in cells):
            continue
        if any(_filled(cell) for cell in cells[len(header) :]):
            filled = max(i for i, cell in enumerate(cells, start=1) if _filled(cell))
            table.problems.append(
                Problem(
                    number,
                    None,
                    f"This row has a value in cell {filled}, but the header names only "
                    f"{len(header)} columns",
                )
            )
            continue
        values = {}
        for name, cell in zip(header, cells, strict=False):
            if unescape and isinstance(cell, str):
                cell = _unescape(cell)
            values[name] = _cell(cell, name, number, table.problems)
        table.rows.append(Row(number, values))
    return table


def _filled(cell) -> bool:
    return cell is not None and str(cell).strip() != ""


def _unescape(text: str) -> str:
    if text.startswith("'") and text[1:2] in FORMULA_STARTS and text[1:2]:
        return text[1:]
    return text


def _cell(value, column: str, number: int, problems: list[Problem], *, unit: str = "row"):
    """A cell as text (or a bool, or a list of texts in a JSON list column)."""
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str):
        return _text(value, column, number, problems, unit)
    if isinstance(value, list):
        if all(
            isinstance(item, str | int | float) and not isinstance(item, bool) for item in value
        ):
            items = []
            for item in value:
                text = _text(str(item), column, number, problems, unit)
                if text is None:
                    return None  # one problem for the cell, however many items are wrong
                items.append(text)
            return items
        problems.append(Problem(number, column, "A list may hold only texts or numbers", unit))
        return None
    problems.append(Problem(number, column, f"A {type(value).__name__} is not allowed here", unit))
    return None


def _text(value: str, column: str, number: int, problems: list[Problem], unit: str) -> str | None:
    """The text of a cell, or None (and a problem) when it holds a control character no catalogue
    field takes; tabs and line breaks are left for the field's own rules."""
    message = control_character_message(value, multiline=True)
    if message:
        problems.append(Problem(number, column, message, unit))
        return None
    return value.strip()
