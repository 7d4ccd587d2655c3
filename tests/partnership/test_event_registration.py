"""Registering for an event: places up to the capacity, then the waiting list (told plainly);
cancelling moves the first person waiting up, who is e-mailed; closed registration refused."""

import csv
from datetime import timedelta

import pytest
from django.core import mail
from django.test import TestCase
from django.urls import reverse
from django.utils import timezone

from mercuryhub.lib.errors import StateError
from mercuryhub.partnership import event_actions
from mercuryhub.partnership.models import Registration
from tests.conftest import make_user
from tests.partnership.events_setup import published_event

State = Registration.State


@pytest.fixture
def event(owner, reviewer, organization):
    return published_event(owner, reviewer, organization)


def _people(count):
    return [make_user(f"person{number}@partners.example") for number in range(count)]


def test_it_registers_up_to_the_capacity_then_puts_people_on_the_waiting_list(event):
    first, second, third = _people(3)
    assert event_actions.do_register_for_event(first, event).state == State.REGISTERED
    assert event_actions.do_register_for_event(second, event).state == State.REGISTERED
    assert event_actions.do_register_for_event(third, event).state == State.WAITING


def test_it_tells_a_person_plainly_that_they_are_on_the_waiting_list(event, signed_in):
    for person in _people(2):
        event_actions.do_register_for_event(person, event)
    late = make_user("late@partners.example")
    client = signed_in(late)
    page = client.get(event.get_absolute_url())
    assert "Join the waiting list" in page.content.decode()
    response = client.post(reverse("partnership-event-register", args=[event.pk]), follow=True)
    text = response.content.decode()
    assert "The event is full: you are on the waiting list." in text
    assert "You are on the waiting list (number 1)." in text


def test_registering_twice_keeps_one_registration(event):
    (person,) = _people(1)
    event_actions.do_register_for_event(person, event)
    event_actions.do_register_for_event(person, event)
    assert Registration.objects.filter(event=event, person=person).count() == 1


def test_cancelling_moves_the_first_person_waiting_up_and_emails_them(event):
    first, second, third, fourth = _people(4)
    for person in (first, second, third, fourth):
        event_actions.do_register_for_event(person, event)
    mail.outbox.clear()
    with TestCase.captureOnCommitCallbacks(execute=True):
        moved = event_actions.do_cancel_registration(first, event)
    assert moved.person == third
    states = dict(Registration.objects.filter(event=event).values_list("person__email", "state"))
    assert states == {
        first.email: State.CANCELLED,
        second.email: State.REGISTERED,
        third.email: State.REGISTERED,
        fourth.email: State.WAITING,
    }
    assert [message.to for message in mail.outbox] == [[third.email]]
    assert "A place for you" in mail.outbox[0].subject
    assert event.get_absolute_url() in mail.outbox[0].body


def test_leaving_the_waiting_list_moves_nobody_up(event):
    first, second, third = _people(3)
    for person in (first, second, third):
        event_actions.do_register_for_event(person, event)
    assert event_actions.do_cancel_registration(third, event) is None
    assert Registration.objects.filter(event=event, state=State.REGISTERED).count() == 2


def test_it_refuses_registration_when_closed(owner, reviewer, organization, signed_in):
    closed = published_event(owner, reviewer, organization, registration_open=False)
    (person,) = _people(1)
    with pytest.raises(StateError, match="Registration for this event is closed"):
        event_actions.do_register_for_event(person, closed)
    client = signed_in(person)
    page = client.get(closed.get_absolute_url()).content.decode()
    assert "Registration for this event is closed." in page
    register = reverse("partnership-event-register", args=[closed.pk])
    assert f'action="{register}"' not in page
    response = client.post(reverse("partnership-event-register", args=[closed.pk]), follow=True)
    assert "Registration for this event is closed." in response.content.decode()
    assert not Registration.objects.filter(event=closed).exists()


def test_it_refuses_registration_once_the_event_has_started(owner, reviewer, organization):
    day = (timezone.now() - timedelta(days=3)).date().isoformat()
    past = published_event(
        owner, reviewer, organization, starts_at=f"{day} 09:00", ends_at=f"{day} 17:00"
    )
    with pytest.raises(StateError, match="the event has started or is over"):
        event_actions.do_register_for_event(_people(1)[0], past)


def test_the_join_address_shows_only_to_registered_people(owner, reviewer, organization, signed_in):
    online = published_event(
        owner,
        reviewer,
        organization,
        online=True,
        online_url="https://meet.example/wma-secret-room",
        city="",
        country="",
        venue="",
        latitude="",
        longitude="",
    )
    first, second, third = _people(3)
    event_actions.do_register_for_event(first, online)
    event_actions.do_register_for_event(second, online)
    event_actions.do_register_for_event(third, online)  # waiting
    secret = "wma-secret-room"
    assert secret not in signed_in(third).get(online.get_absolute_url()).content.decode()
    assert secret in signed_in(first).get(online.get_absolute_url()).content.decode()
    assert secret in signed_in(owner).get(online.get_absolute_url()).content.decode()


def test_organizers_see_and_download_the_registrations(event, owner, signed_in):
    first, second, third = _people(3)
    for person in (first, second, third):
        event_actions.do_register_for_event(person, event)
    Registration.objects.filter(person=first).update(state=State.REGISTERED)
    first.name = '=HYPERLINK("http://evil.example")'
    first.save()
    client = signed_in(owner)
    page = client.get(reverse("partnership-event-registrations", args=[event.pk]))
    assert page.status_code == 200
    assert second.email in page.content.decode()
    response = client.get(reverse("partnership-event-registrations-csv", args=[event.pk]))
    text = b"".join(response.streaming_content).decode()
    lines = text.lstrip("\ufeff").splitlines()
    assert lines[0] == "name,email,state,registered_at,changed_at"
    assert lines[1].startswith("\"'=HYPERLINK")
    rows = list(csv.DictReader(lines))
    assert [row["state"] for row in rows] == ["registered", "registered", "waiting"]
    assert rows[1]["email"] == second.email


def test_people_who_do_not_organize_cannot_see_the_registrations(event, member, signed_in):
    client = signed_in(member)
    assert (
        client.get(reverse("partnership-event-registrations", args=[event.pk])).status_code == 404
    )
    url = reverse("partnership-event-registrations-csv", args=[event.pk])
    assert client.get(url).status_code == 404
