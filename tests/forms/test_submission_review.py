"""Approving a submission tells the apps that registered for its form (the exchange and the
ASGM app will); rejecting one does not."""

import pytest
from django.core.exceptions import PermissionDenied

from mercuryhub.forms import actions, registry
from mercuryhub.forms.models import Submission
from tests.forms.conftest import KAMITUGA, fill

pytestmark = pytest.mark.django_db


@pytest.fixture
def heard(monkeypatch):
    monkeypatch.setattr(registry, "_HANDLERS", [])
    heard = []
    registry.on_submission_approved("asgm_", heard.append)
    registry.on_submission_approved("wma_needs", lambda s: heard.append(("needs", s)))
    return heard


def _received(project, baseline, app_user):
    xml = fill(baseline.current_version.xml, KAMITUGA)
    return actions.do_receive_submission(project, xml, app_user=app_user)[0]


def test_an_approval_reaches_the_handlers_of_its_form(heard, project, baseline, app_user, reviewer):
    submission = _received(project, baseline, app_user)

    actions.do_review_submission(reviewer, submission, Submission.ReviewState.APPROVED, "Checked")

    assert heard == [submission]
    submission.refresh_from_db()
    assert (submission.review_state, submission.reviewed_by) == ("approved", reviewer)


def test_a_rejection_reaches_no_handler(heard, project, baseline, app_user, reviewer):
    submission = _received(project, baseline, app_user)

    actions.do_review_submission(reviewer, submission, Submission.ReviewState.REJECTED, "Blurred")

    assert heard == []


def test_only_managers_review(heard, project, baseline, app_user, collector, viewer):
    submission = _received(project, baseline, app_user)

    for person in (collector, viewer):
        with pytest.raises(PermissionDenied):
            actions.do_review_submission(person, submission, Submission.ReviewState.APPROVED)
    assert heard == []
