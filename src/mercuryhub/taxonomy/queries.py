"""Reads of the reference data, and resolving codes from input to reference records."""

from collections.abc import Callable
from contextvars import ContextVar
from dataclasses import dataclass
from typing import TypeVar

from django.db import connections, router
from django.db.models import Count, Q, QuerySet
from django.utils.translation import get_language

from mercuryhub.lib.errors import InvalidInputError
from mercuryhub.lib.lookups import cached, caching
from mercuryhub.taxonomy.models import Country, Language, ReferenceMark, Term, Vocabulary

T = TypeVar("T")

# Reference records this process keeps between requests: name -> (change mark, records).
_KEPT: dict[str, tuple[str, object]] = {}
# The change mark as the request under way read it ({} before it is read), None outside one.
_REQUEST_MARK: ContextVar[dict | None] = ContextVar("mercuryhub_reference_mark", default=None)


def start_request(**_signal) -> None:
    """A request starts (Django's request_started): its first use of kept records reads the
    change mark, the others reuse it."""
    _REQUEST_MARK.set({})


def end_request(**_signal) -> None:
    _REQUEST_MARK.set(None)


def forget_reference_mark() -> None:
    """The reference data was written: the request under way reads the change mark again."""
    if (read := _REQUEST_MARK.get()) is not None:
        read.clear()


def reference_mark() -> str:
    """The reference data's change mark: a new one after each write to a vocabulary, term,
    country or language (read once per request)."""
    return _reference_mark()


def _reference_mark() -> str:
    read = _REQUEST_MARK.get()
    if read is not None and "mark" in read:
        return read["mark"]
    # Read by nearly every request: one plain statement, not a query compiled each time.
    connection = connections[router.db_for_read(ReferenceMark)]
    with connection.cursor() as cursor:
        cursor.execute(_MARK_SQL)
        found = cursor.fetchone()
    mark = found[0] if found else ""
    if read is not None:
        read["mark"] = mark
    return mark


_MARK_SQL = f"SELECT token FROM {ReferenceMark._meta.db_table} WHERE id = 1"  # noqa: S608


def kept(name: str, load: Callable[[], T]) -> T:
    """``load()``'s reference records, kept in this process for as long as the reference data
    does not change: a request reads only the change mark (one small statement, once), and
    ``load`` runs again once a write to a vocabulary, term, country or language, in any worker,
    has given it a new one (``taxonomy.actions.do_mark_reference_changed``). The mark is read
    before the records, so records kept are never older than their mark. They are shared by
    every request of the process: read them, never change them."""
    mark = _reference_mark()
    found = _KEPT.get(name)
    if found is not None and found[0] == mark:
        return found[1]
    records = load()
    _KEPT[name] = (mark, records)
    return records


@dataclass(frozen=True)
class KeptTerms:
    """Every term (with its vocabulary), by id and by vocabulary, in the terms' own order
    (vocabulary, position, code)."""

    by_id: dict[int, Term]
    place: dict[int, int]  # each term's place in that order
    by_vocabulary: dict[str, list[Term]]

    def of(self, vocabulary_name: str) -> list[Term]:
        return self.by_vocabulary.get(vocabulary_name, [])

    def parents(self, vocabulary_name: str | None = None) -> dict[int, int | None]:
        """Each term's broader term, of one vocabulary or of all."""
        terms = self.of(vocabulary_name) if vocabulary_name else self.by_id.values()
        return {term.pk: term.parent_id for term in terms}


def kept_terms() -> KeptTerms:
    """Every term (kept: see ``kept``)."""

    def load():
        terms = {term.pk: term for term in Term.objects.select_related("vocabulary")}
        by_vocabulary: dict[str, list[Term]] = {}
        for term in terms.values():
            by_vocabulary.setdefault(term.vocabulary.name, []).append(term)
        return KeptTerms(terms, {pk: n for n, pk in enumerate(terms)}, by_vocabulary)

    return kept("terms", load)


@dataclass(frozen=True)
class KeptLanguages:
    """Every language by code, and each one's place in Language's own order."""

    by_id: dict[str, Language]
    place: dict[str, int]


def kept_languages() -> KeptLanguages:
    """Every language (kept: see ``kept``)."""

    def load():
        languages = list(Language.objects.all())
        return KeptLanguages(
            {language.pk: language for language in languages},
            {language.pk: n for n, language in enumerate(languages)},
        )

    return kept("languages", load)


def language_names() -> dict[str, str]:
    """Every language's name in the interface language, by code, in Language's order (kept:
    see ``kept``; a name is looked up in two translation catalogues)."""
    language = get_language() or "en"
    return kept(
        f"language_names:{language}",
        lambda: {code: found.localized_name for code, found in kept_languages().by_id.items()},
    )


def named_languages(codes) -> dict[str, str]:
    """The names of the languages of ``codes`` in the interface language, by code, in
    Language's order (a filter panel's, which equal counts keep); unknown codes left out."""
    wanted = set(codes)
    return {code: name for code, name in language_names().items() if code in wanted}


def country_names() -> dict[str, str]:
    """Every country's name in the interface language, by ISO alpha-3 code (kept: see
    ``kept``)."""
    language = get_language() or "en"
    return kept(
        f"country_names:{language}",
        lambda: {code: found.localized_name for code, found in all_countries().items()},
    )


def all_countries() -> dict[str, Country]:
    """Every country by ISO alpha-3 code (kept: see ``kept``)."""
    return kept("countries", lambda: Country.objects.order_by().in_bulk())


def vocabularies() -> QuerySet[Vocabulary]:
    return Vocabulary.objects.annotate(term_count=Count("terms"))


def vocabulary_by_slug(slug: str) -> Vocabulary | None:
    """Vocabularies are addressed as in the reference file, with hyphens: ``waste-categories``."""
    return Vocabulary.objects.filter(name=slug.replace("-", "_")).first()


def terms_of(vocabulary_name: str) -> QuerySet[Term]:
    return Term.objects.filter(vocabulary__name=vocabulary_name).select_related("parent")


def term_with_descendants(term: Term) -> list[Term]:
    """The term and every narrower term under it ("containing" includes lamps, ...), those
    from the terms this process keeps (``kept_terms``: read them, never change them)."""
    terms = kept_terms()
    known = terms.by_id.get(term.pk)
    by_parent: dict[int | None, list[Term]] = {}
    for candidate in terms.of(known.vocabulary.name) if known else ():
        by_parent.setdefault(candidate.parent_id, []).append(candidate)
    found, stack = [], [term]
    while stack:
        current = stack.pop()
        found.append(current)
        stack.extend(by_parent.get(current.pk, []))
    return found


def term_ids_with_descendants(vocabulary_name: str, codes) -> list[int]:
    """The ids of the vocabulary's terms of ``codes`` and of every narrower term under them
    (a filter on "containing" finds what is tagged lamps), in order."""
    wanted = set(codes)
    ids = set()
    for term in kept_terms().of(vocabulary_name):
        if term.code in wanted:
            ids.update(found.pk for found in term_with_descendants(term))
    return sorted(ids)


def terms_with_ancestors(term_ids, parents: dict | None = None) -> set[int]:
    """The ids of the terms and of every broader term above them: an entry tagged "containing"
    is found by the synonyms of "lamps" below it. ``parents`` (term id -> its broader term's)
    saves reading them again for many calls."""
    if parents is None:
        parents = kept_terms().parents()
    found, stack = set(), list(term_ids)
    while stack:
        current = stack.pop()
        if current in found or current is None:
            continue
        found.add(current)
        stack.append(parents.get(current))
    return found


def term_fields(model, names) -> list[str]:
    """Those of ``names`` that are ``model``'s many-to-many relations to terms (its tags)."""
    return _relations_to(Term, model, names)


def language_fields(model, names) -> list[str]:
    """Those of ``names`` that are ``model``'s many-to-many relations to languages."""
    return _relations_to(Language, model, names)


def _relations_to(target, model, names) -> list[str]:
    found = []
    for name in names:
        field = next((f for f in model._meta.many_to_many if f.name == name), None)
        if field is not None and field.related_model is target:
            found.append(name)
    return found


def reference_fields(model, names) -> list[str]:
    """Those of ``names`` that are ``model``'s foreign keys to a country or a term."""
    return [
        name
        for name in names
        if "__" not in name
        and (field := model._meta.get_field(name)).many_to_one
        and field.related_model in (Country, Term)
    ]


def read_related(queryset, select, prefetch) -> list:
    """The rows of ``queryset`` with their relations ``select`` (``select_related``) and
    ``prefetch`` (``prefetch_related``) read, the countries and terms among them taken from those
    this process keeps (``attach_references``, ``attach_terms``, ``attach_kept``) rather
    than read again."""
    model = queryset.model
    tags = term_fields(model, prefetch)
    languages = language_fields(model, prefetch)
    references = reference_fields(model, select)
    rows = list(
        queryset.select_related(
            *[name for name in select if name not in references]
        ).prefetch_related(*[name for name in prefetch if name not in tags + languages])
    )
    tables = {name: kept_terms for name in tags} | {name: kept_languages for name in languages}
    return attach_references(attach_kept(rows, tables), references)


def attach_references(entries: list, names) -> list:
    """Give each of ``entries`` the countries and terms of its foreign keys ``names`` as
    ``select_related`` would (``entry.country`` reads no more), from those this process keeps
    (``all_countries``, ``kept_terms``) instead of a join that builds and decodes a country or
    a term for every entry."""
    if not entries or not names:
        return entries
    fields = [entries[0]._meta.get_field(name) for name in names]
    for field in fields:
        kept_records = all_countries() if field.related_model is Country else kept_terms().by_id
        for entry in entries:
            key = getattr(entry, field.attname)
            entry._state.fields_cache[field.name] = kept_records.get(key) if key else None
    return entries


def attach_terms(entries: list, names) -> list:
    """Give each of ``entries`` (of one model) the terms of its tag relations ``names``, as
    ``prefetch_related`` would leave them (``entry.<name>.all()`` reads no more) and in the
    terms' own order (vocabulary, position, code), but reading only the links: the terms are
    the ones this process keeps (``kept_terms``), shared between the entries and the requests.
    ``prefetch_related`` builds and decodes a term for every link (its names in six languages)
    and orders them through the vocabularies' table, most of what a page of search hits or an
    import's indexing spent."""
    return attach_kept(entries, {name: kept_terms for name in names})


def attach_kept(entries: list, tables: dict) -> list:
    """``attach_terms`` for relations to terms and to languages at once: ``tables`` maps each
    relation to the function giving the records it links to (``kept_terms``,
    ``kept_languages``); see ``linked``."""
    if not entries or not tables:
        return entries
    records = linked(type(entries[0]), tables, [entry.pk for entry in entries])
    for name, of_entry in records.items():
        attach_relation(entries, name, of_entry)
    return entries


def attach_relation(entries: list, name: str, of_entry: dict[object, list]) -> None:
    """Give each of ``entries`` (of one model) the records ``of_entry[entry.pk]`` (none when
    absent) as its relation ``name``, as ``prefetch_related`` leaves them."""
    relation_query = _relation_query(entries[0], name)
    for entry in entries:
        # As prefetch_related leaves them: the relation's query, already evaluated.
        found = relation_query(entry)
        found._result_cache = of_entry.get(entry.pk, [])
        found._prefetch_done = True
        if not hasattr(entry, "_prefetched_objects_cache"):
            entry._prefetched_objects_cache = {}
        entry._prefetched_objects_cache[name] = found


def linked(model, tables: dict, ids) -> dict[str, dict[object, list]]:
    """The records the entries ``ids`` of ``model`` link to in each relation of ``tables``
    (relation -> the function giving the records this process keeps: ``kept_terms``,
    ``kept_languages``), by entry and in the records' own order: the links of the relations to
    one kind of record read in one statement (a term's key and a language's code are of two
    types, which PostgreSQL does not join in one result)."""
    found, kept_tables = {}, {}  # each kept table asked for once (one change mark to read)
    links = {}
    for table_of in dict.fromkeys(tables.values()):
        names = [name for name in tables if tables[name] is table_of]
        links.update(_links(model, names, list(ids)))
    for name, rows in links.items():
        if rows and tables[name] not in kept_tables:
            kept_tables[tables[name]] = tables[name]()
        table = kept_tables.get(tables[name])
        of_entry: dict[object, list] = {}
        for entry_id, record_id in rows:
            of_entry.setdefault(entry_id, []).append(table.by_id[record_id])
        for records in of_entry.values():
            records.sort(key=lambda record: table.place[record.pk])
        found[name] = of_entry
    return found


def _links(model, names, ids) -> dict[str, list[tuple]]:
    """The (entry, term or language) links of the entries ``ids`` of ``model`` in each of its
    relations ``names``: as many relations in one statement as keep it under
    ``_LINK_PARAMETERS`` (a page of search hits reads them all in one; an import's indexing, a
    few at a time)."""
    names = list(names)
    connection = connections[router.db_for_read(model)]
    quote = connection.ops.quote_name
    tables = []
    for name in names:
        field = model._meta.get_field(name)
        through = field.remote_field.through._meta
        source = quote(through.get_field(field.m2m_field_name()).column)
        target = quote(through.get_field(field.m2m_reverse_field_name()).column)
        tables.append((quote(through.db_table), source, target))
    links: dict[str, list[tuple[int, int]]] = {name: [] for name in names}
    with connection.cursor() as cursor:
        for first in range(0, len(ids), _LINK_PARAMETERS):
            some = ids[first : first + _LINK_PARAMETERS]
            marks = ", ".join(["%s"] * len(some))
            together = max(1, _LINK_PARAMETERS // len(some))
            for start in range(0, len(names), together):
                chosen = range(start, min(start + together, len(names)))
                cursor.execute(
                    " UNION ALL ".join(
                        f"SELECT {position}, {tables[position][1]}, {tables[position][2]}"  # noqa: S608 - names from the models, keys as parameters
                        f" FROM {tables[position][0]} WHERE {tables[position][1]} IN ({marks})"
                        for position in chosen
                    ),
                    some * len(chosen),
                )
                for position, entry_id, term_id in cursor.fetchall():
                    links[names[position]].append((entry_id, term_id))
    return links


_LINK_PARAMETERS = 10_000  # per statement (SQLite takes at most 32,766; PostgreSQL 65,535)


def _relation_query(example, name):
    """A function giving an entry the query of its relation ``name``, as ``entry.<name>.all()``
    gives it, copied from the one of ``example`` (an entry of the same model): the relation's
    manager, made for each entry, cost ten times more than the copy. The copy keeps the
    manager's filter on the entry for when a caller narrows the query (``.filter()``); where
    the manager's query is not of the expected shape, each entry's own manager makes it."""
    made = getattr(example, name).all()
    deferred = made._deferred_filter
    if (
        deferred is None
        or deferred[:2] != (False, ())
        or len(deferred[2]) != 1
        or list(deferred[2].values()) != [example.pk]
    ):
        return lambda entry: getattr(entry, name).all()
    [key] = deferred[2]
    query_class, model, query, using = type(made), made.model, made._query, made._db

    def relation_query(entry):
        found = query_class(model=model, query=query.clone(), using=using)
        found._add_hints(instance=entry)
        found._deferred_filter = (False, (), {key: entry.pk})
        return found

    return relation_query


def entries_per_term(vocabulary_name: str, links: QuerySet, entry_column: str) -> dict[int, int]:
    """Entries per term of the vocabulary, from ``links`` (the rows of a many-to-many table of
    terms, already narrowed to the entries to count; ``entry_column`` names the entry's): each
    entry counted once under a broader term whatever narrower ones it has, so that choosing the
    broader term finds them all. Counted by the database: one statement, and one more where the
    vocabulary has broader terms (reading every link into Python cost a second per 100,000
    entries)."""
    parent_of = kept_terms().parents(vocabulary_name)
    subtrees: dict[int, set[int]] = {}  # a broader term and every term under it
    for pk in parent_of:
        ancestor = parent_of[pk]
        while ancestor:
            subtrees.setdefault(ancestor, {ancestor}).add(pk)
            ancestor = parent_of.get(ancestor)
    links = links.order_by()
    # A link is unique per entry and term: counting links counts entries.
    counts = dict(links.values_list("term_id").annotate(n=Count("pk")))
    if subtrees:
        totals = links.aggregate(
            **{
                f"t{pk}": Count(entry_column, distinct=True, filter=Q(term_id__in=under))
                for pk, under in subtrees.items()
            }
        )
        counts.update((int(alias[1:]), n) for alias, n in totals.items())
    return {pk: n for pk, n in counts.items() if pk in parent_of and n}


def resolve_terms(vocabulary_name: str, codes, *, field: str, required: bool = False) -> list[Term]:
    """Terms for the given codes, or InvalidInputError naming the unknown ones and the known."""
    codes = [code.strip() for code in codes or [] if isinstance(code, str) and code.strip()]
    if required and not codes:
        raise InvalidInputError({field: "A value is required"})
    if not codes:
        return []
    if caching():  # many rows checked: the whole vocabulary, read once
        vocabulary = cached(
            ("terms", vocabulary_name), lambda: {t.code: t for t in terms_of(vocabulary_name)}
        )
    else:  # one record: only the terms it names
        vocabulary = {t.code: t for t in terms_of(vocabulary_name).filter(code__in=codes)}
    found = {code: vocabulary[code] for code in codes if code in vocabulary}
    unknown = [code for code in codes if code not in found]
    if unknown:
        known = ", ".join(terms_of(vocabulary_name).values_list("code", flat=True))
        plural = "s" if len(unknown) > 1 else ""
        listed = ", ".join(map(repr, unknown))
        raise InvalidInputError({field: f"Unknown code{plural} {listed}; known codes are: {known}"})
    return [found[code] for code in dict.fromkeys(codes)]


def resolve_country(code, *, field: str = "country") -> Country:
    """A country from its ISO 3166-1 alpha-3 or alpha-2 code."""
    if not isinstance(code, str) or not code.strip():
        raise InvalidInputError(
            {field: "A country code (ISO 3166-1 alpha-3, e.g. URY) is required"}
        )
    code = code.strip().upper()
    country = countries_named([code]).get(code)
    if country is None:
        raise InvalidInputError(
            {field: f"Unknown country code {code!r}; use ISO 3166-1 alpha-3, e.g. URY"}
        )
    return country


def countries_named(codes) -> dict[str, Country]:
    """The countries of upper-case ISO 3166-1 alpha-3 or alpha-2 codes, by the code given (an
    unknown code is left out). Within ``cached_lookups`` (thousands of rows checked) every
    country is read once; otherwise only the countries named."""

    def by_code(countries) -> dict[str, Country]:
        return {country.iso2: country for country in countries if country.iso2} | {
            country.iso3: country for country in countries
        }

    if caching():
        known = cached(("countries", "by code"), lambda: by_code(Country.objects.order_by()))
    else:
        known = by_code(Country.objects.order_by().filter(Q(iso3__in=codes) | Q(iso2__in=codes)))
    return {code: known[code] for code in codes if code in known}


def countries(region: str | None = None) -> QuerySet[Country]:
    """Countries, optionally in a UN M49 region, sub-region or intermediate region, given by
    name or code."""
    queryset = Country.objects.all()
    if region:
        queryset = queryset.filter(
            Q(region__iexact=region)
            | Q(subregion__iexact=region)
            | Q(intermediate_region__iexact=region)
            | Q(region_code=region)
            | Q(subregion_code=region)
            | Q(intermediate_region_code=region)
        )
    return queryset


def regions() -> list[dict]:
    """The UN M49 regions with their sub-regions, as present in the country table."""
    tree: dict[str, set[str]] = {}
    for country in all_countries().values():
        if country.region:
            tree.setdefault(country.region, set()).add(country.subregion)
    return [
        {"name": name, "subregions": sorted(s for s in subs if s)}
        for name, subs in sorted(tree.items())
    ]


def languages(*, un_only: bool = False) -> QuerySet[Language]:
    queryset = Language.objects.all()
    return queryset.filter(is_un_language=True) if un_only else queryset


def term_tree(vocabulary_name: str) -> list[tuple[Term, int]]:
    """A vocabulary's terms as (term, depth): each broader term followed by its narrower ones."""
    terms = list(terms_of(vocabulary_name).order_by("position", "code"))
    children: dict[int | None, list] = {}
    for term in terms:
        children.setdefault(term.parent_id, []).append(term)
    tree = []
    for root in children.get(None, []):
        tree.append((root, 0))
        tree.extend((child, 1) for child in children.get(root.pk, []))
    return tree


def countries_by_name() -> list[Country]:
    """The countries in the alphabetical order of their names in the interface language."""
    return sorted(all_countries().values(), key=lambda country: country.localized_name.casefold())
