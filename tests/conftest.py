"""Shared fixtures: reference data loaded once per test database, and the named personas that
permission tests go through one by one."""

import contextlib

import pytest
from django.conf import settings as django_settings
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection, transaction
from django.test import override_settings
from django.utils import translation

from mercuryhub.accounts.actions import (
    do_create_organization,
    do_set_membership,
    do_set_user_role,
    do_update_organization,
)
from mercuryhub.accounts.models import Membership, User
from mercuryhub.taxonomy.models import Country
from tests import served
from tests.reference_copy import ReferenceCopy

PASSWORD = "correct horse battery staple"
# A fast hasher: the tests are about permissions, not key stretching.
FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


_REFERENCE_COPY = ReferenceCopy()


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        call_command("load_reference_data", verbosity=0)
        _REFERENCE_COPY.take()


def _reload_reference_data_after_a_flush(django_db_blocker) -> None:
    """Bring the reference data back if a transactional test (a browser test's live server)
    flushed the database: pytest-django runs those last, but a test worker that steals tests
    from another (``--dist worksteal``) can run database tests after them."""
    with django_db_blocker.unblock():
        if not Country.objects.exists() and not _REFERENCE_COPY.restore():
            call_command("load_reference_data", verbosity=0)


@pytest.fixture(scope="session")
def prepared_data_dir(tmp_path_factory, worker_id):
    """A data directory as `mercuryhub serve` prepares an empty one, made once for all the test
    workers (tests/served.py); copy it with ``served.copy_prepared``."""
    run_dir = tmp_path_factory.getbasetemp()
    return served.prepared_template(run_dir if worker_id == "master" else run_dir.parent)


def settings_for_tests(tmp_path_factory) -> dict:
    """The settings every test runs with."""
    return {
        # Uploaded files, and the ranking index's files on PostgreSQL, stay out of the checkout.
        "MEDIA_ROOT": tmp_path_factory.getbasetemp() / "media",
        "DATA_DIR": tmp_path_factory.getbasetemp() / "data",
        # Mail goes through the outbox as in production (Django's test setup would bypass it),
        # and is delivered to django.core.mail.outbox.
        "EMAIL_BACKEND": "mercuryhub.accounts.mail.QueueingEmailBackend",
        "EMAIL_DELIVERY_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
        "PASSWORD_HASHERS": FAST_HASHERS,
    }


@pytest.fixture(autouse=True)
def _test_settings(request, settings, tmp_path_factory, django_db_blocker):
    for name, value in settings_for_tests(tmp_path_factory).items():
        setattr(settings, name, value)
    if "django_db_setup" in request.fixturenames:
        # Rate-limit counters (in the database cache) must not leak from one test into the next;
        # cleared before the test's own database fixtures may have opened it.
        request.getfixturevalue("django_db_setup")
        _reload_reference_data_after_a_flush(django_db_blocker)
        with django_db_blocker.unblock():
            cache.clear()
    # A page asked for in another language leaves it active in this thread: start from the
    # default, as a new request or a command does.
    translation.activate(django_settings.LANGUAGE_CODE)


def make_user(email: str, role: str = User.Role.USER, *, verified: bool = True) -> User:
    user = User.objects.create_user(email=email, password=PASSWORD, name=email.split("@")[0])
    if role != User.Role.USER:
        do_set_user_role(user, role)
    if verified:
        user.emailaddress_set.create(email=email, verified=True, primary=True)
    return user


def make_owner() -> User:
    return make_user("owen.owner@batrec.example")


def make_reviewer() -> User:
    return make_user("rita.reviewer@unep.example", User.Role.REVIEWER)


def make_administrator() -> User:
    return make_user("ada.admin@unep.example", User.Role.ADMINISTRATOR)


def make_batrec(owner: User, reviewer: User):
    """Batrec Industrie AG (Switzerland), a partner, ``owner`` its editor."""
    organization = do_create_organization(
        owner,
        {
            "name": "Batrec Industrie AG",
            "stakeholder_type": "private-sector",
            "country": "CHE",
            "website": "https://www.batrec.ch",
        },
    )
    return do_update_organization(
        reviewer, organization, {"is_partner": True, "partnership_areas": ["waste-management"]}
    )


def make_member(organization, owner: User) -> User:
    user = make_user("mia.member@batrec.example")
    do_set_membership(owner, organization, user, Membership.Role.MEMBER)
    return user


def make_outsider() -> User:
    user = make_user("oscar.outsider@elsewhere.example")
    do_create_organization(
        user,
        {"name": "Elsewhere Recycling", "stakeholder_type": "private-sector", "country": "FRA"},
    )
    return user


@pytest.fixture
def owner(db):
    """Editor of a partner organization (Batrec Industrie AG, Switzerland)."""
    return make_owner()


@pytest.fixture
def reviewer(db):
    return make_reviewer()


@pytest.fixture
def administrator(db):
    return make_administrator()


@pytest.fixture
def organization(owner, reviewer):
    return make_batrec(owner, reviewer)


@pytest.fixture
def member(organization, owner):
    return make_member(organization, owner)


@pytest.fixture
def outsider(db):
    """A registered user who belongs to another organization."""
    return make_outsider()


@contextlib.contextmanager
def kept_for_module(django_db_blocker, tmp_path_factory):
    """Rows made once for the many tests of one file (or of one of its parameters, in a fixture
    of wider scope): written in a transaction that each test's own (pytest-django's, as
    Django's TestCase) rolls back to, and rolled back when those tests end. Blocks of this kind
    nest. Build what the tests share inside it; hand the tests fresh copies (by key), so that
    nothing one test changes in memory reaches the next."""
    _reload_reference_data_after_a_flush(django_db_blocker)
    with (
        django_db_blocker.unblock(),
        override_settings(**settings_for_tests(tmp_path_factory)),
    ):
        atomic = transaction.atomic()
        atomic._from_testcase = True  # as TestCase's own: a durable block may open inside it
        atomic.__enter__()
        try:
            yield
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


@pytest.fixture
def signed_in(client):
    """Sign a persona in on the test client: ``signed_in(owner)``."""

    def sign_in(user):
        client.force_login(user)
        return client

    return sign_in


def only_on(vendor: str, reason: str):
    """A test of one database engine ("sqlite", "postgresql") only, skipped on the other before
    its database is set up: emptying the database after a transactional test takes seconds on
    PostgreSQL, a cost not worth paying for a test that skips."""
    return pytest.mark.skipif(connection.vendor != vendor, reason=reason)


# Search tests run both ways: by the database's own full-text index (SQLite's tables,
# PostgreSQL's vectors) and by the ranking index, which serves only committed changes (its
# tests commit). The index ranks alike whatever the database: its ranking is tested on SQLite,
# where emptying the database after a committing test is cheap; what differs by engine (the
# change log, its lock and pruning, the facet values read) is tested on both
# (tests/search/test_ranking_index_engines.py, tests/catalogue/test_facets.py).
SEARCH_ENGINES = [
    pytest.param("tables", marks=pytest.mark.django_db),
    pytest.param(
        "ranking index",
        marks=[
            only_on("sqlite", "The index ranks alike on PostgreSQL (tested on SQLite)"),
            pytest.mark.django_db(transaction=True),
        ],
    ),
]


def choose_search_engine(name: str, settings) -> bool:
    """The ranking index on for "ranking index", off for "tables"; whether it is on."""
    settings.SEARCH_RANKING_INDEX = name == "ranking index"
    return settings.SEARCH_RANKING_INDEX
