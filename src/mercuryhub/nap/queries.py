"""Permission-scoped reads of National Action Plans: the one permission model of the app.

- The public reads what a country published (the plan's rows, its published version).
- The country team (editors of the plan's organization) and administrators read and change the
  latest version.
- Reviewers invited to one of the plan's review rounds read the version of their round and
  comment on it.
- The secretariat (reviewers of the platform) reads every plan, drafts included, to help.
Anyone else is told a plan that is not published does not exist (404)."""

from django.db.models import Count, Q, QuerySet
from django.http import Http404

from mercuryhub.accounts.queries import is_reviewer, organizations_editable_by
from mercuryhub.nap.models import NationalActionPlan, PlanStatus, ReviewInvitation, ReviewRound
from mercuryhub.review.queries import can_edit_entry, latest_data, version_data

KIND_NAME = "nap"


def is_team_member(user, plan: NationalActionPlan) -> bool:
    """The country team: editors of the plan's organization (and administrators)."""
    return can_edit_entry(user, plan)


def invitations_of(user) -> QuerySet[ReviewInvitation]:
    """The review invitations addressed to a signed-in person: by account, or by the e-mail
    address of their account."""
    if not user.is_authenticated or not user.is_active:
        return ReviewInvitation.objects.none()
    condition = Q(reviewer=user)
    if user.email:
        condition |= Q(email__iexact=user.email)
    return ReviewInvitation.objects.filter(condition)


def is_invited_reviewer(user, plan: NationalActionPlan) -> bool:
    return invitations_of(user).filter(round__plan=plan).exists()


def may_read_drafts(user, plan: NationalActionPlan) -> bool:
    return is_team_member(user, plan) or is_reviewer(user) or is_invited_reviewer(user, plan)


def plans_visible_to(user) -> QuerySet[NationalActionPlan]:
    """Published plans, and the plans whose drafts the person may read."""
    plans = NationalActionPlan.objects.select_related("country", "organization")
    if user.is_authenticated and is_reviewer(user):
        return plans
    condition = Q(published=True)
    if user.is_authenticated and user.is_active:
        condition |= Q(organization__in=organizations_editable_by(user))
        invited = invitations_of(user).values("round__plan")
        condition |= Q(pk__in=invited)
    return plans.filter(condition)


def get_plan_for_user(user, pk: int) -> NationalActionPlan:
    plan = NationalActionPlan.objects.select_related("country", "organization").filter(pk=pk)
    plan = plan.first()
    if plan is None or not (plan.published or may_read_drafts(user, plan)):
        raise Http404(f"No National Action Plan {pk}")
    return plan


def plan_content(user, plan: NationalActionPlan) -> dict:
    """The plan as this person reads it, in the serialization's shape: the latest version for
    those who may read drafts (an invited reviewer: the version of their latest round), else the
    published one."""
    if is_team_member(user, plan) or is_reviewer(user):
        return latest_data(KIND_NAME, plan)
    if is_invited_reviewer(user, plan):
        round_ = (
            ReviewRound.objects.filter(plan=plan, invitations__in=invitations_of(user))
            .order_by("-number")
            .first()
        )
        data = version_data(KIND_NAME, plan, round_.version) if round_ else None
        if data is not None:
            return data
    from mercuryhub.nap.kinds import KIND

    return KIND.serialize(plan)


def plans_of_country(country, user) -> QuerySet[NationalActionPlan]:
    return plans_visible_to(user).filter(country=country)


def plan_statuses(status: str = "") -> QuerySet[PlanStatus]:
    """Where each country stands with its NAP (public reference data), optionally one status."""
    statuses = PlanStatus.objects.select_related("country")
    return statuses.filter(status=status) if status else statuses


def plan_status_counts() -> dict[str, int]:
    rows = PlanStatus.objects.values("status").annotate(count=Count("pk")).order_by()
    return {row["status"]: row["count"] for row in rows}
