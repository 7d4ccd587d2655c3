"""The NAP reference data in the API, read-only and public: each country's NAP status, and the
published NAPs' budgets by country and theme (Prescott et al. 2022, CC0) with the lines whose
conversion is inconsistent."""

import datetime

from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema

from mercuryhub.lib.api import ERROR_RESPONSES, ApiError, Pagination
from mercuryhub.nap import budgets, queries
from mercuryhub.nap.models import PlanStatus

router = Router(tags=["nap"])


class StatusQuery(Pagination.Input):
    status: str = Field(
        "", max_length=20, description="Only this status: submitted, in-development, unknown"
    )


class StatusOut(Schema):
    country: str = Field(description="ISO 3166-1 alpha-3 code")
    country_name: str
    status: str = Field(description="submitted, in-development or unknown")
    status_label: str
    submitted_on: datetime.date | None
    language: str = Field(description="The plan's language (ISO 639-1), where known")
    notes: str
    source: str


class StatusPage(Schema):
    count: int
    items: list[StatusOut]


@router.get(
    "/nap-statuses",
    response={200: StatusPage, **ERROR_RESPONSES},
    summary="List the countries' National Action Plan statuses",
)
def list_nap_statuses(request, params: Query[StatusQuery]):
    """Where each country stands with its ASGM National Action Plan, as public sources record
    it, by country name."""
    if params.status and params.status not in PlanStatus.Status.values:
        message = f"Unknown status {params.status!r}; use " + ", ".join(PlanStatus.Status.values)
        raise ApiError(400, message, [{"field": "query.status", "message": message}])
    statuses = queries.plan_statuses(params.status)
    page = statuses[params.offset : params.offset + params.limit]
    return {
        "count": statuses.count(),
        "items": [
            {
                "country": status.country_id,
                "country_name": status.country.localized_name,
                "status": status.status,
                "status_label": status.get_status_display(),
                "submitted_on": status.submitted_on,
                "language": status.language,
                "notes": status.notes,
                "source": status.source,
            }
            for status in page
        ],
    }


class ThemeOut(Schema):
    code: str = Field(description="The dataset's theme code")
    label: str
    elements: list[str] = Field(
        description="The Annex C elements MercuryHub counts under this theme (its own mapping)"
    )


class ThemeAmountOut(Schema):
    theme: str
    usd: float = Field(description="The dataset's amounts in US dollars, added up")
    share: float | None = Field(description="Percent of the budget's total")


class BudgetOut(Schema):
    country: str | None = Field(description="ISO3; null for all the plans together")
    country_name: str
    lines: int
    flagged_lines: int = Field(description="Lines whose USD amount is not original ÷ conversion")
    total_usd: float = Field(description="The dataset's USD amounts, added up")
    total_usd_from_original: float = Field(description="Each line's original ÷ conversion, added")
    themes: list[ThemeAmountOut]


class FlaggedLineOut(Schema):
    country: str
    line: int = Field(description="The line's place among its country's lines in the dataset")
    theme: str
    item: str
    cost_original: float
    currency: str
    conversion: float
    cost_usd: float = Field(description="As the dataset gives it")
    usd_from_original: float = Field(description="cost_original ÷ conversion")


class BudgetSummaryOut(Schema):
    source: str
    source_url: str
    licence: str
    themes: list[ThemeOut]
    countries: list[BudgetOut]
    overall: BudgetOut
    flagged: list[FlaggedLineOut]


def _budget(row, themes) -> dict:
    return {
        "country": row.iso3 or None,
        "country_name": row.label,
        "lines": row.lines,
        "flagged_lines": row.flagged,
        "total_usd": row.total,
        "total_usd_from_original": row.total_from_original,
        "themes": [
            {"theme": theme.code, "usd": amount, "share": share}
            for theme, amount, share in zip(themes, row.amounts, row.shares, strict=True)
        ],
    }


@router.get(
    "/nap-budgets/summary",
    response={200: BudgetSummaryOut, **ERROR_RESPONSES},
    summary="The published National Action Plans' budgets by country and theme",
)
def get_nap_budget_summary(request):
    """The budget lines of the NAPs published by the end of 2021 (Prescott et al. 2022, CC0),
    added up by country and theme in the dataset's US dollars, each country's total also worked
    out from the original amounts, and every line whose conversion is inconsistent."""
    themes = budgets.themes()
    rows, overall = budgets.reference_budgets()
    overall.label = _("All the published plans")
    return {
        "source": budgets.SOURCE_NAME,
        "source_url": budgets.SOURCE_URL,
        "licence": budgets.LICENCE,
        "themes": [
            {"code": t.code, "label": t.localized_label, "elements": list(t.elements)}
            for t in themes
        ],
        "countries": [_budget(row, themes) for row in rows],
        "overall": _budget(overall, themes),
        "flagged": [
            {
                "country": line.country_id,
                "line": line.line,
                "theme": line.theme,
                "item": line.item,
                "cost_original": line.cost_original,
                "currency": line.currency,
                "conversion": line.conversion,
                "cost_usd": line.cost_usd,
                "usd_from_original": line.usd_from_original,
            }
            for line in budgets.flagged_lines()
        ],
    }
