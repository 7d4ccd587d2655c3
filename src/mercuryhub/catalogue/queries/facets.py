"""The counts beside each filter value on the search page."""

from dataclasses import dataclass, field, replace

from django.db.models import Count
from django.utils.translation import gettext as _

from mercuryhub.catalogue.models import Facility
from mercuryhub.catalogue.queries.filters import VOCABULARIES, Filters, applies_to, filtered
from mercuryhub.catalogue.queries.visibility import KINDS, term_field, visible
from mercuryhub.search import engine
from mercuryhub.taxonomy.models import Country, Language, Term
from mercuryhub.taxonomy.regions import region_label

# Facets -------------------------------------------------------------------------------------


@dataclass
class FacetValue:
    value: str
    label: str
    count: int
    selected: bool
    depth: int = 0


@dataclass
class Facet:
    name: str
    label: str
    values: list[FacetValue] = field(default_factory=list)


def _term_counts(facet: str, user, filters: Filters) -> dict[int, int]:
    """Entries per term, each counted once under a parent term whatever children it has."""
    vocabulary = VOCABULARIES[facet]
    terms = list(Term.objects.filter(vocabulary__name=vocabulary))
    counts: dict[int, set] = {term.pk: set() for term in terms}
    parent_of = {term.pk: term.parent_id for term in terms}
    base = filters.without(facet)
    for kind in KINDS:
        field_name = term_field(facet, kind)
        if not field_name or not applies_to(kind, base):
            continue
        through = getattr(visible(kind, user).model, field_name).through
        column = f"{visible(kind, user).model._meta.model_name}_id"
        pairs = through.objects.filter(
            **{f"{column}__in": filtered(kind, user, base).values("pk")}
        ).values_list("term_id", column)
        for term_id, entry_id in pairs.iterator(chunk_size=5000):
            counts[term_id].add((kind, entry_id))
            parent = parent_of.get(term_id)
            while parent:
                counts[parent].add((kind, entry_id))
                parent = parent_of.get(parent)
    return {pk: len(entries) for pk, entries in counts.items()}


def _kind_counts(user, filters: Filters) -> dict[str, int]:
    base = filters.without("type")
    return {kind: filtered(kind, user, base).count() for kind in KINDS}


# Up to this many matches, facets look the text query's matches up once and count from their
# ids, instead of running the full-text match again in each of their twenty-odd statements.
FACET_MATCHES_LOOKED_UP = 2000


def _text_looked_up(filters: Filters) -> Filters:
    if not filters.q:
        return filters
    found = engine.matches(filters.q, list(KINDS), cap=FACET_MATCHES_LOOKED_UP)
    if found is None:
        return filters
    return replace(filters, matched=tuple((kind, tuple(ids)) for kind, ids in found.items()))


def facets(user, filters: Filters) -> list[Facet]:
    filters = _text_looked_up(filters)
    result = []
    kind_counts = _kind_counts(user, filters)
    labels = {
        "facility": _("Facilities"),
        "offering": _("Technologies and services"),
        "expert": _("Experts"),
    }
    result.append(
        Facet(
            "type",
            _("Entry type"),
            [FacetValue(k, labels[k], kind_counts[k], k in filters.kinds) for k in KINDS],
        )
    )
    facet_labels = {
        "waste": _("Waste category"),
        "phase": _("Management phase"),
        "technology": _("Treatment technology"),
    }
    for facet, vocabulary in VOCABULARIES.items():
        counts = _term_counts(facet, user, filters)
        values = []
        for term in Term.objects.filter(vocabulary__name=vocabulary).order_by("position"):
            depth = 1 if term.parent_id else 0
            selected = term.code in getattr(filters, facet)
            if counts.get(term.pk) or selected:
                values.append(
                    FacetValue(
                        term.code, term.localized_label, counts.get(term.pk, 0), selected, depth
                    )
                )
        result.append(Facet(facet, facet_labels[facet], values))
    result.append(_region_facet(user, filters))
    result.append(_country_facet(user, filters))
    result.append(_status_facet(user, filters))
    result.append(_language_facet(user, filters))
    return result


def _entries_per_country(user, filters: Filters) -> dict[str, int]:
    """Facilities and experts per country (each has one country; offerings serve many)."""
    totals: dict[str, int] = {}
    for kind in ("facility", "expert"):
        if applies_to(kind, filters):
            for row in filtered(kind, user, filters).values("country").annotate(n=Count("pk")):
                totals[row["country"]] = totals.get(row["country"], 0) + row["n"]
    return totals


def _region_facet(user, filters: Filters) -> Facet:
    """UN M49 regions and sub-regions with the facilities and experts in them."""
    totals = _entries_per_country(user, filters.without("region"))
    regions: dict[tuple[str, str], int] = {}
    for region, subregion, iso3 in Country.objects.filter(iso3__in=totals).values_list(
        "region", "subregion", "iso3"
    ):
        regions[(region, "")] = regions.get((region, ""), 0) + totals[iso3]
        if subregion:
            regions[(region, subregion)] = regions.get((region, subregion), 0) + totals[iso3]
    selected = filters.region.casefold()
    values = [
        FacetValue(
            subregion or region,
            region_label(subregion or region),
            count,
            (subregion or region).casefold() == selected,
            1 if subregion else 0,
        )
        for (region, subregion), count in sorted(regions.items())
    ]
    if filters.region and not any(value.selected for value in values):
        values.append(FacetValue(filters.region, filters.region, 0, True))
    return Facet("region", _("UN region"), values)


def _country_facet(user, filters: Filters) -> Facet:
    totals = _entries_per_country(user, filters.without("country"))
    names = {
        country.iso3: country.localized_name
        for country in Country.objects.filter(iso3__in=totals.keys() | set(filters.country))
    }
    values = [
        FacetValue(code, names.get(code, code), totals.get(code, 0), code in filters.country)
        for code in sorted(names, key=lambda c: (-totals.get(c, 0), names[c]))
    ]
    return Facet("country", _("Country"), values)


def _status_facet(user, filters: Filters) -> Facet:
    base = filters.without("status")
    rows = {}
    if applies_to("facility", base):
        rows = dict(filtered("facility", user, base).values_list("status").annotate(n=Count("pk")))
    return Facet(
        "status",
        _("Facility status"),
        [
            FacetValue(v, label, rows.get(v, 0), v in filters.status)
            for v, label in Facility.Status.choices
            if rows.get(v) or v in filters.status
        ],
    )


def _language_facet(user, filters: Filters) -> Facet:
    base = filters.without("language")
    totals: dict[str, int] = {}
    for kind in KINDS:
        if applies_to(kind, base):
            model = visible(kind, user).model
            through = model.languages.through
            column = f"{model._meta.model_name}_id"
            for row in (
                through.objects.filter(**{f"{column}__in": filtered(kind, user, base).values("pk")})
                .values("language_id")
                .annotate(n=Count("pk"))
            ):
                totals[row["language_id"]] = totals.get(row["language_id"], 0) + row["n"]
    names = {
        language.code: language.localized_name
        for language in Language.objects.filter(code__in=totals.keys() | set(filters.language))
    }
    values = [
        FacetValue(code, names[code], totals.get(code, 0), code in filters.language)
        for code in sorted(names, key=lambda c: -totals.get(c, 0))
    ]
    return Facet("language", _("Language"), values)
