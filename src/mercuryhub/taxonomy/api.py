from django.http import Http404
from ninja import Router, Schema
from ninja.pagination import paginate

from mercuryhub.lib.api import ERROR_RESPONSES, Pagination
from mercuryhub.taxonomy import queries

router = Router(tags=["reference data"])


class VocabularyOut(Schema):
    name: str
    label: str
    hierarchical: bool
    term_count: int
    url: str


class TermOut(Schema):
    code: str
    label: str
    parent: str | None
    synonyms: list[str]
    attributes: dict


class CountryOut(Schema):
    iso3: str
    iso2: str
    numeric: str
    name: str
    names: dict[str, str]
    region: str
    region_code: str
    subregion: str
    subregion_code: str
    intermediate_region: str
    income_level: str
    latitude: float | None
    longitude: float | None


class LanguageOut(Schema):
    code: str
    iso3: str
    name: str
    is_un_language: bool


@router.get(
    "/taxonomy",
    response={200: list[VocabularyOut], **ERROR_RESPONSES},
    summary="List the vocabularies",
)
def list_vocabularies(request):
    return [
        {
            "name": vocabulary.slug,
            "label": vocabulary.label,
            "hierarchical": vocabulary.hierarchical,
            "term_count": vocabulary.term_count,
            "url": f"/api/v1/taxonomy/{vocabulary.slug}",
        }
        for vocabulary in queries.vocabularies()
    ]


@router.get(
    "/taxonomy/{vocabulary}",
    response={200: list[TermOut], **ERROR_RESPONSES},
    summary="List the terms of one vocabulary",
)
@paginate(Pagination)
def list_terms(request, vocabulary: str):
    found = queries.vocabulary_by_slug(vocabulary)
    if found is None:
        known = ", ".join(v.slug for v in queries.vocabularies())
        raise Http404(f"Unknown vocabulary '{vocabulary}'; known vocabularies: {known}")
    return [
        {
            "code": term.code,
            "label": term.label,
            "parent": term.parent.code if term.parent else None,
            "synonyms": term.synonyms,
            "attributes": term.attributes,
        }
        for term in queries.terms_of(found.name)
    ]


@router.get(
    "/countries", response={200: list[CountryOut], **ERROR_RESPONSES}, summary="List countries"
)
@paginate(Pagination)
def list_countries(request, region: str | None = None):
    """Filter with ``region``: a UN M49 region, sub-region or intermediate region, by name
    (``Africa``, ``South America``) or M49 code (``002``, ``005``)."""
    return queries.countries(region)


@router.get(
    "/languages",
    response={200: list[LanguageOut], **ERROR_RESPONSES},
    summary="List languages (ISO 639-1)",
)
@paginate(Pagination)
def list_languages(request, un: bool = False):
    return queries.languages(un_only=un)
