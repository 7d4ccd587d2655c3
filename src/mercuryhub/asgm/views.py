"""The ASGM pages: the countries with mining sites, a country's national overview (filters,
totals, data quality, map, tables and charts, the ratios its estimates use) with the sites of
its map as JSON, its sites as CSV, XLSX and GeoJSON, the overview as a Word document (a
NAP's baseline chapter), and the secretariat's form for a country's own mercury-to-gold ratio."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from mercuryhub.accounts.forms import add_action_errors
from mercuryhub.asgm import actions, display, exports, queries
from mercuryhub.asgm.forms import NationalRatioForm, OverviewFilterForm
from mercuryhub.asgm.models import Practice, WorstPractice
from mercuryhub.asgm.overview_docx import overview_docx as overview_docx_of
from mercuryhub.lib.errors import InvalidInputError
from mercuryhub.lib.maps import map_area
from mercuryhub.lib.pagination import CountedPaginator
from mercuryhub.lib.streams import streamed_download

SITES_PAGE_SIZE = 50
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@require_safe
def country_list(request):
    return render(request, "asgm/country_list.html", {"summaries": queries.country_summaries()})


def _filter_query(request):
    query = request.GET.copy()
    query.pop("page", None)
    return query


def _filter_form(request, country) -> OverviewFilterForm:
    query = _filter_query(request)
    return OverviewFilterForm(query or None, areas=queries.admin_areas_of(country))


def _filters(form: OverviewFilterForm):
    """The overview's filters; None when the form has errors (the page then says which)."""
    if not form.is_bound:
        return queries.OverviewFilters()
    return form.filters() if form.is_valid() else None


def _overview_context(request, country, ratio_form=None) -> dict:
    if _filter_query(request):
        form = _filter_form(request, country)
        filters = _filters(form)
        overview = None if filters is None else queries.overview(country, filters)
    else:
        # The whole country: its overview names every area the filter offers.
        filters = queries.OverviewFilters()
        overview = queries.overview(country, filters)
        areas = sorted(row["admin_area"] for row in overview["by_area"] if row["admin_area"])
        form = OverviewFilterForm(None, areas=areas)
    context = {
        "country": country,
        "filter_form": form,
        "filtered": form.is_filtered(),
        "ratios": queries.ratios_for_country(country),
        "can_set_ratios": actions.can_set_national_ratios(request.user),
        "ratio_form": ratio_form or NationalRatioForm(),
        "worst_practices": WorstPractice.choices,
        "practices": Practice.choices,
        "map_labels": display.map_labels(),
        "site_url": reverse("asgm-site-detail", args=[0]),
    }
    if filters is None:
        return context
    figures = display.labelled(overview)
    sites = queries.sites_list(country, filters)
    query = form.data.urlencode() if form.is_bound else ""
    return {
        **context,
        "figures": figures,
        "totals": figures["totals"],
        "quality": display.data_quality(figures["totals"]),
        "page": CountedPaginator(
            queries.SitesPages(sites), SITES_PAGE_SIZE, figures["totals"]["sites"]
        ).get_page(request.GET.get("page")),
        "points_url": reverse("asgm-overview-sites", args=[country.iso3])
        + (f"?{query}" if query else ""),
        "filter_query": query,
    }


@require_safe
def overview(request, iso3):
    country = queries.get_country_for_overview(iso3)
    if iso3 != country.iso3:
        return redirect("asgm-overview", country.iso3)
    context = _overview_context(request, country)
    status = 200 if "figures" in context else 400
    return render(request, "asgm/overview.html", context, status=status)


@require_safe
def overview_sites(request, iso3):
    """The sites of the overview's map, as the person may see them (see map_sites): each
    site when there are at most ASGM_MAP_POINTS_LIMIT in view, else the count of each cell."""
    country = queries.get_country_for_overview(iso3)
    form = _filter_form(request, country)
    filters = _filters(form)
    area, errors = map_area(request.GET)
    if filters is None or errors:
        errors.update(
            {name: [str(message) for message in found] for name, found in form.errors.items()}
        )
        return JsonResponse({"errors": errors}, status=400)
    exact = queries.projects_with_exact_locations(request.user)
    sites = queries.map_sites(country, filters, exact, area)
    # Counted in cells first: one pass tells how many are in view, and the whole country (the
    # most sites) needs no other.
    cells = queries.map_cells(sites, None if area is None else area.zoom)
    in_view = sum(cell[2] for cell in cells)
    if in_view <= settings.ASGM_MAP_POINTS_LIMIT:
        return JsonResponse({"sites": queries.map_points(sites, exact)})
    return JsonResponse({"cells": cells, "in_view": in_view})


@require_safe
def export_sites(request, iso3, file_format):
    """The overview's sites, with its filters, as a file; coordinates as the person may see
    them. Filters not understood answer the overview page, which names them (400)."""
    if file_format not in exports.CONTENT_TYPES:
        raise Http404(f"No export as {file_format!r}; use csv, xlsx or geojson")
    country = queries.get_country_for_overview(iso3)
    filters = _filters(_filter_form(request, country))
    if filters is None:
        context = _overview_context(request, country)
        return render(request, "asgm/overview.html", context, status=400)
    sites = queries.sites_list(country, filters)
    exact = queries.projects_with_exact_locations(request.user)
    name = f"asgm-sites-{country.iso3}-{timezone.localdate().isoformat()}.{file_format}"
    if file_format == "csv":
        chunks = exports.csv_lines(sites, exact)
    elif file_format == "xlsx":
        chunks = exports.xlsx_chunks(sites, exact, title=f"ASGM sites: {country.name}")
    else:
        chunks = exports.geojson_chunks(sites, exact)
    return streamed_download(chunks, exports.CONTENT_TYPES[file_format], name)


@require_safe
def overview_docx(request, iso3):
    """The overview as a Word document, with the page's filters (wrong ones: the page, 400)."""
    country = queries.get_country_for_overview(iso3)
    form = _filter_form(request, country)
    filters = _filters(form)
    if filters is None:
        return render(
            request, "asgm/overview.html", _overview_context(request, country), status=400
        )
    address = request.build_absolute_uri(reverse("asgm-overview", args=[country.iso3]))
    if form.is_bound:
        address += "?" + form.data.urlencode()
    content = overview_docx_of(
        country,
        display.labelled(queries.overview(country, filters)),
        queries.overview_sources(country, filters),
        queries.ratios_for_country(country),
        address,
    )
    response = HttpResponse(content, content_type=DOCX)
    name = f"asgm-overview-{country.iso3}-{timezone.localdate():%Y-%m-%d}-{get_language()}.docx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
@require_POST
def national_ratio(request, iso3):
    country = queries.get_country_for_overview(iso3)
    if not actions.can_set_national_ratios(request.user):
        raise PermissionDenied(_("Only the secretariat sets a country's mercury-to-gold ratios."))
    form = NationalRatioForm(request.POST)
    if form.is_valid():
        try:
            ratio = actions.do_set_national_ratio(request.user, country, **form.cleaned_data)
        except InvalidInputError as error:
            add_action_errors(form, error.errors)
        else:
            messages.success(
                request,
                _("%(country)s's sites are now estimated with its own ratio for %(practice)s.")
                % {"country": country.localized_name, "practice": ratio.get_practice_display()},
            )
            return redirect(reverse("asgm-overview", args=[country.iso3]) + "#ratios")
    context = _overview_context(request, country, ratio_form=form)
    return render(request, "asgm/overview.html", context, status=400)
