"""The NAP pages around the reference data: the status of the NAPs around the world, a country's
page (its status, plans, national overview and field data) and the published NAPs' budgets
compared, with a plan's own budget beside them."""

from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from mercuryhub.asgm import queries as asgm_queries
from mercuryhub.lib.errors import InvalidInputError
from mercuryhub.nap import budgets, queries
from mercuryhub.nap.models import PlanStatus
from mercuryhub.taxonomy.queries import resolve_country

FLAGGED_PAGE_SIZE = 25


def _published_plans_by_country(user) -> dict[str, object]:
    """The latest published plan of each country that this person may read."""
    plans = queries.plans_visible_to(user).filter(published=True).order_by("country_id", "-pk")
    found = {}
    for plan in plans:
        found.setdefault(plan.country_id, plan)
    return found


@require_safe
def world(request):
    chosen = request.GET.get("status", "")
    if chosen not in PlanStatus.Status.values:
        chosen = ""
    statuses = list(queries.plan_statuses(chosen))
    plans = _published_plans_by_country(request.user)
    for status in statuses:
        status.plan = plans.get(status.country_id)
    counts = queries.plan_status_counts()
    points = [
        {
            "iso3": s.country_id,
            "name": s.country.localized_name,
            "lat": s.country.latitude,
            "lon": s.country.longitude,
            "status": s.status,
            "submitted_on": s.submitted_on.isoformat() if s.submitted_on else "",
            "url": reverse("nap-country", args=[s.country_id]),
            "plan_url": plans[s.country_id].get_absolute_url() if s.country_id in plans else "",
        }
        for s in statuses
        if s.country.latitude is not None
    ]
    return render(
        request,
        "nap/world.html",
        {
            "statuses": statuses,
            "chosen": chosen,
            "choices": [
                (value, label, counts.get(value, 0)) for value, label in PlanStatus.Status.choices
            ],
            "total": sum(counts.values()),
            "map_points": points,
            "map_labels": {
                "statuses": dict(PlanStatus.Status.choices),
                "status": _("Status"),
                "submitted": _("Submitted on"),
                "country_page": _("Country page"),
                "plan": _("The plan on MercuryHub"),
            },
        },
    )


@require_safe
def country(request, iso3: str):
    try:
        place = resolve_country(iso3)
    except InvalidInputError:
        raise Http404(f"No country {iso3}") from None
    has_sites = asgm_queries.sites_of(place).exists()
    reference = [row for row in budgets.reference_budgets()[0] if row.iso3 == place.iso3]
    return render(
        request,
        "nap/country.html",
        {
            "country": place,
            "status": PlanStatus.objects.filter(country=place).first(),
            "plans": queries.plans_of_country(place, request.user).order_by("-pk"),
            "has_sites": has_sites,
            "sources": asgm_queries.overview_sources(place) if has_sites else None,
            "reference_budget": reference[0] if reference else None,
            "themes": budgets.themes(),
        },
    )


def _plan_rows(request):
    """The budget of the plan asked for (``?plan=<pk>``, a plan this person may read), as this
    person reads it; none without the parameter, 404 for a plan they may not read."""
    pk = request.GET.get("plan", "")
    if not pk:
        return None, []
    if not pk.isdigit():
        raise Http404("No such plan")
    plan = queries.get_plan_for_user(request.user, int(pk))
    return plan, budgets.plan_budgets(plan, queries.plan_content(request.user, plan))


@require_safe
def budgets_compared(request):
    plan, plan_rows = _plan_rows(request)
    rows, overall = budgets.reference_budgets()
    themes = budgets.themes()
    chart = {
        "themes": [theme.localized_label for theme in themes],
        "bars": [
            {"label": row.label, "shares": [float(s or 0) for s in row.shares]}
            for row in [*plan_rows, *rows]
        ],
        "plan_bars": len(plan_rows),
        "axis": _("Share of the budget (%)"),
    }
    for bar, row in zip(chart["bars"], plan_rows, strict=False):
        bar["label"] = f"{row.label} ({row.currency})"
    return render(
        request,
        "nap/budgets.html",
        {
            "themes": themes,
            "rows": rows,
            "overall": overall,
            "plan": plan,
            "plan_rows": plan_rows,
            "page": Paginator(budgets.flagged_lines(), FLAGGED_PAGE_SIZE).get_page(
                request.GET.get("page")
            ),
            "chart": chart,
            "source_url": budgets.SOURCE_URL,
            "licence": budgets.LICENCE,
        },
    )
