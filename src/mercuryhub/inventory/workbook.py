"""An inventory as a workbook laid out as the UNEP Toolkit's Inventory Level 1 spreadsheets are:
a sheet for the inventory (country, year, population, factor sets, state and version), one for
its lines (a row per source category: activity, unit, the input factor the line uses with its
origin, the output distribution per pathway with its origin, the justification), the results
(kilograms of mercury a year, low and high, per source category and pathway, per waste category,
totals), the figures to check, the lists the line columns take, and a sheet to read first. The
blank template has the same lines sheet, with a row per source category to fill in.

The lines sheet is also what the import reads (``sheet_import``): its columns are codes, the
same in every language; every other sheet is written in the reader's language. Numbers are
numbers, texts never formulas; the columns that take a code offer the list of codes."""

import io
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _

from mercuryhub.inventory.calculation import FactorTable, Range
from mercuryhub.inventory.fields import MAX_LINES, plain
from mercuryhub.inventory.vocabulary import (
    activity_units,
    categories,
    groups,
    mercury_units,
    pathway_codes,
    pathways,
    units_of,
)
from mercuryhub.lib.streams import csv_lines

INVENTORY_SHEET, LINES_SHEET, RESULTS_SHEET, FLAGS_SHEET = "Inventory", "Lines", "Results", "Flags"
LISTS_SHEET, READ_ME_SHEET = "Lists", "Read me"
NATIONAL = "national"
# Columns the import reads past: they help the reader and are written again on export.
INFORMATIVE = ("group", "category_label")
MAX_WIDTH = 60


def line_columns() -> list[str]:
    return [
        "group",
        "category",
        "category_label",
        "activity",
        "activity_unit",
        "factor_set",
        "input_low",
        "input_high",
        "input_unit",
        "input_origin",
        *pathway_codes(),
        "distribution_origin",
        "justification",
        "note",
    ]


def column_help() -> dict[str, str]:
    """What each column of the lines sheet holds, in the reader's language."""
    return {
        "group": _("The Toolkit's group of the source category (not read on import)"),
        "category": _("The source category's code (see the sheet Lists)"),
        "category_label": _("The source category's name (not read on import)"),
        "activity": _("The activity in the year: how much of it the country had (0 for none)"),
        "activity_unit": _("The unit of the activity (see the sheet Lists)"),
        "factor_set": _("The factor set whose factor the line cites; empty for a national factor"),
        "input_low": _("Input factor, low end: mercury per unit of activity"),
        "input_high": _("Input factor, high end (empty: the same as the low end)"),
        "input_unit": _("The unit of the input factor, mercury per unit of activity: g/t"),
        "input_origin": _(
            "national, or the factor set the input factor comes from; a factor other than the "
            "set's is national"
        ),
        **{
            pathway.code: _("Share of the mercury input leaving to: %(pathway)s (0 to 1)")
            % {"pathway": pathway.local_label}
            for pathway in pathways()
        },
        "distribution_origin": _(
            "national, or the factor set the shares come from; shares other than the set's are "
            "national"
        ),
        "justification": _("Where the national factor or shares come from"),
        "note": _("A note on the line"),
    }


# -- the lines ----------------------------------------------------------------------------------


def _number(value) -> Decimal | None:
    return None if value in (None, "") else Decimal(str(value))


def line_values(line: dict, table: FactorTable) -> dict:
    """A stored line as the lines sheet shows it: the input factor and the distribution the line
    uses (its national ones, else its factor set's), each with its origin."""
    category = categories().get(line["category"])
    cited = table.get((line.get("factor_set") or "", line["category"]))
    national_input = line.get("input_low") not in (None, "")
    if national_input:
        low, high, unit = line["input_low"], line.get("input_high"), line.get("input_unit")
    elif cited:
        low, high, unit = cited.low, cited.high, cited.unit
    else:
        low = high = unit = None
    shares = line.get("distribution") or (cited.distribution if cited else {})
    return {
        "group": groups()[category.group].local_label if category else "",
        "category": line["category"],
        "category_label": category.local_label if category else "",
        "activity": _number(line.get("activity")),
        "activity_unit": line.get("activity_unit") or "",
        "factor_set": line.get("factor_set") or "",
        "input_low": _number(low),
        "input_high": _number(high),
        "input_unit": unit or "",
        "input_origin": NATIONAL if national_input else (cited.factor_set if cited else ""),
        **{code: _number(shares.get(code)) for code in pathway_codes()},
        "distribution_origin": (
            NATIONAL if line.get("distribution") else (cited.factor_set if shares else "")
        ),
        "justification": line.get("justification") or "",
        "note": line.get("note") or "",
    }


def line_rows(lines: list[dict], table: FactorTable) -> list[list]:
    columns = line_columns()
    return [[line_values(line, table)[name] for name in columns] for line in lines]


def lines_csv(lines: list[dict], table: FactorTable):
    """The lines as CSV, in the lines sheet's columns (the import takes it back)."""
    rows = [
        [plain(value) if isinstance(value, Decimal) else value for value in row]
        for row in line_rows(lines, table)
    ]
    return csv_lines(line_columns(), rows)


# -- writing cells -------------------------------------------------------------------------------


def _put(sheet, row: int, column: int, value, *, bold=False):
    """A cell: a number as a number, a text as a text (never a formula)."""
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
    from openpyxl.styles import Alignment, Font

    if isinstance(value, str):
        value = ILLEGAL_CHARACTERS_RE.sub("", value)
    cell = sheet.cell(row=row, column=column, value=value)
    if isinstance(value, str):
        cell.data_type = "s"
        if "\n" in value:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    if bold:
        cell.font = Font(bold=True)
    return cell


def _table(sheet, top: int, header: list[str], rows: list[list], *, filters=False) -> int:
    """A header in bold and its rows from row ``top``; the next free row."""
    for column, name in enumerate(header, start=1):
        _put(sheet, top, column, name, bold=True)
    for number, values in enumerate(rows, start=top + 1):
        for column, value in enumerate(values, start=1):
            _put(sheet, number, column, value)
    if filters and header:
        from openpyxl.utils import get_column_letter

        sheet.auto_filter.ref = f"A{top}:{get_column_letter(len(header))}{top + len(rows)}"
    return top + len(rows) + 1


def _fit_columns(sheet) -> None:
    from openpyxl.utils import get_column_letter

    widths: dict[int, int] = {}
    for row in sheet.iter_rows():
        for cell in row:
            if cell.value is not None:
                longest = max(len(part) for part in str(cell.value).split("\n"))
                widths[cell.column] = max(widths.get(cell.column, 0), longest)
    for column, width in widths.items():
        sheet.column_dimensions[get_column_letter(column)].width = min(width + 2, MAX_WIDTH)


def _new_workbook(title: str):
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.remove(workbook.active)
    workbook.properties.title = title
    workbook.properties.creator = "MercuryHub"
    return workbook


def _saved(workbook) -> bytes:
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


# -- the lines sheet and its lists -------------------------------------------------------------


def _lists_sheet(workbook, table: FactorTable) -> dict[str, str]:
    """The codes the line columns take, a list per column; the ranges the lines sheet's
    validations point at, by column."""
    sheet = workbook.create_sheet(LISTS_SHEET)
    known = categories()
    set_codes = sorted({code for code, _category in table})
    lists = {
        "category": [
            [code, c.local_label, groups()[c.group].local_label] for code, c in known.items()
        ],
        "activity_unit": [[code, unit.local_label] for code, unit in activity_units().items()],
        "input_unit": [
            [f"{hg}/{unit.code}"] for unit in activity_units().values() for hg in mercury_units()
        ],
        "factor_set": [[code] for code in set_codes],
        "input_origin": [[code] for code in [NATIONAL, *set_codes]],
    }
    # Each list under the name of the column it serves, with labels in the reader's language.
    headers = {
        "category": ["category", _("Source category"), _("Group")],
        "activity_unit": ["activity_unit", _("Unit")],
        "input_unit": ["input_unit"],
        "factor_set": ["factor_set"],
        "input_origin": ["input_origin, distribution_origin"],
    }
    from openpyxl.utils import get_column_letter

    ranges, column = {}, 1
    for name, rows in lists.items():
        for offset, label in enumerate(headers[name]):
            _put(sheet, 1, column + offset, label, bold=True)
        for number, values in enumerate(rows, start=2):
            for offset, value in enumerate(values):
                _put(sheet, number, column + offset, value)
        letter = get_column_letter(column)
        ranges[name] = f"{LISTS_SHEET}!${letter}$2:${letter}${max(len(rows), 1) + 1}"
        column += len(headers[name]) + 1
    ranges["distribution_origin"] = ranges["input_origin"]
    sheet.freeze_panes = "A2"
    _fit_columns(sheet)
    return ranges


def _lines_sheet(workbook, rows: list[list], ranges: dict[str, str]) -> None:
    from openpyxl.comments import Comment
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    sheet = workbook.create_sheet(LINES_SHEET)
    columns = line_columns()
    _table(sheet, 1, columns, rows, filters=True)
    helps = column_help()
    for number, name in enumerate(columns, start=1):
        sheet.cell(row=1, column=number).comment = Comment(helps[name], "MercuryHub")
    sheet.freeze_panes = "D2"
    last = max(MAX_LINES, len(rows)) + 1
    for name, formula in ranges.items():
        letter = get_column_letter(columns.index(name) + 1)
        check = DataValidation(type="list", formula1=formula, allow_blank=True)
        check.error = _("Choose a code from the list (the sheet Lists).")
        check.errorTitle = name
        check.showErrorMessage = True
        check.add(f"{letter}2:{letter}{last}")
        sheet.add_data_validation(check)
    numbers = [("activity", None), ("input_low", None), ("input_high", None)]
    numbers += [(code, 1) for code in pathway_codes()]
    for name, most in numbers:
        letter = get_column_letter(columns.index(name) + 1)
        check = DataValidation(
            type="decimal",
            operator="greaterThanOrEqual" if most is None else "between",
            formula1="0",
            formula2=None if most is None else str(most),
            allow_blank=True,
        )
        check.error = (
            _("Give a number of zero or more.")
            if most is None
            else _("Give a share from 0 to 1 (0.25 for a quarter).")
        )
        check.errorTitle = name
        check.showErrorMessage = True
        check.add(f"{letter}2:{letter}{last}")
        sheet.add_data_validation(check)
    _fit_columns(sheet)
    for name in ("justification", "note"):
        sheet.column_dimensions[get_column_letter(columns.index(name) + 1)].width = MAX_WIDTH


def _read_me_sheet(workbook, *, position: int | None = None) -> None:
    sheet = workbook.create_sheet(READ_ME_SHEET, position)
    texts = [
        _("Mercury waste inventory: the lines, as the UNEP Toolkit's Level 1 spreadsheets"),
        "",
        _(
            "The sheet Lines has a row per source category the country has: its activity in the "
            "year and the input factor and output distribution the line uses."
        ),
        _(
            "A line cites a factor set the platform holds (give its code in factor_set and leave "
            "the factor and shares as they are), or has a national factor and shares, with their "
            "justification."
        ),
        _(
            "A row without an activity, a factor, shares or a note is a source category the "
            "country does not have: the import leaves it out."
        ),
        _(
            "Upload the sheet on the inventory's editing page: you see what would change, or each "
            "problem with its sheet, row and column, before anything is saved."
        ),
        _("Units of activity: %(units)s. Source categories and their units are in the sheet Lists.")
        % {"units": ", ".join(activity_units())},
        "",
    ]
    for number, text in enumerate(texts, start=1):
        _put(sheet, number, 1, text, bold=number == 1)
    helps = column_help()
    top = len(texts) + 1
    _table(sheet, top, [_("Column"), _("What it holds")], [[n, helps[n]] for n in line_columns()])
    sheet.column_dimensions["A"].width = 24
    sheet.column_dimensions["B"].width = 100


# -- the inventory's workbook --------------------------------------------------------------------


def state_label(state: str) -> str:
    """The state as the pages name it (``inventory/_state.html``)."""
    return {
        "draft": _("Draft"),
        "submitted": _("Submitted for review"),
        "changed": _("Published, with changes under review"),
    }.get(state, _("Published"))


def _low_high(what: str) -> list[str]:
    """The headers of a range's two columns: "Air, low (kg/y)", "Air, high (kg/y)"."""
    return [
        _("%(what)s, low (kg/y)") % {"what": what},
        _("%(what)s, high (kg/y)") % {"what": what},
    ]


def _range_cells(value: Range) -> list:
    return [float(value.low), float(value.high)]


def _inventory_sheet(workbook, inventory, read, state: str, address: str, sets) -> None:
    sheet = workbook.create_sheet(INVENTORY_SHEET)
    data = read.data
    rows = [
        [_("Country"), f"{inventory.country.localized_name} ({inventory.country_id})"],
        [_("Year"), data.get("year")],
        [_("Population"), data.get("population")],
        [_("Prepared by"), inventory.organization.name],
        [_("Status"), state_label(state) if read.latest else _("Published")],
        [
            _("Version"),
            _("%(number)s, the latest") % {"number": read.number}
            if read.latest
            else _("%(number)s, the published version") % {"number": read.number},
        ],
        [_("Address"), address],
        [_("Exported on"), timezone.localdate().isoformat()],
    ]
    for factor_set in sets:
        citation = ". ".join(
            part for part in (factor_set.name, factor_set.publisher, str(factor_set.year)) if part
        )
        rows.append([_("Factor set %(code)s") % {"code": factor_set.code}, citation])
        rows.append(["", factor_set.citation])
    _put(sheet, 1, 1, _("Mercury waste inventory"), bold=True)
    _put(sheet, 1, 2, data.get("name") or "", bold=True)
    for number, (label, value) in enumerate(rows, start=2):
        _put(sheet, number, 1, label, bold=True)
        _put(sheet, number, 2, value)
    _fit_columns(sheet)


def _results_sheet(workbook, results, waste_labels: dict[str, str]) -> None:
    sheet = workbook.create_sheet(RESULTS_SHEET)
    order = pathways()
    _put(sheet, 1, 1, _("Mercury by source category and pathway (kg a year)"), bold=True)
    header = ["category", _("Source category"), *_low_high(_("Input"))]
    for pathway in order:
        header += _low_high(pathway.local_label)
    rows = []
    for line in results.lines:
        row = [line.category.code, line.category.local_label, *_range_cells(line.input)]
        for pathway in order:
            row += _range_cells(line.outputs[pathway.code])
        rows.append(row)
    total = ["", _("Total"), *_range_cells(results.total)]
    for pathway in order:
        total += _range_cells(results.by_pathway[pathway.code])
    top = _table(sheet, 2, header, rows)
    for column, value in enumerate(total, start=1):
        _put(sheet, top, column, value, bold=True)
    top += 2
    _put(sheet, top, 1, _("Mercury by waste category (kg a year)"), bold=True)
    by_waste = results.by_waste_category()
    waste_rows = [
        [code, waste_labels.get(code, code), *_range_cells(value)]
        for code, value in by_waste.items()
    ]
    header = ["waste_category", _("Waste category"), _("Low (kg/y)"), _("High (kg/y)")]
    _table(sheet, top + 1, header, waste_rows)
    sheet.freeze_panes = "C3"
    _fit_columns(sheet)


def _flags_sheet(workbook, results, lines: list[dict]) -> None:
    """The figures to check, each with its line's number and source category (a line whose
    factor is gone has no result, but its flag)."""
    sheet = workbook.create_sheet(FLAGS_SHEET)
    known = categories()
    rows = []
    for flag in results.flags:
        category = known.get(lines[flag.position - 1]["category"])
        rows.append(
            [
                flag.position,
                category.code if category else "",
                category.local_label if category else "",
                flag.code,
                str(flag.message),
            ]
        )
    header = [_("Line"), "category", _("Source category"), _("Check"), _("Figure to check")]
    _table(sheet, 1, header, rows, filters=True)
    if not rows:
        _put(sheet, 2, 1, _("No figure to check."))
    sheet.freeze_panes = "A2"
    _fit_columns(sheet)


def inventory_xlsx(inventory, read, *, state: str, address: str, table, sets, waste_labels):
    """The workbook of the version ``read`` (``queries.read_version``) of the inventory."""
    data = read.data
    workbook = _new_workbook(_("Mercury waste inventory: %(name)s") % {"name": data.get("name")})
    _inventory_sheet(workbook, inventory, read, state, address, sets)
    ranges = _lists_sheet(workbook, table)
    _lines_sheet(workbook, line_rows(data.get("lines") or [], table), ranges)
    _results_sheet(workbook, read.results, waste_labels)
    _flags_sheet(workbook, read.results, data.get("lines") or [])
    _read_me_sheet(workbook)
    lists = workbook[LISTS_SHEET]
    workbook.move_sheet(lists, offset=len(workbook.sheetnames) - 1 - workbook.index(lists))
    workbook.active = workbook.index(workbook[INVENTORY_SHEET])
    return _saved(workbook)


def template_xlsx(table: FactorTable) -> bytes:
    """The blank template: the read-me, the lines sheet with a row per source category to
    fill in (grouped as the Toolkit groups them) and the lists."""
    workbook = _new_workbook(_("Mercury waste inventory: template of the lines"))
    ranges = _lists_sheet(workbook, table)
    columns = line_columns()
    blank = []
    for code, category in categories().items():
        row = dict.fromkeys(columns, None)
        row.update(
            group=groups()[category.group].local_label,
            category=code,
            category_label=category.local_label,
            activity_unit=units_of(category.dimension)[0].code,
        )
        blank.append([row[name] for name in columns])
    _lines_sheet(workbook, blank, ranges)
    _read_me_sheet(workbook, position=0)
    workbook.move_sheet(workbook[LISTS_SHEET], offset=1)
    workbook.active = 0
    return _saved(workbook)
