"""Partners-only needs show to signed-in members of an organization and to reviewers, never to
anonymous visitors nor to people of no organization: not in the list, the page, the API or
search."""

import pytest

from mercuryhub.accounts.actions import do_create_api_token
from tests.conftest import make_user
from tests.exchange.needs.conftest import post_need

pytestmark = pytest.mark.django_db

SECRET = "Confidential stockpile of elemental mercury"


@pytest.fixture
def partners_need(owner, organization):
    return post_need(
        owner,
        organization=organization.slug,
        visibility="partners",
        name=SECRET,
        waste_categories=["elemental-mercury"],
    )


def _as(client, user):
    if user is not None:
        client.force_login(user)
    return client


@pytest.mark.parametrize(
    ("persona", "sees"),
    [("anonymous", False), ("registered", False), ("member", True), ("reviewer", True)],
)
def test_the_web_list_and_page_show_a_partners_only_need_to_members_and_reviewers(
    client, people, partners_need, persona, sees
):
    client = _as(client, people[persona])
    listed = client.get("/exchange/needs/").content.decode()
    assert (SECRET in listed) is sees
    page = client.get(f"/exchange/needs/{partners_need.pk}/")
    assert page.status_code == (200 if sees else 404)
    found = client.get("/exchange/needs/", {"q": "stockpile"}).content.decode()
    assert (SECRET in found) is sees


@pytest.mark.parametrize(
    ("persona", "sees"),
    [("anonymous", False), ("registered", False), ("member", True), ("administrator", True)],
)
def test_the_api_gives_a_partners_only_need_to_members_and_reviewers(
    client, people, partners_need, persona, sees
):
    headers = {}
    if people[persona] is not None:
        headers["HTTP_AUTHORIZATION"] = f"Bearer {do_create_api_token(people[persona], 't')[1]}"
    listed = client.get("/api/v1/needs", **headers).json()
    assert (SECRET in [item["name"] for item in listed["items"]]) is sees
    one = client.get(f"/api/v1/needs/{partners_need.pk}", **headers)
    assert one.status_code == (200 if sees else 404)
    if not sees:
        assert SECRET not in one.content.decode()


def test_search_never_finds_a_partners_only_need(client, partners_need, member):
    client.force_login(member)
    page = client.get("/catalogue/search/", {"q": "stockpile"})
    assert page.status_code == 200
    assert SECRET not in page.content.decode()
    answer = client.get("/api/v1/search", {"q": "stockpile"})
    assert answer.status_code == 200
    assert SECRET not in answer.content.decode()


def test_a_public_need_shows_to_everyone_in_the_list_page_api_and_search(
    client, owner, organization
):
    need = post_need(owner, organization=organization.slug)
    assert need.name in client.get("/exchange/needs/").content.decode()
    assert client.get(f"/exchange/needs/{need.pk}/").status_code == 200
    assert client.get("/api/v1/needs").json()["count"] == 1
    assert need.name in client.get("/catalogue/search/", {"q": "fluorescent"}).content.decode()


def test_a_draft_shows_to_its_owner_only(client, owner, organization):
    from mercuryhub.review import actions as review_actions
    from tests.exchange.needs.conftest import LAMPS

    draft = review_actions.do_create_draft("need", owner, LAMPS)
    assert client.get(f"/exchange/needs/{draft.pk}/").status_code == 404
    client.force_login(make_user("someone@example.org"))
    assert client.get(f"/exchange/needs/{draft.pk}/").status_code == 404
    client.force_login(owner)
    page = client.get(f"/exchange/needs/{draft.pk}/").content.decode()
    assert "This need is a draft only you see" in page


def test_the_search_api_gives_a_public_need_with_its_type(client, owner, organization):
    need = post_need(owner, organization=organization.slug)
    items = client.get("/api/v1/search", {"q": "fluorescent", "type": "need"}).json()["items"]
    assert [(item["type"], item["id"]) for item in items] == [("need", need.pk)]
    assert items[0]["url"] == f"/exchange/needs/{need.pk}/"
