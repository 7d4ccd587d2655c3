"""The library's own writes: storing an uploaded file and reading its text into the search
index; the published validation criteria of case studies, loaded from their data file, and a
reviewer's judgement of a case study's version on each criterion. Drafts, submission and
validation of resources and case studies are the review layer's."""

import hashlib
import json
import logging
import shutil
import tempfile
import threading
import uuid
from contextlib import contextmanager
from pathlib import Path, PurePath

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.files import File
from django.db import connections, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from mercuryhub.lib.errors import InvalidInputError
from mercuryhub.lib.text import has_control_character
from mercuryhub.library.documents import EXTENSIONS, check_file
from mercuryhub.library.extraction import ExtractionError, extract_text
from mercuryhub.library.models import (
    CaseStudy,
    CriterionJudgement,
    DocumentFile,
    ValidationCriterion,
)
from mercuryhub.review import registry
from mercuryhub.review.errors import WorkflowError
from mercuryhub.review.indexing import do_index_entries
from mercuryhub.review.models import ReviewState
from mercuryhub.review.queries import can_review, require

logger = logging.getLogger(__name__)

Extraction = DocumentFile.Extraction
# The kinds of entry that may hold an uploaded file (their field ``document``).
KINDS_WITH_DOCUMENTS = ("resource", "case_study")


# The note a judgement of a case study against a criterion rests on.
JUDGEMENT_NOTE_MAX_LENGTH = 2000


def do_upload_document(user, uploaded_file) -> DocumentFile:
    """Check an uploaded file from its content, store it and, when it is small, read its text
    at once; a larger one is read in the background once the transaction commits. A refused
    file raises InvalidInputError on ``file`` and nothing of it is kept."""
    if not (user is not None and user.is_authenticated and user.is_active):
        raise PermissionDenied("Sign in to upload files")
    name = _readable_name(uploaded_file.name or "")
    checked = check_file(uploaded_file, name=name, size=uploaded_file.size)
    document = DocumentFile(
        original_name=name,
        file_type=checked.file_type,
        size=uploaded_file.size,
        sha256=_sha256(uploaded_file),
        page_count=checked.page_count,
        uploaded_by=user,
    )
    inline = _read_at_once(document)
    if inline:
        try:
            document.text = extract_text(uploaded_file, checked.file_type)
        except ExtractionError as error:
            raise InvalidInputError(
                {"file": _("This document cannot be read (%(reason)s).") % {"reason": error}}
            ) from None
        document.extraction, document.progress = Extraction.DONE, 100
    stored_name = f"{uuid.uuid4().hex}{EXTENSIONS[checked.file_type]}"
    document.file.save(stored_name, File(uploaded_file), save=False)
    try:
        with transaction.atomic():
            document.save()
            if not inline:
                transaction.on_commit(lambda: start_background_extraction(document.pk))
    except BaseException:
        document.file.delete(save=False)
        raise
    return document


def do_discard_document(document: DocumentFile) -> None:
    """Forget a file uploaded with an entry that was then not saved: its row, when no entry
    refers to it, and its stored copy."""
    with transaction.atomic():
        referred = any(
            registry.get(name).model.objects.filter(document_id=document.pk).exists()
            for name in KINDS_WITH_DOCUMENTS
        )
        if referred:
            return
        DocumentFile.objects.filter(pk=document.pk, file=document.file.name).delete()
    document.file.storage.delete(document.file.name)


def _readable_name(name: str) -> str:
    """The name the file had on its sender's computer, without folders or control
    characters; never used to store it."""
    base = PurePath(name.replace("\\", "/")).name.strip()
    if has_control_character(base):
        base = "".join(c for c in base if c.isprintable())
    return base[:255] or "document"


def _sha256(uploaded_file) -> str:
    digest = hashlib.sha256()
    uploaded_file.seek(0)
    while chunk := uploaded_file.read(1024 * 1024):
        digest.update(chunk)
    uploaded_file.seek(0)
    return digest.hexdigest()


def _read_at_once(document: DocumentFile) -> bool:
    return (
        document.size <= settings.LIBRARY_INLINE_EXTRACTION_MAX_BYTES
        and (document.page_count or 0) <= settings.LIBRARY_INLINE_EXTRACTION_MAX_PAGES
    )


# Reading the text ---------------------------------------------------------------------------


def start_background_extraction(document_id: int) -> threading.Thread:
    """Read a document's text in a thread of this process, so that the page that uploaded it
    answers at once; the document's ``progress`` says how far it is."""
    thread = threading.Thread(
        target=_extract_in_thread,
        args=(document_id,),
        name=f"library-extraction-{document_id}",
        daemon=True,
    )
    thread.start()
    return thread


def _extract_in_thread(document_id: int) -> None:
    try:
        do_extract_document(document_id)
    except Exception as error:  # noqa: BLE001 - the reason is shown on the document
        logger.exception("Reading document %s failed", document_id)
        DocumentFile.objects.filter(pk=document_id).update(
            extraction=Extraction.FAILED, extraction_error=str(error)[:500]
        )
    finally:
        connections.close_all()


def do_extract_document(document_id: int) -> DocumentFile:
    """Read the text of a stored document, reporting progress, then reindex the resources and
    case studies that hold it so that search finds the words inside it."""
    document = DocumentFile.objects.get(pk=document_id)
    rows = DocumentFile.objects.filter(pk=document_id)
    rows.update(extraction=Extraction.RUNNING, progress=0, extraction_error="")
    shown = [0]

    def progress(done: int, total: int) -> None:
        percent = min(99, done * 100 // max(total, 1))
        if percent >= shown[0] + 5:
            shown[0] = percent
            rows.update(progress=percent)

    try:
        with _seekable(document) as stream:
            text = extract_text(stream, document.file_type, progress)
    except (ExtractionError, OSError) as error:
        rows.update(extraction=Extraction.FAILED, progress=0, extraction_error=str(error)[:500])
        return DocumentFile.objects.get(pk=document_id)
    with transaction.atomic():
        rows.update(text=text, extraction=Extraction.DONE, progress=100, extraction_error="")
        document = DocumentFile.objects.get(pk=document_id)
        _reindex_entries_holding(document)
    return document


@contextmanager
def _seekable(document: DocumentFile):
    """The stored file, copied to a temporary file when its storage cannot seek (object
    storage); the readers jump about in a document."""
    with document.file.storage.open(document.file.name, "rb") as stream:
        if stream.seekable():
            yield stream
            return
        with tempfile.TemporaryFile() as copy:
            shutil.copyfileobj(stream, copy)
            copy.seek(0)
            yield copy


def _reindex_entries_holding(document: DocumentFile) -> None:
    for name in KINDS_WITH_DOCUMENTS:
        kind = registry.get(name)
        entries = (
            kind.model.objects.filter(document=document)
            .select_related(*kind.select_related)
            .prefetch_related(*kind.prefetch_related)
        )
        do_index_entries(kind, entries)


def do_extract_waiting_documents(progress=None) -> int:
    """Read the documents left waiting or half-read (the process reading them stopped): for
    ``mercuryhub extract_documents``."""
    waiting = DocumentFile.objects.filter(
        extraction__in=[Extraction.PENDING, Extraction.RUNNING]
    ).values_list("pk", flat=True)
    count = 0
    for document_id in list(waiting):
        do_extract_document(document_id)
        count += 1
        if progress:
            progress(count)
    return count


# Validation criteria of case studies ---------------------------------------------------------


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
    if len(note) > JUDGEMENT_NOTE_MAX_LENGTH:
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
