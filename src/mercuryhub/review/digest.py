"""The reviewers' digest: one e-mail per reviewer listing the entries submitted since the last
digest, rather than one e-mail per submission. ``mercuryhub send_review_digest`` sends it (from
cron); each digest sent is recorded, so a second run sends nothing new."""

from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.db.models import QuerySet
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import ngettext

from mercuryhub.accounts.models import User
from mercuryhub.review import registry
from mercuryhub.review.models import ReviewDecision, ReviewDigest, ReviewState


@dataclass(frozen=True)
class Submission:
    kind: str
    entry: object
    submitted_by: User | None
    submitted_at: datetime

    @property
    def review_url(self) -> str:
        path = reverse("review-entry", args=[self.kind, self.entry.pk])
        return f"{settings.SITE_URL}{path}"

    @property
    def organization(self):
        return registry.get(self.kind).organization_of(self.entry)


@dataclass(frozen=True)
class DigestResult:
    submissions: list[Submission]
    recipients: list[str]


# Reads --------------------------------------------------------------------------------------


def new_submissions(since: datetime | None, until: datetime) -> list[Submission]:
    """Entries submitted after ``since`` (every submission when None) up to ``until`` that are
    still waiting for review, oldest first; an entry submitted twice is listed once."""
    decisions = ReviewDecision.objects.filter(
        action=ReviewDecision.Action.SUBMITTED, made_at__lte=until
    ).select_related("made_by")
    if since is not None:
        decisions = decisions.filter(made_at__gt=since)
    latest = {}
    for decision in decisions.order_by("made_at"):
        latest[(decision.kind, decision.object_id)] = decision
    submissions = []
    for kind in registry.kinds():
        ids = [object_id for (k, object_id) in latest if k == kind.name]
        if not ids:
            continue
        waiting = kind.model.objects.filter(pk__in=ids, review_state=ReviewState.SUBMITTED)
        if kind.organization_field:
            waiting = waiting.select_related(kind.organization_field)
        for entry in waiting:
            decision = latest[(kind.name, entry.pk)]
            submissions.append(Submission(kind.name, entry, decision.made_by, decision.made_at))
    submissions.sort(key=lambda submission: submission.submitted_at)
    return submissions


def reviewers_to_notify() -> QuerySet[User]:
    """Active reviewers and administrators with an e-mail address."""
    return (
        User.objects.filter(role__in=[User.Role.REVIEWER, User.Role.ADMINISTRATOR], is_active=True)
        .exclude(email="")
        .order_by("email")
    )


# The write ----------------------------------------------------------------------------------


@transaction.atomic
def do_send_review_digest() -> DigestResult:
    """E-mail every reviewer one message listing the new submissions, and record that it was
    sent. Nothing is sent, and nothing recorded, when there is nothing new; when sending fails
    the record is rolled back, so the next run sends the same submissions again."""
    now = timezone.now()
    # Two runs at once wait for each other instead of both sending the same digest.
    last = ReviewDigest.objects.select_for_update().order_by("-sent_at").first()
    submissions = new_submissions(last.sent_at if last else None, now)
    recipients = list(reviewers_to_notify().values_list("email", flat=True))
    if not submissions or not recipients:
        return DigestResult(submissions=submissions, recipients=[])
    ReviewDigest.objects.create(sent_at=now)
    with translation.override(settings.LANGUAGE_CODE):  # the reviewers' languages are not known
        subject, body = _digest_message(submissions, last, now)
    messages = [EmailMessage(subject=subject, body=body, to=[email]) for email in recipients]
    get_connection().send_messages(messages)
    return DigestResult(submissions=submissions, recipients=recipients)


def _digest_message(submissions, last, now) -> tuple[str, str]:
    subject = ngettext(
        "[MercuryHub] %(count)d new submission to review",
        "[MercuryHub] %(count)d new submissions to review",
        len(submissions),
    ) % {"count": len(submissions)}
    body = render_to_string(
        "review/digest_email.txt",
        {
            "submissions": submissions,
            "since": last.sent_at if last else None,
            "queue_url": f"{settings.SITE_URL}{reverse('review-queue')}",
        },
    )
    return subject, body
