from dataclasses import replace
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from mercuryhub.catalogue import actions, queries
from mercuryhub.catalogue.forms import ExpertContactForm
from mercuryhub.catalogue.organization_links import facilities_of_provider, offerings_of_operator
from mercuryhub.lib.errors import InvalidInputError
from mercuryhub.review import queries as review_queries
from mercuryhub.taxonomy.queries import regions, terms_of

PAGE_SIZE = 20


def catalogue_home(request):
    return render(
        request,
        "catalogue/home.html",
        {
            "counts": queries.published_counts(request.user),
            "waste_categories": terms_of("waste_categories").filter(parent__isnull=True),
        },
    )


# Above this many results the page shows first and asks for the filter counts once shown:
# counting every category of tens of thousands of entries takes a second or more.
FACETS_INLINE_UP_TO = 2000


def _search_filters(request):
    """The platform's one search: without a type asked for, every type."""
    return replace(queries.parse_filters(request.GET), everywhere=True)


def search_results(request):
    try:
        filters = _search_filters(request)
    except InvalidInputError as error:
        return render(
            request, "catalogue/search.html", {"errors": error.errors, "facets": []}, status=400
        )
    page_number = _page_number(request)
    results = queries.search(
        request.user, filters, limit=PAGE_SIZE, offset=(page_number - 1) * PAGE_SIZE
    )
    paginator = Paginator(range(results.total), PAGE_SIZE)
    inline = results.total <= FACETS_INLINE_UP_TO or request.GET.get("facets") == "all"
    return render(
        request,
        "catalogue/search.html",
        {
            "filters": filters,
            "results": results,
            "page": paginator.get_page(page_number),
            "facets": queries.facets(request.user, filters) if inline else None,
            "active_filters": _with_removal_addresses(filters),
            "regions": regions(),
            "sorts": queries.SORTS,
        },
    )


def _with_removal_addresses(filters) -> list[dict]:
    """Each filter in force with the address of the same search without it."""
    params = filters.as_params()
    return [
        {
            "filter": active,
            "remove_url": "?" + urlencode([p for p in params if p != (active.name, active.value)]),
        }
        for active in queries.active_filters(filters)
    ]


def search_facets(request):
    """The filter panel's counts for a search, asked for by the search page once it is shown."""
    try:
        filters = _search_filters(request)
    except InvalidInputError as error:
        return render(
            request, "catalogue/_filter_errors.html", {"errors": error.errors}, status=400
        )
    return render(
        request,
        "catalogue/_facets.html",
        {"filters": filters, "facets": queries.facets(request.user, filters)},
    )


def _page_number(request) -> int:
    try:
        return max(1, min(int(request.GET.get("page", 1)), 10_000))
    except ValueError:
        return 1


def facility_detail(request, pk):
    facility = queries.get_facility_for_user(request.user, pk)
    return render(
        request,
        "catalogue/facility_detail.html",
        {
            "facility": facility,
            "entry": facility,
            "related": queries.related_facilities(request.user, facility),
            "same_operator": queries.facilities_of_operator(request.user, facility),
            "operator_offerings": offerings_of_operator(request.user, facility),
            "basel_guidance_url": settings.BASEL_GUIDANCE_URL,
            "stale": review_queries.is_stale(facility),
        },
    )


def offering_detail(request, pk):
    offering = queries.get_offering_for_user(request.user, pk)
    return render(
        request,
        "catalogue/offering_detail.html",
        {
            "offering": offering,
            "entry": offering,
            "facilities": offering.facilities.filter(published=True),
            "provider_facilities": facilities_of_provider(request.user, offering),
        },
    )


def expert_detail(request, pk):
    expert = queries.get_expert_for_user(request.user, pk)
    return render(
        request,
        "catalogue/expert_detail.html",
        {
            "expert": expert,
            "entry": expert,
            "form": ExpertContactForm(),
            "stale": review_queries.is_stale(expert),
        },
    )


def expert_contact(request, pk):
    expert = queries.get_expert_for_user(request.user, pk)
    form = ExpertContactForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            actions.do_contact_expert(expert, form.cleaned_data, client=_client_address(request))
        except actions.ContactLimitError as error:
            form.add_error(None, str(error))
            status = 429
        else:
            messages.success(
                request, _("Your message has been sent. The expert will reply to you by e-mail.")
            )
            return redirect(expert)
    return render(
        request,
        "catalogue/expert_detail.html",
        {"expert": expert, "entry": expert, "form": form},
        status=status,
    )


def _client_address(request) -> str:
    return request.META.get("REMOTE_ADDR", "unknown")


def organization_section(user, organization) -> dict | None:
    """The organization's facilities, offerings and experts, for its page."""
    entries = queries.entries_of_organization(user, organization)
    if not any(entries.values()):
        return None
    return {"template": "catalogue/_organization_entries.html", "context": entries}
