"""The partners' digest: one e-mail per person of a partner organization (its members and
editors) listing what is new since their last digest: entries published in the catalogue and the
library, open needs of the solution exchange, upcoming events and new projects. Each person
receives it weekly or monthly (``DigestPreference``; monthly without one, never when they chose
so), once per period (``PartnerDigest``), and not at all when nothing is new.
``mercuryhub send_partner_digests`` sends it (from cron)."""

import datetime
from dataclasses import dataclass, field

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from mercuryhub.accounts.models import Membership, User
from mercuryhub.exchange.models import Need
from mercuryhub.partnership.models import DigestPreference, Event, PartnerDigest, Project
from mercuryhub.review import registry

# The kinds of entry a digest lists as newly published, in this order.
ENTRY_KINDS = ("facility", "offering", "expert", "resource", "case_study")
MOST_PER_PART = 20
_UNSUBSCRIBE_SALT = "partnership.digest.unsubscribe"


@dataclass
class Item:
    title: str
    url: str
    detail: str = ""


@dataclass
class DigestContents:
    parts: dict[str, list[Item]] = field(default_factory=dict)

    @property
    def is_empty(self) -> bool:
        return not any(self.parts.values())

    def counts(self) -> dict[str, int]:
        return {name: len(items) for name, items in self.parts.items()}


# Reads --------------------------------------------------------------------------------------


def frequency_of(person: User) -> str:
    preference = DigestPreference.objects.filter(person=person).first()
    return preference.frequency if preference else DigestPreference.Frequency.MONTHLY


def period_end(frequency: str, today: datetime.date) -> datetime.datetime:
    """The end of the last whole period on ``today``: the Monday of its week, or the first of
    its month, at midnight UTC."""
    if frequency == DigestPreference.Frequency.WEEKLY:
        day = today - datetime.timedelta(days=today.weekday())
    else:
        day = today.replace(day=1)
    return datetime.datetime.combine(day, datetime.time(), tzinfo=datetime.UTC)


def period_start(person: User, frequency: str, end: datetime.datetime) -> datetime.datetime:
    """Where the person's last digest ended, or one period before ``end``."""
    last = PartnerDigest.objects.filter(person=person, period_end__lt=end).first()
    if last is not None:
        return last.period_end
    if frequency == DigestPreference.Frequency.WEEKLY:
        return end - datetime.timedelta(days=7)
    previous = (end.date() - datetime.timedelta(days=1)).replace(day=1)
    return datetime.datetime.combine(previous, datetime.time(), tzinfo=datetime.UTC)


def partner_people() -> QuerySet[User]:
    """Active people with an address who are members or editors of a partner organization."""
    return (
        User.objects.filter(
            is_active=True,
            memberships__organization__is_partner=True,
            memberships__role__in=[Membership.Role.MEMBER, Membership.Role.EDITOR],
        )
        .exclude(email="")
        .distinct()
        .order_by("pk")
    )


def _url(entry) -> str:
    try:
        return settings.SITE_URL + entry.get_absolute_url()
    except NoReverseMatch:  # a page another part of the platform has not given yet
        return ""


def _name(entry) -> str:
    return str(entry.localized("name")) if hasattr(entry, "localized") else str(entry)


def _published_between(queryset, start, end):
    return queryset.filter(published=True, validated_at__gt=start, validated_at__lte=end)


def digest_contents(start: datetime.datetime, end: datetime.datetime) -> DigestContents:
    """What was published between ``start`` and ``end``, in the current language; events
    only those still to come."""
    entries = []
    for name in ENTRY_KINDS:
        kind = registry.get(name)
        for entry in _published_between(kind.model.objects.all(), start, end)[:MOST_PER_PART]:
            entries.append(Item(_name(entry), _url(entry), str(kind.label)))
    needs = _published_between(Need.objects.filter(state=Need.State.OPEN), start, end)
    events = _published_between(Event.objects.filter(starts_at__gt=end), start, end)
    projects = _published_between(Project.objects.all(), start, end)
    return DigestContents(
        {
            "entries": entries[:MOST_PER_PART],
            "needs": [
                Item(_name(need), _url(need)) for need in needs.order_by("-validated_at")[:20]
            ],
            "events": [
                Item(_name(event), _url(event), event.starts_at.strftime("%Y-%m-%d %H:%M UTC"))
                for event in events.order_by("starts_at")[:MOST_PER_PART]
            ],
            "projects": [
                Item(_name(project), _url(project))
                for project in projects.order_by("-validated_at")[:MOST_PER_PART]
            ],
        }
    )


def unsubscribe_token(person: User) -> str:
    return signing.dumps(person.pk, salt=_UNSUBSCRIBE_SALT)


def person_of_token(token: str) -> User | None:
    try:
        pk = signing.loads(token, salt=_UNSUBSCRIBE_SALT)
    except signing.BadSignature:
        return None
    return User.objects.filter(pk=pk, is_active=True).first()


# Writes -------------------------------------------------------------------------------------


def do_set_digest_frequency(person: User, frequency: str, language: str = "") -> DigestPreference:
    if frequency not in DigestPreference.Frequency.values:
        from mercuryhub.lib.errors import InvalidInputError

        choices = ", ".join(DigestPreference.Frequency.values)
        raise InvalidInputError({"frequency": f"Unknown frequency {frequency!r}; use {choices}"})
    preference, _created = DigestPreference.objects.update_or_create(
        person=person, defaults={"frequency": frequency, "language": language or ""}
    )
    return preference


@dataclass
class DigestRun:
    sent: list[PartnerDigest] = field(default_factory=list)
    nothing_new: list[User] = field(default_factory=list)


def do_send_partner_digests(today: datetime.date | None = None) -> DigestRun:
    """Send each partner their digest for the period ending on ``today`` (default: today), once;
    a run on the same period again sends nothing."""
    today = today or timezone.localdate()
    run = DigestRun()
    for person in partner_people():
        frequency = frequency_of(person)
        if frequency == DigestPreference.Frequency.NEVER:
            continue
        end = period_end(frequency, today)
        if PartnerDigest.objects.filter(person=person, period_end=end).exists():
            continue
        start = period_start(person, frequency, end)
        language = _language_of(person)
        with translation.override(language):
            contents = digest_contents(start, end)
            if contents.is_empty:
                run.nothing_new.append(person)
                continue
            message = _message(person, contents, start, end, frequency)
        try:
            with transaction.atomic():
                digest = PartnerDigest.objects.create(
                    person=person, period_start=start, period_end=end, counts=contents.counts()
                )
                message.send()
        except IntegrityError:  # another run sent it meanwhile
            continue
        run.sent.append(digest)
    return run


def _language_of(person: User) -> str:
    from mercuryhub.partnership.work_actions import person_language

    return person_language(person)


def _message(person, contents, start, end, frequency) -> EmailMultiAlternatives:
    context = {
        "person": person,
        "parts": [
            (_("Newly published in the catalogue and the library"), contents.parts["entries"]),
            (_("Open needs in the solution exchange"), contents.parts["needs"]),
            (_("Upcoming events"), contents.parts["events"]),
            (_("New projects"), contents.parts["projects"]),
        ],
        "start": start.date(),
        "end": end.date(),
        "weekly": frequency == DigestPreference.Frequency.WEEKLY,
        "preference_url": settings.SITE_URL + reverse("partnership-digest-preference"),
        "unsubscribe_url": settings.SITE_URL
        + reverse("partnership-digest-unsubscribe", args=[unsubscribe_token(person)]),
    }
    subject = _("[MercuryHub] What is new for partners, %(start)s to %(end)s") % {
        "start": context["start"].isoformat(),
        "end": context["end"].isoformat(),
    }
    body = render_to_string("partnership/emails/digest.txt", context)
    html = render_to_string("partnership/emails/digest.html", context)
    message = EmailMultiAlternatives(subject=subject, body=body, to=[person.email])
    message.attach_alternative(html, "text/html")
    message.extra_headers["List-Unsubscribe"] = f"<{context['unsubscribe_url']}>"
    return message
