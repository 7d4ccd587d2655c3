"""While a need is typed, the open needs that look like it are shown, found through the search
module; closed needs, partners-only needs for outsiders and the need being edited are not."""

import pytest

from mercuryhub.exchange import actions
from tests.exchange.needs.conftest import post_need

pytestmark = pytest.mark.django_db


@pytest.fixture
def lamps(owner, organization):
    return post_need(owner, organization=organization.slug)


def test_similar_open_needs_come_as_a_fragment(client, lamps):
    found = client.get(
        "/exchange/needs/similar/", {"name": "Recycling fluorescent tubes", "description": ""}
    )
    assert found.status_code == 200
    body = found.content.decode()
    assert "Similar open needs" in body
    assert lamps.name in body
    assert f"/exchange/needs/{lamps.pk}/" in body


def test_nothing_comes_when_nothing_is_alike(client, lamps):
    found = client.get("/exchange/needs/similar/", {"name": "Retorts for gold miners"})
    assert found.content.decode().strip() == ""
    assert client.get("/exchange/needs/similar/", {"name": "a"}).content.decode().strip() == ""


def test_closed_needs_and_the_need_being_edited_are_left_out(client, owner, lamps):
    params = {"name": "fluorescent lamps", "exclude": lamps.pk}
    assert lamps.name not in client.get("/exchange/needs/similar/", params).content.decode()
    actions.do_close_need(owner, lamps, "Treated")
    found = client.get("/exchange/needs/similar/", {"name": "fluorescent lamps"})
    assert lamps.name not in found.content.decode()


def test_partners_only_needs_are_not_shown_to_outsiders(client, owner, organization):
    hidden = post_need(owner, organization=organization.slug, visibility="partners")
    found = client.get("/exchange/needs/similar/", {"name": "fluorescent lamps"})
    assert hidden.name not in found.content.decode()
