"""A new account's first public need waits for the secretariat; the needs of established
accounts, of editors of an organization and needs for partners only are published on
submission, validated by the review layer and recorded as such."""

import pytest

from mercuryhub.review import actions as review_actions
from mercuryhub.review.models import ReviewDecision, ReviewState
from mercuryhub.review.queries import review_queue
from tests.exchange.needs.conftest import post_need

pytestmark = pytest.mark.django_db


def test_a_new_accounts_first_public_need_waits_in_the_review_queue(client, newcomer, reviewer):
    need = post_need(newcomer)
    assert need.review_state == ReviewState.SUBMITTED
    assert not need.published
    assert ("need", need) in review_queue(reviewer)
    assert client.get(f"/exchange/needs/{need.pk}/").status_code == 404
    assert need.name not in client.get("/exchange/needs/").content.decode()
    validated = review_actions.do_validate_entry("need", reviewer, need)
    assert validated.published and validated.validated_by == reviewer
    assert client.get(f"/exchange/needs/{need.pk}/").status_code == 200


def test_an_established_accounts_next_public_need_is_published_on_submission(client, established):
    need = post_need(established)
    assert need.review_state == ReviewState.VALIDATED
    assert need.published
    assert need.validated_by is None
    decision = ReviewDecision.objects.filter(kind="need", object_id=need.pk).first()
    assert decision.action == ReviewDecision.Action.VALIDATED
    assert decision.made_by is None
    assert decision.reason == review_actions.PUBLISHED_ON_SUBMISSION
    assert client.get(f"/exchange/needs/{need.pk}/").status_code == 200


def test_the_review_pages_show_a_need_and_its_publication_on_submission(
    signed_in, established, reviewer
):
    need = post_need(established, visibility="partners")
    client = signed_in(reviewer)
    for address in (f"/review/need/{need.pk}/", f"/review/need/{need.pk}/versions/"):
        page = client.get(address)
        assert page.status_code == 200, address
        body = page.content.decode()
        assert "Treatment of 2 tonnes of fluorescent lamps" in body
    assert "published on submission: no moderation needed" in body
    assert "Partners only" in body
    french = client.get(f"/fr/review/need/{need.pk}/versions/").content.decode()
    assert "publié dès sa soumission" in french


def test_an_editor_of_an_organization_and_a_reviewer_are_published_on_submission(
    owner, organization, reviewer
):
    assert post_need(owner, organization=organization.slug).published
    assert post_need(reviewer).published


def test_a_partners_only_need_is_published_but_a_returned_need_does_not_establish_anyone(
    newcomer, reviewer
):
    assert post_need(newcomer, visibility="partners").published
    first = post_need(newcomer)
    review_actions.do_return_entry("need", reviewer, first, "Say which lamps, how many")
    assert not post_need(newcomer, name="Another lamps need").published


def test_the_form_says_when_a_need_is_published_and_when_it_waits(signed_in, newcomer, established):
    from tests.exchange.needs.test_posting import FORM

    client = signed_in(established)
    response = client.post("/catalogue/new/need/", {**FORM, "submit_for_review": "1"}, follow=True)
    assert "is saved and published" in response.content.decode()


def test_a_waiting_need_is_in_the_review_queue_and_in_its_authors_entries(
    signed_in, newcomer, reviewer
):
    need = post_need(newcomer)
    queue = signed_in(reviewer).get("/review/")
    assert queue.status_code == 200
    assert need.name in queue.content.decode()
    mine = signed_in(newcomer).get("/catalogue/mine/")
    assert mine.status_code == 200
    assert need.name in mine.content.decode()


def test_the_author_is_told_when_the_secretariat_publishes_a_first_need(
    newcomer, reviewer, mailoutbox, django_capture_on_commit_callbacks
):
    need = post_need(newcomer)
    with django_capture_on_commit_callbacks(execute=True):
        review_actions.do_validate_entry("need", reviewer, need)
    assert [message.to for message in mailoutbox] == [[newcomer.email]]
    assert f"/exchange/needs/{need.pk}/" in mailoutbox[0].body
