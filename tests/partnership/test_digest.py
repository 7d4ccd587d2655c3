"""The partners' digest: what is new since the person's last digest, weekly or monthly as they
chose (monthly by default, never when they said so), once per period, nothing when nothing is
new, in their language, in plain text and HTML, with a link to stop it."""

import datetime

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse

from mercuryhub.exchange.models import Need
from mercuryhub.partnership.digest_actions import do_send_partner_digests, unsubscribe_token
from mercuryhub.partnership.models import DigestPreference, Event, PartnerDigest
from mercuryhub.review import actions as review
from mercuryhub.taxonomy.models import Term
from tests.catalogue.test_editing_api import NEW

pytestmark = pytest.mark.django_db

# Sent on the first of a month: the month before is the period.
TODAY = datetime.date(2026, 12, 1)
IN_NOVEMBER = datetime.datetime(2026, 11, 15, 12, tzinfo=datetime.UTC)


def published_in_november(model, entry):
    model.objects.filter(pk=entry.pk).update(validated_at=IN_NOVEMBER)


@pytest.fixture
def news(owner, reviewer, organization):
    facility = review.do_create_draft("facility", owner, {**NEW, "name": "Batrec lamp plant"})
    facility = review.do_submit_entry("facility", owner, facility)
    facility = review.do_validate_entry("facility", reviewer, facility)
    published_in_november(type(facility), facility)
    event = Event.objects.create(
        organization=organization,
        name="Webinar on lamps",
        format="webinar",
        starts_at=datetime.datetime(2027, 1, 10, 14, tzinfo=datetime.UTC),
        ends_at=datetime.datetime(2027, 1, 10, 15, tzinfo=datetime.UTC),
        published=True,
        validated_at=IN_NOVEMBER,
    )
    return facility, event


def test_a_partner_receives_what_is_new_in_text_and_html(member, news):
    run = do_send_partner_digests(today=TODAY)
    assert member in {digest.person for digest in run.sent}
    message = next(m for m in mail.outbox if m.to == [member.email])
    assert "Batrec lamp plant" in message.body and "Webinar on lamps" in message.body
    html = message.alternatives[0][0]
    assert "Batrec lamp plant" in html and message.alternatives[0][1] == "text/html"
    token = unsubscribe_token(member)
    assert reverse("partnership-digest-unsubscribe", args=[token]) in message.body
    digest = PartnerDigest.objects.get(person=member)
    assert digest.counts == {"entries": 1, "needs": 0, "events": 1, "projects": 0}


def test_sent_once_per_period(member, news):
    do_send_partner_digests(today=TODAY)
    sent = len(mail.outbox)
    assert do_send_partner_digests(today=TODAY + datetime.timedelta(days=3)).sent == []
    assert len(mail.outbox) == sent


def test_nothing_is_sent_when_nothing_is_new(member):
    run = do_send_partner_digests(today=TODAY)
    assert run.sent == [] and mail.outbox == [] and member in run.nothing_new


def test_never_skips_and_weekly_takes_the_week(member, owner, news):
    DigestPreference.objects.create(person=owner, frequency="never")
    DigestPreference.objects.create(person=member, frequency="weekly")
    # The week of 16–23 November holds nothing new: the facility came on the 15th.
    assert do_send_partner_digests(today=datetime.date(2026, 11, 23)).sent == []
    run = do_send_partner_digests(today=datetime.date(2026, 11, 16))
    assert [digest.person for digest in run.sent] == [member]


def test_people_outside_partner_organizations_receive_none(outsider, news):
    do_send_partner_digests(today=TODAY)
    assert all(message.to != [outsider.email] for message in mail.outbox)


def test_the_digest_is_in_the_persons_language(member, news):
    DigestPreference.objects.create(person=member, language="es")
    do_send_partner_digests(today=TODAY)
    message = next(m for m in mail.outbox if m.to == [member.email])
    assert "Hello" not in message.body and "Próximos eventos" in message.body


def test_an_open_need_is_listed_and_a_closed_one_is_not(member, organization):
    funded = Term.objects.get(vocabulary__name="funding_statuses", code="funded")
    for name, state in (("Lamps to treat in Accra", "open"), ("Closed need", "closed")):
        Need.objects.create(
            name=name,
            description="…",
            country_id="GHA",
            funding_status=funded,
            organization=organization,
            state=state,
            published=True,
            validated_at=IN_NOVEMBER,
        )
    do_send_partner_digests(today=TODAY)
    message = next(m for m in mail.outbox if m.to == [member.email])
    assert "Lamps to treat in Accra" in message.body and "Closed need" not in message.body


def test_choosing_the_frequency_and_stopping_by_the_link(client, signed_in, member):
    page = signed_in(member)
    url = reverse("partnership-digest-preference")
    assert page.get(url).status_code == 200
    assert page.post(url, {"frequency": "weekly"}).status_code == 302
    assert DigestPreference.objects.get(person=member).frequency == "weekly"
    client.logout()
    stop = reverse("partnership-digest-unsubscribe", args=[unsubscribe_token(member)])
    assert client.get(stop).status_code == 200
    assert client.post(stop).status_code == 200
    assert DigestPreference.objects.get(person=member).frequency == "never"
    assert client.get(stop[:-3] + "xx/").status_code == 404


def test_the_command(member, news, capsys):
    call_command("send_partner_digests", today=TODAY)
    assert "Sent 2 digest(s)" in capsys.readouterr().out  # the member and the owner
