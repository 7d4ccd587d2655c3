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
from mercuryhub.search.words import query_words
from mercuryhub.taxonomy.models import Language, Term
from mercuryhub.taxonomy.queries import (
    all_countries,
    country_names,
    entries_per_term,
    kept_terms,
    named_languages,
    terms_with_ancestors,
)
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


# Counting ------------------------------------------------------------------------------------


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


class _DatabaseCounts:
    """Counted by the database: a statement or two per facet, each over the filtered records."""

    def __init__(self, user, filters: Filters):
        self.user, self.filters = user, _text_looked_up(filters)

    def kinds(self) -> dict[str, int]:
        base = self.filters.without("type")
        return {kind: filtered(kind, self.user, base).count() for kind in scope(self.filters)}

    def terms(self, facet: str) -> dict[int, int]:
        return _term_counts(facet, self.user, self.filters)

    def countries(self, facet: str) -> dict[str, int]:
        """Entries with one country per country: facilities, experts, organizations, case
        studies (offerings serve many countries, resources none)."""
        filters = self.filters.without(facet)
        totals: dict[str, int] = {}
        for kind in scope(filters):
            if kind == "offering" or not has_field(kind, "country"):
                continue
            if applies_to(kind, filters):
                rows = filtered(kind, self.user, filters).values("country").annotate(n=Count("pk"))
                for row in rows:
                    totals[row["country"]] = totals.get(row["country"], 0) + row["n"]
        return totals

    def statuses(self) -> dict[str, int]:
        base = self.filters.without("status")
        if not applies_to("facility", base):
            return {}
        facilities = filtered("facility", self.user, base)
        return dict(facilities.values_list("status").annotate(n=Count("pk")))

    def languages(self) -> dict[str, int]:
        base = self.filters.without("language")
        totals: dict[str, int] = {}
        for kind in scope(self.filters):
            if applies_to(kind, base) and has_field(kind, "languages"):
                model = visible(kind, self.user).model
                column = f"{model._meta.model_name}_id"
                for row in (
                    model.languages.through.objects.filter(
                        **{f"{column}__in": filtered(kind, self.user, base).values("pk")}
                    )
                    .values("language_id")
                    .annotate(n=Count("pk"))
                ):
                    totals[row["language_id"]] = totals.get(row["language_id"], 0) + row["n"]
        return totals


def facet_values(kind: str, object_ids: list[int], using: str = "default") -> dict[int, list]:
    """What the filter panel counts each entry under, as the ranking index keeps it beside the
    entry's words (search/ranking_index.py): each term of a facet with its broader terms
    ("waste:12": choosing the broader term finds the entry, and counts it once), its country
    ("country:KEN"; an offering's countries served, "served:KEN", filter but are not counted),
    its languages ("language:fr") and a facility's status ("status:operating")."""
    model = search_kind(kind).model
    column = f"{model._meta.model_name}_id"
    values: dict[int, list[str]] = {pk: [] for pk in object_ids}

    def add(pairs, prefix):
        for pk, value in pairs:
            if value is not None:
                values[pk].append(f"{prefix}:{value}")

    parents = None
    for facet in VOCABULARIES:
        field_name = term_field(facet, kind)
        if not field_name:
            continue
        if parents is None:
            parents = dict(Term.objects.using(using).values_list("pk", "parent_id"))
        tagged: dict[int, list[int]] = {}
        links = getattr(model, field_name).through.objects.using(using)
        for pk, term in links.filter(**{f"{column}__in": object_ids}).values_list(
            column, "term_id"
        ):
            tagged.setdefault(pk, []).append(term)
        add(
            (
                (pk, term)
                for pk, terms in tagged.items()
                for term in sorted(terms_with_ancestors(terms, parents))
            ),
            facet,
        )
    entries = model.objects.using(using).filter(pk__in=object_ids)
    if kind == "offering":
        served = model.countries_served.through.objects.using(using)
        add(served.filter(offering_id__in=object_ids).values_list(column, "country_id"), "served")
    elif has_field(kind, "country"):
        add(entries.values_list("pk", "country_id"), "country")
    if has_field(kind, "languages"):
        languages = model.languages.through.objects.using(using)
        add(
            languages.filter(**{f"{column}__in": object_ids}).values_list(column, "language_id"),
            "language",
        )
    if kind == "facility":
        add(entries.values_list("pk", "status"), "status")
    return values


class _IndexCounts:
    """Counted by the ranking index from the facet values of the matches (facet_values): one
    pass for the filters in force, and one more per facet with a choice (a facet counts with
    every filter but its own, so that choosing a second value shows what it would add)."""

    def __init__(self, filters: Filters):
        self.filters, self.counted = filters, {}

    @classmethod
    def of(cls, filters: Filters) -> "_IndexCounts | None":
        """Every count the panel needs, or None where the database counts: a search without
        words (its results are the records a person may see, which the index, holding the
        public ones, may not all hold), a filter the index cannot apply (a region, the review
        filters, a sort by distance), or an index that cannot answer now."""
        if not query_words(filters.q):
            return None
        if filters.region or filters.validated or filters.confirmed or filters.sort == "distance":
            return None
        counts = cls(filters)
        for facet in (None, "type", *VOCABULARIES, "country", "language", "status"):
            if counts._counted(facet) is None:  # changes it cannot take now (another worker)
                return None
        return counts

    def _conditions(self, base: Filters) -> list[list[str]]:
        conditions = []
        for facet, vocabulary in VOCABULARIES.items():
            codes = getattr(base, facet)
            if codes:
                chosen = Term.objects.filter(vocabulary__name=vocabulary, code__in=codes)
                conditions.append([f"{facet}:{pk}" for pk in chosen.values_list("pk", flat=True)])
        if base.country:
            conditions.append(
                [f"{prefix}:{code}" for code in base.country for prefix in ("country", "served")]
            )
        for name in ("language", "status"):
            if getattr(base, name):
                conditions.append([f"{name}:{value}" for value in getattr(base, name)])
        return conditions

    def _key(self, facet: str | None) -> str | None:
        """Which count serves ``facet``: its own where it is chosen, else the one of all."""
        chosen = facet and getattr(self.filters, "kinds" if facet == "type" else facet)
        return facet if chosen else None

    def _counted(self, facet: str | None):
        """(entries per kind, entries per facet value) with every filter but ``facet``'s."""
        key = self._key(facet)
        if key not in self.counted:
            base = self.filters.without(key) if key else self.filters
            kinds = [k for k in scope(self.filters) if not base.kinds or k in base.kinds]
            self.counted[key] = engine.facet_counts(base.q, kinds, self._conditions(base))
        return self.counted[key]

    def _values(self, facet: str, prefix: str) -> dict[str, int]:
        key = ("values", self._key(facet))
        if key not in self.counted:  # each count's values, by prefix, split once
            grouped: dict[str, dict[str, int]] = {}
            for value, n in self._counted(facet)[1].items():
                name, _colon, rest = value.partition(":")
                grouped.setdefault(name, {})[rest] = n
            self.counted[key] = grouped
        return self.counted[key].get(prefix, {})

    def kinds(self) -> dict[str, int]:
        counts = self._counted("type")[0]
        return {kind: counts.get(kind, 0) for kind in scope(self.filters)}

    def terms(self, facet: str) -> dict[int, int]:
        return {int(pk): n for pk, n in self._values(facet, facet).items()}

    def countries(self, facet: str) -> dict[str, int]:
        return self._values(facet, "country")

    def statuses(self) -> dict[str, int]:
        return self._values("status", "status")

    def languages(self) -> dict[str, int]:
        return self._values("language", "language")


def counts_for(user, filters: Filters):
    """How the filter panel's counts are taken: from the ranking index where it can say, else
    by the database (they agree: tests/catalogue/test_facets.py)."""
    return _IndexCounts.of(filters) or _DatabaseCounts(user, filters)


def facets(user, filters: Filters) -> list[Facet]:
    counts = counts_for(user, filters)
    result = []
    kind_counts = counts.kinds()
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
        term_counts = counts.terms(facet)
        values = []
        for term in kept_terms().of(vocabulary):
            depth = 1 if term.parent_id else 0
            selected = term.code in getattr(filters, facet)
            if term_counts.get(term.pk) or selected:
                values.append(
                    FacetValue(
                        term.code,
                        term.localized_label,
                        term_counts.get(term.pk, 0),
                        selected,
                        depth,
                    )
                )
        result.append(Facet(facet, str(FACET_LABELS[facet]), values))
    result.append(_region_facet(counts, filters))
    result.append(_country_facet(counts, filters))
    result.append(_status_facet(counts, filters))
    result.append(_language_facet(counts, filters))
    return result


def _region_facet(counts, filters: Filters) -> Facet:
    """UN M49 regions and sub-regions with the facilities and experts in them."""
    totals = counts.countries("region")
    regions: dict[tuple[str, str], int] = {}
    countries = all_countries()
    for iso3 in totals:
        if (country := countries.get(iso3)) is None:
            continue
        region, subregion = country.region, country.subregion
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


def _country_facet(counts, filters: Filters) -> Facet:
    totals = counts.countries("country")
    known = country_names()
    names = {code: known[code] for code in totals.keys() | set(filters.country) if code in known}
    values = [
        FacetValue(code, names.get(code, code), totals.get(code, 0), code in filters.country)
        for code in sorted(names, key=lambda c: (-totals.get(c, 0), names[c]))
    ]
    return Facet("country", str(FACET_LABELS["country"]), values)


def _status_facet(counts, filters: Filters) -> Facet:
    rows = counts.statuses()
    return Facet(
        "status",
        str(FACET_LABELS["status"]),
        [
            FacetValue(v, label, rows.get(v, 0), v in filters.status)
            for v, label in Facility.Status.choices
            if rows.get(v) or v in filters.status
        ],
    )


def _language_facet(counts, filters: Filters) -> Facet:
    totals = counts.languages()
    names = named_languages(totals.keys() | set(filters.language))
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
    chosen = {*filters.waste, *filters.phase, *filters.technology}
    terms = {
        (term.vocabulary.name, term.code): term.localized_label
        for term in kept_terms().by_id.values()
        if term.code in chosen
    }
    kept_countries = all_countries()
    countries = {
        code: kept_countries[code].localized_name
        for code in filters.country
        if code in kept_countries
    }
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
