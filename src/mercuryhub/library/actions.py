"""The library's own writes: the published validation criteria of case studies, loaded from
their data file, and a reviewer's judgement of a case study's version on each criterion.
Drafts, submission and validation of the library's entries are the review layer's."""

import json
from pathlib import Path

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from mercuryhub.lib.errors import InvalidInputError
from mercuryhub.library.models import CaseStudy, CriterionJudgement, ValidationCriterion
from mercuryhub.review.errors import WorkflowError
from mercuryhub.review.models import ReviewState
from mercuryhub.review.queries import can_review, require

CRITERIA_FILE = Path(__file__).resolve().parent / "data" / "case_study_criteria.json"
# The languages a criterion's label and description are given in, besides English.
CRITERIA_LANGUAGES = ("fr", "es", "ru", "zh-hans", "ar")


def read_criteria(path: Path = CRITERIA_FILE) -> list[dict]:
    """The criteria of the data file, checked: a code, an English label and description, and
    both in every other language of the interface."""
    criteria = json.loads(path.read_text(encoding="utf-8"))["criteria"]
    codes = set()
    for number, criterion in enumerate(criteria, start=1):
        code = criterion.get("code") or f"#{number}"
        if code in codes:
            raise ValueError(f"{path.name}: the criterion {code} is given twice")
        codes.add(code)
        for name in ("code", "label", "description"):
            if not criterion.get(name):
                raise ValueError(f"{path.name}: the criterion {code} has no {name}")
        for language in CRITERIA_LANGUAGES:
            text = criterion.get("translations", {}).get(language, {})
            if not (text.get("label") and text.get("description")):
                raise ValueError(
                    f"{path.name}: the criterion {code} has no label or description in {language}"
                )
    return criteria


def do_load_validation_criteria(
    model=ValidationCriterion, *, using: str = "default", path: Path = CRITERIA_FILE
) -> int:
    """Create or update the criteria from the data file, in its order; those no longer in it
    become inactive (their judgements stay). Idempotent. ``model`` is the migration state's
    model when called after a migrate. Returns the number of active criteria."""
    criteria = read_criteria(path)
    stored = model.objects.using(using)
    with transaction.atomic(using=using):
        for position, criterion in enumerate(criteria):
            stored.update_or_create(
                code=criterion["code"],
                defaults={
                    "label": criterion["label"],
                    "description": criterion["description"],
                    "translations": criterion["translations"],
                    "position": position,
                    "active": True,
                },
            )
        codes = [criterion["code"] for criterion in criteria]
        stored.exclude(code__in=codes).update(active=False)
    return len(criteria)


@transaction.atomic
def do_judge_criterion(
    reviewer, case_study: CaseStudy, criterion_code: str, judgement: str, note: str = ""
) -> CriterionJudgement:
    """Record (or change) the reviewer's judgement of the case study's current version on one
    criterion. A judgement belongs to the version judged: a later version is judged afresh."""
    require(can_review(reviewer), "Only reviewers of the secretariat can judge case studies")
    case_study = CaseStudy.objects.select_for_update().get(pk=case_study.pk)
    if case_study.review_state != ReviewState.SUBMITTED:
        raise WorkflowError(_("Only a case study waiting for review can be judged"))
    criterion = ValidationCriterion.objects.filter(code=criterion_code, active=True).first()
    errors = {}
    if criterion is None:
        errors["criterion"] = _("Choose one of the published criteria.")
    if judgement not in CriterionJudgement.Judgement.values:
        errors["judgement"] = _("Choose met, not met or not applicable.")
    note = (note or "").strip()
    if len(note) > 2000:
        errors["note"] = _("Keep the note under 2,000 characters.")
    if errors:
        raise InvalidInputError(errors)
    found, _created = CriterionJudgement.objects.update_or_create(
        case_study=case_study,
        criterion=criterion,
        version=case_study.version,
        defaults={
            "judgement": judgement,
            "note": note,
            "judged_by": reviewer,
            "judged_at": timezone.now(),
        },
    )
    return found


def do_copy_judgements(case_study: CaseStudy, from_version: int) -> int:
    """A reverted case study's new version holds the content of ``from_version``: the
    judgements of that version hold for it too, as the reviewer made them. Returns how many."""
    judgements = CriterionJudgement.objects.filter(case_study=case_study, version=from_version)
    copies = [
        CriterionJudgement(
            case_study=case_study,
            criterion_id=judgement.criterion_id,
            version=case_study.version,
            judgement=judgement.judgement,
            note=judgement.note,
            judged_by_id=judgement.judged_by_id,
            judged_at=judgement.judged_at,
        )
        for judgement in judgements
    ]
    CriterionJudgement.objects.bulk_create(copies, ignore_conflicts=True)
    return len(copies)
