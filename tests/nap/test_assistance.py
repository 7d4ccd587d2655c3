"""Assistance requests, persona by persona: the country team asks; the secretariat reads them
all, assigns experts of the catalogue (requested → assigned), completes or declines with a note;
the requester and the experts are e-mailed at each change, even a failing mail server losing
none; the team reads its own requests, nobody else reads them."""

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied

from mercuryhub.accounts.models import QueuedEmail
from mercuryhub.lib.errors import InvalidInputError
from mercuryhub.nap import assistance
from mercuryhub.nap.models import AssistanceRequest
from mercuryhub.review.errors import WorkflowError
from tests.nap.review_people import EXPERT_EMAIL, published_expert, refusing_mail_server

ASK = {"kind": "workshop", "description": "A workshop on costing element (f).", "elements": ["f"]}


@pytest.fixture
def expert(reviewer):
    return published_expert(reviewer)


@pytest.fixture
def request_(plan, team_lead):
    return assistance.do_request_assistance(team_lead, {**ASK, "plan": plan.pk})


def test_the_team_asks_on_the_page_and_the_secretariat_is_told(
    client, plan, team_lead, reviewer, django_capture_on_commit_callbacks
):
    client.force_login(team_lead)
    page = client.get("/nap/assistance/new/").content.decode()
    assert "Technical peer review" in page and "Ghana ASGM National Action Plan" in page
    response = client.post("/nap/assistance/new/", {"kind": "workshop", "description": ""})
    assert response.status_code == 400
    assert "This field is required." in response.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/nap/assistance/new/", {**ASK, "plan": str(plan.pk)}, follow=True)
    item = AssistanceRequest.objects.get()
    assert (item.state, item.plan, item.country.iso3, item.elements) == (
        "requested",
        plan,
        "GHA",
        ["f"],
    )
    assert "Requested" in response.content.decode()
    assert sorted(message.to[0] for message in mail.outbox) == [team_lead.email, reviewer.email]


def test_only_a_country_team_asks(outsider, team_member, plan):
    with pytest.raises(PermissionDenied):
        assistance.do_request_assistance(team_member, ASK)
    with pytest.raises(InvalidInputError, match="plan of your country team"):
        assistance.do_request_assistance(outsider, {**ASK, "plan": plan.pk})
    with pytest.raises(InvalidInputError) as error:
        assistance.do_request_assistance(outsider, {**ASK, "kind": "party", "elements": ["z"]})
    assert set(error.value.errors) == {"kind", "elements"}


@pytest.mark.parametrize(
    ("persona", "listed", "detail"),
    [
        ("team_lead", True, 200),
        ("reviewer", True, 200),
        ("team_member", False, 404),
        ("outsider", False, 404),
    ],
)
def test_a_request_reaches_the_team_and_the_secretariat_only(
    request, client, request_, persona, listed, detail
):
    client.force_login(request.getfixturevalue(persona))
    page = client.get("/nap/assistance/").content.decode()
    assert ("A workshop on costing element (f)." in page) == listed
    assert client.get(f"/nap/assistance/{request_.pk}/").status_code == detail


def test_anonymous_visitors_are_asked_to_sign_in(client, request_):
    for path in ("/nap/assistance/", "/nap/assistance/new/", f"/nap/assistance/{request_.pk}/"):
        response = client.get(path)
        assert response.status_code == 302 and response.url.startswith("/accounts/login/")


def test_the_secretariat_filters_by_state_a_page_at_a_time(client, reviewer, team_lead, agency):
    for number in range(23):
        assistance.do_request_assistance(team_lead, {**ASK, "description": f"Need {number}."})
    done = AssistanceRequest.objects.get(description="Need 0.")
    assistance.do_decline_assistance(reviewer, done, "Covered by the GEF project.")
    client.force_login(reviewer)
    first = client.get("/nap/assistance/?state=requested").content.decode()
    assert "Page 1 of 2 (22 results)" in first
    assert "Need 0." not in first
    declined = client.get("/nap/assistance/?state=declined").content.decode()
    assert "Need 0." in declined and "Need 1." not in declined


def test_assigning_experts_moves_the_request_and_tells_the_requester_and_experts(
    client, request_, reviewer, team_lead, expert, django_capture_on_commit_callbacks
):
    client.force_login(reviewer)
    url = f"/nap/assistance/{request_.pk}/"
    response = client.post(url + "assign/", {"experts": []})
    assert response.status_code == 400
    assert "Choose one or more experts of the catalogue" in response.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url + "assign/", {"experts": [str(expert.pk)], "note": "In May."})
    assert response.status_code == 302
    request_.refresh_from_db()
    assert (request_.state, list(request_.experts.all()), request_.assigned_by) == (
        "assigned",
        [expert],
        reviewer,
    )
    assert sorted(message.to[0] for message in mail.outbox) == [team_lead.email, EXPERT_EMAIL]
    assert "Kofi Mensah" in mail.outbox[0].body
    client.force_login(team_lead)
    page = client.get(url).content.decode()
    assert "Experts assigned" in page and "Kofi Mensah" in page and "In May." in page


def test_completion_and_decline_close_a_request_once(
    request_, reviewer, expert, django_capture_on_commit_callbacks
):
    assistance.do_assign_experts(reviewer, request_, [expert.pk])
    with django_capture_on_commit_callbacks(execute=True):
        item = assistance.do_complete_assistance(reviewer, request_, "Workshop held in Accra.")
    assert (item.state, item.note) == ("completed", "Workshop held in Accra.")
    assert item.closed_at is not None
    assert sorted(message.to[0] for message in mail.outbox) == [
        "grace.lead@epa.example",
        EXPERT_EMAIL,
    ]
    with pytest.raises(WorkflowError, match="completed already"):
        assistance.do_decline_assistance(reviewer, request_, "Too late.")


def test_a_decline_needs_a_note_beside_the_field(client, request_, reviewer):
    client.force_login(reviewer)
    response = client.post(f"/nap/assistance/{request_.pk}/decline/", {"note": ""})
    assert response.status_code == 400
    assert "Say why, for the country team" in response.content.decode()
    assert AssistanceRequest.objects.get().state == "requested"


def test_only_the_secretariat_answers(client, request_, team_lead, expert):
    with pytest.raises(PermissionDenied):
        assistance.do_assign_experts(team_lead, request_, [expert.pk])
    client.force_login(team_lead)
    assert client.post(f"/nap/assistance/{request_.pk}/complete/").status_code == 403
    assert AssistanceRequest.objects.get().state == "requested"


def test_a_mail_server_that_fails_does_not_lose_the_change(
    request_, reviewer, expert, settings, django_capture_on_commit_callbacks
):
    refusing_mail_server(settings)
    with django_capture_on_commit_callbacks(execute=True):
        assistance.do_assign_experts(reviewer, request_, [expert.pk])
    assert AssistanceRequest.objects.get().state == "assigned"
    assert [EXPERT_EMAIL] in QueuedEmail.objects.values_list("recipients", flat=True)
