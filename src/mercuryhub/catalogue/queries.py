"""Permission-scoped reads of the catalogue: what a person may see, filtered, faceted, ranked."""

from dataclasses import dataclass, field, replace
from datetime import timedelta

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet
from django.db.models.expressions import RawSQL
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from mercuryhub.accounts.queries import (
    can_edit_organization,
    is_administrator,
    is_reviewer,
    organizations_editable_by,
)
from mercuryhub.catalogue.fields import entry_data, normalized
from mercuryhub.catalogue.models import EntryVersion, Expert, Facility, Offering, ReviewState
from mercuryhub.lib.errors import InvalidInputError
from mercuryhub.lib.geo import bounding_boxes, haversine_km
from mercuryhub.lib.world import country_at
from mercuryhub.search import engine
from mercuryhub.taxonomy.models import Country, Language, Term
from mercuryhub.taxonomy.queries import term_with_descendants

KINDS = ("facility", "offering", "expert")
UPDATE_CYCLE_DAYS = 365  # the catalogue's entries are reconfirmed every year
SORTS = ("relevance", "name", "distance", "confirmed")

# Which field of each kind a facet filters on; None: the facet does not apply to that kind.
_TERM_FIELDS = {
    "waste": {
        "facility": "accepted_wastes",
        "offering": "waste_categories",
        "expert": "waste_categories",
    },
    "phase": {"facility": "phases", "offering": "phases", "expert": "phases"},
    "technology": {"facility": "technologies", "offering": "technologies", "expert": None},
}
_VOCABULARIES = {
    "waste": "waste_categories",
    "phase": "management_phases",
    "technology": "treatment_technologies",
}


# Visibility ---------------------------------------------------------------------------------


def facilities_visible_to(user) -> QuerySet[Facility]:
    return Facility.objects.filter(published=True)


def offerings_visible_to(user) -> QuerySet[Offering]:
    return Offering.objects.filter(published=True)


def experts_visible_to(user) -> QuerySet[Expert]:
    return Expert.objects.filter(published=True, consent_to_publication=True)


VISIBLE = {
    "facility": facilities_visible_to,
    "offering": offerings_visible_to,
    "expert": experts_visible_to,
}


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


# Filters ------------------------------------------------------------------------------------


# The filters that narrow the records beyond the text query and the kinds.
_NARROWING = (
    "waste",
    "phase",
    "technology",
    "country",
    "region",
    "language",
    "status",
    "validated",
    "confirmed",
)


@dataclass(frozen=True)
class Filters:
    """What a person asked for, from the URL or the API; every list page and API reads it."""

    q: str = ""
    kinds: tuple[str, ...] = ()
    waste: tuple[str, ...] = ()
    phase: tuple[str, ...] = ()
    technology: tuple[str, ...] = ()
    country: tuple[str, ...] = ()
    region: str = ""
    language: tuple[str, ...] = ()
    status: tuple[str, ...] = ()
    validated: bool = False
    confirmed: bool = False  # reconfirmed within the yearly update cycle
    sort: str = "relevance"
    lat: float | None = None
    lon: float | None = None
    # The records the text query matches, looked up once when many statements will ask
    # (facets): ((kind, ids), ...). None: each statement runs the full-text match itself.
    matched: tuple[tuple[str, tuple[int, ...]], ...] | None = field(
        default=None, compare=False, repr=False
    )

    def without(self, facet: str) -> "Filters":
        empty = "" if facet == "region" else (False if facet in {"validated", "confirmed"} else ())
        return replace(self, **{"kinds" if facet == "type" else facet: empty})

    def chosen(self) -> list[tuple[str, str]]:
        """The filter panel's choices as (parameter, value) pairs, as the search page sends them."""
        pairs = [("type", kind) for kind in self.kinds]
        for name in ("waste", "phase", "technology", "country", "language", "status"):
            pairs.extend((name, value) for value in getattr(self, name))
        if self.region:
            pairs.append(("region", self.region))
        return pairs

    @property
    def narrows(self) -> bool:
        """Whether anything but the text and the kinds is asked for: only then do results need
        checking against the records (the search index holds exactly the visible ones)."""
        return any(getattr(self, name) for name in _NARROWING)

    @property
    def has_point(self) -> bool:
        return self.lat is not None and self.lon is not None


def _codes(values) -> tuple[str, ...]:
    found = []
    for value in values or []:
        found.extend(part.strip() for part in str(value).split(",") if part.strip())
    return tuple(dict.fromkeys(found))


def parse_filters(params) -> Filters:
    """Filters from query parameters (a QueryDict or a dict of lists); InvalidInputError names
    each unknown code or malformed value."""

    def many(name):
        if hasattr(params, "getlist"):
            return _codes(params.getlist(name))
        value = params.get(name)
        return _codes(value if isinstance(value, list | tuple) else [value] if value else [])

    def one(name):
        value = params.get(name)
        return (value[0] if isinstance(value, list | tuple) and value else value or "").strip()

    errors: dict[str, str] = {}
    kinds = many("type")
    for kind in kinds:
        if kind not in KINDS:
            errors["type"] = f"Unknown type {kind!r}; use facility, offering or expert"
    for name in _VOCABULARIES:
        try:
            check_codes(name, many(name))
        except InvalidInputError as error:
            errors.update(error.errors)
    countries = tuple(code.upper() for code in many("country"))
    known_countries = set(Country.objects.filter(iso3__in=countries).values_list("iso3", flat=True))
    unknown_countries = [code for code in countries if code not in known_countries]
    if unknown_countries:
        listed = ", ".join(map(repr, unknown_countries))
        errors["country"] = f"Unknown country code {listed}; use ISO 3166-1 alpha-3"
    region = one("region")
    if region and not _region_countries(region).exists():
        errors["region"] = f"Unknown UN M49 region {region!r}"
    languages = tuple(code.lower() for code in many("language"))
    known_languages = set(
        Language.objects.filter(code__in=languages).values_list("code", flat=True)
    )
    if set(languages) - known_languages:
        listed = ", ".join(sorted(set(languages) - known_languages))
        errors["language"] = f"Unknown language code {listed}; use ISO 639-1"
    statuses = many("status")
    if set(statuses) - set(Facility.Status.values):
        errors["status"] = f"Unknown status; use {', '.join(Facility.Status.values)}"
    sort = one("sort") or "relevance"
    if sort not in SORTS:
        errors["sort"] = f"Unknown sort {sort!r}; use {', '.join(SORTS)}"
    lat, lon = (
        _coordinate(one("lat"), "lat", 90, errors),
        _coordinate(one("lon"), "lon", 180, errors),
    )
    if (lat is None) != (lon is None) and "lat" not in errors and "lon" not in errors:
        errors["lat" if lat is None else "lon"] = "Give both lat and lon"
    if sort == "distance" and (lat is None or lon is None) and "lat" not in errors:
        errors["sort"] = "Sorting by distance needs a point: give lat and lon"
    if errors:
        raise InvalidInputError(errors)
    validated = one("validated").lower() in {"1", "true", "yes", "on"}
    confirmed = one("confirmed").lower() in {"1", "true", "yes", "on"}
    return Filters(
        q=one("q")[:200],
        kinds=kinds,
        waste=many("waste"),
        phase=many("phase"),
        technology=many("technology"),
        country=countries,
        region=region,
        language=languages,
        status=statuses,
        validated=validated,
        confirmed=confirmed,
        sort=sort,
        lat=lat,
        lon=lon,
    )


def _coordinate(raw: str, name: str, limit: int, errors: dict) -> float | None:
    if not raw:
        return None
    try:
        value = float(raw)
    except ValueError:
        errors[name] = f"{raw!r} is not a number"
        return None
    if not -limit <= value <= limit:
        label = "Latitude" if name == "lat" else "Longitude"
        errors[name] = f"{label} must be between -{limit} and {limit}, got {raw}"
        return None
    return value


def _terms_with_descendants(vocabulary: str, codes) -> list[int]:
    ids = set()
    for term in Term.objects.filter(vocabulary__name=vocabulary, code__in=codes):
        ids.update(t.pk for t in term_with_descendants(term))
    return sorted(ids)


def _region_countries(region: str) -> QuerySet[Country]:
    return Country.objects.filter(
        Q(region__iexact=region)
        | Q(subregion__iexact=region)
        | Q(intermediate_region__iexact=region)
    )


def applies_to(kind: str, filters: Filters) -> bool:
    """Whether records of this kind can match: no expert has a treatment technology, only
    facilities have a status."""
    if filters.kinds and kind not in filters.kinds:
        return False
    if filters.technology and _TERM_FIELDS["technology"][kind] is None:
        return False
    if filters.status and kind != "facility":
        return False
    return not (filters.sort == "distance" and kind != "facility")


def filtered(kind: str, user, filters: Filters, *, with_text: bool = True) -> QuerySet:
    """The visible records of one kind that pass every filter (the text query included unless
    with_text is False: ranking applies it then)."""
    queryset = VISIBLE[kind](user)
    if not applies_to(kind, filters):
        return queryset.none()
    for facet, vocabulary in _VOCABULARIES.items():
        codes = getattr(filters, facet)
        field_name = _TERM_FIELDS[facet][kind]
        if codes and field_name:
            # A correlated EXISTS on the (entry, term) index: cheap per row once other filters
            # (a bounding box, a text match) have narrowed the rows, unlike an IN over every
            # entry tagged with the terms.
            through = getattr(queryset.model, field_name).through
            column = f"{queryset.model._meta.model_name}_id"
            tagged = through.objects.filter(
                **{
                    column: OuterRef("pk"),
                    "term_id__in": _terms_with_descendants(vocabulary, codes),
                }
            )
            queryset = queryset.filter(Exists(tagged))
    if filters.country:
        field_name = "countries_served" if kind == "offering" else "country"
        queryset = (
            queryset.filter(**{f"{field_name}__in": filters.country}).distinct()
            if kind == "offering"
            else queryset.filter(country__in=filters.country)
        )
    if filters.region:
        countries = _region_countries(filters.region)
        if kind == "offering":
            queryset = queryset.filter(
                Q(countries_served__in=countries) | Q(regions_served__icontains=filters.region)
            ).distinct()
        else:
            queryset = queryset.filter(country__in=countries)
    if filters.language:
        queryset = queryset.filter(
            pk__in=queryset.model.objects.filter(languages__in=filters.language).values("pk")
        )
    if filters.status and kind == "facility":
        queryset = queryset.filter(status__in=filters.status)
    if filters.validated:
        queryset = queryset.filter(validated_at__isnull=False)
    if filters.confirmed:
        since = timezone.localdate() - timedelta(days=UPDATE_CYCLE_DAYS)
        queryset = queryset.filter(last_confirmed_at__gte=since)
    if with_text and filters.q and filters.matched is not None:
        queryset = queryset.filter(pk__in=dict(filters.matched).get(kind, ()))
    elif with_text and filters.q:
        match = engine.match_sql(filters.q, kind)
        if match is not None:
            queryset = queryset.filter(pk__in=RawSQL(*match))  # noqa: S611 - parameters bound
    return queryset


# Facets -------------------------------------------------------------------------------------


@dataclass
class FacetValue:
    value: str
    label: str
    count: int
    selected: bool
    depth: int = 0


@dataclass
class Facet:
    name: str
    label: str
    values: list[FacetValue] = field(default_factory=list)


def _term_counts(facet: str, user, filters: Filters) -> dict[int, int]:
    """Entries per term, each counted once under a parent term whatever children it has."""
    vocabulary = _VOCABULARIES[facet]
    terms = list(Term.objects.filter(vocabulary__name=vocabulary))
    counts: dict[int, set] = {term.pk: set() for term in terms}
    parent_of = {term.pk: term.parent_id for term in terms}
    base = filters.without(facet)
    for kind in KINDS:
        field_name = _TERM_FIELDS[facet][kind]
        if not field_name or not applies_to(kind, base):
            continue
        through = getattr(VISIBLE[kind](user).model, field_name).through
        column = f"{VISIBLE[kind](user).model._meta.model_name}_id"
        pairs = through.objects.filter(
            **{f"{column}__in": filtered(kind, user, base).values("pk")}
        ).values_list("term_id", column)
        for term_id, entry_id in pairs.iterator(chunk_size=5000):
            counts[term_id].add((kind, entry_id))
            parent = parent_of.get(term_id)
            while parent:
                counts[parent].add((kind, entry_id))
                parent = parent_of.get(parent)
    return {pk: len(entries) for pk, entries in counts.items()}


def _kind_counts(user, filters: Filters) -> dict[str, int]:
    base = filters.without("type")
    return {kind: filtered(kind, user, base).count() for kind in KINDS}


# Up to this many matches, facets look the text query's matches up once and count from their
# ids, instead of running the full-text match again in each of their twenty-odd statements.
FACET_MATCHES_LOOKED_UP = 2000


def _text_looked_up(filters: Filters) -> Filters:
    if not filters.q:
        return filters
    found = engine.matches(filters.q, list(KINDS), cap=FACET_MATCHES_LOOKED_UP)
    if found is None:
        return filters
    return replace(filters, matched=tuple((kind, tuple(ids)) for kind, ids in found.items()))


def facets(user, filters: Filters) -> list[Facet]:
    filters = _text_looked_up(filters)
    result = []
    kind_counts = _kind_counts(user, filters)
    labels = {
        "facility": _("Facilities"),
        "offering": _("Technologies and services"),
        "expert": _("Experts"),
    }
    result.append(
        Facet(
            "type",
            _("Entry type"),
            [FacetValue(k, labels[k], kind_counts[k], k in filters.kinds) for k in KINDS],
        )
    )
    facet_labels = {
        "waste": _("Waste category"),
        "phase": _("Management phase"),
        "technology": _("Treatment technology"),
    }
    for facet, vocabulary in _VOCABULARIES.items():
        counts = _term_counts(facet, user, filters)
        values = []
        for term in Term.objects.filter(vocabulary__name=vocabulary).order_by("position"):
            depth = 1 if term.parent_id else 0
            selected = term.code in getattr(filters, facet)
            if counts.get(term.pk) or selected:
                values.append(
                    FacetValue(term.code, term.label, counts.get(term.pk, 0), selected, depth)
                )
        result.append(Facet(facet, facet_labels[facet], values))
    result.append(_region_facet(user, filters))
    result.append(_country_facet(user, filters))
    result.append(_status_facet(user, filters))
    result.append(_language_facet(user, filters))
    return result


def _entries_per_country(user, filters: Filters) -> dict[str, int]:
    """Facilities and experts per country (each has one country; offerings serve many)."""
    totals: dict[str, int] = {}
    for kind in ("facility", "expert"):
        if applies_to(kind, filters):
            for row in filtered(kind, user, filters).values("country").annotate(n=Count("pk")):
                totals[row["country"]] = totals.get(row["country"], 0) + row["n"]
    return totals


def _region_facet(user, filters: Filters) -> Facet:
    """UN M49 regions and sub-regions with the facilities and experts in them."""
    totals = _entries_per_country(user, filters.without("region"))
    regions: dict[tuple[str, str], int] = {}
    for region, subregion, iso3 in Country.objects.filter(iso3__in=totals).values_list(
        "region", "subregion", "iso3"
    ):
        regions[(region, "")] = regions.get((region, ""), 0) + totals[iso3]
        if subregion:
            regions[(region, subregion)] = regions.get((region, subregion), 0) + totals[iso3]
    selected = filters.region.casefold()
    values = [
        FacetValue(
            subregion or region,
            subregion or region,
            count,
            (subregion or region).casefold() == selected,
            1 if subregion else 0,
        )
        for (region, subregion), count in sorted(regions.items())
    ]
    if filters.region and not any(value.selected for value in values):
        values.append(FacetValue(filters.region, filters.region, 0, True))
    return Facet("region", _("UN region"), values)


def _country_facet(user, filters: Filters) -> Facet:
    totals = _entries_per_country(user, filters.without("country"))
    names = dict(
        Country.objects.filter(iso3__in=totals.keys() | set(filters.country)).values_list(
            "iso3", "name"
        )
    )
    values = [
        FacetValue(code, names.get(code, code), totals.get(code, 0), code in filters.country)
        for code in sorted(names, key=lambda c: (-totals.get(c, 0), names[c]))
    ]
    return Facet("country", _("Country"), values)


def _status_facet(user, filters: Filters) -> Facet:
    base = filters.without("status")
    rows = {}
    if applies_to("facility", base):
        rows = dict(filtered("facility", user, base).values_list("status").annotate(n=Count("pk")))
    return Facet(
        "status",
        _("Facility status"),
        [
            FacetValue(v, label, rows.get(v, 0), v in filters.status)
            for v, label in Facility.Status.choices
            if rows.get(v) or v in filters.status
        ],
    )


def _language_facet(user, filters: Filters) -> Facet:
    base = filters.without("language")
    totals: dict[str, int] = {}
    for kind in KINDS:
        if applies_to(kind, base):
            model = VISIBLE[kind](user).model
            through = model.languages.through
            column = f"{model._meta.model_name}_id"
            for row in (
                through.objects.filter(**{f"{column}__in": filtered(kind, user, base).values("pk")})
                .values("language_id")
                .annotate(n=Count("pk"))
            ):
                totals[row["language_id"]] = totals.get(row["language_id"], 0) + row["n"]
    names = dict(
        Language.objects.filter(code__in=totals.keys() | set(filters.language)).values_list(
            "code", "name"
        )
    )
    values = [
        FacetValue(code, names[code], totals.get(code, 0), code in filters.language)
        for code in sorted(names, key=lambda c: -totals.get(c, 0))
    ]
    return Facet("language", _("Language"), values)


# Results ------------------------------------------------------------------------------------


@dataclass
class Hit:
    kind: str
    entry: object
    score: float | None = None
    snippet: str | None = None
    distance_km: float | None = None


@dataclass
class Results:
    hits: list[Hit]
    total: int
    corrected_query: str | None = None


_RELATED = {
    "facility": (["operator", "country"], ["accepted_wastes"]),
    "offering": (["provider"], ["waste_categories"]),
    "expert": (["organization", "country"], ["waste_categories", "languages"]),
}


def _load(kind: str, user, ids: list[int]) -> dict[int, object]:
    if not ids:
        return {}
    select, prefetch = _RELATED[kind]
    queryset = VISIBLE[kind](user).select_related(*select).prefetch_related(*prefetch)
    return {entry.pk: entry for entry in queryset.filter(pk__in=ids)}


_TAGS = {
    "facility": "accepted_wastes",
    "offering": "waste_categories",
    "expert": "waste_categories",
}


def _snippet(entry, query: str) -> str | None:
    """The description around the matched words, else the name, else the waste categories whose
    synonyms matched ("CFL" → Mercury lamps: … CFL …)."""
    if not query:
        return None
    found = engine.highlight(entry.description, query) or engine.highlight(entry.name, query)
    if found:
        return found
    tags = getattr(entry, _TAGS[_kind_name(entry)]).all()
    return engine.highlight(
        " · ".join(f"{t.label}: {', '.join(t.synonyms)}" if t.synonyms else t.label for t in tags),
        query,
    )


def _kind_name(entry) -> str:
    return {Facility: "facility", Offering: "offering", Expert: "expert"}[type(entry)]


def search(user, filters: Filters, *, limit: int = 20, offset: int = 0) -> Results:
    """One ranked, filtered page of the catalogue across the kinds asked for."""
    kinds = [kind for kind in KINDS if applies_to(kind, filters)]
    if filters.sort == "distance" and filters.has_point:
        return _by_distance(user, filters, limit, offset)
    if filters.q and filters.sort == "relevance":
        return _by_relevance(user, filters, kinds, limit, offset)
    return _by_field(user, filters, kinds, limit, offset)


def _by_relevance(user, filters, kinds, limit, offset, corrected=None) -> Results:
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
        suggestion = engine.corrected_query(filters.q)
        if suggestion:
            return _by_relevance(
                user, replace(filters, q=suggestion), kinds, limit, offset, suggestion
            )
    loaded = {kind: _load(kind, user, [i for k, i, _s in ranked if k == kind]) for kind in kinds}
    hits = [
        Hit(kind, loaded[kind][pk], score, _snippet(loaded[kind][pk], filters.q))
        for kind, pk, score in ranked
        if pk in loaded[kind]
    ]
    return Results(hits, total, corrected)


def _by_field(user, filters, kinds, limit, offset) -> Results:
    order = {"confirmed": ["-last_confirmed_at", "name"]}.get(filters.sort, ["name"])
    parts = [
        filtered(kind, user, filters).values("pk", *[o.lstrip("-") for o in order])
        for kind in kinds
    ]
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
    loaded = {
        kind: _load(kind, user, [row["pk"] for k, row in page if k == kind]) for kind in kinds
    }
    hits = [
        Hit(kind, loaded[kind][row["pk"]], snippet=_snippet(loaded[kind][row["pk"]], filters.q))
        for kind, row in page
    ]
    return Results(hits, total)


def _nulls_last(order: list[str]) -> list:
    """Descending orders with empty values last on every engine (PostgreSQL puts them first)."""
    return [F(name[1:]).desc(nulls_last=True) if name.startswith("-") else name for name in order]


def _by_distance(user, filters, limit, offset) -> Results:
    queryset = filtered("facility", user, filters)
    nearest_rows, total = nearest_facilities(
        queryset, filters.lat, filters.lon, limit=offset + limit
    )
    page = nearest_rows[offset : offset + limit]
    loaded = _load("facility", user, [pk for pk, _d in page])
    return Results(
        [
            Hit(
                "facility",
                loaded[pk],
                distance_km=distance,
                snippet=_snippet(loaded[pk], filters.q),
            )
            for pk, distance in page
            if pk in loaded
        ],
        total,
    )


# Nearest ------------------------------------------------------------------------------------


def nearest_facilities(
    queryset: QuerySet[Facility],
    lat: float,
    lon: float,
    *,
    limit: int,
    start_km: float = 300.0,
    count: bool = True,
) -> tuple[list[tuple[int, float]], int | None]:
    """The ``limit`` facilities of the queryset nearest to the point, as (id, km) in increasing
    distance, and how many of the queryset have coordinates (None unless ``count``). A bounding
    box around the point is widened until it holds enough candidates whose distances prove that
    none outside is nearer."""
    located = queryset.filter(latitude__isnull=False, longitude__isnull=False)
    total = located.count() if count else None
    wanted = limit if total is None else min(limit, total)
    if wanted == 0:
        return [], total
    radius = start_km
    while True:
        box = Q()
        for south, north, west, east in bounding_boxes(lat, lon, radius):
            box |= Q(
                latitude__gte=south, latitude__lte=north, longitude__gte=west, longitude__lte=east
            )
        candidates = [
            (pk, haversine_km(lat, lon, c_lat, c_lon))
            for pk, c_lat, c_lon in located.filter(box).values_list("pk", "latitude", "longitude")
        ]
        candidates.sort(key=lambda item: (item[1], item[0]))
        within = [c for c in candidates if c[1] <= radius]
        if len(within) >= wanted or radius >= 20_100:
            return within[:wanted] if len(within) >= wanted else candidates[:wanted], total
        radius = min(radius * 3, 20_100)


# Facility finder ----------------------------------------------------------------------------


@dataclass
class Found:
    facility: Facility
    distance_km: float
    transboundary: bool


def find_facilities(
    user,
    *,
    waste: tuple[str, ...] = (),
    lat: float | None = None,
    lon: float | None = None,
    country: str | None = None,
    include_closed: bool = False,
    limit: int = 10,
) -> list[Found]:
    """Facilities accepting the wastes, nearest first, from a point or from a country (its
    centroid). A facility in another country than the origin is marked transboundary: moving
    waste there falls under the Basel Convention."""
    origin_country = None
    if country:
        origin_country = Country.objects.filter(iso3=country.upper()).first()
        if origin_country is None:
            raise InvalidInputError({"country": f"Unknown country code {country!r}"})
        if lat is None or lon is None:
            if origin_country.latitude is None:
                raise InvalidInputError({"country": f"No known centre for {origin_country.name}"})
            lat, lon = origin_country.latitude, origin_country.longitude
    if lat is None or lon is None:
        raise InvalidInputError({"lat": "Give a point (lat and lon) or a country"})
    if origin_country is None:
        origin_country = _country_at(lat, lon)
    filters = Filters(waste=waste, kinds=("facility",))
    queryset = filtered("facility", user, filters)
    if not include_closed:
        queryset = queryset.exclude(status=Facility.Status.CLOSED)
    rows, _total = nearest_facilities(queryset, lat, lon, limit=limit, count=False)
    loaded = _load("facility", user, [pk for pk, _d in rows])
    return [
        Found(
            loaded[pk],
            round(distance, 1),
            origin_country is None or loaded[pk].country_id != origin_country.iso3,
        )
        for pk, distance in rows
        if pk in loaded
    ]


def _country_at(lat: float, lon: float) -> Country | None:
    """The country whose Natural Earth outline contains the point; at sea or on a coast finer
    than the outlines, the country whose centre is nearest: a fair guess of where a clicked point
    lies when no country is given (the map shows the outlines for the person to check)."""
    code = country_at(lat, lon)
    found = Country.objects.filter(numeric=code).first() if code else None
    if found is not None:
        return found
    best, best_distance = None, None
    for country in Country.objects.exclude(latitude=None).only("iso3", "latitude", "longitude"):
        distance = haversine_km(lat, lon, country.latitude, country.longitude)
        if best_distance is None or distance < best_distance:
            best, best_distance = country, distance
    return best


def is_stale(entry) -> bool:
    """Not reconfirmed within the catalogue's yearly update cycle."""
    if entry.last_confirmed_at is None:
        return False
    return (timezone.localdate() - entry.last_confirmed_at).days > UPDATE_CYCLE_DAYS


# Helpers for the API ------------------------------------------------------------------------

query_words = engine.query_words

_DETAIL = {
    "facility": (
        ["operator", "country"],
        ["accepted_wastes", "phases", "technologies", "languages", "offerings"],
    ),
    "offering": (
        ["provider"],
        [
            "waste_categories",
            "phases",
            "technologies",
            "support_types",
            "countries_served",
            "languages",
            "facilities",
        ],
    ),
    "expert": (
        ["organization", "country"],
        [
            "languages",
            "waste_categories",
            "phases",
            "support_types",
            "nap_elements",
            "countries_of_experience",
        ],
    ),
}


def with_details(kind: str, queryset: QuerySet) -> QuerySet:
    """The queryset with everything an entry's page, API item or export row reads, in a fixed
    number of queries."""
    select, prefetch = _DETAIL[kind]
    return queryset.select_related(*select).prefetch_related(*prefetch)


def detailed(kind: str, user, ids: list[int]) -> dict[int, object]:
    """Visible entries by id with everything an API item shows."""
    return {entry.pk: entry for entry in with_details(kind, VISIBLE[kind](user)).filter(pk__in=ids)}


def split_codes(values) -> list[str]:
    return list(_codes(values))


def check_codes(facet: str, codes) -> None:
    """InvalidInputError naming the codes of a facet's vocabulary that do not exist."""
    vocabulary = _VOCABULARIES[facet]
    known = set(
        Term.objects.filter(vocabulary__name=vocabulary, code__in=codes).values_list(
            "code", flat=True
        )
    )
    unknown = [code for code in codes if code not in known]
    if unknown:
        listed = ", ".join(map(repr, unknown))
        slug = vocabulary.replace("_", "-")
        raise InvalidInputError(
            {facet: f"Unknown {facet} code {listed}; see /api/v1/taxonomy/{slug}"}
        )


# Pages --------------------------------------------------------------------------------------


def published_counts(user) -> dict[str, int]:
    return {kind: VISIBLE[kind](user).count() for kind in KINDS}


def related_facilities(user, facility: Facility, limit: int = 6) -> list[Facility]:
    """Other facilities accepting the same wastes, those sharing the most categories first."""
    wastes = [term.pk for term in facility.accepted_wastes.all()]
    return list(
        facilities_visible_to(user)
        .exclude(pk=facility.pk)
        .filter(accepted_wastes__in=wastes)
        .annotate(shared=Count("accepted_wastes"))
        .select_related("country")
        .order_by("-shared", "name")[:limit]
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


# Editing and review -------------------------------------------------------------------------


def organization_of(entry):
    return (
        getattr(entry, "operator", None)
        or getattr(entry, "provider", None)
        or getattr(entry, "organization", None)
    )


def can_edit_entry(user, entry) -> bool:
    """Editors of the entry's organization, the expert themself, and administrators."""
    if not user.is_authenticated or not user.is_active:
        return False
    if is_administrator(user):
        return True
    if isinstance(entry, Expert) and entry.user_id == user.pk:
        return True
    organization = organization_of(entry)
    return organization is not None and can_edit_organization(user, organization)


def can_review(user) -> bool:
    return is_reviewer(user)


def get_entry_for_editor(user, kind: str, pk: int):
    """An entry the user may edit; 404 when it is not visible to them at all, 403 when they may
    see it but not change it."""
    model = {"facility": Facility, "offering": Offering, "expert": Expert}[kind]
    entry = model.objects.filter(pk=pk).first()
    if entry is None:
        raise Http404(f"No {kind} {pk}")
    if can_edit_entry(user, entry) or can_review(user):
        return entry
    if entry.published and (kind != "expert" or entry.consent_to_publication):
        raise PermissionDenied(f"You cannot change this {kind}")
    raise Http404(f"No {kind} {pk}")


def entry_versions(kind: str, entry) -> QuerySet[EntryVersion]:
    return EntryVersion.objects.filter(kind=kind, object_id=entry.pk).select_related("created_by")


def latest_data(kind: str, entry) -> dict:
    """The entry's newest content: its latest version, or the published row when it has never
    been edited here (imported entries)."""
    version = entry_versions(kind, entry).order_by("-number").first()
    return version.data if version else normalized(kind, entry_data(kind, entry))


def version_data(kind: str, entry, number: int) -> dict | None:
    version = entry_versions(kind, entry).filter(number=number).first()
    return version.data if version else None


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


def review_queue(user, *, kind: str | None = None, country: str | None = None) -> list:
    """Submitted entries, oldest first, for reviewers."""
    if not can_review(user):
        return []
    entries = []
    for name, model in (("facility", Facility), ("offering", Offering), ("expert", Expert)):
        if kind and kind != name:
            continue
        queryset = model.objects.filter(review_state=ReviewState.SUBMITTED).select_related(
            "submitted_by"
        )
        if country:
            field_name = "countries_served" if name == "offering" else "country"
            queryset = queryset.filter(**{field_name: country})
        entries.extend((name, entry) for entry in queryset)
    entries.sort(key=lambda item: item[1].submitted_at or item[1].updated_at)
    return entries


def entries_editable_by(user) -> list:
    """Every entry the user may edit, newest change first."""
    if not user.is_authenticated:
        return []
    organizations = organizations_editable_by(user)
    found = [
        *(("facility", e) for e in Facility.objects.filter(operator__in=organizations)),
        *(("offering", e) for e in Offering.objects.filter(provider__in=organizations)),
        *(
            ("expert", e)
            for e in Expert.objects.filter(Q(organization__in=organizations) | Q(user=user))
        ),
    ]
    found.sort(key=lambda item: item[1].updated_at, reverse=True)
    return found
