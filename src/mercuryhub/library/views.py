"""The library's public pages: its home, the list of resources, a resource, a case study, and
the files uploaded with them."""

from urllib.parse import quote, urlencode

from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import render
from django.views.decorators.http import require_safe

from mercuryhub.catalogue.queries import Hit
from mercuryhub.lib.errors import InvalidInputError
from mercuryhub.library import listing, queries
from mercuryhub.review import queries as review_queries

PAGE_SIZE = 20


def library_home(request):
    return render(
        request,
        "library/home.html",
        {"latest": queries.latest(request.user), "training_query": _training_query()},
    )


def _training_query() -> str:
    return urlencode([("kind", kind) for kind in listing.TRAINING_KINDS])


def resource_list(request):
    """Published resources with the library's filters, counted under each value, sorted and
    paginated; the list filters in place as the catalogue's search page does."""
    try:
        filters = listing.parse_library_filters(request.GET)
    except InvalidInputError as error:
        return render(
            request,
            "library/resource_list.html",
            {"errors": error.errors, "facets": []},
            status=400,
        )
    try:
        page_number = max(1, min(int(request.GET.get("page", 1)), 10_000))
    except ValueError:
        page_number = 1
    found = listing.page(
        "resource",
        request.user,
        filters,
        limit=PAGE_SIZE,
        offset=(page_number - 1) * PAGE_SIZE,
    )
    params = filters.as_params()
    return render(
        request,
        "library/resource_list.html",
        {
            "filters": filters,
            "found": found,
            "hits": [
                Hit("resource", entry, snippet=found.snippets.get(entry.pk))
                for entry in found.entries
            ],
            "page": Paginator(range(found.total), PAGE_SIZE).get_page(page_number),
            "facets": listing.facets("resource", request.user, filters),
            "active_filters": [
                {
                    "label": f"{facet_label}: ",
                    "value": label,
                    "remove_url": "?" + urlencode([p for p in params if p != (name, value)]),
                }
                for name, value, facet_label, label in listing.active_filters(filters)
            ],
            "sorts": listing.SORTS,
            "training": set(filters.kind) == set(listing.TRAINING_KINDS),
            "training_query": _training_query(),
        },
    )


def resource_detail(request, pk):
    resource = queries.get_resource_for_user(request.user, pk)
    return render(
        request,
        "library/resource_detail.html",
        {
            "resource": resource,
            "entry": resource,
            "language_versions": queries.language_versions(request.user, resource),
            "stale": review_queries.is_stale(resource),
        },
    )


def case_study_detail(request, pk):
    case_study = queries.get_case_study_for_user(request.user, pk)
    return render(
        request,
        "library/case_study_detail.html",
        {
            "case_study": case_study,
            "entry": case_study,
            "validation": queries.published_judgements(case_study),
            "stale": review_queries.is_stale(case_study),
        },
    )


@require_safe
def document_file(request, pk):
    """An uploaded file, always as a download of its checked type: a browser neither shows it
    as a page nor guesses another type."""
    document = queries.get_document_for_user(request.user, pk)
    name = queries.served_name(document)
    try:
        stream = document.file.storage.open(document.file.name, "rb")
    except FileNotFoundError:
        raise Http404(f"The stored copy of file {pk} is missing") from None
    response = FileResponse(stream, content_type=queries.content_type_of(document))
    ascii_name = name.encode("ascii", "ignore").decode().replace('"', "").replace("\\", "")
    response["Content-Disposition"] = (
        f'attachment; filename="{ascii_name or "document"}"; '
        f"filename*=UTF-8''{quote(name, safe='')}"
    )
    response["Content-Length"] = str(document.size)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    if not queries.is_public_document(document):
        response["Cache-Control"] = "private, no-store"
    return response
