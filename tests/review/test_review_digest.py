"""``mercuryhub send_review_digest``: one e-mail per reviewer listing the new submissions."""

from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command

from mercuryhub.accounts.models import User
from mercuryhub.review import actions as review_actions
from tests.conftest import make_user

pytestmark = pytest.mark.django_db

FACILITY = {
    "name": "Batrec lamp line",
    "operator": "batrec-industrie-ag",
    "country": "CHE",
    "accepted_wastes": ["lamps"],
}
EXPERT = {
    "name": "Ana Pereira",
    "organization": "batrec-industrie-ag",
    "email": "ana.pereira@example.org",
    "country": "URY",
    "consent_to_publication": True,
}


@pytest.fixture(autouse=True)
def _site_url(settings):
    settings.SITE_URL = "https://hub.example.org"


def _submitted(owner, kind, data):
    entry = review_actions.do_create_draft(kind, owner, data)
    return review_actions.do_submit_entry(kind, owner, entry)


def _send() -> str:
    out = StringIO()
    call_command("send_review_digest", stdout=out, stderr=out)
    return out.getvalue()


def test_each_reviewer_gets_one_mail_listing_the_new_submissions(
    organization, owner, reviewer, administrator
):
    facility = _submitted(owner, "facility", FACILITY)
    expert = _submitted(owner, "expert", EXPERT)
    retired = make_user("retired.reviewer@unep.example", User.Role.REVIEWER)
    retired.is_active = False
    retired.save(update_fields=["is_active"])

    assert _send() == "Sent the digest of 2 submission(s) to 2 reviewer(s).\n"

    assert sorted(message.to[0] for message in mail.outbox) == [
        administrator.email,
        reviewer.email,
    ]
    message = mail.outbox[0]
    assert len(message.to) == 1
    assert message.subject == "[MercuryHub] 2 new submissions to review"
    assert "2 entries are waiting for review:" in message.body
    assert "- Batrec lamp line (Facility)" in message.body
    assert "- Ana Pereira (Expert)" in message.body
    assert "Batrec Industrie AG · submitted by owen.owner on" in message.body
    assert f"https://hub.example.org/review/facility/{facility.pk}/" in message.body
    assert f"https://hub.example.org/review/expert/{expert.pk}/" in message.body
    assert "https://hub.example.org/review/\n" in message.body
    assert message.body.index("Batrec lamp line") < message.body.index("Ana Pereira")


def test_a_second_run_sends_nothing(organization, owner, reviewer):
    _submitted(owner, "facility", FACILITY)
    _send()
    assert len(mail.outbox) == 1
    assert _send() == "No new submissions since the last digest; nothing sent.\n"
    assert len(mail.outbox) == 1


def test_nothing_is_sent_when_nothing_was_submitted(organization, owner, reviewer):
    review_actions.do_create_draft("facility", owner, FACILITY)  # a draft is not a submission
    assert _send() == "No new submissions since the last digest; nothing sent.\n"
    assert mail.outbox == []


def test_the_next_digest_lists_only_what_was_submitted_since(organization, owner, reviewer):
    _submitted(owner, "facility", FACILITY)
    _send()
    _submitted(owner, "expert", EXPERT)
    _send()
    assert len(mail.outbox) == 2
    latest = mail.outbox[-1]
    assert latest.subject == "[MercuryHub] 1 new submission to review"
    assert "One entry was submitted for review since the last digest" in latest.body
    assert "Ana Pereira" in latest.body and "Batrec lamp line" not in latest.body


def test_an_entry_decided_before_the_digest_is_not_listed(organization, owner, reviewer):
    facility = _submitted(owner, "facility", FACILITY)
    review_actions.do_validate_entry("facility", reviewer, facility)
    _submitted(owner, "expert", EXPERT)
    _send()
    assert "Ana Pereira" in mail.outbox[-1].body
    assert "Batrec lamp line" not in mail.outbox[-1].body


def test_a_resubmitted_entry_is_listed_again_once(organization, owner, reviewer):
    facility = _submitted(owner, "facility", FACILITY)
    _send()
    review_actions.do_return_entry("facility", reviewer, facility, "Add the city.")
    review_actions.do_edit_entry("facility", owner, facility, {"city": "Wimmis"}, base_version=1)
    review_actions.do_submit_entry("facility", owner, facility)
    _send()
    assert len(mail.outbox) == 2
    assert mail.outbox[-1].body.count("Batrec lamp line") == 1
