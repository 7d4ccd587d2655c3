"""People registering for the last places at the same moment never exceed the capacity: the
event's row is locked while a registration counts the places (PostgreSQL; SQLite runs one
writer at a time anyway)."""

import threading

import pytest
from django.core.management import call_command
from django.db import connections

from mercuryhub.accounts.actions import do_create_organization
from mercuryhub.partnership import event_actions
from mercuryhub.partnership.models import Registration
from tests.conftest import make_user, only_on
from tests.partnership.events_setup import published_event

PEOPLE = 8
CAPACITY = 3


@only_on("postgresql", "row locks are tested on PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_concurrent_registrations_never_exceed_the_capacity():
    call_command("load_reference_data", verbosity=0)
    owner = make_user("owen.owner@batrec.example")
    reviewer = make_user("rita.reviewer@unep.example", "reviewer")
    organization = do_create_organization(
        owner,
        {"name": "Batrec Industrie AG", "stakeholder_type": "private-sector", "country": "CHE"},
    )
    event = published_event(owner, reviewer, organization, capacity=CAPACITY)
    people = [make_user(f"person{number}@partners.example") for number in range(PEOPLE)]
    start = threading.Barrier(PEOPLE)
    failures = []

    def register(person):
        try:
            start.wait(timeout=30)
            event_actions.do_register_for_event(person, event)
        except Exception as error:  # noqa: BLE001 - reported by the assertion below
            failures.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=register, args=(person,)) for person in people]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert failures == []
    states = list(Registration.objects.filter(event=event).values_list("state", flat=True))
    assert states.count(Registration.State.REGISTERED) == CAPACITY
    assert states.count(Registration.State.WAITING) == PEOPLE - CAPACITY
