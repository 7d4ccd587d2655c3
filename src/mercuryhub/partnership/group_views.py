"""The working groups' pages: the list, a group's page (mandate, members, leaders and their
balance, the join form, the requests waiting for the leads) and the secretariat's page of the
group's leaders."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from mercuryhub.accounts.forms import add_action_errors
from mercuryhub.lib.errors import InvalidInputError
from mercuryhub.partnership import group_actions, group_queries
from mercuryhub.partnership.balance_chart import balance_chart
from mercuryhub.partnership.group_forms import (
    DecisionForm,
    EndLeadershipForm,
    JoinForm,
    LeaderForm,
)
from mercuryhub.review.errors import WorkflowError


@require_safe
def group_list(request):
    groups = list(group_queries.working_groups())
    for group in groups:
        group.lacks_leaders = group_queries.lacks_leaders(group)
    return render(request, "partnership/group_list.html", {"groups": groups})


def _balance(leaderships) -> list[dict]:
    balance = group_queries.leaders_balance(leaderships)
    titles = {"sector": _("By sector"), "gender": _("By gender"), "region": _("By region")}
    return [
        {"key": key, "title": titles[key], "rows": rows, "chart": balance_chart(rows)}
        for key, rows in balance.items()
    ]


def _detail(request, group, join_form=None, status=200):
    user = request.user
    leaderships = list(group_queries.current_leaderships(group))
    asking = group_queries.organizations_to_ask_for(user, group)
    may_ask = [
        choice.organization for choice in asking if choice.state in (None, "declined", "left")
    ]
    mandate, mandate_language = group_queries.mandate_of(group)
    context = {
        "group": group,
        "mandate": mandate,
        "mandate_language": mandate_language,
        "lacks_leaders": group_queries.lacks_leaders(group),
        "leaderships": leaderships,
        "past_leaderships": group_queries.past_leaderships(group)[:10],
        "balance": _balance(leaderships),
        "members": group_queries.members_of(group),
        "own_memberships": group_queries.own_memberships(user, group),
        "asking": asking,
        "join_form": join_form or (JoinForm(organizations=may_ask) if may_ask else None),
        "requests": group_queries.requests_for_lead(user, group),
        "is_lead": group_queries.is_group_lead(user, group),
        "can_manage_leaders": group_queries.can_manage_leaders(user),
    }
    return render(request, "partnership/group_detail.html", context, status=status)


@require_safe
def group_detail(request, code):
    return _detail(request, group_queries.get_group_for_user(request.user, code))


@login_required
@require_POST
def group_join(request, code):
    group = group_queries.get_group_for_user(request.user, code)
    organizations = [
        choice.organization
        for choice in group_queries.organizations_to_ask_for(request.user, group)
    ]
    if not organizations:
        raise PermissionDenied("Only an organization's editors ask for it to join a group")
    form = JoinForm(request.POST, organizations=organizations)
    if form.is_valid():
        organization = next(o for o in organizations if o.slug == form.cleaned_data["organization"])
        try:
            group_actions.do_request_group_membership(
                request.user, group, organization, form.cleaned_data["message"]
            )
        except InvalidInputError as error:
            add_action_errors(form, error.errors)
        else:
            messages.success(
                request,
                _("%(name)s asked to join; the group's leads will answer by e-mail.")
                % {"name": organization.name},
            )
            return redirect(group)
    return _detail(request, group, join_form=form, status=400)


@login_required
@require_POST
def group_decide(request, code, pk):
    group = group_queries.get_group_for_user(request.user, code)
    membership = group_queries.get_request_for_lead(request.user, group, pk)
    form = DecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose to approve or to decline the request."))
        return redirect(group)
    approve = form.cleaned_data["decision"] == "approve"
    try:
        group_actions.do_decide_group_membership(
            request.user, membership, approve=approve, reason=form.cleaned_data["reason"]
        )
    except (InvalidInputError, WorkflowError) as error:
        text = "; ".join(error.errors.values()) if isinstance(error, InvalidInputError) else error
        messages.error(request, str(text))
    else:
        name = membership.organization.name
        messages.success(
            request,
            (
                _("%(name)s is now a member of the group.")
                if approve
                else _("%(name)s was declined.")
            )
            % {"name": name},
        )
    return redirect(group)


@login_required
@require_POST
def group_leave(request, code, pk):
    group = group_queries.get_group_for_user(request.user, code)
    membership = group_queries.members_of(group).filter(pk=pk).first()
    if membership is None:
        raise Http404("No such member")
    group_actions.do_leave_group(request.user, membership)
    messages.success(
        request, _("%(name)s left the group.") % {"name": membership.organization.name}
    )
    return redirect(group)


def _require_secretariat(user):
    if not group_queries.can_manage_leaders(user):
        raise PermissionDenied("Only the secretariat manages working group leaders")


@login_required
def group_leaders(request, code):
    group = group_queries.get_group_for_user(request.user, code)
    _require_secretariat(request.user)
    form = LeaderForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            group_actions.do_appoint_leader(request.user, group, **form.cleaned_data)
        except InvalidInputError as error:
            add_action_errors(form, error.errors)
        else:
            person = form.cleaned_data["person"]
            messages.success(
                request,
                _("%(person)s now leads the group.") % {"person": person.name or person.email},
            )
            return redirect("partnership-group-leaders", code=group.code)
    context = {
        "group": group,
        "form": form,
        "leaderships": group_queries.current_leaderships(group),
        "end_form": EndLeadershipForm(),
        "lacks_leaders": group_queries.lacks_leaders(group),
    }
    return render(request, "partnership/group_leaders.html", context)


@login_required
@require_POST
def group_end_leadership(request, code, pk):
    group = group_queries.get_group_for_user(request.user, code)
    _require_secretariat(request.user)
    leadership = group_queries.current_leaderships(group).filter(pk=pk).first()
    if leadership is None:
        raise Http404("No such leadership")
    form = EndLeadershipForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the date the leadership ended."))
    else:
        try:
            group_actions.do_end_leadership(request.user, leadership, form.cleaned_data["ended_on"])
        except InvalidInputError as error:
            messages.error(request, "; ".join(error.errors.values()))
        else:
            messages.success(request, _("The leadership has ended."))
    return redirect("partnership-group-leaders", code=group.code)
