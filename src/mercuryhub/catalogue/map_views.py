"""The facility map (where the catalogue's facilities are, with the search filters, and the
facilities in the map's view as JSON) and the facility finder (which facilities accept a waste,
nearest a place first). Both are complete server-rendered pages; the Leaflet maps drawn on them
by catalogue/map.js and finder.js add to them."""

from dataclasses import dataclass, field, replace

from django.conf import settings
from django.http import JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from mercuryhub.catalogue import queries
from mercuryhub.catalogue.models import Facility
from mercuryhub.catalogue.spreadsheets.exporting import facilities_geojson
from mercuryhub.lib.errors import InvalidInputError
from mercuryhub.lib.maps import map_area
from mercuryhub.lib.pagination import CountedPaginator
from mercuryhub.taxonomy.models import Country
from mercuryhub.taxonomy.queries import (
    attach_terms,
    countries_by_name,
    regions,
    resolve_country,
    term_tree,
)

MAP_PAGE_SIZE = 50
FINDER_LIMIT = 10


def facility_map(request):
    errors: dict[str, str] = {}
    try:
        filters = replace(queries.parse_filters(request.GET), kinds=("facility",))
        facilities = queries.filtered("facility", request.user, filters)
        count = queries.facility_list_count(filters, facilities)
    except InvalidInputError as error:
        errors = error.errors
        facilities, count = queries.facilities_visible_to(request.user).none(), 0
    facilities = facilities.select_related("operator", "country").order_by("name", "pk")
    page = CountedPaginator(facilities, MAP_PAGE_SIZE, count).get_page(request.GET.get("page"))
    page.object_list = attach_terms(list(page.object_list), ["accepted_wastes"])
    query = request.GET.copy()
    query.pop("page", None)
    search_query = query.copy()
    search_query["type"] = "facility"
    return render(
        request,
        "catalogue/map.html",
        {
            "errors": errors,
            "page": page,
            "chosen": _chosen(request.GET),
            "kept": [
                (name, value)
                for name in ("phase", "technology", "language")
                for value in request.GET.getlist(name)
            ],
            "points_url": _with_query(reverse("catalogue-map-points"), query),
            "search_url": _with_query(reverse("catalogue-search"), search_query),
            "waste_tree": term_tree("waste_categories"),
            "countries": countries_by_name(),
            "regions": regions(),
            "statuses": Facility.Status.choices,
            "map_labels": _map_labels(),
        },
        status=400 if errors else 200,
    )


@require_safe
def facility_map_points(request):
    """The facilities of the map page's filters in the map's view (``bbox`` and ``zoom``, the
    whole world without them), as the map draws them: each one, as the API's GeoJSON has it,
    when at most CATALOGUE_MAP_POINTS_LIMIT are in view; else counted in cells of the map
    (``cells``: [latitude, longitude, facilities] each; ``in_view``: how many in all), and the
    map asks again as it moves and zooms. Filters or bounds not understood answer 400, naming
    them."""
    area, errors = map_area(request.GET)
    try:
        filters = replace(queries.parse_filters(request.GET), kinds=("facility",))
    except InvalidInputError as error:
        errors.update({name: [str(message)] for name, message in error.errors.items()})
    if errors:
        return JsonResponse({"errors": errors}, status=400)
    # Counted in cells first: one statement tells how many are in view, and a large catalogue's
    # world view needs no other.
    cells = queries.facility_cells(request.user, filters, area)
    in_view = sum(cell[2] for cell in cells)
    if in_view <= settings.CATALOGUE_MAP_POINTS_LIMIT:
        facilities = queries.facilities_in_view(request.user, filters, area)
        return JsonResponse(facilities_geojson(facilities))
    return JsonResponse({"cells": cells, "in_view": in_view})


def _with_query(url: str, query) -> str:
    return f"{url}?{query.urlencode()}" if query else url


def _chosen(params) -> dict:
    """What the person asked for, as typed, to show again in the form (bad values included)."""
    return {
        "q": params.get("q", "").strip(),
        "waste": queries.split_codes(params.getlist("waste")),
        "country": [code.upper() for code in queries.split_codes(params.getlist("country"))],
        "region": params.get("region", "").strip(),
        "status": queries.split_codes(params.getlist("status")),
        "validated": params.get("validated", "").lower() in {"1", "true", "yes", "on"},
    }


def _map_labels() -> dict:
    """The words the map scripts write into popups and messages, in the interface language."""
    return {
        "operator": _("Operator"),
        "status": _("Status"),
        "accepted_wastes": _("Accepted wastes"),
        "open": _("Open the facility page"),
        "statuses": dict(Facility.Status.choices),
        "loading": _("Loading the facilities…"),
        "shown": _("%(count)s facilities on the map"),
        "none": _("No facility with coordinates matches these filters."),
        "failed": _("The map could not load the facilities. The list below shows them."),
        "origin": _("Your starting point"),
        "distance": _("%(km)s km away"),
        "transboundary": _("In another country"),
        "choose_waste": _("Now choose a waste category, then press Find facilities."),
    }


# Finder -------------------------------------------------------------------------------------


@dataclass
class FinderQuestion:
    """The finder form as typed, and what is wrong with it, field by field."""

    waste: str = ""
    country: str = ""
    lat: str = ""
    lon: str = ""
    include_closed: bool = False
    errors: dict[str, str] = field(default_factory=dict)
    point: tuple[float, float] | None = None
    origin_country: Country | None = None

    @property
    def asked(self) -> bool:
        return bool(self.waste or self.country or self.lat or self.lon)


def _finder_question(params) -> FinderQuestion:
    question = FinderQuestion(
        waste=params.get("waste", "").strip(),
        country=params.get("country", "").strip().upper(),
        lat=params.get("lat", "").strip(),
        lon=params.get("lon", "").strip(),
        include_closed=params.get("include_closed", "").lower() in {"1", "true", "yes", "on"},
    )
    if not question.asked:
        return question
    errors = question.errors
    if not question.waste:
        errors["waste"] = _("Choose the waste category you need to manage.")
    else:
        try:
            queries.check_codes("waste", [question.waste])
        except InvalidInputError:
            errors["waste"] = _("Unknown waste category %(code)r.") % {"code": question.waste}
    if question.country:
        try:
            question.origin_country = resolve_country(question.country)
        except InvalidInputError:
            errors["country"] = _("Unknown country %(code)r: choose one from the list.") % {
                "code": question.country
            }
    lat = _coordinate(question.lat, "lat", errors)
    lon = _coordinate(question.lon, "lon", errors)
    if (lat is None) != (lon is None) and "lat" not in errors and "lon" not in errors:
        missing = "lat" if lat is None else "lon"
        errors[missing] = _("Give both the latitude and the longitude.")
    if lat is not None and lon is not None:
        question.point = (lat, lon)
    if not question.country and not (question.lat or question.lon):
        errors["origin"] = _("Choose your country, or give a point (click on the map).")
    return question


def _coordinate(raw: str, name: str, errors: dict) -> float | None:
    if not raw:
        return None
    limit = 90 if name == "lat" else 180
    label = _("Latitude") if name == "lat" else _("Longitude")
    try:
        value = float(raw.replace(",", "."))
    except ValueError:
        errors[name] = _("%(label)s must be a number, such as -32.5.") % {"label": label}
        return None
    if not -limit <= value <= limit:
        errors[name] = _("%(label)s must be between -%(limit)s and %(limit)s, not %(raw)s.") % {
            "label": label,
            "limit": limit,
            "raw": raw,
        }
        return None
    return value


def facility_finder(request):
    question = _finder_question(request.GET)
    found = []
    if question.asked and not question.errors:
        lat, lon = question.point or (None, None)
        try:
            found = queries.find_facilities(
                request.user,
                waste=(question.waste,),
                lat=lat,
                lon=lon,
                country=question.origin_country.iso3 if question.origin_country else None,
                include_closed=question.include_closed,
                limit=FINDER_LIMIT,
            )
        except InvalidInputError as error:
            question.errors.update(error.errors)
    waste_tree = term_tree("waste_categories")
    return render(
        request,
        "catalogue/finder.html",
        {
            "question": question,
            "waste_term": next((t for t, _depth in waste_tree if t.code == question.waste), None),
            "found": found,
            "finder_data": _finder_data(question, found),
            "basel_guidance_url": settings.BASEL_GUIDANCE_URL,
            "waste_tree": waste_tree,
            "countries": countries_by_name(),
            "map_labels": _map_labels(),
        },
        status=400 if question.errors else 200,
    )


def _finder_data(question: FinderQuestion, found: list) -> dict:
    """What finder.js draws: the starting point and the facilities found."""
    origin = question.point
    if origin is None and question.origin_country and question.origin_country.latitude:
        origin = (question.origin_country.latitude, question.origin_country.longitude)
    return {
        "origin": {"lat": origin[0], "lon": origin[1]} if origin else None,
        "facilities": [item.map_point() for item in found],
    }
