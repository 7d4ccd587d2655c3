"""Permission-scoped reads of the working groups' work: workplans and their endorsements, the
yearly review reports, who leads a group today and who may draft for it."""

import datetime

from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from mercuryhub.accounts.models import Organization
from mercuryhub.accounts.queries import can_edit_organization, is_reviewer
from mercuryhub.partnership.models import (
    Endorsement,
    Leadership,
    ReviewReport,
    WorkingGroup,
    Workplan,
    WorkplanActivity,
)
from mercuryhub.review.models import ReviewState
from mercuryhub.review.queries import can_edit_entry


def current_leaderships(group: WorkingGroup, today: datetime.date | None = None) -> QuerySet:
    """The group's leaderships held on ``today`` (default: today)."""
    today = today or timezone.localdate()
    return (
        Leadership.objects.filter(group=group, started_on__lte=today)
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gte=today))
        .select_related("person", "organization")
    )


def leading_organizations(group: WorkingGroup, today=None) -> QuerySet[Organization]:
    """The organizations of the group's current leaders: they draft its work."""
    ids = current_leaderships(group, today).values_list("organization_id", flat=True)
    return Organization.objects.filter(pk__in=ids).order_by("name")


def may_draft_for(user, group: WorkingGroup, organization: Organization) -> bool:
    """Editors of a current leader's organization, and the secretariat, draft a group's work."""
    if is_reviewer(user):
        return True
    leads = leading_organizations(group).filter(pk=organization.pk).exists()
    return leads and can_edit_organization(user, organization)


def _readable(user, entry) -> bool:
    return entry.published or is_reviewer(user) or can_edit_entry(user, entry)


def get_workplan_for_user(user, pk: int) -> Workplan:
    workplan = (
        Workplan.objects.select_related("group__term", "organization")
        .prefetch_related("activities")
        .filter(pk=pk)
        .first()
    )
    if workplan is None or not _readable(user, workplan):
        raise Http404(f"No workplan {pk}")
    return workplan


def get_report_for_user(user, pk: int) -> ReviewReport:
    report = ReviewReport.objects.select_related("group__term", "organization").filter(pk=pk)
    report = report.first()
    if report is None or not _readable(user, report):
        raise Http404(f"No review report {pk}")
    return report


def activities_by_year(workplan: Workplan) -> list[tuple[int, list[WorkplanActivity]]]:
    """The workplan's activities grouped by year, every year of the workplan listed."""
    years = {year: [] for year in range(workplan.first_year, workplan.last_year + 1)}
    for activity in workplan.activities.all():
        years.setdefault(activity.year, []).append(activity)
    return sorted(years.items())


def status_summary(workplan: Workplan) -> list[tuple[str, str, int]]:
    """(status, its label, how many activities have it) for every status, in their order."""
    counts = dict(
        workplan.activities.values_list("status").annotate(n=Count("pk")).values_list("status", "n")
    )
    return [
        (value, label, counts.get(value, 0)) for value, label in WorkplanActivity.Status.choices
    ]


def endorsements_of(workplan: Workplan) -> QuerySet[Endorsement]:
    return workplan.endorsements.select_related("organization", "endorsed_by")


def organizations_to_endorse(user, workplan: Workplan) -> list[Organization]:
    """The partner organizations the user edits that have not endorsed the workplan yet."""
    if not user.is_authenticated or not workplan.published:
        return []
    done = set(workplan.endorsements.values_list("organization_id", flat=True))
    editable = Organization.objects.filter(
        memberships__user=user, memberships__role="editor", is_partner=True
    ).order_by("name")
    return [organization for organization in editable if organization.pk not in done]


def group_work(user, group: WorkingGroup) -> dict:
    """What the group's page shows of its work: the workplans and reports the user may read."""
    workplans = [
        w
        for w in Workplan.objects.filter(group=group).select_related("organization")
        if _readable(user, w)
    ]
    reports = [
        r
        for r in ReviewReport.objects.filter(group=group).select_related("organization")
        if _readable(user, r)
    ]
    counts = dict(
        Endorsement.objects.filter(workplan__in=workplans)
        .values_list("workplan")
        .annotate(n=Count("pk"))
        .values_list("workplan", "n")
    )
    for workplan in workplans:
        workplan.endorsement_count = counts.get(workplan.pk, 0)
    return {"workplans": workplans, "reports": reports}


def reports_not_submitted(year: int | None = None) -> QuerySet[ReviewReport]:
    """Reports still with their drafters: neither submitted nor published."""
    reports = ReviewReport.objects.filter(
        review_state__in=[ReviewState.DRAFT, ReviewState.RETURNED], published=False
    )
    if year is not None:
        reports = reports.filter(year=year)
    return reports.select_related("group__term", "organization")
