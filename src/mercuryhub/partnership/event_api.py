"""The Partnership's events in the JSON API: the published ones, filtered as the events' list
filters them (upcoming first), and one event; each item the kind's one serialization with its
labels, its places taken and left, and the address to join only for the people registered and
the organizers (as on the event's page)."""

from typing import Any

from ninja import Field, Query, Router, Schema

from mercuryhub.accounts.auth import request_user
from mercuryhub.catalogue.api import entry_out
from mercuryhub.lib.api import ERROR_RESPONSES, ListQuery
from mercuryhub.partnership import event_queries as queries
from mercuryhub.partnership.models import Event

router = Router(tags=["partnership"])


class EventQuery(ListQuery):
    """The events' filters, as the list page takes them."""

    format: str | None = Field(None, description="meeting, webinar or workshop")
    area: str | None = Field(None, description="Partnership area code")
    year: int | None = Field(None, description="The year it starts in")
    place: str | None = Field(None, description="online or in-person")
    country: str | None = Field(None, description="ISO 3166-1 alpha-3 code")
    when: str | None = Field(None, description="upcoming or past")


class EventPage(Schema):
    count: int
    items: list[dict[str, Any]]


def _event_out(user, event: Event, counts: dict) -> dict:
    item = entry_out("event", event)
    if not queries.shows_join_address(user, event):
        item["online_url"] = None
    item["registrations"] = {
        name: counts[name] for name in ("registered", "waiting", "places_left")
    }
    return item


@router.get(
    "/partnership/events",
    response={200: EventPage, **ERROR_RESPONSES},
    summary="List the Partnership's events",
)
def list_partnership_events(request, params: Query[EventQuery]):
    """Published meetings, webinars and workshops, upcoming ones soonest first, then past ones
    latest first, with the events list's filters. Times are in UTC with the event's IANA time
    zone beside them."""
    user = request_user(request)
    filters = queries.parse_filters(request.GET)
    events = queries.upcoming_first(queries.filtered(queries.events_visible_to(user), filters))
    # The serialization names the materials and the recording: fetched for the page at once.
    page = list(
        events.select_related("recording").prefetch_related("materials")[
            params.offset : params.offset + params.limit
        ]
    )
    counts = queries.registration_counts_of(page)
    return {
        "count": events.count(),
        "items": [_event_out(user, event, counts[event.pk]) for event in page],
    }


@router.get(
    "/partnership/events/{entry_id}",
    response={200: dict[str, Any], **ERROR_RESPONSES},
    summary="One event of the Partnership",
)
def get_partnership_event(request, entry_id: int):
    user = request_user(request)
    event = queries.get_event_for_user(user, entry_id)
    return _event_out(user, event, queries.registration_counts(event))
