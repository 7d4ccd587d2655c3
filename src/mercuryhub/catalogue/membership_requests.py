"""People nominating themselves as experts, and asking an organization's editors to link their
expert profile to that organization. The entries are written through the catalogue's actions;
the request itself is an e-mail to the editors."""

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string

from mercuryhub.accounts.models import Membership, Organization, User
from mercuryhub.accounts.queries import can_edit_organization, membership_role
from mercuryhub.catalogue.models import Expert
from mercuryhub.lib.errors import InvalidInputError
from mercuryhub.review import actions as review_actions

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
) -> int:
    """E-mail the organization's editors that this person, whose expert profile it is, says they
    work for them. Returns how many editors were written to."""
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

    transaction.on_commit(send)
    return len(editors)


def _count_today(key: str) -> int:
    cache.add(key, 0, timeout=86400)
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=86400)
        return 1
