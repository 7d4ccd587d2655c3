"""The events as iCalendar files (RFC 5545), written with the ``icalendar`` library, which
escapes texts and folds long lines: each event with a stable UID, its start and end in UTC (or
as whole days in its own time zone), its title, description, place and page. The address to join
an online event is never in a calendar: it is for the people registered."""

from django.conf import settings
from icalendar import Calendar
from icalendar import Event as CalendarEvent

from mercuryhub.partnership.event_queries import timing

PRODUCT = "-//MercuryHub//Partnership events//EN"


def _uid(event) -> str:
    host = settings.SITE_URL.split("://")[-1].split("/")[0] or "mercuryhub"
    return f"event-{event.pk}@{host}"


def _location(event) -> str:
    if event.online:
        return "Online"
    country = event.country.name if event.country else ""
    return ", ".join(part for part in (event.venue, event.city, country) if part)


def _component(event) -> CalendarEvent:
    shown = timing(event)
    item = CalendarEvent()
    item.add("uid", _uid(event))
    item.add("dtstamp", event.updated_at)
    if shown.whole_days or shown.known_to != "day":
        # Whole local days: DTEND is the day after the last (exclusive).
        from mercuryhub.partnership.event_fields import ONE_DAY

        item.add("dtstart", shown.start.date())
        item.add("dtend", shown.end.date() + ONE_DAY)
    else:
        item.add("dtstart", shown.start_utc)
        item.add("dtend", shown.end_utc)
    item.add("summary", event.name)
    if event.description:
        item.add("description", event.description)
    location = _location(event)
    if location:
        item.add("location", location)
    if not event.online and event.latitude is not None and event.longitude is not None:
        item.add("geo", (event.latitude, event.longitude))
    item.add("url", settings.SITE_URL.rstrip("/") + event.get_absolute_url())
    item.add("categories", [event.get_format_display()])
    return item


def calendar_bytes(events, name: str) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", PRODUCT)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", name)
    for event in events:
        calendar.add_component(_component(event))
    return calendar.to_ical()
