"""Every write of the review layer, for every registered kind of entry: drafts, versioned edits,
submission, validation, return with reasons, revert, reconfirmation, deletion, and keeping the
search index in step. Each returns the entry as it now is."""

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from mercuryhub.accounts.models import User
from mercuryhub.accounts.queries import is_administrator
from mercuryhub.lib.bulk import insert_creation_history, insert_links, insert_rows
from mercuryhub.lib.errors import InvalidInputError
from mercuryhub.lib.history import attribute_change
from mercuryhub.review import registry
from mercuryhub.review.errors import ConflictError, WorkflowError
from mercuryhub.review.indexing import do_unindex_entries
from mercuryhub.review.models import (
    PUBLISHED_ON_SUBMISSION,
    EntryVersion,
    ReviewDecision,
    ReviewState,
)
from mercuryhub.review.queries import (
    can_edit_entry,
    can_review,
    diff,
    latest_data,
    require,
    version_data,
)


def _lock(entry):
    return type(entry).objects.select_for_update().get(pk=entry.pk)


def _fresh(entry):
    return type(entry).objects.get(pk=entry.pk)


def _record_version(kind, entry, data: dict, user, note: str) -> EntryVersion:
    entry.version += 1
    type(entry).objects.filter(pk=entry.pk).update(version=entry.version)
    return EntryVersion.objects.create(
        kind=kind.name,
        object_id=entry.pk,
        number=entry.version,
        data=kind.normalized(data),
        note=note,
        created_by=user if user and user.is_authenticated else None,
    )


def _fill_entry_row(entry, values: dict, user, state: dict):
    for name, value in values.items():
        setattr(entry, name, value)
    for name in ("review_state", "published", "last_confirmed_at"):
        if state.get(name) is not None:
            setattr(entry, name, state[name])
    attribute_change(entry, user)
    return entry


def do_write_entry_row(entry, values: dict, user=None, **state):
    """Write an entry's checked own values and the review state its kind's ``save`` was given
    (``review_state``, ``published``, ``last_confirmed_at``) onto its row, attributed to
    ``user`` in its history."""
    _fill_entry_row(entry, values, user, state)
    entry.save()
    return entry


def do_create_entry_rows(model, rows, user=None) -> list:
    """Create many entries at once, each from ``(values, relations, state)`` as
    ``do_write_entry_row`` then ``getattr(entry, name).set(related)`` for each relation would:
    the same rows, tag links and history (a record on creation, then one per tag field set,
    each with the tags linked so far), written as plain rows with reserved keys
    (``lib.bulk``) in a few statements instead of dozens per entry."""
    entries = [_fill_entry_row(model(), values, user, state) for values, _r, state in rows]
    written = insert_rows(model, entries, with_ids=True)
    links = insert_links(model, entries, [relations for _values, relations, _state in rows])
    if hasattr(model, "history"):  # some kinds' rows keep no history of their own
        insert_creation_history(model, entries, links, user, written)
    return entries


def do_record_version(entry, data: dict, user, note: str) -> EntryVersion:
    """Add a version holding ``data`` to an entry whose change another action of its kind made
    (an expert linked to an organization)."""
    kind = registry.kind_of(entry)
    _ensure_first_version(kind, entry, user)
    return _record_version(kind, entry, data, user, note)


def _ensure_first_version(kind, entry, user) -> None:
    """Entries that arrived by import have no version yet: record what is published first, so
    that every later change can be compared with it."""
    if entry.version == 0:
        _record_version(kind, entry, kind.serialize(entry), user, "as first published")
        if entry.published:
            entry.published_version = entry.version
            type(entry).objects.filter(pk=entry.pk).update(published_version=entry.version)


def _decide(kind, entry, action, user, reason=""):
    ReviewDecision.objects.create(
        kind=kind.name,
        object_id=entry.pk,
        version=entry.version,
        action=action,
        reason=reason,
        made_by=user if user and user.is_authenticated else None,
    )


@transaction.atomic
def do_create_draft(kind_name: str, user: User, data: dict):
    """A new entry, as a draft only its editors see."""
    require(user.is_authenticated, "Sign in to add entries")
    kind = registry.get(kind_name)
    checked = kind.clean(data)
    kind.prepare_draft(user, checked)
    entry = kind.save(checked, user=user, review_state=ReviewState.DRAFT, published=False)
    kind.after_draft(user, entry)
    _record_version(kind, entry, kind.serialize(entry), user, "created")
    return _fresh(entry)


@transaction.atomic
def do_edit_entry(kind_name: str, user: User, entry, changes: dict, *, base_version: int):
    """Change an entry. A published entry keeps showing its published version until a reviewer
    validates the new one. ``base_version`` is the version the editor started from: if someone
    saved since, ConflictError lists their changes and nothing is saved."""
    kind = registry.get(kind_name)
    entry = _lock(entry)
    require(can_edit_entry(user, entry), "Only the entry's editors can change it")
    _ensure_first_version(kind, entry, user)
    if base_version == 0 and entry.version == 1 and entry.published_version == 1:
        base_version = 1  # the editor started from the imported entry
    if base_version != entry.version:
        raise ConflictError(
            entry,
            base_version,
            diff(version_data(kind.name, entry, base_version), latest_data(kind.name, entry)),
        )
    current = latest_data(kind.name, entry)
    checked = kind.clean(kind.merge_edit(current, changes))
    kind.check_edit(user, current, checked)
    data = kind.stored(checked)
    organization_field = kind.organization_field
    if organization_field and data.get(organization_field) != current.get(organization_field):
        kind.check_organization(user, checked)
    if not diff(current, data):
        return _fresh(entry)
    was_draft = entry.review_state == ReviewState.DRAFT
    if entry.published_version is None:
        entry = kind.save(checked, instance=entry, user=user)
    if not was_draft:
        type(entry).objects.filter(pk=entry.pk).update(review_state=ReviewState.DRAFT)
    _record_version(kind, entry, data, user, "edited")
    return _fresh(entry)


@transaction.atomic
def do_submit_entry(kind_name: str, user: User, entry):
    kind = registry.get(kind_name)
    entry = _lock(entry)
    require(can_edit_entry(user, entry), "Only the entry's editors can submit it")
    if entry.review_state == ReviewState.SUBMITTED:
        raise WorkflowError(_("This entry is already waiting for review"))
    if entry.review_state not in {ReviewState.DRAFT, ReviewState.RETURNED}:
        raise WorkflowError(_("Only drafts and returned entries can be submitted; edit it first"))
    entry.review_state = ReviewState.SUBMITTED
    entry.submitted_at = timezone.now()
    entry.submitted_by = user
    attribute_change(entry, user)
    entry.save(update_fields=["review_state", "submitted_at", "submitted_by", "updated_at"])
    _decide(kind, entry, ReviewDecision.Action.SUBMITTED, user)
    if kind.publishes_on_submission(user, entry):
        kind.check_before_validation(entry)
        entry = _publish(kind, entry, latest_data(kind.name, entry), None, validated=True)
        _decide(kind, entry, ReviewDecision.Action.VALIDATED, None, PUBLISHED_ON_SUBMISSION)
    return _fresh(entry)


def _publish(kind, entry, data: dict, user, *, validated: bool):
    """Make ``data`` what the public sees. A reviewer's validation also confirms the entry; an
    administrator's correction changes neither its review state nor its confirmation."""
    state = {"published": True}
    if validated:
        state.update(review_state=ReviewState.VALIDATED, last_confirmed_at=timezone.localdate())
    entry = kind.save(kind.clean(data), instance=entry, user=user, **state)
    entry.published_version = entry.version
    fields = ["published_version"]
    if validated:
        entry.validated_at = timezone.now()
        entry.validated_by = user
        entry.return_reason = ""
        fields += ["validated_at", "validated_by", "return_reason"]
    entry.save(update_fields=fields)
    return entry


@transaction.atomic
def do_validate_entry(kind_name: str, reviewer: User, entry):
    """Publish the submitted version: public pages, search, map and API show it from now on."""
    kind = registry.get(kind_name)
    entry = _lock(entry)
    require(can_review(reviewer), "Only reviewers of the secretariat can validate entries")
    if entry.review_state != ReviewState.SUBMITTED:
        raise WorkflowError(_("Only submitted entries can be validated"))
    kind.check_before_validation(entry)
    entry = _publish(kind, entry, latest_data(kind.name, entry), reviewer, validated=True)
    _decide(kind, entry, ReviewDecision.Action.VALIDATED, reviewer)
    _notify_submitter(kind, entry, "validated")
    return _fresh(entry)


@transaction.atomic
def do_return_entry(kind_name: str, reviewer: User, entry, reason: str):
    kind = registry.get(kind_name)
    entry = _lock(entry)
    require(can_review(reviewer), "Only reviewers of the secretariat can return entries")
    reason = (reason or "").strip()
    if not reason:
        raise InvalidInputError({"reason": "Say why the entry is returned, so it can be fixed"})
    if entry.review_state != ReviewState.SUBMITTED:
        raise WorkflowError(_("Only submitted entries can be returned"))
    entry.review_state = ReviewState.RETURNED
    entry.return_reason = reason
    attribute_change(entry, reviewer)
    entry.save(update_fields=["review_state", "return_reason", "updated_at"])
    _decide(kind, entry, ReviewDecision.Action.RETURNED, reviewer, reason)
    _notify_submitter(kind, entry, "returned")
    return _fresh(entry)


@transaction.atomic
def do_revert_entry(kind_name: str, reviewer: User, entry, number: int):
    """Restore an earlier version as a new version; published at once when the entry is
    published (the reviewer's decision), else as the new draft. Nothing is deleted."""
    kind = registry.get(kind_name)
    entry = _lock(entry)
    require(can_review(reviewer), "Only reviewers of the secretariat can revert entries")
    _ensure_first_version(kind, entry, reviewer)
    data = version_data(kind.name, entry, number)
    if data is None or number >= entry.version:
        raise InvalidInputError(
            {"version": f"Choose an earlier version, 1 to {max(entry.version - 1, 1)}"}
        )
    _record_version(kind, entry, data, reviewer, f"reverted to version {number}")
    kind.after_revert(entry, number, reviewer)
    if entry.published_version is not None:
        entry = _publish(kind, entry, data, reviewer, validated=True)
    else:
        entry = kind.save(
            kind.clean(data), instance=entry, user=reviewer, review_state=ReviewState.DRAFT
        )
    _decide(kind, entry, ReviewDecision.Action.REVERTED, reviewer, f"to version {number}")
    return _fresh(entry)


@transaction.atomic
def do_correct_entry(kind_name: str, administrator: User, entry, data: dict):
    """An administrator's correction (in the administration): checked by the kind's rules like
    any edit, kept as a new version with a decision, and published at once when the entry is
    published; a draft stays a draft."""
    kind = registry.get(kind_name)
    require(is_administrator(administrator), "Only administrators can correct entries directly")
    entry = _lock(entry)
    _ensure_first_version(kind, entry, administrator)
    checked = kind.clean(data)
    data = kind.stored(checked)
    if not diff(latest_data(kind.name, entry), data):
        return _fresh(entry)
    _record_version(kind, entry, data, administrator, "corrected in the administration")
    if entry.published_version is not None or entry.published:
        entry = _publish(kind, entry, data, administrator, validated=False)
    else:
        entry = kind.save(checked, instance=entry, user=administrator)
    _decide(kind, entry, ReviewDecision.Action.CORRECTED, administrator)
    return _fresh(entry)


@transaction.atomic
def do_reconfirm_entry(kind_name: str, user: User, entry):
    """The editor says the published entry is still true (the annual update)."""
    kind = registry.get(kind_name)
    entry = _lock(entry)
    require(can_edit_entry(user, entry), "Only the entry's editors can reconfirm it")
    if not entry.published:
        raise WorkflowError(_("Only published entries can be reconfirmed; submit it for review"))
    entry.last_confirmed_at = timezone.localdate()
    attribute_change(entry, user)
    entry.save(update_fields=["last_confirmed_at", "updated_at"])
    _decide(kind, entry, ReviewDecision.Action.RECONFIRMED, user)
    return _fresh(entry)


@transaction.atomic
def do_remove_entry(kind_name: str, user: User, entry) -> None:
    """Delete an entry: administrators any, editors their never-published drafts. Its versions,
    decisions and history stay readable."""
    allowed = is_administrator(user) or (
        can_edit_entry(user, entry) and entry.published_version is None and not entry.published
    )
    require(allowed, "Only administrators can delete published entries")
    do_delete_entry(entry, user=user)


@transaction.atomic
def do_delete_entry(entry, *, user: User | None = None) -> None:
    """Delete an entry and take it out of search; its versions and decisions stay."""
    attribute_change(entry, user)
    do_unindex_entries(registry.kind_of(entry), [entry.pk])
    entry.delete()


def _notify_submitter(kind, entry, outcome: str) -> None:
    recipient = entry.submitted_by
    if recipient is None or not recipient.email:
        return
    body = render_to_string(
        "review/outcome_email.txt",
        {
            "entry": entry,
            "kind": kind.name,
            # A validated entry's public page; a returned one's page where its editors change it.
            "url": kind.detail_url(entry) if outcome == "validated" else kind.edit_url(entry),
            "outcome": outcome,
            "site_url": settings.SITE_URL,
        },
    )
    subject = {
        "validated": f"[MercuryHub] Validated and published: {entry}",
        "returned": f"[MercuryHub] Returned for changes: {entry}",
    }[outcome]
    transaction.on_commit(
        lambda: EmailMessage(subject=subject, body=body, to=[recipient.email]).send()
    )
