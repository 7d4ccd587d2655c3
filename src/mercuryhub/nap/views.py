"""The NAP pages: the plans a person may read, a plan as published, and its builder."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.views.decorators.http import require_safe

from mercuryhub.nap import queries
from mercuryhub.nap.completeness import check_plan


@require_safe
def plan_list(request):
    plans = queries.plans_visible_to(request.user).order_by("country__name", "-pk")
    return render(request, "nap/plan_list.html", {"plans": plans})


@require_safe
def plan_detail(request, pk: int):
    plan = queries.get_plan_for_user(request.user, pk)
    content = queries.plan_content(request.user, plan)
    return render(
        request,
        "nap/plan_detail.html",
        {"plan": plan, "content": content, "completeness": check_plan(content)},
    )


@login_required
@require_safe
def plan_builder(request, pk: int):
    plan = queries.get_plan_for_user(request.user, pk)
    if not queries.is_team_member(request.user, plan):
        raise PermissionDenied("Only the plan's country team can change it")
    content = queries.plan_content(request.user, plan)
    return render(
        request,
        "nap/plan_builder.html",
        {"plan": plan, "content": content, "completeness": check_plan(content)},
    )
