"""Loading factor sets in the shipped layout (``data/factor_sets.csv`` and ``data/factors.csv``):
every row is checked first, nothing is saved unless all are right (ReferenceDataError naming
each bad row and column), and a second load of the same files changes nothing. A factor set no
longer in the file is deleted with its factors; inventories name factor sets by code, so a line
whose set is gone is refused at its next edit and asks for another factor."""

from decimal import Decimal
from importlib import resources
from pathlib import Path

from django.conf import settings
from django.db import transaction

from mercuryhub.inventory.fields import SHARE_TOLERANCE, parse_decimal, plain
from mercuryhub.inventory.models import Factor, FactorSet
from mercuryhub.inventory.vocabulary import categories, factor_units, pathway_codes
from mercuryhub.lib.text import control_character_message
from mercuryhub.taxonomy.actions import (
    LoadReport,
    ReferenceDataError,
    read_reference_rows,
    save_reference_row,
)

SET_COLUMNS = ("code", "name", "publisher", "year", "citation", "url")
FACTOR_COLUMNS = (
    "factor_set",
    "category",
    "input_low",
    "input_high",
    "input_unit",
    *pathway_codes(),
    "source_detail",
)
_REQUIRED_SET = ("code", "name", "publisher", "year", "citation")


def _data_path(name: str) -> Path:
    return Path(str(resources.files("mercuryhub.inventory") / "data" / name))


def default_sets_path() -> Path:
    """The configured factor sets file (``INVENTORY_FACTOR_SETS_FILE``), else the shipped one:
    what ``serve`` loads, so that a secretariat's own sets outlive a restart."""
    configured = settings.INVENTORY_FACTOR_SETS_FILE
    return Path(configured) if configured else _data_path("factor_sets.csv")


def default_factors_path() -> Path:
    """The configured factors file (``INVENTORY_FACTORS_FILE``), else the shipped one."""
    configured = settings.INVENTORY_FACTORS_FILE
    return Path(configured) if configured else _data_path("factors.csv")


def _text_problems(line: int, row: dict, problems: list[str]) -> None:
    for column, value in row.items():
        refused = control_character_message(value, multiline=False)
        if refused:
            problems.append(f"row {line}, column {column}: {refused}")


def _set_values(line: int, row: dict, problems: list[str]) -> dict | None:
    found = len(problems)
    _text_problems(line, row, problems)
    for column in _REQUIRED_SET:
        if not row[column]:
            problems.append(f"row {line}, column {column}: is empty")
    if row["code"] and not row["code"].replace("-", "").isalnum():
        problems.append(f"row {line}, column code: {row['code']!r} is not a code (a-z, 0-9, -)")
    year = None
    if row["year"]:
        try:
            year = int(row["year"])
        except ValueError:
            problems.append(f"row {line}, column year: {row['year']!r} is not a year")
    if row["url"] and not row["url"].startswith(("https://", "http://")):
        problems.append(f"row {line}, column url: {row['url']!r} is not a web address")
    if row.get("<extra>"):
        problems.append(f"row {line}: more values than the {len(SET_COLUMNS)} columns")
    if len(problems) > found:
        return None
    return {
        "name": row["name"][:300],
        "publisher": row["publisher"][:300],
        "year": year,
        "citation": row["citation"],
        "url": row["url"],
    }


def _factor_values(line: int, row: dict, sets: set[str], problems: list[str]) -> dict | None:
    found = len(problems)
    _text_problems(line, row, problems)
    if row["factor_set"] not in sets:
        problems.append(
            f"row {line}, column factor_set: {row['factor_set']!r} is not a factor set of the "
            "sets file"
        )
    category = categories().get(row["category"])
    if category is None:
        problems.append(
            f"row {line}, column category: {row['category']!r} is not one of "
            + ", ".join(categories())
        )
    values = {}
    for column in ("input_low", "input_high"):
        value, problem = parse_decimal(row[column], places=9, largest=Decimal("1e10"))
        if problem or value is None:
            problems.append(f"row {line}, column {column}: {problem or 'is empty'}")
        values[column] = value
    if None not in values.values() and values["input_high"] < values["input_low"]:
        problems.append(f"row {line}, column input_high: is below input_low")
    if category and row["input_unit"] not in factor_units(category.dimension):
        problems.append(
            f"row {line}, column input_unit: {row['input_unit']!r} is not one of "
            + ", ".join(factor_units(category.dimension))
        )
    shares = {}
    if any(row[code] for code in pathway_codes()):
        for code in pathway_codes():
            share, problem = parse_decimal(row[code] or "0", places=6, largest=Decimal("1.000001"))
            if problem:
                problems.append(f"row {line}, column {code}: {problem}")
            shares[code] = share or Decimal(0)
        total = sum(shares.values())
        if abs(total - 1) > SHARE_TOLERANCE:
            problems.append(f"row {line}: the pathway shares add up to {plain(total)}, not 1")
    if not row["source_detail"]:
        problems.append(
            f"row {line}, column source_detail: is empty; say where in the source the value stands"
        )
    if row.get("<extra>"):
        problems.append(f"row {line}: more values than the {len(FACTOR_COLUMNS)} columns")
    if len(problems) > found:
        return None
    return {
        "input_low": values["input_low"],
        "input_high": values["input_high"],
        "input_unit": row["input_unit"],
        "distribution": {code: plain(share) for code, share in shares.items()},
        "source_detail": row["source_detail"][:300],
    }


@transaction.atomic
def do_load_factor_sets(sets_path: Path | None = None, factors_path: Path | None = None):
    """The factor sets and their factors from two CSVs of the shipped layout."""
    sets_path = sets_path or default_sets_path()
    factors_path = factors_path or default_factors_path()
    set_rows = read_reference_rows(sets_path, SET_COLUMNS)
    factor_rows = read_reference_rows(factors_path, FACTOR_COLUMNS)
    problems: list[str] = []
    checked_sets, seen_sets = [], {}
    for line, row in set_rows:
        values = _set_values(line, row, problems)
        if row["code"] in seen_sets:
            problems.append(
                f"row {line}, column code: {row['code']} is already on row {seen_sets[row['code']]}"
            )
        seen_sets.setdefault(row["code"], line)
        checked_sets.append((row["code"], values))
    if problems:
        raise ReferenceDataError(str(sets_path), problems)
    checked_factors, seen = [], {}
    for line, row in factor_rows:
        values = _factor_values(line, row, set(seen_sets), problems)
        key = (row["factor_set"], row["category"])
        if key in seen:
            problems.append(
                f"row {line}, column category: {row['category']} of {row['factor_set']} is "
                f"already on row {seen[key]}"
            )
        seen.setdefault(key, line)
        checked_factors.append((key, values))
    if problems:
        raise ReferenceDataError(str(factors_path), problems)
    report = LoadReport()
    saved = {}
    for code, values in checked_sets:
        saved[code] = save_reference_row(FactorSet, {"code": code}, values, report)
    deleted_sets, _ = FactorSet.objects.exclude(code__in=seen_sets).delete()
    kept = []
    for (code, category), values in checked_factors:
        key = {"factor_set": saved[code], "category": category}
        kept.append(save_reference_row(Factor, key, values, report).pk)
    deleted_factors, _ = Factor.objects.exclude(pk__in=kept).delete()
    report.details["deleted"] = deleted_factors + deleted_sets
    return report
