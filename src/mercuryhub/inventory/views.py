"""The inventory pages: the inventories a person may read, starting one, an inventory with its
results, and its editor (its own fields, its lines one by one, submission for review)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from mercuryhub.accounts.forms import add_action_errors
from mercuryhub.accounts.queries import organizations_editable_by
from mercuryhub.inventory import actions, queries
from mercuryhub.inventory.forms import (
    InventoryChangeForm,
    InventoryForm,
    LineForm,
    add_line_errors,
)
from mercuryhub.inventory.import_forms import LinesImportForm
from mercuryhub.inventory.vocabulary import pathways
from mercuryhub.lib.errors import InvalidInputError
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
