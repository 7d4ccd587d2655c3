"""The counts beside each filter value on the search page."""

from dataclasses import dataclass, field, replace

from django.db.models import Count
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from mercuryhub.catalogue.models import Facility
from mercuryhub.catalogue.queries.filters import (
    VOCABULARIES,
    Filters,
    applies_to,
    filtered,
    scope,
)
from mercuryhub.catalogue.queries.visibility import (
    KINDS,
    has_field,
    search_kind,
    term_field,
    visible,
)
from mercuryhub.search import engine
from mercuryhub.taxonomy.models import Country, Language, Term
from mercuryhub.taxonomy.queries import entries_per_term
from mercuryhub.taxonomy.regions import region_label

# Facets -------------------------------------------------------------------------------------

FACET_LABELS = {
    "type": gettext_lazy("Entry type"),
    "waste": gettext_lazy("Waste category"),
    "phase": gettext_lazy("Management phase"),
    "technology": gettext_lazy("Treatment technology"),
    "region": gettext_lazy("UN region"),
    "country": gettext_lazy("Country"),
    "status": gettext_lazy("Facility status"),
    "language": gettext_lazy("Language"),
    "validated": gettext_lazy("Review"),
    "confirmed": gettext_lazy("Review"),
}
KIND_LABELS = {
    "facility": gettext_lazy("Facilities"),
    "offering": gettext_lazy("Technologies and services"),
    "expert": gettext_lazy("Experts"),
}


def kind_label(kind: str) -> str:
    """A type's name in the results' type filter: the catalogue's own names, else the plural
    its kind declares ("Resources", "Organizations")."""
    return str(KIND_LABELS.get(kind) or search_kind(kind).label_plural)


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
    """Entries per term, each counted once under a broader term whatever narrower ones it has,
    summed over the kinds in scope."""
    counts: dict[int, int] = {}
    base = filters.without(facet)
    for kind in scope(filters):
        field_name = term_field(facet, kind)
        if not field_name or not applies_to(kind, base):
            continue
        model = visible(kind, user).model
        column = f"{model._meta.model_name}_id"
        links = getattr(model, field_name).through.objects.filter(
            **{f"{column}__in": filtered(kind, user, base).values("pk")}
        )
        for pk, n in entries_per_term(VOCABULARIES[facet], links, column).items():
            counts[pk] = counts.get(pk, 0) + n
    return counts


def _kind_counts(user, filters: Filters) -> dict[str, int]:
    base = filters.without("type")
    return {kind: filtered(kind, user, base).count() for kind in scope(filters)}


# Up to this many matches, facets look the text query's matches up once and count from their
# ids, instead of running the full-text match again in each of their twenty-odd statements.
FACET_MATCHES_LOOKED_UP = 2000


def _text_looked_up(filters: Filters) -> Filters:
    if not filters.q:
        return filters
    found = engine.matches(filters.q, list(scope(filters)), cap=FACET_MATCHES_LOOKED_UP)
    if found is None:
        return filters
    return replace(filters, matched=tuple((kind, tuple(ids)) for kind, ids in found.items()))


def facets(user, filters: Filters) -> list[Facet]:
    filters = _text_looked_up(filters)
    result = []
    kind_counts = _kind_counts(user, filters)
    result.append(
        Facet(
            "type",
            str(FACET_LABELS["type"]),
            [
                FacetValue(k, kind_label(k), kind_counts[k], k in filters.kinds)
                for k in scope(filters)
                if k in KINDS or kind_counts[k] or k in filters.kinds
            ],
        )
    )
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
        result.append(Facet(facet, str(FACET_LABELS[facet]), values))
    result.append(_region_facet(user, filters))
    result.append(_country_facet(user, filters))
    result.append(_status_facet(user, filters))
    result.append(_language_facet(user, filters))
    return result


def _entries_per_country(user, filters: Filters) -> dict[str, int]:
    """Entries with one country per country: facilities, experts, organizations, case studies
    (offerings serve many countries, resources none)."""
    totals: dict[str, int] = {}
    for kind in scope(filters):
        if kind == "offering" or not has_field(kind, "country"):
            continue
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
    return Facet("region", str(FACET_LABELS["region"]), values)


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
    return Facet("country", str(FACET_LABELS["country"]), values)


def _status_facet(user, filters: Filters) -> Facet:
    base = filters.without("status")
    rows = {}
    if applies_to("facility", base):
        rows = dict(filtered("facility", user, base).values_list("status").annotate(n=Count("pk")))
    return Facet(
        "status",
        str(FACET_LABELS["status"]),
        [
            FacetValue(v, label, rows.get(v, 0), v in filters.status)
            for v, label in Facility.Status.choices
            if rows.get(v) or v in filters.status
        ],
    )


def _language_facet(user, filters: Filters) -> Facet:
    base = filters.without("language")
    totals: dict[str, int] = {}
    for kind in scope(filters):
        if applies_to(kind, base) and has_field(kind, "languages"):
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
    return Facet("language", str(FACET_LABELS["language"]), values)


# Active filters -----------------------------------------------------------------------------


@dataclass
class ActiveFilter:
    """One choice in force, named for a person: "Country" and "Kenya"."""

    name: str
    value: str
    facet_label: str
    label: str


def active_filters(filters: Filters) -> list[ActiveFilter]:
    """The filters in force, in the filter panel's order, each with its label in the interface
    language (the text query and the sort order are not filters)."""
    terms = {
        (term.vocabulary.name, term.code): term.localized_label
        for term in Term.objects.filter(
            code__in=[*filters.waste, *filters.phase, *filters.technology]
        ).select_related("vocabulary")
    }
    countries = {c.iso3: c.localized_name for c in Country.objects.filter(iso3__in=filters.country)}
    languages = dict(Language.objects.filter(code__in=filters.language).values_list("code", "name"))
    statuses = dict(Facility.Status.choices)
    review = {
        "validated": _("Validated by the secretariat only"),
        "confirmed": _("Confirmed in the last 12 months"),
    }

    def label(name: str, value: str) -> str:
        if name == "type":
            return kind_label(value)
        if name in VOCABULARIES:
            return terms.get((VOCABULARIES[name], value), value)
        if name == "country":
            return countries.get(value, value)
        if name == "language":
            return languages.get(value, value)
        if name == "status":
            return str(statuses.get(value, value))
        return review.get(name, value)

    pairs = filters.chosen() + [
        (name, "1") for name in ("validated", "confirmed") if getattr(filters, name)
    ]
    return [
        ActiveFilter(name, value, str(FACET_LABELS[name]), label(name, value))
        for name, value in pairs
    ]
