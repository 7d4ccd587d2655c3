"""The matching engine: for a need, the facilities, offerings, experts, resources, case studies and
partner organizations that can help, best first, each with its score and its reasons in words.

A need is described by a ``Profile`` (the fields of a need; a posted need gives one, and so does
the "What do you need?" page without an account). Each kind of entity is a ``Source`` registered
here (``register``); later kinds join by registering theirs.

How a need is matched, deterministically:

1. **Candidates.** For each source, the published entities sharing a subject with the need (a
   waste category, its broader or narrower terms included, a management phase or a type of
   support), best first by an estimate of that share computed in SQL over the tag tables, at most
   ``POOL`` of them; with them the entities whose own text holds the need's telling words (the
   search module's ``related``); with neither subject nor words, the entities of the need's
   country or languages.
2. **Score.** Each candidate gets points for its subjects (how much of each of the need's
   dimensions it covers: the same term counts fully, a narrower one almost, a broader one in
   part), for its text relevance, its geography (same country, countries served, same region,
   distance for facilities), its languages, its validation and how recently it was validated or
   confirmed. The weights are ``WEIGHTS``, one configuration (``settings.MATCHING_WEIGHTS``
   overrides any of them).
3. **Order.** Highest score first; equal scores by kind, then id.

Every point given comes with its reason, in the reader's language: "accepts lamps", "in Ghana",
"same region: Western Africa", "speaks French", "validated 2026-03".
"""

import functools
import json
from collections.abc import Callable
from dataclasses import dataclass, field, fields, replace
from datetime import date, datetime
from pathlib import Path

from django.conf import settings
from django.db import connection
from django.db.models import Model, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from mercuryhub.exchange.profiles import DIMENSIONS, Profile
from mercuryhub.lib.geo import haversine_km
from mercuryhub.search import related as related_text
from mercuryhub.search.words import WORD, normalize, segmented, words
from mercuryhub.taxonomy.models import Country, Term
from mercuryhub.taxonomy.regions import region_label

POOL = 50  # candidates kept per source, by subject, before scoring in full
SCAN_ROWS = 500  # holders of a dimension's terms looked at to estimate the best by subject
TEXT_POOL = 75  # candidates kept by text relevance, over every source
# A word of the need that more than this share of the index holds tells too little of its
# subject to be searched (its holders would be thousands).
TELLING_SHARE = 0.005
RECENT_DAYS = 3 * 365  # validation or confirmation older than this earns no recency points


@dataclass(frozen=True)
class Weights:
    """How many points each part of a match is worth (the one configuration of the engine)."""

    waste_categories: float = 3.0
    phases: float = 1.0
    support_types: float = 1.5
    narrower: float = (
        0.8  # share of a dimension's points for a narrower term ("lamps" for "containing")
    )
    broader: float = 0.5  # share for a broader term ("containing" for "lamps")
    text: float = 2.0
    same_country: float = 1.5
    serves_country: float = 1.0
    same_subregion: float = 0.8
    same_region: float = 0.4
    distance: float = 1.0  # facilities: full points at the need country's centre
    distance_km: float = 2000.0  # ... none from this far
    language: float = 0.8
    validated: float = 0.5
    recent: float = 0.5


STOPWORDS_FILE = Path(__file__).resolve().parent / "data" / "stopwords.json"


@functools.cache
def _stopwords() -> frozenset[str]:
    """Words of a need's text that say nothing of its subject ("need", "help"), in the engine's
    folded form, from the data file."""
    listed = json.loads(STOPWORDS_FILE.read_text(encoding="utf-8"))["words"]
    return frozenset(word for words_ in listed.values() for w in words_ for word in words(w))


def _weights() -> Weights:
    overrides = getattr(settings, "MATCHING_WEIGHTS", {}) or {}
    unknown = set(overrides) - {f.name for f in fields(Weights)}
    if unknown:
        raise ValueError(f"Unknown MATCHING_WEIGHTS: {', '.join(sorted(unknown))}")
    return replace(Weights(), **overrides)


# Sources --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Tagging:
    """A many-to-many field of terms that answers one of the need's dimensions, and how a match
    on it reads ("accepts %(term)s")."""

    dimension: str
    field: str
    reason: Callable[[], str]  # a function, so that the text is in the reader's language


@dataclass(frozen=True)
class Source:
    """A kind of entity the engine ranks: where its published entities are, which of its fields
    answer a need's dimensions, and how its matches read."""

    kind: str  # the type in results, and the kind in the search index
    model: type[Model]
    candidates: Callable[[], QuerySet]  # the published entities
    taggings: tuple[Tagging, ...] = ()
    country: str | None = None  # the path to its country
    countries_served: str | None = None  # a many-to-many of the countries it works in
    served_reason: Callable[[], str] | None = None  # "serves %(country)s"
    # Without a country of its own: whether the countries it works in place it in the need's
    # region (a project in Burkina Faso for a need in Ghana).
    served_regions: bool = False
    languages: str | None = None  # a many-to-many of languages
    language_reason: Callable[[], str] = lambda: _("works in %(language)s")
    coordinates: bool = False  # latitude and longitude fields
    reviewed: bool = True  # validated_at and last_confirmed_at fields
    select_related: tuple[str, ...] = ()
    order: int = field(default=0, compare=False)  # among equal scores


_SOURCES: dict[str, Source] = {}


def register(source: Source) -> None:
    _SOURCES[source.kind] = replace(source, order=len(_SOURCES))


def sources() -> list[Source]:
    return list(_SOURCES.values())


# Matching -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Reason:
    """A reason, written in the reader's language only for the matches shown: a template
    (a function returning the translated text) and its values (texts, or functions giving
    them)."""

    template: Callable[[], str]
    values: dict = field(default_factory=dict)

    def __str__(self) -> str:
        values = {k: v() if callable(v) else v for k, v in self.values.items()}
        return self.template() % values


@dataclass
class Match:
    type: str
    id: int
    entity: object = None  # loaded for the best matches only
    score: float = 0.0
    reasons: list | None = None  # written for the matches shown only (``_explained``)
    text_at: int | None = None  # where the reason naming the words it mentions goes
    scoring: Callable | None = field(default=None, repr=False)  # scores it again, with reasons

    @property
    def title(self) -> str:
        return str(getattr(self.entity, "local_name", None) or self.entity)

    @property
    def url(self) -> str:
        return self.entity.get_absolute_url()


def top_matches(profile: Profile, *, limit: int = 10, kinds: list[str] | None = None) -> list:
    """The ``limit`` best matches for the profile, over the registered sources (or ``kinds``)."""
    weights = _weights()
    chosen = [s for s in _SOURCES.values() if kinds is None or s.kind in kinds]
    relations = _relations(profile, weights)
    text_scores, text_words = related_text.related(
        profile.text,
        [s.kind for s in chosen],
        limit=TEXT_POOL,
        max_share=TELLING_SHARE,
        ignore=_stopwords(),
    )
    matches = []
    for source in chosen:
        ids = set(_subject_candidates(source, relations, profile.country))
        ids |= {pk for (kind, pk) in text_scores if kind == source.kind}
        if not relations and not text_scores:
            ids |= set(_place_candidates(source, profile))
        if ids:
            matches.extend(_scored(source, ids, profile, relations, text_scores, weights))
    kind_order = {source.kind: source.order for source in chosen}
    matches.sort(key=lambda m: (-m.score, kind_order[m.type], m.id))
    shown = matches[:limit]
    for match in shown:  # the same score again, now with its reasons
        match.score, match.reasons = 0.0, []
        match.scoring(match)
    return _with_entities(shown, text_words)


def _reason(match: Match, template: Callable[[], str], **values) -> None:
    if match.reasons is not None:
        match.reasons.append(Reason(template, values))


def _with_entities(matches: list[Match], text_words: list[str]) -> list[Match]:
    """The matches with their entities loaded (scoring needs only a few of their fields), and
    the words of the need each mentions among its reasons."""
    by_kind: dict[str, list[int]] = {}
    for match in matches:
        by_kind.setdefault(match.type, []).append(match.id)
    loaded = {
        (kind, pk): entity
        for kind, ids in by_kind.items()
        for pk, entity in _SOURCES[kind].model.objects.in_bulk(ids).items()
    }
    for match in matches:
        match.entity = loaded[(match.type, match.id)]
        if match.text_at is not None:
            mentioned = _mentioned(match.entity, text_words)
            if mentioned:
                mention = Reason(lambda: _("mentions %(words)s"), {"words": ", ".join(mentioned)})
                match.reasons.insert(match.text_at, mention)
        match.reasons = [str(reason) for reason in match.reasons]
    return matches


class Relations(dict):
    """What each term of the need makes of the terms an entity holds: dimension -> term id ->
    [(share of the dimension's points, the need's term, how the entity's term relates to it)];
    ``terms``, the terms of the vocabularies concerned, by id; ``counts``, how many terms the need
    gives in each dimension."""

    terms: dict[int, Term]
    counts: dict[str, int]


def _relations(profile: Profile, weights: Weights) -> Relations:
    """For each dimension of the need, the terms an entity may hold that answer it: the need's
    own terms, the narrower terms below them and the broader ones above."""
    found = Relations()
    found.terms, found.counts = {}, {}
    wanted = {name: getattr(profile, name) for name in DIMENSIONS if getattr(profile, name)}
    if not wanted:
        return found
    vocabularies = [DIMENSIONS[name] for name in wanted]
    terms = {t.pk: t for t in Term.objects.filter(vocabulary__name__in=vocabularies)}
    found.terms = terms
    children: dict[int, list[int]] = {}
    for term in terms.values():
        if term.parent_id:
            children.setdefault(term.parent_id, []).append(term.pk)
    for name, need_terms in wanted.items():
        answers: dict[int, list[tuple[float, Term, str]]] = {}
        for need_term in need_terms:
            answers.setdefault(need_term.pk, []).append((1.0, need_term, "same"))
            stack = list(children.get(need_term.pk, []))
            while stack:
                current = stack.pop()
                answers.setdefault(current, []).append((weights.narrower, need_term, "narrower"))
                stack.extend(children.get(current, []))
            parent = terms[need_term.pk].parent_id if need_term.pk in terms else None
            while parent:
                answers.setdefault(parent, []).append((weights.broader, need_term, "broader"))
                parent = terms[parent].parent_id
        found[name] = answers
        found.counts[name] = len({term.pk for term in need_terms})
    return found


def _subject_candidates(source: Source, relations: Relations, country) -> list[int]:
    """The ids of the source's published entities holding terms that answer the need: those of
    the need's country (when the source has a country of its own), and the best by an estimate
    of their share (every answering term's best share, summed, weighted by dimension) among the
    first SCAN_ROWS holders of each dimension's terms, at most POOL of each."""
    quote = connection.ops.quote_name
    parts, params, held = [], [], []
    weights = _weights()
    for tagging in source.taggings:
        answers = relations.get(tagging.dimension)
        if not answers:
            continue
        m2m = source.model._meta.get_field(tagging.field)
        through = quote(m2m.remote_field.through._meta.db_table)
        own, term = quote(m2m.m2m_column_name()), quote(m2m.m2m_reverse_name())
        marks = ", ".join(["%s"] * len(answers))
        dimension_weight = getattr(weights, tagging.dimension) / relations.counts[tagging.dimension]
        cases = " ".join(["WHEN %s THEN %s"] * len(answers))
        parts.append(
            f"SELECT * FROM (SELECT {own} AS entity,"  # noqa: S608 - names from the models
            f" CASE {term} {cases} END AS points FROM {through}"
            f" WHERE {term} IN ({marks}) LIMIT %s) scanned"
        )
        for term_id, shares in answers.items():
            params.extend([term_id, dimension_weight * max(share for share, _n, _r in shares)])
        params.extend([*answers, SCAN_ROWS])
        held.append(
            (
                f"SELECT 1 FROM {through} t WHERE t.{own} = e.id AND t.{term} IN ({marks})",  # noqa: S608
                list(answers),
            )
        )
    if not parts:
        return []
    table = quote(source.model._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT t.entity FROM ({' UNION ALL '.join(parts)}) t"  # noqa: S608
            f" JOIN {table} e ON e.id = t.entity WHERE e.published = %s"
            " GROUP BY t.entity ORDER BY sum(t.points) DESC, t.entity LIMIT %s",
            [*params, True, POOL],
        )
        found = [row[0] for row in cursor.fetchall()]
        if country is not None and source.country == "country":
            # Driven by the index of the entities' countries: a few hundred, each probed.
            exists = " OR ".join(f"EXISTS ({sql})" for sql, _p in held)
            cursor.execute(
                f"SELECT e.id FROM {table} e WHERE e.country_id = %s"  # noqa: S608
                f" AND e.published = %s AND ({exists}) ORDER BY e.id LIMIT %s",
                [country.pk, True, *(p for _sql, ps in held for p in ps), POOL],
            )
            found.extend(row[0] for row in cursor.fetchall())
    return found


def _place_candidates(source: Source, profile: Profile) -> list[int]:
    """Without subject or words: the source's entities of the need's country, or in its
    languages, most recently validated first."""
    queryset = source.candidates()
    if profile.country and source.country:
        queryset = queryset.filter(**{source.country: profile.country})
    elif profile.languages and source.languages:
        queryset = queryset.filter(**{f"{source.languages}__in": profile.languages})
    else:
        return []
    order = ("-validated_at", "pk") if source.reviewed else ("pk",)
    return list(queryset.order_by(*order).values_list("pk", flat=True).distinct()[:POOL])


def _scored(source, ids, profile, relations, text_scores, weights) -> list[Match]:
    """Every candidate's score, from the few fields it rests on; each match can be scored again
    with its reasons (``Match.scoring``), which only the matches shown are."""
    names = ["pk"]
    if source.country:
        names.append(source.country)
    if source.reviewed:
        names += ["validated_at", "last_confirmed_at"]
    if source.coordinates:
        names += ["latitude", "longitude"]
    rows = list(source.candidates().filter(pk__in=ids).values(*names))
    countries = (
        Country.objects.in_bulk({row[source.country] for row in rows} - {None})
        if source.country and profile.country
        else {}
    )
    held = _held_terms(source, ids, relations)
    languages = _held(source, source.languages, ids, [lang.pk for lang in profile.languages])
    served = (
        _held(source, source.countries_served, ids, [profile.country.pk]) if profile.country else {}
    )
    if source.served_regions and profile.country:
        theirs_by_region = _served_region(source, ids, profile.country)
    else:
        theirs_by_region = {}
    today = timezone.localdate()

    def scoring(match: Match, row: dict) -> None:
        pk = row["pk"]
        for tagging in source.taggings:
            _add_subject(match, tagging, held.get((tagging.dimension, pk), ()), relations, weights)
        text = text_scores.get((source.kind, pk))
        if text:
            match.score += weights.text * text
            if match.reasons is not None:
                match.text_at = len(match.reasons)
        if profile.country:
            theirs = countries.get(row[source.country]) if source.country else None
            theirs = theirs or theirs_by_region.get(pk)
            _add_place(match, source, row, theirs, profile.country, served.get(pk), weights)
        spoken = languages.get(pk, set())
        if spoken:
            match.score += weights.language
            for language in profile.languages:
                if language.pk in spoken:
                    _reason(match, source.language_reason, language=_localized(language))
        if source.reviewed:
            _add_review(match, row, today, weights)
        match.score = round(match.score, 4)

    found = []
    for row in rows:
        match = Match(source.kind, row["pk"], scoring=functools.partial(scoring, row=row))
        scoring(match, row)
        if match.score > 0:
            found.append(match)
    return found


def _served_region(source, ids, country: Country) -> dict[int, Country]:
    """entity id -> one of the countries it works in that shares the need country's region,
    the finest shared first."""
    found: dict[int, Country] = {}
    for fine in (True, False):
        names = ("intermediate_region", "subregion") if fine else ("region",)
        near = {
            c.pk: c
            for c in Country.objects.exclude(pk=country.pk)
            if any(getattr(country, n) and getattr(c, n) == getattr(country, n) for n in names)
        }
        for pk, held in _held(source, source.countries_served, ids, list(near)).items():
            found.setdefault(pk, near[min(held)])
    return found


def _held_terms(source, ids, relations) -> dict[tuple[str, int], set[int]]:
    """(dimension, entity id) -> the terms it holds that answer the need."""
    held: dict[tuple[str, int], set[int]] = {}
    for tagging in source.taggings:
        answers = relations.get(tagging.dimension)
        if not answers:
            continue
        rows = _held(source, tagging.field, ids, list(answers))
        for entity_id, term_ids in rows.items():
            held[(tagging.dimension, entity_id)] = term_ids
    return held


def _held(source, field_name, ids, wanted) -> dict[int, set]:
    """entity id -> which of the wanted values its many-to-many field holds."""
    if not field_name or not wanted:
        return {}
    quote = connection.ops.quote_name
    m2m = source.model._meta.get_field(field_name)
    own, other = quote(m2m.m2m_column_name()), quote(m2m.m2m_reverse_name())
    ids, wanted = list(ids), list(wanted)
    found: dict[int, set] = {}
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {own}, {other} FROM {quote(m2m.remote_field.through._meta.db_table)}"  # noqa: S608
            f" WHERE {own} IN ({', '.join(['%s'] * len(ids))})"
            f" AND {other} IN ({', '.join(['%s'] * len(wanted))})",
            [*ids, *wanted],
        )
        for entity_id, value in cursor.fetchall():
            found.setdefault(entity_id, set()).add(value)
    return found


def _add_subject(match, tagging, held, relations, weights) -> None:
    """Points for how much of the dimension the entity covers, and a reason for each of the
    need's terms it answers (by its best answer)."""
    answers = relations.get(tagging.dimension)
    if not answers or not held:
        return
    best: dict[int, tuple[float, Term, str, int]] = {}  # need term -> best answer
    for term_id in held:
        for share, need_term, how in answers.get(term_id, ()):
            if share > best.get(need_term.pk, (0,))[0]:
                best[need_term.pk] = (share, need_term, how, term_id)
    if not best:
        return
    coverage = (
        sum(share for share, _n, _h, _t in best.values()) / relations.counts[tagging.dimension]
    )
    match.score += getattr(weights, tagging.dimension) * coverage
    if match.reasons is None:  # scoring only
        return
    for _share, need_term, how, term_id in sorted(best.values(), key=lambda b: (-b[0], b[1].pk)):
        reason = Reason(tagging.reason, {"term": _label(relations.terms[term_id])})
        if how == "broader":
            reason = Reason(
                lambda: _("%(reason)s, which includes %(term)s"),
                {"reason": reason.__str__, "term": _label(need_term)},
            )
        match.reasons.append(reason)


def _add_place(match, source, row, theirs, country, served, weights) -> None:
    if theirs is not None and theirs.pk == country.pk:
        match.score += weights.same_country
        _reason(match, lambda: _("in %(country)s"), country=_localized(country))
    elif served:
        match.score += weights.serves_country
        _reason(match, source.served_reason, country=_localized(country))
    elif theirs is not None and (shared := _shared_region(theirs, country, fine=True)):
        match.score += weights.same_subregion
        _reason(match, lambda: _("same region: %(region)s"), region=lambda: region_label(shared))
    elif theirs is not None and (shared := _shared_region(theirs, country, fine=False)):
        match.score += weights.same_region
        _reason(
            match,
            lambda: _("same part of the world: %(region)s"),
            region=lambda: region_label(shared),
        )
    if source.coordinates and country.latitude is not None and row["latitude"] is not None:
        distance = haversine_km(
            row["latitude"], row["longitude"], country.latitude, country.longitude
        )
        if distance < weights.distance_km:
            match.score += weights.distance * (1 - distance / weights.distance_km)
            _reason(
                match,
                lambda: _("about %(km)s km from the centre of %(country)s"),
                km=lambda: f"{round(distance, -1):,.0f}",
                country=_localized(country),
            )


def _localized(thing):
    """Its name in the reader's language, when the reason is written."""
    return lambda: thing.localized_name


def _label(term: Term):
    return lambda: term.localized_label


def _shared_region(theirs: Country, country: Country, *, fine: bool) -> str:
    """The finest UN M49 region the two countries share: an intermediate region or sub-region
    (``fine``), or the region."""
    names = ("intermediate_region", "subregion") if fine else ("region",)
    for name in names:
        value = getattr(country, name)
        if value and getattr(theirs, name) == value:
            return value
    return ""


def _add_review(match, row, today: date, weights) -> None:
    validated = row["validated_at"].date() if isinstance(row["validated_at"], datetime) else None
    confirmed = row["last_confirmed_at"]
    if validated:
        match.score += weights.validated
        _reason(match, lambda: _("validated %(month)s"), month=lambda: validated.strftime("%Y-%m"))
    latest = max((d for d in (validated, confirmed) if d), default=None)
    if latest:
        age = (today - latest).days
        if age < RECENT_DAYS:
            match.score += weights.recent * (1 - max(age, 0) / RECENT_DAYS)
        if confirmed and confirmed == latest and confirmed != validated:
            _reason(
                match, lambda: _("confirmed %(month)s"), month=lambda: confirmed.strftime("%Y-%m")
            )


def _mentioned(entity, searched: list[str]) -> list[str]:
    """The words of the entity's name or description that the search found, as it writes
    them, at most four."""
    name = getattr(entity, "local_name", None) or str(entity)
    text = segmented(f"{name} {getattr(entity, 'local_description', '') or ''}")
    found: dict[str, str] = {}
    for written in WORD.findall(text):
        folded = normalize(written)
        if folded not in found and any(folded.startswith(term) for term in searched):
            found[folded] = written
    return list(found.values())[:4]
