"""Technical peer review of a plan's draft. The country team opens a round on the plan's latest
version, invites reviewers (experts of the catalogue, or anyone by e-mail address; each receives
a link), resolves the comments the reviewers anchor to the plan's sections, and closes the round
with a summary. The invited reviewers and the secretariat comment; no one else sees a comment."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from mercuryhub.accounts.models import User
from mercuryhub.accounts.queries import is_reviewer
from mercuryhub.catalogue.queries.visibility import experts_visible_to
from mercuryhub.lib.errors import InvalidInputError
from mercuryhub.lib.notices import notify
from mercuryhub.nap import fields
from mercuryhub.nap.models import (
    NationalActionPlan,
    ReviewComment,
    ReviewInvitation,
    ReviewRound,
)
from mercuryhub.nap.queries import invitations_of, is_team_member
from mercuryhub.review.errors import WorkflowError

MAX_COMMENT_CHARACTERS = 5_000
MAX_SUMMARY_CHARACTERS = 20_000


def _require_team(user, plan: NationalActionPlan, what: str) -> None:
    if not is_team_member(user, plan):
        raise PermissionDenied(f"Only the plan's country team can {what}")


def _text(value, name: str, limit: int, *, required_message: str) -> str:
    text = (value or "").strip()
    if not text:
        raise InvalidInputError({name: required_message})
    if len(text) > limit:
        raise InvalidInputError({name: f"At most {limit:,} characters ({len(text):,} given)"})
    return text


@transaction.atomic
def do_open_review_round(
    user: User, plan: NationalActionPlan, *, due_on: datetime.date | None = None
) -> ReviewRound:
    """A new round on the plan's latest version; one round at a time is open."""
    _require_team(user, plan, "open a review round")
    plan = NationalActionPlan.objects.select_for_update().get(pk=plan.pk)
    still_open = plan.review_rounds.filter(closed_at__isnull=True).first()
    if still_open is not None:
        raise WorkflowError(f"Review round {still_open.number} is still open: close it first")
    if due_on is not None and due_on < timezone.localdate():
        raise InvalidInputError({"due_on": "The date comments are due is already past"})
    last = plan.review_rounds.aggregate(last=Max("number"))["last"] or 0
    return ReviewRound.objects.create(
        plan=plan, number=last + 1, version=plan.version, opened_by=user, due_on=due_on
    )


def _open(round_: ReviewRound) -> None:
    if round_.closed_at is not None:
        raise WorkflowError(f"Review round {round_.number} is closed")


@transaction.atomic
def do_invite_reviewer(
    user: User, round_: ReviewRound, *, expert_id: int | None = None, email: str = ""
) -> ReviewInvitation:
    """Invite an expert of the catalogue (a published one, by id: e-mailed at the expert's
    address) or anyone by e-mail address; the invited person receives a link to the review."""
    plan = round_.plan
    _require_team(user, plan, "invite reviewers")
    _open(round_)
    expert = None
    if expert_id is not None:
        expert = experts_visible_to(user).filter(pk=expert_id).first()
        if expert is None:
            raise InvalidInputError({"expert": "Choose an expert of the catalogue"})
        email = expert.email
    email = (email or "").strip().lower()
    if not email:
        raise InvalidInputError({"email": "Give an e-mail address or choose an expert"})
    try:
        validate_email(email)
    except ValidationError as error:
        raise InvalidInputError({"email": f"{email!r} is not an e-mail address"}) from error
    if round_.invitations.filter(email__iexact=email).exists():
        raise InvalidInputError({"email": f"{email} is already invited to this round"})
    reviewer = User.objects.filter(email__iexact=email, is_active=True).first()
    invitation = ReviewInvitation.objects.create(
        round=round_, reviewer=reviewer, expert=expert, email=email, invited_by=user
    )
    notify(
        _("You are invited to review %(plan)s") % {"plan": plan.name},
        "nap/emails/review_invitation.txt",
        {
            "plan": plan,
            "round": round_,
            "invited_by": user,
            "path": reverse("nap-plan-review", args=[plan.pk]),
            "has_account": reviewer is not None,
        },
        [email],
    )
    return invitation


def may_comment(user, round_: ReviewRound) -> bool:
    """The secretariat, and the reviewers invited to this round."""
    return is_reviewer(user) or invitations_of(user).filter(round=round_).exists()


@transaction.atomic
def do_comment_on_section(user: User, round_: ReviewRound, section: str, text: str):
    _open(round_)
    if not may_comment(user, round_):
        raise PermissionDenied("Only the reviewers invited to this round can comment")
    if section not in fields.section_codes():
        raise InvalidInputError({"section": f"Unknown section {section!r}"})
    text = _text(
        text, "text", MAX_COMMENT_CHARACTERS, required_message="Write the comment before sending it"
    )
    return ReviewComment.objects.create(round=round_, section=section, author=user, text=text)


@transaction.atomic
def do_resolve_comment(user: User, comment: ReviewComment, resolution: str) -> ReviewComment:
    """The country team says how the comment was taken into account."""
    _require_team(user, comment.round.plan, "resolve comments")
    if comment.state == ReviewComment.State.RESOLVED:
        raise WorkflowError("This comment is already resolved")
    comment.resolution = _text(
        resolution,
        "resolution",
        MAX_COMMENT_CHARACTERS,
        required_message="Say how the comment was resolved",
    )
    comment.state = ReviewComment.State.RESOLVED
    comment.resolved_at, comment.resolved_by = timezone.now(), user
    comment.save(update_fields=["state", "resolution", "resolved_at", "resolved_by"])
    return comment


@transaction.atomic
def do_reopen_comment(user: User, comment: ReviewComment) -> ReviewComment:
    """The team, or the comment's author, opens a resolved comment again; the note of its
    resolution stays to read."""
    if not (is_team_member(user, comment.round.plan) or comment.author_id == user.pk):
        raise PermissionDenied("Only the country team or the comment's author can reopen it")
    if comment.state == ReviewComment.State.OPEN:
        raise WorkflowError("This comment is open already")
    comment.state = ReviewComment.State.OPEN
    comment.resolved_at, comment.resolved_by = None, None
    comment.save(update_fields=["state", "resolved_at", "resolved_by"])
    return comment


@transaction.atomic
def do_close_review_round(user: User, round_: ReviewRound, summary: str) -> ReviewRound:
    _require_team(user, round_.plan, "close a review round")
    _open(round_)
    round_.summary = _text(
        summary,
        "summary",
        MAX_SUMMARY_CHARACTERS,
        required_message="Summarize the review before closing the round",
    )
    round_.closed_at, round_.closed_by = timezone.now(), user
    round_.save(update_fields=["summary", "closed_at", "closed_by"])
    return round_
