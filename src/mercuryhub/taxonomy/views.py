from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render

from mercuryhub.taxonomy import queries


def index(request):
    return render(
        request,
        "taxonomy/index.html",
        {
            "vocabularies": queries.vocabularies(),
            "country_count": queries.countries().count(),
            "language_count": queries.languages().count(),
        },
    )


def vocabulary_detail(request, slug):
    vocabulary = queries.vocabulary_by_slug(slug)
    if vocabulary is None:
        raise Http404(f"No vocabulary '{slug}'")
    terms = list(queries.terms_of(vocabulary.name))
    children: dict[int | None, list] = {}
    for term in terms:
        children.setdefault(term.parent_id, []).append(term)
    for term in terms:
        term.narrower = children.get(term.pk, [])
    return render(
        request,
        "taxonomy/vocabulary.html",
        {"vocabulary": vocabulary, "roots": children.get(None, [])},
    )


def country_list(request):
    region = request.GET.get("region", "").strip()
    page = Paginator(queries.countries(region or None), 50).get_page(request.GET.get("page"))
    return render(
        request,
        "taxonomy/countries.html",
        {"page": page, "region": region, "regions": queries.regions()},
    )


def language_list(request):
    un_only = request.GET.get("un") == "1"
    page = Paginator(queries.languages(un_only=un_only), 50).get_page(request.GET.get("page"))
    return render(request, "taxonomy/languages.html", {"page": page, "un_only": un_only})
