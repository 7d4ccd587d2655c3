"""An inventory's lines imported from a spreadsheet: the sheet "Lines" of the template or of an
inventory's export (``workbook``), or a CSV file of its columns. The file is read and its rows
kept with their numbers by ``library.spreadsheet_imports``; a row is turned into a line as
``fields.clean_line`` reads it (a factor equal to its set's is the set's, cited; another one is
national), and the lines go to ``actions.do_import_lines``: one version, all or none, refused
when someone saved since the version the person started from. A dry run shows what would
change (lines added, changed, removed) or each problem with its sheet, row and column."""

from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext as _

from mercuryhub.inventory import actions
from mercuryhub.inventory.calculation import FactorTable, Range, calculate
from mercuryhub.inventory.fields import MAX_LINES, parse_decimal
from mercuryhub.inventory.queries import factor_table
from mercuryhub.inventory.vocabulary import categories, pathway_codes
from mercuryhub.inventory.workbook import INFORMATIVE, LINES_SHEET, NATIONAL, line_columns
from mercuryhub.library.spreadsheet_imports import (
    ImportProblem,
    Origins,
    SheetRow,
    problems_of,
    read_spreadsheet,
    refuse,
    sheet_rows,
)

_SHEET = LINES_SHEET.lower()
# A row with nothing but these is a source category the country does not have (the template
# has a row for each, its unit filled in).
_NOT_DATA = (*INFORMATIVE, "category", "activity_unit")
_REQUIRED = ("category", "activity")


@dataclass
class LineRows:
    """The rows of the lines sheet that hold a line; the numbers of those left out (a source
    category without data); the problems of the sheet itself, and the rows that repeat a source
    category (left out too, so that the other rows are still checked)."""

    rows: list[SheetRow] = field(default_factory=list)
    left_out: list[int] = field(default_factory=list)
    problems: list[ImportProblem] = field(default_factory=list)
    repeated: list[ImportProblem] = field(default_factory=list)


def read_line_rows(file, *, name: str, size: int) -> LineRows:
    """The lines of an uploaded file; InvalidInputError on ``file`` for a file that cannot be
    read at all."""
    tables = read_spreadsheet(file, name=name, size=size, sheets=[_SHEET], csv_sheet=_csv_sheet)
    if _SHEET not in tables:
        refuse(
            _(
                "The file has no sheet named “Lines”: start from the template or from an "
                "inventory's export, which have it."
            )
        )
    table, found = tables[_SHEET], LineRows()
    missing = [name for name in _REQUIRED if name not in table.header]
    if missing and table.header:
        found.problems.append(
            ImportProblem(
                LINES_SHEET,
                1,
                None,
                _("The sheet has no column %(columns)s; the columns are: %(known)s")
                % {"columns": ", ".join(missing), "known": ", ".join(line_columns())},
            )
        )
    rows = sheet_rows(
        LINES_SHEET, table, line_columns(), max_rows=MAX_LINES, problems=found.problems
    )
    seen: dict[str, int] = {}
    for row in rows:
        if not any(
            value not in (None, "") for k, value in row.values.items() if k not in _NOT_DATA
        ):
            found.left_out.append(row.number)
            continue
        code = str(row.values.get("category") or "").strip()
        if code in seen:
            found.repeated.append(
                ImportProblem(
                    LINES_SHEET,
                    row.number,
                    "category",
                    _("%(category)s is already on row %(row)s: a source category has one line")
                    % {"category": code, "row": seen[code]},
                )
            )
            continue
        if code:
            seen[code] = row.number
        found.rows.append(row)
    return found


def _csv_sheet(table) -> str:
    if "category" not in table.header:
        refuse(
            _(
                "A CSV file holds the lines, its first row naming the columns of the template "
                "(category, activity, activity_unit…). This one has no column category."
            )
        )
    return _SHEET


# -- a row as a line --------------------------------------------------------------------------


def _decimal(value) -> Decimal | None:
    number, problem = parse_decimal(value, places=9, largest=Decimal("1e18"))
    return None if problem else number


def _text(values: dict, name: str) -> str:
    value = values.get(name)
    return "" if value is None else str(value).strip()


def _is_the_sets_input(values: dict, cited) -> bool:
    """Whether the row's input factor is its factor set's (then the line cites it)."""
    if cited is None or _text(values, "input_origin").lower() == NATIONAL:
        return False
    low, high = _decimal(values.get("input_low")), _decimal(values.get("input_high"))
    return (
        low == cited.low
        and (high if high is not None else low) == cited.high
        and _text(values, "input_unit") in ("", cited.unit)
    )


def _is_the_sets_distribution(shares: dict, values: dict, cited) -> bool:
    if cited is None or not cited.distribution:
        return False
    if _text(values, "distribution_origin").lower() == NATIONAL:
        return False
    return all(
        _decimal(shares.get(code) or "0") == Decimal(str(cited.distribution.get(code, "0")))
        for code in pathway_codes()
    )


def line_of(values: dict, table: FactorTable) -> dict:
    """A row of the lines sheet as ``fields.clean_line`` reads a line: the input factor and the
    shares are national unless they are those of the row's factor set."""
    line = {
        name: _text(values, name)
        for name in ("category", "activity_unit", "factor_set", "justification", "note")
    }
    line["activity"] = values.get("activity")
    cited = table.get((line["factor_set"], line["category"]))
    given = [values.get(name) for name in ("input_low", "input_high", "input_unit")]
    if any(value not in (None, "") for value in given) and not _is_the_sets_input(values, cited):
        line.update(input_low=given[0], input_high=given[1], input_unit=_text(values, "input_unit"))
    shares = {
        code: values.get(code) for code in pathway_codes() if values.get(code) not in (None, "")
    }
    sets_shares = _is_the_sets_distribution(shares, values, cited)
    line["distribution"] = {} if sets_shares else shares
    return line


# -- the import and what it changes ------------------------------------------------------------


@dataclass(frozen=True)
class LineChange:
    """A source category the import adds, changes or removes; ``fields``: (column, before,
    after) for a change; ``row``: the file's row (None for a line removed)."""

    category: str
    label: str
    what: str
    row: int | None
    fields: tuple = ()


@dataclass
class LinesReport:
    rows: LineRows
    mode: str
    problems: list[ImportProblem]
    changes: list[LineChange] = field(default_factory=list)
    unchanged: int = 0
    total_before: Range | None = None
    total_after: Range | None = None
    saved: bool = False

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def changes_anything(self) -> bool:
        return bool(self.changes)

    def count(self, what: str) -> int:
        return sum(1 for change in self.changes if change.what == what)

    @property
    def added(self) -> int:
        return self.count("added")

    @property
    def changed(self) -> int:
        return self.count("changed")

    @property
    def removed(self) -> int:
        return self.count("removed")


def _flat(line: dict) -> dict:
    """A line's values by the column of the sheet that holds them."""
    flat = {name: value for name, value in line.items() if name != "distribution"}
    shares = line.get("distribution") or {}
    flat.update({code: shares.get(code) for code in pathway_codes()})
    return {name: value for name, value in flat.items() if value not in (None, "")}


def changes_between(before: list[dict], after: list[dict], rows: dict[str, int]):
    """What the import changes, line by line in the order of the lines after it (then those
    removed), and how many lines it leaves as they were."""
    known, old = categories(), {line["category"]: line for line in before}
    changes, unchanged = [], 0

    def label(code):
        return known[code].local_label if code in known else code

    for line in after:
        code, previous = line["category"], old.get(line["category"])
        if previous is None:
            changes.append(LineChange(code, label(code), "added", rows.get(code)))
            continue
        was, now = _flat(previous), _flat(line)
        fields = tuple(
            (name, was.get(name, ""), now.get(name, ""))
            for name in line_columns()
            if was.get(name, "") != now.get(name, "")
        )
        if fields:
            changes.append(LineChange(code, label(code), "changed", rows.get(code), fields))
        else:
            unchanged += 1
    now = {line["category"] for line in after}
    changes += [
        LineChange(line["category"], label(line["category"]), "removed", None)
        for line in before
        if line["category"] not in now
    ]
    return changes, unchanged


def _in_order(problems: list[ImportProblem]) -> list[ImportProblem]:
    return sorted(problems, key=lambda p: (p.sheet or "", p.row or 0, p.column or ""))


def _column_of(name: str) -> str | None:
    if name.startswith("distribution."):
        return name.removeprefix("distribution.")
    return name if name in line_columns() else None


def import_lines(user, inventory, rows: LineRows, *, mode: str, base_version: int, dry_run: bool):
    """Import ``rows`` into the inventory (or only try, ``dry_run``): a LinesReport. A change
    saved since ``base_version`` raises ConflictError. Rows repeating a source category are
    problems, but the other rows are still checked, so that every problem shows at once."""
    report = LinesReport(rows, mode, [*rows.problems, *rows.repeated])
    if rows.problems:
        return report
    table = factor_table()
    incoming = [line_of(row.values, table) for row in rows.rows]
    try:
        imported = actions.do_import_lines(
            user,
            inventory,
            incoming,
            mode=mode,
            base_version=base_version,
            dry_run=dry_run or bool(rows.repeated),
        )
    except actions.LinesImportError as error:
        numbers = [None if index is None else rows.rows[index].number for index in error.sources]
        found = problems_of(
            error.errors,
            {"lines": Origins(LINES_SHEET, numbers)},
            kept=_("line %(number)s the inventory already has"),
            column_of=_column_of,
        )
        report.problems = _in_order([*rows.repeated, *found])
        return report
    if rows.repeated:
        return report
    numbers = {line["category"]: row.number for line, row in zip(incoming, rows.rows, strict=True)}
    report.changes, report.unchanged = changes_between(imported.before, imported.after, numbers)
    report.total_before = calculate({"lines": imported.before}, table).total
    report.total_after = calculate({"lines": imported.after}, table).total
    report.saved = not dry_run
    return report
