"""Keeping the search index in step with every registered kind of entry: the index holds exactly
the entries each kind's ``visible_to`` lets the public see, with the document its kind builds."""

from bisect import bisect_left
from dataclasses import dataclass

from django.db import transaction

from mercuryhub.review import registry
from mercuryhub.search import ranking_index
from mercuryhub.search.engine import (
    do_drop_orphans,
    do_index,
    do_renew_generation,
    do_unindex,
)
from mercuryhub.search.words import words
from mercuryhub.taxonomy.models import Term
from mercuryhub.taxonomy.queries import (
    attach_relation,
    kept,
    kept_languages,
    kept_terms,
    language_fields,
    read_related,
    term_fields,
    term_with_descendants,
    terms_with_ancestors,
)


def do_index_entries(kind: registry.EntryKind, entries, context=None) -> int:
    """Put the entries visitors may see in the search index and take the others out: the
    index then holds exactly what ``visible_to`` selects, which unfiltered search relies on."""
    entries = list(entries)
    if not entries:
        return 0
    shown = set(
        kind.visible_to(None).filter(pk__in=[e.pk for e in entries]).values_list("pk", flat=True)
    )
    hidden = [e.pk for e in entries if e.pk not in shown]
    if hidden:
        do_unindex(kind.name, hidden)
    if not shown:  # a draft, say: nothing to build a document for
        return 0
    if context is None:
        context = kind.search_context()
    return do_index(kind.search_document(e, context) for e in entries if e.pk in shown)


def entries_to_index(kind: registry.EntryKind, queryset) -> list:
    """The entries of ``queryset`` with everything their search documents read (the kind's
    ``document_select_related`` and ``document_prefetch_related``): the terms of its tag fields
    and the countries and terms of its foreign keys are those this process keeps, shared
    between the entries (``attach_terms``, ``attach_references``)."""
    select = _or(kind.document_select_related, kind.select_related)
    prefetch = _or(kind.document_prefetch_related, kind.prefetch_related)
    return read_related(queryset, select, prefetch)


def written_entries_to_index(kind: registry.EntryKind, entries: list, relations: list[dict]):
    """New entries as their rows were just written (``do_create_entry_rows``: their foreign
    keys' records given) with, for each, the records of its relations (name -> records) it was
    linked to: the entries with everything their search documents read, as ``entries_to_index``
    would read them again, but from what was written. None where the documents read more than
    was given (a relation to records other than terms and languages, or a foreign key's record
    the entry does not hold): the caller reads them (``entries_to_index``)."""
    if not entries:
        return entries
    model = type(entries[0])
    select = _or(kind.document_select_related, kind.select_related)
    prefetch = _or(kind.document_prefetch_related, kind.prefetch_related)
    tables = {name: kept_terms for name in term_fields(model, prefetch)}
    tables |= {name: kept_languages for name in language_fields(model, prefetch)}
    if set(prefetch) - set(tables) or any("__" in name for name in select):
        return None
    if not all(
        model._meta.get_field(name).is_cached(entry) for name in select for entry in entries
    ):
        return None
    for name, table_of in tables.items():
        place = table_of().place
        of_entry = {
            entry.pk: sorted(dict.fromkeys(given.get(name, ())), key=lambda r: place[r.pk])
            for entry, given in zip(entries, relations, strict=True)
        }
        attach_relation(entries, name, of_entry)
    return entries


def _or(chosen: tuple | None, default: tuple) -> tuple:
    return default if chosen is None else chosen


def do_unindex_entries(kind: registry.EntryKind, ids) -> None:
    do_unindex(kind.name, list(ids))


def do_reindex_kind(kind: registry.EntryKind, *, batch_size: int = 2000, progress=None) -> int:
    """Rebuild the index of one kind, in batches; ``progress(done)`` after each batch."""
    queryset = kind.model.objects.order_by("pk")
    context = kind.search_context()
    total, done, last = 0, 0, 0
    while True:
        batch = entries_to_index(kind, queryset.filter(pk__gt=last)[:batch_size])
        if not batch:
            break
        with transaction.atomic():
            total += do_index_entries(kind, batch, context)
        last = batch[-1].pk
        done += len(batch)
        if progress:
            progress(done)
    return total


def do_reindex(kind_names=None, *, batch_size: int = 2000, progress=None) -> dict[str, int]:
    """Rebuild the index of every registered kind (or those named): after a bulk load or a change
    of vocabulary. Returns the number of entries indexed per kind."""
    do_drop_orphans()
    if kind_names is None:
        do_renew_generation()
    chosen = [k for k in registry.kinds() if kind_names is None or k.name in kind_names]
    counts = {
        kind.name: do_reindex_kind(
            kind,
            batch_size=batch_size,
            progress=(lambda done, name=kind.name: progress(name, done)) if progress else None,
        )
        for kind in chosen
    }
    if ranking_index.enabled():  # here rather than in a thread a command's end would stop
        ranking_index.index_for().catch_up()
    return counts


def do_reindex_terms(term_ids) -> dict[str, int]:
    """Reindex the entries of every kind whose search document holds one of the terms' labels and
    synonyms, those tagged with it or with a broader term, and those tagged with a narrower term
    (the broader terms an entry is counted under in the filter panel are kept with it): after a
    vocabulary changed."""
    below = {
        narrower.pk
        for term in Term.objects.filter(pk__in=term_ids)
        for narrower in term_with_descendants(term)
    }
    return do_reindex_entries_tagged(terms_with_ancestors(term_ids) | below)


def do_reindex_entries_tagged(term_ids) -> dict[str, int]:
    """Reindex the entries of every kind tagged with one of the terms."""
    counts = {}
    for kind in registry.kinds():
        tagged = kind.tagged_with(term_ids)
        if tagged is None:
            continue
        context = kind.search_context()
        total, ids = 0, list(tagged.order_by().values_list("pk", flat=True).distinct())
        for start in range(0, len(ids), 2000):
            batch = (
                kind.model.objects.filter(pk__in=ids[start : start + 2000])
                .select_related(*kind.select_related)
                .prefetch_related(*kind.prefetch_related)
            )
            total += do_index_entries(kind, batch, context)
        counts[kind.name] = total
    return counts


# Which tags a word of a query finds entries by (search/tags.py) ----------------------------


@dataclass(frozen=True)
class TermWords:
    """Every word of the terms' labels and synonyms in every language, as search splits them
    (sorted, each once), with the terms an entry tagged with has it in its tags: the terms
    holding the word and their broader terms."""

    words: list[str]
    tagged: list[frozenset[int]]
    holding: list[frozenset[int]]  # the terms holding the word themselves


def term_words() -> TermWords:
    """The words of every term and the terms each finds, worked out once for as long as the
    reference data does not change (``taxonomy.queries.kept``)."""

    def load():
        terms = kept_terms().by_id
        holders: dict[str, set[int]] = {}
        own: dict[str, set[int]] = {}
        for term in terms.values():
            with_broader, parent = {term.pk}, term.parent_id
            while parent is not None and parent not in with_broader:
                with_broader.add(parent)
                parent = terms[parent].parent_id if parent in terms else None
            for text in term.search_words():
                for word in words(text):
                    holders.setdefault(word, set()).update(with_broader)
                    own.setdefault(word, set()).add(term.pk)
        ordered = sorted(holders)
        return TermWords(
            ordered,
            [frozenset(holders[word]) for word in ordered],
            [frozenset(own[word]) for word in ordered],
        )

    return kept("term_words", load)


def terms_tagged_for(word: str) -> dict[int, bool]:
    """The terms an entry is found by ``word`` (a word of a query, as search splits them)
    when tagged with: those with a word of their labels or synonyms, in any language, that
    begins with it (True), and their broader terms (False) (search/tags.py)."""
    index = term_words()
    found: dict[int, bool] = {}
    for position in range(bisect_left(index.words, word), len(index.words)):
        if not index.words[position].startswith(word):
            break
        for pk in index.tagged[position]:
            found[pk] = found.get(pk, False) or pk in index.holding[position]
    return found
