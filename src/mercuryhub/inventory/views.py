"""The inventory pages: the inventories a person may read, starting one, an inventory with its
results, and its editor (its own fields, its lines one by one, submission for review); the
facilities for each waste it counts, with a need to post in the solution exchange; the cited
factor sets."""

from decimal import Decimal

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language_bidi
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from mercuryhub.accounts.forms import add_action_errors
from mercuryhub.accounts.queries import organizations_editable_by
from mercuryhub.inventory import actions, charts, queries
from mercuryhub.inventory.flow_chart import flow_chart
from mercuryhub.inventory.forms import (
    InventoryChangeForm,
    InventoryForm,
    LineForm,
    add_line_errors,
)
from mercuryhub.inventory.import_forms import LinesImportForm
from mercuryhub.inventory.vocabulary import categories, pathways
from mercuryhub.lib.errors import InvalidInputError, StateError
from mercuryhub.review import actions as review_actions
from mercuryhub.review import errors as review_errors
from mercuryhub.review.actions import ConflictError

INVENTORIES_PER_PAGE = 20


@require_safe
def inventory_list(request):
    inventories = queries.inventories_visible_to(request.user).order_by(
        "country__name", "-year", "-pk"
    )
    page = Paginator(inventories, INVENTORIES_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "inventory/inventory_list.html",
        {
            "page": page,
            "rows": [
                (inventory, queries.inventory_state(inventory)) for inventory in page.object_list
            ],
            "may_start": organizations_editable_by(request.user).exists(),
        },
    )


@login_required
def inventory_create(request):
    organizations = list(organizations_editable_by(request.user))
    if not organizations:
        raise PermissionDenied("Only editors of an organization can start an inventory for it")
    form = InventoryForm(
        request.POST or None,
        organizations=organizations,
        initial={"organization": organizations[0].slug, "content_language": request.LANGUAGE_CODE},
    )
    if request.method == "POST" and form.is_valid():
        try:
            inventory = actions.do_create_inventory(request.user, form.inventory_data())
        except InvalidInputError as error:
            add_action_errors(form, error.errors)
        else:
            messages.success(
                request,
                _("“%(name)s” is started: a draft only its organization's editors see.")
                % {"name": inventory.name},
            )
            return redirect("inventory-edit", pk=inventory.pk)
    return render(request, "inventory/inventory_form.html", {"form": form})


def results_context(read) -> dict:
    """The results as tables read them: a row per line with its outputs in pathway order, and
    the totals per pathway."""
    results, order = read.results, pathways()
    return {
        "content": read.data,
        "results": results,
        "pathways": pathways(),
        "result_rows": [
            {"line": line, "outputs": [(p, line.outputs[p.code]) for p in order]}
            for line in results.lines
        ],
        "pathway_totals": [(p, results.by_pathway[p.code]) for p in order],
    }


@require_safe
def inventory_detail(request, pk: int):
    inventory = queries.get_inventory_for_user(request.user, pk)
    read = queries.read_version(request.user, inventory)
    return render(
        request,
        "inventory/inventory_detail.html",
        {
            "inventory": inventory,
            "state": queries.inventory_state(inventory),
            "may_edit": queries.may_edit(request.user, inventory),
            "reads_latest": read.latest,
            **results_context(read),
            "bar_chart": charts.stacked_by_category(read.results, rtl=get_language_bidi()),
            "flow_chart": flow_chart(read.results, rtl=get_language_bidi()),
        },
    )


def _conflict(request) -> None:
    messages.error(
        request,
        _(
            "Someone saved the inventory while you were editing it: your change was not saved. "
            "Here is the latest version; make your change again."
        ),
    )


@login_required
def inventory_edit(request, pk: int):
    inventory = queries.get_inventory_for_team(request.user, pk)
    read = queries.read_version(request.user, inventory)
    data = read.data
    form = InventoryChangeForm(
        request.POST or None,
        initial={
            "base_version": inventory.version,
            "name": data.get("name"),
            "year": data.get("year"),
            "population": data.get("population"),
            "summary": data.get("summary"),
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            actions.do_edit_inventory(
                request.user,
                inventory,
                form.changes(),
                base_version=form.cleaned_data["base_version"],
            )
        except ConflictError:
            _conflict(request)
            return redirect("inventory-edit", pk=inventory.pk)
        except InvalidInputError as error:
            add_action_errors(form, error.errors)
        else:
            messages.success(request, _("The inventory is saved."))
            return redirect("inventory-edit", pk=inventory.pk)
    return render(
        request,
        "inventory/inventory_edit.html",
        {
            "inventory": inventory,
            "state": queries.inventory_state(inventory),
            "form": form,
            "import_form": LinesImportForm(),
            **results_context(read),
        },
    )


@login_required
def line_edit(request, pk: int, number: int | None = None):
    inventory = queries.get_inventory_for_team(request.user, pk)
    lines = queries.read_version(request.user, inventory).data.get("lines") or []
    if number is not None and not 1 <= number <= len(lines):
        raise Http404(f"The inventory has no line {number}")
    initial = LineForm.initial_from(lines[number - 1]) if number else {}
    form = LineForm(
        request.POST or None,
        factor_sets=queries.factor_sets(),
        initial={**initial, "base_version": inventory.version},
    )
    if request.method == "POST" and form.is_valid():
        try:
            actions.do_save_line(
                request.user,
                inventory,
                number,
                form.line_data(),
                base_version=form.cleaned_data["base_version"],
            )
        except ConflictError:
            _conflict(request)
            return redirect("inventory-edit", pk=inventory.pk)
        except InvalidInputError as error:
            add_line_errors(form, error.errors, number or len(lines) + 1)
        else:
            messages.success(request, _("The line is saved."))
            return redirect("inventory-edit", pk=inventory.pk)
    return render(
        request,
        "inventory/line_form.html",
        {"inventory": inventory, "form": form, "number": number},
    )


@login_required
@require_POST
def line_remove(request, pk: int, number: int):
    inventory = queries.get_inventory_for_team(request.user, pk)
    try:
        base_version = int(request.POST.get("base_version", ""))
    except ValueError:
        base_version = -1
    try:
        actions.do_remove_line(request.user, inventory, number, base_version=base_version)
    except ConflictError:
        _conflict(request)
    except InvalidInputError as error:
        messages.error(request, " ".join(error.errors.values()))
    else:
        messages.success(request, _("The line is removed."))
    return redirect("inventory-edit", pk=inventory.pk)


@login_required
@require_POST
def inventory_submit(request, pk: int):
    inventory = queries.get_inventory_for_team(request.user, pk)
    try:
        review_actions.do_submit_entry("inventory", request.user, inventory)
    except review_errors.WorkflowError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            _("The inventory is submitted: the secretariat validates it before it is published."),
        )
    return redirect("inventory-detail", pk=inventory.pk)


# Solutions ----------------------------------------------------------------------------------


@require_safe
def inventory_solutions(request, pk: int):
    inventory = queries.get_inventory_for_user(request.user, pk)
    read = queries.read_version(request.user, inventory)
    solutions, located = queries.solutions_for(request.user, inventory, read.results)
    return render(
        request,
        "inventory/solutions.html",
        {
            "inventory": inventory,
            "content": read.data,
            "reads_latest": read.latest,
            "solutions": solutions,
            "located": located,
            "any_found": any(solution.found for solution in solutions),
            "may_edit": queries.may_edit(request.user, inventory),
            "map_data": _solutions_map_data(inventory, solutions),
            "map_labels": _solutions_map_labels(inventory),
            "basel_guidance_url": settings.BASEL_GUIDANCE_URL,
        },
    )


def _solutions_map_data(inventory, solutions) -> dict:
    """What catalogue/map.js draws (its grouped map): the centre of the inventory's country and
    the facilities found for each waste."""
    country = inventory.country
    located = country.latitude is not None and country.longitude is not None
    return {
        "origin": {"lat": country.latitude, "lon": country.longitude} if located else None,
        "groups": [
            {
                "code": solution.waste.code,
                "label": solution.waste.localized_label,
                "facilities": [found.map_point() for found in solution.found],
            }
            for solution in solutions
        ],
    }


def _solutions_map_labels(inventory) -> dict:
    return {
        "origin": _("The centre of %(country)s") % {"country": inventory.country.localized_name},
        "distance": _("%(km)s km away"),
        "transboundary": _("In another country"),
        "layers": _("Show or hide the facilities of each waste"),
    }


@login_required
@require_POST
def inventory_post_need(request, pk: int, waste: str):
    inventory = queries.get_inventory_for_team(request.user, pk)
    try:
        need = actions.do_post_inventory_need(request.user, inventory, waste)
    except StateError as error:
        messages.error(request, str(error))
    except InvalidInputError:
        messages.error(
            request, _("The inventory counts no mercury in this waste category: no need posted.")
        )
    else:
        messages.success(
            request,
            _("The need “%(name)s” is posted in the solution exchange.") % {"name": need.name},
        )
    return redirect(reverse("inventory-solutions", args=[inventory.pk]) + f"#waste-{waste}")


# Factor sets --------------------------------------------------------------------------------


@require_safe
def factor_set_list(request):
    return render(
        request, "inventory/factor_set_list.html", {"factor_sets": list(queries.factor_sets())}
    )


@require_safe
def factor_set_detail(request, code: str):
    factor_set = queries.get_factor_set(code)
    known, order = categories(), pathways()
    position = {code: number for number, code in enumerate(known)}
    factors = sorted(factor_set.factors.all(), key=lambda f: position.get(f.category, len(known)))
    rows = [
        {
            "factor": factor,
            "category": known.get(factor.category, factor.category),
            "shares": [
                (p, share)
                for p in order
                if (share := factor.distribution.get(p.code)) and Decimal(str(share)) != 0
            ],
        }
        for factor in factors
    ]
    return render(
        request, "inventory/factor_set_detail.html", {"factor_set": factor_set, "rows": rows}
    )
