from django.shortcuts import render

from mercuryhub.accounts.queries import organizations_visible_to, search_organizations
from mercuryhub.taxonomy.queries import countries, terms_matching, terms_of


def home(request):
    return render(
        request,
        "core/home.html",
        {
            "organization_count": organizations_visible_to(request.user).count(),
            "country_count": countries().count(),
            "waste_category_count": terms_of("waste_categories").count(),
        },
    )


def search(request):
    query = request.GET.get("q", "").strip()
    organizations = search_organizations(request.user, query)[:50] if query else []
    terms = terms_matching(query) if query else []
    return render(
        request,
        "core/search.html",
        {"query": query, "organizations": organizations, "terms": terms},
    )
