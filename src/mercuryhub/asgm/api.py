"""The ASGM baseline in the API: mining sites (each as ``serialization.site_data``, coordinates
exact for the project's people, the secretariat and projects that publish them, else rounded
to 0.1°) and a country's national overview, with the overview page's filters."""

from datetime import datetime

from django.http import Http404
from ninja import Field, Query, Router, Schema

from mercuryhub.accounts.auth import request_user
from mercuryhub.asgm import queries
from mercuryhub.asgm.forms import OverviewFilterForm
from mercuryhub.asgm.serialization import site_data
from mercuryhub.lib.api import ERROR_RESPONSES, ApiError, Pagination

router = Router(tags=["asgm"])


class OverviewQuery(Schema):
    """The national overview's filters; a value that is not understood is refused (400) with
    the filter named, never ignored."""

    admin_area: str = Field("", max_length=200, description="An administrative area's name")
    worst_practice: str = Field(
        "",
        max_length=40,
        description="Sites showing this worst practice of Annex C 1(b): whole-ore-amalgamation, "
        "open-burning, residential-burning, cyanide-on-mercury-tailings",
    )
    practice: str = Field(
        "",
        max_length=40,
        description="Sites of this practice: whole-ore-amalgamation, concentrate-amalgamation, "
        "concentrate-amalgamation-retort, mercury-free",
    )
    since: str = Field(
        "", max_length=10, description="Sites last observed on or after this day (YYYY-MM-DD)"
    )
    until: str = Field(
        "", max_length=10, description="Sites last observed on or before this day (YYYY-MM-DD)"
    )


class SiteQuery(OverviewQuery, Pagination.Input):
    country: str = Field("", max_length=3, description="ISO 3166-1 alpha-3 country code")


class WorstPracticeOut(Schema):
    code: str
    label: str
    reference: str = Field(description="Its paragraph of Minamata Convention Annex C")
    question: str = Field(description="The baseline form's question whose answer showed it")
    answer: str = Field(description="That answer, as the form codes it")


class RatioOut(Schema):
    label: str
    source: str
    country: str | None = Field(description="The country of a national ratio; null by default")
    low: float
    typical: float
    high: float


class MercuryOut(Schema):
    method: str = Field(description="reported, estimated (gold times the ratio) or unknown")
    low_kg_per_year: float | None
    typical_kg_per_year: float | None
    high_kg_per_year: float | None
    ratio: RatioOut | None = Field(description="The mercury-to-gold ratio of an estimate")


class SiteLinks(Schema):
    page: str
    api: str


class SiteOut(Schema):
    id: int
    name: str
    code: str = Field(description="The site code field teams gave it")
    country: str | None
    admin_area: str
    latitude: float | None
    longitude: float | None
    exact: bool = Field(
        description="Whether the coordinates are exact; if not, rounded to 0.1° (about 11 km)"
    )
    deposit_type: str
    miners: int | None
    women: int | None
    children: int | None
    practice: str
    practice_label: str
    licensing_status: str
    gold_kg_per_year: float | None
    mercury: MercuryOut
    worst_practices: list[WorstPracticeOut]
    observed_at: datetime = Field(description="When its latest approved observation was made")
    merged_into: int | None = Field(description="The site this one was merged into")
    links: SiteLinks


class SitePage(Schema):
    count: int
    items: list[SiteOut]


class FiguresOut(Schema):
    """The figures of a group of sites; kilograms a year, low, typical and high."""

    sites: int
    total_miners: int
    total_women: int
    total_children: int
    gold_kg: float
    mercury_low_kg: float
    mercury_typical_kg: float
    mercury_high_kg: float
    mercury_reported_kg: float
    mercury_estimated_low_kg: float
    mercury_estimated_typical_kg: float
    mercury_estimated_high_kg: float
    sites_reported: int
    sites_estimated: int
    sites_unknown: int
    sites_whole_ore_amalgamation: int
    sites_open_burning: int
    sites_residential_burning: int
    sites_cyanide_on_mercury_tailings: int
    missing_location: int
    missing_miners: int
    missing_gold: int
    missing_practice: int


class AreaFiguresOut(FiguresOut):
    admin_area: str = Field(description="Empty for the sites that name none")


class PracticeFiguresOut(FiguresOut):
    practice: str = Field(description="Empty for the sites whose practice is not known")


class WorstPracticeFiguresOut(FiguresOut):
    code: str


class OverviewOut(Schema):
    country: str
    totals: FiguresOut
    by_area: list[AreaFiguresOut]
    by_practice: list[PracticeFiguresOut]
    by_worst_practice: list[WorstPracticeFiguresOut]


def _filters(params: OverviewQuery, country) -> queries.OverviewFilters:
    """The filters asked for, checked as the overview page checks them; 400 naming each one
    that is not understood."""
    names = OverviewQuery.model_fields
    data = {name: value for name, value in params.dict().items() if name in names and value}
    form = OverviewFilterForm(data or None, areas=queries.admin_areas_of(country))
    if not form.is_bound:
        return queries.OverviewFilters()
    if form.is_valid():
        return form.filters()
    errors = [
        {"field": f"query.{name}", "message": str(message)}
        for name, messages in form.errors.items()
        for message in messages
    ]
    detail = "; ".join(f"{error['field'][6:]}: {error['message']}" for error in errors)
    raise ApiError(400, f"Invalid filter: {detail}", errors)


@router.get(
    "/asgm/sites",
    response={200: SitePage, **ERROR_RESPONSES},
    summary="List mining sites",
)
def list_asgm_sites(request, params: Query[SiteQuery]):
    """Mining sites of approved baseline submissions (merged sites left out), by country, area
    and name, with the national overview's filters. Coordinates are exact (`exact: true`) for
    the project's members, the secretariat and projects that publish them; rounded to 0.1°
    for everyone else."""
    country = None
    if params.country:
        try:
            country = queries.get_country_for_overview(params.country)
        except Http404 as error:
            message = str(error)
            raise ApiError(400, message, [{"field": "query.country", "message": message}]) from None
    sites = queries.sites_list(country, _filters(params, country))
    exact = queries.projects_with_exact_locations(request_user(request))
    page = sites[params.offset : params.offset + params.limit]
    return {"count": sites.count(), "items": [site_data(site, exact) for site in page]}


@router.get(
    "/asgm/sites/{site_id}",
    response={200: SiteOut, **ERROR_RESPONSES},
    summary="One mining site",
)
def get_asgm_site(request, site_id: int):
    """A site, merged ones too (`merged_into` names the site that holds their observations)."""
    user = request_user(request)
    site = queries.get_site_for_user(user, site_id)
    return site_data(site, queries.projects_with_exact_locations(user))


@router.get(
    "/asgm/overview/{country}",
    response={200: OverviewOut, **ERROR_RESPONSES},
    summary="A country's national overview of ASGM",
)
def get_asgm_overview(request, country: str, params: Query[OverviewQuery]):
    """The figures of a country's sites (ISO 3166-1 alpha-3 code) passing the filters: totals,
    by administrative area (the largest mercury use first), by practice and by worst practice;
    mercury use as low, typical and high estimates, with what is reported apart."""
    found = queries.get_country_for_overview(country)
    figures = queries.overview(found, _filters(params, found))
    return {key: value for key, value in figures.items() if key != "filters"}
