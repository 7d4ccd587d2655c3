"""The events in the JSON API: published ones, upcoming first, with the list's filters; the
places taken and left; the address to join only for the people registered and the organizers."""

import pytest

from mercuryhub.partnership.event_actions import do_register_for_event
from mercuryhub.review import actions as review_actions
from tests.conftest import make_user
from tests.partnership.events_setup import event_data, published_event

pytestmark = pytest.mark.django_db

JOIN = "https://meet.example.org/wma-webinar"


@pytest.fixture
def webinar(owner, reviewer, organization):
    return published_event(
        owner,
        reviewer,
        organization,
        name="Webinar on lamp recycling",
        format="webinar",
        online=True,
        online_url=JOIN,
        venue="",
        city="",
        country="",
        latitude="",
        longitude="",
        capacity=1,
    )


def test_it_lists_published_events_with_their_places(client, webinar, owner, reviewer):
    workshop = published_event(owner, reviewer, webinar.organization)
    review_actions.do_create_draft(
        "event", owner, event_data(webinar.organization, name="Secret draft workshop")
    )
    do_register_for_event(make_user("first@example.org"), webinar)
    do_register_for_event(make_user("second@example.org"), webinar)

    body = client.get("/api/v1/partnership/events").json()

    assert body["count"] == 2  # not the draft
    client.force_login(owner)  # nor for its organizer: the list is of published events
    assert client.get("/api/v1/partnership/events").json()["count"] == 2
    client.logout()
    item = next(item for item in body["items"] if item["id"] == webinar.pk)
    assert (item["name"], item["format"], item["time_zone"]) == (
        "Webinar on lamp recycling",
        "webinar",
        "Europe/Vienna",
    )
    assert item["registrations"] == {"registered": 1, "waiting": 1, "places_left": 0}
    filtered = client.get("/api/v1/partnership/events", {"place": "in-person"}).json()
    assert [item["id"] for item in filtered["items"]] == [workshop.pk]


def test_the_address_to_join_reaches_the_registered_and_the_organizers_only(client, webinar, owner):
    assert client.get(f"/api/v1/partnership/events/{webinar.pk}").json()["online_url"] is None
    listed = client.get("/api/v1/partnership/events").json()["items"][0]
    assert listed["online_url"] is None

    registered, waiting = make_user("first@example.org"), make_user("second@example.org")
    do_register_for_event(registered, webinar)
    do_register_for_event(waiting, webinar)
    for person, sees in ((registered, JOIN), (waiting, None), (owner, JOIN)):
        client.force_login(person)
        assert client.get(f"/api/v1/partnership/events/{webinar.pk}").json()["online_url"] == sees


def test_an_unknown_event_is_a_json_404(client):
    response = client.get("/api/v1/partnership/events/999999")
    assert response.status_code == 404
    assert response.json()["detail"] == "No event 999999"


def test_the_list_counts_registrations_in_one_query_whatever_the_number_of_events(
    client, webinar, owner, reviewer
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    do_register_for_event(make_user("first@example.org"), webinar)

    def queries_of_the_list():
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/api/v1/partnership/events").status_code == 200
        return len(captured)

    client.get("/api/v1/partnership/events")  # caches warmed (vocabularies, countries)
    with_one = queries_of_the_list()
    for number in range(4):
        event = published_event(owner, reviewer, webinar.organization, name=f"Workshop {number}")
        do_register_for_event(make_user(f"person{number}@example.org"), event)
    body = client.get("/api/v1/partnership/events").json()
    assert body["count"] == 5
    assert {item["registrations"]["registered"] for item in body["items"]} == {1}
    assert queries_of_the_list() == with_one
