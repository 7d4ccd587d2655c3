"""Importing catalogue spreadsheets: facilities, offerings or experts from CSV, XLSX or JSON.

Every row is checked by the same rules as a web form or an API body (``fields.clean_*``) before
anything is written; one bad row and nothing is saved. Rows are matched to existing entries by
``external_id``, so importing the same file twice changes nothing. The column layouts are
documented in docs/import-format.md; exports write the same layouts.
"""

import csv
import io
import json
import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from pathlib import Path
from typing import BinaryIO

from django.db import transaction
from django.utils import timezone

from mercuryhub.catalogue.actions import do_save_entry
from mercuryhub.catalogue.fields import CleanEntry, clean_expert, clean_facility, clean_offering
from mercuryhub.lib.errors import InvalidInputError
from mercuryhub.review import actions as review_actions
from mercuryhub.review import errors as review_errors
from mercuryhub.review import registry
from mercuryhub.review.models import ReviewState

FORMATS = ("csv", "xlsx", "json")
# Characters that make a spreadsheet program read a text cell as a formula. CSV exports put an
# apostrophe before them and imports take it off again.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


@dataclass(frozen=True)
class Column:
    name: str
    required: bool = False
    is_list: bool = False
    # The key of the clean_* input it feeds (None: the importer reads it itself) and the model
    # field it fills, when these differ from the column name.
    key: str | None = ""
    model_field: str = ""

    @property
    def input_key(self) -> str | None:
        return self.name if self.key == "" else self.key

    @property
    def field_name(self) -> str:
        return self.model_field or self.input_key or self.name


@dataclass(frozen=True)
class Layout:
    kind: str
    plural: str
    columns: tuple[Column, ...]
    clean: Callable[[dict], CleanEntry]

    @property
    def names(self) -> list[str]:
        return [column.name for column in self.columns]

    def column(self, name: str) -> Column:
        return next(column for column in self.columns if column.name == name)

    def column_for_input(self, key: str) -> str:
        """The column a clean_* error key comes from."""
        for column in self.columns:
            if column.input_key == key:
                return column.name
        return key


_LAST_CONFIRMED = Column("last_confirmed", key=None, model_field="last_confirmed_at")

LAYOUTS = {
    "facility": Layout(
        "facility",
        "facilities",
        (
            Column("external_id", required=True),
            Column("name", required=True),
            Column("operator", required=True),
            Column("country", required=True),
            Column("city"),
            Column("latitude"),
            Column("longitude"),
            Column("coordinates_precision"),
            Column("status"),
            Column("accepted_wastes", required=True, is_list=True),
            Column("technologies", is_list=True),
            Column("phases", is_list=True),
            Column("capacity"),
            Column("website"),
            Column("source"),
            Column("summary", key="description"),
            Column("capacity_tonnes_per_year"),
            Column("permits"),
            Column("accepts_foreign_waste"),
            Column("languages", is_list=True),
            Column("contact_route"),
            _LAST_CONFIRMED,
        ),
        clean_facility,
    ),
    "offering": Layout(
        "offering",
        "offerings",
        (
            Column("external_id", required=True),
            Column("name", required=True),
            Column("provider", required=True),
            Column("kind", required=True),
            Column("waste_categories", is_list=True),
            Column("phases", is_list=True),
            Column("technologies", is_list=True),
            Column("support_types", is_list=True),
            Column("countries_served", is_list=True),
            Column("regions_served", is_list=True),
            Column("languages", is_list=True),
            Column("website"),
            Column("source"),
            Column("summary", key="description"),
            Column("provider_country"),
            _LAST_CONFIRMED,
        ),
        clean_offering,
    ),
    "expert": Layout(
        "expert",
        "experts",
        (
            Column("external_id", required=True),
            Column("name", required=True),
            Column("organization"),
            Column("email", required=True),
            Column("country", required=True),
            Column("languages", is_list=True),
            Column("waste_categories", is_list=True),
            Column("phases", is_list=True),
            Column("support_types", is_list=True),
            Column("nap_elements", is_list=True),
            Column("countries_of_experience", is_list=True),
            Column("consent_to_publication"),
            Column("biography", model_field="description"),
            Column("website"),
            Column("source"),
            _LAST_CONFIRMED,
        ),
        clean_expert,
    ),
}


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
class ImportReport:
    kind: str
    dry_run: bool = False
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def saved(self) -> bool:
        return self.ok and not self.dry_run

    def counts(self) -> str:
        if self.dry_run:
            rows = "row" if self.created == 1 else "rows"
            return (
                f"{self.created} {rows} would be created, {self.updated} updated, "
                f"{self.unchanged} unchanged"
            )
        return f"{self.created} created, {self.updated} updated, {self.unchanged} unchanged"

    @property
    def rows_with_problems(self) -> int:
        return len({problem.row for problem in self.problems})

    def listing(self) -> str:
        return "\n".join(str(problem) for problem in self.problems)

    def __str__(self):
        return self.counts()


@dataclass
class _Row:
    number: int
    values: dict  # column name -> cell value (text, bool, or a list for list columns)


@dataclass
class _Table:
    header: list[str]
    rows: list[_Row]
    unit: str = "row"
    problems: list[Problem] = field(default_factory=list)  # cells that are not values


@dataclass
class _Planned:
    clean: CleanEntry
    existing: object | None
    confirmed_on: date | None
    outcome: str  # created, updated or unchanged


class _FileError(Exception):
    def __init__(self, problems: list[Problem]):
        super().__init__("; ".join(map(str, problems)))
        self.problems = problems


# Importing ----------------------------------------------------------------------------------


def _open(kind: str, source, file_format, dry_run: bool):
    """The file's layout, a report for it, and its rows once the file and its header are sound
    (None, with the problems in the report, when they are not)."""
    layout = LAYOUTS[kind]
    report = ImportReport(kind, dry_run=dry_run)
    try:
        table = _read(source, file_format)
        _check_header(layout, table)
    except _FileError as error:
        report.problems.extend(error.problems)
        return layout, report, None
    report.rows = len(table.rows)
    report.problems.extend(table.problems)
    return layout, report, table


def import_entries(
    kind: str,
    source: str | Path | BinaryIO,
    *,
    file_format: str | None = None,
    dry_run: bool = False,
    user=None,
    progress: Callable[[int, int], None] | None = None,
) -> ImportReport:
    """Check every row of the file, then create or update one entry per row, all in one
    transaction, or nothing at all when any row has a problem (or on a dry run). Imported entries
    are published as "imported" (not yet validated by the secretariat)."""
    layout, report, table = _open(kind, source, file_format, dry_run)
    if table is None:
        return report
    total = report.rows if dry_run else 2 * report.rows
    with transaction.atomic():
        planned = _plan(layout, table, report, lambda done: progress and progress(done, total))
        if dry_run:
            return report
        if not report.ok:
            report.created = report.updated = report.unchanged = 0
            return report
        for done, step in enumerate(planned, start=report.rows + 1):
            if step.outcome != "unchanged":
                do_save_entry(
                    kind,
                    step.clean,
                    instance=step.existing,
                    user=user,
                    review_state=ReviewState.IMPORTED,
                    published=True,
                    confirmed_on=step.confirmed_on or timezone.localdate(),
                )
            if progress:
                progress(done, total)
    return report


def _plan(layout: Layout, table: _Table, report: ImportReport, advance) -> list[_Planned]:
    """Check every row and decide what it would do, writing nothing."""
    model = registry.get(layout.kind).model
    ids = [str(row.values.get("external_id") or "").strip() for row in table.rows]
    existing = {
        entry.external_id: entry
        for entry in model.objects.filter(external_id__in=[i for i in ids if i]).prefetch_related(
            *[f.name for f in model._meta.many_to_many]
        )
    }
    absent_fields = {c.field_name for c in layout.columns if c.name not in table.header}
    first_row_of: dict[str, int] = {}
    planned = []
    for done, (row, external_id) in enumerate(zip(table.rows, ids, strict=True), start=1):
        problems = []

        def problem(column, message, row=row, problems=problems):
            problems.append(Problem(row.number, column, message, table.unit))

        if not external_id:
            problem(
                "external_id",
                "A value is required: it identifies the entry when the file is imported again",
            )
        elif external_id in first_row_of:
            problem(
                "external_id",
                f"{external_id!r} is on {table.unit} {first_row_of[external_id]} and "
                f"{table.unit} {row.number}; each external_id may appear only once",
            )
        else:
            first_row_of[external_id] = row.number
        entry = existing.get(external_id)
        clean = _clean_row(layout, row, entry, problem)
        confirmed_on = _confirmed_on(row.values.get("last_confirmed"), problem)
        if problems:
            report.problems.extend(problems)
        else:
            planned.append(_decide(clean, entry, confirmed_on, absent_fields, report))
        advance(done)
    return planned


def _clean_row(layout: Layout, row: _Row, entry, problem) -> CleanEntry | None:
    """The row checked by the rules of its kind; each problem goes to ``problem``."""
    data = {c.input_key: row.values.get(c.name) for c in layout.columns if c.input_key}
    for column in layout.columns:
        if not column.is_list and isinstance(row.values.get(column.name), list):
            problem(column.name, "A list is allowed only in list columns")
            data[column.input_key] = None
    if layout.kind == "expert" and entry is not None and not data.get("email"):
        # Exports never publish e-mail addresses; a known expert keeps theirs.
        data["email"] = entry.email
    try:
        return layout.clean(data)
    except InvalidInputError as error:
        for key, message in error.errors.items():
            problem(layout.column_for_input(key), message)
        return None


def _decide(clean, entry, confirmed_on, absent_fields, report) -> _Planned:
    if entry is None:
        report.created += 1
        return _Planned(clean, None, confirmed_on, "created")
    # A column missing from the file leaves that field of an existing entry as it is.
    clean = replace(
        clean,
        values={k: v for k, v in clean.values.items() if k not in absent_fields},
        relations={k: v for k, v in clean.relations.items() if k not in absent_fields},
    )
    changed = _differs(entry, clean) or (
        confirmed_on is not None and confirmed_on != entry.last_confirmed_at
    )
    report.updated += changed
    report.unchanged += not changed
    return _Planned(clean, entry, confirmed_on, "updated" if changed else "unchanged")


def _differs(entry, clean: CleanEntry) -> bool:
    if clean.operator_name:
        return True
    for name, value in clean.values.items():
        model_field = entry._meta.get_field(name)
        if model_field.many_to_one:
            current, value = getattr(entry, model_field.attname), value.pk if value else None
        else:
            current = getattr(entry, name)
        if current != value:
            return True
    return any(
        {item.pk for item in getattr(entry, name).all()} != {item.pk for item in related}
        for name, related in clean.relations.items()
    )


def _confirmed_on(value, problem) -> date | None:
    if value is None or value == "":
        return None
    text = str(value).strip()
    try:
        if not _DATE.match(text):
            raise ValueError(text)
        confirmed = date.fromisoformat(text)
    except ValueError:
        problem("last_confirmed", f"{text!r} is not a date written YYYY-MM-DD")
        return None
    if confirmed > timezone.localdate():
        problem("last_confirmed", f"{text} is in the future")
        return None
    return confirmed


def _check_header(layout: Layout, table: _Table) -> None:
    problems = []
    known = set(layout.names)
    seen = set()
    for name in table.header:
        if name in seen:
            problems.append(Problem(1, name, "This column appears twice"))
        seen.add(name)
        if name not in known:
            problems.append(
                Problem(
                    1,
                    name,
                    f"Unknown column for {layout.plural}; the columns are: "
                    f"{', '.join(layout.names)}",
                )
            )
    for column in layout.columns:
        if column.required and column.name not in seen:
            problems.append(Problem(1, column.name, "This required column is missing"))
    if problems:
        if table.unit == "item":
            problems = [Problem(None, p.column, p.message) for p in problems]
        raise _FileError(problems)


# Reading files ------------------------------------------------------------------------------


def _read(source, file_format: str | None) -> _Table:
    name = str(source) if isinstance(source, str | Path) else getattr(source, "name", "") or ""
    file_format = (file_format or Path(name).suffix.lstrip(".")).lower()
    if file_format not in FORMATS:
        raise _FileError(
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
            raise _FileError(
                [Problem(None, None, f"Cannot read {name}: {error.strerror}")]
            ) from None
    else:
        content = source.read()
    return {"csv": _read_csv, "xlsx": _read_xlsx, "json": _read_json}[file_format](content)


def _read_csv(content: bytes) -> _Table:
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = content[: error.start].count(b"\n") + 1
        raise _FileError(
            [Problem(line, None, "The file is not UTF-8 text; save it as 'CSV UTF-8'")]
        ) from None
    records = list(csv.reader(io.StringIO(text, newline="")))
    if not records or not any(cell.strip() for cell in records[0]):
        raise _FileError([Problem(1, None, "The first row must name the columns")])
    header = [cell.strip().lower() for cell in records[0]]
    if len(header) == 1 and (";" in header[0] or "\t" in header[0]):
        raise _FileError(
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


def _read_xlsx(content: bytes) -> _Table:
    import openpyxl  # imported here: loading it takes a while and only XLSX needs it

    try:
        workbook = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError):
        raise _FileError([Problem(None, None, "The file is not an XLSX workbook")]) from None
    try:
        rows = workbook.worksheets[0].iter_rows(min_row=1, values_only=True)
        header_cells = list(next(rows, ()))
        while header_cells and header_cells[-1] in (None, ""):
            header_cells.pop()
        if not header_cells:
            raise _FileError([Problem(1, None, "The first row must name the columns")])
        header = [str(cell or "").strip().lower() for cell in header_cells]
        return _table(header, enumerate(rows, start=2), unescape=False)
    finally:
        workbook.close()


def _read_json(content: bytes) -> _Table:
    try:
        items = json.loads(content.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise _FileError([Problem(None, None, f"The file is not valid JSON: {error}")]) from None
    if not isinstance(items, list):
        raise _FileError([Problem(None, None, "The file must hold a list of objects")])
    header: dict[str, None] = {}
    table = _Table([], [], unit="item")
    for number, item in enumerate(items, start=1):
        if not isinstance(item, dict):
            table.problems.append(Problem(number, None, "Each item must be an object", "item"))
            continue
        values = {}
        for key, value in item.items():
            name = str(key).strip().lower()
            header[name] = None
            values[name] = _cell(value, name, number, table.problems, unit="item")
        table.rows.append(_Row(number, values))
    table.header = list(header)
    return table


def _table(header: list[str], records, *, unescape: bool) -> _Table:
    """Rows of cells under the header; blank rows are skipped but keep their numbers."""
    unnamed = [position for position, name in enumerate(header, start=1) if not name]
    if unnamed:
        raise _FileError(
            [Problem(1, None, f"Column {position} has no name") for position in unnamed]
        )
    table = _Table(header, [])
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
        table.rows.append(_Row(number, values))
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
    if isinstance(value, int | str):
        return str(value).strip()
    if isinstance(value, list):
        if all(
            isinstance(item, str | int | float) and not isinstance(item, bool) for item in value
        ):
            return [str(item).strip() for item in value]
        problems.append(Problem(number, column, "A list may hold only texts or numbers", unit))
        return None
    problems.append(Problem(number, column, f"A {type(value).__name__} is not allowed here", unit))
    return None


# Submitting a spreadsheet for review (the partners' bulk upload on the web) -----------------


def submit_entries(
    kind: str,
    source: str | Path | BinaryIO,
    *,
    user,
    file_format: str | None = None,
    dry_run: bool = False,
) -> ImportReport:
    """Check every row as import_entries does, then make each one an entry submitted for the
    secretariat's review, never published: a new ``external_id`` becomes a draft that is
    submitted at once; a known one, which the user must be able to edit, is edited from its
    latest version and submitted. Rows must name an organization the user edits. All rows or
    none: a dry run does the same work and rolls it back, so it reports every problem that
    saving would meet."""
    layout, report, table = _open(kind, source, file_format, dry_run)
    if table is None:
        return report
    with transaction.atomic():
        _plan(layout, table, report, lambda done: None)
        report.created = report.updated = report.unchanged = 0
        checked = {problem.row for problem in report.problems}
        for row in table.rows:
            if row.number not in checked:
                _submit_row(layout, table, row, user, report)
        if not report.ok:
            report.created = report.updated = report.unchanged = 0
        if dry_run or not report.ok:
            transaction.set_rollback(True)
    return report


def _submit_row(layout: Layout, table: _Table, row: _Row, user, report: ImportReport) -> None:
    # Imported here, as the command-line importer needs none of them.
    from django.core.exceptions import PermissionDenied
    from django.db.models import Q

    from mercuryhub.accounts.queries import organizations_editable_by
    from mercuryhub.review.queries import can_edit_entry

    def problem(column, message):
        report.problems.append(Problem(row.number, column, message, table.unit))

    kind = layout.kind
    problems_before = len(report.problems)
    data = {
        column.input_key: row.values.get(column.name)
        for column in layout.columns
        if column.input_key and column.name in table.header
    }
    organization_field = registry.get(kind).organization_field
    named = str(data.get(organization_field) or "").strip()
    if not named:
        # Only a person can nominate themself as an expert without an organization.
        problem(organization_field, "Name the organization this entry belongs to")
    elif not organizations_editable_by(user).filter(Q(slug=named) | Q(name__iexact=named)).exists():
        problem(
            organization_field,
            f"You are not an editor of {named!r}; only its editors can submit its entries "
            "(an organization new to MercuryHub must be registered first)",
        )
    external_id = str(data.get("external_id") or "").strip()
    existing = registry.get(kind).model.objects.filter(external_id=external_id).first()
    if existing is not None and not can_edit_entry(user, existing):
        problem("external_id", f"{external_id!r} is already used by an entry you cannot edit")
    if len(report.problems) > problems_before:
        return
    try:
        if existing is None:
            entry = review_actions.do_create_draft(kind, user, data)
            report.created += 1
        else:
            entry = review_actions.do_edit_entry(
                kind, user, existing, data, base_version=existing.version
            )
            if entry.review_state not in {ReviewState.DRAFT, ReviewState.RETURNED}:
                report.unchanged += 1  # nothing new, and already published or waiting
                return
            report.updated += 1
        review_actions.do_submit_entry(kind, user, entry)
    except InvalidInputError as error:
        for key, message in error.errors.items():
            problem(layout.column_for_input(key), message)
    except (PermissionDenied, review_errors.WorkflowError, review_errors.ConflictError) as error:
        problem(None, str(error))
