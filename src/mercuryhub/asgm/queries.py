"""Every scoped read of the ASGM baseline: the sites a person sees (with their coordinates exact
or rounded), and a country's national overview (totals with ranges, by administrative area, by
practice, data quality), each computed in a few SQL aggregates whatever the number of sites."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Count, Max, Min, Q, QuerySet, Sum
from django.http import Http404

from mercuryhub.accounts.queries import is_reviewer
from mercuryhub.asgm.baseline import WORST_PRACTICES
from mercuryhub.asgm.models import MercuryMethod, MercuryRatio, Practice, Site
from mercuryhub.forms.models import ProjectMembership
from mercuryhub.lib.geo import haversine_km
from mercuryhub.taxonomy.models import Country

PUBLIC_PRECISION = 1  # decimal places of a public site's coordinates: 0.1°, about 11 km


def sites_of(country: Country) -> QuerySet[Site]:
    """The country's sites, merged ones left out (their observations live on in another)."""
    return Site.objects.filter(country=country, merged_into=None)


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
        if self.since:
            sites = sites.filter(observed_at__date__gte=self.since)
        if self.until:
            sites = sites.filter(observed_at__date__lte=self.until)
        return sites


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


def overview(country: Country, filters: OverviewFilters = OverviewFilters()) -> dict:
    """A country's national overview: ``totals``, ``by_area`` (each administrative area, the
    largest mercury use first), ``by_practice`` (each practice) and ``by_worst_practice`` (each
    of the four, the sites showing it), all with the same figures."""
    sites = filters.apply(sites_of(country)).order_by()
    figures = _figures()
    totals = _clean(sites.aggregate(**figures))
    by_area = [
        _clean(row)
        for row in sites.values("admin_area")
        .annotate(**figures)
        .order_by("-mercury_typical_kg", "admin_area")
    ]
    by_practice = [
        _clean(row) for row in sites.values("practice").annotate(**figures).order_by("practice")
    ]
    by_worst_practice = [
        {"code": code, **_clean(sites.filter(**{flag: True}).aggregate(**figures))}
        for code, flag in WORST_PRACTICES.items()
    ]
    return {
        "country": country.iso3,
        "filters": filters,
        "totals": totals,
        "by_area": by_area,
        "by_practice": by_practice,
        "by_worst_practice": by_worst_practice,
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


def admin_areas_of(country: Country) -> list[str]:
    """The administrative areas the country's sites name, for the overview's filter."""
    return list(
        sites_of(country)
        .exclude(admin_area="")
        .order_by("admin_area")
        .values_list("admin_area", flat=True)
        .distinct()
    )


def map_points(country: Country, filters: OverviewFilters, exact_projects: set[int]) -> list:
    """The sites on the overview's map, as short lists: [id, latitude, longitude, exact (0/1),
    worst-practice codes, practice, mercury typical kg a year (or None), method, name];
    coordinates as the person may see them (``shown_location``)."""
    sites = (
        filters.apply(sites_of(country))
        .exclude(latitude=None)
        .exclude(longitude=None)
        .select_related("project")
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


def sites_list(country: Country, filters: OverviewFilters) -> QuerySet[Site]:
    """The overview's list of sites: by area and name."""
    return filters.apply(sites_of(country)).order_by("admin_area", "name", "pk")


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
