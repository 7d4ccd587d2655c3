"""Shared fixtures: reference data loaded once per test database, and the named personas that
permission tests go through one by one."""

import pytest
from django.conf import settings as django_settings
from django.core.cache import cache
from django.core.management import call_command
from django.utils import translation

from mercuryhub.accounts.actions import do_create_organization, do_set_membership, do_set_user_role
from mercuryhub.accounts.models import Membership, User
from tests import served

PASSWORD = "correct horse battery staple"


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        call_command("load_reference_data", verbosity=0)


@pytest.fixture(scope="session")
def prepared_data_dir(tmp_path_factory, worker_id):
    """A data directory as `mercuryhub serve` prepares an empty one, made once for all the test
    workers (tests/served.py); copy it with ``served.copy_prepared``."""
    run_dir = tmp_path_factory.getbasetemp()
    return served.prepared_template(run_dir if worker_id == "master" else run_dir.parent)


@pytest.fixture(autouse=True)
def _test_settings(request, settings, tmp_path_factory, django_db_blocker):
    # Uploaded files stay out of the checkout.
    settings.MEDIA_ROOT = tmp_path_factory.getbasetemp() / "media"
    # Mail goes through the outbox as in production (Django's test setup would bypass it), and
    # is delivered to django.core.mail.outbox.
    settings.EMAIL_BACKEND = "mercuryhub.accounts.mail.QueueingEmailBackend"
    settings.EMAIL_DELIVERY_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    # A fast hasher: the tests are about permissions, not key stretching.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    if "django_db_setup" in request.fixturenames:
        # Rate-limit counters (in the database cache) must not leak from one test into the next;
        # cleared before the test's own database fixtures may have opened it.
        request.getfixturevalue("django_db_setup")
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


@pytest.fixture
def owner(db):
    """Editor of a partner organization (Batrec Industrie AG, Switzerland)."""
    return make_user("owen.owner@batrec.example")


@pytest.fixture
def reviewer(db):
    return make_user("rita.reviewer@unep.example", User.Role.REVIEWER)


@pytest.fixture
def administrator(db):
    return make_user("ada.admin@unep.example", User.Role.ADMINISTRATOR)


@pytest.fixture
def organization(owner, reviewer):
    organization = do_create_organization(
        owner,
        {
            "name": "Batrec Industrie AG",
            "stakeholder_type": "private-sector",
            "country": "CHE",
            "website": "https://www.batrec.ch",
        },
    )
    from mercuryhub.accounts.actions import do_update_organization

    do_update_organization(
        reviewer, organization, {"is_partner": True, "partnership_areas": ["waste-management"]}
    )
    return organization


@pytest.fixture
def member(organization, owner):
    user = make_user("mia.member@batrec.example")
    do_set_membership(owner, organization, user, Membership.Role.MEMBER)
    return user


@pytest.fixture
def outsider(db):
    """A registered user who belongs to another organization."""
    user = make_user("oscar.outsider@elsewhere.example")
    do_create_organization(
        user,
        {"name": "Elsewhere Recycling", "stakeholder_type": "private-sector", "country": "FRA"},
    )
    return user


@pytest.fixture
def signed_in(client):
    """Sign a persona in on the test client: ``signed_in(owner)``."""

    def sign_in(user):
        client.force_login(user)
        return client

    return sign_in
