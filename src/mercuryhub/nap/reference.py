"""Loading the NAP reference data shipped in ``nap/data/``: where each country stands with its NAP
(``nap_status.csv`` → PlanStatus) and the budget lines of the 16 NAPs published by the end of 2021
(``nap_budgets.csv`` → BudgetLine, Prescott et al. 2022, CC0).

Both loaders work as the platform's other reference importers (asgm's mercury-to-gold ratios):
every row is checked first, nothing is saved unless all are right (ReferenceDataError naming each
bad row and column), and a second load of the same file changes nothing (LoadReport: created,
updated, unchanged; rows no longer in the file are deleted and counted under details)."""

import datetime
import re
from decimal import Decimal, InvalidOperation
from importlib import resources
from pathlib import Path

from django.db import transaction

from mercuryhub.nap.budgets import theme_codes
from mercuryhub.nap.models import BudgetLine, PlanStatus
from mercuryhub.taxonomy.actions import (
    LoadReport,
    ReferenceDataError,
    read_reference_rows,
    save_reference_row,
)
from mercuryhub.taxonomy.models import Country

STATUS_COLUMNS = (
    "country",
    "country_name",
    "nap_status",
    "submitted_date",
    "nap_language",
    "notes",
    "source",
)
BUDGET_COLUMNS = (
    "Country",
    "Code",
    "Strategy",
    "Item",
    "Cost_Original",
    "Currency",
    "Conversion",
    "Cost_USD",
    "NAP_Language",
)
# Cost_USD is consistent when it is Cost_Original / Conversion to the cent. The dataset's USD
# amounts are given to the cent; where a row's USD amount was worked out at another rate than
# the one it states (Mongolia: about 0.13% off), or from another amount (Republic of Congo, DR
# Congo), the row is flagged.
CONSISTENCY_TOLERANCE_USD = Decimal("0.01")
_AMOUNT = re.compile(r"-?\d{1,3}('\d{3})*(\.\d+)?|-?\d+(\.\d+)?")
_CURRENCY = re.compile(r"[A-Z]{3}")
_LANGUAGE = re.compile(r"[a-z]{2}(-[a-z]+)?")


def _data_path(name: str) -> Path:
    return Path(str(resources.files("mercuryhub.nap") / "data" / name))


def default_status_path() -> Path:
    return _data_path("nap_status.csv")


def default_budget_path() -> Path:
    return _data_path("nap_budgets.csv")


def _countries_by_name() -> dict[str, str]:
    """Every name a country goes by in the taxonomy (short, official, in the six languages),
    lower-cased, → ISO3."""
    names: dict[str, str] = {}
    for iso3, name, official, localized in Country.objects.values_list(
        "iso3", "name", "official_name", "names"
    ):
        for value in [name, official, *(localized or {}).values()]:
            if value:
                names.setdefault(value.strip().lower(), iso3)
    return names


def _resolve_country_name(name: str, names: dict[str, str], known: set[str]) -> str | None:
    """A country's ISO3 from its name as a dataset writes it ("Laos", "Republic of Congo"): the
    taxonomy's names, else hdx-python-country's names and aliases (offline)."""
    iso3 = names.get(name.lower())
    if iso3:
        return iso3
    from hdx.location.country import Country as HdxCountry

    iso3, _exact = HdxCountry.get_iso3_country_code_fuzzy(name, use_live=False)
    return iso3 if iso3 in known else None


# NAP status -----------------------------------------------------------------------------------


def _status_values(line: int, row: dict, known: set[str], problems: list[str]) -> dict | None:
    found = len(problems)
    if row["country"] not in known:
        problems.append(f"row {line}, column country: {row['country']!r} is no ISO3 country code")
    if row["nap_status"] not in PlanStatus.Status.values:
        problems.append(
            f"row {line}, column nap_status: {row['nap_status']!r} is not one of "
            + ", ".join(PlanStatus.Status.values)
        )
    submitted_on = None
    if row["submitted_date"]:
        try:
            submitted_on = datetime.date.fromisoformat(row["submitted_date"])
        except ValueError:
            problems.append(
                f"row {line}, column submitted_date: {row['submitted_date']!r} is not a date "
                "(YYYY-MM-DD)"
            )
    language = row["nap_language"].lower()
    if language and not _LANGUAGE.fullmatch(language):
        problems.append(f"row {line}, column nap_language: {row['nap_language']!r} is no code")
    if row.get("<extra>"):
        problems.append(f"row {line}: more values than the {len(STATUS_COLUMNS)} columns")
    if len(problems) > found:
        return None
    return {
        "status": row["nap_status"],
        "submitted_on": submitted_on,
        "language": language,
        "notes": row["notes"],
        "source": row["source"],
    }


@transaction.atomic
def do_load_plan_statuses(path: Path | None = None) -> LoadReport:
    """Each country's NAP status from a CSV of the shipped layout (STATUS_COLUMNS)."""
    path = path or default_status_path()
    rows = read_reference_rows(path, STATUS_COLUMNS)
    known = set(Country.objects.values_list("iso3", flat=True))
    problems: list[str] = []
    seen: dict[str, int] = {}
    checked = []
    for line, row in rows:
        values = _status_values(line, row, known, problems)
        if row["country"] in seen:
            problems.append(
                f"row {line}, column country: {row['country']} is already on row "
                f"{seen[row['country']]}"
            )
        seen.setdefault(row["country"], line)
        checked.append((row["country"], values))
    if problems:
        raise ReferenceDataError(str(path), problems)
    report = LoadReport()
    for iso3, values in checked:
        save_reference_row(PlanStatus, {"country_id": iso3}, values, report)
    deleted, _ = PlanStatus.objects.exclude(country_id__in=seen).delete()
    report.details["deleted"] = deleted
    return report


# Budget lines ---------------------------------------------------------------------------------


def _amount(line: int, row: dict, column: str, problems: list[str]) -> Decimal | None:
    text = row[column]
    if not _AMOUNT.fullmatch(text):
        problems.append(
            f"row {line}, column {column}: {text!r} is not an amount (digits, an apostrophe "
            "between thousands, a point before decimals)"
        )
        return None
    try:
        return Decimal(text.replace("'", ""))
    except InvalidOperation:  # pragma: no cover - the pattern admits only numbers
        problems.append(f"row {line}, column {column}: {text!r} is not an amount")
        return None


def is_conversion_consistent(cost_original: Decimal, conversion: Decimal, cost_usd: Decimal):
    return abs(cost_usd - cost_original / conversion) <= CONSISTENCY_TOLERANCE_USD


def _budget_values(line: int, row: dict, context: dict, problems: list[str]) -> dict | None:
    found = len(problems)
    iso3 = _resolve_country_name(row["Country"], context["names"], context["known"])
    if iso3 is None:
        problems.append(f"row {line}, column Country: {row['Country']!r} is no known country")
    if row["Code"] not in context["themes"]:
        problems.append(
            f"row {line}, column Code: {row['Code']!r} is not one of the themes: "
            + ", ".join(context["themes"])
        )
    if not row["Item"]:
        problems.append(f"row {line}, column Item: the item is missing")
    original = _amount(line, row, "Cost_Original", problems)
    usd = _amount(line, row, "Cost_USD", problems)
    conversion = _amount(line, row, "Conversion", problems)
    if conversion is not None and conversion <= 0:
        problems.append(f"row {line}, column Conversion: the rate must be more than 0")
    if not _CURRENCY.fullmatch(row["Currency"]):
        problems.append(f"row {line}, column Currency: {row['Currency']!r} is no ISO 4217 code")
    language = row["NAP_Language"].lower()
    if language and not _LANGUAGE.fullmatch(language):
        problems.append(f"row {line}, column NAP_Language: {row['NAP_Language']!r} is no code")
    if row.get("<extra>"):
        problems.append(f"row {line}: more values than the {len(BUDGET_COLUMNS)} columns")
    if len(problems) > found:
        return None
    return {
        "country_id": iso3,
        "theme": row["Code"],
        "strategy": row["Strategy"],
        "item": row["Item"],
        "cost_original": original,
        "currency": row["Currency"],
        "conversion": conversion,
        "cost_usd": usd,
        "conversion_consistent": is_conversion_consistent(original, conversion, usd),
        "language": language,
    }


@transaction.atomic
def do_load_budget_lines(path: Path | None = None) -> LoadReport:
    """The budget lines of the published NAPs from a CSV of the dataset's layout
    (BUDGET_COLUMNS). A line is known by its country and its place among the country's rows
    (``line``: 1, 2, …). Both amounts are kept as published; ``conversion_consistent`` flags the
    rows whose USD amount is not the original divided by the conversion rate. ``details``
    counts the flagged lines."""
    path = path or default_budget_path()
    rows = read_reference_rows(path, BUDGET_COLUMNS)
    context = {
        "names": _countries_by_name(),
        "known": set(Country.objects.values_list("iso3", flat=True)),
        "themes": theme_codes(),
    }
    problems: list[str] = []
    checked = []
    numbers: dict[str, int] = {}
    for line, row in rows:
        values = _budget_values(line, row, context, problems)
        if values is not None:
            iso3 = values.pop("country_id")
            numbers[iso3] = numbers.get(iso3, 0) + 1
            checked.append(({"country_id": iso3, "line": numbers[iso3]}, values))
    if problems:
        raise ReferenceDataError(str(path), problems)
    report = LoadReport()
    existing = {(b.country_id, b.line): b for b in BudgetLine.objects.all()}
    new, changed = [], []
    for key, values in checked:
        entry = existing.pop((key["country_id"], key["line"]), None)
        if entry is None:
            new.append(BudgetLine(**key, **values))
            report.add("created")
        elif any(getattr(entry, name) != value for name, value in values.items()):
            for name, value in values.items():
                setattr(entry, name, value)
            changed.append(entry)
            report.add("updated")
        else:
            report.add("unchanged")
    BudgetLine.objects.bulk_create(new, batch_size=500)
    BudgetLine.objects.bulk_update(changed, list(checked[0][1]) if checked else [], batch_size=500)
    deleted, _ = BudgetLine.objects.filter(pk__in=[b.pk for b in existing.values()]).delete()
    report.details["deleted"] = deleted
    report.details["countries"] = len(numbers)
    report.details["flagged"] = sum(1 for _key, v in checked if not v["conversion_consistent"])
    return report
