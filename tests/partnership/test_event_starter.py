"""The WMA's past meetings shipped as starter data, loaded through the events' spreadsheet layout
(``mercuryhub import events`` reads the same file); dates known only to the year show as years."""

import re
from importlib import resources
from io import StringIO

import pytest
from django.core.management import call_command

from mercuryhub.catalogue.spreadsheets.importing import import_entries
from mercuryhub.partnership.models import Event

STARTER = resources.files("mercuryhub.partnership") / "data" / "events.csv"


@pytest.fixture
def imported(db):
    with resources.as_file(STARTER) as path:
        report = import_entries("event", path)
    assert report.ok, report.listing()
    return report


def test_the_starter_meetings_are_imported_once(imported):
    assert imported.counts() == "7 created, 0 updated, 0 unchanged"
    with resources.as_file(STARTER) as path:
        again = import_entries("event", path)
    assert again.counts() == "0 created, 0 updated, 7 unchanged"
    cities = list(Event.objects.order_by("starts_at").values_list("city", flat=True))
    assert cities == ["Tokyo", "Tokyo", "Manila", "Vienna", "Bilbao", "", ""]
    assert Event.objects.filter(online=True).count() == 2
    assert all(event.published for event in Event.objects.all())
    # The organizer, new to the platform, registered as the government body it is.
    organizer = Event.objects.first().organization
    assert (organizer.name, organizer.stakeholder_type.code) == (
        "Ministry of the Environment, Japan",
        "government",
    )


def test_a_meeting_known_to_the_year_shows_its_year_only(imported, client):
    tokyo = Event.objects.get(external_id="wma-meeting-2009-tokyo")
    page = client.get(tokyo.get_absolute_url()).content.decode()
    assert '<time datetime="2009">2009</time>' in page
    assert "Only the year of this event is known." in page
    assert "1 January" not in page


def test_bilbao_is_on_its_day_in_its_time_zone(imported, client):
    bilbao = Event.objects.get(external_id="wma-meeting-2019-bilbao")
    page = client.get(bilbao.get_absolute_url()).content.decode()
    assert '<time datetime="2019-10-06">Oct. 6, 2019</time>' in page
    assert "Europe/Madrid (UTC+02:00)" in re.sub(r"<[^>]+>", "", page)


def test_the_import_command_takes_an_events_sheet(db):
    out = StringIO()
    with resources.as_file(STARTER) as path:
        call_command("import", "events", str(path), stdout=out, stderr=StringIO())
    assert "7 created" in out.getvalue()
    assert Event.objects.count() == 7
