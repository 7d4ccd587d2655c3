"""Who sees which catalogue entries, and what a page or an API item reads of them."""

import functools

from django.core.exceptions import FieldDoesNotExist
from django.db import connections, router
from django.db.models import Prefetch, QuerySet
from django.http import Http404

from mercuryhub.catalogue.models import Expert, Facility, Offering
from mercuryhub.review import registry
from mercuryhub.review.organizations import ORGANIZATIONS
from mercuryhub.search.models import SearchEntry
from mercuryhub.search.unchanged import while_unchanged
from mercuryhub.taxonomy.models import Country, Language, Term
from mercuryhub.taxonomy.queries import (
    attach_references,
    kept_languages,
    kept_terms,
    language_fields,
    linked,
    read_related,
    reference_fields,
)

# The catalogue's kinds of entry, in the order search lists them.
KINDS = ("facility", "offering", "expert")


def search_kinds() -> tuple[str, ...]:
    """Every type the one search finds: the catalogue's kinds, organizations, then every other
    registered kind of entry (the library's resources and case studies)."""
    others = tuple(name for name in registry.names() if name not in KINDS)
    return (*KINDS, ORGANIZATIONS.name, *others)


def search_kind(name: str):
    """The description of a type search finds: a registered kind, or organizations."""
    return ORGANIZATIONS if name == ORGANIZATIONS.name else registry.get(name)


def has_field(kind: str, field_name: str) -> bool:
    """Whether the records of a type have the field (a filter on it applies to them)."""
    try:
        search_kind(kind).model._meta.get_field(field_name)
    except FieldDoesNotExist:
        return False
    return True


# Visibility ---------------------------------------------------------------------------------


def facilities_visible_to(user) -> QuerySet[Facility]:
    return Facility.objects.filter(published=True)


def offerings_visible_to(user) -> QuerySet[Offering]:
    return Offering.objects.filter(published=True)


def experts_visible_to(user) -> QuerySet[Expert]:
    return Expert.objects.filter(published=True, consent_to_publication=True)


def visible(kind: str, user) -> QuerySet:
    return search_kind(kind).visible_to(user)


def term_field(facet: str, kind: str) -> str | None:
    """Which field of a kind a facet filters on; None: the facet does not apply to that kind."""
    return search_kind(kind).term_fields.get(facet)


def get_facility_for_user(user, pk: int) -> Facility:
    facility = with_details("facility", facilities_visible_to(user)).filter(pk=pk).first()
    if facility is None:
        raise Http404(f"No facility {pk}")
    return facility


def get_offering_for_user(user, pk: int) -> Offering:
    offering = with_details("offering", offerings_visible_to(user)).filter(pk=pk).first()
    if offering is None:
        raise Http404(f"No offering {pk}")
    return offering


def get_expert_for_user(user, pk: int) -> Expert:
    expert = with_details("expert", experts_visible_to(user)).filter(pk=pk).first()
    if expert is None:
        raise Http404(f"No expert {pk}")
    return expert


# Helpers for the API ------------------------------------------------------------------------


def with_details(kind: str, queryset: QuerySet) -> QuerySet:
    """The queryset with everything an entry's page, API item or export row reads, in a fixed
    number of queries."""
    entry_kind = search_kind(kind)
    return queryset.select_related(*entry_kind.select_related).prefetch_related(
        *entry_kind.prefetch_related
    )


def with_codes(kind: str, queryset: QuerySet) -> QuerySet:
    """The queryset with what an export row reads: as ``with_details``, but each related term,
    language or country read with its code alone (a term's labels, synonyms and translations,
    decoded for every link, would cost more than the rest of the row); other related entries
    (a project's partners) whole, as a row may read any of their fields."""
    entry_kind = search_kind(kind)
    many = {field.name: field.related_model for field in queryset.model._meta.many_to_many}
    lookups = [
        Prefetch(name, queryset=_codes_only(many[name])) if many.get(name) in CODED else name
        for name in entry_kind.prefetch_related
    ]
    return (
        queryset.select_related(*entry_kind.select_related)
        .prefetch_related(None)
        .prefetch_related(*lookups)
    )


# The reference records an entry names by code (``fields.codes_of``: a term's code, a
# language's or a country's primary key).
CODED = (Term, Language, Country)


def _codes_only(model) -> QuerySet:
    names = {field.name for field in model._meta.concrete_fields}
    return model.objects.only(*({model._meta.pk.name} | ({"code"} & names)))


def detailed(kind: str, user, ids: list[int]) -> dict[int, object]:
    """Visible entries by id with everything a result, a page or an API item shows: its
    relations as ``with_details`` reads them, but the countries, terms and languages those the
    process keeps (``read_related``) rather than read and decoded again for every entry."""
    if not ids:
        return {}
    entry_kind = search_kind(kind)
    entries = read_related(
        visible(kind, user).filter(pk__in=ids).order_by(),
        entry_kind.select_related,
        entry_kind.prefetch_related,
    )
    return {entry.pk: entry for entry in entries}


def hit_entries(kind: str, user, ids: list[int]) -> dict[int, object]:
    """Visible entries by id with what a search hit shows (its template, the search API's
    item, the snippet): what the kind names for its hits, else as ``detailed``."""
    if not ids:
        return {}
    entry_kind = search_kind(kind)
    select = getattr(entry_kind, "hit_select_related", None)
    prefetch = getattr(entry_kind, "hit_prefetch_related", None)
    if prefetch is None:
        prefetch = entry_kind.prefetch_related
    if select is None:
        select = entry_kind.select_related
    # In no order: the caller puts them in the ranking's.
    entries = read_related(visible(kind, user).filter(pk__in=ids).order_by(), select, prefetch)
    return {entry.pk: entry for entry in entries}


# What the search API's item shows of an entry beyond its name, where its type has the field
# (the catalogue's own types show none: their item is the API's SearchHit).
BRIEF_DETAILS = ("country", "kind", "year", "languages")


def brief_entries(kind: str, user, ids: list[int]) -> dict[int, object]:
    """Entries by id with only what the search API's item shows (the name and
    ``BRIEF_DETAILS``) and its snippet reads (the described text, a transcript, the waste
    categories), in one statement per type and one per kind of record its links name: the
    other fields deferred, the related countries, terms and languages those the process keeps,
    and each relation's records a list (``entry.<relation>.all()`` gives it; nothing narrows
    it). The entries are those the search index holds at the time, which are the public ones
    (``review.indexing``), which every user may see: a search hit's template reads more
    (``hit_entries``)."""
    if not ids:
        return {}
    model, columns, references, relations, sql = _brief_statement(kind)
    alias = router.db_for_read(model)
    with connections[alias].cursor() as cursor:
        cursor.execute(sql.format(marks=", ".join(["%s"] * len(ids))), [kind, *ids])
        rows = cursor.fetchall()
    entries = [model.from_db(alias, columns, row) for row in rows]
    records = linked(model, relations, [entry.pk for entry in entries])
    for entry in entries:
        entry._prefetched_objects_cache = {
            name: of_entry.get(entry.pk, []) for name, of_entry in records.items()
        }
    attach_references(entries, references)
    return {entry.pk: entry for entry in entries}


@functools.cache
def _brief_statement(kind: str):
    """A type's model, the columns ``brief_entries`` reads (in the model's order, as
    ``Model.from_db`` takes them), its foreign keys to countries and terms, its relations and
    their records, and its statement."""
    entry_kind = search_kind(kind)
    model = entry_kind.model
    described = getattr(entry_kind, "description_field", "description")
    details = () if kind in KINDS else BRIEF_DETAILS
    wanted = {"name", described, "transcript", *details}
    fields = [field for field in model._meta.concrete_fields if field.name in wanted]
    columns = [model._meta.pk.attname, *(field.attname for field in fields)]
    references = reference_fields(model, [field.name for field in fields])
    relations = {name: kept_languages for name in language_fields(model, details)}
    if waste := entry_kind.term_fields.get("waste"):
        relations[waste] = kept_terms
    quote = connections[router.db_for_read(model)].ops.quote_name
    table = quote(model._meta.db_table)
    key = f"{table}.{quote(model._meta.pk.column)}"
    selected = ", ".join([key, *(f"{table}.{quote(field.column)}" for field in fields)])
    sql = (
        f"SELECT {selected} FROM {table} JOIN {quote(SearchEntry._meta.db_table)} AS indexed"  # noqa: S608 - names from the models
        f" ON indexed.kind = %s AND indexed.object_id = {key} WHERE {key} IN ({{marks}})"
    )
    return model, columns, references, relations, sql


# Pages --------------------------------------------------------------------------------------


def published_counts(user) -> dict[str, int]:
    """How many entries of each kind are published: kept while they are unchanged (counting
    them reads every one)."""
    return while_unchanged(
        "published-counts", [], lambda: {kind: visible(kind, user).count() for kind in KINDS}
    )


def facilities_of_operator(user, facility: Facility) -> list[Facility]:
    return list(
        facilities_visible_to(user)
        .filter(operator=facility.operator_id)
        .exclude(pk=facility.pk)
        .select_related("country")
    )


def entries_of_organization(user, organization) -> dict[str, list]:
    """What an organization has in the catalogue, for its page."""
    return {
        "facilities": list(
            facilities_visible_to(user).filter(operator=organization).select_related("country")
        ),
        "offerings": list(offerings_visible_to(user).filter(provider=organization)),
        "experts": list(
            experts_visible_to(user).filter(organization=organization).select_related("country")
        ),
    }
