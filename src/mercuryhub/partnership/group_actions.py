"""Every write about the working groups' members and leaders: a partner's editors ask to join
a group, the group's leads (its leaders and the secretariat) approve or decline, the secretariat
appoints and ends leaderships. Nobody leads two groups at once: the database holds it, and a
second appointment is refused with a message naming the group the person leads."""

from datetime import date

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from mercuryhub.accounts.models import Membership, Organization, User
from mercuryhub.accounts.queries import can_edit_organization, is_reviewer
from mercuryhub.lib.errors import InvalidInputError
from mercuryhub.lib.notices import notify
from mercuryhub.partnership.group_queries import (
    can_manage_leaders,
    current_leaderships,
    is_group_lead,
    open_leadership_of,
)
from mercuryhub.partnership.models import GroupMembership, Leadership, WorkingGroup
from mercuryhub.review.errors import WorkflowError

State = GroupMembership.State
MESSAGE_MAX_LENGTH = 2000


def _require(allowed: bool, message: str) -> None:
    if not allowed:
        raise PermissionDenied(message)


def _text(value, field: str, *, required_message: str | None = None) -> str:
    text = (value or "").strip()
    if required_message and not text:
        raise InvalidInputError({field: required_message})
    if len(text) > MESSAGE_MAX_LENGTH:
        raise InvalidInputError(
            {field: _("Keep it under %(count)s characters.") % {"count": "2,000"}}
        )
    return text


def _lead_addresses(group: WorkingGroup) -> set[str]:
    """The group's current leaders and the secretariat."""
    leaders = {leadership.person.email for leadership in current_leaderships(group)}
    secretariat = User.objects.filter(
        is_active=True, role__in=[User.Role.REVIEWER, User.Role.ADMINISTRATOR]
    ).values_list("email", flat=True)
    return leaders | set(secretariat)


def _editor_addresses(organization: Organization) -> set[str]:
    return set(
        User.objects.filter(
            is_active=True,
            memberships__organization=organization,
            memberships__role=Membership.Role.EDITOR,
        ).values_list("email", flat=True)
    )


# Membership: asking to join and the leads' answer ------------------------------------------


@transaction.atomic
def do_request_group_membership(
    user: User, group: WorkingGroup, organization: Organization, message: str = ""
) -> GroupMembership:
    """A partner organization's editor asks for it to join the group; the leads are e-mailed.
    An organization may ask again after a refusal or after leaving."""
    _require(
        can_edit_organization(user, organization),
        "Only the organization's editors ask for it to join a working group",
    )
    if not organization.is_partner:
        raise InvalidInputError(
            {
                "organization": _(
                    "%(name)s is not a partner of the Global Mercury Partnership: only partners "
                    "join working groups. Ask the secretariat to record your organization as a "
                    "partner first."
                )
                % {"name": organization.name}
            }
        )
    message = _text(message, "message")
    membership = (
        GroupMembership.objects.select_for_update()
        .filter(group=group, organization=organization)
        .first()
    )
    if membership and membership.state == State.MEMBER:
        raise InvalidInputError(
            {
                "organization": _("%(name)s is already a member of %(group)s.")
                % {"name": organization.name, "group": group.term.localized_label}
            }
        )
    if membership and membership.state == State.REQUESTED:
        raise InvalidInputError(
            {
                "organization": _(
                    "%(name)s has already asked to join %(group)s; the group's leads will answer."
                )
                % {"name": organization.name, "group": group.term.localized_label}
            }
        )
    if membership is None:
        membership = GroupMembership(group=group, organization=organization)
    membership.state = State.REQUESTED
    membership.message = message
    membership.requested_by = user
    membership.requested_at = timezone.now()
    membership.decided_by, membership.decided_at, membership.decision_reason = None, None, ""
    membership.save()
    notify(
        f"{organization.name} asks to join {group.term.label}",
        "partnership/email/join_request.txt",
        {"membership": membership, "group": group, "organization": organization, "user": user},
        _lead_addresses(group),
    )
    return membership


@transaction.atomic
def do_decide_group_membership(
    user: User, membership: GroupMembership, *, approve: bool, reason: str = ""
) -> GroupMembership:
    """A lead of the group approves a request to join, or declines it giving a reason; the
    person who asked and the organization's editors are e-mailed the answer."""
    group = membership.group
    _require(
        is_group_lead(user, group),
        "Only the group's leaders and the secretariat answer requests to join",
    )
    membership = GroupMembership.objects.select_for_update().get(pk=membership.pk)
    if membership.state != State.REQUESTED:
        raise WorkflowError(_("This request has already been answered."))
    reason = _text(
        reason,
        "reason",
        required_message=None if approve else _("Say why the request is declined."),
    )
    membership.state = State.MEMBER if approve else State.DECLINED
    membership.decided_by, membership.decided_at = user, timezone.now()
    membership.decision_reason = reason
    membership.save()
    addresses = _editor_addresses(membership.organization)
    if membership.requested_by:
        addresses.add(membership.requested_by.email)
    verb = "joined" if approve else "was not admitted to"
    notify(
        f"{membership.organization.name} {verb} {group.term.label}",
        "partnership/email/join_decision.txt",
        {"membership": membership, "group": group, "approved": approve},
        addresses,
    )
    return membership


@transaction.atomic
def do_leave_group(user: User, membership: GroupMembership) -> GroupMembership:
    """A member organization leaves the group, by one of its editors or the secretariat."""
    _require(
        can_edit_organization(user, membership.organization) or is_reviewer(user),
        "Only the organization's editors and the secretariat end its membership",
    )
    if membership.state != State.MEMBER:
        raise WorkflowError(_("This organization is not a member of the group."))
    membership.state = State.LEFT
    membership.decided_by, membership.decided_at = user, timezone.now()
    membership.save()
    return membership


# Leaders -----------------------------------------------------------------------------------


def _already_leads(person: User, group: Leadership | None) -> InvalidInputError:
    if group is None:  # the other leadership ended meanwhile: the person may be tried again
        return InvalidInputError(
            {"person": _("The appointment could not be saved; please try again.")}
        )
    return InvalidInputError(
        {
            "person": _(
                "%(person)s already leads %(group)s. Nobody leads two working groups at once: "
                "end that leadership first."
            )
            % {"person": person.name or person.email, "group": group.group.term.localized_label}
        }
    )


def do_appoint_leader(
    user: User,
    group: WorkingGroup,
    *,
    person: User,
    organization: Organization,
    gender: str,
    started_on: date,
) -> Leadership:
    """The secretariat appoints a person to lead the group for an organization. Refused, with a
    message naming the group they lead, when the person already leads a group."""
    _require(can_manage_leaders(user), "Only the secretariat appoints working group leaders")
    if gender not in Leadership.Gender.values:
        raise InvalidInputError({"gender": _("Choose one of the listed answers.")})
    if not organization.is_partner:
        raise InvalidInputError(
            {
                "organization": _("%(name)s is not a partner of the Global Mercury Partnership.")
                % {"name": organization.name}
            }
        )
    existing = open_leadership_of(person)
    if existing is not None:
        raise _already_leads(person, existing)
    try:
        with transaction.atomic():
            return Leadership.objects.create(
                group=group,
                person=person,
                organization=organization,
                gender=gender,
                started_on=started_on,
                appointed_by=user,
            )
    except IntegrityError:
        # Someone appointed the same person at the same moment: the database kept one.
        raise _already_leads(person, open_leadership_of(person)) from None


@transaction.atomic
def do_end_leadership(user: User, leadership: Leadership, ended_on: date) -> Leadership:
    _require(can_manage_leaders(user), "Only the secretariat ends leaderships")
    if leadership.ended_on is not None:
        raise WorkflowError(_("This leadership has already ended."))
    if ended_on < leadership.started_on:
        raise InvalidInputError({"ended_on": _("A leadership cannot end before it started.")})
    leadership.ended_on = ended_on
    leadership.save(update_fields=["ended_on"])
    return leadership
