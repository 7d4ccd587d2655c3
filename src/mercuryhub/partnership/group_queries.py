"""Reads about the working groups and the one place that says who may do what in them: the
groups are public (mandate, member organizations, leaders, balance); the requests to join and
their messages reach the group's leads and the asking organization's editors only.

The WMA leads of a group are its current leaders and the secretariat (reviewers and
administrators); only the secretariat appoints and ends leaderships."""

from collections import Counter
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from mercuryhub.accounts.models import Membership, Organization
from mercuryhub.accounts.queries import is_reviewer, organizations_editable_by
from mercuryhub.partnership.models import GroupMembership, Leadership, WorkingGroup
from mercuryhub.taxonomy.regions import region_label

MEMBER = GroupMembership.State.MEMBER
REQUESTED = GroupMembership.State.REQUESTED


def working_groups() -> QuerySet[WorkingGroup]:
    """The groups in their order, each with its number of member organizations, of current
    leaders and of requests waiting for an answer."""
    return WorkingGroup.objects.select_related("term").annotate(
        member_count=Count("memberships", filter=Q(memberships__state=MEMBER), distinct=True),
        leader_count=Count(
            "leaderships", filter=Q(leaderships__ended_on__isnull=True), distinct=True
        ),
        request_count=Count("memberships", filter=Q(memberships__state=REQUESTED), distinct=True),
    )


def get_group_for_user(user, code: str) -> WorkingGroup:
    group = working_groups().filter(term__code=code).first()
    if group is None:
        raise Http404(f"No working group '{code}'")
    return group


def mandate_of(group: WorkingGroup) -> tuple[str, str]:
    """The group's mandate in the interface language, or in English, with the language it is
    written in (the page marks a fallback with it)."""
    language = get_language() or "en"
    translated = group.mandate_translations.get(language)
    return (translated, language) if translated else (group.mandate, "en")


def lacks_leaders(group: WorkingGroup) -> bool:
    """Whether the group has fewer current leaders than its rules ask (two)."""
    return group.leader_count < group.minimum_leaders


def current_leaderships(group: WorkingGroup) -> QuerySet[Leadership]:
    return group.leaderships.filter(ended_on__isnull=True).select_related(
        "person", "organization__country", "organization__stakeholder_type"
    )


def past_leaderships(group: WorkingGroup) -> QuerySet[Leadership]:
    return (
        group.leaderships.filter(ended_on__isnull=False)
        .select_related("person", "organization")
        .order_by("-ended_on")
    )


def open_leadership_of(person) -> Leadership | None:
    """The group this person leads now, if any."""
    return (
        Leadership.objects.filter(person=person, ended_on__isnull=True)
        .select_related("group__term")
        .first()
    )


def members_of(group: WorkingGroup) -> QuerySet[GroupMembership]:
    return group.memberships.filter(state=MEMBER).select_related(
        "organization__country", "organization__stakeholder_type"
    )


def is_group_lead(user, group: WorkingGroup) -> bool:
    """The WMA leads of the group: its current leaders and the secretariat."""
    if is_reviewer(user):
        return True
    return bool(
        user.is_authenticated
        and group.leaderships.filter(person=user, ended_on__isnull=True).exists()
    )


def can_manage_leaders(user) -> bool:
    return is_reviewer(user)


def requests_for_lead(user, group: WorkingGroup) -> QuerySet[GroupMembership]:
    """The requests to join waiting for an answer, for the group's leads (none for others)."""
    if not is_group_lead(user, group):
        return GroupMembership.objects.none()
    return group.memberships.filter(state=REQUESTED).select_related(
        "organization__country", "requested_by"
    )


def get_request_for_lead(user, group: WorkingGroup, pk: int) -> GroupMembership:
    """A request to join the group, for a lead to answer; others are told it does not exist."""
    membership = requests_for_lead(user, group).filter(pk=pk).first()
    if membership is None:
        raise Http404("No such request")
    return membership


@dataclass
class AskingOrganization:
    """One of the person's organizations as the join form offers it."""

    organization: Organization
    state: str | None  # its membership of the group, if any


def organizations_to_ask_for(user, group: WorkingGroup) -> list[AskingOrganization]:
    """The organizations this person edits, with where each stands in the group."""
    if not user.is_authenticated:
        return []
    states = dict(group.memberships.values_list("organization_id", "state"))
    return [
        AskingOrganization(organization, states.get(organization.pk))
        for organization in organizations_editable_by(user).order_by("name")
    ]


def own_memberships(user, group: WorkingGroup) -> QuerySet[GroupMembership]:
    """The group's memberships and requests of the organizations this person is an editor of
    (administrators, who edit every organization, see only their own), with the answers given."""
    if not user.is_authenticated:
        return GroupMembership.objects.none()
    return group.memberships.filter(
        organization__memberships__user=user,
        organization__memberships__role=Membership.Role.EDITOR,
    ).select_related("organization")


# The leaders' balance ---------------------------------------------------------------------


@dataclass
class BalanceRow:
    label: str
    count: int


def _rows(counter: Counter) -> list[BalanceRow]:
    return [BalanceRow(label, count) for label, count in sorted(counter.items(), key=_order)]


def _order(item):
    label, count = item
    return (-count, label)


def leaders_balance(leaderships) -> dict[str, list[BalanceRow]]:
    """The current leaders counted by sector (their organization's stakeholder type), gender
    and region (the UN M49 region of their organization's country)."""
    leaderships = list(leaderships)
    genders = dict(Leadership.Gender.choices)
    return {
        "sector": _rows(
            Counter(leader.organization.stakeholder_type.localized_label for leader in leaderships)
        ),
        "gender": _rows(Counter(str(genders[leader.gender]) for leader in leaderships)),
        "region": _rows(
            Counter(
                region_label(leader.organization.country.region) or _("Unknown region")
                for leader in leaderships
            )
        ),
    }
