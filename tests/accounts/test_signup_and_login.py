import re

import pytest
from django.core import mail
from django.core.management import call_command

from mercuryhub.accounts.models import User
from tests.conftest import PASSWORD, make_user

pytestmark = pytest.mark.django_db


def _signup(client, email, password=PASSWORD):
    return client.post(
        "/accounts/signup/", {"email": email, "password1": password, "password2": password}
    )


def test_it_sends_a_verification_email_and_signs_in_only_once_verified(client):
    response = _signup(client, "nadia@environment.gov.example")
    assert response.status_code == 302
    assert User.objects.filter(email="nadia@environment.gov.example").exists()
    assert len(mail.outbox) == 1
    assert "Confirm" in mail.outbox[0].subject or "confirm" in mail.outbox[0].body
    assert client.get("/profile/").status_code == 302

    link = re.search(r"http://testserver(/accounts/confirm-email/\S+/)", mail.outbox[0].body)
    assert link, mail.outbox[0].body
    client.post(link.group(1))
    response = client.post(
        "/accounts/login/", {"login": "nadia@environment.gov.example", "password": PASSWORD}
    )
    assert response.status_code == 302
    assert "nadia@environment.gov.example" in client.get("/profile/").content.decode()


def test_an_invalid_email_gets_a_message_and_creates_nothing(client):
    response = _signup(client, "not-an-address")
    assert response.status_code == 200
    assert "Enter a valid email address." in response.content.decode()
    assert User.objects.count() == 0


def test_a_weak_password_gets_a_message_and_creates_nothing(client):
    response = _signup(client, "weak@example.org", "12345678")
    page = response.content.decode()
    assert "This password is too short" in page
    assert "This password is entirely numeric" in page
    assert User.objects.count() == 0


def test_it_throttles_repeated_failed_logins(client):
    make_user("target@example.org")
    for _ in range(5):
        response = client.post(
            "/accounts/login/", {"login": "target@example.org", "password": "wrong"}
        )
        assert "not correct" in response.content.decode()
    response = client.post(
        "/accounts/login/", {"login": "target@example.org", "password": PASSWORD}
    )
    assert (
        response.status_code == 429 or "Too many failed login attempts" in response.content.decode()
    )
    assert "_auth_user_id" not in client.session


def test_it_sends_a_password_reset_link(client):
    make_user("forgetful@example.org")
    client.post("/accounts/password/reset/", {"email": "forgetful@example.org"})
    assert len(mail.outbox) == 1
    assert "/accounts/password/reset/key/" in mail.outbox[0].body


def test_sign_out_ends_the_session(client, owner):
    client.force_login(owner)
    client.post("/accounts/logout/")
    assert "_auth_user_id" not in client.session


def test_an_administrator_made_on_the_command_line_signs_in_without_a_confirmation(
    client, monkeypatch
):
    monkeypatch.setenv("DJANGO_SUPERUSER_EMAIL", "Admin@UNEP.example")
    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", PASSWORD)
    call_command("createsuperuser", interactive=False, verbosity=0)

    response = client.post(
        "/accounts/login/", {"login": "admin@unep.example", "password": PASSWORD}
    )

    assert response.status_code == 302
    assert response["Location"] == "/profile/"
    assert "admin@unep.example" in client.get("/profile/").content.decode()
    assert mail.outbox == []
    administrator = User.objects.get(email="admin@unep.example")
    assert administrator.role == User.Role.ADMINISTRATOR
