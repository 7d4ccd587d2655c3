"""Working out an inventory's results, as the Toolkit does: for each line, the mercury input is
the activity times the input factor (a low–high range, in kilograms of mercury a year), and each
pathway receives the input times its share of the output distribution. Results are sums of those
ranges, per source category and per pathway; the screening flags point at figures to check.

Everything here is a pure function of a version's lines (the serialization's shape, after
``fields.clean_inventory``) and the cited factors (``FactorTable``), in Decimal arithmetic, so
that a result can be checked by hand."""

from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from mercuryhub.inventory.vocabulary import (
    Category,
    activity_units,
    categories,
    mercury_units,
    parse_factor_unit,
    pathway_codes,
)

ZERO = Decimal(0)
# A national factor further than this from the cited range (either way) is flagged.
FACTOR_FLAG_RATIO = Decimal(10)


@dataclass(frozen=True)
class Range:
    """A low–high range of kilograms of mercury a year."""

    low: Decimal = ZERO
    high: Decimal = ZERO

    def __add__(self, other: "Range") -> "Range":
        return Range(self.low + other.low, self.high + other.high)

    def times(self, share: Decimal) -> "Range":
        return Range(self.low * share, self.high * share)

    @property
    def middle(self) -> Decimal:
        return (self.low + self.high) / 2


@dataclass(frozen=True)
class FactorValues:
    """A cited factor: input range with its unit, the distribution (may be empty) and where it
    stands in its source."""

    factor_set: str
    category: str
    low: Decimal
    high: Decimal
    unit: str
    distribution: dict
    source_detail: str = ""


# (factor set code, category code) → its factor
FactorTable = dict[tuple[str, str], FactorValues]


@dataclass(frozen=True)
class Flag:
    """A figure the team should check: not an error, the inventory is saved as it is."""

    code: str
    position: int
    message: str


@dataclass
class LineResult:
    position: int
    category: Category
    activity: Decimal
    activity_unit: str
    factor_low: Decimal
    factor_high: Decimal
    factor_unit: str
    # "national" or the factor set's code, for the input factor and the distribution apart.
    input_origin: str
    distribution_origin: str
    distribution: dict[str, Decimal]
    input: Range
    outputs: dict[str, Range]
    flags: list[Flag] = field(default_factory=list)


@dataclass
class Results:
    lines: list[LineResult]
    by_pathway: dict[str, Range]
    total: Range
    flags: list[Flag]

    def by_category(self) -> dict[str, Range]:
        return {line.category.code: line.input for line in self.lines}

    def by_waste_category(self, *, general: str | None = None) -> dict[str, Range]:
        """The input of each of the taxonomy's waste categories; the lines of general waste,
        which have none, under ``general`` where it is given, else left out."""
        found: dict[str, Range] = {}
        for line in self.lines:
            code = line.category.waste_category or general
            if code:
                found[code] = found.get(code, Range()) + line.input
        return found


def decimal_or_none(value) -> Decimal | None:
    return None if value in (None, "") else Decimal(str(value))


def kilograms_per_base_unit(value: Decimal, unit: str) -> Decimal:
    """A factor in kilograms of mercury per base unit of its activity (item, t, m³,
    inhabitant): 25 mg/item → 0.000025."""
    mercury, activity_unit = parse_factor_unit(unit)
    return value * mercury_units()[mercury] / activity_unit.scale


def is_computable(line: dict, table: FactorTable) -> bool:
    """Whether a stored line still has an input factor and a distribution (a factor set it
    used may have been withdrawn since)."""
    cited = table.get((line.get("factor_set") or "", line["category"]))
    has_input = line.get("input_low") not in (None, "") or cited is not None
    has_distribution = bool(line.get("distribution")) or bool(cited and cited.distribution)
    return has_input and has_distribution


def effective_factor(line: dict, table: FactorTable) -> tuple[FactorValues, str, str]:
    """The factor a checked line uses (national parts over the set's), with the origin of its
    input factor and of its distribution."""
    cited = table.get((line.get("factor_set") or "", line["category"]))
    low, high = decimal_or_none(line.get("input_low")), decimal_or_none(line.get("input_high"))
    if low is not None:
        values = (low, high if high is not None else low, line["input_unit"])
        input_origin = "national"
    else:
        values = (cited.low, cited.high, cited.unit)
        input_origin = cited.factor_set
    if line.get("distribution"):
        distribution = {code: Decimal(str(share)) for code, share in line["distribution"].items()}
        distribution_origin = "national"
    else:
        distribution = {code: Decimal(str(share)) for code, share in cited.distribution.items()}
        distribution_origin = cited.factor_set
    factor = FactorValues(
        factor_set=line.get("factor_set") or "",
        category=line["category"],
        low=values[0],
        high=values[1],
        unit=values[2],
        distribution=distribution,
        source_detail=cited.source_detail if cited else "",
    )
    return factor, input_origin, distribution_origin


def _line_flags(position, category, line, factor, origin, table, population) -> list[Flag]:
    flags = []
    activity = Decimal(str(line["activity"])) * activity_units()[line["activity_unit"]].scale
    if population and category.flag_above_per_inhabitant is not None:
        per_inhabitant = activity / population
        if per_inhabitant > category.flag_above_per_inhabitant:
            flags.append(
                Flag(
                    "per-inhabitant",
                    position,
                    _(
                        "%(category)s: %(value)s per inhabitant is more than the %(bound)s "
                        "a country usually reaches; check the activity and its unit"
                    )
                    % {
                        "category": category.local_label,
                        "value": f"{per_inhabitant:.4g}",
                        "bound": f"{category.flag_above_per_inhabitant:f}".rstrip("0").rstrip("."),
                    },
                )
            )
    if origin == "national":
        cited = [f for (code, name), f in table.items() if name == category.code]
        national = (
            kilograms_per_base_unit(factor.low, factor.unit),
            kilograms_per_base_unit(factor.high, factor.unit),
        )
        for other in cited:
            low = kilograms_per_base_unit(other.low, other.unit)
            high = kilograms_per_base_unit(other.high, other.unit)
            if national[1] < low / FACTOR_FLAG_RATIO or national[0] > high * FACTOR_FLAG_RATIO:
                flags.append(
                    Flag(
                        "factor-far-from-cited",
                        position,
                        _(
                            "%(category)s: the national factor is more than ten times away "
                            "from the range %(low)s–%(high)s %(unit)s of %(set)s"
                        )
                        % {
                            "category": category.local_label,
                            "low": f"{other.low.normalize():f}",
                            "high": f"{other.high.normalize():f}",
                            "unit": other.unit,
                            "set": other.factor_set,
                        },
                    )
                )
    return flags


def calculate(data: dict, table: FactorTable) -> Results:
    """The results of an inventory's checked content (``fields.clean_inventory`` passed)."""
    known = categories()
    population = data.get("population")
    population = Decimal(population) if population else None
    lines, by_pathway, total, flags = [], {code: Range() for code in pathway_codes()}, Range(), []
    for position, line in enumerate(data.get("lines") or [], start=1):
        category = known[line["category"]]
        if not is_computable(line, table):
            flags.append(
                Flag(
                    "missing-factor",
                    position,
                    _("%(category)s: its factor is no longer available; edit the line")
                    % {"category": category.local_label},
                )
            )
            continue
        factor, input_origin, distribution_origin = effective_factor(line, table)
        activity = Decimal(str(line["activity"]))
        base_activity = activity * activity_units()[line["activity_unit"]].scale
        mercury = Range(
            base_activity * kilograms_per_base_unit(factor.low, factor.unit),
            base_activity * kilograms_per_base_unit(factor.high, factor.unit),
        )
        outputs = {
            code: mercury.times(factor.distribution.get(code, ZERO)) for code in pathway_codes()
        }
        line_flags = _line_flags(position, category, line, factor, input_origin, table, population)
        lines.append(
            LineResult(
                position=position,
                category=category,
                activity=activity,
                activity_unit=line["activity_unit"],
                factor_low=factor.low,
                factor_high=factor.high,
                factor_unit=factor.unit,
                input_origin=input_origin,
                distribution_origin=distribution_origin,
                distribution=factor.distribution,
                input=mercury,
                outputs=outputs,
                flags=line_flags,
            )
        )
        for code, value in outputs.items():
            by_pathway[code] = by_pathway[code] + value
        total = total + mercury
        flags.extend(line_flags)
    return Results(lines=lines, by_pathway=by_pathway, total=total, flags=flags)
