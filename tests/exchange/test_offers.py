"""Offers and introductions: a partner answers a need, its owner is told; on accepting, both sides
receive each other's contact details and the need is in contact; then matched, then closed."""

import json

import pytest
from django.core import mail

from mercuryhub.accounts.actions import do_create_api_token
from mercuryhub.exchange import actions as exchange_actions
from mercuryhub.exchange.models import Need, Offer
from mercuryhub.review import actions
from mercuryhub.review.errors import WorkflowError
from tests.conftest import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def need(owner, organization):
    posted = actions.do_create_draft(
        "need",
        owner,
        {
            "name": "Spent lamps from schools",
            "description": "Schools replace fluorescent tubes and need a recycler.",
            "country": "GHA",
            "waste_categories": ["lamps"],
            "funding_status": "funded",
            "organization": "batrec-industrie-ag",
        },
    )
    return Need.objects.get(pk=actions.do_submit_entry("need", owner, posted).pk)


def test_a_partner_offers_the_owner_accepts_and_both_receive_each_others_address(
    client, need, owner, outsider, django_capture_on_commit_callbacks
):
    client.force_login(outsider)
    page = client.get(need.get_absolute_url()).content.decode()
    assert "Offer help" in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/exchange/needs/{need.pk}/offers/", {"message": "We collect lamps in Accra."}
        )
    assert response.status_code == 302
    assert [message.to for message in mail.outbox] == [[owner.email]]
    assert "We collect lamps in Accra." in mail.outbox[0].body
    assert outsider.email not in mail.outbox[0].body  # not before the owner accepts
    page = client.get(need.get_absolute_url()).content.decode()
    assert "Your offer" in page and "Offer help" not in page  # one offer per person

    client.force_login(owner)
    page = client.get(need.get_absolute_url()).content.decode()
    assert "Offers of help" in page and "We collect lamps in Accra." in page
    offer = Offer.objects.get()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/exchange/offers/{offer.pk}/accept/")
    offer.refresh_from_db()
    need.refresh_from_db()
    assert offer.state == "accepted" and offer.decided_at is not None
    assert need.state == "in_contact" and need.in_contact_at is not None
    by_recipient = {message.to[0]: message.body for message in mail.outbox}
    assert owner.email in by_recipient[outsider.email]
    assert outsider.email in by_recipient[owner.email]

    client.post(f"/exchange/needs/{need.pk}/matched/")
    need.refresh_from_db()
    assert need.state == "matched" and need.matched_at is not None


def test_only_partners_offer_on_others_open_needs(need, owner, outsider):
    registered = make_user("rene.registered@example.org")
    for person in (owner, registered):
        with pytest.raises(Exception, match="Only partners answer the open needs of others"):
            exchange_actions.do_make_offer(person, need, "Help")
    with pytest.raises(Exception, match="Say what you offer"):
        exchange_actions.do_make_offer(outsider, need, "  ")
    exchange_actions.do_make_offer(outsider, need, "We can help.")
    with pytest.raises(WorkflowError, match="already offered"):
        exchange_actions.do_make_offer(outsider, need, "Again.")
    assert Offer.objects.count() == 1


def test_only_the_owner_answers_an_offer_and_only_once(need, owner, outsider, member):
    offer = exchange_actions.do_make_offer(outsider, need, "We can help.")
    with pytest.raises(Exception, match="Only the need's owner accepts"):
        exchange_actions.do_accept_offer(outsider, offer)
    exchange_actions.do_decline_offer(owner, offer)
    with pytest.raises(WorkflowError, match="already been answered"):
        exchange_actions.do_accept_offer(owner, offer)


def test_offers_through_the_api(client, need, owner, outsider):
    partner = {"HTTP_AUTHORIZATION": f"Bearer {do_create_api_token(outsider, 't')[1]}"}
    keeper = {"HTTP_AUTHORIZATION": f"Bearer {do_create_api_token(owner, 't')[1]}"}
    path = f"/api/v1/needs/{need.pk}/offers"
    created = client.post(
        path, json.dumps({"message": "Recycling in Tema."}), "application/json", **partner
    )
    assert created.status_code == 201, created.content
    offer = created.json()
    assert (offer["state"], offer["need"]) == ("proposed", need.pk)
    assert [o["id"] for o in client.get(path, **keeper).json()] == [offer["id"]]
    refused = client.post(f"/api/v1/offers/{offer['id']}/accept", **partner)
    assert refused.status_code == 403
    accepted = client.post(f"/api/v1/offers/{offer['id']}/accept", **keeper)
    assert accepted.status_code == 200 and accepted.json()["state"] == "accepted"
    again = client.post(f"/api/v1/offers/{offer['id']}/accept", **keeper)
    assert again.status_code == 409
    empty = client.post(path, json.dumps({"message": ""}), "application/json", **keeper)
    assert empty.status_code == 403  # the owner does not offer on their own need
    assert client.get(path).status_code == 401
