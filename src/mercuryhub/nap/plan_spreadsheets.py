"""An existing plan's objectives and actions read from a spreadsheet, as a country team has them
in the Word or Excel files of its NAP: an XLSX workbook with a sheet "objectives" and a sheet
"actions" (the template's columns; a sheet left out leaves that part of the plan as it is), or a
CSV file holding one of the two tables, known by its columns.

The file is checked from its content (``library.documents.check_file``: a disguised, corrupt,
encrypted or oversized file is refused), read by the catalogue's readers, and its rows go to
``actions.do_import_plan_rows``: one version of the plan through the review layer, every row or
none. Each problem names the sheet, the row as a spreadsheet program numbers it and the column:
the checks name a field by its place in the plan (``actions.3.end``), mapped back here."""

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from mercuryhub.lib.errors import InvalidInputError
from mercuryhub.lib.xlsx import stream_xlsx
from mercuryhub.library.spreadsheet_imports import (
    ImportProblem,
    Origins,
    SheetRow,
    problems_of,
    read_spreadsheet,
    refuse,
    sheet_rows,
)
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


def read_plan_rows(file, *, name: str, size: int) -> PlanRows:
    """The objectives and actions of an uploaded file; InvalidInputError on ``file`` for a
    file that cannot be read at all."""
    tables = read_spreadsheet(file, name=name, size=size, sheets=COLUMNS, csv_sheet=_csv_part)
    found = PlanRows()
    for part in (OBJECTIVES, ACTIONS):
        if part in tables:
            found.parts[part] = sheet_rows(
                part,
                tables[part],
                COLUMNS[part],
                max_rows=fields.MAX_ROWS[part],
                problems=found.problems,
            )
    if not found.parts:
        refuse(
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
    refuse(
        _(
            "A CSV file holds one table: objectives (with an “indicator” column) or actions "
            "(with an “activity” column). This one has neither."
        )
    )


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
        origins = {
            part: Origins(part, [None] * offsets.get(part, 0) + [row.number for row in found])
            for part, found in rows.parts.items()
        }
        kept = _("row %(number)s the plan already has")
        report.problems = problems_of(error.errors, origins, kept=kept)
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
