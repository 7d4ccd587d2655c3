"""The iCalendar files of the events, read back with the icalendar library: stable UIDs, start
and end in UTC, texts escaped and long lines folded, whole days for dates known only so far."""

from datetime import UTC, datetime

import pytest
from django.urls import reverse
from icalendar import Calendar

from tests.partnership.events_setup import published_event

LONG = (
    "Interim storage; containers, labels and records: a long description that runs past "
    "seventy-five octets so that the line must be folded, with commas, semicolons; and a "
    "backslash \\ too."
)


@pytest.fixture
def tokyo(owner, reviewer, organization):
    return published_event(
        owner,
        reviewer,
        organization,
        name="Webinar, Tokyo; on lamps",
        description=LONG,
        format="webinar",
        starts_at="2031-03-10 10:00",
        ends_at="2031-03-10 12:30",
        time_zone="Asia/Tokyo",
        city="Tokyo",
        country="JPN",
        venue="",
        latitude="35.6895",
        longitude="139.6917",
    )


def _events(response) -> list:
    assert response["Content-Type"].startswith("text/calendar")
    body = response.content
    assert all(len(line) <= 75 for line in body.split(b"\r\n"))
    return Calendar.from_ical(body).walk("VEVENT")


def test_the_event_file_reads_back_with_its_times_in_utc(client, tokyo):
    (item,) = _events(client.get(reverse("partnership-event-ics", args=[tokyo.pk])))
    assert item.decoded("dtstart") == datetime(2031, 3, 10, 1, 0, tzinfo=UTC)
    assert item.decoded("dtend") == datetime(2031, 3, 10, 3, 30, tzinfo=UTC)
    assert str(item["summary"]) == "Webinar, Tokyo; on lamps"
    assert str(item["description"]) == LONG
    assert str(item["location"]) == "Tokyo, Japan"
    assert str(item["url"]).endswith(tokyo.get_absolute_url())
    assert str(item["uid"]).startswith(f"event-{tokyo.pk}@")


def test_the_texts_are_escaped_in_the_file(client, tokyo):
    body = client.get(reverse("partnership-event-ics", args=[tokyo.pk])).content
    assert b"SUMMARY:Webinar\\, Tokyo\\; on lamps" in body


def test_the_feed_holds_every_published_event_with_stable_uids(
    client, tokyo, owner, reviewer, organization
):
    other = published_event(owner, reviewer, organization, name="Meeting in Vienna")
    published_event(owner, reviewer, organization, name="Another", format="meeting")
    url = reverse("partnership-event-calendar")
    first = {str(item["uid"]): str(item["summary"]) for item in _events(client.get(url))}
    again = {str(item["uid"]): str(item["summary"]) for item in _events(client.get(url))}
    assert first == again
    assert len(first) == 3
    (uid,) = [uid for uid in first if uid.startswith(f"event-{other.pk}@")]
    assert first[uid] == "Meeting in Vienna"
    webinars = _events(client.get(url, {"format": "webinar"}))
    assert [str(item["summary"]) for item in webinars] == ["Webinar, Tokyo; on lamps"]


def test_drafts_are_not_in_the_feed(client, owner, organization):
    from mercuryhub.review import actions as review
    from tests.partnership.events_setup import event_data

    review.do_create_draft("event", owner, event_data(organization, name="Secret draft"))
    assert b"Secret draft" not in client.get(reverse("partnership-event-calendar")).content


def test_an_event_known_to_the_year_is_a_whole_day_in_the_file(
    client, owner, reviewer, organization
):
    old = published_event(
        owner,
        reviewer,
        organization,
        starts_at="2009-01-01",
        ends_at="2009-01-01",
        dates_known_to="year",
        registration_open=False,
    )
    (item,) = _events(client.get(reverse("partnership-event-ics", args=[old.pk])))
    assert str(item.decoded("dtstart")) == "2009-01-01"
