"""Permission-scoped reads of the review layer, for every registered kind of entry: who may edit
and review, an entry's versions and decisions, the reviewers' queue, an editor's entries."""

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from mercuryhub.accounts.queries import (
    can_edit_organization,
    is_administrator,
    is_reviewer,
    organizations_editable_by,
)
from mercuryhub.review import registry
from mercuryhub.review.models import EntryVersion, ReviewDecision, ReviewState


def can_review(user) -> bool:
    return is_reviewer(user)


def can_edit_entry(user, entry) -> bool:
    """Editors of the entry's organization, the person whose own entry it is, administrators."""
    if not user.is_authenticated or not user.is_active:
        return False
    if is_administrator(user):
        return True
    kind = registry.kind_of(entry)
    if kind.owner_field and kind.owner_id_of(entry) == user.pk:
        return True
    organization = kind.organization_of(entry)
    return organization is not None and can_edit_organization(user, organization)


def is_public(kind: registry.EntryKind, entry) -> bool:
    return kind.visible_to(None).filter(pk=entry.pk).exists()


def get_entry_for_editor(user, kind_name: str, pk: int):
    """An entry the user may edit or review; 404 when it is not visible to them at all, 403 when
    they may see it but not change it."""
    kind = registry.get_or_404(kind_name)
    entry = kind.model.objects.filter(pk=pk).first()
    if entry is None:
        raise Http404(f"No {kind.name} {pk}")
    if can_edit_entry(user, entry) or can_review(user):
        return entry
    if is_public(kind, entry):
        raise PermissionDenied(f"You cannot change this {kind.name}")
    raise Http404(f"No {kind.name} {pk}")


def entry_versions(kind_name: str, entry) -> QuerySet[EntryVersion]:
    return EntryVersion.objects.filter(kind=kind_name, object_id=entry.pk).select_related(
        "created_by"
    )


def latest_data(kind_name: str, entry) -> dict:
    """The entry's newest content: its latest version, or the published row when it has never
    been edited here (imported entries)."""
    version = entry_versions(kind_name, entry).order_by("-number").first()
    if version:
        return version.data
    kind = registry.get(kind_name)
    return kind.normalized(kind.serialize(entry))


def version_data(kind_name: str, entry, number: int) -> dict | None:
    version = entry_versions(kind_name, entry).filter(number=number).first()
    return version.data if version else None


def decisions(kind_name: str, entry) -> list[ReviewDecision]:
    return list(
        ReviewDecision.objects.filter(kind=kind_name, object_id=entry.pk)
        .select_related("made_by")
        .order_by("-made_at", "-pk")
    )


def returned_version(kind_name: str, entry) -> int | None:
    """The version the secretariat last returned, while that return is the latest outcome of
    review (no validation since); None otherwise."""
    outcome = (
        ReviewDecision.objects.filter(
            kind=kind_name,
            object_id=entry.pk,
            action__in=[ReviewDecision.Action.RETURNED, ReviewDecision.Action.VALIDATED],
        )
        .order_by("-made_at", "-pk")
        .first()
    )
    if outcome is None or outcome.action != ReviewDecision.Action.RETURNED:
        return None
    return outcome.version


def diff(old: dict | None, new: dict) -> list[tuple[str, object, object]]:
    """(field, old value, new value) for every field that differs."""
    old = old or {}
    return [
        (name, old.get(name), new.get(name))
        for name in sorted(set(old) | set(new))
        if _blank(old.get(name)) != _blank(new.get(name))
    ]


def _blank(value):
    return None if value in ("", [], None) else value


def is_stale(entry) -> bool:
    """Not reconfirmed within its kind's update cycle."""
    if entry.last_confirmed_at is None:
        return False
    cycle = registry.kind_of(entry).update_cycle_days
    return (timezone.localdate() - entry.last_confirmed_at).days > cycle


def has_unpublished_changes(entry) -> bool:
    return entry.published_version is not None and entry.version > entry.published_version


def can_reconfirm(user, entry) -> bool:
    """Its editors reconfirm a published entry; a draft is submitted for review instead."""
    return entry.published and can_edit_entry(user, entry)


def review_queue(user, *, kind: str | None = None, country: str | None = None) -> list:
    """Submitted entries of every kind, oldest first, for reviewers, as (kind name, entry)."""
    if not can_review(user):
        return []
    entries = []
    for entry_kind in registry.kinds():
        if kind and kind != entry_kind.name:
            continue
        queryset = entry_kind.model.objects.filter(
            review_state=ReviewState.SUBMITTED
        ).select_related("submitted_by")
        if country:
            queryset = queryset.filter(**{entry_kind.queue_country_field: country})
        entries.extend((entry_kind.name, entry) for entry in queryset)
    entries.sort(key=lambda item: item[1].submitted_at or item[1].updated_at)
    return entries


def entries_editable_by(user) -> list:
    """Every entry of every kind the user may edit, newest change first, as (kind name, entry)."""
    if not user.is_authenticated:
        return []
    organizations = organizations_editable_by(user)
    found = []
    for kind in registry.kinds():
        condition = Q(pk__in=[])
        if kind.organization_field:
            condition |= Q(**{f"{kind.organization_field}__in": organizations})
        if kind.owner_field:
            condition |= Q(**{kind.owner_field: user})
        found.extend((kind.name, entry) for entry in kind.model.objects.filter(condition))
    found.sort(key=lambda item: item[1].updated_at, reverse=True)
    return found


def require(allowed: bool, message: str) -> None:
    if not allowed:
        raise PermissionDenied(message)
