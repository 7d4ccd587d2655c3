"""Honest dates on entries: when an entry's public sources were read, and "last confirmed" only
once a person answerable for the entry has confirmed it."""

import csv
from datetime import date, timedelta
from importlib import resources

import pytest
from django.utils import timezone

from mercuryhub.catalogue.models import Facility
from mercuryhub.catalogue.spreadsheets.importing import import_entries
from mercuryhub.review import actions as review_actions
from mercuryhub.review.campaigns import campaign_progress, do_open_campaign

pytestmark = pytest.mark.django_db

SHIPPED = resources.files("mercuryhub.catalogue") / "data" / "facilities.csv"


@pytest.fixture
def shipped(db):
    with resources.as_file(SHIPPED) as path:
        report = import_entries("facility", path)
    assert report.problems == []
    return Facility.objects.get(external_id="batrec-wimmis")


def _write_csv(path, rows):
    with open(path, "w", encoding="utf-8", newline="") as file:
        csv.writer(file).writerows(rows)
    return path


HEADER = ["external_id", "name", "operator", "country", "accepted_wastes", "source_checked_on"]


def test_an_entry_from_public_sources_says_when_they_were_read_and_that_nobody_confirmed_it(
    client, shipped
):
    page = client.get(shipped.get_absolute_url()).content.decode()

    assert "Source: operator&#x27;s public information" in page
    assert "Sources read on 22 November 2026" in page
    assert "Not yet confirmed by its operator" in page
    assert "Last confirmed" not in page


def test_the_entry_page_says_it_in_french_and_spanish(client, shipped):
    path = shipped.get_absolute_url()
    french = client.get(f"/fr{path}").content.decode()
    spanish = client.get(f"/es{path}").content.decode()

    assert "Sources consultées le 22 novembre 2026" in french
    assert "Pas encore confirmée par son exploitant" in french
    assert "Fuentes consultadas el 22 noviembre 2026" in spanish
    assert "Aún no confirmada por su operador" in spanish


def test_last_confirmed_appears_once_an_editor_reconfirms_the_entry(client, shipped, administrator):
    review_actions.do_reconfirm_entry("facility", administrator, shipped)

    page = client.get(shipped.get_absolute_url()).content.decode()

    assert f"Last confirmed on {timezone.localdate():%-d %B %Y}" in page
    assert "Not yet confirmed by its operator" not in page
    assert "Sources read on 22 November 2026" in page


def test_offering_and_expert_pages_name_who_has_not_confirmed_them(client, offering, expert):
    assert "Not yet confirmed by its provider" in client.get(offering.get_absolute_url()).text
    assert "Not yet confirmed by the expert" in client.get(expert.get_absolute_url()).text


def test_importing_again_keeps_a_confirmation_the_file_does_not_mention(shipped, administrator):
    review_actions.do_reconfirm_entry("facility", administrator, shipped)

    with resources.as_file(SHIPPED) as path:
        report = import_entries("facility", path)

    assert report.unchanged == 44
    shipped.refresh_from_db()
    assert shipped.last_confirmed_at == timezone.localdate()


def test_a_newer_reading_of_the_sources_updates_the_entry(tmp_path, shipped):
    rows = [HEADER, ["batrec-wimmis", "Batrec Wimmis plant", "Batrec Industrie AG", "CHE"]]
    rows[1] += ["batteries", timezone.localdate().isoformat()]

    report = import_entries("facility", _write_csv(tmp_path / "newer.csv", rows))

    assert (report.updated, report.problems) == (1, [])
    shipped.refresh_from_db()
    assert shipped.source_checked_on == timezone.localdate()
    assert shipped.last_confirmed_at is None


@pytest.mark.parametrize(
    ("cell", "message"),
    [
        (
            "22/11/2026",
            "Row 2, column source_checked_on: '22/11/2026' is not a date written YYYY-MM-DD",
        ),
        (
            "2026-02-30",
            "Row 2, column source_checked_on: '2026-02-30' is not a date written YYYY-MM-DD",
        ),
        ("tomorrow", None),
    ],
)
def test_a_wrong_or_future_source_date_is_named_and_nothing_is_saved(tmp_path, db, cell, message):
    if cell == "tomorrow":
        cell = (timezone.localdate() + timedelta(days=1)).isoformat()
        message = f"Row 2, column source_checked_on: {cell} is in the future"
    rows = [HEADER, ["plant", "Plant", "Batrec Industrie AG", "CHE", "lamps", cell]]

    report = import_entries("facility", _write_csv(tmp_path / "dates.csv", rows))

    assert [str(problem) for problem in report.problems] == [message]
    assert Facility.objects.count() == 0


def test_an_update_campaign_counts_imported_entries_as_not_confirmed(shipped, reviewer):
    today = timezone.localdate()
    campaign = do_open_campaign(
        reviewer,
        name=f"Annual update {today.year}",
        year=today.year,
        deadline=today + timedelta(60),
    )

    progress = campaign_progress(campaign)

    assert (progress.entries, progress.confirmed) == (44, 0)


def test_exports_carry_the_date_the_sources_were_read(client, shipped):
    lines = (
        client.get("/catalogue/export/csv/?type=facility")
        .getvalue()
        .decode("utf-8-sig")
        .splitlines()
    )
    header, rows = lines[0].split(","), list(csv.DictReader(lines))

    assert "source_checked_on" in header and "last_confirmed" in header
    batrec = next(row for row in rows if row["external_id"] == "batrec-wimmis")
    assert (batrec["source_checked_on"], batrec["last_confirmed"]) == ("2026-11-22", "")
    assert date.fromisoformat(batrec["source_checked_on"]) == shipped.source_checked_on


def test_sorting_by_confirmation_puts_a_confirmed_entry_before_the_many_never_confirmed(
    shipped, administrator
):
    from django.contrib.auth.models import AnonymousUser

    from mercuryhub.catalogue.queries import Filters, search

    review_actions.do_reconfirm_entry("facility", administrator, shipped)

    results = search(AnonymousUser(), Filters(kinds=("facility",), sort="confirmed"), limit=20)

    assert results.total == 44
    assert results.hits[0].entry.name == "Batrec Wimmis plant"
