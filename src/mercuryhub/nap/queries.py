"""Permission-scoped reads of National Action Plans: the one permission model of the app.

- The public reads what a country published (the plan's rows, its published version).
- The country team (editors of the plan's organization) and administrators read and change the
  latest version.
- Reviewers invited to one of the plan's review rounds read the version of their round and
  comment on it.
- The secretariat (reviewers of the platform) reads every plan, drafts included, to help.
Anyone else is told a plan that is not published does not exist (404)."""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db.models import Count, OuterRef, Q, QuerySet, Subquery
from django.http import Http404

from mercuryhub.accounts.queries import is_reviewer, organizations_editable_by
from mercuryhub.library.models import Resource
from mercuryhub.library.queries import resources_visible_to
from mercuryhub.nap.fields import section_codes
from mercuryhub.nap.models import (
    AssistanceRequest,
    NationalActionPlan,
    PlanStatus,
    ReviewComment,
    ReviewInvitation,
    ReviewRound,
)
from mercuryhub.review.models import EntryVersion
from mercuryhub.review.queries import can_edit_entry, entry_versions, latest_data, version_data

KIND_NAME = "nap"


def is_team_member(user, plan: NationalActionPlan) -> bool:
    """The country team: editors of the plan's organization (and administrators)."""
    return can_edit_entry(user, plan)


def invitations_of(user) -> QuerySet[ReviewInvitation]:
    """The review invitations addressed to a signed-in person: by account, or by one of the
    e-mail addresses the person has verified (an address merely typed at sign-up opens
    nothing)."""
    if not user.is_authenticated or not user.is_active:
        return ReviewInvitation.objects.none()
    condition = Q(reviewer=user)
    for address in user.emailaddress_set.filter(verified=True).values_list("email", flat=True):
        condition |= Q(email__iexact=address)
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


@dataclass(frozen=True)
class ReadVersion:
    """The version of a plan a person reads: its number (None for a plan never versioned), its
    content in the serialization's shape, and whether it is the latest (the team's and the
    secretariat's) rather than the published one or a review round's."""

    number: int | None
    data: dict
    latest: bool


def read_version(user, plan: NationalActionPlan) -> ReadVersion:
    """The plan as this person reads it: the latest version for those who may change it and for
    the secretariat, the version of their latest round for an invited reviewer, else the
    published one."""
    if is_team_member(user, plan) or is_reviewer(user):
        return ReadVersion(plan.version, latest_data(KIND_NAME, plan), True)
    if is_invited_reviewer(user, plan):
        round_ = (
            ReviewRound.objects.filter(plan=plan, invitations__in=invitations_of(user))
            .order_by("-number")
            .first()
        )
        data = version_data(KIND_NAME, plan, round_.version) if round_ else None
        if data is not None:
            return ReadVersion(round_.version, data, False)
    from mercuryhub.nap.kinds import KIND

    return ReadVersion(plan.published_version, KIND.serialize(plan), False)


def plan_content(user, plan: NationalActionPlan) -> dict:
    """The plan as this person reads it, in the serialization's shape (``read_version``)."""
    return read_version(user, plan).data


def read_versions(user, plans) -> dict[int, ReadVersion]:
    """``read_version`` of each plan of a page, in a fixed number of queries (plus one or two
    per plan the person was invited to review). The plans' rows should be prefetched."""
    from mercuryhub.nap.kinds import KIND

    plans = list(plans)
    if is_reviewer(user):
        editable = {plan.organization_id for plan in plans}
    else:
        editable = set(organizations_editable_by(user).values_list("pk", flat=True))
    latest_of = [plan.pk for plan in plans if plan.organization_id in editable]
    newest = EntryVersion.objects.filter(kind=KIND_NAME, object_id=OuterRef("object_id"))
    stored = (
        {
            version.object_id: version.data
            for version in EntryVersion.objects.filter(
                kind=KIND_NAME,
                object_id__in=latest_of,
                number=Subquery(newest.order_by("-number").values("number")[:1]),
            )
        }
        if latest_of
        else {}
    )
    invited = set(invitations_of(user).values_list("round__plan", flat=True))
    found = {}
    for plan in plans:
        if plan.pk in stored or plan.pk in latest_of:
            data = stored.get(plan.pk) or KIND.normalized(KIND.serialize(plan))
            found[plan.pk] = ReadVersion(plan.version, data, True)
        elif plan.pk in invited:
            found[plan.pk] = read_version(user, plan)
        else:
            found[plan.pk] = ReadVersion(plan.published_version, KIND.serialize(plan), False)
    return found


def plans_of_country(country, user) -> QuerySet[NationalActionPlan]:
    return plans_visible_to(user).filter(country=country)


def version_saved_at(plan: NationalActionPlan, number: int | None):
    """When version ``number`` of the plan was saved (the plan's last change for a plan never
    versioned here): the date a document gives its version."""
    version = entry_versions(KIND_NAME, plan).filter(number=number).first()
    return version.created_at if version else plan.updated_at


def get_plan_for_team(user, pk: int) -> NationalActionPlan:
    """A plan its country team changes: 403 to those who read it but may not change it (the
    secretariat, invited reviewers), 404 to the others."""
    plan = get_plan_for_user(user, pk)
    if not is_team_member(user, plan):
        if may_read_drafts(user, plan):
            raise PermissionDenied("Only the plan's country team can change it")
        raise Http404(f"No National Action Plan {pk}")
    return plan


# -- Peer review and assistance ---------------------------------------------------------------
# Comments and rounds are read by those who may read the plan's drafts (its team, the
# secretariat, its invited reviewers); anyone else is told the review does not exist (404).
# Assistance requests are read by the secretariat, the country team that asked (the editors of
# its organization) and the experts assigned to them.


def get_plan_under_review_for_user(user, pk: int) -> NationalActionPlan:
    plan = get_plan_for_user(user, pk)
    if not may_read_drafts(user, plan):
        raise Http404(f"No review of National Action Plan {pk}")
    return plan


def review_rounds_of(plan: NationalActionPlan) -> QuerySet[ReviewRound]:
    """The plan's rounds, with their invitations and how many comments are open and resolved
    (the plan comes from ``get_plan_under_review_for_user``)."""
    state = ReviewComment.State
    return (
        plan.review_rounds.select_related("opened_by", "closed_by")
        .prefetch_related("invitations__expert")
        .annotate(
            open_comments=Count("comments", filter=Q(comments__state=state.OPEN)),
            resolved_comments=Count("comments", filter=Q(comments__state=state.RESOLVED)),
        )
        .order_by("number")
    )


def open_review_round(plan: NationalActionPlan) -> ReviewRound | None:
    return plan.review_rounds.filter(closed_at__isnull=True).order_by("-number").first()


def get_review_round(plan: NationalActionPlan, number: int) -> ReviewRound:
    round_ = plan.review_rounds.filter(number=number).select_related("plan").first()
    if round_ is None:
        raise Http404(f"No review round {number}")
    return round_


def review_comments_of(plan: NationalActionPlan, number: int | None = None):
    comments = ReviewComment.objects.filter(round__plan=plan)
    if number is not None:
        comments = comments.filter(round__number=number)
    return comments.select_related("round__plan", "author", "resolved_by").order_by(
        "round__number", "pk"
    )


def get_review_comment(plan: NationalActionPlan, comment_id: int):
    comment = review_comments_of(plan).filter(pk=comment_id).first()
    if comment is None:
        raise Http404(f"No comment {comment_id}")
    return comment


def comments_by_section(comments) -> dict[str, list]:
    """The comments grouped by section code, in the plan's reading order."""
    grouped: dict[str, list] = {code: [] for code in section_codes()}
    for comment in comments:
        grouped.setdefault(comment.section, []).append(comment)
    return grouped


def review_round_summary(plan: NationalActionPlan, round_: ReviewRound) -> dict:
    """A round's comments per section, with the count of open and resolved ones per section
    and in all."""
    grouped = comments_by_section(review_comments_of(plan, round_.number))
    sections = []
    for code, comments in grouped.items():
        open_count = sum(comment.state == "open" for comment in comments)
        sections.append(
            {
                "code": code,
                "comments": comments,
                "open": open_count,
                "resolved": len(comments) - open_count,
            }
        )
    return {
        "sections": sections,
        "open": sum(section["open"] for section in sections),
        "resolved": sum(section["resolved"] for section in sections),
    }


def assistance_requests_visible_to(user) -> QuerySet[AssistanceRequest]:
    requests = AssistanceRequest.objects.select_related(
        "country", "organization", "plan", "requested_by"
    ).prefetch_related("experts")
    if is_reviewer(user):
        return requests
    if not (user.is_authenticated and user.is_active):
        return requests.none()
    condition = (
        Q(organization__in=organizations_editable_by(user))
        | Q(requested_by=user)
        | Q(experts__user=user)
    )
    return requests.filter(pk__in=AssistanceRequest.objects.filter(condition).values("pk"))


def get_assistance_request_for_user(user, pk: int):
    request = assistance_requests_visible_to(user).filter(pk=pk).first()
    if request is None:
        raise Http404(f"No assistance request {pk}")
    return request


# How many library resources a section's guidance lists at most.
GUIDANCE_LIMIT = 20


def guidance_for(element_code: str, user) -> QuerySet[Resource]:
    """The published library resources tagged with a NAP element: the guidance shown beside
    the section's editor, in the library's own visibility."""
    return (
        resources_visible_to(user)
        .filter(published=True, nap_elements__code=element_code)
        .select_related("kind")
        .order_by("name")
        .distinct()[:GUIDANCE_LIMIT]
    )


def plan_statuses(status: str = "") -> QuerySet[PlanStatus]:
    """Where each country stands with its NAP (public reference data), optionally one status."""
    statuses = PlanStatus.objects.select_related("country")
    return statuses.filter(status=status) if status else statuses


def plan_status_counts() -> dict[str, int]:
    rows = PlanStatus.objects.values("status").annotate(count=Count("pk")).order_by()
    return {row["status"]: row["count"] for row in rows}
