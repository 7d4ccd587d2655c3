"""Every write to the catalogue. Each one keeps the search index in step, in the same
transaction, and attributes the change in the entry's history."""

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from mercuryhub.accounts.actions import do_find_or_create_organization
from mercuryhub.accounts.models import User
from mercuryhub.accounts.queries import can_edit_organization, is_administrator
from mercuryhub.catalogue.fields import CLEAN, CleanEntry, entry_data, normalized, stored_data
from mercuryhub.catalogue.models import (
    EntryVersion,
    Expert,
    Facility,
    Offering,
    ReviewDecision,
    ReviewState,
)
from mercuryhub.catalogue.queries import (
    VISIBLE,
    can_edit_entry,
    can_review,
    diff,
    latest_data,
    version_data,
)
from mercuryhub.lib.errors import InvalidInputError
from mercuryhub.lib.history import attribute_change
from mercuryhub.search.engine import Document, do_drop_orphans, do_index, do_unindex
from mercuryhub.taxonomy.models import Term

KINDS = {"facility": Facility, "offering": Offering, "expert": Expert}
ORGANIZATION_FIELD = {"facility": "operator", "offering": "provider", "expert": "organization"}


def kind_of(entry) -> str:
    return {Facility: "facility", Offering: "offering", Expert: "expert"}[type(entry)]


@transaction.atomic
def do_save_entry(
    kind: str,
    clean: CleanEntry,
    *,
    instance=None,
    user: User | None = None,
    review_state: str | None = None,
    published: bool | None = None,
    confirmed_on=None,
):
    """Create or update a facility, offering or expert from checked input."""
    model = KINDS[kind]
    values = dict(clean.values)
    organization_field = ORGANIZATION_FIELD[kind]
    if clean.operator_name and values.get(organization_field) is None:
        values[organization_field] = do_find_or_create_organization(
            clean.operator_name,
            country=clean.operator_country or values.get("country"),
            user=user,
        )
    entry = instance or model()
    for name, value in values.items():
        setattr(entry, name, value)
    if review_state is not None:
        entry.review_state = review_state
    if published is not None:
        entry.published = published
    if confirmed_on is not None:
        entry.last_confirmed_at = confirmed_on
    attribute_change(entry, user)
    entry.save()
    for name, related in clean.relations.items():
        getattr(entry, name).set(related)
    do_index_entries(kind, [entry])
    return entry


def do_publish_imported(entry, *, user: User | None = None) -> None:
    """Publish an entry that arrived from a public source, not yet validated by the secretariat."""
    entry.review_state = ReviewState.IMPORTED
    entry.published = True
    attribute_change(entry, user)
    entry.save(update_fields=["review_state", "published", "updated_at"])


@transaction.atomic
def do_delete_entry(entry, *, user: User | None = None) -> None:
    kind = kind_of(entry)
    attribute_change(entry, user)
    do_unindex(kind, [entry.pk])
    entry.delete()


# The search index ---------------------------------------------------------------------------


def _term_words(terms: list[Term], descendants: dict[int, list[Term]]) -> list[str]:
    """Labels and synonyms of the terms and of every narrower term: a facility that accepts all
    wastes "containing mercury" is found by "thermometer" too."""
    found, stack = [], list(terms)
    while stack:
        term = stack.pop()
        found.extend([term.label, *term.synonyms])
        stack.extend(descendants.get(term.pk, []))
    return found


def _children_by_parent() -> dict[int, list[Term]]:
    children: dict[int, list[Term]] = {}
    for term in Term.objects.filter(parent__isnull=False):
        children.setdefault(term.parent_id, []).append(term)
    return children


def _document(kind: str, entry, children) -> Document:
    tags: list[Term] = []
    places: list[str] = []
    if kind == "facility":
        tags = [*entry.accepted_wastes.all(), *entry.technologies.all(), *entry.phases.all()]
        places = [
            entry.city,
            entry.country.name,
            *entry.country.names.values(),
            entry.operator.name,
        ]
    elif kind == "offering":
        tags = [
            *entry.waste_categories.all(),
            *entry.technologies.all(),
            *entry.support_types.all(),
        ]
        places = [entry.provider.name, *entry.regions_served]
    else:
        tags = [
            *entry.waste_categories.all(),
            *entry.support_types.all(),
            *entry.nap_elements.all(),
        ]
        places = [entry.country.name, entry.organization.name if entry.organization else ""]
    return Document(
        kind=kind,
        object_id=entry.pk,
        title=entry.name,
        synonyms=" · ".join(dict.fromkeys(w for w in _term_words(tags, children) if w)),
        body=" · ".join(p for p in [entry.description, *places] if p),
    )


def do_index_entries(kind: str, entries) -> int:
    """Put the entries visitors may see in the search index and take the others out: the
    index then holds exactly what VISIBLE selects, which unfiltered search relies on."""
    entries = list(entries)
    children = _children_by_parent()
    shown = set(
        VISIBLE[kind](None).filter(pk__in=[e.pk for e in entries]).values_list("pk", flat=True)
    )
    visible = [e for e in entries if e.pk in shown]
    hidden = [e.pk for e in entries if e.pk not in shown]
    if hidden:
        do_unindex(kind, hidden)
    return do_index(_document(kind, entry, children) for entry in visible)


def do_reindex_catalogue(batch_size: int = 2000) -> dict[str, int]:
    """Rebuild the index of every published entry (after a bulk load or a change of taxonomy)."""
    do_drop_orphans()
    counts = {}
    prefetch = {
        "facility": ["accepted_wastes", "technologies", "phases"],
        "offering": ["waste_categories", "technologies", "support_types"],
        "expert": ["waste_categories", "support_types", "nap_elements"],
    }
    related = {
        "facility": ["country", "operator"],
        "offering": ["provider"],
        "expert": ["country", "organization"],
    }
    for kind, model in KINDS.items():
        queryset = (
            model.objects.select_related(*related[kind])
            .prefetch_related(*prefetch[kind])
            .order_by("pk")
        )
        total, last = 0, 0
        while True:
            batch = list(queryset.filter(pk__gt=last)[:batch_size])
            if not batch:
                break
            with transaction.atomic():
                total += do_index_entries(kind, batch)
            last = batch[-1].pk
        counts[kind] = total
    return counts


# Contacting an expert ------------------------------------------------------------------------

# At most this many messages per sender address per hour, and per expert per day.
CONTACTS_PER_SENDER_HOUR = 5
CONTACTS_PER_EXPERT_DAY = 20


class ContactLimitError(Exception):
    """Too many messages in a short time; the message says when to try again."""


def _count_within(key: str, seconds: int) -> int:
    cache.add(key, 0, timeout=seconds)
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=seconds)
        return 1


def do_contact_expert(expert: Expert, message: dict, *, client: str) -> None:
    """E-mail a message to an expert, whose address stays private; replies go to the sender."""
    if _count_within(f"expert-contact:sender:{client}", 3600) > CONTACTS_PER_SENDER_HOUR:
        raise ContactLimitError(
            _("You have sent several messages in the last hour; please try again later.")
        )
    if _count_within(f"expert-contact:expert:{expert.pk}", 86400) > CONTACTS_PER_EXPERT_DAY:
        raise ContactLimitError(
            _("This expert has received many messages today; please try again tomorrow.")
        )
    organization = f" ({message['organization']})" if message.get("organization") else ""
    body = render_to_string(
        "catalogue/expert_contact_email.txt",
        {"expert": expert, "message": message, "organization": organization},
    )
    EmailMessage(
        subject=f"[MercuryHub] {message['name']}{organization} would like your advice",
        body=body,
        to=[expert.email],
        reply_to=[message["email"]],
    ).send()


# Editing and review -------------------------------------------------------------------------


class ConflictError(Exception):
    """Someone saved the entry since the version this edit started from."""

    def __init__(self, entry, base_version: int, their_changes: list):
        self.entry = entry
        self.base_version = base_version
        self.current_version = entry.version
        self.their_changes = their_changes
        super().__init__(
            f"This entry was changed by someone else since version {base_version} "
            f"(it is now at version {entry.version}); your changes were not saved."
        )


class WorkflowError(Exception):
    """The action does not apply to the entry's review state."""


def _lock(entry):
    return type(entry).objects.select_for_update().get(pk=entry.pk)


def _record_version(kind: str, entry, data: dict, user, note: str) -> EntryVersion:
    entry.version += 1
    type(entry).objects.filter(pk=entry.pk).update(version=entry.version)
    return EntryVersion.objects.create(
        kind=kind,
        object_id=entry.pk,
        number=entry.version,
        data=normalized(kind, data),
        note=note,
        created_by=user if user and user.is_authenticated else None,
    )


def _ensure_first_version(kind: str, entry, user) -> None:
    """Entries that arrived by import have no version yet: record what is published first, so
    that every later change can be compared with it."""
    if entry.version == 0:
        _record_version(kind, entry, entry_data(kind, entry), user, "as first published")
        if entry.published:
            entry.published_version = entry.version
            type(entry).objects.filter(pk=entry.pk).update(published_version=entry.version)


def _require(allowed: bool, message: str) -> None:
    if not allowed:
        raise PermissionDenied(message)


def _check_organization(kind: str, user, clean: CleanEntry) -> None:
    field_name = ORGANIZATION_FIELD[kind]
    organization = clean.values.get(field_name)
    if clean.operator_name:
        raise InvalidInputError(
            {field_name: f"Unknown organization {clean.operator_name!r}; register it first"}
        )
    if organization is None:
        _require(kind == "expert", "An organization is required")
        return
    _require(
        can_edit_organization(user, organization) or is_administrator(user),
        f"Only editors of {organization.name} can add or move entries to it",
    )


@transaction.atomic
def do_create_draft(kind: str, user: User, data: dict):
    """A new entry, as a draft only its editors see; for an expert without an organization, the
    person nominating themself becomes its editor."""
    _require(user.is_authenticated, "Sign in to add entries")
    clean = CLEAN[kind](data)
    if kind == "expert" and clean.values.get("organization") is None and not clean.operator_name:
        if not clean.values.get("consent_to_publication"):
            raise InvalidInputError(
                {"consent_to_publication": "Experts must consent to publication to be listed"}
            )
    else:
        _check_organization(kind, user, clean)
    entry = do_save_entry(kind, clean, user=user, review_state=ReviewState.DRAFT, published=False)
    if kind == "expert" and entry.organization is None:
        entry.user = user
        entry.save(update_fields=["user"])
    _record_version(kind, entry, entry_data(kind, entry), user, "created")
    return entry


@transaction.atomic
def do_edit_entry(kind: str, user: User, entry, changes: dict, *, base_version: int):
    """Change an entry. A published entry keeps showing its published version until a reviewer
    validates the new one. ``base_version`` is the version the editor started from: if someone
    saved since, ConflictError lists their changes and nothing is saved."""
    entry = _lock(entry)
    _require(can_edit_entry(user, entry), "Only the entry's editors can change it")
    _ensure_first_version(kind, entry, user)
    if base_version == 0 and entry.version == 1 and entry.published_version == 1:
        base_version = 1  # the editor started from the imported entry
    if base_version != entry.version:
        raise ConflictError(
            entry,
            base_version,
            diff(version_data(kind, entry, base_version), latest_data(kind, entry)),
        )
    current = latest_data(kind, entry)
    merged = {**current, **changes}
    if kind == "expert" and not changes.get("email", True):
        merged["email"] = current.get("email")  # a blank address in a form keeps the known one
    clean = CLEAN[kind](merged)
    data = stored_data(kind, clean)
    if data.get(ORGANIZATION_FIELD[kind]) != current.get(ORGANIZATION_FIELD[kind]):
        _check_organization(kind, user, clean)
    if not diff(current, data):
        return entry
    if entry.published_version is None:
        entry = do_save_entry(kind, clean, instance=entry, user=user)
    entry.review_state = ReviewState.DRAFT
    type(entry).objects.filter(pk=entry.pk).update(review_state=ReviewState.DRAFT)
    _record_version(kind, entry, data, user, "edited")
    return entry


def _decide(kind, entry, action, user, reason=""):
    ReviewDecision.objects.create(
        kind=kind,
        object_id=entry.pk,
        version=entry.version,
        action=action,
        reason=reason,
        made_by=user if user and user.is_authenticated else None,
    )


@transaction.atomic
def do_submit_entry(kind: str, user: User, entry):
    entry = _lock(entry)
    _require(can_edit_entry(user, entry), "Only the entry's editors can submit it")
    if entry.review_state == ReviewState.SUBMITTED:
        raise WorkflowError("This entry is already waiting for review")
    if entry.review_state not in {ReviewState.DRAFT, ReviewState.RETURNED}:
        raise WorkflowError("Only drafts and returned entries can be submitted; edit it first")
    entry.review_state = ReviewState.SUBMITTED
    entry.submitted_at = timezone.now()
    entry.submitted_by = user
    attribute_change(entry, user)
    entry.save(update_fields=["review_state", "submitted_at", "submitted_by", "updated_at"])
    _decide(kind, entry, ReviewDecision.Action.SUBMITTED, user)
    return entry


def _publish(kind: str, entry, data: dict, user, *, validated: bool):
    clean = CLEAN[kind](data)
    entry = do_save_entry(
        kind,
        clean,
        instance=entry,
        user=user,
        review_state=ReviewState.VALIDATED if validated else entry.review_state,
        published=True,
        confirmed_on=timezone.localdate(),
    )
    entry.published_version = entry.version
    entry.validated_at = timezone.now()
    entry.validated_by = user
    entry.return_reason = ""
    entry.save(update_fields=["published_version", "validated_at", "validated_by", "return_reason"])
    return entry


@transaction.atomic
def do_validate_entry(kind: str, reviewer: User, entry):
    """Publish the submitted version: public pages, search, map and API show it from now on."""
    entry = _lock(entry)
    _require(can_review(reviewer), "Only reviewers of the secretariat can validate entries")
    if entry.review_state != ReviewState.SUBMITTED:
        raise WorkflowError("Only submitted entries can be validated")
    entry = _publish(kind, entry, latest_data(kind, entry), reviewer, validated=True)
    _decide(kind, entry, ReviewDecision.Action.VALIDATED, reviewer)
    _notify_submitter(kind, entry, "validated")
    return entry


@transaction.atomic
def do_return_entry(kind: str, reviewer: User, entry, reason: str):
    entry = _lock(entry)
    _require(can_review(reviewer), "Only reviewers of the secretariat can return entries")
    reason = (reason or "").strip()
    if not reason:
        raise InvalidInputError({"reason": "Say why the entry is returned, so it can be fixed"})
    if entry.review_state != ReviewState.SUBMITTED:
        raise WorkflowError("Only submitted entries can be returned")
    entry.review_state = ReviewState.RETURNED
    entry.return_reason = reason
    attribute_change(entry, reviewer)
    entry.save(update_fields=["review_state", "return_reason", "updated_at"])
    _decide(kind, entry, ReviewDecision.Action.RETURNED, reviewer, reason)
    _notify_submitter(kind, entry, "returned")
    return entry


@transaction.atomic
def do_revert_entry(kind: str, reviewer: User, entry, number: int):
    """Restore an earlier version as a new version; published at once when the entry is
    published (the reviewer's decision), else as the new draft. Nothing is deleted."""
    entry = _lock(entry)
    _require(can_review(reviewer), "Only reviewers of the secretariat can revert entries")
    _ensure_first_version(kind, entry, reviewer)
    data = version_data(kind, entry, number)
    if data is None or number >= entry.version:
        raise InvalidInputError(
            {"version": f"Choose an earlier version, 1 to {max(entry.version - 1, 1)}"}
        )
    _record_version(kind, entry, data, reviewer, f"reverted to version {number}")
    if entry.published_version is not None:
        entry = _publish(kind, entry, data, reviewer, validated=True)
    else:
        entry = do_save_entry(
            kind, CLEAN[kind](data), instance=entry, user=reviewer, review_state=ReviewState.DRAFT
        )
    _decide(kind, entry, ReviewDecision.Action.REVERTED, reviewer, f"to version {number}")
    return entry


@transaction.atomic
def do_reconfirm_entry(kind: str, user: User, entry):
    """The editor says the published entry is still true (the annual update)."""
    entry = _lock(entry)
    _require(can_edit_entry(user, entry), "Only the entry's editors can reconfirm it")
    if not entry.published:
        raise WorkflowError("Only published entries can be reconfirmed; submit it for review")
    entry.last_confirmed_at = timezone.localdate()
    attribute_change(entry, user)
    entry.save(update_fields=["last_confirmed_at", "updated_at"])
    _decide(kind, entry, ReviewDecision.Action.RECONFIRMED, user)
    return entry


@transaction.atomic
def do_remove_entry(kind: str, user: User, entry):
    """Delete an entry: administrators any, editors their never-published drafts. Its versions,
    decisions and history stay readable."""
    allowed = is_administrator(user) or (
        can_edit_entry(user, entry) and entry.published_version is None and not entry.published
    )
    _require(allowed, "Only administrators can delete published entries")
    do_delete_entry(entry, user=user)


def _notify_submitter(kind: str, entry, outcome: str) -> None:
    recipient = entry.submitted_by
    if recipient is None or not recipient.email:
        return
    body = render_to_string(
        "catalogue/review_outcome_email.txt",
        {"entry": entry, "kind": kind, "outcome": outcome, "site_url": settings.SITE_URL},
    )
    subject = {
        "validated": f"[MercuryHub] Validated and published: {entry.name}",
        "returned": f"[MercuryHub] Returned for changes: {entry.name}",
    }[outcome]
    transaction.on_commit(
        lambda: EmailMessage(subject=subject, body=body, to=[recipient.email]).send()
    )


@transaction.atomic
def do_link_expert(editor: User, expert: Expert, organization):
    """An organization's editor accepts an expert's request to be linked to it. The link is
    recorded as a new version; the organization's editors can then keep the profile current."""
    expert = _lock(expert)
    _require(
        can_edit_organization(editor, organization) or is_administrator(editor),
        f"Only editors of {organization.name} can link experts to it",
    )
    if expert.organization_id == organization.pk:
        return expert
    if expert.organization_id is not None:
        raise WorkflowError(f"{expert.name} is already linked to {expert.organization.name}")
    _ensure_first_version("expert", expert, editor)
    data = {**latest_data("expert", expert), "organization": organization.slug}
    _record_version("expert", expert, data, editor, f"linked to {organization.name}")
    expert.organization = organization
    attribute_change(expert, editor)
    expert.save(update_fields=["organization", "updated_at"])
    do_index_entries("expert", [expert])
    return expert
