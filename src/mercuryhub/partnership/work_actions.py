"""Every write of the working groups' work. Workplans and review reports change only through the
review layer (``review.actions``: drafts, versioned edits, submission, validation), which calls
``do_save_workplan`` and ``do_save_report`` through their kinds; an activity's new status is
one more version of its workplan. Partners endorse a published workplan
(``do_endorse_workplan``); the secretariat opens the year's reports
(``do_open_review_reports``); ``do_send_report_reminders`` reminds the leaders of a report due."""

import datetime
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from mercuryhub.accounts.models import Organization, User
from mercuryhub.accounts.queries import can_edit_organization, is_reviewer
from mercuryhub.catalogue.fields import CleanEntry
from mercuryhub.lib.errors import InvalidInputError, StateError
from mercuryhub.partnership.models import (
    Endorsement,
    ReviewReport,
    WorkingGroup,
    Workplan,
    WorkplanActivity,
)
from mercuryhub.partnership.work_queries import current_leaderships, reports_not_submitted
from mercuryhub.review import actions as review
from mercuryhub.review.indexing import do_index_entries
from mercuryhub.review.queries import latest_data, require

# When the leaders are reminded of a report not yet submitted: days before its due date
# (positive) and after it (negative).
REMINDER_DAYS = (14, 7, 1, -1, -7, -14)


def do_save_workplan(checked: CleanEntry, *, instance=None, user=None, **state) -> Workplan:
    """Write a workplan's checked content into its rows (the review layer calls this for a draft
    never validated, and on validation); keeps the search index in step."""
    workplan = review.do_write_entry_row(instance or Workplan(), checked.values, user, **state)
    workplan.activities.all().delete()
    WorkplanActivity.objects.bulk_create(
        WorkplanActivity(workplan=workplan, position=number, **activity)
        for number, activity in enumerate(checked.relations["activities"], start=1)
    )
    from mercuryhub.partnership.work_kinds import WORKPLAN

    do_index_entries(WORKPLAN, [workplan])
    return workplan


def do_save_report(checked: CleanEntry, *, instance=None, user=None, **state) -> ReviewReport:
    report = review.do_write_entry_row(instance or ReviewReport(), checked.values, user, **state)
    from mercuryhub.partnership.work_kinds import REPORT

    do_index_entries(REPORT, [report])
    return report


def do_set_activity_status(
    user: User, workplan: Workplan, number: int, status: str, *, base_version: int
) -> Workplan:
    """Activity ``number`` (1-based) of the workplan's latest content in a new status, as one
    version for the secretariat to validate."""
    activities = [dict(a) for a in latest_data("workplan", workplan).get("activities") or []]
    if not 1 <= number <= len(activities):
        raise InvalidInputError({"activity": f"The workplan has no activity {number}"})
    activities[number - 1]["status"] = status
    return review.do_edit_entry(
        "workplan", user, workplan, {"activities": activities}, base_version=base_version
    )


@transaction.atomic
def do_endorse_workplan(
    user: User, workplan: Workplan, organization: Organization, comment: str = ""
) -> Endorsement:
    """An editor of a partner organization endorses the workplan as published now, once per
    organization."""
    require(user.is_authenticated, "Sign in to endorse a workplan")
    if not workplan.published:
        raise StateError("Only a published workplan can be endorsed")
    if not organization.is_partner:
        raise PermissionDenied(
            f"Only partners of the Global Mercury Partnership endorse workplans; "
            f"{organization.name} is not a partner"
        )
    if not can_edit_organization(user, organization):
        raise PermissionDenied(f"Only editors of {organization.name} can endorse for it")
    comment = (comment or "").strip()
    if len(comment) > 2000:
        raise InvalidInputError({"comment": f"At most 2000 characters (this has {len(comment)})"})
    earlier = workplan.endorsements.filter(organization=organization).first()
    if earlier is not None:
        raise InvalidInputError(
            {
                "organization": f"{organization.name} endorsed this workplan on "
                f"{earlier.endorsed_at:%Y-%m-%d}; a partner endorses it once"
            }
        )
    try:
        with transaction.atomic():
            return Endorsement.objects.create(
                workplan=workplan,
                organization=organization,
                version=workplan.published_version or workplan.version,
                endorsed_by=user,
                comment=comment,
            )
    except IntegrityError:  # endorsed at the same moment by another of its editors
        raise InvalidInputError(
            {"organization": f"{organization.name} has already endorsed this workplan"}
        ) from None


@dataclass
class OpenedReports:
    opened: list[ReviewReport] = field(default_factory=list)
    existing: list[ReviewReport] = field(default_factory=list)
    without_leaders: list[WorkingGroup] = field(default_factory=list)


def do_open_review_reports(
    user: User, year: int, due_on: datetime.date, today: datetime.date | None = None
) -> OpenedReports:
    """The secretariat opens the year's review report of each working group, as a draft kept
    by the organization of its longest-serving current leader; a group that already has its
    report for the year keeps it, a group without leaders gets none."""
    require(is_reviewer(user), "Only the secretariat opens the review reports")
    today = today or timezone.localdate()
    if due_on < today:
        raise InvalidInputError({"due_on": f"{due_on:%Y-%m-%d} is past; give a date to come"})
    result = OpenedReports()
    for group in WorkingGroup.objects.select_related("term"):
        existing = ReviewReport.objects.filter(group=group, year=year).first()
        if existing:
            result.existing.append(existing)
            continue
        leadership = current_leaderships(group, today).order_by("started_on").first()
        if leadership is None:
            result.without_leaders.append(group)
            continue
        data = {
            "name": f"{group.term.label} – review report {year}",
            "group": group.code,
            "organization": leadership.organization.slug,
            "year": year,
            "due_on": due_on.isoformat(),
        }
        result.opened.append(review.do_create_draft("review_report", user, data))
    return result


def reminder_due(report: ReviewReport, today: datetime.date) -> bool:
    """Whether the report's leaders are reminded today: on the schedule's days, once a day."""
    if report.last_reminded_on == today:
        return False
    return (report.due_on - today).days in REMINDER_DAYS


@dataclass
class SentReminder:
    report: ReviewReport
    recipients: list[str]


def do_send_report_reminders(today: datetime.date | None = None) -> list[SentReminder]:
    """E-mail each current leader of a group whose report is not submitted 14, 7 and 1 days
    before its due date and 1, 7 and 14 days after; at most once a day per report."""
    today = today or timezone.localdate()
    sent = []
    for report in reports_not_submitted():
        if not reminder_due(report, today):
            continue
        leaders = [
            leadership.person
            for leadership in current_leaderships(report.group, today)
            if leadership.person.email and leadership.person.is_active
        ]
        with transaction.atomic():
            updated = ReviewReport.objects.filter(pk=report.pk).exclude(last_reminded_on=today)
            if not updated.update(last_reminded_on=today):
                continue  # another run reminded them today
            for person in leaders:
                _remind(report, person, today)
        sent.append(SentReminder(report, [person.email for person in leaders]))
    return sent


def person_language(person: User) -> str:
    """The language a person chose on the platform (with their digest frequency), else the
    platform's."""
    preference = getattr(person, "digest_preference", None)
    return (preference.language if preference and preference.language else None) or (
        settings.LANGUAGE_CODE
    )


def _remind(report: ReviewReport, person: User, today: datetime.date) -> None:
    days = (report.due_on - today).days
    with translation.override(person_language(person)):
        context = {
            "report": report,
            "person": person,
            "days_left": days,
            "days_late": -days,
            "url": settings.SITE_URL + reverse("partnership-report-detail", args=[report.pk]),
            "edit_url": settings.SITE_URL
            + reverse("catalogue-entry-edit", args=["review_report", report.pk]),
        }
        subject = (
            _("[MercuryHub] The review report of %(group)s is due on %(date)s")
            if days > 0
            else _("[MercuryHub] The review report of %(group)s is overdue since %(date)s")
        ) % {"group": report.group, "date": report.due_on.isoformat()}
        body = render_to_string("partnership/emails/report_reminder.txt", context)
    message = EmailMultiAlternatives(subject=subject, body=body, to=[person.email])
    transaction.on_commit(message.send)
