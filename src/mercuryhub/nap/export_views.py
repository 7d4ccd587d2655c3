"""A plan as a Word document, and the import of its objectives and actions from a spreadsheet
(with the template to fill in)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import get_language, ngettext
from django.views.decorators.http import require_http_methods, require_safe

from mercuryhub.lib.streams import streamed_download
from mercuryhub.lib.xlsx import CONTENT_TYPE as XLSX
from mercuryhub.nap import queries
from mercuryhub.nap.import_forms import PlanImportConfirmForm, PlanImportForm
from mercuryhub.nap.plan_docx import Edition
from mercuryhub.nap.plan_docx import plan_docx as plan_docx_of
from mercuryhub.nap.plan_spreadsheets import ACTIONS, OBJECTIVES, import_plan_rows, template_xlsx
from mercuryhub.review.errors import ConflictError

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@require_safe
def plan_docx(request, pk: int):
    """The version of the plan this person reads: the team its draft, the public the published
    one."""
    plan = queries.get_plan_for_user(request.user, pk)
    read = queries.read_version(request.user, plan)
    content, number = read.data, read.number
    saved_at = queries.version_saved_at(plan, number)
    edition = Edition(
        country=plan.country.localized_name,
        team=plan.organization.name,
        version=number,
        saved_on=timezone.localdate(saved_at) if saved_at else None,
        published=bool(plan.published and number == plan.published_version),
        address=request.build_absolute_uri(reverse("nap-plan-detail", args=[plan.pk])),
    )
    response = HttpResponse(plan_docx_of(content, edition), content_type=DOCX)
    name = f"nap-{plan.country_id}-{slugify(content.get('name') or '')[:60]}-v{number}"
    response["Content-Disposition"] = f'attachment; filename="{name}-{get_language()}.docx"'
    return response


@login_required
@require_safe
def plan_import_template(request, pk: int):
    plan = queries.get_plan_for_team(request.user, pk)
    name = f"nap-{plan.country_id}-objectives-actions-template.xlsx"
    return streamed_download(template_xlsx(), XLSX, name)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def plan_import(request, pk: int):
    plan = queries.get_plan_for_team(request.user, pk)
    if request.method == "POST" and "rows" in request.POST:
        return _confirm_import(request, plan)
    form = PlanImportForm(request.POST or None, request.FILES or None)
    context = {"plan": plan, "form": form, "content": queries.plan_content(request.user, plan)}
    if request.method == "POST" and form.is_valid():
        rows, mode = form.cleaned_data["file"], form.cleaned_data["mode"]
        report = _import(request, plan, rows, mode, plan.version, dry_run=True)
        context["report"] = report
        if report.ok:
            context["confirm_form"] = PlanImportConfirmForm(
                initial={
                    "rows": PlanImportConfirmForm.plan_token(
                        request.user, plan, rows, mode=mode, base_version=plan.version
                    )
                },
                user=request.user,
                entry=plan,
            )
    return render(request, "nap/plan_import.html", context)


def _import(request, plan, rows, mode, base_version, *, dry_run):
    try:
        return import_plan_rows(
            request.user, plan, rows, mode=mode, base_version=base_version, dry_run=dry_run
        )
    except ConflictError:
        return None


def _confirm_import(request, plan):
    confirm = PlanImportConfirmForm(request.POST, user=request.user, entry=plan)
    context = {"plan": plan, "form": PlanImportForm()}
    if not confirm.is_valid():
        context["expired"] = confirm.errors["rows"]
        return render(request, "nap/plan_import.html", context, status=400)
    checked = confirm.cleaned_data["rows"]
    report = _import(request, plan, **checked, dry_run=False)
    if report is None:
        context["conflict"] = True
        return render(request, "nap/plan_import.html", context, status=409)
    if report.saved:
        messages.success(
            request,
            ngettext(
                "%(count)s row imported into the plan, as a new version.",
                "%(count)s rows imported into the plan, as a new version.",
                report.count(OBJECTIVES) + report.count(ACTIONS),
            )
            % {"count": report.count(OBJECTIVES) + report.count(ACTIONS)},
        )
        return redirect("nap-plan-builder", pk=plan.pk)
    context["report"] = report
    return render(request, "nap/plan_import.html", context)
