"""The secretariat's review: the queue of submissions, one entry's review with its changes against
the published version, and every entry's versions, compared and restored."""

from dataclasses import dataclass
from functools import wraps

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db.models import prefetch_related_objects
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.timesince import timesince
from django.utils.translation import gettext as _

from mercuryhub.accounts.models import Organization
from mercuryhub.lib.errors import InvalidInputError
from mercuryhub.review import actions, queries, registry
from mercuryhub.review.comparison import labelled_rows
from mercuryhub.review.errors import WorkflowError
from mercuryhub.review.models import ReviewState
from mercuryhub.taxonomy.models import Country
from mercuryhub.taxonomy.queries import countries

# Access -------------------------------------------------------------------------------------


def _signed_in(view):
    """Anonymous visitors sign in first; an unknown kind of entry is not found."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if "kind" in kwargs:
            registry.get_or_404(kwargs["kind"])
        return view(request, *args, **kwargs)

    return wrapper


def _reviewers_only(view):
    @_signed_in
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not queries.can_review(request.user):
            raise PermissionDenied("Only reviewers of the secretariat can review entries")
        return view(request, *args, **kwargs)

    return wrapper


# The queue ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class QueueRow:
    kind: str
    entry: object
    organization: Organization | None
    countries: list[Country]
    age: str


@_reviewers_only
def review_queue(request):
    kind = request.GET.get("type", "")
    kind = kind if kind in registry.names() else ""
    country = request.GET.get("country", "").strip().upper()[:3]
    queue = queries.review_queue(request.user, kind=kind or None, country=country or None)
    return render(
        request,
        "review/queue.html",
        {
            "rows": _queue_rows(queue),
            "kinds": registry.kinds(),
            "selected_kind": kind,
            "selected_country": country,
            "countries": countries().only("iso3", "name", "names"),
            "filtered": bool(kind or country),
        },
    )


def _queue_rows(queue) -> list[QueueRow]:
    for kind in registry.kinds():
        lookups = [kind.organization_field, kind.queue_country_field]
        prefetch_related_objects([e for k, e in queue if k == kind.name], *filter(None, lookups))
    rows = []
    for kind_name, entry in queue:
        kind = registry.get(kind_name)
        where = getattr(entry, kind.queue_country_field)
        rows.append(
            QueueRow(
                kind=kind_name,
                entry=entry,
                organization=kind.organization_of(entry),
                countries=list(where.all()) if hasattr(where, "all") else [where],
                age=_age(entry.submitted_at or entry.updated_at),
            )
        )
    return rows


def _age(when) -> str:
    """ "3 days", "5 hours"; blank under a minute (shown as "just now")."""
    if (timezone.now() - when).total_seconds() < 60:
        return ""
    return timesince(when, depth=1)


# Reviewing one entry ------------------------------------------------------------------------


@_reviewers_only
def review_entry(request, kind, pk):
    entry = queries.get_entry_for_editor(request.user, kind, pk)
    if request.method != "POST":
        return _review_page(request, kind, entry)
    action = request.POST.get("action")
    try:
        if action == "validate":
            actions.do_validate_entry(kind, request.user, entry)
            message = _("Validated and published: %(name)s.")
        elif action == "return":
            actions.do_return_entry(kind, request.user, entry, request.POST.get("reason", ""))
            message = _("Returned to its editors with your reasons: %(name)s.")
        else:
            return _review_page(
                request, kind, entry, errors={"action": _("Choose validate or return.")}
            )
    except InvalidInputError as error:
        return _review_page(request, kind, entry, errors=error.errors)
    except WorkflowError as error:
        messages.error(request, str(error))
        return redirect("review-entry", kind=kind, pk=entry.pk)
    entry.refresh_from_db(fields=["name"])
    messages.success(request, message % {"name": entry.name})
    return redirect("review-queue")


def _review_page(request, kind, entry, *, errors=None):
    latest = queries.latest_data(kind, entry)
    published = (
        queries.version_data(kind, entry, entry.published_version)
        if entry.published_version
        else None
    )
    # A resubmission after a return is also compared with the version that was returned.
    returned_version = queries.returned_version(kind, entry)
    returned = queries.version_data(kind, entry, returned_version) if returned_version else None
    extension = registry.get(kind).review_extension(entry, request.user)
    return render(
        request,
        "review/entry.html",
        {
            "kind": kind,
            "entry": entry,
            "submitted_name": latest.get("name") or entry.name,
            "organization": registry.get(kind).organization_of(entry),
            "rows": labelled_rows(registry.get(kind), published, latest),
            "returned_version": returned_version if returned is not None else None,
            "returned_rows": (
                labelled_rows(registry.get(kind), returned, latest) if returned is not None else []
            ),
            "decisions": queries.decisions(kind, entry),
            "waiting": entry.review_state == ReviewState.SUBMITTED,
            "extension": (
                {"template": extension[0], "context": extension[1]} if extension else None
            ),
            "errors": errors or {},
            "reason": request.POST.get("reason", "") if errors else "",
        },
        status=400 if errors else 200,
    )


# Versions -----------------------------------------------------------------------------------


@_signed_in
def entry_versions(request, kind, pk):
    entry = queries.get_entry_for_editor(request.user, kind, pk)
    versions = list(queries.entry_versions(kind, entry).order_by("-number"))
    by_number = {version.number: version for version in versions}
    errors = {}
    a = _version_number(request.GET, "a", by_number, errors)
    b = _version_number(request.GET, "b", by_number, errors)
    if b is None and versions:
        b = versions[0].number
    if a is None and b is not None:
        a = entry.published_version if entry.published_version not in (None, b) else b - 1
        a = a if a in by_number else None
    rows = []
    if versions and not errors:
        old = by_number[a].data if a else None
        rows = labelled_rows(registry.get(kind), old, by_number[b].data)
    return render(
        request,
        "review/versions.html",
        {
            "kind": kind,
            "entry": entry,
            "versions": versions,
            "a": a,
            "b": b,
            "rows": rows,
            "errors": errors,
            "decisions": queries.decisions(kind, entry),
            "can_review": queries.can_review(request.user),
            "can_edit": queries.can_edit_entry(request.user, entry),
            "edit_url": registry.get(kind).edit_url(entry),
        },
        status=400 if errors else 200,
    )


def _version_number(params, name, by_number, errors) -> int | None:
    raw = params.get(name, "").strip()
    if not raw:
        return None
    if raw.isdigit() and int(raw) in by_number:
        return int(raw)
    errors[name] = _("There is no version %(raw)s of this entry; choose one in the list.") % {
        "raw": raw[:20]
    }
    return None


@_reviewers_only
def entry_revert(request, kind, pk):
    """GET asks to confirm, showing what reverting changes; POST reverts."""
    entry = queries.get_entry_for_editor(request.user, kind, pk)
    params = request.POST if request.method == "POST" else request.GET
    raw = params.get("version", "").strip()
    number = int(raw) if raw.isdigit() else 0
    target = queries.version_data(kind, entry, number)
    if target is None or number >= entry.version:
        messages.error(request, _("Choose an earlier version of the entry to revert to."))
        return redirect("review-entry-versions", kind=kind, pk=entry.pk)
    if request.method == "POST":
        try:
            entry = actions.do_revert_entry(kind, request.user, entry, number)
        except InvalidInputError as error:
            messages.error(request, "; ".join(error.errors.values()))
        else:
            messages.success(
                request,
                _("Reverted to version %(old)s: its content is now version %(new)s.")
                % {"old": number, "new": entry.version},
            )
        return redirect("review-entry-versions", kind=kind, pk=entry.pk)
    return render(
        request,
        "review/revert.html",
        {
            "kind": kind,
            "entry": entry,
            "number": number,
            "rows": labelled_rows(registry.get(kind), queries.latest_data(kind, entry), target),
            "published": entry.published_version is not None,
        },
    )
