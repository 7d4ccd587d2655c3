"""The catalogue's search filters: parsed from a request, checked, applied to each kind."""

from dataclasses import dataclass, field, replace
from datetime import timedelta

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.db.models.expressions import RawSQL
from django.utils import timezone

from mercuryhub.catalogue.models import Facility
from mercuryhub.catalogue.queries.visibility import (
    KINDS,
    has_field,
    search_kinds,
    term_field,
    visible,
)
from mercuryhub.lib.errors import InvalidInputError
from mercuryhub.review import registry
from mercuryhub.search import engine
from mercuryhub.taxonomy.models import Country, Term
from mercuryhub.taxonomy.queries import all_countries, kept_languages, term_ids_with_descendants

SORTS = ("relevance", "name", "distance", "confirmed")
VOCABULARIES = {
    "waste": "waste_categories",
    "phase": "management_phases",
    "technology": "treatment_technologies",
}


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
    # Whether a search without types looks at every type (the platform's one search) rather
    # than at the catalogue's kinds alone (its lists and exports).
    everywhere: bool = False
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

    def as_params(self) -> list[tuple[str, str]]:
        """Every choice as the query parameters that ask for it again, in a stable order."""
        pairs = [("q", self.q)] if self.q else []
        pairs.extend(self.chosen())
        pairs.extend((name, "1") for name in ("validated", "confirmed") if getattr(self, name))
        if self.sort != "relevance":
            pairs.append(("sort", self.sort))
        if self.has_point:
            pairs.extend([("lat", f"{self.lat:g}"), ("lon", f"{self.lon:g}")])
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
        if kind not in search_kinds():
            errors["type"] = f"Unknown type {kind!r}; use {', '.join(search_kinds())}"
    for name in VOCABULARIES:
        try:
            check_codes(name, many(name))
        except InvalidInputError as error:
            errors.update(error.errors)
    countries = tuple(code.upper() for code in many("country"))
    unknown_countries = [code for code in countries if code not in all_countries()]
    if unknown_countries:
        listed = ", ".join(map(repr, unknown_countries))
        errors["country"] = f"Unknown country code {listed}; use ISO 3166-1 alpha-3"
    region = one("region")
    if region and not _region_countries(region).exists():
        errors["region"] = f"Unknown UN M49 region {region!r}"
    languages = tuple(code.lower() for code in many("language"))
    unknown_languages = {code for code in languages if code not in kept_languages().by_id}
    if unknown_languages:
        listed = ", ".join(sorted(unknown_languages))
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


def _region_countries(region: str) -> QuerySet[Country]:
    return Country.objects.filter(
        Q(region__iexact=region)
        | Q(subregion__iexact=region)
        | Q(intermediate_region__iexact=region)
    )


def scope(filters: Filters) -> tuple[str, ...]:
    """The types a search looks at: every type for the platform's one search or when a type
    beyond the catalogue's is asked for, else the catalogue's kinds."""
    if filters.everywhere or set(filters.kinds) - set(KINDS):
        return search_kinds()
    return KINDS


def applies_to(kind: str, filters: Filters) -> bool:
    """Whether records of this kind can match: a type without the field a filter asks about
    never matches it (no expert has a treatment technology, only facilities have a status, an
    organization has no waste categories)."""
    if filters.kinds and kind not in filters.kinds:
        return False
    if any(getattr(filters, facet) and term_field(facet, kind) is None for facet in VOCABULARIES):
        return False
    if filters.status and kind != "facility":
        return False
    if (filters.country or filters.region) and not (
        kind == "offering" or has_field(kind, "country")
    ):
        return False
    if filters.language and not has_field(kind, "languages"):
        return False
    if (filters.validated or filters.confirmed) and not has_field(kind, "validated_at"):
        return False
    return not (filters.sort == "distance" and kind != "facility")


def filtered(kind: str, user, filters: Filters, *, with_text: bool = True) -> QuerySet:
    """The visible records of one kind that pass every filter (the text query included unless
    with_text is False: ranking applies it then)."""
    queryset = visible(kind, user)
    if not applies_to(kind, filters):
        return queryset.none()
    for facet, vocabulary in VOCABULARIES.items():
        codes = getattr(filters, facet)
        field_name = term_field(facet, kind)
        if codes and field_name:
            # A correlated EXISTS on the (entry, term) index: cheap per row once other filters
            # (a bounding box, a text match) have narrowed the rows, unlike an IN over every
            # entry tagged with the terms.
            through = getattr(queryset.model, field_name).through
            column = f"{queryset.model._meta.model_name}_id"
            tagged = through.objects.filter(
                **{
                    column: OuterRef("pk"),
                    "term_id__in": term_ids_with_descendants(vocabulary, codes),
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
        since = timezone.localdate() - timedelta(days=registry.get(kind).update_cycle_days)
        queryset = queryset.filter(last_confirmed_at__gte=since)
    if with_text and filters.q and filters.matched is not None:
        queryset = queryset.filter(pk__in=dict(filters.matched).get(kind, ()))
    elif with_text and filters.q:
        match = engine.match_sql(filters.q, kind)
        if match is not None:
            queryset = queryset.filter(pk__in=RawSQL(*match))  # noqa: S611 - parameters bound
    return queryset


def split_codes(values) -> list[str]:
    return list(_codes(values))


def check_codes(facet: str, codes) -> None:
    """InvalidInputError naming the codes of a facet's vocabulary that do not exist."""
    if not codes:
        return
    vocabulary = VOCABULARIES[facet]
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
