"""Control characters are refused on every way in, naming the field, before anything is saved:
NUL and the other C0 characters anywhere, tab and line breaks everywhere but in long text. The
same tests run on SQLite and PostgreSQL."""

import sys
import unicodedata

import pytest

from mercuryhub.accounts.actions import do_create_api_token
from mercuryhub.accounts.models import ApiToken, Organization
from mercuryhub.catalogue.models import Facility
from mercuryhub.lib.text import find_control_character, without_control_characters
from mercuryhub.review import actions as review_actions
from mercuryhub.review.models import UpdateCampaign
from tests.catalogue.test_editing_api import NEW

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("multiline", [True, False])
def test_the_checks_take_out_exactly_unicode_s_control_characters_and_lone_surrogates(multiline):
    # Every character of Unicode, against its category: Cc (tab and line breaks allowed in long
    # text) and Cs are refused, nothing else.
    refused = {
        chr(code)
        for code in range(sys.maxunicode + 1)
        if unicodedata.category(chr(code)) == "Cs"
        or (unicodedata.category(chr(code)) == "Cc" and not (multiline and chr(code) in "\t\n\r"))
    }
    everything = "".join(chr(code) for code in range(sys.maxunicode + 1))
    kept = without_control_characters(everything, multiline=multiline)
    assert set(everything) - set(kept) == refused
    assert len(kept) == len(everything) - len(refused)
    for character in sorted(refused)[:: max(1, len(refused) // 40)]:
        assert find_control_character(f"ab{character}", multiline=multiline) is not None
    assert find_control_character(kept, multiline=multiline) is None


def _auth(user):
    return {"HTTP_AUTHORIZATION": f"Bearer {do_create_api_token(user, 'test')[1]}"}


def _post_json(client, path, body, user, method="post"):
    return getattr(client, method)(path, body, content_type="application/json", **_auth(user))


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"name": "Batrec\x00 lamp line"}, "name"),
        ({"city": "Wim\tmis"}, "city"),
        ({"name": "Batrec\nlamp line"}, "name"),
        ({"description": "Lamps\x07"}, "description"),
        ({"accepted_wastes": ["lamps", "bat\x00teries"]}, "accepted_wastes.1"),
    ],
)
def test_the_api_refuses_a_control_character_naming_the_field(
    client, owner, organization, changes, field
):
    response = _post_json(client, "/api/v1/facilities", {**NEW, **changes}, owner)
    assert response.status_code == 422, response.content
    assert [error["field"] for error in response.json()["errors"]] == [field]
    assert "control character" in response.json()["detail"]
    assert not Facility.objects.exists()


def test_the_api_keeps_tabs_and_line_breaks_in_long_text(client, owner, organization):
    description = "Lamps:\n\t- tubes\r\n\t- bulbs"
    response = _post_json(client, "/api/v1/facilities", {**NEW, "description": description}, owner)
    assert response.status_code == 201, response.content
    assert Facility.objects.get().description == description


def test_the_api_refuses_a_nul_character_in_an_edit_and_a_return_reason(
    client, owner, reviewer, organization
):
    facility = review_actions.do_create_draft("facility", owner, NEW)
    edit = _post_json(
        client, f"/api/v1/facilities/{facility.pk}", {"city": "\x00", "version": 1}, owner, "patch"
    )
    assert (edit.status_code, edit.json()["errors"][0]["field"]) == (422, "city")
    review_actions.do_submit_entry("facility", owner, facility)
    returned = _post_json(
        client, f"/api/v1/facilities/{facility.pk}/return", {"reason": "No\x00"}, reviewer
    )
    assert (returned.status_code, returned.json()["errors"][0]["field"]) == (422, "reason")
    facility.refresh_from_db()
    assert (facility.city, facility.review_state) == ("Wimmis", "submitted")


def test_the_api_refuses_a_nul_character_in_an_organization(client, owner, organization):
    response = _post_json(
        client,
        f"/api/v1/organizations/{organization.slug}",
        {"description": "Recycling\x00"},
        owner,
        "patch",
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "description"
    organization.refresh_from_db()
    assert "\x00" not in organization.description


# The web forms ------------------------------------------------------------------------------


def _campaign_form():
    return {"name": "Annual update", "year": "2031", "deadline": "2031-03-01", "message": "Hi\x00"}


@pytest.mark.parametrize(
    ("persona", "path", "form", "field"),
    [
        (
            "other_editor",
            "/organizations/new/",
            {"name": "Ministry\x00", "stakeholder_type": "government", "country": "URY"},
            "name",
        ),
        (
            "other_editor",
            "/organizations/new/",
            {
                "name": "Ministry\nof Environment",
                "stakeholder_type": "government",
                "country": "URY",
            },
            "name",
        ),
        ("owner", "/profile/", {"name": "nightly\x00 export"}, "name"),
        ("reviewer", "/review/campaigns/", _campaign_form(), "message"),
        (
            "anonymous",
            "/catalogue/search/",
            {"q": "lamps\x1b"},
            "q",
        ),
    ],
)
def test_a_web_form_with_a_control_character_is_refused_naming_the_field(
    client, people, persona, path, form, field
):
    organizations, tokens = Organization.objects.count(), ApiToken.objects.count()
    if people[persona] is not None:
        client.force_login(people[persona])
    response = client.post(path, form)
    assert response.status_code == 400
    assert f"'{field}' contains the control character".encode() in response.content
    assert (Organization.objects.count(), ApiToken.objects.count()) == (organizations, tokens)
    assert not UpdateCampaign.objects.exists()


def test_the_review_refuses_a_return_reason_with_a_nul_character(
    signed_in, owner, reviewer, organization
):
    facility = review_actions.do_submit_entry(
        "facility", owner, review_actions.do_create_draft("facility", owner, NEW)
    )
    response = signed_in(reviewer).post(
        f"/review/facility/{facility.pk}/", {"action": "return", "reason": "Fix\x00"}
    )
    assert response.status_code == 400
    assert b"'reason' contains the control character NUL (U+0000)" in response.content
    facility.refresh_from_db()
    assert facility.review_state == "submitted"


def test_the_expert_contact_form_refuses_a_bell_in_the_message(client, expert):
    response = client.post(
        f"/catalogue/experts/{expert.pk}/contact/",
        {"name": "Ama", "email": "ama@example.org", "message": "Please call me back \x07 soon."},
    )
    assert response.status_code == 400
    assert b"'message' contains the control character U+0007" in response.content


def test_a_web_form_keeps_line_breaks_in_a_description(signed_in, outsider):
    response = signed_in(outsider).post(
        "/organizations/new/",
        {
            "name": "Ministry of Environment",
            "stakeholder_type": "government",
            "country": "URY",
            "description": "Waste unit.\r\nChemicals unit.",
        },
    )
    assert response.status_code == 302
    assert Organization.objects.get(name="Ministry of Environment").description == (
        "Waste unit.\r\nChemicals unit."
    )
