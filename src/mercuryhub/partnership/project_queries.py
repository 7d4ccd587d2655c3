"""Every permission-scoped read of projects: the published ones anyone may see, filtered for the
list, the map and the exports."""

from dataclasses import dataclass, field

from django.db.models import Q, QuerySet
from django.db.models.expressions import RawSQL
from django.http import Http404
from django.utils.translation import gettext as _

from mercuryhub.partnership.models import Project
from mercuryhub.search.engine import match_sql
from mercuryhub.taxonomy.models import Country, Term
from mercuryhub.taxonomy.queries import countries, regions, terms_of

_RELATED = ("countries", "waste_categories", "partnership_areas", "partners")


@dataclass
class ProjectFilters:
    q: str = ""
    country: Country | None = None
    region: str = ""
    funder: str = ""
    status: str = ""
    year_from: int | None = None
    year_to: int | None = None
    waste: Term | None = None
    area: Term | None = None
    errors: dict = field(default_factory=dict)


def projects_visible_to(user) -> QuerySet[Project]:
    return Project.objects.filter(published=True)


def get_project_for_user(user, pk: int) -> Project:
    project = (
        projects_visible_to(user)
        .select_related("organization")
        .prefetch_related(*_RELATED, "case_studies__country")
        .filter(pk=pk)
        .first()
    )
    if project is None:
        raise Http404(f"No project {pk}")
    return project


def _term_with_narrower(term: Term) -> list[int]:
    found, stack = [term.pk], [term.pk]
    while stack:
        children = list(Term.objects.filter(parent_id__in=stack).values_list("pk", flat=True))
        found.extend(children)
        stack = children
    return found


def _year(params, name: str, errors: dict) -> int | None:
    raw = params.get(name, "").strip()
    if not raw:
        return None
    if not raw.isdigit() or not 1000 <= int(raw) <= 9999:
        errors[name] = _("%(value)s is not a year.") % {"value": raw[:10]}
        return None
    return int(raw)


def project_filters(params) -> ProjectFilters:
    """The filters of the list, the map and the exports from a query string; unknown codes are
    named in ``errors`` and left out."""
    errors: dict[str, str] = {}

    def unknown(name: str, code: str) -> None:
        errors[name] = _("Unknown code %(code)s; choose one in the list.") % {"code": code[:40]}

    def term(vocabulary: str, name: str) -> Term | None:
        code = params.get(name, "").strip()
        found = terms_of(vocabulary).filter(code=code).first() if code else None
        if code and found is None:
            unknown(name, code)
        return found

    code = params.get("country", "").strip().upper()
    country = Country.objects.filter(Q(iso3=code) | Q(iso2=code)).first() if code else None
    if code and country is None:
        unknown("country", code)
    region = params.get("region", "").strip()[:100]
    known = {r["name"] for r in regions()} | {s for r in regions() for s in r["subregions"]}
    if region and region not in known:
        unknown("region", region)
        region = ""
    status = params.get("status", "").strip()
    if status and status not in Project.Status.values:
        unknown("status", status)
        status = ""
    return ProjectFilters(
        q=params.get("q", "").strip()[:200],
        country=country,
        region=region,
        funder=params.get("funder", "").strip()[:100],
        status=status,
        year_from=_year(params, "from", errors),
        year_to=_year(params, "to", errors),
        waste=term("waste_categories", "waste"),
        area=term("partnership_areas", "area"),
        errors=errors,
    )


def search_projects(user, filters: ProjectFilters) -> QuerySet[Project]:
    """The published projects answering every filter; the words through the one search index.
    A project counts in a year range when its years overlap it."""
    found = projects_visible_to(user)
    sql = match_sql(filters.q, "project") if filters.q else None
    if sql is not None:
        found = found.filter(pk__in=RawSQL(*sql))  # noqa: S611 - parameters bound
    if filters.country is not None:
        found = found.filter(pk__in=Project.objects.filter(countries=filters.country).values("pk"))
    if filters.region:
        within = Project.objects.filter(countries__in=countries(filters.region)).values("pk")
        found = found.filter(pk__in=within)
    if filters.funder:
        found = found.filter(funder__icontains=filters.funder)
    if filters.status:
        found = found.filter(status=filters.status)
    if filters.year_from is not None:
        found = found.filter(
            Q(last_year__gte=filters.year_from)
            | Q(last_year__isnull=True, first_year__gte=filters.year_from)
            | Q(last_year__isnull=True, status=Project.Status.ONGOING)
        )
    if filters.year_to is not None:
        found = found.filter(first_year__lte=filters.year_to)
    for term, name in ((filters.waste, "waste_categories"), (filters.area, "partnership_areas")):
        if term is not None:
            tagged = Project.objects.filter(**{f"{name}__in": _term_with_narrower(term)})
            found = found.filter(pk__in=tagged.values("pk"))
    return found.select_related("organization").prefetch_related(*_RELATED)


def funders() -> list[str]:
    """The funders the published projects name, for the filter's suggestions."""
    names = (
        Project.objects.filter(published=True).exclude(funder="").values_list("funder", flat=True)
    )
    return sorted({name for name in names})


def project_countries() -> QuerySet[Country]:
    """The countries of published projects, for the filter."""
    return Country.objects.filter(partnership_projects__published=True).distinct().order_by("name")
