"""The NAP pages everyone may reach: the plans a person may read, starting a plan, and a plan as
its reader may read it. The builder's pages are in ``builder_views.py``."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from mercuryhub.accounts.forms import add_action_errors
from mercuryhub.accounts.queries import organizations_editable_by
from mercuryhub.lib.errors import InvalidInputError
from mercuryhub.nap import actions, charts, queries
from mercuryhub.nap.completeness import check_plan, vocabularies
from mercuryhub.nap.fields import INTRODUCTION, OVERVIEW
from mercuryhub.nap.forms import PlanForm
from mercuryhub.nap.kinds import KIND
from mercuryhub.review.models import ReviewState
from mercuryhub.taxonomy.queries import terms_of

PLANS_PER_PAGE = 20


def section_labels() -> dict[str, str]:
    """Every part of a plan by its code, in Annex C order: the introduction, the national
    overview, the elements (a)–(k) and the additional strategies."""
    labels = {INTRODUCTION: _("Introduction"), OVERVIEW: _("National overview")}
    for term in terms_of("nap_elements"):
        prefix = f"({term.code}) " if len(term.code) == 1 else ""
        labels[term.code] = f"{prefix}{term.localized_label}"
    return labels


def baseline_rows(baseline: dict) -> list[tuple[str, object]]:
    """The baseline's figures as a reader reads them: (label, value), in the order of
    ``actions.BASELINE_FIGURES``; the worst practices by their label."""
    labels = {
        "sites": _("Mining sites"),
        "total_miners": _("Miners"),
        "total_women": _("Women among the miners"),
        "total_children": _("Children at the sites"),
        "gold_kg": _("Gold produced (kg a year)"),
        "mercury_low_kg": _("Mercury used, low estimate (kg a year)"),
        "mercury_typical_kg": _("Mercury used, typical estimate (kg a year)"),
        "mercury_high_kg": _("Mercury used, high estimate (kg a year)"),
    }
    for term in terms_of("worst_practices"):
        labels[f"sites_{term.code.replace('-', '_')}"] = _("Sites where “%(practice)s” is seen") % {
            "practice": term.localized_label
        }
    return [
        (labels.get(name, name), baseline[name])
        for name in actions.BASELINE_FIGURES
        if baseline.get(name) is not None
    ]


def term_labels(vocabulary: str) -> dict[str, str]:
    return {term.code: term.localized_label for term in terms_of(vocabulary)}


def plan_state(plan) -> str:
    """draft (never published), published, or changed (published, with later changes)."""
    if not plan.published:
        return "draft"
    if plan.review_state == ReviewState.DRAFT or plan.version != plan.published_version:
        return "changed"
    return "published"


@require_safe
def plan_list(request):
    plans = (
        queries.plans_visible_to(request.user)
        .prefetch_related(*KIND.prefetch_related)
        .order_by("country__name", "-pk")
    )
    page = Paginator(plans, PLANS_PER_PAGE).get_page(request.GET.get("page"))
    # The team and the secretariat see the completeness of the latest version of each plan.
    reads = queries.read_versions(request.user, page.object_list)
    terms = vocabularies() if any(read.latest for read in reads.values()) else None
    rows = [
        {
            "plan": plan,
            "state": plan_state(plan),
            "score": check_plan(reads[plan.pk].data, terms).score
            if reads[plan.pk].latest
            else None,
        }
        for plan in page.object_list
    ]
    return render(
        request,
        "nap/plan_list.html",
        {
            "page": page,
            "rows": rows,
            "may_start": organizations_editable_by(request.user).exists(),
        },
    )


@login_required
def plan_create(request):
    organizations = list(organizations_editable_by(request.user))
    if not organizations:
        raise PermissionDenied("Only editors of an organization can start a plan for it")
    form = PlanForm(
        request.POST or None,
        organizations=organizations,
        initial={"organization": organizations[0].slug, "content_language": request.LANGUAGE_CODE},
    )
    if request.method == "POST" and form.is_valid():
        try:
            plan = actions.do_create_plan(request.user, form.plan_data())
        except InvalidInputError as error:
            add_action_errors(form, error.errors)
        else:
            messages.success(
                request,
                _("The plan “%(name)s” is started: a draft only its country team sees.")
                % {"name": plan.name},
            )
            return redirect("nap-plan-builder", pk=plan.pk)
    return render(request, "nap/plan_form.html", {"form": form})


def plan_parts(content: dict) -> dict:
    """What the public page and the builder show of a plan's content besides its texts."""
    return {
        "completeness": check_plan(content),
        "gantt": charts.gantt(content),
        "budget": charts.budget(content),
        "labels": section_labels(),
        "baseline_rows": baseline_rows(content.get("baseline") or {}),
        "type_labels": term_labels("stakeholder_types"),
    }


@require_safe
def plan_detail(request, pk: int):
    plan = queries.get_plan_for_user(request.user, pk)
    content = queries.plan_content(request.user, plan)
    parts = plan_parts(content)
    labels = parts["labels"]
    sections = content.get("sections") or {}
    return render(
        request,
        "nap/plan_detail.html",
        {
            "plan": plan,
            "content": content,
            "sections": [
                (code, label, sections[code])
                for code, label in labels.items()
                if sections.get(code, "").strip()
            ],
            "is_team": queries.is_team_member(request.user, plan),
            "state": plan_state(plan),
            # Those who read drafts read the latest version, not the published row's texts.
            "reads_latest": queries.may_read_drafts(request.user, plan),
            **parts,
        },
    )
