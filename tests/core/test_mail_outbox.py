"""E-mail the mail server does not take never fails a page: the change is committed once, the
message waits in the outbox, the page says it will be sent again, and `send_queued_mail` sends it
once a server answers, or gives up after EMAIL_MAX_ATTEMPTS attempts with a log line.

The mail server is a real SMTP connection to a port of this machine where nothing listens; the
pages run with DEBUG off and on committed transactions, as in production (the e-mails of a
validation leave when its transaction commits, within the request)."""

import socket
from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from mercuryhub.accounts.models import QueuedEmail, User
from mercuryhub.catalogue.models import Expert, Facility
from mercuryhub.review import actions as review_actions
from mercuryhub.review.models import ReviewState
from tests.catalogue.conftest import (
    LAMP_LINE,
    expert,  # noqa: F401 - a fixture
)
from tests.conftest import PASSWORD, make_user

pytestmark = pytest.mark.django_db(transaction=True)

NOTICE = "The e-mail could not be sent now; it will be sent again shortly."
FACILITY = dict(LAMP_LINE)


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(autouse=True)
def _reference_data(transactional_db):
    call_command("load_reference_data", verbosity=0)


@pytest.fixture
def refusing_mail_server(settings):
    settings.DEBUG = False
    settings.EMAIL_DELIVERY_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", _closed_port()
    settings.EMAIL_TIMEOUT = 2
    return settings


def _queued_to(address: str) -> QueuedEmail:
    queued = QueuedEmail.objects.get()
    assert address in queued.recipients
    assert queued.given_up_at is None and queued.attempts == 1
    assert "refused" in queued.last_error.lower(), queued.last_error
    return queued


def test_sign_up_is_committed_and_its_confirmation_queued(client, refusing_mail_server):
    response = client.post(
        "/accounts/signup/",
        {"email": "nadia@environment.gov.example", "password1": PASSWORD, "password2": PASSWORD},
        follow=True,
    )
    assert response.status_code == 200
    assert NOTICE in response.content.decode()
    assert User.objects.filter(email="nadia@environment.gov.example").count() == 1
    _queued_to("nadia@environment.gov.example")


def test_a_password_reset_is_queued(client, refusing_mail_server):
    make_user("target@example.org")
    response = client.post(
        "/accounts/password/reset/", {"email": "target@example.org"}, follow=True
    )
    assert response.status_code == 200
    assert NOTICE in response.content.decode()
    assert "password" in _queued_to("target@example.org").subject.lower()


def test_a_message_to_an_expert_is_queued(client, expert, refusing_mail_server):  # noqa: F811
    response = client.post(
        f"/catalogue/experts/{expert.pk}/contact/",
        {"name": "Ama", "email": "ama@example.org", "message": "Could you advise our clinic?"},
        follow=True,
    )
    assert response.status_code == 200
    assert NOTICE in response.content.decode()
    assert _queued_to(expert.email).message["reply_to"] == ["ama@example.org"]
    assert Expert.objects.count() == 1


@pytest.mark.parametrize(
    ("action", "state"), [("validate", ReviewState.VALIDATED), ("return", ReviewState.RETURNED)]
)
def test_validating_or_returning_commits_once_and_queues_the_editors_mail(
    client, owner, reviewer, organization, refusing_mail_server, action, state
):
    facility = review_actions.do_create_draft("facility", owner, FACILITY)
    facility = review_actions.do_submit_entry("facility", owner, facility)
    client.force_login(reviewer)
    response = client.post(
        f"/review/facility/{facility.pk}/",
        {"action": action, "reason": "Give the permit number."},
        follow=True,
    )
    assert response.status_code == 200
    assert NOTICE in response.content.decode()
    facility.refresh_from_db()
    assert facility.review_state == state
    _queued_to(owner.email)
    # The same request again finds the entry no longer waiting: nothing is done twice.
    again = client.post(
        f"/review/facility/{facility.pk}/", {"action": action, "reason": "Give the permit number."}
    )
    assert again.status_code in {302, 400, 409}
    assert QueuedEmail.objects.count() == 1
    assert Facility.objects.filter(pk=facility.pk).count() == 1


def _due_now():
    QueuedEmail.objects.update(next_attempt_at=timezone.now() - timedelta(seconds=1))


def test_the_queue_is_sent_once_a_server_answers(client, settings, refusing_mail_server):
    make_user("target@example.org")
    client.post("/accounts/password/reset/", {"email": "target@example.org"})
    queued = QueuedEmail.objects.get()
    assert queued.next_attempt_at > timezone.now()
    call_command("send_queued_mail", verbosity=0)  # not yet due: nothing tried
    assert QueuedEmail.objects.get().attempts == 1

    _due_now()
    call_command("send_queued_mail", verbosity=0)  # due, and the server still refuses
    queued = QueuedEmail.objects.get()
    assert queued.attempts == 2
    assert queued.next_attempt_at > timezone.now() + timedelta(seconds=100)  # waits longer

    settings.EMAIL_DELIVERY_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    _due_now()
    call_command("send_queued_mail", verbosity=0)
    assert [message.to for message in mail.outbox] == [["target@example.org"]]
    assert mail.outbox[0].subject == queued.subject
    assert "/accounts/password/reset/key/" in mail.outbox[0].body
    assert not QueuedEmail.objects.exists()
    call_command("send_queued_mail", verbosity=0)
    assert len(mail.outbox) == 1


def test_the_queue_gives_up_after_the_last_attempt(client, refusing_mail_server, caplog):
    refusing_mail_server.EMAIL_MAX_ATTEMPTS = 3
    make_user("target@example.org")
    client.post("/accounts/password/reset/", {"email": "target@example.org"})
    for _attempt in range(4):
        _due_now()
        call_command("send_queued_mail", verbosity=0)
    queued = QueuedEmail.objects.get()
    assert queued.attempts == 3
    assert queued.given_up_at is not None
    assert "Gave up on the e-mail to target@example.org after 3 attempts" in caplog.text
