"""The secretariat's review: the queue of submissions, one entry's review with its changes against
the published version, and every entry's versions, compared and restored."""

from dataclasses import dataclass
from functools import wraps

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db.models import prefetch_related_objects
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.timesince import timesince
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from mercuryhub.accounts.models import Organization
from mercuryhub.catalogue import actions, queries
from mercuryhub.catalogue.models import Facility, Offering, ReviewDecision, ReviewState
from mercuryhub.lib.errors import InvalidInputError
from mercuryhub.taxonomy.models import Country, Language, Term
from mercuryhub.taxonomy.queries import countries

# Access -------------------------------------------------------------------------------------


def _signed_in(view):
    """Anonymous visitors sign in first; an unknown kind of entry is not found."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if "kind" in kwargs and kwargs["kind"] not in queries.KINDS:
            raise Http404(f"No kind of entry {kwargs['kind']!r}")
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
    kind = kind if kind in queries.KINDS else ""
    country = request.GET.get("country", "").strip().upper()[:3]
    queue = queries.review_queue(request.user, kind=kind or None, country=country or None)
    return render(
        request,
        "catalogue/review/queue.html",
        {
            "rows": _queue_rows(queue),
            "kinds": queries.KINDS,
            "selected_kind": kind,
            "selected_country": country,
            "countries": countries().only("iso3", "name", "names"),
            "filtered": bool(kind or country),
        },
    )


def _queue_rows(queue) -> list[QueueRow]:
    # To move into queries.review_queue: the related rows every line shows, one query each.
    related = {
        "facility": ("operator", "country"),
        "offering": ("provider", "countries_served"),
        "expert": ("organization", "country"),
    }
    for kind, lookups in related.items():
        prefetch_related_objects([entry for k, entry in queue if k == kind], *lookups)
    return [
        QueueRow(
            kind=kind,
            entry=entry,
            organization=queries.organization_of(entry),
            countries=(
                list(entry.countries_served.all()) if kind == "offering" else [entry.country]
            ),
            age=_age(entry.submitted_at or entry.updated_at),
        )
        for kind, entry in queue
    ]


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
    except actions.WorkflowError as error:
        messages.error(request, str(error))
        return redirect("catalogue-review-entry", kind=kind, pk=entry.pk)
    entry.refresh_from_db(fields=["name"])
    messages.success(request, message % {"name": entry.name})
    return redirect("catalogue-review-queue")


def _review_page(request, kind, entry, *, errors=None):
    latest = queries.latest_data(kind, entry)
    published = (
        queries.version_data(kind, entry, entry.published_version)
        if entry.published_version
        else None
    )
    return render(
        request,
        "catalogue/review/entry.html",
        {
            "kind": kind,
            "entry": entry,
            "submitted_name": latest.get("name") or entry.name,
            "organization": queries.organization_of(entry),
            "rows": _labelled_rows(published, latest),
            "decisions": _decisions(kind, entry),
            "waiting": entry.review_state == ReviewState.SUBMITTED,
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
        rows = _labelled_rows(by_number[a].data if a else None, by_number[b].data)
    return render(
        request,
        "catalogue/review/versions.html",
        {
            "kind": kind,
            "entry": entry,
            "versions": versions,
            "a": a,
            "b": b,
            "rows": rows,
            "errors": errors,
            "decisions": _decisions(kind, entry),
            "can_review": queries.can_review(request.user),
            "can_edit": queries.can_edit_entry(request.user, entry),
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
        return redirect("catalogue-entry-versions", kind=kind, pk=entry.pk)
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
        return redirect("catalogue-entry-versions", kind=kind, pk=entry.pk)
    return render(
        request,
        "catalogue/review/revert.html",
        {
            "kind": kind,
            "entry": entry,
            "number": number,
            "rows": _labelled_rows(queries.latest_data(kind, entry), target),
            "published": entry.published_version is not None,
        },
    )


# Reads to move into queries.py --------------------------------------------------------------


def _decisions(kind, entry):
    return list(
        ReviewDecision.objects.filter(kind=kind, object_id=entry.pk)
        .select_related("made_by")
        .order_by("-made_at", "-pk")
    )


# Field names in the order a reviewer reads an entry, with their labels.
FIELD_LABELS = {
    "name": gettext_lazy("Name"),
    "kind": gettext_lazy("Kind of offering"),
    "operator": gettext_lazy("Operator"),
    "provider": gettext_lazy("Provider"),
    "organization": gettext_lazy("Organization"),
    "email": gettext_lazy("E-mail address"),
    "consent_to_publication": gettext_lazy("Consents to publication"),
    "country": gettext_lazy("Country"),
    "city": gettext_lazy("City or address"),
    "latitude": gettext_lazy("Latitude"),
    "longitude": gettext_lazy("Longitude"),
    "coordinates_precision": gettext_lazy("Precision of the coordinates"),
    "status": gettext_lazy("Status"),
    "description": gettext_lazy("Description"),
    "biography": gettext_lazy("Biography"),
    "accepted_wastes": gettext_lazy("Accepted wastes"),
    "waste_categories": gettext_lazy("Waste categories"),
    "phases": gettext_lazy("Management phases"),
    "technologies": gettext_lazy("Technologies"),
    "support_types": gettext_lazy("Types of support"),
    "nap_elements": gettext_lazy("NAP elements"),
    "capacity": gettext_lazy("Capacity"),
    "capacity_tonnes_per_year": gettext_lazy("Capacity (t/year)"),
    "permits": gettext_lazy("Permits and certifications"),
    "accepts_foreign_waste": gettext_lazy("Accepts waste from other countries"),
    "countries_served": gettext_lazy("Countries served"),
    "regions_served": gettext_lazy("Regions served"),
    "countries_of_experience": gettext_lazy("Countries of experience"),
    "languages": gettext_lazy("Languages"),
    "website": gettext_lazy("Website"),
    "contact_route": gettext_lazy("Public contact route"),
    "source": gettext_lazy("Source of the information"),
    "external_id": gettext_lazy("External identifier"),
}
_VOCABULARY_OF = {
    "accepted_wastes": "waste_categories",
    "waste_categories": "waste_categories",
    "phases": "management_phases",
    "technologies": "treatment_technologies",
    "support_types": "support_types",
    "nap_elements": "nap_elements",
}
_COUNTRY_FIELDS = {"country", "countries_served", "countries_of_experience"}
_ORGANIZATION_FIELDS = {"operator", "provider", "organization"}
_BOOLEAN_FIELDS = {"accepts_foreign_waste", "consent_to_publication"}
_CHOICES = {
    "status": dict(Facility.Status.choices),
    "coordinates_precision": dict(Facility.Precision.choices),
    "kind": dict(Offering.Kind.choices),
}


@dataclass(frozen=True)
class Row:
    name: str
    label: str
    old: str
    new: str
    changed: bool


def _labelled_rows(old: dict | None, new: dict) -> list[Row]:
    """Every field either version has, in reading order, with codes shown as their labels;
    against nothing (a new entry), no field is marked as changed."""
    changed = {name for name, _old, _new in queries.diff(old, new)} if old is not None else set()
    old = old or {}
    labels = _labels_for([old, new])
    names = [name for name in FIELD_LABELS if name in old or name in new]
    names += sorted((set(old) | set(new)) - set(FIELD_LABELS))
    rows = []
    for name in names:
        before, after = _shown(name, old.get(name), labels), _shown(name, new.get(name), labels)
        if before or after:
            label = FIELD_LABELS.get(name, name.replace("_", " ").capitalize())
            rows.append(Row(name, label, before, after, name in changed))
    return rows


def _codes(value) -> list[str]:
    if isinstance(value, list | tuple):
        return [str(item) for item in value]
    if isinstance(value, str):
        return [item.strip() for item in value.split(";") if item.strip()]
    return []


def _labels_for(datas: list[dict]) -> dict[tuple[str, str], str]:
    """(lookup, code) → label for every code in the given versions, in four queries."""
    wanted: dict[str, set[str]] = {}
    for data in datas:
        for name, value in data.items():
            if name in _VOCABULARY_OF:
                wanted.setdefault(_VOCABULARY_OF[name], set()).update(_codes(value))
            elif name in _COUNTRY_FIELDS:
                wanted.setdefault("country", set()).update(c.upper() for c in _codes(value))
            elif name == "languages":
                wanted.setdefault("language", set()).update(c.lower() for c in _codes(value))
            elif name in _ORGANIZATION_FIELDS:
                wanted.setdefault("organization", set()).update(_codes(value))
    labels = {}
    vocabularies = {k: v for k, v in wanted.items() if k in _VOCABULARY_OF.values()}
    if vocabularies:
        codes = set().union(*vocabularies.values())
        terms = Term.objects.filter(vocabulary__name__in=vocabularies, code__in=codes)
        for vocabulary, code, label in terms.values_list("vocabulary__name", "code", "label"):
            labels[(vocabulary, code)] = label
    if wanted.get("country"):
        codes = wanted["country"]
        for country in Country.objects.filter(iso3__in=codes) | Country.objects.filter(
            iso2__in=codes
        ):
            labels[("country", country.iso3)] = labels[("country", country.iso2)] = str(country)
    if wanted.get("language"):
        for language in Language.objects.filter(code__in=wanted["language"]):
            labels[("language", language.code)] = language.name
    if wanted.get("organization"):
        for slug, name in Organization.objects.filter(slug__in=wanted["organization"]).values_list(
            "slug", "name"
        ):
            labels[("organization", slug)] = name
    return labels


def _shown(name: str, value, labels) -> str:
    """A stored value as a reviewer reads it."""
    if value is None or value in ("", []):
        return ""
    if name in _BOOLEAN_FIELDS or isinstance(value, bool):
        truth = value if isinstance(value, bool) else str(value).strip().lower()
        if truth in (True, "yes", "true", "1", "y"):
            return _("Yes")
        if truth in (False, "no", "false", "0", "n"):
            return _("No")
        return str(value)
    if name in _CHOICES:
        return str(_CHOICES[name].get(value, value))
    lookup = (
        _VOCABULARY_OF.get(name)
        or ("country" if name in _COUNTRY_FIELDS else None)
        or ("language" if name == "languages" else None)
        or ("organization" if name in _ORGANIZATION_FIELDS else None)
    )
    if lookup is None:
        return ", ".join(_codes(value)) if isinstance(value, list) else str(value)
    shown = []
    for code in _codes(value):
        key = (
            code.upper() if lookup == "country" else code.lower() if lookup == "language" else code
        )
        shown.append(labels.get((lookup, key), code))
    return ", ".join(shown)
