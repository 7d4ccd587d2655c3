"""What a reviewer does before validating a case study, for the tests that go through review
with every kind: judge the version under review on every published criterion."""

from mercuryhub.library.actions import do_judge_criterion
from mercuryhub.library.queries import active_criteria
from mercuryhub.review import actions


def judge_every_criterion(reviewer, case_study, judgement="met", note=""):
    for criterion in active_criteria():
        do_judge_criterion(reviewer, case_study, criterion.code, judgement, note)


def validate(kind_name, reviewer, entry):
    """The review layer's validation, after judging a case study on every criterion. A need of
    an editor of an organization, and a National Action Plan (published by its country team),
    were validated on submission already: they are returned as they are."""
    if kind_name in {"need", "nap"}:
        entry = type(entry).objects.get(pk=entry.pk)
        if entry.review_state == "validated" and entry.published_version == entry.version:
            return entry
    if kind_name == "case_study":
        judge_every_criterion(reviewer, entry)
    return actions.do_validate_entry(kind_name, reviewer, entry)
