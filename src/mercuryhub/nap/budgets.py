"""NAP budgets compared: the themes of the reference dataset (``data/budget_themes.json``), the
16 published NAPs' budgets by theme (BudgetLine, Prescott et al. 2022) and a plan's own budget
mapped onto the same themes through the Annex C elements of its actions.

Amounts are never converted here: the reference is in the dataset's USD (with its own totals
worked out from the original amounts beside them, for the lines whose conversion is
inconsistent), and a plan's budget is compared in each of its currencies by its shares."""

import json
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache
from importlib import resources

from django.db.models import F, Sum
from django.utils.translation import get_language

from mercuryhub.nap.models import BudgetLine
from mercuryhub.nap.schedule import budget_by_element
from mercuryhub.taxonomy.models import Country

SOURCE_NAME = "Prescott et al. 2022, One Earth 5(3)"
SOURCE_URL = "https://github.com/grahamprescott/Minamata-ASGM-Formalization-Perspective"
LICENCE = "CC0 1.0"
_HUNDRED = Decimal(100)


@cache
def _themes_file() -> dict:
    path = resources.files("mercuryhub.nap") / "data" / "budget_themes.json"
    return json.loads(path.read_text(encoding="utf-8"))


@dataclass(frozen=True)
class Theme:
    code: str
    label: str
    translations: dict
    elements: tuple[str, ...]

    @property
    def localized_label(self) -> str:
        language = (get_language() or "en").lower()
        language = "zh" if language.startswith("zh") else language.split("-")[0]
        return self.translations.get(language) or self.label


def themes() -> list[Theme]:
    """The eight themes in the file's order."""
    return [
        Theme(t["code"], t["label"], t.get("translations", {}), tuple(t["elements"]))
        for t in _themes_file()["themes"]
    ]


def theme_codes() -> list[str]:
    return [theme.code for theme in themes()]


def theme_of_element() -> dict[str, str]:
    """Annex C element code → theme code (the platform's mapping, for comparison)."""
    return {element: theme.code for theme in themes() for element in theme.elements}


def _share(part: Decimal, whole: Decimal) -> Decimal | None:
    return (part * _HUNDRED / whole).quantize(Decimal("0.1")) if whole else None


@dataclass
class BudgetRow:
    """One budget by theme: a country's in the reference, the whole reference, or a plan's in
    one currency. ``amounts`` and ``shares`` (percent) in the order of ``themes()``."""

    label: str
    currency: str
    amounts: list[Decimal]
    total: Decimal
    shares: list[Decimal | None] = field(default_factory=list)
    iso3: str = ""
    # The reference only: the total worked out line by line as Cost_Original / Conversion,
    # and the number of lines whose USD amount is not that.
    total_from_original: Decimal | None = None
    flagged: int = 0
    lines: int = 0
    plan: object = None

    def __post_init__(self):
        self.shares = [_share(amount, self.total) for amount in self.amounts]

    @property
    def cells(self) -> list[tuple[str, Decimal, Decimal | None]]:
        """(theme's label in the reader's language, amount, share) in the themes' order."""
        labels = [theme.localized_label for theme in themes()]
        return list(zip(labels, self.amounts, self.shares, strict=True))


def reference_budgets() -> tuple[list[BudgetRow], BudgetRow]:
    """The published NAPs' budgets by theme in the dataset's USD, by country name, and the
    overall one. Three queries."""
    codes = theme_codes()
    sums = BudgetLine.objects.values("country_id", "theme").annotate(usd=Sum("cost_usd")).order_by()
    by_country: dict[str, dict[str, Decimal]] = {}
    for row in sums:
        by_country.setdefault(row["country_id"], {})[row["theme"]] = row["usd"] or Decimal(0)
    from_original: dict[str, Decimal] = {}
    flagged: dict[str, int] = {}
    lines: dict[str, int] = {}
    for iso3, original, conversion, consistent in BudgetLine.objects.values_list(
        "country_id", "cost_original", "conversion", "conversion_consistent"
    ).order_by():
        from_original[iso3] = from_original.get(iso3, Decimal(0)) + original / conversion
        flagged[iso3] = flagged.get(iso3, 0) + (not consistent)
        lines[iso3] = lines.get(iso3, 0) + 1
    countries = Country.objects.in_bulk(list(by_country))
    rows = []
    for iso3, amounts in by_country.items():
        values = [amounts.get(code, Decimal(0)) for code in codes]
        rows.append(
            BudgetRow(
                label=countries[iso3].localized_name,
                currency="USD",
                amounts=values,
                total=sum(values, Decimal(0)),
                iso3=iso3,
                total_from_original=from_original[iso3].quantize(Decimal("0.01")),
                flagged=flagged[iso3],
                lines=lines[iso3],
            )
        )
    rows.sort(key=lambda row: row.label)
    overall = [sum((row.amounts[i] for row in rows), Decimal(0)) for i in range(len(codes))]
    total = BudgetRow(
        label="",
        currency="USD",
        amounts=overall,
        total=sum(overall, Decimal(0)),
        total_from_original=sum((r.total_from_original for r in rows), Decimal(0)),
        flagged=sum(r.flagged for r in rows),
        lines=sum(r.lines for r in rows),
    )
    return rows, total


def flagged_lines():
    """The lines whose USD amount is not the original amount divided by the conversion rate,
    with that quotient beside it (``usd_from_original``)."""
    return (
        BudgetLine.objects.filter(conversion_consistent=False)
        .select_related("country")
        .annotate(usd_from_original=F("cost_original") / F("conversion"))
        .order_by("country__name", "line")
    )


def plan_budgets(plan, data: dict) -> list[BudgetRow]:
    """A plan's budget by theme, one row per currency of its actions: its actions' Annex C
    elements mapped onto the themes; actions without an element or a budget are left out."""
    mapping = theme_of_element()
    codes = theme_codes()
    amounts: dict[str, dict[str, Decimal]] = {}
    for row in budget_by_element(data, list(mapping)):
        theme = mapping.get(row.element)
        if theme is None or not row.currency:
            continue
        by_theme = amounts.setdefault(row.currency, {})
        by_theme[theme] = by_theme.get(theme, Decimal(0)) + row.total
    rows = []
    for currency, by_theme in sorted(amounts.items()):
        values = [by_theme.get(code, Decimal(0)) for code in codes]
        rows.append(
            BudgetRow(
                label=plan.name,
                currency=currency,
                amounts=values,
                total=sum(values, Decimal(0)),
                plan=plan,
            )
        )
    return rows
