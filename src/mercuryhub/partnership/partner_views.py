"""The Partnership's landing page and its partners: the list with filters, pages and counts,
the map of partners by country and the CSV download of the same list."""

from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from mercuryhub.lib.streams import csv_lines, streamed_download
from mercuryhub.partnership import group_queries, partner_queries

PAGE_SIZE = 25


@require_safe
def home(request):
    groups = list(group_queries.working_groups())
    partners = partner_queries.partners_visible_to(request.user)
    return render(
        request,
        "partnership/home.html",
        {
            "groups": groups,
            "partner_count": partners.count(),
            "country_count": partners.order_by().values("country").distinct().count(),
        },
    )


@require_safe
def partner_list(request):
    filters = partner_queries.PartnerFilters.from_query(request.GET)
    partners = partner_queries.filtered_partners(request.user, filters)
    page = Paginator(partners, PAGE_SIZE).get_page(request.GET.get("page"))
    points = partner_queries.partner_map_points(partners)
    return render(
        request,
        "partnership/partner_list.html",
        {
            "page": page,
            "filters": filters,
            "choices": partner_queries.filter_choices(request.user),
            "country_count": len(points),
            "map_points": points,
            "map_labels": {
                "partners": _("Partners"),
                "show": _("Show the partners of this country"),
            },
            "csv_query": request.GET.urlencode(),
        },
    )


@require_safe
def partner_csv(request):
    filters = partner_queries.PartnerFilters.from_query(request.GET)
    partners = partner_queries.filtered_partners(request.user, filters).select_related(
        "country", "stakeholder_type"
    )
    rows = partner_queries.partner_csv_rows(partners, request.build_absolute_uri)
    return streamed_download(
        csv_lines(partner_queries.CSV_HEADER, rows),
        "text/csv; charset=utf-8",
        "mercuryhub-partners.csv",
    )
