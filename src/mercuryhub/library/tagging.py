"""What the platform holds on a term of a vocabulary, counted and listed across every kind of
entry of the review layer: the published facilities, offerings, experts, resources and case
studies tagged with it, a narrower term counting for its broader one. The wheel of knowledge and
the factsheets read from here."""

from dataclasses import dataclass

from django.db.models import Count, QuerySet

from mercuryhub.review import registry
from mercuryhub.review.registry import EntryKind
from mercuryhub.taxonomy.models import Term
from mercuryhub.taxonomy.queries import term_with_descendants, terms_of


def tag_field(kind: EntryKind, vocabulary: str) -> str | None:
    """The kind's field tagging its entries with terms of the vocabulary, or None: read from the
    model's fields, which name the vocabulary they take their terms from."""
    for field in kind.model._meta.many_to_many:
        choices = field.remote_field.limit_choices_to
        named = isinstance(choices, dict) and choices.get("vocabulary__name") == vocabulary
        if named and field.related_model is Term:
            return field.name
    return None


def tagging_kinds(vocabulary: str) -> list[tuple[EntryKind, str]]:
    """The kinds with a field for the vocabulary, in the registry's order, with that field."""
    found = [
        (kind, tag_field(kind, vocabulary)) for kind in registry.kinds() if kind.on_topic_pages
    ]
    return [(kind, field) for kind, field in found if field]


def tagged(kind: EntryKind, field: str, user, term_ids) -> QuerySet:
    """The entries of the kind that ``user`` may see (the published ones for the public) tagged
    with any of the terms."""
    return kind.visible_to(user).filter(**{f"{field}__in": list(term_ids)}).distinct()


def narrower_ids(term: Term) -> list[int]:
    """The term's id and those of every narrower term under it."""
    return [found.pk for found in term_with_descendants(term)]


def counts(vocabulary: str, user) -> dict[int, dict[str, int]]:
    """{term id: {kind name: number of entries}} for every term of the vocabulary; an entry
    tagged with a narrower term counts once for each broader term above it. One query per kind,
    and one per kind and broader term where the vocabulary has a hierarchy."""
    terms = list(terms_of(vocabulary))
    found: dict[int, dict[str, int]] = {term.pk: {} for term in terms}
    broader = [term for term in terms if any(other.parent_id == term.pk for other in terms)]
    for kind, field in tagging_kinds(vocabulary):
        rows = (
            kind.visible_to(user)
            .filter(**{f"{field}__vocabulary__name": vocabulary})
            .values(field)
            .annotate(entries=Count("pk", distinct=True))
        )
        for row in rows:
            if row[field] in found:
                found[row[field]][kind.name] = row["entries"]
        for term in broader:
            found[term.pk].pop(kind.name, None)
            total = tagged(kind, field, user, narrower_ids(term)).count()
            if total:
                found[term.pk][kind.name] = total
    return found


@dataclass
class Group:
    """The entries of one kind tagged with a term: the first few, and how many in all."""

    kind: EntryKind
    entries: list
    total: int

    @property
    def name(self) -> str:
        return self.kind.name

    @property
    def label(self):
        return self.kind.label_plural or self.kind.label


def groups(vocabulary: str, term: Term, user, *, limit: int, only: str | None = None) -> list:
    """For each kind tagged from the vocabulary (or only the kind named ``only``), the entries
    tagged with the term or a narrower one, by name, at most ``limit`` of them, and their
    number; kinds with none left out."""
    ids = narrower_ids(term)
    found = []
    for kind, field in tagging_kinds(vocabulary):
        if only and kind.name != only:
            continue
        queryset = tagged(kind, field, user, ids).select_related(*kind.select_related)
        total = queryset.count()
        if total:
            entries = list(queryset.order_by("name", "pk")[:limit]) if limit else []
            found.append(Group(kind, entries, total))
    return found


def tagged_queryset(vocabulary: str, term: Term, user, kind_name: str) -> QuerySet | None:
    """The entries of one kind tagged with the term or a narrower one, by name; None when the
    kind has no field for the vocabulary."""
    for kind, field in tagging_kinds(vocabulary):
        if kind.name == kind_name:
            queryset = tagged(kind, field, user, narrower_ids(term))
            return queryset.select_related(*kind.select_related).order_by("name", "pk")
    return None
