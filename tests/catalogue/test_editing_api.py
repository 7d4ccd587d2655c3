"""Writing through the API, and who may do what: every persona against every write action."""

import pytest

from mercuryhub.accounts.actions import do_create_api_token
from mercuryhub.catalogue.models import Facility
from mercuryhub.review import actions as review_actions
from mercuryhub.review.models import EntryVersion

pytestmark = pytest.mark.django_db

NEW = {
    "name": "Batrec lamp line",
    "operator": "batrec-industrie-ag",
    "country": "CHE",
    "city": "Wimmis",
    "latitude": 46.68,
    "longitude": 7.64,
    "status": "operating",
    "accepted_wastes": ["lamps"],
}


def _auth(user):
    return {"HTTP_AUTHORIZATION": f"Bearer {do_create_api_token(user, 'test')[1]}"}


def test_an_editor_creates_edits_and_submits_through_the_api(client, owner, organization):
    created = client.post(
        "/api/v1/facilities", NEW, content_type="application/json", **_auth(owner)
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert (body["review_state"], body["published"], body["version"]) == ("draft", False, 1)
    assert client.get(f"/api/v1/facilities/{body['id']}").status_code == 404  # not published

    edited = client.patch(
        f"/api/v1/facilities/{body['id']}",
        {"city": "Spiez", "version": 1},
        content_type="application/json",
        **_auth(owner),
    )
    assert edited.json()["data"]["city"] == "Spiez"
    assert edited.json()["version"] == 2
    submitted = client.post(f"/api/v1/facilities/{body['id']}/submit", **_auth(owner))
    assert submitted.json()["review_state"] == "submitted"


def test_a_stale_version_gets_409_with_the_other_editors_changes(client, owner, organization):
    facility = review_actions.do_create_draft("facility", owner, NEW)
    review_actions.do_edit_entry("facility", owner, facility, {"city": "Spiez"}, base_version=1)
    response = client.patch(
        f"/api/v1/facilities/{facility.pk}",
        {"city": "Thun", "version": 1},
        content_type="application/json",
        **_auth(owner),
    )
    assert response.status_code == 409
    assert response.json()["errors"] == [
        {"field": "city", "message": "changed from 'Wimmis' to 'Spiez'"}
    ]
    assert "now at version 2" in response.json()["detail"]
    assert Facility.objects.get(pk=facility.pk).city == "Spiez"


def test_bad_input_names_the_field_and_creates_nothing(client, owner, organization):
    response = client.post(
        "/api/v1/facilities",
        {**NEW, "latitude": 123, "accepted_wastes": ["quicksilver"]},
        content_type="application/json",
        **_auth(owner),
    )
    assert response.status_code == 422
    fields = {error["field"] for error in response.json()["errors"]}
    assert fields == {"latitude", "accepted_wastes"}
    assert not Facility.objects.exists()


def test_the_reviewer_validates_returns_and_reverts(client, owner, organization, reviewer):
    facility = review_actions.do_create_draft("facility", owner, NEW)
    review_actions.do_submit_entry("facility", owner, facility)
    returned = client.post(
        f"/api/v1/facilities/{facility.pk}/return",
        {"reason": "Give the permit."},
        content_type="application/json",
        **_auth(reviewer),
    )
    assert returned.json()["return_reason"] == "Give the permit."
    review_actions.do_submit_entry("facility", owner, facility)
    validated = client.post(f"/api/v1/facilities/{facility.pk}/validate", **_auth(reviewer))
    assert validated.json()["published"] is True
    assert client.get(f"/api/v1/facilities/{facility.pk}").json()["name"] == "Batrec lamp line"
    review_actions.do_edit_entry("facility", owner, facility, {"name": "Renamed"}, base_version=1)
    versions = client.get(f"/api/v1/facilities/{facility.pk}/versions", **_auth(owner)).json()
    assert [(v["number"], v["published"]) for v in versions] == [(1, True), (2, False)]
    reverted = client.post(
        f"/api/v1/facilities/{facility.pk}/revert",
        {"version": 1},
        content_type="application/json",
        **_auth(reviewer),
    )
    assert reverted.json()["version"] == 3
    assert reverted.json()["data"]["name"] == "Batrec lamp line"


def test_returning_needs_a_reason(client, owner, organization, reviewer):
    facility = review_actions.do_create_draft("facility", owner, NEW)
    review_actions.do_submit_entry("facility", owner, facility)
    response = client.post(
        f"/api/v1/facilities/{facility.pk}/return",
        {"reason": " "},
        content_type="application/json",
        **_auth(reviewer),
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "reason"


# The permission matrix ----------------------------------------------------------------------

PERSONAS = [
    "anonymous",
    "registered",
    "member",
    "other_editor",
    "owner",
    "reviewer",
    "administrator",
]


def _draft(owner):
    return review_actions.do_create_draft("facility", owner, NEW)


def _submitted(owner):
    facility = _draft(owner)
    return review_actions.do_submit_entry("facility", owner, facility)


def _published(owner, reviewer):
    facility = _submitted(owner)
    facility = review_actions.do_validate_entry("facility", reviewer, facility)
    review_actions.do_edit_entry("facility", owner, facility, {"city": "Spiez"}, base_version=1)
    return Facility.objects.get(pk=facility.pk)


# action: (setup, method, path suffix, body, {persona: expected status})
MATRIX = {
    "create": (
        None,
        "post",
        "",
        NEW,
        {
            "anonymous": 401,
            "registered": 403,
            "member": 403,
            "other_editor": 403,
            "owner": 201,
            "reviewer": 403,
            "administrator": 201,
        },
    ),
    "edit": (
        _draft,
        "patch",
        "/{pk}",
        {"city": "Thun", "version": 1},
        {
            "anonymous": 401,
            "registered": 404,
            "member": 404,
            "other_editor": 404,
            "owner": 200,
            "reviewer": 403,
            "administrator": 200,
        },
    ),
    "submit": (
        _draft,
        "post",
        "/{pk}/submit",
        None,
        {
            "anonymous": 401,
            "registered": 404,
            "member": 404,
            "other_editor": 404,
            "owner": 200,
            "reviewer": 403,
            "administrator": 200,
        },
    ),
    "validate": (
        _submitted,
        "post",
        "/{pk}/validate",
        None,
        {
            "anonymous": 401,
            "registered": 404,
            "member": 404,
            "other_editor": 404,
            "owner": 403,
            "reviewer": 200,
            "administrator": 200,
        },
    ),
    "return": (
        _submitted,
        "post",
        "/{pk}/return",
        {"reason": "Incomplete"},
        {
            "anonymous": 401,
            "registered": 404,
            "member": 404,
            "other_editor": 404,
            "owner": 403,
            "reviewer": 200,
            "administrator": 200,
        },
    ),
    "revert": (
        "published",
        "post",
        "/{pk}/revert",
        {"version": 1},
        {
            "anonymous": 401,
            "registered": 403,
            "member": 403,
            "other_editor": 403,
            "owner": 403,
            "reviewer": 200,
            "administrator": 200,
        },
    ),
    "delete": (
        "published",
        "delete",
        "/{pk}",
        None,
        {
            "anonymous": 401,
            "registered": 403,
            "member": 403,
            "other_editor": 403,
            "owner": 403,
            "reviewer": 403,
            "administrator": 204,
        },
    ),
}


def _snapshot():
    return (
        list(
            Facility.objects.order_by("pk").values_list(
                "pk", "name", "city", "review_state", "published", "version"
            )
        ),
        EntryVersion.objects.count(),
    )


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("action", list(MATRIX))
def test_each_persona_may_do_only_what_its_role_allows_through_the_api(
    client, people, organization, owner, reviewer, action, persona
):
    setup, method, suffix, body, expected = MATRIX[action]
    entry = None
    if setup == "published":
        entry = _published(owner, reviewer)
    elif setup is not None:
        entry = setup(owner)
    path = "/api/v1/facilities" + suffix.format(pk=entry.pk if entry else "")
    before = _snapshot()
    headers = _auth(people[persona]) if people[persona] else {}
    kwargs = {"content_type": "application/json"} if body is not None else {}
    response = (
        getattr(client, method)(path, body, **kwargs, **headers)
        if body is not None
        else getattr(client, method)(path, **headers)
    )
    assert response.status_code == expected[persona], (action, persona, response.content)
    if expected[persona] >= 400:
        assert _snapshot() == before, "a refused action changed something"
        assert response.json()["detail"]
    else:
        assert _snapshot() != before
