"""Inventories side by side: for each, the mercury per pathway and per waste category (ranges),
per inhabitant where its population is known, and the differences from the first one (between
the middles of the ranges), with whether they rest on the same factor sets. A pure function of
the versions read (``queries.compared_versions``); the page, the chart and the CSV show it."""

from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _

from mercuryhub.inventory.calculation import Range, Results
from mercuryhub.inventory.vocabulary import pathways
from mercuryhub.lib.streams import csv_lines
from mercuryhub.taxonomy.queries import terms_of

# At most this many side by side: a chart of more bars a group is no longer read.
MAX_COMPARED = 8
# The lines of general waste (landfills, dumping), which no waste category holds.
GENERAL = "general"
MILLIGRAMS_PER_KILOGRAM = Decimal(1_000_000)
TOTAL = "total"


@dataclass(frozen=True)
class Compared:
    """One inventory as it is compared: its number on the page (1, 2…), the version the person
    reads (its title, year, population and results), its state, and the factor sets its lines
    cite (``national``: some line uses a national factor)."""

    number: int
    inventory: object
    state: str
    name: str
    year: int
    population: int | None
    results: Results
    factor_sets: tuple[str, ...]
    national: bool

    @property
    def short_name(self) -> str:
        return f"{self.inventory.country.localized_name} {self.year}"


@dataclass(frozen=True)
class Difference:
    """Between the middle of one range and the first inventory's: kilograms (or milligrams per
    inhabitant) and percent of the first (None where the first is 0)."""

    amount: Decimal
    percent: Decimal | None


@dataclass(frozen=True)
class ComparedRow:
    code: str
    label: str
    items: list[Compared]
    values: list[Range | None]  # per compared inventory; None: not known (no population)
    differences: list[Difference | None]  # for the second inventory on

    @property
    def cells(self) -> list[tuple[Compared, Range | None]]:
        return list(zip(self.items, self.values, strict=True))

    @property
    def changes(self) -> list[tuple[Compared, Difference | None]]:
        return list(zip(self.items[1:], self.differences, strict=True))


@dataclass(frozen=True)
class Comparison:
    compared: list[Compared]
    by_pathway: list[ComparedRow]  # the total last
    by_waste_category: list[ComparedRow]  # the total last
    per_inhabitant: list[ComparedRow]  # milligrams a year; the total last
    same_factor_sets: bool

    @property
    def first(self) -> Compared:
        return self.compared[0]


def compared(number: int, inventory, state: str, data: dict, results: Results) -> Compared:
    origins = {line.input_origin for line in results.lines}
    origins |= {line.distribution_origin for line in results.lines}
    return Compared(
        number=number,
        inventory=inventory,
        state=state,
        name=data.get("name") or inventory.name,
        year=data.get("year") or inventory.year,
        population=data.get("population") or None,
        results=results,
        factor_sets=tuple(sorted(origins - {"national"})),
        national="national" in origins,
    )


def _difference(value: Range | None, first: Range | None) -> Difference | None:
    if value is None or first is None:
        return None
    amount = value.middle - first.middle
    percent = amount / first.middle * 100 if first.middle else None
    return Difference(amount, percent)


def _row(code: str, label: str, items: list[Compared], values: list) -> ComparedRow:
    differences = [_difference(value, values[0]) for value in values[1:]]
    return ComparedRow(code, label, items, values, differences)


def _per_inhabitant(value: Range, population: int | None) -> Range | None:
    if not population:
        return None
    factor = MILLIGRAMS_PER_KILOGRAM / population
    return Range(value.low * factor, value.high * factor)


def _waste_category_labels(codes: set[str]) -> list[tuple[str, str]]:
    """(code, label in the reader's language) in the taxonomy's order; general waste last."""
    terms = terms_of("waste_categories").filter(code__in=codes).order_by("position", "code")
    found = [(term.code, term.localized_label) for term in terms]
    if GENERAL in codes:
        found.append((GENERAL, _("General waste, no single waste category")))
    return found


def compare(items: list[Compared]) -> Comparison:
    """The comparison of two or more inventories, the first being the one differences are
    measured from."""
    total_label = _("Total")
    by_pathway = [
        _row(p.code, p.local_label, items, [c.results.by_pathway[p.code] for c in items])
        for p in pathways()
    ]
    by_pathway.append(_row(TOTAL, total_label, items, [c.results.total for c in items]))
    by_category = [c.results.by_waste_category(general=GENERAL) for c in items]
    codes = {code for found in by_category for code in found}
    by_waste_category = [
        _row(code, label, items, [found.get(code, Range()) for found in by_category])
        for code, label in _waste_category_labels(codes)
    ]
    by_waste_category.append(_row(TOTAL, total_label, items, [c.results.total for c in items]))
    per_inhabitant = [
        _row(
            row.code,
            row.label,
            items,
            [_per_inhabitant(v, c.population) for v, c in zip(row.values, items, strict=True)],
        )
        for row in by_pathway
    ]
    return Comparison(
        compared=items,
        by_pathway=by_pathway,
        by_waste_category=by_waste_category,
        per_inhabitant=per_inhabitant,
        same_factor_sets=len({c.factor_sets for c in items}) == 1,
    )


CSV_COLUMNS = [
    "table",
    "code",
    "label",
    "inventory_number",
    "inventory_id",
    "inventory",
    "country",
    "year",
    "population",
    "factor_sets",
    "unit",
    "low",
    "high",
    "middle",
    "difference_from_first",
    "difference_from_first_percent",
]


def _plain(value: Decimal | None, places: int = 6) -> str:
    """A figure for a spreadsheet: plain digits, rounded to ``places`` decimals."""
    if value is None:
        return ""
    text = format(round(value, places), "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def _csv_rows(comparison: Comparison):
    tables = (
        ("pathway", "kg/year", comparison.by_pathway),
        ("waste_category", "kg/year", comparison.by_waste_category),
        ("per_inhabitant", "mg/inhabitant/year", comparison.per_inhabitant),
    )
    for table, unit, rows in tables:
        for row in rows:
            differences = [None, *row.differences]
            for (item, value), difference in zip(row.cells, differences, strict=True):
                if value is None:
                    continue
                yield [
                    table,
                    row.code,
                    row.label,
                    item.number,
                    item.inventory.pk,
                    item.name,
                    item.inventory.country_id,
                    item.year,
                    item.population or "",
                    " ".join(item.factor_sets + (("national",) if item.national else ())),
                    unit,
                    _plain(value.low),
                    _plain(value.high),
                    _plain(value.middle),
                    _plain(difference.amount) if difference else "",
                    _plain(difference.percent, 1) if difference else "",
                ]


def comparison_csv(comparison: Comparison):
    """The comparison as CSV lines: a row per table, line and inventory (``lib.streams``)."""
    return csv_lines(CSV_COLUMNS, _csv_rows(comparison))
