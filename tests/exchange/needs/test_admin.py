"""Needs in the administration: listed, opened, corrected through the review layer."""

import pytest

from mercuryhub.review import actions as review_actions
from mercuryhub.review.models import EntryVersion
from tests.exchange.needs.conftest import post_need

pytestmark = pytest.mark.django_db


def test_an_administrator_lists_opens_and_corrects_a_need(
    client, administrator, owner, organization
):
    need = post_need(owner, organization=organization.slug)
    client.force_login(administrator)
    assert need.name in client.get("/admin/exchange/need/").content.decode()
    change = client.get(f"/admin/exchange/need/{need.pk}/change/")
    assert change.status_code == 200
    assert "Funding status" in change.content.decode()
    data = {**review_actions.registry.get("need").serialize(need), "name": "Lamps, corrected"}
    corrected = review_actions.do_correct_entry("need", administrator, need, data)
    assert corrected.name == "Lamps, corrected" and corrected.published
    notes = EntryVersion.objects.filter(kind="need", object_id=need.pk).values_list(
        "note", flat=True
    )
    assert list(notes) == ["created", "corrected in the administration"]
