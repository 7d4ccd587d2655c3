from django.shortcuts import render

from mercuryhub.accounts.queries import organizations_visible_to
from mercuryhub.catalogue.queries import published_counts
from mercuryhub.taxonomy.queries import countries, terms_of


def home(request):
    return render(
        request,
        "core/home.html",
        {
            "organization_count": organizations_visible_to(request.user).count(),
            "catalogue_counts": published_counts(request.user),
            "country_count": countries().count(),
            "waste_category_count": terms_of("waste_categories").count(),
        },
    )
