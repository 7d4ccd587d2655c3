"""The needs a respondent declares in the WMA needs questionnaire become needs of the exchange
when their answer is approved and they consented: one per type of support, posted in their name
(or the approving manager's), linked to the submission, never twice."""

import pytest

from mercuryhub.exchange.models import Need, QuestionnaireNeed
from mercuryhub.forms import actions
from mercuryhub.review.models import ReviewState
from tests.forms.conftest import fill

pytestmark = pytest.mark.django_db

ANSWERS = {
    "stakeholder_type": "government",
    "organization": "Ghana EPA",
    "region": "africa",
    "country": "GHA",
    "waste_categories": "lamps dental-amalgam",
    "phases": "collection storage",
    "challenge_collection": "No collection points outside Accra.",
    "challenge_storage": "Broken lamps are kept in open drums.",
    "support_types": "technical-assistance funding",
    "needs_description": "We need a national take-back scheme for lamps and amalgam.",
    "consent_exchange": "yes",
}


def _submit(form, user=None, **changes):
    xml = fill(form.current_version.xml, {**ANSWERS, **changes})
    submission, _new = actions.do_receive_submission(form.project, xml, user=user)
    return submission


def _approve(reviewer, submission):
    return actions.do_review_submission(reviewer, submission, "approved")


def test_approving_a_consenting_answer_posts_one_need_per_type_of_support(
    reviewer, collector, needs_form
):
    submission = _submit(needs_form, user=collector)
    _approve(reviewer, submission)
    needs = {need.support_types.get().code: need for need in Need.objects.all()}
    assert set(needs) == {"technical-assistance", "funding"}
    funding = needs["funding"]
    assert funding.name == "Funding for mercury lamps and dental amalgam waste in Ghana"
    assert funding.owner == collector
    assert funding.country_id == "GHA"
    assert sorted(funding.waste_categories.values_list("code", flat=True)) == [
        "dental-amalgam",
        "lamps",
    ]
    assert sorted(funding.phases.values_list("code", flat=True)) == ["collection", "storage"]
    assert funding.funding_status.code == "seeking-funding"
    assert needs["technical-assistance"].funding_status.code == "no-funding"
    assert funding.description.startswith("We need a national take-back scheme")
    assert "- Storage (interim): Broken lamps are kept in open drums." in funding.description
    assert "Declared in the WMA needs questionnaire by Ghana EPA (government)" in (
        funding.description
    )
    # Posted as any need of its author: a newcomer's public need waits for the secretariat.
    assert funding.review_state == ReviewState.SUBMITTED
    links = QuestionnaireNeed.objects.filter(submission=submission)
    assert sorted(links.values_list("support_type", flat=True)) == [
        "funding",
        "technical-assistance",
    ]


def test_approving_again_posts_nothing_twice(reviewer, collector, needs_form):
    submission = _submit(needs_form, user=collector)
    _approve(reviewer, submission)
    actions.do_review_submission(reviewer, submission, "rejected", "Answered twice by mistake.")
    _approve(reviewer, submission)
    assert Need.objects.count() == 2


def test_approving_an_edit_posts_only_the_types_of_support_not_posted_yet(
    reviewer, collector, needs_form
):
    first = _submit(needs_form, user=collector)
    _approve(reviewer, first)
    xml = fill(
        needs_form.current_version.xml,
        {**ANSWERS, "support_types": "technical-assistance funding capacity-building"},
        deprecated_id=first.instance_id,
    )
    edit, _new = actions.do_receive_submission(needs_form.project, xml, user=collector)
    _approve(reviewer, edit)
    assert sorted(Need.objects.values_list("support_types__code", flat=True)) == [
        "capacity-building",
        "funding",
        "technical-assistance",
    ]


def test_without_consent_approving_posts_no_need(reviewer, collector, needs_form):
    _approve(reviewer, _submit(needs_form, user=collector, consent_exchange="no"))
    assert not Need.objects.exists()


def test_an_answer_from_a_device_is_posted_in_the_name_of_the_approving_manager(
    reviewer, needs_form
):
    submission = _submit(needs_form)
    _approve(reviewer, submission)
    need = Need.objects.first()
    assert need.owner == reviewer
    # A reviewer's need is published on submission.
    assert need.published


def test_rejecting_an_answer_posts_no_need(reviewer, collector, needs_form):
    actions.do_review_submission(
        reviewer, _submit(needs_form, user=collector), "rejected", "A test answer, not a need."
    )
    assert not Need.objects.exists()
