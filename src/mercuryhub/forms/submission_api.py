"""A form's submissions in the API: the list (paginated, filtered by review state, sender and
days received), one submission with its answers, files and history, and a manager's review."""

from datetime import date, datetime

from ninja import Router, Schema
from ninja.pagination import paginate

from mercuryhub.accounts.auth import request_user, token_auth
from mercuryhub.forms import actions, queries
from mercuryhub.forms.models import Submission
from mercuryhub.lib.api import ERROR_RESPONSES, ErrorBody, Pagination, limit_texts

router = Router(tags=["forms"])
_SUBMISSIONS = "/projects/{slug}/forms/{xml_form_id}/submissions"


class SubmitterOut(Schema):
    kind: str  # "person", "app_user" or "" when unknown
    name: str


class SubmissionOut(Schema):
    instance_id: str
    form_version: str
    received_at: datetime
    submitted_by: SubmitterOut
    device_id: str
    review_state: str
    review_comment: str
    reviewed_at: datetime | None
    current: bool
    deprecated_by: str | None
    data: dict[str, str]


class SubmissionDetailOut(SubmissionOut):
    attachments: list[str]
    history: list[str]


class ReviewIn(Schema):
    state: str
    comment: str = ""


limit_texts(ReviewIn, Submission)


def _submitter(submission) -> dict:
    if submission.submitted_by_app_user_id:
        return {"kind": "app_user", "name": submission.submitted_by_app_user.display_name}
    if submission.submitted_by_user_id:
        return {"kind": "person", "name": submission.submitted_by_user.email}
    return {"kind": "", "name": ""}


def _submission_out(submission) -> dict:
    return {
        "instance_id": submission.instance_id,
        "form_version": submission.form_version.version,
        "received_at": submission.received_at,
        "submitted_by": _submitter(submission),
        "device_id": submission.device_id,
        "review_state": submission.review_state,
        "review_comment": submission.review_comment,
        "reviewed_at": submission.reviewed_at,
        "current": submission.current,
        "deprecated_by": submission.deprecated_by.instance_id if submission.deprecated_by else None,
        "data": submission.data,
    }


def _detail_out(submission) -> dict:
    return {
        **_submission_out(submission),
        "attachments": [attachment.name for attachment in submission.attachments.all()],
        "history": [older.instance_id for older in queries.submission_history(submission)],
    }


@router.get(
    _SUBMISSIONS,
    response={200: list[SubmissionOut], **ERROR_RESPONSES},
    summary="List a form's submissions (current versions; a data collector's own)",
)
@paginate(Pagination)
def list_form_submissions(
    request,
    slug: str,
    xml_form_id: str,
    review_state: str = "",
    submitted_by: str = "",
    received_from: date | None = None,
    received_to: date | None = None,
):
    """``submitted_by`` is ``user:<id>`` or ``app:<id>``; the dates include both days."""
    user = request_user(request)
    form = queries.get_form_for_user(user, slug, xml_form_id)
    submissions = queries.filter_submissions(
        queries.submissions_visible_to(user, form).select_related("form_version", "deprecated_by"),
        review_state=review_state,
        submitted_by=submitted_by,
        received_from=received_from,
        received_to=received_to,
    )
    return [_submission_out(submission) for submission in submissions]


@router.get(
    _SUBMISSIONS + "/{instance_id}",
    response={200: SubmissionDetailOut, **ERROR_RESPONSES},
    summary="One submission, with its files and the versions an edit replaced",
)
def get_form_submission(request, slug: str, xml_form_id: str, instance_id: str):
    user = request_user(request)
    form = queries.get_form_for_user(user, slug, xml_form_id)
    return _detail_out(queries.get_submission_for_user(user, form, instance_id))


@router.post(
    _SUBMISSIONS + "/{instance_id}/review",
    response={200: SubmissionDetailOut, **ERROR_RESPONSES, 409: ErrorBody},
    summary="Approve or reject a submission (the project's managers; a rejection says why)",
    auth=token_auth,
)
def submit_submission_review(
    request, slug: str, xml_form_id: str, instance_id: str, payload: ReviewIn
):
    form = queries.get_form_for_user(request.auth, slug, xml_form_id, manage=True)
    submission = queries.get_submission_for_user(request.auth, form, instance_id)
    actions.do_review_submission(request.auth, submission, payload.state, payload.comment)
    return _detail_out(submission)
