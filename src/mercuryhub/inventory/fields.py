"""Checking a mercury waste inventory: every field, from the web forms, the API or a Toolkit
spreadsheet, turned into model values or an InvalidInputError naming each bad field. A line is
named by its place: ``lines.3.activity_unit`` is the unit of the third line's activity.

A line's factor is cited (a factor set the platform ships, which has one for its category) or
national (entered with its justification); a line with neither is refused, since the platform
never supplies a factor it cannot cite."""

from decimal import Decimal, InvalidOperation

from mercuryhub.catalogue.fields import CleanEntry, clean_country, clean_organization, clean_text
from mercuryhub.inventory.calculation import FactorTable
from mercuryhub.inventory.vocabulary import (
    categories,
    dimensions,
    factor_units,
    pathway_codes,
    units_of,
)
from mercuryhub.lib.errors import InvalidInputError

MAX_LINES = 200
EARLIEST_YEAR, LATEST_YEAR = 1990, 2100
MAX_POPULATION = 10**10
# Largest activity and factor the rows hold (their decimal places: 6 and 9).
MAX_ACTIVITY, MAX_FACTOR = Decimal("1e17"), Decimal("1e10")
# The shares of a distribution must add up to 1 within this (the Toolkit's are given to 0.01).
SHARE_TOLERANCE = Decimal("0.001")
LINE_FIELDS = (
    "category",
    "activity",
    "activity_unit",
    "factor_set",
    "input_low",
    "input_high",
    "input_unit",
    "distribution",
    "justification",
    "note",
)


def plain(value: Decimal | None) -> str | None:
    """A decimal as plain digits without trailing zeros ("0.025", "120000"), the same however
    many decimal places it was stored with."""
    if value is None:
        return None
    text = format(value, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text or "0"


def parse_decimal(raw, *, places: int, largest: Decimal) -> tuple[Decimal | None, str | None]:
    """A non-negative number as people write it ("1 200", "1,200.5", "0,025"), or a message."""
    if raw in (None, ""):
        return None, None
    if isinstance(raw, bool):
        return None, f"{raw!r} is not a number"
    text = str(raw).strip().replace("\u202f", "").replace("\u00a0", "").replace(" ", "")
    text = text.replace("'", "")
    if "," in text and "." not in text and text.count(",") == 1 and len(text.split(",")[1]) != 3:
        text = text.replace(",", ".")
    text = text.replace(",", "")
    try:
        value = Decimal(text)
    except InvalidOperation:
        return None, f"{raw!r} is not a number; write it as 1200 or 0.025"
    if not value.is_finite():
        return None, f"{raw!r} is not a number; write it as 1200 or 0.025"
    if value < 0:
        return None, f"{raw!r} is negative; give a quantity of zero or more"
    if value >= largest:
        return None, f"{raw!r} is too large (below {largest:,.0f})"
    if value != value.quantize(Decimal(1).scaleb(-places)):
        return None, f"{raw!r} has more than {places} decimal places"
    return value, None


def _number(row: dict, name: str, key: str, errors: dict, *, places, largest):
    value, problem = parse_decimal(row.get(name), places=places, largest=largest)
    if problem:
        errors[key] = problem
    return value


def _whole(data: dict, name: str, errors: dict, low: int, high: int, what: str) -> int | None:
    raw = data.get(name)
    if raw in (None, ""):
        return None
    try:
        value = int(str(raw).strip().replace(" ", "").replace(",", ""))
    except ValueError:
        errors[name] = f"{raw!r} is not {what}"
        return None
    if not low <= value <= high:
        errors[name] = f"{value} is out of range ({low} to {high})"
        return None
    return value


def _unit_choices(dimension: str) -> str:
    return ", ".join(unit.code for unit in units_of(dimension))


def _distribution(row: dict, key: str, errors: dict) -> dict[str, str]:
    given = row.get("distribution") or {}
    if not isinstance(given, dict):
        errors[f"{key}.distribution"] = "Give the distribution as shares per pathway: " + ", ".join(
            pathway_codes()
        )
        return {}
    given = {code: share for code, share in given.items() if share not in (None, "")}
    if not given:
        return {}
    unknown = [code for code in given if code not in pathway_codes()]
    if unknown:
        errors[f"{key}.distribution"] = (
            f"Unknown pathways {', '.join(map(repr, unknown))}; use: {', '.join(pathway_codes())}"
        )
        return {}
    shares = {}
    for code in pathway_codes():
        share, problem = parse_decimal(given.get(code, "0"), places=6, largest=Decimal("1.000001"))
        if problem:
            errors[f"{key}.distribution.{code}"] = problem
            return {}
        shares[code] = share
    total = sum(shares.values())
    if abs(total - 1) > SHARE_TOLERANCE:
        errors[f"{key}.distribution"] = (
            f"The shares add up to {plain(total)}; they must add up to 1 "
            "(the whole of the mercury input)"
        )
        return {}
    return {code: plain(share) for code, share in shares.items()}


def _factor_choice(key: str, category, table: FactorTable) -> str:
    sets = sorted(code for code, name in table if name == category.code)
    if sets:
        return (
            f"No factor for {category.label}: choose a factor set that has one "
            f"({', '.join(sets)}) or enter a national input factor with its justification"
        )
    return (
        f"No factor set on the platform cites a factor for {category.label}: enter a national "
        "input factor (low and high, with its unit) and its justification"
    )


def clean_line(row: dict, key: str, table: FactorTable, errors: dict) -> dict:
    """One line, checked; its problems go into ``errors`` under ``key`` ("lines.3")."""
    found = {name: "" for name in LINE_FIELDS}
    code = str(row.get("category") or "").strip()
    category = categories().get(code)
    if not code:
        errors[f"{key}.category"] = "Name the source category"
    elif category is None:
        errors[f"{key}.category"] = (
            f"Unknown source category {code!r}; use one of: {', '.join(categories())}"
        )
    found["category"] = code
    found["activity"] = _number(
        row, "activity", f"{key}.activity", errors, places=6, largest=MAX_ACTIVITY
    )
    if row.get("activity") in (None, ""):
        errors[f"{key}.activity"] = "Give the activity of the year (0 where there is none)"
    unit = str(row.get("activity_unit") or "").strip()
    found["activity_unit"] = unit
    for name, limit in (("justification", 5000), ("note", 1000)):
        own: dict[str, str] = {}
        found[name] = clean_text(
            row, name, own, max_length=limit, multiline=name == "justification"
        )
        if own:
            errors[f"{key}.{name}"] = own[name]
    if category is None:
        return found
    dimension = dimensions()[category.dimension].label
    if unit not in {u.code for u in units_of(category.dimension)}:
        errors[f"{key}.activity_unit"] = (
            f"{category.label} is counted as a {dimension}: "
            + (f"{unit!r} is not a unit of it; " if unit else "give the unit; ")
            + f"use {_unit_choices(category.dimension)}"
        )
    set_code = str(row.get("factor_set") or "").strip()
    found["factor_set"] = set_code
    known_sets = {code for code, _name in table}
    cited = None
    if set_code:
        cited = table.get((set_code, code))
        if set_code not in known_sets:
            errors[f"{key}.factor_set"] = (
                f"Unknown factor set {set_code!r}; use one of: {', '.join(sorted(known_sets))}"
                if known_sets
                else f"Unknown factor set {set_code!r}; the platform holds none"
            )
        elif cited is None:
            errors[f"{key}.factor_set"] = (
                f"{set_code} has no factor for {category.label}; enter a national input "
                "factor with its justification, or leave the factor set empty"
            )
    low = _number(row, "input_low", f"{key}.input_low", errors, places=9, largest=MAX_FACTOR)
    high = _number(row, "input_high", f"{key}.input_high", errors, places=9, largest=MAX_FACTOR)
    input_unit = str(row.get("input_unit") or "").strip()
    national_input = low is not None or high is not None
    if national_input:
        if low is None:
            errors[f"{key}.input_low"] = "Give the low end of the national factor"
        if high is None:
            high = low
        if low is not None and high is not None and high < low:
            errors[f"{key}.input_high"] = (
                f"The high factor ({plain(high)}) is below the low one ({plain(low)})"
            )
        if input_unit not in factor_units(category.dimension):
            errors[f"{key}.input_unit"] = (
                (f"{input_unit!r} is no unit" if input_unit else "Give the factor's unit")
                + f" for a factor per {dimension}; use one of: "
                + ", ".join(factor_units(category.dimension))
            )
    elif input_unit:
        errors[f"{key}.input_low"] = "Give the national factor for this unit, or clear the unit"
    found.update(input_low=plain(low), input_high=plain(high), input_unit=input_unit)
    found["distribution"] = _distribution(row, key, errors)
    if not national_input and cited is None and f"{key}.factor_set" not in errors:
        errors[f"{key}.input_low"] = _factor_choice(key, category, table)
    elif (
        not found["distribution"]
        and not (cited and cited.distribution)
        and f"{key}.distribution" not in errors
        and not any(k.startswith(f"{key}.distribution.") for k in errors)
    ):
        errors[f"{key}.distribution"] = (
            (f"{set_code} gives no distribution for {category.label}; " if cited else "")
            + "give how the mercury input leaves over the pathways ("
            + ", ".join(pathway_codes())
            + "), shares adding up to 1, with its justification"
        )
    if (national_input or found["distribution"]) and not found["justification"]:
        errors[f"{key}.justification"] = (
            "Say where the national factor comes from (a measurement, a study, a national "
            "report): a factor without a source cannot be checked"
        )
    return found


def clean_lines(data: dict, table: FactorTable, errors: dict) -> list[dict]:
    rows = data.get("lines") or []
    if not isinstance(rows, list) or not all(isinstance(row, dict) for row in rows):
        errors["lines"] = "Give a list of lines, each with its fields"
        return []
    if len(rows) > MAX_LINES:
        errors["lines"] = f"At most {MAX_LINES} lines (this has {len(rows)})"
        return []
    found, seen = [], {}
    for number, row in enumerate(rows, start=1):
        key = f"lines.{number}"
        line = clean_line(row, key, table, errors)
        code = line["category"]
        if code in seen and f"{key}.category" not in errors:
            errors[f"{key}.category"] = (
                f"{categories()[code].label} is already on line {seen[code]}; "
                "an inventory counts each source category once"
            )
        seen.setdefault(code, number)
        line["activity"] = plain(line["activity"])
        found.append(line)
    return found


def clean_inventory(data: dict, table: FactorTable | None = None) -> CleanEntry:
    if table is None:
        from mercuryhub.inventory.queries import factor_table

        table = factor_table()
    errors: dict[str, str] = {}
    organization, unknown = clean_organization(data, "organization", errors, required=True)
    if unknown:
        errors["organization"] = f"Unknown organization {unknown!r}; register it first"
    country = clean_country(data, "country", errors)
    if country is None and "country" not in errors:
        errors["country"] = "Give the country (ISO 3166 alpha-3 code, such as GHA)"
    year = _whole(data, "year", errors, EARLIEST_YEAR, LATEST_YEAR, "a year; write it as 2024")
    if year is None and "year" not in errors:
        errors["year"] = "Give the year the inventory counts"
    values = {
        "name": clean_text(data, "name", errors, required=True, max_length=300),
        "summary": clean_text(data, "summary", errors, max_length=20_000, multiline=True),
        "country": country,
        "organization": organization,
        "year": year,
        "population": _whole(
            data, "population", errors, 1, MAX_POPULATION, "a number of inhabitants"
        ),
    }
    lines = clean_lines(data, table, errors)
    if errors:
        raise InvalidInputError(errors)
    return CleanEntry(values, {"lines": lines})


# -- the serialization ------------------------------------------------------------------------


def line_data(line) -> dict:
    return {
        "category": line.category,
        "activity": plain(line.activity),
        "activity_unit": line.activity_unit,
        "factor_set": line.factor_set,
        "input_low": plain(line.input_low),
        "input_high": plain(line.input_high),
        "input_unit": line.input_unit,
        "distribution": dict(line.distribution),
        "justification": line.justification,
        "note": line.note,
    }


def inventory_data(inventory) -> dict:
    """The inventory's rows in the serialization's shape (see ``stored_data``)."""
    return {
        "name": inventory.name,
        "summary": inventory.summary,
        "country": inventory.country_id,
        "organization": inventory.organization.slug,
        "year": inventory.year,
        "population": inventory.population,
        "lines": [line_data(line) for line in inventory.lines.all()],
    }


def stored_data(checked: CleanEntry) -> dict:
    """Checked input in the shape of ``inventory_data``."""
    values = checked.values
    return {
        "name": values["name"],
        "summary": values["summary"],
        "country": values["country"].iso3 if values["country"] else None,
        "organization": values["organization"].slug if values["organization"] else "",
        "year": values["year"],
        "population": values["population"],
        "lines": checked.relations["lines"],
    }
