"""One ranked, filtered page of search results across the catalogue's kinds."""

from dataclasses import dataclass, replace

from django.db.models import DateField, F, Value

from mercuryhub.catalogue.queries.filters import Filters, applies_to, filtered, scope
from mercuryhub.catalogue.queries.finder import nearest_facilities
from mercuryhub.catalogue.queries.visibility import (
    brief_entries,
    has_field,
    hit_entries,
    search_kind,
)
from mercuryhub.review.organizations import ORGANIZATIONS
from mercuryhub.search import engine, text

# Results ------------------------------------------------------------------------------------


@dataclass
class Hit:
    kind: str
    entry: object
    score: float | None = None
    snippet: str | None = None
    distance_km: float | None = None

    @property
    def template(self) -> str:
        """The template showing a hit of this type in a list of results."""
        return getattr(search_kind(self.kind), "hit_template", "") or "catalogue/_hit.html"


@dataclass
class Results:
    hits: list[Hit]
    total: int
    corrected_query: str | None = None


def _snippet(kind: str, entry, query: str) -> str | None:
    """The description around the matched words, else the name, else a video's transcript,
    else the waste categories whose synonyms matched ("CFL" → Mercury lamps: … CFL …)."""
    if not query:
        return None
    description_field = getattr(search_kind(kind), "description_field", "description")
    found = text.highlight(getattr(entry, description_field), query)
    if not found and kind != ORGANIZATIONS.name:  # an organization's hit shows its name already
        found = text.highlight(entry.name, query)
    transcript = getattr(entry, "transcript", "")
    if not found and transcript:
        found = text.highlight(transcript, query)
    waste = search_kind(kind).term_fields.get("waste")
    if found or not waste:
        return found
    tags = getattr(entry, waste).all()
    return text.highlight(
        " · ".join(f"{t.label}: {', '.join(t.synonyms)}" if t.synonyms else t.label for t in tags),
        query,
    )


def search(
    user, filters: Filters, *, limit: int = 20, offset: int = 0, brief: bool = False
) -> Results:
    """One ranked, filtered page across the types asked for (every type search finds when none
    is asked for). ``brief``: the hits' entries with only what the search API's item shows
    (``brief_entries``), else with what their templates show (``hit_entries``)."""
    kinds = [kind for kind in scope(filters) if applies_to(kind, filters)]
    read = brief_entries if brief else hit_entries
    if filters.sort == "distance" and filters.has_point:
        return _by_distance(user, filters, limit, offset, read)
    if filters.q and filters.sort == "relevance":
        return _by_relevance(user, filters, kinds, limit, offset, read)
    return _by_field(user, filters, kinds, limit, offset, read)


def _by_relevance(user, filters, kinds, limit, offset, read, corrected=None) -> Results:
    within = {}
    for kind in kinds if filters.narrows else ():
        sql, params = (
            filtered(kind, user, filters, with_text=False)
            .order_by()
            .values("pk")
            .query.sql_with_params()
        )
        within[kind] = (sql, list(params))
    ranked, total = engine.ranked(filters.q, kinds, within=within, limit=limit, offset=offset)
    if total == 0 and corrected is None:
        suggestion = text.corrected_query(filters.q)
        if suggestion:
            return _by_relevance(
                user, replace(filters, q=suggestion), kinds, limit, offset, read, suggestion
            )
    loaded = {kind: read(kind, user, [i for k, i, _s in ranked if k == kind]) for kind in kinds}
    hits = [
        Hit(kind, loaded[kind][pk], score, _snippet(kind, loaded[kind][pk], filters.q))
        for kind, pk, score in ranked
        if pk in loaded[kind]
    ]
    return Results(hits, total, corrected)


def _by_field(user, filters, kinds, limit, offset, read) -> Results:
    order = {"confirmed": ["-last_confirmed_at", "name"]}.get(filters.sort, ["name"])
    parts = [_sortable(kind, filtered(kind, user, filters), order) for kind in kinds]
    total = sum(part.count() for part in parts)
    rows = []
    for kind, part in zip(kinds, parts, strict=True):
        rows.extend((kind, row) for row in part.order_by(*_nulls_last(order))[: offset + limit])
    key_name = order[0].lstrip("-")
    descending = order[0].startswith("-")
    rows.sort(key=lambda item: (item[1][key_name] is None, item[1]["name"].casefold()))
    if descending:
        dated = [r for r in rows if r[1][key_name] is not None]
        dated.sort(key=lambda item: item[1][key_name], reverse=True)
        rows = dated + [r for r in rows if r[1][key_name] is None]
    page = rows[offset : offset + limit]
    loaded = {kind: read(kind, user, [row["pk"] for k, row in page if k == kind]) for kind in kinds}
    hits = [
        Hit(
            kind,
            loaded[kind][row["pk"]],
            snippet=_snippet(kind, loaded[kind][row["pk"]], filters.q),
        )
        for kind, row in page
    ]
    return Results(hits, total)


def _sortable(kind, queryset, order):
    """The sort keys of a type's records; a type without a date to sort on (an organization is
    never reconfirmed) sorts as an entry without one."""
    names = [o.lstrip("-") for o in order]
    missing = {name: Value(None, DateField()) for name in names if not has_field(kind, name)}
    return queryset.annotate(**missing).values("pk", *names)


def _nulls_last(order: list[str]) -> list:
    """Descending orders with empty values last on every engine (PostgreSQL puts them first)."""
    return [F(name[1:]).desc(nulls_last=True) if name.startswith("-") else name for name in order]


def _by_distance(user, filters, limit, offset, read=hit_entries) -> Results:
    queryset = filtered("facility", user, filters)
    nearest_rows, total = nearest_facilities(
        queryset, filters.lat, filters.lon, limit=offset + limit
    )
    page = nearest_rows[offset : offset + limit]
    loaded = read("facility", user, [pk for pk, _d in page])
    return Results(
        [
            Hit(
                "facility",
                loaded[pk],
                distance_km=distance,
                snippet=_snippet("facility", loaded[pk], filters.q),
            )
            for pk, distance in page
            if pk in loaded
        ],
        total,
    )
