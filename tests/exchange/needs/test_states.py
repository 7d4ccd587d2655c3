"""Where a need stands: open, in contact, matched, closed, each change dated; the owner closes
it with an outcome note, on the web and through the API."""

import pytest
from django.core.exceptions import PermissionDenied

from mercuryhub.accounts.actions import do_create_api_token
from mercuryhub.exchange import actions
from mercuryhub.exchange.models import Need
from mercuryhub.lib.errors import InvalidInputError
from mercuryhub.review.errors import WorkflowError
from tests.exchange.needs.conftest import post_need

pytestmark = pytest.mark.django_db


@pytest.fixture
def need(owner, organization):
    return post_need(owner, organization=organization.slug)


def test_a_need_moves_from_open_to_in_contact_to_matched_with_the_date_of_each_step(owner, need):
    assert need.state == Need.State.OPEN and need.in_contact_at is None
    need = actions.do_set_need_state(owner, need, Need.State.IN_CONTACT)
    assert need.state == Need.State.IN_CONTACT and need.in_contact_at is not None
    need = actions.do_set_need_state(owner, need, Need.State.MATCHED)
    assert need.matched_at >= need.in_contact_at
    with pytest.raises(WorkflowError):
        actions.do_set_need_state(owner, need, Need.State.OPEN)


def test_only_its_owner_and_editors_move_a_need_on(need, member):
    with pytest.raises(PermissionDenied):
        actions.do_set_need_state(member, need, Need.State.IN_CONTACT)


def test_the_owner_closes_a_need_on_its_page_with_an_outcome(signed_in, owner, need):
    client = signed_in(owner)
    page = client.get(f"/exchange/needs/{need.pk}/").content.decode()
    assert "Close the need" in page
    refused = client.post(f"/exchange/needs/{need.pk}/close/", {"outcome": ""})
    assert refused.status_code == 400
    assert "This field is required" in refused.content.decode()
    done = client.post(
        f"/exchange/needs/{need.pk}/close/",
        {"outcome": "Batrec treated the lamps in March."},
        follow=True,
    )
    body = done.content.decode()
    assert "The need is closed" in body
    assert "Batrec treated the lamps in March." in body
    assert "Closed on" in body
    need.refresh_from_db()
    assert need.state == Need.State.CLOSED and need.closed_by == owner
    # No longer among the open needs, still readable.
    assert need.name not in client.get("/exchange/needs/").content.decode()
    assert need.name in client.get("/exchange/needs/?state=closed").content.decode()


def test_the_api_closes_a_need_for_its_owner_only(client, owner, member, need):
    def close(user, outcome):
        token = do_create_api_token(user, "t")[1]
        return client.post(
            f"/api/v1/needs/{need.pk}/close",
            {"outcome": outcome},
            content_type="application/json",
            HTTP_AUTHORIZATION=f"Bearer {token}",
        )

    assert close(member, "Not mine to close").status_code == 403
    empty = close(owner, "   ")
    assert empty.status_code == 422
    assert empty.json()["errors"][0]["field"] == "outcome"
    closed = close(owner, "Solved with help from a partner.")
    assert closed.status_code == 200
    assert closed.json()["state"] == "closed"
    assert close(owner, "Again").status_code == 409
    read = client.get(f"/api/v1/needs/{need.pk}").json()
    assert read["outcome"] == "Solved with help from a partner."
    assert read["closed_at"] is not None


def test_an_outcome_with_control_characters_is_refused(owner, need):
    with pytest.raises(InvalidInputError) as error:
        actions.do_close_need(owner, need, "Solved\x00")
    assert "outcome" in error.value.errors


def test_the_yearly_update_campaigns_leave_needs_out(owner, need):
    from mercuryhub.review.campaigns import entries_to_confirm_by_person

    kinds = {entry.kind for _person, entries in entries_to_confirm_by_person() for entry in entries}
    assert "need" not in kinds
