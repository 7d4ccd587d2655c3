"""The pages of projects: the list (filtered, searched, paged, with a map), the map's GeoJSON,
one project's page and the CSV export of the list."""

from django.core.paginator import Paginator
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from mercuryhub.catalogue.spreadsheets.exporting import entries_csv, export_filename
from mercuryhub.partnership import project_queries as queries
from mercuryhub.partnership.models import Project
from mercuryhub.taxonomy.queries import regions, terms_of

PAGE_SIZE = 20


@require_safe
def project_list(request):
    filters = queries.project_filters(request.GET)
    found = queries.search_projects(request.user, filters)
    page = Paginator(found, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "partnership/project_list.html",
        {
            "filters": filters,
            "errors": filters.errors,
            "page": page,
            "query": request.GET.urlencode(),
            "countries": queries.project_countries(),
            "regions": regions(),
            "statuses": Project.Status.choices,
            "funders": queries.funders(),
            "waste_categories": terms_of("waste_categories"),
            "areas": terms_of("partnership_areas"),
            "map_labels": {
                "loading": _("Loading the map…"),
                "shown": _("%(count)s places on the map"),
                "none": _("No project to show on the map"),
                "failed": _("The map could not be loaded"),
            },
        },
        status=400 if filters.errors else 200,
    )


def _feature(project: Project, lat: float, lon: float, country_name: str) -> dict:
    return {
        "type": "Feature",
        "geometry": {"type": "Point", "coordinates": [lon, lat]},
        "properties": {
            "id": project.pk,
            "name": str(project.local_name),
            "url": project.get_absolute_url(),
            "status": project.status,
            "status_label": str(project.get_status_display()),
            "funder": project.funder,
            "first_year": project.first_year,
            "last_year": project.last_year,
            "place": country_name,
        },
    }


def project_features(projects) -> list[dict]:
    """A point per project: its own, or the centre of each of its countries."""
    features = []
    for project in projects:
        if project.latitude is not None and project.longitude is not None:
            names = ", ".join(c.localized_name for c in project.countries.all())
            features.append(_feature(project, project.latitude, project.longitude, names))
            continue
        for country in project.countries.all():
            if country.latitude is not None and country.longitude is not None:
                features.append(
                    _feature(project, country.latitude, country.longitude, country.localized_name)
                )
    return features


@require_safe
def project_map(request):
    """The projects of the list's filters as GeoJSON."""
    filters = queries.project_filters(request.GET)
    found = queries.search_projects(request.user, filters)
    collection = {"type": "FeatureCollection", "features": project_features(found)}
    return JsonResponse(collection, json_dumps_params={"ensure_ascii": False})


@require_safe
def project_detail(request, pk: int):
    project = queries.get_project_for_user(request.user, pk)
    return render(
        request,
        "partnership/project_detail.html",
        {
            "project": project,
            "features": project_features([project]),
            "case_studies": [c for c in project.case_studies.all() if c.published],
        },
    )


@require_safe
def project_export(request):
    """The projects of the list's filters as CSV in the import layout."""
    filters = queries.project_filters(request.GET)
    found = queries.search_projects(request.user, filters)
    response = HttpResponse(
        entries_csv("project", found).encode("utf-8-sig"), content_type="text/csv; charset=utf-8"
    )
    name = export_filename("projects", "csv")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
