"""Every write to accounts, organizations, memberships and API tokens."""

import hashlib
import logging
import secrets
from collections.abc import Callable
from datetime import date, timedelta

from allauth.account.models import EmailAddress
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from mercuryhub.accounts import mail
from mercuryhub.accounts.models import ApiToken, Membership, Organization, QueuedEmail, User
from mercuryhub.accounts.queries import (
    can_edit_organization,
    can_set_partner_status,
    name_key,
    organizations_named,
)
from mercuryhub.lib.bulk import insert_creation_history, insert_rows
from mercuryhub.lib.errors import InvalidInputError
from mercuryhub.lib.history import attribute_change
from mercuryhub.taxonomy.models import Term
from mercuryhub.taxonomy.queries import resolve_country, resolve_terms, terms_of

logger = logging.getLogger(__name__)

TOKEN_PREFIX = "mh_"  # noqa: S105 - a public marker, not a secret


def _hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def do_create_api_token(user: User, name: str) -> tuple[ApiToken, str]:
    """Create a token and return it with its secret, which is never stored nor shown again."""
    name = (name or "").strip()
    if not name:
        raise InvalidInputError(
            {"name": "Give the token a name, such as the script that will use it"}
        )
    if len(name) > 100:
        raise InvalidInputError({"name": "The name can have at most 100 characters"})
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user, name=name, prefix=raw[: len(TOKEN_PREFIX) + 6], key_hash=_hash_token(raw)
    )
    return token, raw


def do_revoke_api_token(token: ApiToken) -> None:
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])


def do_use_api_token(raw: str) -> User | None:
    """The active user behind a bearer token, recording when the token was last used."""
    if not raw or not raw.startswith(TOKEN_PREFIX):
        return None
    token = (
        ApiToken.objects.select_related("user")
        .filter(key_hash=_hash_token(raw), revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    if token is None:
        return None
    now = timezone.now()
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user


def do_record_verified_email(user: User) -> None:
    """Record the user's address as their verified primary one, for an account whose address
    someone responsible vouches for (an administrator made on the command line): allauth then
    signs them in without sending a confirmation nobody asked for."""
    EmailAddress.objects.update_or_create(
        user=user, email=user.email, defaults={"verified": True, "primary": True}
    )
    EmailAddress.objects.filter(user=user, primary=True).exclude(email=user.email).update(
        primary=False
    )


def do_set_user_role(user: User, role: str) -> None:
    """Reviewers and administrators are staff; administrators are superusers of the admin."""
    if role not in User.Role.values:
        raise InvalidInputError(
            {"role": f"Unknown role {role!r}; use one of {', '.join(User.Role)}"}
        )
    user.role = role
    user.is_staff = role in {User.Role.REVIEWER, User.Role.ADMINISTRATOR}
    user.is_superuser = role == User.Role.ADMINISTRATOR
    user.save(update_fields=["role", "is_staff", "is_superuser"])


# What apps above accounts do once organizations are created or changed (the search index
# takes their new names and descriptions); they register in their AppConfig.ready. Each callback
# is given every organization of one action at once (an import creates hundreds).
_ORGANIZATIONS_SAVED: list[Callable[[list[Organization]], object]] = []


def on_organizations_saved(callback: Callable[[list[Organization]], object]) -> None:
    if callback not in _ORGANIZATIONS_SAVED:
        _ORGANIZATIONS_SAVED.append(callback)


def _announce_organizations_saved(organizations: list[Organization]) -> None:
    if organizations:
        for callback in _ORGANIZATIONS_SAVED:
            callback(organizations)


def do_after_admin_save(organization: Organization) -> None:
    """What a change made in the administration does after its save, as the other actions
    do: the apps above accounts take the organization's name, description and country (the
    search index)."""
    _announce_organizations_saved([organization])


def _unique_slugs(names) -> list[str]:
    """A slug for each new organization, in the order given: the name's, numbered ``-2``,
    ``-3``… past those taken and those given before it. Free slugs are found in one statement,
    only a taken one is numbered."""
    bases = [slugify(name)[:100] or "organization" for name in names]
    taken = set(Organization.objects.filter(slug__in=bases).values_list("slug", flat=True))
    slugs = []
    for base in bases:
        slug, number = base, 2
        while slug in taken or (slug != base and Organization.objects.filter(slug=slug).exists()):
            slug = f"{base}-{number}"
            number += 1
        taken.add(slug)
        slugs.append(slug)
    return slugs


def _clean_organization_fields(data: dict, *, partial: bool) -> dict:
    """Resolve codes to reference data and check every field; InvalidInputError names each."""
    errors, values = {}, {}
    if "name" in data or not partial:
        name = (data.get("name") or "").strip()
        if not name:
            errors["name"] = "The organization's name is required"
        elif len(name) > 300:
            errors["name"] = "The name can have at most 300 characters"
        values["name"] = name
    if "country" in data or not partial:
        try:
            values["country"] = resolve_country(data.get("country"))
        except InvalidInputError as error:
            errors.update(error.errors)
    if "stakeholder_type" in data or not partial:
        try:
            [values["stakeholder_type"]] = resolve_terms(
                "stakeholder_types",
                [data.get("stakeholder_type")],
                field="stakeholder_type",
                required=True,
            )
        except InvalidInputError as error:
            errors.update(error.errors)
    if "website" in data:
        website = (data.get("website") or "").strip()
        if website:
            try:
                URLValidator(schemes=["http", "https"])(website)
            except ValidationError:
                errors["website"] = f"{website!r} is not a web address (http:// or https://)"
        values["website"] = website
    if "description" in data:
        values["description"] = (data.get("description") or "").strip()
    if "partnership_areas" in data:
        try:
            values["partnership_areas"] = resolve_terms(
                "partnership_areas", data.get("partnership_areas") or [], field="partnership_areas"
            )
        except InvalidInputError as error:
            errors.update(error.errors)
    if "is_partner" in data:
        values["is_partner"] = bool(data["is_partner"])
    if "joined_partnership_on" in data:
        try:
            values["joined_partnership_on"] = _partnership_date(data["joined_partnership_on"])
        except ValueError:
            errors["joined_partnership_on"] = (
                f"{data['joined_partnership_on']!r} is not a date (YYYY-MM-DD)"
            )
    if errors:
        raise InvalidInputError(errors)
    return values


def _partnership_date(value):
    """The date an organization joined the Partnership: a date, an ISO text or nothing."""
    if value in (None, ""):
        return None
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value).strip())


# The fields only the secretariat records: whether an organization is a partner of the Global
# Mercury Partnership, its Partnership areas and when it joined.
PARTNER_FIELDS = frozenset({"is_partner", "partnership_areas", "joined_partnership_on"})


@transaction.atomic
def do_create_organization(user: User, data: dict) -> Organization:
    """Create an organization; its creator becomes its first editor. Only reviewers may mark it
    as a Partner of the Global Mercury Partnership."""
    values = _clean_organization_fields(data, partial=False)
    if any(values.get(name) for name in PARTNER_FIELDS) and not can_set_partner_status(user):
        raise PermissionDenied("Only the secretariat can record partnership status")
    areas = values.pop("partnership_areas", [])
    organization = Organization(slug=_unique_slugs([values["name"]])[0], **values)
    attribute_change(organization, user)
    organization.save()
    if areas:
        organization.partnership_areas.set(areas)
    membership = Membership(user=user, organization=organization, role=Membership.Role.EDITOR)
    attribute_change(membership, user)
    membership.save()
    _announce_organizations_saved([organization])
    return organization


def do_find_or_create_organization(
    name: str, *, country, user: User | None, stakeholder_type: Term | None = None
) -> Organization:
    """The organization of that name, created (in the given country, of the given stakeholder
    type, private sector when none is given) when the platform does not know it yet: how
    imported rows name their operators and organizers."""
    wanted = {"name": name, "country": country, "stakeholder_type": stakeholder_type}
    return do_find_or_create_organizations([wanted], user=user)[name_key(name)]


@transaction.atomic
def do_find_or_create_organizations(wanted, *, user: User | None) -> dict[str, Organization]:
    """``do_find_or_create_organization`` for many at once, each ``wanted`` a dict of its
    arguments; found in one statement, keyed by ``name_key`` of their names. Those the platform
    does not know yet are written together, with their history, as saving each would write."""
    wanted = list(wanted)
    found = organizations_named(item["name"] for item in wanted)
    new = {}
    for item in wanted:
        key = name_key(item["name"])
        if key not in found:
            new.setdefault(key, item)  # the first of the rows naming it says where it is
    if not new:
        return found
    private_sector = None
    if any(not item.get("stakeholder_type") for item in new.values()):
        private_sector = terms_of("stakeholder_types").get(code="private-sector")
    created = [
        Organization(
            name=item["name"].strip(),
            slug=slug,
            country=item["country"],
            stakeholder_type=item.get("stakeholder_type") or private_sector,
        )
        for item, slug in zip(
            new.values(), _unique_slugs([item["name"] for item in new.values()]), strict=True
        )
    ]
    written = insert_rows(Organization, created, with_ids=True)
    insert_creation_history(Organization, created, [{} for _ in created], user, written)
    found.update(zip(new, created, strict=True))
    _announce_organizations_saved(created)
    return found


@transaction.atomic
def do_update_organization(user: User, organization: Organization, data: dict) -> Organization:
    if not can_edit_organization(user, organization) and not can_set_partner_status(user):
        raise PermissionDenied("Only the organization's editors can change it")
    values = _clean_organization_fields(data, partial=True)
    partner_fields = PARTNER_FIELDS & values.keys()
    if partner_fields and not can_set_partner_status(user):
        raise PermissionDenied("Only the secretariat can record partnership status")
    if set(values) - PARTNER_FIELDS and not can_edit_organization(user, organization):
        raise PermissionDenied("Only the organization's editors can change it")
    areas = values.pop("partnership_areas", None)
    for name, value in values.items():
        setattr(organization, name, value)
    attribute_change(organization, user)
    organization.save()
    if areas is not None:
        organization.partnership_areas.set(areas)
    _announce_organizations_saved([organization])
    return organization


@transaction.atomic
def do_set_membership(acting: User, organization: Organization, member: User, role: str | None):
    """Add, change or remove (role None) a person's membership of an organization."""
    if not can_edit_organization(acting, organization):
        raise PermissionDenied("Only the organization's editors can manage its members")
    if role is not None and role not in Membership.Role.values:
        raise InvalidInputError({"role": f"Unknown role {role!r}; use member or editor"})
    membership = Membership.objects.filter(user=member, organization=organization).first()
    if role is None:
        if membership:
            attribute_change(membership, acting)
            membership.delete()
        return None
    if membership is None:
        membership = Membership(user=member, organization=organization, role=role)
    elif membership.role == role:
        return membership
    membership.role = role
    attribute_change(membership, acting)
    membership.save()
    return membership


# -- the outbox of e-mails the mail server did not take (accounts/mail.py) ----------------------

QUEUED_EMAIL_FIRST_WAIT = timedelta(minutes=1)
QUEUED_EMAIL_LONGEST_WAIT = timedelta(hours=6)


def _next_wait(attempts: int) -> timedelta:
    """A minute after the first failure, doubling with each attempt, at most six hours."""
    return min(QUEUED_EMAIL_FIRST_WAIT * 2 ** (attempts - 1), QUEUED_EMAIL_LONGEST_WAIT)


def do_queue_email(data: dict, error: Exception) -> QueuedEmail:
    """Keep a message the mail server did not take, to be sent again; the page that sent it is
    told (``mail.queued_in_request``)."""
    recipients = [*data["to"], *data["cc"], *data["bcc"]]
    logger.warning("E-mail to %s queued (%s): %s", ", ".join(recipients), error, data["subject"])
    queued = QueuedEmail.objects.create(
        subject=data["subject"][:998],
        recipients=recipients,
        message=data,
        last_error=str(error) or type(error).__name__,
        next_attempt_at=timezone.now() + _next_wait(1),
    )
    in_request = mail.queued_in_request.get()
    if in_request is not None:
        in_request.append(queued.pk)
    return queued


def do_send_queued_emails() -> dict[str, int]:
    """Send again each queued e-mail whose time has come: a sent one leaves the outbox; one that
    fails again waits twice as long, until ``EMAIL_MAX_ATTEMPTS`` attempts, when it is given up
    (logged, kept for the administrators). Counts of sent, waiting and given up."""
    counts = {"sent": 0, "waiting": 0, "given_up": 0}
    due = QueuedEmail.objects.filter(given_up_at=None, next_attempt_at__lte=timezone.now())
    for queued in due:
        connection = mail.delivery_connection()
        try:
            connection.send_messages([mail.rebuilt_message(queued.message, connection)])
        except mail.DELIVERY_ERRORS as error:
            queued.attempts += 1
            queued.last_error = str(error) or type(error).__name__
            if queued.attempts >= settings.EMAIL_MAX_ATTEMPTS:
                queued.given_up_at = timezone.now()
                counts["given_up"] += 1
                logger.error(
                    "Gave up on the e-mail to %s after %s attempts (%s): %s",
                    ", ".join(queued.recipients),
                    queued.attempts,
                    queued.last_error,
                    queued.subject,
                )
            else:
                queued.next_attempt_at = timezone.now() + _next_wait(queued.attempts)
                counts["waiting"] += 1
            queued.save(update_fields=["attempts", "last_error", "next_attempt_at", "given_up_at"])
        else:
            queued.delete()
            counts["sent"] += 1
    return counts
