"""Peer review of a plan's draft, persona by persona: the country team opens a round and invites
an expert of the catalogue (e-mailed a link); the invited expert and the secretariat comment on
sections; the team resolves and reopens; the round closes with a summary; nobody else sees a
comment."""

import datetime

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from mercuryhub.accounts.models import QueuedEmail
from mercuryhub.lib.errors import InvalidInputError
from mercuryhub.nap import actions, peer_review
from mercuryhub.nap.models import ReviewComment, ReviewInvitation
from mercuryhub.review.errors import WorkflowError
from tests.conftest import make_user
from tests.nap.review_people import EXPERT_EMAIL, published_expert, refusing_mail_server

REVIEW = "/nap/plans/{}/review/"


@pytest.fixture
def expert(reviewer):
    return published_expert(reviewer)


@pytest.fixture
def invited(expert):
    from mercuryhub.accounts.models import User

    return User.objects.get(email=EXPERT_EMAIL)


@pytest.fixture
def round_(plan, team_lead, expert, invited, django_capture_on_commit_callbacks):
    round_ = peer_review.do_open_review_round(team_lead, plan)
    with django_capture_on_commit_callbacks(execute=True):
        peer_review.do_invite_reviewer(team_lead, round_, expert_id=expert.pk)
    return round_


def test_the_team_opens_a_round_on_the_latest_version_one_at_a_time(plan, team_lead):
    plan = actions.do_save_section(team_lead, plan, "f", "Health strategy.", base_version=1)
    due = timezone.localdate() + datetime.timedelta(days=30)
    round_ = peer_review.do_open_review_round(team_lead, plan, due_on=due)
    assert (round_.number, round_.version, round_.due_on) == (1, 2, due)
    with pytest.raises(WorkflowError, match="Review round 1 is still open"):
        peer_review.do_open_review_round(team_lead, plan)
    peer_review.do_close_review_round(team_lead, round_, "Two rounds will do.")
    assert peer_review.do_open_review_round(team_lead, plan).number == 2


def test_only_the_team_opens_a_round(plan, reviewer, outsider, team_member):
    for person in (reviewer, outsider, team_member):
        with pytest.raises(PermissionDenied):
            peer_review.do_open_review_round(person, plan)


def test_an_expert_is_invited_at_the_experts_address_and_emailed_a_link(round_, plan, expert):
    invitation = ReviewInvitation.objects.get()
    assert (invitation.email, invitation.expert, invitation.round) == (EXPERT_EMAIL, expert, round_)
    [message] = mail.outbox
    assert message.to == [EXPERT_EMAIL]
    assert "Ghana ASGM National Action Plan" in message.subject
    assert f"/nap/plans/{plan.pk}/review/" in message.body


def test_a_platform_user_is_invited_by_address_once(
    plan, team_lead, outsider, django_capture_on_commit_callbacks
):
    round_ = peer_review.do_open_review_round(team_lead, plan)
    with django_capture_on_commit_callbacks(execute=True):
        invitation = peer_review.do_invite_reviewer(team_lead, round_, email=outsider.email)
    assert invitation.reviewer == outsider
    assert mail.outbox[0].to == [outsider.email]
    with pytest.raises(InvalidInputError, match="already invited"):
        peer_review.do_invite_reviewer(team_lead, round_, email=outsider.email.upper())
    with pytest.raises(InvalidInputError, match="not an e-mail address"):
        peer_review.do_invite_reviewer(team_lead, round_, email="nobody")


def test_an_unpublished_expert_cannot_be_invited(plan, team_lead, reviewer):
    from mercuryhub.review import actions as review_actions

    author = make_user("ama.draft@asgm.example")
    data = {"name": "Ama", "email": "ama@x.example", "country": "GHA"}
    draft = review_actions.do_create_draft(
        "expert", author, {**data, "consent_to_publication": True}
    )
    round_ = peer_review.do_open_review_round(team_lead, plan)
    with pytest.raises(InvalidInputError, match="Choose an expert of the catalogue"):
        peer_review.do_invite_reviewer(team_lead, round_, expert_id=draft.pk)


def test_a_mail_server_that_fails_does_not_lose_the_invitation(
    plan, team_lead, expert, settings, django_capture_on_commit_callbacks
):
    refusing_mail_server(settings)
    round_ = peer_review.do_open_review_round(team_lead, plan)
    with django_capture_on_commit_callbacks(execute=True):
        peer_review.do_invite_reviewer(team_lead, round_, expert_id=expert.pk)
    assert ReviewInvitation.objects.filter(round=round_, email=EXPERT_EMAIL).exists()
    assert [EXPERT_EMAIL] in QueuedEmail.objects.values_list("recipients", flat=True)


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("team_lead", 200),
        ("invited", 200),
        ("reviewer", 200),
        ("team_member", 404),
        ("outsider", 404),
        ("anonymous", 302),
    ],
)
def test_the_review_page_and_its_comments_reach_only_those_who_read_drafts(
    request, client, round_, plan, invited, team_lead, persona, status
):
    peer_review.do_comment_on_section(invited, round_, "f", "Secret remark on health.")
    actions.do_publish_plan(team_lead, plan)  # published: the comments stay private
    if persona != "anonymous":
        client.force_login(request.getfixturevalue(persona))
    for path in (REVIEW.format(plan.pk), f"{REVIEW.format(plan.pk)}rounds/1/"):
        response = client.get(path)
        assert response.status_code == status, path
        assert ("Secret remark on health." in response.content.decode()) == (status == 200)


def test_an_invited_expert_comments_on_a_section_and_sees_it_beside_that_section(
    client, round_, plan, invited
):
    client.force_login(invited)
    page = client.get(REVIEW.format(plan.pk)).content.decode()
    assert 'id="comment-text-f"' in page
    response = client.post(
        f"{REVIEW.format(plan.pk)}comments/", {"section": "f", "text": "Add the clinics."}
    )
    assert response.status_code == 302
    assert response.url.endswith("#section-f")
    page = client.get(REVIEW.format(plan.pk)).content.decode()
    section_f = page[page.index('id="section-f"') : page.index('id="section-g"')]
    assert "Add the clinics." in section_f
    assert ReviewComment.objects.get().section == "f"


def test_a_comment_without_text_or_on_an_unknown_section_is_refused_beside_the_field(
    client, round_, plan, invited
):
    client.force_login(invited)
    response = client.post(f"{REVIEW.format(plan.pk)}comments/", {"section": "f", "text": " "})
    assert response.status_code == 400
    assert "Write the comment before sending it" in response.content.decode()
    with pytest.raises(InvalidInputError, match="Unknown section"):
        peer_review.do_comment_on_section(invited, round_, "z", "Elsewhere.")
    assert ReviewComment.objects.count() == 0


def test_the_secretariat_comments_and_others_cannot(round_, reviewer, team_lead, outsider):
    assert peer_review.do_comment_on_section(reviewer, round_, "a", "Targets?").author == reviewer
    for person in (team_lead, outsider):
        with pytest.raises(PermissionDenied):
            peer_review.do_comment_on_section(person, round_, "a", "Mine.")


def test_the_team_resolves_with_a_note_and_reopens(client, round_, plan, invited, team_lead):
    comment = peer_review.do_comment_on_section(invited, round_, "b", "Name the districts.")
    client.force_login(team_lead)
    url = f"{REVIEW.format(plan.pk)}comments/{comment.pk}/"
    response = client.post(url + "resolve/", {"resolution": ""})
    assert response.status_code == 400
    assert "Say how the comment was resolved" in response.content.decode()
    assert client.post(url + "resolve/", {"resolution": "Districts named."}).status_code == 302
    comment.refresh_from_db()
    assert (comment.state, comment.resolution, comment.resolved_by) == (
        "resolved",
        "Districts named.",
        team_lead,
    )
    page = client.get(REVIEW.format(plan.pk)).content.decode()
    assert "Districts named." in page
    assert client.post(url + "reopen/").status_code == 302
    comment.refresh_from_db()
    assert (comment.state, comment.resolved_at) == ("open", None)


def test_an_invited_reviewer_does_not_resolve(client, round_, plan, invited):
    comment = peer_review.do_comment_on_section(invited, round_, "b", "Name the districts.")
    client.force_login(invited)
    url = f"{REVIEW.format(plan.pk)}comments/{comment.pk}/resolve/"
    assert client.post(url, {"resolution": "Mine."}).status_code == 403
    assert ReviewComment.objects.get().state == "open"


def test_the_round_summary_counts_comments_by_section_and_state(
    client, round_, plan, invited, reviewer, team_lead
):
    first = peer_review.do_comment_on_section(invited, round_, "b", "Name the districts.")
    peer_review.do_comment_on_section(invited, round_, "b", "And the sites.")
    peer_review.do_comment_on_section(reviewer, round_, "f", "Health budget?")
    peer_review.do_resolve_comment(team_lead, first, "Districts named.")
    peer_review.do_close_review_round(team_lead, round_, "Good draft; health to be costed.")
    with pytest.raises(WorkflowError, match="closed"):
        peer_review.do_comment_on_section(invited, round_, "b", "Late.")
    client.force_login(invited)
    page = client.get(f"{REVIEW.format(plan.pk)}rounds/1/").content.decode()
    assert "Good draft; health to be costed." in page
    rows = page[page.index("<tbody>") : page.index("</tfoot>")]
    assert "<td>1</td><td>1</td>" in rows  # (b): one open, one resolved
    assert "<td>1</td><td>0</td>" in rows  # (f): one open
    assert "All sections</th><td>2</td><td>1</td>" in rows
    assert client.get(f"{REVIEW.format(plan.pk)}rounds/2/").status_code == 404


def test_the_team_opens_invites_and_closes_from_the_page(
    client, plan, team_lead, expert, django_capture_on_commit_callbacks
):
    client.force_login(team_lead)
    base = REVIEW.format(plan.pk)
    assert client.post(base + "rounds/", {"due_on": "2001-01-01"}).status_code == 400
    assert client.post(base + "rounds/", {"due_on": ""}).status_code == 302
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(base + "rounds/1/invitations/", {"expert": str(expert.pk)})
    assert response.status_code == 302
    assert [message.to for message in mail.outbox] == [[EXPERT_EMAIL]]
    page = client.get(base).content.decode()
    assert "Kofi Mensah" in page
    response = client.post(base + "rounds/1/close/", {"summary": ""})
    assert "Summarize the review before closing the round" in response.content.decode()
    assert client.post(base + "rounds/1/close/", {"summary": "Done."}).status_code == 302
    assert "No review round is open." in client.get(base).content.decode()


def test_an_unverified_address_matching_an_invitation_opens_nothing(plan, team_lead):
    from mercuryhub.nap import peer_review, queries
    from tests.conftest import make_user

    round_ = peer_review.do_open_review_round(team_lead, plan)
    peer_review.do_invite_reviewer(team_lead, round_, email="ama.expert@health.example")
    impostor = make_user("ama.expert@health.example", verified=False)
    assert not queries.is_invited_reviewer(impostor, plan)
    impostor.emailaddress_set.create(email="ama.expert@health.example", verified=True)
    assert queries.is_invited_reviewer(impostor, plan)
