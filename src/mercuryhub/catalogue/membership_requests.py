"""People nominating themselves as experts, and asking an organization's editors to link their
expert profile to that organization. The entries are written through the catalogue's actions;
the request is recorded (an editor can accept only a request the expert made) and e-mailed to
the editors."""

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import QuerySet
from django.http import Http404
from django.template.loader import render_to_string
from django.utils import timezone

from mercuryhub.accounts.models import Membership, Organization, User
from mercuryhub.accounts.queries import (
    can_edit_organization,
    membership_role,
    organizations_editable_by,
)
from mercuryhub.catalogue import actions
from mercuryhub.catalogue.models import Expert, ExpertLinkRequest
from mercuryhub.lib.errors import InvalidInputError
from mercuryhub.lib.ratelimit import count_within
from mercuryhub.review import actions as review_actions
from mercuryhub.review.errors import WorkflowError

# At most this many link requests per person per day: each one e-mails several people.
LINK_REQUESTS_PER_DAY = 5


@transaction.atomic
def do_nominate_expert(user: User, data: dict) -> tuple[Expert, Organization | None]:
    """The signed-in person becomes a draft expert entry that they edit themself, consenting to
    publication. ``data["organization"]`` may name one of their organizations: one they edit is
    linked at once; one they only belong to is asked by e-mail. Returns the entry and the
    organization asked, if any."""
    if not user.is_authenticated:
        raise PermissionDenied("Sign in to nominate yourself")
    if not data.get("consent_to_publication"):
        raise InvalidInputError(
            {"consent_to_publication": "Experts must consent to publication to be listed"}
        )
    slug = (data.get("organization") or "").strip()
    organization = Organization.objects.filter(slug=slug).first() if slug else None
    if slug and (organization is None or membership_role(user, organization) is None):
        raise InvalidInputError({"organization": "Choose one of your organizations, or none"})
    expert = review_actions.do_create_draft("expert", user, {**data, "organization": ""})
    if organization is None:
        return expert, None
    if can_edit_organization(user, organization):
        expert = review_actions.do_edit_entry(
            "expert", user, expert, {"organization": organization.slug}, base_version=expert.version
        )
        return expert, None
    do_request_expert_link(user, expert, organization)
    return expert, organization


def do_request_expert_link(
    user: User, expert: Expert, organization: Organization, message: str = ""
) -> ExpertLinkRequest:
    """Record that this person, whose expert profile it is, asks to be listed under the
    organization, and e-mail its editors a link to accept or decline."""
    if not user.is_authenticated or expert.user_id != user.pk:
        raise PermissionDenied("Only the expert themself can ask to be linked to an organization")
    if expert.organization_id == organization.pk:
        raise InvalidInputError(
            {"organization": f"Your profile is already linked to {organization.name}"}
        )
    editors = list(
        User.objects.filter(
            memberships__organization=organization,
            memberships__role=Membership.Role.EDITOR,
            is_active=True,
        ).values_list("email", flat=True)
    )
    if not editors:
        raise InvalidInputError(
            {
                "organization": f"{organization.name} has no editors on MercuryHub yet; "
                "ask the secretariat instead"
            }
        )
    if pending_link_requests().filter(expert=expert, organization=organization).exists():
        raise InvalidInputError(
            {"organization": f"You already asked {organization.name}; its editors will answer"}
        )
    if _count_today(f"expert-link-request:{user.pk}") > LINK_REQUESTS_PER_DAY:
        raise InvalidInputError(
            {"organization": "You have sent several requests today; please try again tomorrow"}
        )
    body = render_to_string(
        "catalogue/editor/link_request_email.txt",
        {
            "person": user,
            "expert": expert,
            "organization": organization,
            "message": message.strip(),
            "site_url": settings.SITE_URL,
        },
    )
    subject = f"[MercuryHub] {expert.name} asks to be listed as an expert of {organization.name}"

    def send():
        for address in editors:  # one message each: editors do not see each other's addresses
            send_mail(subject, body, None, [address])

    link_request = ExpertLinkRequest.objects.create(
        expert=expert, organization=organization, requested_by=user, message=message.strip()
    )
    transaction.on_commit(send)
    return link_request


def pending_link_requests() -> QuerySet[ExpertLinkRequest]:
    return ExpertLinkRequest.objects.filter(outcome=ExpertLinkRequest.Outcome.PENDING)


def link_requests_for_editor(user) -> QuerySet[ExpertLinkRequest]:
    """The pending requests to join the organizations this person edits, oldest first."""
    return (
        pending_link_requests()
        .filter(organization__in=organizations_editable_by(user))
        .select_related("expert__country", "organization", "requested_by")
        .order_by("created_at")
    )


def get_link_request_for_user(user, expert_pk: int, slug: str) -> ExpertLinkRequest:
    """The pending request of this expert to join this organization, for one of the
    organization's editors. Anyone else, and any expert who did not ask, is not found: the
    answer says nothing of the expert."""
    link_request = (
        link_requests_for_editor(user).filter(expert_id=expert_pk, organization__slug=slug).first()
    )
    if link_request is None:
        raise Http404("No such request to join the organization")
    return link_request


@transaction.atomic
def do_accept_expert_link(editor: User, link_request: ExpertLinkRequest) -> Expert:
    """An editor of the organization accepts the expert's request: the profile is linked to the
    organization (a new version of it), and the request is closed."""
    link_request = _lock_pending(editor, link_request)
    expert = actions.do_link_expert(editor, link_request.expert, link_request.organization)
    _decide(link_request, editor, ExpertLinkRequest.Outcome.ACCEPTED)
    return expert


@transaction.atomic
def do_decline_expert_link(editor: User, link_request: ExpertLinkRequest) -> None:
    """An editor of the organization declines the request; the profile stays as it is."""
    _decide(_lock_pending(editor, link_request), editor, ExpertLinkRequest.Outcome.DECLINED)


def _lock_pending(editor: User, link_request: ExpertLinkRequest) -> ExpertLinkRequest:
    locked = (
        pending_link_requests()
        .select_for_update()
        .filter(pk=link_request.pk)
        .select_related("expert", "organization")
        .first()
    )
    if locked is None:
        raise WorkflowError("This request has already been answered")
    if not can_edit_organization(editor, locked.organization):
        raise PermissionDenied(f"Only editors of {locked.organization.name} can answer it")
    return locked


def _decide(link_request: ExpertLinkRequest, editor: User, outcome: str) -> None:
    link_request.outcome = outcome
    link_request.decided_by = editor
    link_request.decided_at = timezone.now()
    link_request.save(update_fields=["outcome", "decided_by", "decided_at"])


def _count_today(key: str) -> int:
    return count_within(key, 86400)
