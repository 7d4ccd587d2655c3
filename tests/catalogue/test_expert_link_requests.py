"""An expert joins an organization only when they asked to and one of its editors accepted; no
one else reaches the expert's private e-mail address through the editing pages."""

import pytest
from django.core import mail

from mercuryhub.catalogue.membership_requests import do_request_expert_link
from mercuryhub.catalogue.models import Expert, ExpertLinkRequest
from mercuryhub.review import actions as review_actions
from tests.conftest import make_user

pytestmark = pytest.mark.django_db

KOFI = {
    "name": "Kofi Mensah",
    "email": "kofi.private@mining.example.gh",
    "country": "GHA",
    "languages": ["en"],
    "biography": "Mining engineer.",
    "consent_to_publication": True,
}


@pytest.fixture
def kofi(db):
    return make_user("kofi@mining.example.gh")


@pytest.fixture
def profile(kofi):
    """Kofi's own expert profile, not linked to any organization."""
    return review_actions.do_create_draft("expert", kofi, KOFI)


@pytest.fixture
def asked(kofi, profile, organization, owner, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return do_request_expert_link(kofi, profile, organization, "I advise your plant.")


def _link(expert, slug="batrec-industrie-ag"):
    return f"/catalogue/experts/{expert.pk}/link/{slug}/"


def _text(response) -> str:
    return response.content.decode()


def test_an_editor_cannot_link_an_expert_who_did_not_ask(signed_in, outsider, profile):
    client = signed_in(outsider)
    for response in (
        client.get(_link(profile, "elsewhere-recycling")),
        client.post(_link(profile, "elsewhere-recycling"), {"answer": "accept"}),
    ):
        assert response.status_code == 404
        assert "Kofi" not in _text(response)
    profile.refresh_from_db()
    assert profile.organization is None
    edit = client.get(f"/catalogue/expert/{profile.pk}/edit/")
    assert edit.status_code == 404
    assert KOFI["email"] not in _text(edit)


def test_an_editor_cannot_link_a_published_expert_who_did_not_ask(signed_in, outsider, expert):
    response = signed_in(outsider).post(_link(expert, "elsewhere-recycling"))
    assert response.status_code == 404
    expert.refresh_from_db()
    assert expert.organization is None
    edit = signed_in(outsider).get(f"/catalogue/expert/{expert.pk}/edit/")
    assert edit.status_code == 403
    assert "ana.pereira@example.org" not in _text(edit)


def test_the_request_is_recorded_and_e_mailed_to_the_editors(asked, kofi, profile, owner):
    assert (asked.expert, asked.requested_by, asked.outcome) == (profile, kofi, "pending")
    assert asked.message == "I advise your plant."
    assert [message.to for message in mail.outbox] == [[owner.email]]
    assert _link(profile) in mail.outbox[0].body


def test_the_editors_see_the_pending_request_on_their_entries_page(signed_in, asked, owner, member):
    page = _text(signed_in(owner).get("/catalogue/mine/"))
    assert "Experts asking to join your organization" in page
    assert "Kofi Mensah" in page and "I advise your plant." in page
    assert _link(asked.expert) in page
    assert KOFI["email"] not in page
    assert "Kofi Mensah" not in _text(signed_in(member).get("/catalogue/mine/"))


def test_an_editor_accepts_the_request_and_then_keeps_the_profile(
    signed_in, asked, owner, organization
):
    client = signed_in(owner)
    assert "Link the expert" in _text(client.get(_link(asked.expert)))
    response = client.post(_link(asked.expert), {"answer": "accept"}, follow=True)
    assert "Kofi Mensah is now linked to Batrec Industrie AG" in _text(response)
    asked.refresh_from_db()
    assert (asked.outcome, asked.decided_by) == ("accepted", owner)
    assert Expert.objects.get(pk=asked.expert_id).organization == organization
    assert KOFI["email"] in _text(client.get(f"/catalogue/expert/{asked.expert_id}/edit/"))
    assert client.post(_link(asked.expert), {"answer": "accept"}).status_code == 404


def test_an_editor_declines_the_request_and_sees_nothing_of_the_profile(signed_in, asked, owner):
    client = signed_in(owner)
    response = client.post(_link(asked.expert), {"answer": "decline"}, follow=True)
    assert "You declined Kofi Mensah" in _text(response)
    asked.refresh_from_db()
    assert asked.outcome == "declined"
    assert Expert.objects.get(pk=asked.expert_id).organization is None
    edit = client.get(f"/catalogue/expert/{asked.expert_id}/edit/")
    assert edit.status_code == 404
    assert KOFI["email"] not in _text(edit)
    assert "Kofi Mensah" not in _text(client.get("/catalogue/mine/"))


@pytest.mark.parametrize("persona", ["registered", "member", "other_editor", "reviewer"])
def test_only_the_organizations_editors_answer_a_request(signed_in, people, asked, persona):
    client = signed_in(people[persona])
    for response in (client.get(_link(asked.expert)), client.post(_link(asked.expert))):
        assert response.status_code == 404
        assert "Kofi" not in _text(response)
    asked.refresh_from_db()
    assert asked.outcome == "pending"


def test_an_expert_asks_an_organization_only_once_at_a_time(asked, kofi, profile, organization):
    with pytest.raises(Exception, match="already asked"):
        do_request_expert_link(kofi, profile, organization)
    assert ExpertLinkRequest.objects.count() == 1


# Whose edit page shows the expert's address -------------------------------------------------


@pytest.fixture
def linked(owner, reviewer, organization):
    data = {**KOFI, "organization": "batrec-industrie-ag"}
    expert = review_actions.do_create_draft("expert", owner, data)
    expert = review_actions.do_submit_entry("expert", owner, expert)
    return review_actions.do_validate_entry("expert", reviewer, expert)


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("anonymous", 302),
        ("registered", 403),
        ("member", 403),
        ("other_editor", 403),
        ("owner", 200),
        ("reviewer", 403),
        ("administrator", 200),
    ],
)
def test_the_expert_edit_page_shows_the_address_only_to_the_entrys_editors(
    client, people, linked, persona, status
):
    if people[persona] is not None:
        client.force_login(people[persona])
    response = client.get(f"/catalogue/expert/{linked.pk}/edit/")
    assert response.status_code == status
    assert (KOFI["email"] in _text(response)) == (status == 200)


def test_reviewers_read_the_address_on_the_review_page(signed_in, reviewer, linked):
    page = _text(signed_in(reviewer).get(f"/review/expert/{linked.pk}/versions/"))
    assert KOFI["email"] in page
