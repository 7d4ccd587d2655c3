"""Every write to the catalogue. Each one keeps the search index in step, in the same
transaction, and attributes the change in the entry's history."""

from django.core.cache import cache
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from mercuryhub.accounts.actions import do_find_or_create_organization
from mercuryhub.accounts.models import User
from mercuryhub.catalogue.fields import CleanEntry
from mercuryhub.catalogue.models import Expert, Facility, Offering, ReviewState
from mercuryhub.lib.history import attribute_change
from mercuryhub.search.engine import Document, do_index, do_unindex
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
    """Put published entries in the search index and take the others out."""
    entries = list(entries)
    children = _children_by_parent()
    visible = [e for e in entries if e.published and (kind != "expert" or e.consent_to_publication)]
    hidden = [e.pk for e in entries if e not in visible]
    if hidden:
        do_unindex(kind, hidden)
    return do_index(_document(kind, entry, children) for entry in visible)


def do_reindex_catalogue(batch_size: int = 2000) -> dict[str, int]:
    """Rebuild the index of every published entry (after a bulk load or a change of taxonomy)."""
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
