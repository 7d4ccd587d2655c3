"""The event pages: the list (upcoming then past, filters, real pagination, the map's points),
an event in its own time zone, announcing and editing an event through the review layer's
editing pages, and a draft hidden from the public."""

import json
import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from mercuryhub.partnership.models import Event
from mercuryhub.review import actions as review
from tests.partnership.events_setup import event_data, published_event

LIST = reverse("partnership-event-list")


def _day(offset_days: int) -> str:
    return (timezone.now() + timedelta(days=offset_days)).date().isoformat()


@pytest.fixture
def events(owner, reviewer, organization):
    past_day, later_day = _day(-400), _day(60)
    return {
        "soon": published_event(owner, reviewer, organization, name="Soon in Vienna"),
        "later": published_event(
            owner,
            reviewer,
            organization,
            name="Webinar on lamps",
            format="webinar",
            online=True,
            city="",
            country="",
            venue="",
            latitude="",
            longitude="",
            starts_at=f"{later_day} 13:00",
            ends_at=f"{later_day} 14:00",
            time_zone="UTC",
        ),
        "past": published_event(
            owner,
            reviewer,
            organization,
            name="Past meeting in Manila",
            format="meeting",
            city="Manila",
            country="PHL",
            latitude="14.5995",
            longitude="120.9842",
            time_zone="Asia/Manila",
            starts_at=f"{past_day} 09:00",
            ends_at=f"{past_day} 17:00",
            partnership_areas=["asgm"],
        ),
    }


def _titles(response) -> list[str]:
    return [event.name for event, _past in response.context["rows"]]


def test_the_list_shows_upcoming_events_soonest_first_then_past_ones(client, events):
    response = client.get(LIST)
    assert _titles(response) == ["Soon in Vienna", "Webinar on lamps", "Past meeting in Manila"]
    text = response.content.decode()
    assert text.index("Upcoming events") < text.index("Past events")


@pytest.mark.parametrize(
    ("query", "titles"),
    [
        ({"format": "webinar"}, ["Webinar on lamps"]),
        ({"area": "asgm"}, ["Past meeting in Manila"]),
        ({"place": "online"}, ["Webinar on lamps"]),
        ({"place": "in-person"}, ["Soon in Vienna", "Past meeting in Manila"]),
        ({"country": "PHL"}, ["Past meeting in Manila"]),
        ({"when": "past"}, ["Past meeting in Manila"]),
        ({"when": "upcoming", "format": "workshop"}, ["Soon in Vienna"]),
    ],
)
def test_the_list_filters(client, events, query, titles):
    assert _titles(client.get(LIST, query)) == titles


def test_the_list_filters_by_year(client, events):
    year = events["past"].starts_at.year
    assert "Past meeting in Manila" in _titles(client.get(LIST, {"year": str(year)}))
    assert _titles(client.get(LIST, {"year": "1999"})) == []


def test_the_map_has_the_in_person_events_with_coordinates(client, events):
    response = client.get(LIST)
    points = response.context["points"]
    assert sorted(point["name"] for point in points) == ["Past meeting in Manila", "Soon in Vienna"]
    assert 'id="events-map-points"' in response.content.decode()
    manila = next(point for point in points if point["name"].startswith("Past"))
    assert (manila["lat"], manila["lon"]) == (14.5995, 120.9842)
    assert json.loads(json.dumps(manila))["url"] == events["past"].get_absolute_url()


def test_the_list_is_paginated(
    client, owner, reviewer, organization, django_assert_max_num_queries
):
    for number in range(23):
        published_event(owner, reviewer, organization, name=f"Event {number:02d}")
    with django_assert_max_num_queries(20):
        first = client.get(LIST)
    assert len(first.context["rows"]) == 20
    second = client.get(LIST, {"page": "2"})
    assert len(second.context["rows"]) == 3
    assert "Page 2 of 2 (23 results)" in second.content.decode()


def test_an_event_in_tokyo_shows_its_local_time_and_offset(client, owner, reviewer, organization):
    tokyo = published_event(
        owner,
        reviewer,
        organization,
        starts_at="2031-03-10 10:00",
        ends_at="2031-03-10 12:30",
        time_zone="Asia/Tokyo",
        city="Tokyo",
        country="JPN",
    )
    assert tokyo.starts_at.isoformat() == "2031-03-10T01:00:00+00:00"
    html = client.get(tokyo.get_absolute_url()).content.decode()
    assert "10:00</time> – <time" in html
    text = re.sub(r"<[^>]+>", "", html)
    assert "12:30" in text
    assert "Local time of the event: Asia/Tokyo (UTC+09:00)" in text
    assert "In UTC: 2031-03-10 01:00 – 2031-03-10 03:30" in text


def test_a_summer_event_in_vienna_has_the_summer_offset(client, owner, reviewer, organization):
    summer = published_event(
        owner, reviewer, organization, starts_at="2031-07-01 09:00", ends_at="2031-07-01 17:00"
    )
    assert summer.starts_at.isoformat() == "2031-07-01T07:00:00+00:00"
    html = client.get(summer.get_absolute_url()).content.decode()
    assert "Europe/Vienna (UTC+02:00)" in re.sub(r"<[^>]+>", "", html)


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"time_zone": "Mars/Olympus"}, "time_zone", "is not a time zone"),
        ({"time_zone": "EST5EDT"}, "time_zone", "is not a time zone"),
        (
            {"starts_at": "2031-03-30 02:30", "ends_at": "2031-03-30 04:00"},
            "starts_at",
            "the clocks skip it",
        ),
        ({"ends_at": "2020-01-01 10:00"}, "ends_at", "cannot end before it starts"),
        ({"starts_at": "next tuesday"}, "starts_at", "is not a date and time"),
        ({"city": "", "online": False}, "city", "Give the city"),
        ({"capacity": "0"}, "capacity", "out of range"),
        ({"materials": "no-such-resource"}, "materials", "No published resource"),
    ],
)
def test_bad_events_are_refused_naming_the_field(owner, organization, changes, field, message):
    from mercuryhub.lib.errors import InvalidInputError

    with pytest.raises(InvalidInputError) as refused:
        review.do_create_draft("event", owner, event_data(organization, **changes))
    assert message in refused.value.errors[field]


def test_an_editor_announces_an_event_through_the_editing_pages(owner, organization, signed_in):
    client = signed_in(owner)
    url = reverse("catalogue-entry-create", args=["event"])
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "name": "Webinar on dental amalgam waste",
            "organization": organization.slug,
            "format": "webinar",
            "starts_at": "2031-05-12T14:00",
            "ends_at": "2031-05-12T15:30",
            "time_zone": "America/Bogota",
            "dates_known_to": "day",
            "online": "on",
            "online_url": "https://meet.example/amalgam",
            "registration_open": "on",
            "capacity": "100",
            "partnership_areas": ["waste-management", "products"],
            "content_language": "en",
            "name_fr": "Webinaire sur les déchets d'amalgame dentaire",
        },
    )
    assert response.status_code == 302, response.context["form"].errors
    event = Event.objects.get(name="Webinar on dental amalgam waste")
    assert event.starts_at.isoformat() == "2031-05-12T19:00:00+00:00"
    assert event.translations["fr"]["name"].startswith("Webinaire")
    assert not event.published
    edit = client.get(reverse("catalogue-entry-edit", args=["event", event.pk]))
    assert 'value="2031-05-12T14:00"' in edit.content.decode()


def test_a_draft_is_hidden_from_the_public_and_shown_to_its_organizers(
    client, owner, organization, signed_in
):
    draft = review.do_create_draft("event", owner, event_data(organization, name="Draft event"))
    assert client.get(draft.get_absolute_url()).status_code == 404
    assert "Draft event" not in client.get(LIST).content.decode()
    assert signed_in(owner).get(draft.get_absolute_url()).status_code == 200


def test_someone_else_cannot_organize_an_event_for_an_organization(outsider, organization):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied, match="Only editors of Batrec Industrie AG"):
        review.do_create_draft("event", outsider, event_data(organization))
