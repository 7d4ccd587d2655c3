"""Partnership events in Chromium: a partner's editor announces a workshop in Vienna (its times
in the event's time zone), the secretariat publishes it, a visitor finds it on the list and on
the map of the events held in a place, and two people register for its one place: the first
gets it, the second is told plainly that they are on the waiting list."""

import re

import pytest

from mercuryhub.accounts.actions import do_create_organization
from mercuryhub.accounts.models import User
from mercuryhub.partnership.models import Event, Registration
from mercuryhub.review.actions import do_validate_entry
from tests.conftest import PASSWORD, make_user

pytestmark = pytest.mark.browser


def _sign_in(page, live_site, user, then):
    page.goto(f"{live_site.url}/accounts/login/?next={then}")
    page.get_by_label("Email").fill(user.email)
    page.get_by_label("Password").fill(PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name="Sign In").click()


def _register(browser, live_site, person, event):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(20_000)
    _sign_in(page, live_site, person, event.get_absolute_url())
    page.wait_for_url(f"**{event.get_absolute_url()}")
    with page.expect_navigation():
        page.locator(".event-registration button").click()
    return context, page


def test_an_event_is_announced_published_found_on_the_map_and_registered_for(browser, live_site):
    editor = make_user("owen.owner@batrec.example")
    batrec = do_create_organization(
        editor,
        {"name": "Batrec Industrie AG", "stakeholder_type": "private-sector", "country": "CHE"},
    )
    secretariat = make_user("sam.secretariat@unep.example", User.Role.REVIEWER)

    organizer = browser.new_context(viewport={"width": 1280, "height": 900})
    page = organizer.new_page()
    page.set_default_timeout(20_000)
    _sign_in(page, live_site, editor, "/catalogue/new/event/")
    page.wait_for_url("**/catalogue/new/event/")
    page.locator("[name=name]").fill("Workshop on interim storage")
    page.locator("[name=organization]").select_option(batrec.slug)
    page.locator("[name=format]").select_option("workshop")
    page.locator("[name=starts_at]").fill("2031-06-15T09:00")
    page.locator("[name=ends_at]").fill("2031-06-15T17:00")
    page.locator("[name=time_zone]").fill("Europe/Vienna")
    page.locator("[name=venue]").fill("Vienna International Centre")
    page.locator("[name=city]").fill("Vienna")
    page.locator("[name=country]").select_option("AUT")
    page.locator("[name=latitude]").fill("48.2345")
    page.locator("[name=longitude]").fill("16.4165")
    page.locator("[name=capacity]").fill("1")
    page.locator("[name=registration_open]").check()
    page.get_by_label("Mercury waste management").check()
    with page.expect_navigation():
        page.get_by_role("button", name="Save and submit for review").click()
    organizer.close()
    event = Event.objects.get(name="Workshop on interim storage")
    assert event.starts_at.isoformat() == "2031-06-15T07:00:00+00:00"  # summer time, UTC+2
    event = do_validate_entry("event", secretariat, event)

    visitor = browser.new_context(viewport={"width": 1280, "height": 900})
    page = visitor.new_page()
    page.goto(f"{live_site.url}/partnership/events/?format=workshop")
    assert "1 event" in page.locator("#events-heading").inner_text()
    page.locator("#events-map .leaflet-interactive").first.wait_for()
    assert page.locator("#events-map .leaflet-interactive").count() == 1
    with page.expect_navigation():
        page.get_by_role("link", name="Workshop on interim storage").click()
    facts = page.locator(".event-facts").inner_text()
    assert re.search(r"09:00\s*–\s*17:00", facts)
    assert "Europe/Vienna (UTC+02:00)" in facts
    assert "0 of 1 place taken" in page.locator(".event-registration").inner_text()
    visitor.close()

    first, first_page = _register(browser, live_site, make_user("ana@partners.example"), event)
    assert "You are registered." in first_page.locator(".event-registration").inner_text()
    first.close()
    second, second_page = _register(browser, live_site, make_user("ben@partners.example"), event)
    told = second_page.locator("body").inner_text()
    assert "The event is full: you are on the waiting list." in told
    assert "You are on the waiting list (number 1)." in told
    second.close()
    states = sorted(Registration.objects.filter(event=event).values_list("state", flat=True))
    assert states == ["registered", "waiting"]
