"""Every permission-scoped read of the Partnership's events: the published events and their
filters, one event for a reader, a person's registration, the registrations its organizers see,
and the event's times as its own time zone gives them."""

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from django.db.models import Case, Count, F, IntegerField, QuerySet, Value, When
from django.http import Http404
from django.utils import timezone

from mercuryhub.accounts.queries import is_reviewer
from mercuryhub.partnership.event_fields import days_of, time_zone_of, whole_days
from mercuryhub.partnership.models.events import Event, Registration
from mercuryhub.review.queries import can_edit_entry
from mercuryhub.taxonomy.models import Country
from mercuryhub.taxonomy.queries import terms_of

State = Registration.State
PLACES = ("online", "in-person")
WHEN = ("upcoming", "past")


def events_visible_to(user) -> QuerySet[Event]:
    """The published events, with what every list shows of them."""
    return (
        Event.objects.filter(published=True)
        .select_related("organization", "country")
        .prefetch_related("partnership_areas")
    )


def get_event_for_user(user, pk: int) -> Event:
    """A published event, or a draft its organizers (or the secretariat) may see; else 404."""
    event = (
        Event.objects.select_related("organization", "country", "recording")
        .prefetch_related("partnership_areas", "materials")
        .filter(pk=pk)
        .first()
    )
    if event is None or not (event.published or may_organize(user, event)):
        raise Http404(f"No event {pk}")
    return event


def may_organize(user, event: Event) -> bool:
    """The organizing organization's editors, administrators and the secretariat."""
    return can_edit_entry(user, event) or is_reviewer(user)


def shows_join_address(user, event: Event) -> bool:
    """The address to join is for the people registered (not waiting), and for the organizers."""
    if may_organize(user, event):
        return True
    registration = registration_of(user, event)
    return registration is not None and registration.state == State.REGISTERED


# Filters ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class EventFilters:
    format: str = ""
    area: str = ""
    year: int | None = None
    place: str = ""
    country: str = ""
    when: str = ""

    @property
    def active(self) -> bool:
        return any((self.format, self.area, self.year, self.place, self.country, self.when))


def parse_filters(query) -> EventFilters:
    """The filters of the query string; a value that is not one of the choices is ignored."""
    year = query.get("year", "")
    return EventFilters(
        format=query.get("format", "") if query.get("format") in Event.Format.values else "",
        area=query.get("area", "")[:100],
        year=int(year) if year.isdigit() and 1900 < int(year) < 2200 else None,
        place=query.get("place", "") if query.get("place") in PLACES else "",
        country=query.get("country", "")[:3].upper(),
        when=query.get("when", "") if query.get("when") in WHEN else "",
    )


def filtered(events: QuerySet[Event], filters: EventFilters) -> QuerySet[Event]:
    if filters.format:
        events = events.filter(format=filters.format)
    if filters.area:
        events = events.filter(partnership_areas__code=filters.area)
    if filters.year:
        events = events.filter(starts_at__year=filters.year)
    if filters.place:
        events = events.filter(online=filters.place == "online")
    if filters.country:
        events = events.filter(country_id=filters.country)
    now = timezone.now()
    if filters.when == "upcoming":
        events = events.filter(ends_at__gte=now)
    elif filters.when == "past":
        events = events.filter(ends_at__lt=now)
    return events.distinct()


def upcoming_first(events: QuerySet[Event]) -> QuerySet[Event]:
    """Upcoming events (not yet over) soonest first, then past ones latest first."""
    now = timezone.now()
    return events.annotate(
        is_past=Case(
            When(ends_at__lt=now, then=Value(1)), default=Value(0), output_field=IntegerField()
        ),
        upcoming_at=Case(When(ends_at__gte=now, then=F("starts_at"))),
        past_at=Case(When(ends_at__lt=now, then=F("starts_at"))),
    ).order_by("is_past", F("upcoming_at").asc(nulls_last=True), F("past_at").desc(), "-pk")


def filter_choices() -> dict:
    """What the filters offer: formats, Partnership areas, the years and countries of the
    published events."""
    published = Event.objects.filter(published=True)
    years = sorted({moment.year for moment in published.values_list("starts_at", flat=True)})
    codes = set(published.exclude(country=None).values_list("country_id", flat=True))
    countries = sorted(
        Country.objects.filter(iso3__in=codes), key=lambda c: c.localized_name.casefold()
    )
    return {
        "formats": Event.Format.choices,
        "areas": [(term.code, term.localized_label) for term in terms_of("partnership_areas")],
        "years": list(reversed(years)),
        "countries": [(country.iso3, country.localized_name) for country in countries],
    }


def map_points(events) -> list[dict]:
    """The in-person events with coordinates, as the map of the list draws them."""
    points = []
    for event in events:
        if event.online or event.latitude is None or event.longitude is None:
            continue
        points.append(
            {
                "lat": event.latitude,
                "lon": event.longitude,
                "name": str(event.local_name),
                "place": ", ".join(
                    p
                    for p in (event.city, event.country.localized_name if event.country else "")
                    if p
                ),
                "when": when_text(event),
                "url": event.get_absolute_url(),
            }
        )
    return points


# Registrations ------------------------------------------------------------------------------


def registration_of(user, event: Event) -> Registration | None:
    if not user.is_authenticated:
        return None
    return Registration.objects.filter(event=event, person=user).first()


def registration_counts(event: Event) -> dict:
    return registration_counts_of([event])[event.pk]


def registration_counts_of(events) -> dict[int, dict]:
    """For each event, its registrations by state and the places left (None: no limit), counted
    in one query for a whole page of events."""
    events = list(events)
    counts = {event.pk: {state: 0 for state in State.values} for event in events}
    rows = (
        Registration.objects.filter(event__in=[event.pk for event in events])
        .values_list("event_id", "state")
        .annotate(number=Count("pk"))
        .order_by()
    )
    for event_id, state, number in rows:
        counts[event_id][state] = number
    result = {}
    for event in events:
        places_left = None
        if event.capacity is not None:
            places_left = max(event.capacity - counts[event.pk][State.REGISTERED], 0)
        result[event.pk] = {**counts[event.pk], "places_left": places_left}
    return result


def waiting_position(registration: Registration) -> int | None:
    """A person's place on the waiting list (1: next to move up)."""
    if registration is None or registration.state != State.WAITING:
        return None
    ahead = Registration.objects.filter(
        event_id=registration.event_id, state=State.WAITING, created_at__lt=registration.created_at
    ).count()
    return ahead + 1


def registrations_for_organizer(user, event: Event) -> QuerySet[Registration]:
    """The event's registrations, for its organizers and the secretariat only (404 otherwise)."""
    if not may_organize(user, event):
        raise Http404(f"No registrations of event {event.pk} for you")
    order = Case(
        When(state=State.REGISTERED, then=Value(0)),
        When(state=State.WAITING, then=Value(1)),
        default=Value(2),
        output_field=IntegerField(),
    )
    return (
        Registration.objects.filter(event=event)
        .select_related("person")
        .annotate(state_order=order)
        .order_by("state_order", "created_at", "pk")
    )


# Times --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Timing:
    """An event's times in its own time zone (naive local datetimes, for the templates' date
    filters, which would otherwise turn them into the site's time zone)."""

    start: datetime
    end: datetime
    zone: str
    offset: str  # "UTC+09:00"
    whole_days: bool
    one_day: bool
    known_to: str  # day, month or year
    start_utc: datetime
    end_utc: datetime


def _offset(moment: datetime) -> str:
    text = moment.strftime("%z")  # +0900
    if not text or text in {"+0000", "-0000"}:
        return "UTC"
    return f"UTC{text[:3]}:{text[3:]}"


def timing(event: Event) -> Timing:
    zone = time_zone_of(event.time_zone) or ZoneInfo("UTC")
    start, end = event.starts_at.astimezone(zone), event.ends_at.astimezone(zone)
    first, last = days_of(event)
    return Timing(
        start=start.replace(tzinfo=None),
        end=end.replace(tzinfo=None),
        zone=zone.key,
        offset=_offset(start),
        whole_days=whole_days(event),
        one_day=first == last,
        known_to=event.dates_known_to,
        start_utc=event.starts_at.astimezone(ZoneInfo("UTC")),
        end_utc=event.ends_at.astimezone(ZoneInfo("UTC")),
    )


def when_text(event: Event) -> str:
    """The event's dates in a line, as precisely as they are known (for the map's popups)."""
    from django.utils.formats import date_format

    shown = timing(event)
    if shown.known_to == "year":
        return str(shown.start.year)
    if shown.known_to == "month":
        return date_format(shown.start, "YEAR_MONTH_FORMAT")
    text = date_format(shown.start, "DATE_FORMAT")
    if not shown.one_day:
        text = f"{text} – {date_format(shown.end, 'DATE_FORMAT')}"
    return text
