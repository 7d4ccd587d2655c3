"""Peer review of National Action Plans through the API: the rounds (the country team opens and
closes them, invites reviewers), the comments anchored to sections (invited reviewers and the
secretariat write them, the team resolves or reopens them). Token authentication; the same
permissions as the web: anyone who may not read the plan's drafts gets 404."""

from datetime import date, datetime
from typing import Literal

from ninja import Field, Router, Schema, Status
from pydantic import ConfigDict

from mercuryhub.accounts.auth import token_auth
from mercuryhub.lib.api import ERROR_RESPONSES, ErrorBody, limit_texts
from mercuryhub.nap import peer_review, queries
from mercuryhub.nap.models import ReviewComment, ReviewInvitation, ReviewRound
from mercuryhub.review.errors import WorkflowError

router = Router(tags=["National Action Plans: peer review"])
RESPONSES = {**ERROR_RESPONSES, 409: ErrorBody}


class RoundIn(Schema):
    model_config = ConfigDict(extra="forbid")

    due_on: date | None = Field(None, description="When comments are due")


class RoundCloseIn(Schema):
    model_config = ConfigDict(extra="forbid")

    summary: str = Field(description="The summary of the review")


class RoundOut(Schema):
    number: int
    version: int = Field(description="The version of the plan the reviewers read")
    opened_at: datetime
    due_on: date | None
    closed_at: datetime | None
    summary: str
    open_comments: int
    resolved_comments: int


class InvitationIn(Schema):
    model_config = ConfigDict(extra="forbid")

    expert: int | None = Field(None, description="The id of a published expert of the catalogue")
    email: str = Field("", description="Or the e-mail address of anyone else")


class InvitationOut(Schema):
    id: int
    round: int
    email: str
    expert: int | None
    invited_at: datetime


class CommentIn(Schema):
    model_config = ConfigDict(extra="forbid")

    section: str = Field(
        description="The section's code: introduction, overview, a … k, additional"
    )
    text: str


class CommentUpdate(Schema):
    model_config = ConfigDict(extra="forbid")

    state: Literal["open", "resolved"]
    resolution: str = Field("", description="How it was resolved (required to resolve)")


for _schema, _model in (
    (RoundCloseIn, ReviewRound),
    (InvitationIn, ReviewInvitation),
    (CommentIn, ReviewComment),
    (CommentUpdate, ReviewComment),
):
    limit_texts(_schema, _model)


class CommentOut(Schema):
    id: int
    round: int
    section: str
    author: str | None
    text: str
    state: str = Field(description="open or resolved")
    created_at: datetime
    resolution: str
    resolved_at: datetime | None


def _round_out(round_: ReviewRound) -> dict:
    return {
        "number": round_.number,
        "version": round_.version,
        "opened_at": round_.opened_at,
        "due_on": round_.due_on,
        "closed_at": round_.closed_at,
        "summary": round_.summary,
        "open_comments": getattr(round_, "open_comments", 0),
        "resolved_comments": getattr(round_, "resolved_comments", 0),
    }


def _comment_out(comment: ReviewComment) -> dict:
    return {
        "id": comment.pk,
        "round": comment.round.number,
        "section": comment.section,
        "author": comment.author.name if comment.author else None,
        "text": comment.text,
        "state": comment.state,
        "created_at": comment.created_at,
        "resolution": comment.resolution,
        "resolved_at": comment.resolved_at,
    }


def _plan(request, plan_id: int):
    return queries.get_plan_under_review_for_user(request.auth, plan_id)


@router.get(
    "/naps/{plan_id}/review-rounds",
    response={200: list[RoundOut], **RESPONSES},
    summary="The review rounds of a plan (its team, the secretariat, its invited reviewers)",
    auth=token_auth,
)
def list_nap_review_rounds(request, plan_id: int):
    return [_round_out(round_) for round_ in queries.review_rounds_of(_plan(request, plan_id))]


@router.post(
    "/naps/{plan_id}/review-rounds",
    response={201: RoundOut, **RESPONSES},
    summary="Open a review round on the plan's latest version (its country team)",
    auth=token_auth,
)
def create_nap_review_round(request, plan_id: int, payload: RoundIn):
    round_ = peer_review.do_open_review_round(
        request.auth, _plan(request, plan_id), due_on=payload.due_on
    )
    return Status(201, _round_out(round_))


@router.post(
    "/naps/{plan_id}/review-rounds/{number}/close",
    response={200: RoundOut, **RESPONSES},
    summary="Close a review round with its summary (the plan's country team)",
    auth=token_auth,
)
def close_nap_review_round(request, plan_id: int, number: int, payload: RoundCloseIn):
    round_ = queries.get_review_round(_plan(request, plan_id), number)
    return _round_out(peer_review.do_close_review_round(request.auth, round_, payload.summary))


@router.post(
    "/naps/{plan_id}/review-rounds/{number}/invitations",
    response={201: InvitationOut, **RESPONSES},
    summary="Invite a reviewer: an expert of the catalogue or an e-mail address (the team)",
    auth=token_auth,
)
def create_nap_review_invitation(request, plan_id: int, number: int, payload: InvitationIn):
    round_ = queries.get_review_round(_plan(request, plan_id), number)
    invitation = peer_review.do_invite_reviewer(
        request.auth, round_, expert_id=payload.expert, email=payload.email
    )
    return Status(
        201,
        {
            "id": invitation.pk,
            "round": round_.number,
            "email": invitation.email,
            "expert": invitation.expert_id,
            "invited_at": invitation.invited_at,
        },
    )


@router.get(
    "/naps/{plan_id}/comments",
    response={200: list[CommentOut], **RESPONSES},
    summary="The review comments on a plan, of every round",
    auth=token_auth,
)
def list_nap_comments(request, plan_id: int, section: str | None = None):
    comments = queries.review_comments_of(_plan(request, plan_id))
    if section:
        comments = comments.filter(section=section)
    return [_comment_out(comment) for comment in comments]


@router.post(
    "/naps/{plan_id}/comments",
    response={201: CommentOut, **RESPONSES},
    summary="Comment on a section in the open round (invited reviewers, the secretariat)",
    auth=token_auth,
)
def create_nap_comment(request, plan_id: int, payload: CommentIn):
    plan = _plan(request, plan_id)
    round_ = queries.open_review_round(plan)
    if round_ is None:
        raise WorkflowError("No review round is open")
    comment = peer_review.do_comment_on_section(request.auth, round_, payload.section, payload.text)
    return Status(201, _comment_out(comment))


@router.patch(
    "/naps/{plan_id}/comments/{comment_id}",
    response={200: CommentOut, **RESPONSES},
    summary="Resolve a comment with a note, or reopen it (the plan's country team)",
    auth=token_auth,
)
def update_nap_comment(request, plan_id: int, comment_id: int, payload: CommentUpdate):
    comment = queries.get_review_comment(_plan(request, plan_id), comment_id)
    if payload.state == "resolved":
        comment = peer_review.do_resolve_comment(request.auth, comment, payload.resolution)
    else:
        comment = peer_review.do_reopen_comment(request.auth, comment)
    return _comment_out(comment)
