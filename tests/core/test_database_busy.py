"""A write that cannot get SQLite's lock in time (a long import holds it) answers 503 with
Retry-After, never 500: JSON for the API, a page in the visitor's language for the web. Nothing
of the request is saved, and the same request succeeds once the lock is free."""

import sqlite3
from contextlib import contextmanager

import pytest
from django.core.management import call_command
from django.db import connection

from mercuryhub.accounts.actions import do_create_api_token
from mercuryhub.catalogue.models import Facility
from tests.conftest import PASSWORD, only_on

# The writes of the client must be committed to be seen by the other connection, and they must
# not run inside a transaction the test opened (it would hold the lock itself).
pytestmark = [
    only_on("sqlite", "the write lock of the whole database is SQLite's"),
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture(autouse=True)
def _reference_data():
    # A transactional test starts from an empty database.
    call_command("load_reference_data", verbosity=0)


DRAFT = {
    "name": "Batrec lamp line",
    "operator": "batrec-industrie-ag",
    "country": "CHE",
    "accepted_wastes": ["lamps"],
}


@contextmanager
def _write_lock_held_elsewhere():
    """Another connection to the same database holds the write lock, as an import does."""
    name = connection.settings_dict["NAME"]
    other = sqlite3.connect(name, uri=str(name).startswith("file:"), isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    try:
        yield
    finally:
        other.execute("ROLLBACK")
        other.close()


def test_a_draft_sent_through_the_api_while_the_database_is_locked_gets_503(
    client, owner, organization
):
    auth = {"HTTP_AUTHORIZATION": f"Bearer {do_create_api_token(owner, 'test')[1]}"}
    before = Facility.objects.count()
    with _write_lock_held_elsewhere():
        busy = client.post("/api/v1/facilities", DRAFT, content_type="application/json", **auth)

    assert busy.status_code == 503, busy.content
    assert int(busy["Retry-After"]) > 0
    assert "try again" in busy.json()["detail"]
    assert Facility.objects.count() == before

    again = client.post("/api/v1/facilities", DRAFT, content_type="application/json", **auth)
    assert again.status_code == 201, again.content
    assert Facility.objects.count() == before + 1


def test_signing_in_while_the_database_is_locked_gets_a_page_saying_to_retry(client, owner):
    credentials = {"login": owner.email, "password": PASSWORD}
    with _write_lock_held_elsewhere():
        busy = client.post("/fr/accounts/login/", credentials)

    assert busy.status_code == 503
    assert int(busy["Retry-After"]) > 0
    page = busy.content.decode()
    assert "<html" in page and 'lang="fr"' in page
    assert "réessayer" in page or "Réessayer" in page
    assert "_auth_user_id" not in client.session

    signed_in = client.post("/accounts/login/", credentials)
    assert signed_in.status_code == 302
    assert client.session["_auth_user_id"] == str(owner.pk)


def test_the_library_list_while_the_database_is_locked_is_shown_and_its_counts_kept_later(
    client,
):
    from tests.library.conftest import make_resource

    make_resource(name="Retorts", kind="video", url="https://example.org/r", audiences="miners")
    # The filter counts are kept in the cache, a write: refused, the page is shown all the same.
    with _write_lock_held_elsewhere():
        page = client.get("/library/resources/")
    assert page.status_code == 200
    assert "1 result" in page.content.decode()
    assert client.get("/library/resources/").status_code == 200
