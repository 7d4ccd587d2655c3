"""The annual update. The secretariat opens a campaign; every editor of a published entry gets
one e-mail listing their entries, each with a link to reconfirm or correct it; the campaign's
dashboard counts the entries confirmed since it opened, overall, by organization and by country.

Both the campaign's writes (``do_*``) and its reads live here, apart from ``actions.py`` and
``queries.py``: the annual update is one feature, read in one place. It covers every registered
kind of entry."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import partial

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.core.mail import EmailMessage, get_connection
from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.http import Http404
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from mercuryhub.accounts.models import Membership, Organization, User
from mercuryhub.lib.errors import InvalidInputError
from mercuryhub.review import registry
from mercuryhub.review.models import ReviewState, UpdateCampaign
from mercuryhub.review.queries import can_review
from mercuryhub.search.words import normalize
from mercuryhub.taxonomy.models import Country

# How far ahead a campaign can be opened: this year's or next year's.
_YEARS_AHEAD = 1
# The deadline the form suggests: about two months to answer.
SUGGESTED_DAYS_TO_ANSWER = 60


def _published(kind: registry.EntryKind):
    """The entries the public sees: the ones whose editors the annual update asks."""
    return kind.visible_to(AnonymousUser())


def _require_reviewer(user, message: str) -> None:
    if not can_review(user):
        raise PermissionDenied(message)


# Opening and closing ------------------------------------------------------------------------


@dataclass
class EntryToConfirm:
    kind: str
    pk: int
    name: str

    @property
    def kind_label(self) -> str:
        return str(registry.get(self.kind).label)

    @property
    def reconfirm_path(self) -> str:
        return reverse("review-entry-reconfirm", args=[self.kind, self.pk])


def _campaign_kinds() -> list:
    return [kind for kind in registry.kinds() if kind.in_update_campaigns]


def entries_to_confirm_by_person() -> list[tuple[User, list[EntryToConfirm]]]:
    """Each active editor of an organization with published entries, and each self-nominated
    expert, with the published entries they answer for; in five queries whatever the numbers."""
    editors_of: dict[int, set[int]] = defaultdict(set)
    memberships = Membership.objects.filter(
        role=Membership.Role.EDITOR, user__is_active=True
    ).values_list("organization_id", "user_id")
    for organization_id, user_id in memberships:
        editors_of[organization_id].add(user_id)
    entries_of: dict[int, list[EntryToConfirm]] = defaultdict(list)
    for kind in _campaign_kinds():
        columns = ["pk", "name"]
        if kind.organization_field:
            columns.append(f"{kind.organization_field}_id")
        if kind.owner_field:
            columns.append(f"{kind.owner_field}_id")
        for pk, name, *people_ids in _published(kind).order_by("name", "pk").values_list(*columns):
            organization_id = people_ids[0] if kind.organization_field else None
            owner = people_ids[-1:] if kind.owner_field else []
            people = set(editors_of.get(organization_id, ())) | {u for u in owner if u}
            for user_id in people:
                entries_of[user_id].append(EntryToConfirm(kind.name, pk, name))
    people = User.objects.filter(pk__in=entries_of, is_active=True).order_by("email")
    return [(person, entries_of[person.pk]) for person in people]


def _check_campaign(name: str, year, deadline, today: date) -> dict[str, str]:
    errors = {}
    if not (name or "").strip():
        errors["name"] = _("Give the campaign a name, such as “Annual update %(year)s”.") % {
            "year": today.year
        }
    if not isinstance(year, int) or not today.year <= year <= today.year + _YEARS_AHEAD:
        errors["year"] = _("The year must be %(this)s or %(next)s.") % {
            "this": today.year,
            "next": today.year + _YEARS_AHEAD,
        }
    if not isinstance(deadline, date) or deadline <= today:
        errors["deadline"] = _("The deadline must be a date after today.")
    return errors


def _already_opened(year: int) -> InvalidInputError:
    existing = UpdateCampaign.objects.filter(year=year).first()
    when = date_format(timezone.localtime(existing.opened_at).date()) if existing else ""
    return InvalidInputError(
        {
            "year": _(
                "The %(year)s update campaign was already opened on %(date)s; "
                "there is one campaign a year."
            )
            % {"year": year, "date": when}
        }
    )


def _campaign_email(campaign: UpdateCampaign, person: User, entries: list[EntryToConfirm]):
    """One message in the site's default language: the editors' languages are not known."""
    with translation.override(settings.LANGUAGE_CODE):
        deadline = date_format(campaign.deadline, "j F Y")
        body = render_to_string(
            "review/campaigns/campaign_email.txt",
            {
                "campaign": campaign,
                "person": person,
                "entries": entries,
                "deadline": deadline,
                "site_url": settings.SITE_URL,
            },
        )
        subject = _("[MercuryHub] %(campaign)s: please confirm your entries by %(deadline)s") % {
            "campaign": campaign.name,
            "deadline": deadline,
        }
    return EmailMessage(subject=subject, body=body, to=[person.email])


def _send_campaign_emails(campaign_pk: int, messages: list[EmailMessage]) -> None:
    """Send over one connection; a message the mail server does not take waits in the outbox
    (accounts.mail) and the others still go. The campaign records how many went at once."""
    sent = get_connection().send_messages(messages) or 0
    UpdateCampaign.objects.filter(pk=campaign_pk).update(emails_sent=sent)


@transaction.atomic
def do_open_campaign(
    user: User, *, name: str, year: int, deadline: date, message: str = ""
) -> UpdateCampaign:
    """Record the campaign and, once it is saved, e-mail every editor and self-nominated expert
    one message listing their published entries with a link to reconfirm each."""
    _require_reviewer(user, "Only reviewers of the secretariat can open an update campaign")
    errors = _check_campaign(name, year, deadline, timezone.localdate())
    if errors:
        raise InvalidInputError(errors)
    if UpdateCampaign.objects.filter(year=year).exists():
        raise _already_opened(year)
    campaign = UpdateCampaign(
        name=name.strip(),
        year=year,
        deadline=deadline,
        message=(message or "").strip(),
        opened_at=timezone.now(),
        opened_by=user,
    )
    messages = [
        _campaign_email(campaign, person, entries)
        for person, entries in entries_to_confirm_by_person()
    ]
    campaign.recipients = len(messages)
    try:
        with transaction.atomic():
            campaign.save()
    except IntegrityError:  # opened at the same moment by someone else
        raise _already_opened(year) from None
    transaction.on_commit(partial(_send_campaign_emails, campaign.pk, messages))
    return campaign


@transaction.atomic
def do_close_campaign(user: User, campaign: UpdateCampaign) -> UpdateCampaign:
    """End the campaign, keeping its progress as it stands; closing twice changes nothing."""
    _require_reviewer(user, "Only reviewers of the secretariat can close an update campaign")
    campaign = UpdateCampaign.objects.select_for_update().get(pk=campaign.pk)
    if campaign.closed_at is not None:
        return campaign
    progress = campaign_progress(campaign)
    campaign.closed_at = timezone.now()
    campaign.closed_by = user
    campaign.entries_when_closed = progress.entries
    campaign.confirmed_when_closed = progress.confirmed
    campaign.save()
    return campaign


# Reading campaigns --------------------------------------------------------------------------


def campaigns_for_user(user) -> list[UpdateCampaign]:
    _require_reviewer(user, "Only reviewers of the secretariat see the update campaigns")
    return list(UpdateCampaign.objects.all())


def get_campaign_for_user(user, pk: int) -> UpdateCampaign:
    _require_reviewer(user, "Only reviewers of the secretariat see the update campaigns")
    campaign = UpdateCampaign.objects.select_related("opened_by", "closed_by").filter(pk=pk).first()
    if campaign is None:
        raise Http404(f"No update campaign {pk}")
    return campaign


def open_campaign() -> UpdateCampaign | None:
    """The campaign under way, if any (the newest when several are open)."""
    return UpdateCampaign.objects.filter(closed_at__isnull=True).order_by("-opened_at").first()


def suggested_campaign(today: date) -> dict:
    """What the form to open a campaign starts from: this year's, if not opened yet."""
    year = today.year
    if UpdateCampaign.objects.filter(year=year).exists():
        year += 1
    return {
        "name": _("Annual update %(year)s") % {"year": year},
        "year": year,
        "deadline": today + timedelta(days=SUGGESTED_DAYS_TO_ANSWER),
    }


def opening_date(campaign: UpdateCampaign) -> date:
    return timezone.localtime(campaign.opened_at).date()


@dataclass
class ProgressRow:
    """Published entries of an organization or a country and how many are confirmed."""

    label: str
    entries: int = 0
    confirmed: int = 0
    waiting: int = 0  # changed by their editors and waiting for the secretariat's review
    url: str = ""
    code: str = ""
    has_editor: bool = True

    @property
    def percent(self) -> int:
        return round(100 * self.confirmed / self.entries) if self.entries else 0


@dataclass
class CampaignProgress:
    since: date
    entries: int = 0
    confirmed: int = 0
    waiting: int = 0
    organizations: list[ProgressRow] = field(default_factory=list)
    countries: list[ProgressRow] = field(default_factory=list)

    @property
    def percent(self) -> int:
        return round(100 * self.confirmed / self.entries) if self.entries else 0

    def chart(self) -> dict:
        """Per cent confirmed by country, highest first, for the dashboard's bar chart."""
        rows = sorted(self.countries, key=lambda row: (-row.percent, row.label))
        return {
            "labels": [row.label for row in rows],
            "percents": [row.percent for row in rows],
            "counts": [[row.confirmed, row.entries] for row in rows],
        }


def campaign_progress(campaign: UpdateCampaign) -> CampaignProgress:
    """Published entries confirmed on or after the campaign's opening day (reconfirmed by their
    editors, or edited and validated by the secretariat, which confirms them too), out of all
    published entries; by organization and by country. Six queries whatever the numbers."""
    since = opening_date(campaign)
    confirmed = Q(last_confirmed_at__gte=since)
    waiting = Q(review_state=ReviewState.SUBMITTED) & ~confirmed
    progress = CampaignProgress(since=since)
    by_organization: dict[int | None, ProgressRow] = {}
    by_country: dict[str, ProgressRow] = {}
    for kind in _campaign_kinds():
        groups = (
            _published(kind)
            .order_by()
            .values(*filter(None, [kind.organization_field, kind.country_field]))
            .annotate(
                entries=Count("pk"),
                confirmed=Count("pk", filter=confirmed),
                waiting=Count("pk", filter=waiting),
            )
        )
        for group in groups:
            for rows, key in (
                (by_organization, group.get(kind.organization_field)),
                (by_country, group[kind.country_field]),
            ):
                row = rows.setdefault(key, ProgressRow(label=""))
                row.entries += group["entries"]
                row.confirmed += group["confirmed"]
                row.waiting += group["waiting"]
    progress.entries = sum(row.entries for row in by_country.values())
    progress.confirmed = sum(row.confirmed for row in by_country.values())
    progress.waiting = sum(row.waiting for row in by_country.values())
    _label_organizations(by_organization)
    _label_countries(by_country)
    progress.organizations = sorted(
        by_organization.values(), key=lambda row: (row.code == "", normalize(row.label))
    )
    progress.countries = sorted(by_country.values(), key=lambda row: normalize(row.label))
    return progress


def _label_organizations(rows: dict[int | None, ProgressRow]) -> None:
    ids = [pk for pk in rows if pk is not None]
    with_editors = set(
        Membership.objects.filter(
            organization__in=ids, role=Membership.Role.EDITOR, user__is_active=True
        ).values_list("organization_id", flat=True)
    )
    for pk, name, slug in Organization.objects.filter(pk__in=ids).values_list("pk", "name", "slug"):
        row = rows[pk]
        row.label, row.code, row.has_editor = name, slug, pk in with_editors
        row.url = reverse("accounts-organization-detail", args=[slug])
    if None in rows:
        # Self-nominated experts, library entries kept by the person who added them, entries
        # imported from public sources that the secretariat keeps.
        rows[None].label = _("Entries without an organization")


def _label_countries(rows: dict[str | None, ProgressRow]) -> None:
    if None in rows:
        rows[None].label = _("No country given")
    for country in Country.objects.filter(iso3__in=list(rows)).only("iso3", "name", "names"):
        rows[country.iso3].label = country.localized_name
        rows[country.iso3].code = country.iso3
