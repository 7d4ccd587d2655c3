"""The open-data dump: every published entry of every kind, the vocabularies and a data
dictionary, from the command line and from /open-data/; nothing unpublished or private in it,
formulas neutralized, the archive made again only when the data changed."""

import csv
import io
import json
import zipfile

import pytest
from django.core.management import call_command

from mercuryhub.core.opendata import last_change
from mercuryhub.nap.models import PlanStatus
from mercuryhub.review import actions as review_actions
from mercuryhub.review import registry
from tests.catalogue.test_editing_api import NEW
from tests.conftest import make_user

pytestmark = pytest.mark.django_db

SECRET_EMAIL = "kofi.private@mining.example.gh"


@pytest.fixture
def published(owner, organization, reviewer):
    """A published facility whose name a spreadsheet would run as a formula, and beside it a
    draft, an entry waiting for review, a deleted one and an expert with a private address."""
    facility = review_actions.do_create_draft(
        "facility", owner, {**NEW, "name": '=HYPERLINK("http://evil.example")'}
    )
    review_actions.do_submit_entry("facility", owner, facility)
    review_actions.do_validate_entry("facility", reviewer, facility)
    review_actions.do_create_draft("facility", owner, {**NEW, "name": "Secret draft line"})
    waiting = review_actions.do_create_draft("facility", owner, {**NEW, "name": "Waiting line"})
    review_actions.do_submit_entry("facility", owner, waiting)
    gone = review_actions.do_create_draft("facility", owner, {**NEW, "name": "Deleted line"})
    review_actions.do_remove_entry("facility", owner, gone)
    expert = review_actions.do_create_draft(
        "expert",
        owner,
        {
            "name": "Kofi Mensah",
            "organization": organization.slug,
            "email": SECRET_EMAIL,
            "country": "GHA",
            "consent_to_publication": True,
        },
    )
    review_actions.do_submit_entry("expert", owner, expert)
    review_actions.do_validate_entry("expert", reviewer, expert)
    return facility


def _archive(content: bytes) -> dict[str, str]:
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        return {name: archive.read(name).decode("utf-8-sig") for name in archive.namelist()}


def test_the_command_writes_every_public_entry_and_nothing_private(published, owner, tmp_path):
    call_command("opendata", str(tmp_path / "open.zip"), verbosity=0)
    files = _archive((tmp_path / "open.zip").read_bytes())
    for kind in registry.names():
        assert {f"{kind}.csv", f"{kind}.json"} <= set(files)
    assert {"facility.geojson", "terms.csv", "countries.csv", "languages.csv"} <= set(files)
    assert {"data-dictionary.csv", "README.txt"} <= set(files)

    everything = "\n".join(files.values())
    for private in ("Secret draft line", "Waiting line", "Deleted line", SECRET_EMAIL, owner.email):
        assert private not in everything

    (facility,) = json.loads(files["facility.json"])
    assert (facility["id"], facility["name"]) == (published.pk, published.name)
    assert facility["accepted_wastes"] == ["lamps"]
    (expert,) = json.loads(files["expert.json"])
    assert expert["name"] == "Kofi Mensah" and "email" not in expert
    (row,) = csv.DictReader(io.StringIO(files["facility.csv"]))
    assert row["name"] == '\'=HYPERLINK("http://evil.example")'  # not run as a formula
    assert row["country"] == "CHE" and row["url"] == f"/catalogue/facilities/{published.pk}/"
    (feature,) = json.loads(files["facility.geojson"])["features"]
    assert feature["geometry"]["coordinates"] == [7.64, 46.68]

    dictionary = list(csv.DictReader(io.StringIO(files["data-dictionary.csv"])))
    columns = {(d["file"], d["column"]): d for d in dictionary}
    assert columns["facility.csv", "accepted_wastes"]["vocabulary"] == (
        "terms.csv, vocabulary waste_categories"
    )
    assert columns["facility.csv", "latitude"]["type"] == "number"
    assert columns["facility.csv", "country"]["vocabulary"] == "countries.csv"
    assert ("expert.csv", "email") not in columns
    # Every column of every CSV file is described.
    for name, text in files.items():
        if name.endswith(".csv") and name != "data-dictionary.csv":
            header = next(csv.reader(io.StringIO(text)))
            assert {c for c in header} <= {c for f, c in columns if f == name}, name
    assert "Licence: Creative Commons Attribution 4.0" in files["README.txt"]


def test_the_archive_holds_each_country_s_nap_status_and_changes_with_it(tmp_path):
    call_command("load_nap_reference", verbosity=0)
    statuses = {status.country_id: status for status in PlanStatus.objects.all()}
    assert statuses
    call_command("opendata", str(tmp_path / "open.zip"), verbosity=0)
    files = _archive((tmp_path / "open.zip").read_bytes())

    rows = list(csv.DictReader(io.StringIO(files["nap-statuses.csv"])))
    assert [row["country"] for row in rows] == sorted(statuses)
    for row in rows:
        status = statuses[row["country"]]
        assert row["status"] == status.status
        assert row["submitted_on"] == (
            status.submitted_on.isoformat() if status.submitted_on else ""
        )
    assert len(json.loads(files["nap-statuses.json"])) == len(statuses)
    dictionary = list(csv.DictReader(io.StringIO(files["data-dictionary.csv"])))
    columns = {(d["file"], d["column"]): d for d in dictionary}
    assert columns["nap-statuses.csv", "country"]["vocabulary"] == "countries.csv"
    assert "submitted" in columns["nap-statuses.csv", "status"]["vocabulary"]

    # A change to any published column makes the archive again.
    some = next(iter(statuses.values()))
    for column, value in (("status", "unknown"), ("notes", "Corrected by the source")):
        before = last_change()
        if getattr(some, column) == value:
            value = "submitted" if column == "status" else "Corrected again"
        setattr(some, column, value)
        some.save()
        assert last_change() != before, column


def test_the_open_data_page_links_an_archive_made_again_only_when_the_data_changes(
    client, published, owner, reviewer, settings, tmp_path
):
    settings.DATA_DIR = tmp_path
    page = client.get("/fr/open-data/")
    assert page.status_code == 200
    assert 'href="/fr/open-data/mercuryhub-open-data.zip"' in page.content.decode()
    assert "/open-data/" in client.get("/").content.decode()  # the footer links it

    first = client.get("/open-data/mercuryhub-open-data.zip")
    assert first.status_code == 200
    assert first["Content-Disposition"] == 'attachment; filename="mercuryhub-open-data.zip"'
    content = b"".join(first.streaming_content)
    (kept,) = (tmp_path / "open-data").glob("*.zip")
    client.force_login(make_user("someone@example.org"))  # the same for everyone
    again = b"".join(client.get("/open-data/mercuryhub-open-data.zip").streaming_content)
    assert again == content
    assert list((tmp_path / "open-data").glob("*.zip")) == [kept]

    review_actions.do_edit_entry("facility", owner, published, {"city": "Spiez"}, base_version=1)
    review_actions.do_submit_entry("facility", owner, published)
    review_actions.do_validate_entry("facility", reviewer, published)
    changed = _archive(
        b"".join(client.get("/open-data/mercuryhub-open-data.zip").streaming_content)
    )
    assert json.loads(changed["facility.json"])[0]["city"] == "Spiez"
    assert not kept.exists()
