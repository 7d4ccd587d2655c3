"""The NAP builder: the country team's pages for drafting its plan. An overview of the plan's
parts with the completeness check, a page per section (Markdown beside the library's guidance),
the structured parts row by row, the baseline, the schedule and budget, publication. Each change
is one versioned edit of the review layer (``actions``); a change from an older version than the
latest is a conflict, shown with the other person's changes and without losing what was typed.

The plan's country team only: the secretariat reads drafts but is refused (403) here; anyone
else is told the plan does not exist (404)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from mercuryhub.accounts.forms import add_action_errors
from mercuryhub.lib.errors import InvalidInputError
from mercuryhub.nap import actions, fields, queries
from mercuryhub.nap.forms import PARTS, ROW_FORMS, SectionForm, VersionForm, add_row_errors
from mercuryhub.nap.kinds import KIND
from mercuryhub.nap.views import plan_parts, plan_state, section_labels, term_labels
from mercuryhub.review.errors import ConflictError, WorkflowError
from mercuryhub.review.queries import latest_data

PART_LABELS = {
    "objectives": gettext_lazy("Objectives and targets"),
    "actions": gettext_lazy("Actions"),
    "stakeholders": gettext_lazy("Stakeholders"),
}


def _team_plan(user, pk: int):
    plan = queries.get_plan_for_user(user, pk)
    if not queries.is_team_member(user, plan):
        raise PermissionDenied("Only the plan's country team can change it")
    return plan


def _place_url(plan, place: str, code: str) -> str:
    if place in PARTS:
        return reverse("nap-plan-rows", args=[plan.pk, place])
    if place == "baseline":
        return reverse("nap-plan-section", args=[plan.pk, fields.BASELINE_ELEMENT]) + "#baseline"
    return reverse("nap-plan-section", args=[plan.pk, code]) + "#id_text"


def _builder_context(plan, content: dict) -> dict:
    parts = plan_parts(content)
    sections = content.get("sections") or {}
    checks = {element.code: element for element in parts["completeness"].elements}
    overview = []
    for code, label in parts["labels"].items():
        element = checks.get(code)
        written = bool(sections.get(code, "").strip())
        if element is None or not element.checks:
            state = "written" if written else "empty"
        else:
            state = "complete" if element.complete else "missing"
        overview.append({"code": code, "label": label, "state": state, "element": element})
    missing = [
        {
            "element": element,
            "items": [
                (item, _place_url(plan, place, element.code))
                for item, place in zip(element.missing, element.places, strict=True)
            ],
        }
        for element in parts["completeness"].elements
        if element.missing
    ]
    return {"plan": plan, "content": content, "overview": overview, "missing": missing, **parts}


@login_required
def plan_builder(request, pk: int):
    plan = _team_plan(request.user, pk)
    context = _builder_context(plan, latest_data("nap", plan))
    context.update(
        state=plan_state(plan), version_form=VersionForm(initial=_base(plan), auto_id=False)
    )
    return render(request, "nap/plan_builder.html", context)


def _base(plan) -> dict:
    return {"base_version": plan.version}


def _their_changes(conflict: ConflictError, labels: dict) -> list[str]:
    """What the others changed, as a reader names it: the sections by their title, the other
    parts by their label."""
    names = {field.name: str(field.label) for field in KIND.fields}
    found = []
    for name, old, new in conflict.their_changes:
        if name == "sections":
            old, new = old or {}, new or {}
            for code in labels:
                if (old.get(code) or "") != (new.get(code) or ""):
                    found.append(labels[code])
        else:
            found.append(names.get(name, name))
    return found


def _rebased(request, conflict: ConflictError):
    """The posted data, now based on the latest version: saving again keeps what was typed."""
    data = request.POST.copy()
    data["base_version"] = str(conflict.current_version)
    return data


@login_required
def section_edit(request, pk: int, code: str):
    plan = _team_plan(request.user, pk)
    labels = section_labels()
    if code not in labels:
        raise Http404(f"No section {code!r}")
    content = latest_data("nap", plan)
    initial = {**_base(plan), "text": (content.get("sections") or {}).get(code, "")}
    form = SectionForm(request.POST or None, initial=initial)
    conflict = preview = None
    if request.method == "POST" and form.is_valid():
        if "preview" in request.POST:
            preview = form.preview()
        else:
            try:
                actions.do_save_section(
                    request.user,
                    plan,
                    code,
                    form.cleaned_data["text"],
                    base_version=form.cleaned_data["base_version"],
                )
            except ConflictError as error:
                plan = _team_plan(request.user, pk)
                content = latest_data("nap", plan)
                conflict = {
                    "version": error.current_version,
                    "changes": _their_changes(error, labels),
                    "their_text": (content.get("sections") or {}).get(code, ""),
                }
                form = SectionForm(_rebased(request, error), initial=initial)
            except InvalidInputError as error:
                add_action_errors(form, {_section_key(k, code): m for k, m in error.errors.items()})
            else:
                messages.success(
                    request, _("The section “%(name)s” is saved.") % {"name": labels[code]}
                )
                return redirect("nap-plan-section", pk=plan.pk, code=code)
    context = {
        **_builder_context(plan, content),
        "code": code,
        "label": labels[code],
        "form": form,
        "preview": preview,
        "conflict": conflict,
        "guidance": queries.guidance_for(code, request.user)
        if code in fields.element_codes()
        else None,
        "version_form": VersionForm(initial=_base(plan), auto_id=False),
    }
    return render(request, "nap/section_form.html", context)


def _section_key(key: str, code: str) -> str:
    return "text" if key == f"sections.{code}" else key


def _part(part: str) -> str:
    if part not in PARTS:
        raise Http404(f"No part {part!r}")
    return part


@login_required
def rows(request, pk: int, part: str):
    plan = _team_plan(request.user, pk)
    part = _part(part)
    content = latest_data("nap", plan)
    return render(
        request,
        "nap/rows.html",
        {
            **_builder_context(plan, content),
            "part": part,
            "part_label": PART_LABELS[part],
            "rows": list(enumerate(content.get(part) or [], start=1)),
            "practice_labels": term_labels("worst_practices"),
            "type_labels": term_labels("stakeholder_types"),
            "version_form": VersionForm(initial=_base(plan), auto_id=False),
        },
    )


@login_required
def row_edit(request, pk: int, part: str, number: int | None = None):
    plan = _team_plan(request.user, pk)
    part = _part(part)
    form_class = ROW_FORMS[part]
    current = list(latest_data("nap", plan).get(part) or [])
    if number is not None and not 1 <= number <= len(current):
        raise Http404(f"No row {number} of {part}")
    initial = {**_base(plan), **(form_class.initial_from(current[number - 1]) if number else {})}
    form = form_class(request.POST or None, initial=initial)
    conflict = None
    if request.method == "POST" and form.is_valid():
        changed = list(current)
        place = number or len(changed) + 1
        if number:
            changed[number - 1] = form.row_data()
        else:
            changed.append(form.row_data())
        try:
            actions.do_save_rows(
                request.user, plan, part, changed, base_version=form.cleaned_data["base_version"]
            )
        except ConflictError as error:
            conflict = {
                "version": error.current_version,
                "changes": _their_changes(error, section_labels()),
            }
            form = form_class(_rebased(request, error), initial=initial)
        except InvalidInputError as error:
            add_row_errors(form, error.errors, part, place)
        else:
            messages.success(request, _("Row %(number)s is saved.") % {"number": place})
            return redirect("nap-plan-rows", pk=plan.pk, part=part)
    return render(
        request,
        "nap/row_form.html",
        {
            "plan": plan,
            "part": part,
            "part_label": PART_LABELS[part],
            "number": number,
            "form": form,
            "conflict": conflict,
        },
    )


def _conflict_message(request) -> None:
    messages.error(
        request,
        _(
            "Someone else saved the plan since you opened this page: nothing was changed. "
            "Look at the plan as it is now and do it again."
        ),
    )


@login_required
@require_POST
def row_remove(request, pk: int, part: str, number: int):
    plan = _team_plan(request.user, pk)
    part = _part(part)
    form = VersionForm(request.POST)
    current = list(latest_data("nap", plan).get(part) or [])
    if not form.is_valid() or not 1 <= number <= len(current):
        raise Http404(f"No row {number} of {part}")
    del current[number - 1]
    try:
        actions.do_save_rows(
            request.user, plan, part, current, base_version=form.cleaned_data["base_version"]
        )
    except ConflictError:
        _conflict_message(request)
    else:
        messages.success(request, _("Row %(number)s is removed.") % {"number": number})
    return redirect("nap-plan-rows", pk=plan.pk, part=part)


@login_required
@require_POST
def fill_baseline(request, pk: int):
    plan = _team_plan(request.user, pk)
    form = VersionForm(request.POST)
    if not form.is_valid():
        raise Http404("No version to start from")
    try:
        actions.do_fill_baseline(request.user, plan, base_version=form.cleaned_data["base_version"])
    except ConflictError:
        _conflict_message(request)
    except InvalidInputError:
        messages.error(
            request,
            _("The country has no mining sites on the platform yet: there are no figures to cite."),
        )
    else:
        messages.success(
            request, _("The baseline figures are filled in again from the national overview.")
        )
    return redirect(
        reverse("nap-plan-section", args=[plan.pk, fields.BASELINE_ELEMENT]) + "#baseline"
    )


@login_required
@require_POST
def publish(request, pk: int):
    plan = _team_plan(request.user, pk)
    try:
        plan = actions.do_publish_plan(request.user, plan)
    except WorkflowError:
        messages.info(
            request, _("There is nothing new to publish: the public reads the latest version.")
        )
    except InvalidInputError as error:
        messages.error(
            request,
            _("The plan cannot be published as it is: %(problems)s")
            % {"problems": "; ".join(f"{key}: {text}" for key, text in error.errors.items())},
        )
    else:
        messages.success(
            request,
            _("Version %(version)s of the plan is published: anyone can read it now.")
            % {"version": plan.version},
        )
    return redirect("nap-plan-builder", pk=plan.pk)
