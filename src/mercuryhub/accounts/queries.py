"""Permission-scoped reads and the one place that says who may do what."""

from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch, Q, QuerySet
from django.db.models.functions import Lower
from django.http import Http404

from mercuryhub.accounts.models import ApiToken, Membership, Organization, User


def is_reviewer(user) -> bool:
    """Secretariat staff who validate entries; administrators are reviewers too."""
    return bool(
        user.is_authenticated
        and user.is_active
        and user.role in {User.Role.REVIEWER, User.Role.ADMINISTRATOR}
    )


def is_administrator(user) -> bool:
    return bool(user.is_authenticated and user.is_active and user.role == User.Role.ADMINISTRATOR)


def membership_role(user, organization: Organization) -> str | None:
    if not user.is_authenticated:
        return None
    membership = Membership.objects.filter(user=user, organization=organization).first()
    return membership.role if membership else None


def can_edit_organization(user, organization: Organization) -> bool:
    """Editors of the organization and administrators edit it and its entries."""
    if is_administrator(user):
        return True
    return membership_role(user, organization) == Membership.Role.EDITOR


def can_set_partner_status(user) -> bool:
    return is_reviewer(user)


def organizations_visible_to(user) -> QuerySet[Organization]:
    """Organizations are public; the list carries what every page shows of them."""
    return Organization.objects.select_related("country", "stakeholder_type").prefetch_related(
        Prefetch("partnership_areas")
    )


def get_organization_for_user(user, slug: str, *, for_edit: bool = False) -> Organization:
    organization = organizations_visible_to(user).filter(slug=slug).first()
    if organization is None:
        raise Http404(f"No organization '{slug}'")
    if for_edit and not can_edit_organization(user, organization):
        raise PermissionDenied("Only the organization's editors can change it")
    return organization


def organizations_editable_by(user) -> QuerySet[Organization]:
    if is_administrator(user):
        return organizations_visible_to(user)
    if not user.is_authenticated:
        return Organization.objects.none()
    return organizations_visible_to(user).filter(
        memberships__user=user, memberships__role=Membership.Role.EDITOR
    )


def api_tokens_of(user) -> QuerySet[ApiToken]:
    return ApiToken.objects.filter(user=user)


def get_api_token_for_user(user, token_id: int) -> ApiToken:
    token = api_tokens_of(user).filter(pk=token_id).first()
    if token is None:
        raise Http404("No such token")
    return token


def search_organizations(user, query: str) -> QuerySet[Organization]:
    organizations = organizations_visible_to(user)
    for word in query.split():
        organizations = organizations.filter(
            Q(name__icontains=word) | Q(description__icontains=word)
        )
    return organizations


def name_key(name: str) -> str:
    """What two names of one organization have in common: case and surrounding spaces aside."""
    return name.strip().lower()


def _ascii_lower(name: str) -> str:
    return "".join(c.lower() if "A" <= c <= "Z" else c for c in name.strip())


def organizations_named(names) -> dict[str, Organization]:
    """The organizations of these names, whatever their case, keyed by ``name_key``: one
    statement however many names (an import names hundreds)."""
    names = [name for name in names if name and name.strip()]
    keys = {name_key(name) for name in names}
    if not keys:
        return {}
    # SQLite's lower() folds only A to Z, PostgreSQL's every letter: both spellings are asked.
    asked = keys | {_ascii_lower(name) for name in names}
    found: dict[str, Organization] = {}
    for organization in (
        Organization.objects.alias(lowered=Lower("name"))
        .filter(lowered__in=asked)
        .order_by("name", "pk")
    ):
        found.setdefault(name_key(organization.name), organization)
    return {key: organization for key, organization in found.items() if key in keys}
