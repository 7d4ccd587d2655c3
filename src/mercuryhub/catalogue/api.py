"""Catalogue API: facilities, offerings, experts, the nearest-facility finder and one ranked
search across them. Reads are public; expert e-mail addresses go to the secretariat only."""

from dataclasses import replace
from datetime import date, datetime

from django.conf import settings
from ninja import Field, Query, Router, Schema
from pydantic import BaseModel

from mercuryhub.accounts.auth import request_user
from mercuryhub.accounts.queries import is_reviewer
from mercuryhub.catalogue import queries
from mercuryhub.catalogue.spreadsheets.exporting import CONTENT_TYPES, export_file
from mercuryhub.lib.api import ERROR_RESPONSES, MAX_OFFSET
from mercuryhub.lib.errors import InvalidInputError
from mercuryhub.lib.streams import streamed_download
from mercuryhub.review import registry, translations
from mercuryhub.search.words import query_words

router = Router(tags=["catalogue"])


class CatalogueFilters(Schema):
    """The filters every catalogue list and export takes. Codes can be repeated or
    comma-separated."""

    q: str | None = Field(None, max_length=200, description="Words to search for")
    waste: list[str] = Field(
        [], description="Waste category codes (a parent includes its children)"
    )
    phase: list[str] = Field([], description="Management phase codes")
    technology: list[str] = Field([], description="Treatment technology codes")
    country: list[str] = Field([], description="ISO 3166-1 alpha-3 country codes")
    region: str | None = Field(None, max_length=100, description="UN M49 region or sub-region")
    language: list[str] = Field([], description="ISO 639-1 language codes")
    status: list[str] = Field(
        [], description="Facility status: operating, planned, closed, unknown"
    )
    validated: bool = Field(False, description="Only entries validated by the secretariat")
    confirmed: bool = Field(False, description="Only entries reconfirmed in the last 12 months")
    lang: str | None = Field(
        None,
        pattern="^(en|fr|es|ru|zh|zh-hans|ar)?$",
        description="The language of the answer: en, fr, es, ru, zh or ar (default: the "
        "Accept-Language header, else English)",
    )


class CatalogueQuery(CatalogueFilters):
    """The filters, the order and the page of a catalogue list."""

    sort: str = Field("relevance", description="relevance, name, distance, confirmed")
    lat: float | None = Field(None, description="Latitude of the point to sort by distance from")
    lon: float | None = Field(None, description="Longitude of the point to sort by distance from")
    limit: int = Field(20, ge=1, le=200)
    offset: int = Field(0, ge=0, le=MAX_OFFSET)


class Named(Schema):
    code: str
    label: str


class OrganizationRef(Schema):
    slug: str
    name: str
    url: str


class TextsOut(Schema):
    """What every entry says of its languages."""

    content_language: str = Field(description="The language the entry was written in")
    language: str = Field(
        description="The language asked for (`lang` or `Accept-Language`; default English)"
    )
    text_languages: dict[str, str] = Field(
        description="The language each translatable text is shown in: the one asked for, or "
        "the entry's own language (or another) where it was not given in that one"
    )
    translations: dict[str, dict[str, str]] = Field(
        description="The texts given in other languages than the entry's own, by language"
    )


class FacilityOut(TextsOut):
    id: int
    external_id: str | None
    name: str
    operator: OrganizationRef
    country: str
    country_name: str
    city: str
    latitude: float | None
    longitude: float | None
    coordinates_precision: str
    status: str
    accepted_wastes: list[Named]
    phases: list[Named]
    technologies: list[Named]
    capacity: str
    capacity_tonnes_per_year: float | None
    permits: str
    accepts_foreign_waste: bool | None
    languages: list[str]
    website: str
    contact_route: str
    description: str
    source: str
    review_state: str
    validated_at: datetime | None
    source_checked_on: date | None
    last_confirmed_at: date | None
    url: str
    score: float | None = None
    snippet: str | None = None
    distance_km: float | None = None


class OfferingOut(TextsOut):
    id: int
    external_id: str | None
    name: str
    kind: str
    provider: OrganizationRef
    waste_categories: list[Named]
    phases: list[Named]
    technologies: list[Named]
    support_types: list[Named]
    countries_served: list[str]
    regions_served: list[str]
    languages: list[str]
    facilities: list[int]
    website: str
    description: str
    source: str
    review_state: str
    source_checked_on: date | None
    last_confirmed_at: date | None
    url: str
    score: float | None = None
    snippet: str | None = None


class ExpertOut(TextsOut):
    id: int
    external_id: str | None
    name: str
    organization: OrganizationRef | None
    country: str
    country_name: str
    languages: list[str]
    waste_categories: list[Named]
    phases: list[Named]
    support_types: list[Named]
    nap_elements: list[Named]
    countries_of_experience: list[str]
    biography: str
    review_state: str
    source_checked_on: date | None
    last_confirmed_at: date | None
    url: str
    contact_url: str
    email: str | None = Field(None, description="Returned to the secretariat only")
    score: float | None = None
    snippet: str | None = None


class FacilityPage(Schema):
    count: int
    items: list[FacilityOut]


class OfferingPage(Schema):
    count: int
    items: list[OfferingOut]


class ExpertPage(Schema):
    count: int
    items: list[ExpertOut]


class NearestFacility(Schema):
    id: int
    name: str
    url: str
    distance_km: float
    country: str
    country_name: str
    transboundary: bool
    status: str
    operator: str
    city: str
    latitude: float
    longitude: float


class NearestPage(Schema):
    count: int
    items: list[NearestFacility]
    basel_guidance_url: str


# The search API's answer is built as dicts: plain pydantic models validate them without the
# attribute reader ninja's Schema wraps each item in (a tenth of a search request's time).
class SearchHit(BaseModel):
    type: str
    id: int
    title: str
    url: str
    score: float | None
    snippet: str | None


class TypedSearchHit(SearchHit):
    """A hit of a type beyond the catalogue's, with what that type has besides: an
    organization's or a case study's `country`, a resource's `kind` ({code, label}: "video"), a
    library entry's `year` and `languages`."""

    country: str | None
    kind: Named | None
    year: int | None
    languages: list[str] | None


class SearchPage(BaseModel):
    count: int
    items: list[SearchHit | TypedSearchHit]
    corrected_query: str | None = None


def _filters(request, *, kinds: tuple[str, ...] | None = None) -> queries.Filters:
    filters = queries.parse_filters(request.GET)
    if kinds is not None:
        filters = replace(filters, kinds=kinds)
    return filters


def _named(terms) -> list[dict]:
    return [{"code": term.code, "label": term.label} for term in terms]


def _organization(organization) -> dict | None:
    if organization is None:
        return None
    return {
        "slug": organization.slug,
        "name": organization.name,
        "url": organization.get_absolute_url(),
    }


def _texts(kind, entry) -> dict:
    """The translatable texts in the language asked for, each saying which language it is in,
    and every translation given."""
    texts = {field.name: entry.localized(field.stored_as) for field in kind.translated_fields}
    return {
        **{name: str(text) for name, text in texts.items()},
        "language": translations.requested_language(),
        "text_languages": {name: text.language for name, text in texts.items()},
        "translations": {
            language: {
                field.name: given[field.stored_as]
                for field in kind.translated_fields
                if given.get(field.stored_as)
            }
            for language, given in sorted((entry.translations or {}).items())
        },
    }


def entry_out(kind_name: str, entry, hit=None) -> dict:
    """An API item: the kind's one serialization (the fields of a version), with vocabulary codes
    given their labels, organizations their names and addresses, and the entry's review state."""
    kind = registry.get(kind_name)
    shows = {field.name: field.shows for field in kind.fields}
    translation_keys = {
        name for name, *_rest in translations.translation_keys(kind.translated_fields)
    }
    item = {"id": entry.pk}
    for name, value in kind.serialize(entry).items():
        if name in translation_keys:
            continue
        if shows.get(name, "").startswith("terms:"):
            tags = getattr(entry, name)
            if hasattr(tags, "all"):
                value = _named(tags.all())
            else:  # one term (a resource's kind)
                value = _named([tags])[0] if tags is not None else None
        elif shows.get(name) == "organization":
            value = _organization(getattr(entry, name))
        item[name] = value
    item.update(_texts(kind, entry))
    item.update(
        external_id=getattr(entry, "external_id", None),
        review_state=entry.review_state,
        validated_at=entry.validated_at,
        source_checked_on=getattr(entry, "source_checked_on", None),
        last_confirmed_at=entry.last_confirmed_at,
        url=entry.get_absolute_url(),
        score=hit.score if hit else None,
        snippet=hit.snippet if hit else None,
    )
    return item


def facility_out(facility, hit=None) -> dict:
    distance = hit.distance_km if hit else None
    return {
        **entry_out("facility", facility, hit),
        "country_name": facility.country.name,
        "distance_km": round(distance, 1) if distance is not None else None,
    }


def offering_out(offering, hit=None) -> dict:
    return {
        **entry_out("offering", offering, hit),
        "facilities": [facility.pk for facility in offering.facilities.all()],
    }


def expert_out(expert, *, show_email: bool, hit=None) -> dict:
    return {
        **entry_out("expert", expert, hit),
        "country_name": expert.country.name,
        "contact_url": expert.get_absolute_url() + "contact/",
        "email": expert.email if show_email else None,
    }


def _page(request, kind: str, filters, params: CatalogueQuery):
    user = request_user(request)
    results = queries.search(user, filters, limit=params.limit, offset=params.offset)
    ids = [hit.entry.pk for hit in results.hits]
    full = queries.detailed(kind, user, ids)
    return user, results, full


@router.get(
    "/facilities", response={200: FacilityPage, **ERROR_RESPONSES}, summary="List facilities"
)
def list_facilities(request, params: Query[CatalogueQuery]):
    """Published facilities, filtered and ranked like the catalogue's search page; with `q`
    ranked by relevance, each item with a `snippet` highlighting the matched words."""
    filters = _filters(request, kinds=("facility",))
    _user, results, full = _page(request, "facility", filters, params)
    return {
        "count": results.total,
        "items": [facility_out(full[hit.entry.pk], hit) for hit in results.hits],
    }


@router.get(
    "/facilities.geojson",
    response={200: None, **ERROR_RESPONSES},
    summary="Facilities as GeoJSON (the same filters, every match, no pages)",
    openapi_extra={
        "responses": {
            200: {
                "description": "A GeoJSON FeatureCollection (RFC 7946) of the facilities with "
                "coordinates",
                "content": {"application/geo+json": {"schema": {"type": "object"}}},
            }
        }
    },
)
def export_facilities_geojson(request, params: Query[CatalogueFilters]):
    """Every visible facility with coordinates that passes the filters, for a map: one
    FeatureCollection, not paged, ordered by name."""
    filters = _filters(request, kinds=("facility",))
    content, _filename = export_file("facility", "geojson", request_user(request), filters)
    return streamed_download(content, CONTENT_TYPES["geojson"])


class NearestQuery(Schema):
    lat: float | None = Field(None, description="Latitude of the origin (-90 to 90)")
    lon: float | None = Field(None, description="Longitude of the origin (-180 to 180)")
    country: str | None = Field(
        None, max_length=3, description="Origin country (ISO alpha-3): its centre when no point"
    )
    waste: list[str] = Field([], description="Waste category codes the facility must accept")
    include_closed: bool = False
    limit: int = Field(10, ge=1, le=100)


@router.get(
    "/facilities/nearest",
    response={200: NearestPage, **ERROR_RESPONSES},
    summary="Facilities accepting a waste, nearest first",
)
def list_nearest_facilities(request, params: Query[NearestQuery]):
    """Ranked by great-circle distance from the point (or the country's centre). A facility in
    another country than the origin has `transboundary: true`: moving waste there falls under
    the Basel Convention (see `basel_guidance_url`). Closed facilities are left out unless
    `include_closed` is true."""
    errors = {}
    if params.lat is not None and not -90 <= params.lat <= 90:
        errors["lat"] = f"Latitude must be between -90 and 90, got {params.lat}"
    if params.lon is not None and not -180 <= params.lon <= 180:
        errors["lon"] = f"Longitude must be between -180 and 180, got {params.lon}"
    if (params.lat is None) != (params.lon is None):
        errors["lat" if params.lat is None else "lon"] = "Give both lat and lon"
    waste = tuple(queries.split_codes(params.waste))
    try:
        queries.check_codes("waste", waste)
    except InvalidInputError as error:
        errors.update(error.errors)
    if errors:
        raise InvalidInputError(errors)
    found = queries.find_facilities(
        request_user(request),
        waste=waste,
        lat=params.lat,
        lon=params.lon,
        country=params.country,
        include_closed=params.include_closed,
        limit=params.limit,
    )
    return {
        "count": len(found),
        "basel_guidance_url": settings.BASEL_GUIDANCE_URL,
        "items": [
            {
                "id": item.facility.pk,
                "name": item.facility.name,
                "url": item.facility.get_absolute_url(),
                "distance_km": item.distance_km,
                "country": item.facility.country_id,
                "country_name": item.facility.country.name,
                "transboundary": item.transboundary,
                "status": item.facility.status,
                "operator": item.facility.operator.name,
                "city": item.facility.city,
                "latitude": item.facility.latitude,
                "longitude": item.facility.longitude,
            }
            for item in found
        ],
    }


@router.get(
    "/facilities/{entry_id}",
    response={200: FacilityOut, **ERROR_RESPONSES},
    summary="One facility",
)
def get_facility(request, entry_id: int):
    facility = queries.get_facility_for_user(request_user(request), entry_id)
    return facility_out(facility)


@router.get("/offerings", response={200: OfferingPage, **ERROR_RESPONSES}, summary="List offerings")
def list_offerings(request, params: Query[CatalogueQuery]):
    """Technologies, equipment and services, with the catalogue's filters."""
    filters = _filters(request, kinds=("offering",))
    _user, results, full = _page(request, "offering", filters, params)
    return {
        "count": results.total,
        "items": [offering_out(full[hit.entry.pk], hit) for hit in results.hits],
    }


@router.get(
    "/offerings/{entry_id}",
    response={200: OfferingOut, **ERROR_RESPONSES},
    summary="One offering",
)
def get_offering(request, entry_id: int):
    return offering_out(queries.get_offering_for_user(request_user(request), entry_id))


@router.get("/experts", response={200: ExpertPage, **ERROR_RESPONSES}, summary="List experts")
def list_experts(request, params: Query[CatalogueQuery]):
    """Experts who consented to publication. E-mail addresses are returned to the secretariat
    only; everyone else reaches an expert through `contact_url`."""
    filters = _filters(request, kinds=("expert",))
    user, results, full = _page(request, "expert", filters, params)
    show_email = is_reviewer(user)
    return {
        "count": results.total,
        "items": [
            expert_out(full[hit.entry.pk], show_email=show_email, hit=hit) for hit in results.hits
        ],
    }


@router.get(
    "/experts/{entry_id}", response={200: ExpertOut, **ERROR_RESPONSES}, summary="One expert"
)
def get_expert(request, entry_id: int):
    user = request_user(request)
    return expert_out(queries.get_expert_for_user(user, entry_id), show_email=is_reviewer(user))


class SearchQuery(Schema):
    q: str = Field(..., min_length=1, max_length=200, description="Words to search for")
    type: list[str] = Field(
        [],
        description="facility, offering, expert, organization, resource, case_study (default: all)",
    )
    limit: int = Field(20, ge=1, le=200)
    offset: int = Field(0, ge=0, le=MAX_OFFSET)


@router.get(
    "/search",
    response={200: SearchPage, **ERROR_RESPONSES},
    summary="One ranked list across every type: facilities, offerings, experts, organizations, "
    "resources, case studies",
)
def search_catalogue(request, params: Query[SearchQuery]):
    """Full-text search: every word must match, as a prefix, accents and case ignored, in the
    name, the taxonomy synonyms of the entry's categories (\"CFL\" finds lamp facilities) or the
    description; misspelt names are corrected (`corrected_query` says what was searched instead).

    Ranking: entries whose name holds a word of the query come first (`score` above 1), then the
    others (`score` between 0 and 1); within each group by field weights, name above synonyms
    above description."""
    filters = replace(_filters(request), everywhere=True)
    if not query_words(filters.q):
        raise InvalidInputError({"q": "Give at least one word to search for"})
    results = queries.search(
        request_user(request), filters, limit=params.limit, offset=params.offset, brief=True
    )
    return {
        "count": results.total,
        "corrected_query": results.corrected_query,
        "items": [
            {
                "type": hit.kind,
                "id": hit.entry.pk,
                "title": hit.entry.name,
                "url": hit.entry.get_absolute_url(),
                "score": round(hit.score, 4) if hit.score is not None else None,
                "snippet": hit.snippet,
                **({} if hit.kind in queries.KINDS else _hit_details(hit.entry)),
            }
            for hit in results.hits
        ],
    }


def _hit_details(entry) -> dict:
    """The type-specific fields of a search item of a type beyond the catalogue's."""
    kind = getattr(entry, "kind", None)
    return {
        "country": getattr(entry, "country_id", None),
        "kind": {"code": kind.code, "label": kind.label} if hasattr(kind, "code") else None,
        "year": getattr(entry, "year", None),
        "languages": (
            [language.code for language in entry.languages.all()]
            if hasattr(entry, "languages")
            else None
        ),
    }
