"""Inventories compared: the page (the inventories a person may read to choose from; the
chosen ones' mercury per pathway and per waste category side by side, per inhabitant, the
differences from the first, a chart) and the same comparison as CSV."""

from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import get_language_bidi
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from mercuryhub.inventory import charts, comparison, queries
from mercuryhub.inventory.forms import CompareForm
from mercuryhub.inventory.queries import inventory_state


def _compared(request) -> tuple[CompareForm, list[comparison.Compared]]:
    """The form of the choice and the inventories chosen, each in the version the person
    reads (none where the choice is refused)."""
    form = CompareForm(
        request.GET or None, inventories=queries.inventories_to_compare(request.user)
    )
    if not form.is_valid():
        return form, []
    versions = queries.compared_versions(request.user, form.cleaned_data["inventory"])
    return form, [
        comparison.compared(number, inventory, inventory_state(inventory), read.data, read.results)
        for number, (inventory, read) in enumerate(versions, start=1)
    ]


@require_safe
def inventory_compare(request):
    form, items = _compared(request)
    found = comparison.compare(items) if len(items) >= 2 else None
    chart = None
    if found:
        series = [(f"{c.number}. {c.short_name}", c.results.by_pathway) for c in items]
        chart = charts.grouped_by_pathway(series, rtl=get_language_bidi())
    choices = [
        (option, inventory_state(option.data["value"].instance)) for option in form["inventory"]
    ]
    return render(
        request,
        "inventory/compare.html",
        {
            "form": form,
            "choices": choices,
            "chosen": items,
            "comparison": found,
            "chart": chart,
            "max_compared": comparison.MAX_COMPARED,
            "query": request.GET.urlencode(),
        },
    )


@require_safe
def inventory_compare_csv(request):
    _form, items = _compared(request)
    if len(items) < 2:
        return HttpResponse(
            _("Choose at least two inventories that you may read: ?inventory=ID&inventory=ID"),
            status=400,
            content_type="text/plain; charset=utf-8",
        )
    lines = comparison.comparison_csv(comparison.compare(items))
    response = HttpResponse("".join(lines), content_type="text/csv; charset=utf-8")
    name = f"inventories-compared-{timezone.localdate().isoformat()}.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
