"""An existing plan's objectives and actions read from a spreadsheet, as a country team has them
in the Word or Excel files of its NAP: an XLSX workbook with a sheet "objectives" and a sheet
"actions" (the template's columns; a sheet left out leaves that part of the plan as it is), or a
CSV file holding one of the two tables, known by its columns.

The file is checked from its content (``library.documents.check_file``: a disguised, corrupt,
encrypted or oversized file is refused), read by the catalogue's readers, and its rows go to
``actions.do_import_plan_rows``: one version of the plan through the review layer, every row or
none. Each problem names the sheet, the row as a spreadsheet program numbers it and the column:
the checks name a field by its place in the plan (``actions.3.end``), mapped back here."""

import io
from dataclasses import dataclass, field
from pathlib import PurePath

from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from mercuryhub.catalogue.spreadsheets.reading import FileError, read_table, read_xlsx_sheets
from mercuryhub.catalogue.upload_forms import MAX_UPLOAD_BYTES
from mercuryhub.lib.errors import InvalidInputError
from mercuryhub.lib.xlsx import stream_xlsx
from mercuryhub.library.documents import TEXT, XLSX, check_file
from mercuryhub.nap import actions, fields
from mercuryhub.review.queries import latest_data
from mercuryhub.taxonomy.queries import terms_of

OBJECTIVES, ACTIONS = "objectives", "actions"
COLUMNS = {
    OBJECTIVES: ["element", "indicator", "baseline", "target", "year"],
    ACTIONS: [
        "element",
        "activity",
        "responsible_body",
        "partners",
        "start",
        "end",
        "budget",
        "currency",
        "funding_source",
        "worst_practices",
    ],
}
# What tells a CSV's table: a column only that table has.
_MARKS = {OBJECTIVES: "indicator", ACTIONS: "activity"}
EXAMPLES = {
    OBJECTIVES: ["a", "Mercury used in ASGM (tonnes a year)", "45", "20", 2031],
    ACTIONS: [
        "b",
        "Train miners in concentration without mercury",
        "Minerals Commission",
        "Ministry of Environment; UNIDO",
        "2027-01-01",
        "2028-12-31",
        50000,
        "USD",
        "GEF planetGOLD",
        "whole-ore-amalgamation; open-burning",
    ],
}
REPLACE, APPEND = "replace", "append"


@dataclass(frozen=True)
class SheetRow:
    number: int  # as a spreadsheet program numbers it: the header is row 1
    values: dict


@dataclass(frozen=True)
class ImportProblem:
    sheet: str | None
    row: int | None
    column: str | None
    message: str

    def __str__(self):
        where = " ".join(str(part) for part in (self.sheet, self.row and f"row {self.row}") if part)
        if self.column:
            where = f"{where}, {self.column}" if where else self.column
        return f"{where}: {self.message}" if where else self.message


@dataclass
class PlanRows:
    """The tables a file gives, by part (objectives, actions); a part it does not give is not
    in ``parts``."""

    parts: dict[str, list[SheetRow]] = field(default_factory=dict)
    problems: list[ImportProblem] = field(default_factory=list)


@dataclass
class ImportReport:
    rows: PlanRows
    mode: str
    problems: list[ImportProblem]
    data: dict | None = None  # the plan's content after the import (a dry run's too)
    saved: bool = False

    @property
    def ok(self) -> bool:
        return not self.problems

    def count(self, part: str) -> int:
        return len(self.rows.parts.get(part, []))

    def imported(self, part: str) -> list[dict]:
        """The rows of ``part`` the file brings, as the plan holds them after the import."""
        count = self.count(part)
        return (self.data or {}).get(part, [])[-count:] if count else []

    @property
    def gives_objectives(self) -> bool:
        return OBJECTIVES in self.rows.parts

    @property
    def gives_actions(self) -> bool:
        return ACTIONS in self.rows.parts

    @property
    def objectives(self) -> list[dict]:
        return self.imported(OBJECTIVES)

    @property
    def actions(self) -> list[dict]:
        return self.imported(ACTIONS)


def _refuse(message: str):
    raise InvalidInputError({"file": message})


def read_plan_rows(file, *, name: str, size: int) -> PlanRows:
    """The objectives and actions of an uploaded file; InvalidInputError on ``file`` for a
    file that cannot be read at all."""
    suffix = PurePath(name).suffix.lower()
    if suffix not in (".xlsx", ".csv"):
        _refuse(_("Upload an .xlsx or .csv file; this one is “%(name)s”.") % {"name": name})
    if size > MAX_UPLOAD_BYTES:
        _refuse(
            _("This file is %(size)s; the largest spreadsheet accepted is %(limit)s.")
            % {"size": filesizeformat(size), "limit": filesizeformat(MAX_UPLOAD_BYTES)}
        )
    checked = check_file(file, name=name, size=size)
    if checked.file_type not in (XLSX, TEXT):
        _refuse(_("This file is not a spreadsheet: upload an .xlsx or .csv file."))
    content = file.read()
    try:
        if checked.file_type == XLSX:
            tables = {
                title.strip().lower(): table for title, table in read_xlsx_sheets(content).items()
            }
        else:
            tables = {_csv_part(table): table for table in [read_table(io.BytesIO(content), "csv")]}
    except FileError as error:
        _refuse(" ".join(str(problem) for problem in error.problems))
    found = PlanRows()
    for part in (OBJECTIVES, ACTIONS):
        if part in tables:
            _read_part(part, tables[part], found)
    if not found.parts:
        _refuse(
            _(
                "The file has no sheet named “objectives” or “actions”: start from the "
                "template, which has them."
            )
        )
    return found


def _csv_part(table) -> str:
    for part, mark in _MARKS.items():
        if mark in table.header:
            return part
    _refuse(
        _(
            "A CSV file holds one table: objectives (with an “indicator” column) or actions "
            "(with an “activity” column). This one has neither."
        )
    )


def _read_part(part: str, table, found: PlanRows) -> None:
    known = COLUMNS[part]
    for column in table.header:
        if column not in known:
            found.problems.append(
                ImportProblem(
                    part,
                    1,
                    column,
                    _("Unknown column; the columns are: %(columns)s")
                    % {"columns": ", ".join(known)},
                )
            )
    for problem in table.problems:
        found.problems.append(ImportProblem(part, problem.row, problem.column, problem.message))
    if len(table.rows) > fields.MAX_ROWS[part]:
        found.problems.append(
            ImportProblem(
                part,
                None,
                None,
                _("At most %(limit)s rows (this sheet has %(count)s)")
                % {"limit": fields.MAX_ROWS[part], "count": len(table.rows)},
            )
        )
    found.parts[part] = [
        SheetRow(row.number, {name: value for name, value in row.values.items() if name in known})
        for row in table.rows
    ]


def problems_of(error: InvalidInputError, rows: PlanRows, offsets: dict[str, int]) -> list:
    """The checks' errors (``actions.3.end``) as problems naming the sheet, row and column;
    ``offsets``: the rows of each part the plan keeps before the imported ones (appending)."""
    problems = []
    for key, message in error.errors.items():
        part, _dot, rest = str(key).partition(".")
        position, _dot, column = rest.partition(".")
        if part not in rows.parts or not position.isdigit():
            problems.append(ImportProblem(part if part in COLUMNS else None, None, None, message))
            continue
        index = int(position) - offsets.get(part, 0) - 1
        if index < 0:
            kept = _("row %(number)s the plan already has") % {"number": position}
            problems.append(ImportProblem(part, None, column or None, f"{kept}: {message}"))
            continue
        number = rows.parts[part][index].number
        problems.append(ImportProblem(part, number, column or None, message))
    return sorted(problems, key=lambda p: (p.sheet or "", p.row or 0, p.column or ""))


def import_plan_rows(user, plan, rows: PlanRows, *, mode: str, base_version: int, dry_run: bool):
    """Import ``rows`` into the plan (or only try, ``dry_run``); an ImportReport."""
    report = ImportReport(rows, mode, list(rows.problems))
    if report.problems:
        return report
    parts = {part: [row.values for row in found] for part, found in rows.parts.items()}
    offsets = {}
    if mode == APPEND:
        current = latest_data(actions.KIND_NAME, plan)
        offsets = {part: len(current.get(part) or []) for part in parts}
    try:
        report.data = actions.do_import_plan_rows(
            user, plan, parts, mode=mode, base_version=base_version, dry_run=dry_run
        )
    except InvalidInputError as error:
        report.problems = problems_of(error, rows, offsets)
        return report
    report.saved = not dry_run
    return report


def template_xlsx():
    """The template's bytes: a sheet per table with its columns and an example row, and the
    codes the columns take in a third sheet."""
    codes = [["element", term.code, term.localized_label] for term in terms_of("nap_elements")]
    codes += [
        ["worst_practices", term.code, term.localized_label] for term in terms_of("worst_practices")
    ]
    codes += [
        ["currency", "USD, EUR, XOF, GHS…", _("An ISO 4217 currency code")],
        ["start, end", "2027-03-31", _("A date, year-month-day")],
        ["year", "2031", _("The target's year")],
        ["worst_practices", "open-burning; residential-burning", _("Several codes, with ;")],
    ]
    return stream_xlsx(
        [
            (OBJECTIVES, COLUMNS[OBJECTIVES], [EXAMPLES[OBJECTIVES]]),
            (ACTIONS, COLUMNS[ACTIONS], [EXAMPLES[ACTIONS]]),
            ("codes", ["column", "code", "meaning"], codes),
        ],
        title=_("National Action Plan: objectives and actions"),
    )
