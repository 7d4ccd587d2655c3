"""Every scoped read of the ASGM baseline: the sites a person sees (with their coordinates exact
or rounded), and a country's national overview (totals with ranges, by administrative area, by
practice, data quality), each computed in a few SQL aggregates whatever the number of sites."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.db.models import Case, Count, F, FloatField, Max, Min, Q, QuerySet, Sum, When
from django.http import Http404
from django.utils import timezone

from mercuryhub.accounts.queries import is_reviewer
from mercuryhub.asgm.baseline import WORST_PRACTICES
from mercuryhub.asgm.models import MercuryMethod, MercuryRatio, Practice, Site
from mercuryhub.forms.models import ProjectMembership
from mercuryhub.lib.geo import haversine_km
from mercuryhub.lib.maps import MapArea, cell_degrees, cell_groups
from mercuryhub.taxonomy.models import Country

PUBLIC_PRECISION = 1  # decimal places of a public site's coordinates: 0.1°, about 11 km


def sites_of(country: Country | None) -> QuerySet[Site]:
    """The country's sites (every country's with None), merged ones left out (their
    observations live on in another)."""
    sites = Site.objects.filter(merged_into=None)
    return sites if country is None else sites.filter(country=country)


def get_country_for_overview(iso3: str) -> Country:
    country = Country.objects.filter(iso3=iso3.upper()).first()
    if country is None:
        raise Http404(f"No country with the code {iso3!r}")
    return country


def projects_with_exact_locations(user) -> set[int]:
    """The projects whose sites' exact coordinates ``user`` sees: their own projects (any
    role); the secretariat sees every project's."""
    if not getattr(user, "is_authenticated", False):
        return set()
    if is_reviewer(user):
        return {pk for pk in Site.objects.values_list("project_id", flat=True).distinct()}
    return set(ProjectMembership.objects.filter(user=user).values_list("project_id", flat=True))


def shown_location(site: Site, exact_projects: set[int]):
    """(latitude, longitude, exact?) as a person may see them (``exact_projects``: theirs, from
    projects_with_exact_locations): exact for the project's people and where the project
    publishes them, else rounded to 0.1°."""
    if site.latitude is None or site.longitude is None:
        return None
    if site.project_id in exact_projects or site.project.publishes_exact_locations:
        return site.latitude, site.longitude, True
    return (
        round(site.latitude, PUBLIC_PRECISION),
        round(site.longitude, PUBLIC_PRECISION),
        False,
    )


def public_coordinates(latitude: float | None, longitude: float | None) -> tuple:
    """(latitude, longitude) as the public sees them (``shown_location``'s rounding), which
    each site keeps in ``public_latitude`` and ``public_longitude`` for the map's queries."""
    if latitude is None or longitude is None:
        return None, None
    return round(latitude, PUBLIC_PRECISION), round(longitude, PUBLIC_PRECISION)


@dataclass(frozen=True)
class OverviewFilters:
    """What the overview is narrowed to: an administrative area, a worst practice (a code of
    WORST_PRACTICES) or a practice (Practice), and the period the sites were last observed in."""

    admin_area: str = ""
    worst_practice: str = ""
    practice: str = ""
    since: date | None = None
    until: date | None = None

    def apply(self, sites: QuerySet[Site]) -> QuerySet[Site]:
        if self.admin_area:
            sites = sites.filter(admin_area=self.admin_area)
        if self.worst_practice in WORST_PRACTICES:
            sites = sites.filter(**{WORST_PRACTICES[self.worst_practice]: True})
        if self.practice in Practice.values:
            sites = sites.filter(practice=self.practice)
        # Bounds of datetimes, not the date of each site's (a function per row on SQLite).
        if self.since:
            sites = sites.filter(observed_at__gte=_day_start(self.since))
        if self.until:
            sites = sites.filter(observed_at__lt=_day_start(self.until + timedelta(days=1)))
        return sites


def _day_start(day: date) -> datetime:
    """The first moment of ``day`` in the current time zone (as ``__date`` lookups read it)."""
    return timezone.make_aware(datetime.combine(day, time.min))


def _figures() -> dict:
    """The aggregates of a group of sites: counts, sums with ranges, and what is missing."""
    reported = Q(mercury_method=MercuryMethod.REPORTED)
    estimated = Q(mercury_method=MercuryMethod.ESTIMATED)
    return {
        "sites": Count("id"),
        "total_miners": Sum("miners"),
        "total_women": Sum("women"),
        "total_children": Sum("children"),
        "gold_kg": Sum("gold_kg_per_year"),
        "mercury_low_kg": Sum("mercury_low_kg_per_year"),
        "mercury_typical_kg": Sum("mercury_typical_kg_per_year"),
        "mercury_high_kg": Sum("mercury_high_kg_per_year"),
        "mercury_reported_kg": Sum("mercury_typical_kg_per_year", filter=reported),
        "mercury_estimated_low_kg": Sum("mercury_low_kg_per_year", filter=estimated),
        "mercury_estimated_typical_kg": Sum("mercury_typical_kg_per_year", filter=estimated),
        "mercury_estimated_high_kg": Sum("mercury_high_kg_per_year", filter=estimated),
        "sites_reported": Count("id", filter=reported),
        "sites_estimated": Count("id", filter=estimated),
        "sites_unknown": Count("id", filter=Q(mercury_method=MercuryMethod.UNKNOWN)),
        **{
            f"sites_{flag}": Count("id", filter=Q(**{flag: True}))
            for flag in WORST_PRACTICES.values()
        },
        "missing_location": Count("id", filter=Q(latitude=None)),
        "missing_miners": Count("id", filter=Q(miners=None)),
        "missing_gold": Count("id", filter=Q(gold_kg_per_year=None)),
        "missing_practice": Count("id", filter=Q(practice="")),
    }


def _clean(row: dict) -> dict:
    """Sums of no site are 0, not None; kilograms (a year: ``_kg``) rounded to grams."""
    return {
        key: (
            (value or Decimal(0)).quantize(Decimal("0.001"))
            if key.endswith("_kg")
            else (value or 0)
            if not isinstance(value, str)
            else value
        )
        for key, value in row.items()
    }


def _add(into: dict, row: dict) -> None:
    """Add a group's figures to ``into`` (each figure is a count or a sum: they add up)."""
    for key, value in row.items():
        if value is not None:
            into[key] = into.get(key, 0) + value


def overview(country: Country, filters: OverviewFilters = OverviewFilters()) -> dict:
    """A country's national overview: ``totals``, ``by_area`` (each administrative area, the
    largest mercury use first), ``by_practice`` (each practice) and ``by_worst_practice`` (each
    of the four, the sites showing it), all with the same figures.

    One scan of the sites, grouped by area, practice and the four worst-practice flags (a few
    hundred groups whatever the number of sites); every figure being a count or a sum, the
    totals and each breakdown are the groups added up (docs/performance.md)."""
    sites = filters.apply(sites_of(country)).order_by()
    flags = list(WORST_PRACTICES.values())
    groups = sites.values("admin_area", "practice", *flags).annotate(**_figures())
    names = list(_figures())
    totals: dict = {}
    areas: dict[str, dict] = {}
    practices: dict[str, dict] = {}
    worst: dict[str, dict] = {code: {} for code in WORST_PRACTICES}
    for group in groups:
        figures = {name: group[name] for name in names}
        _add(totals, figures)
        _add(areas.setdefault(group["admin_area"], {}), figures)
        _add(practices.setdefault(group["practice"], {}), figures)
        for code, flag in WORST_PRACTICES.items():
            if group[flag]:
                _add(worst[code], figures)

    def complete(figures: dict) -> dict:
        return _clean({name: figures.get(name) for name in names})

    by_area = [{"admin_area": area, **complete(figures)} for area, figures in areas.items()]
    by_area.sort(key=lambda row: row["admin_area"])
    by_area.sort(key=lambda row: row["mercury_typical_kg"], reverse=True)
    return {
        "country": country.iso3,
        "filters": filters,
        "totals": complete(totals),
        "by_area": by_area,
        "by_practice": [
            {"practice": practice, **complete(practices[practice])}
            for practice in sorted(practices)
        ],
        "by_worst_practice": [
            {"code": code, **complete(figures)} for code, figures in worst.items()
        ],
    }


def overview_sources(country: Country, filters: OverviewFilters = OverviewFilters()) -> dict:
    """Where the overview's figures come from: ``projects`` (each project's name and number of
    sites, the most sites first) and the period of the sites' latest observations (``first``
    and ``last`` datetimes, None without sites)."""
    sites = filters.apply(sites_of(country)).order_by()
    projects = (
        sites.values("project__name")
        .annotate(sites=Count("id"))
        .order_by("-sites", "project__name")
    )
    period = sites.aggregate(first=Min("observed_at"), last=Max("observed_at"))
    return {
        "projects": [(row["project__name"], row["sites"]) for row in projects],
        "first": period["first"],
        "last": period["last"],
    }


def countries_with_sites() -> QuerySet[Country]:
    return Country.objects.filter(asgm_sites__merged_into=None).distinct().order_by("name")


def country_summaries() -> list[dict]:
    """Each country with sites: its sites, miners and mercury use (low, typical, high), by name
    in the reader's language."""
    rows = (
        Site.objects.filter(merged_into=None, country__isnull=False)
        .values("country")
        .annotate(
            sites=Count("id"),
            total_miners=Sum("miners"),
            mercury_low_kg=Sum("mercury_low_kg_per_year"),
            mercury_typical_kg=Sum("mercury_typical_kg_per_year"),
            mercury_high_kg=Sum("mercury_high_kg_per_year"),
        )
        .order_by()
    )
    countries = Country.objects.in_bulk([row["country"] for row in rows])
    summaries = [{**_clean(row), "country": countries[row["country"]]} for row in rows]
    return sorted(summaries, key=lambda row: row["country"].localized_name)


def admin_areas_of(country: Country | None) -> list[str]:
    """The administrative areas the country's sites name (every country's with None), for the
    overview's filter."""
    return list(
        sites_of(country)
        .exclude(admin_area="")
        .order_by("admin_area")
        .values_list("admin_area", flat=True)
        .distinct()
    )


def _shown_coordinate(field: str, exact_projects: set[int]):
    """A coordinate as ``shown_location`` shows it, in SQL: exact for the person's projects and
    the projects that publish them, else rounded to 0.1° (the site's ``public_`` column)."""
    exact = Q(project__publishes_exact_locations=True)
    if exact_projects:
        exact |= Q(project__in=exact_projects)
    return Case(
        When(exact, then=F(field)),
        default=F(f"public_{field}"),
        output_field=FloatField(),
    )


def map_sites(
    country: Country, filters: OverviewFilters, exact_projects: set[int], area: MapArea | None
) -> QuerySet[Site]:
    """The located sites of the overview's map, with the coordinates the person sees
    (``shown_latitude``, ``shown_longitude``); within ``area`` by those coordinates, so that
    the bounds asked for never tell more than the rounded coordinates do."""
    sites = (
        filters.apply(sites_of(country))
        .exclude(latitude=None)
        .exclude(longitude=None)
        .annotate(
            shown_latitude=_shown_coordinate("latitude", exact_projects),
            shown_longitude=_shown_coordinate("longitude", exact_projects),
        )
    )
    if area is not None:
        sites = sites.filter(area.within("shown_latitude", "shown_longitude"))
    return sites


def map_points(sites: QuerySet[Site], exact_projects: set[int]) -> list:
    """The sites (of map_sites) as short lists: [id, latitude, longitude, exact (0/1),
    worst-practice codes, practice, mercury typical kg a year (or None), method, name];
    coordinates as the person may see them (``shown_location``)."""
    sites = (
        sites.select_related("project")
        .only(
            "id",
            "name",
            "latitude",
            "longitude",
            "practice",
            "mercury_method",
            "mercury_typical_kg_per_year",
            "project__id",
            "project__publishes_exact_locations",
            *WORST_PRACTICES.values(),
        )
        .order_by("pk")
    )
    points = []
    for site in sites.iterator(chunk_size=2000):
        latitude, longitude, exact = shown_location(site, exact_projects)
        mercury = site.mercury_typical_kg_per_year
        points.append(
            [
                site.pk,
                latitude,
                longitude,
                int(exact),
                [code for code, flag in WORST_PRACTICES.items() if getattr(site, flag)],
                site.practice,
                None if mercury is None else float(round(mercury, 3)),
                site.mercury_method,
                site.name,
            ]
        )
    return points


COUNTRY_CELL_DEGREES = 1  # before the map knows its area: about 110 km


def map_cells(sites: QuerySet[Site], zoom: int | None) -> list:
    """The sites (of map_sites) counted in square cells of the map, for a map that would
    otherwise receive too many to draw: [latitude, longitude, sites, [[worst, sites], …]] each,
    at the mean of the coordinates the person sees, ``worst`` a bit mask of the four worst
    practices (in the order of WORST_PRACTICES) so that the map's layers can be counted."""
    size = COUNTRY_CELL_DEGREES if zoom is None else cell_degrees(zoom)
    flags = list(WORST_PRACTICES.values())
    groups = cell_groups(sites, "shown_latitude", "shown_longitude", size, by=flags)
    cells: dict[tuple, list] = {}
    for group in groups:
        cell = cells.setdefault((group["row"], group["column"]), [0.0, 0.0, 0, []])
        cell[0] += group["latitude_sum"]
        cell[1] += group["longitude_sum"]
        cell[2] += group["places"]
        mask = sum(1 << bit for bit, flag in enumerate(flags) if group[flag])
        cell[3].append([mask, group["places"]])
    return [
        [round(lat / count, 4), round(lon / count, 4), count, sorted(worst)]
        for lat, lon, count, worst in cells.values()
    ]


class SitesPages:
    """A list of sites (of ``sites_list``) read a page at a time, as a Paginator slices it:
    first the page's ids, which the index in the list's order gives without reading the sites
    (however far down the page), then those sites."""

    def __init__(self, sites: QuerySet[Site]):
        self.sites = sites

    def count(self) -> int:
        return self.sites.count()

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, index: slice) -> list[Site]:
        ids = list(self.sites.values_list("pk", flat=True)[index])
        return list(self.sites.filter(pk__in=ids)) if ids else []


def sites_list(country: Country | None, filters: OverviewFilters) -> QuerySet[Site]:
    """The overview's list of sites (every country's with None, by country first): by area and
    name, with what their coordinates and mercury estimate need (``shown_location``, the
    ratio)."""
    order = ("admin_area", "name", "pk") if country else ("country", "admin_area", "name", "pk")
    return (
        filters.apply(sites_of(country)).select_related("project", "mercury_ratio").order_by(*order)
    )


def get_site_for_user(user, pk: int) -> Site:
    """A site's page is public (its coordinates rounded for those outside its project, see
    ``shown_location``); merged sites too, which lead to the site they joined."""
    site = (
        Site.objects.select_related("project", "country", "mercury_ratio__country", "merged_into")
        .filter(pk=pk)
        .first()
    )
    if site is None:
        raise Http404("No such site")
    return site


def observations_of(site: Site):
    return site.observations.select_related(
        "submission__form__project", "submission__form_version", "submission__submitted_by_user"
    ).order_by("-observed_at", "-pk")


MERGE_CANDIDATES = 30
_NEARBY_DEGREES = 0.5


def merge_candidates(site: Site) -> list[Site]:
    """The sites of the same project a manager may fold into this one: those of the same
    administrative area or within about 50 km, nearest first, then by name."""
    others = Site.objects.filter(project=site.project_id, merged_into=None).exclude(pk=site.pk)
    near = Q(admin_area=site.admin_area) if site.admin_area else Q(pk__in=[])
    if site.latitude is not None and site.longitude is not None:
        near |= Q(
            latitude__range=(site.latitude - _NEARBY_DEGREES, site.latitude + _NEARBY_DEGREES),
            longitude__range=(site.longitude - _NEARBY_DEGREES, site.longitude + _NEARBY_DEGREES),
        )
    found = list(others.filter(near).order_by("name", "pk")[: MERGE_CANDIDATES * 4])

    def distance(other: Site) -> float:
        if None in (site.latitude, site.longitude, other.latitude, other.longitude):
            return float("inf")
        return haversine_km(site.latitude, site.longitude, other.latitude, other.longitude)

    return sorted(found, key=lambda other: (distance(other), other.name.lower()))[:MERGE_CANDIDATES]


def ratios_for_country(country: Country) -> list[MercuryRatio]:
    """The ratio each practice's estimates use in the country: its own where it set one (from
    a national study), else the platform's default; in the order of the practices."""
    ratios = {r.practice: r for r in MercuryRatio.objects.filter(country=None)}
    ratios.update(
        {r.practice: r for r in MercuryRatio.objects.filter(country=country).select_related()}
    )
    return [ratios[code] for code in Practice.values if code in ratios]
