"""An inventory as spreadsheets: its workbook in the Toolkit's layout and its lines as CSV (the
version the person reads: the team and the secretariat the latest, the public the published
one), the blank template, and the import of the lines from a spreadsheet (checked, shown, then
confirmed)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_safe

from mercuryhub.inventory import queries, workbook
from mercuryhub.inventory.import_forms import LinesImportConfirmForm, LinesImportForm
from mercuryhub.inventory.sheet_import import import_lines
from mercuryhub.lib.streams import streamed_download
from mercuryhub.lib.xlsx import CONTENT_TYPE as XLSX
from mercuryhub.review.errors import ConflictError


def _attachment(response, inventory, number, extension: str):
    name = f"inventory-{inventory.country_id}-{inventory.year}-v{number}.{extension}"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@require_safe
def inventory_xlsx(request, pk: int):
    inventory = queries.get_inventory_for_user(request.user, pk)
    table = queries.factor_table()
    read = queries.read_version(request.user, inventory, table)
    content = workbook.inventory_xlsx(
        inventory,
        read,
        state=queries.inventory_state(inventory),
        address=request.build_absolute_uri(reverse("inventory-detail", args=[inventory.pk])),
        table=table,
        sets=queries.factor_sets_cited(read.data),
        waste_labels=queries.waste_category_labels(),
    )
    return _attachment(HttpResponse(content, content_type=XLSX), inventory, read.number, "xlsx")


@require_safe
def inventory_csv(request, pk: int):
    inventory = queries.get_inventory_for_user(request.user, pk)
    table = queries.factor_table()
    read = queries.read_version(request.user, inventory, table)
    lines = workbook.lines_csv(read.data.get("lines") or [], table)
    return _attachment(
        streamed_download(lines, "text/csv; charset=utf-8"), inventory, read.number, "csv"
    )


@require_safe
def lines_template(request):
    response = HttpResponse(workbook.template_xlsx(queries.factor_table()), content_type=XLSX)
    response["Content-Disposition"] = 'attachment; filename="inventory-lines-template.xlsx"'
    return response


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def lines_import(request, pk: int):
    inventory = queries.get_inventory_for_team(request.user, pk)
    if request.method == "POST" and "rows" in request.POST:
        return _confirm_import(request, inventory)
    form = LinesImportForm(request.POST or None, request.FILES or None)
    context = {"inventory": inventory, "form": form, "content": _content(request, inventory)}
    if request.method == "POST" and form.is_valid():
        rows, mode = form.cleaned_data["file"], form.cleaned_data["mode"]
        report = _import(request, inventory, rows, mode, inventory.version, dry_run=True)
        context["report"], context["conflict"] = report, report is None
        if report and report.ok and report.changes_anything:
            token = LinesImportConfirmForm.lines_token(
                request.user, inventory, rows, mode=mode, base_version=inventory.version
            )
            context["confirm_form"] = LinesImportConfirmForm(
                initial={"rows": token}, user=request.user, entry=inventory
            )
    return render(request, "inventory/lines_import.html", context)


def _content(request, inventory) -> dict:
    return queries.read_version(request.user, inventory).data


def _import(request, inventory, rows, mode, base_version, *, dry_run):
    try:
        return import_lines(
            request.user, inventory, rows, mode=mode, base_version=base_version, dry_run=dry_run
        )
    except ConflictError:
        return None


def _confirm_import(request, inventory):
    confirm = LinesImportConfirmForm(request.POST, user=request.user, entry=inventory)
    context = {
        "inventory": inventory,
        "form": LinesImportForm(),
        "content": _content(request, inventory),
    }
    if not confirm.is_valid():
        context["expired"] = confirm.errors["rows"]
        return render(request, "inventory/lines_import.html", context, status=400)
    report = _import(request, inventory, **confirm.cleaned_data["rows"], dry_run=False)
    if report is None:
        context["conflict"] = True
        return render(request, "inventory/lines_import.html", context, status=409)
    if not report.saved:
        context["report"] = report
        return render(request, "inventory/lines_import.html", context)
    count = len(report.changes)
    messages.success(
        request,
        ngettext(
            "The import changed %(count)s line of the inventory, as a new version.",
            "The import changed %(count)s lines of the inventory, as a new version.",
            count,
        )
        % {"count": count},
    )
    return redirect("inventory-edit", pk=inventory.pk)
