"""Peer review and assistance requests through the API, persona by persona, with the same
permissions as the web: the team opens rounds, invites and resolves; invited reviewers and the
secretariat comment; the secretariat answers requests; everyone else gets 404."""

import pytest
from django.core import mail

from mercuryhub.accounts.actions import do_create_api_token
from mercuryhub.accounts.models import User
from mercuryhub.nap import assistance, peer_review
from tests.nap.review_people import EXPERT_EMAIL, published_expert


@pytest.fixture
def api(client):
    def call(user, method, path, data=None):
        headers = {}
        if user is not None:
            headers["HTTP_AUTHORIZATION"] = f"Bearer {do_create_api_token(user, 't')[1]}"
        return getattr(client, method)(
            f"/api/v1{path}", data or {}, content_type="application/json", **headers
        )

    return call


@pytest.fixture
def expert(reviewer):
    return published_expert(reviewer)


@pytest.fixture
def invited(expert):
    return User.objects.get(email=EXPERT_EMAIL)


def test_the_team_opens_a_round_and_invites_an_expert(
    api, plan, team_lead, expert, django_capture_on_commit_callbacks
):
    response = api(team_lead, "post", f"/naps/{plan.pk}/review-rounds", {"due_on": None})
    assert response.status_code == 201
    assert response.json()["number"] == 1 and response.json()["version"] == 1
    with django_capture_on_commit_callbacks(execute=True):
        response = api(
            team_lead,
            "post",
            f"/naps/{plan.pk}/review-rounds/1/invitations",
            {"expert": expert.pk},
        )
    assert response.status_code == 201
    assert response.json()["email"] == EXPERT_EMAIL
    assert mail.outbox[0].to == [EXPERT_EMAIL]
    again = api(team_lead, "post", f"/naps/{plan.pk}/review-rounds", {})
    assert again.status_code == 409


@pytest.mark.parametrize(
    ("persona", "status"),
    [("reviewer", 403), ("team_member", 404), ("outsider", 404), ("anonymous", 401)],
)
def test_no_one_but_the_team_opens_a_round(request, api, plan, persona, status):
    user = None if persona == "anonymous" else request.getfixturevalue(persona)
    assert api(user, "post", f"/naps/{plan.pk}/review-rounds", {}).status_code == status


def test_reviewers_comment_the_team_resolves_and_reopens(
    api, plan, team_lead, invited, reviewer, expert
):
    round_ = peer_review.do_open_review_round(team_lead, plan)
    peer_review.do_invite_reviewer(team_lead, round_, expert_id=expert.pk)
    path = f"/naps/{plan.pk}/comments"
    response = api(invited, "post", path, {"section": "f", "text": "Cost the clinics."})
    assert response.status_code == 201
    comment = response.json()
    assert (comment["section"], comment["state"], comment["round"]) == ("f", "open", 1)
    assert api(invited, "post", path, {"section": "zz", "text": "?"}).status_code == 422
    assert api(team_lead, "post", path, {"section": "f", "text": "Me."}).status_code == 403
    assert api(reviewer, "post", path, {"section": "a", "text": "Targets?"}).status_code == 201
    one = f"{path}/{comment['id']}"
    assert api(invited, "patch", one, {"state": "resolved", "resolution": "x"}).status_code == 403
    assert api(team_lead, "patch", one, {"state": "resolved"}).status_code == 422
    response = api(team_lead, "patch", one, {"state": "resolved", "resolution": "Costed."})
    assert response.json()["state"] == "resolved"
    assert api(team_lead, "patch", one, {"state": "resolved", "resolution": "x"}).status_code == 409
    assert api(team_lead, "patch", one, {"state": "open"}).json()["state"] == "open"
    listed = api(invited, "get", f"{path}?section=f").json()
    assert [item["text"] for item in listed] == ["Cost the clinics."]
    rounds = api(reviewer, "get", f"/naps/{plan.pk}/review-rounds").json()
    assert (rounds[0]["open_comments"], rounds[0]["resolved_comments"]) == (2, 0)


@pytest.mark.parametrize("persona", ["team_member", "outsider"])
def test_others_are_told_the_review_does_not_exist(request, api, plan, team_lead, persona):
    peer_review.do_open_review_round(team_lead, plan)
    user = request.getfixturevalue(persona)
    for path in (f"/naps/{plan.pk}/review-rounds", f"/naps/{plan.pk}/comments"):
        assert api(user, "get", path).status_code == 404


def test_a_request_through_the_api_from_ask_to_completion(
    api, plan, team_lead, reviewer, outsider, expert
):
    response = api(
        team_lead,
        "post",
        "/assistance-requests",
        {"kind": "peer_review", "description": "Review (f).", "elements": ["f"], "plan": plan.pk},
    )
    assert response.status_code == 201
    item = response.json()
    assert (item["state"], item["country"], item["plan"]) == ("requested", "GHA", plan.pk)
    one = f"/assistance-requests/{item['id']}"
    assert api(outsider, "get", one).status_code == 404
    assert api(team_lead, "patch", one, {"state": "completed"}).status_code == 403
    response = api(reviewer, "patch", one, {"state": "assigned", "experts": [expert.pk]})
    assert (response.json()["state"], response.json()["experts"]) == ("assigned", [expert.pk])
    assert api(reviewer, "patch", one, {"state": "declined"}).status_code == 422
    assert api(reviewer, "patch", one, {"state": "completed"}).json()["state"] == "completed"
    assert api(reviewer, "patch", one, {"state": "completed"}).status_code == 409
    listed = api(reviewer, "get", "/assistance-requests?state=completed").json()
    assert listed["count"] == 1
    assert api(outsider, "get", "/assistance-requests").json()["count"] == 0
    assert api(team_lead, "get", one).json()["state"] == "completed"


def test_a_person_of_no_country_team_cannot_ask(api, outsider, team_member, agency):
    body = {"kind": "workshop", "description": "A workshop."}
    assert api(team_member, "post", "/assistance-requests", body).status_code == 403
    assert api(None, "post", "/assistance-requests", body).status_code == 401
    assert assistance.AssistanceRequest.objects.count() == 0
