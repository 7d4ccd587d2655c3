"""The library's lists: published resources (or case studies) filtered by their tags, language
and year, counted under each filter value, sorted by relevance, date or title. The web list and
the API read the same filters."""

from dataclasses import dataclass, field, replace

from django.db.models import Count, Exists, OuterRef, QuerySet
from django.db.models.expressions import RawSQL
from django.utils.translation import gettext_lazy

from mercuryhub.lib.errors import InvalidInputError
from mercuryhub.library.queries import with_details
from mercuryhub.review import registry
from mercuryhub.search import engine, text
from mercuryhub.search.unchanged import while_unchanged
from mercuryhub.taxonomy.models import Language, Term
from mercuryhub.taxonomy.queries import (
    entries_per_term,
    named_languages,
    reference_mark,
    term_ids_with_descendants,
)

SORTS = ("relevance", "newest", "title")
# Each tag filter: its parameter, the field it reads and the vocabulary of its codes.
TAG_FILTERS = {
    "audience": ("audiences", "audiences"),
    "waste": ("waste_categories", "waste_categories"),
    "phase": ("phases", "management_phases"),
    "support_type": ("support_types", "support_types"),
    "nap_element": ("nap_elements", "nap_elements"),
    "partnership_area": ("partnership_areas", "partnership_areas"),
}
FACET_LABELS = {
    "kind": gettext_lazy("Kind of resource"),
    "audience": gettext_lazy("Audience"),
    "language": gettext_lazy("Language"),
    "waste": gettext_lazy("Waste category"),
    "phase": gettext_lazy("Management phase"),
    "support_type": gettext_lazy("Type of support"),
    "nap_element": gettext_lazy("NAP element"),
    "partnership_area": gettext_lazy("Partnership area"),
}
FILTER_ORDER = ("kind", "audience", "language", *(n for n in TAG_FILTERS if n != "audience"))
# The kinds of resource a training page lists.
TRAINING_KINDS = ("training", "video")


@dataclass(frozen=True)
class LibraryFilters:
    q: str = ""
    kind: tuple[str, ...] = ()
    audience: tuple[str, ...] = ()
    language: tuple[str, ...] = ()
    waste: tuple[str, ...] = ()
    phase: tuple[str, ...] = ()
    support_type: tuple[str, ...] = ()
    nap_element: tuple[str, ...] = ()
    partnership_area: tuple[str, ...] = ()
    year_from: int | None = None
    year_to: int | None = None
    sort: str = "relevance"

    def without(self, name: str) -> "LibraryFilters":
        return replace(self, **{name: ()})

    def chosen(self) -> list[tuple[str, str]]:
        """The filter panel's choices as (parameter, value) pairs, in the panel's order."""
        pairs = []
        for name in FILTER_ORDER:
            pairs.extend((name, value) for value in getattr(self, name))
        return pairs

    def as_params(self) -> list[tuple[str, str]]:
        pairs = [("q", self.q)] if self.q else []
        pairs.extend(self.chosen())
        if self.year_from is not None:
            pairs.append(("year_from", str(self.year_from)))
        if self.year_to is not None:
            pairs.append(("year_to", str(self.year_to)))
        if self.sort != "relevance":
            pairs.append(("sort", self.sort))
        return pairs


def _codes(values) -> tuple[str, ...]:
    found = []
    for value in values or []:
        found.extend(part.strip() for part in str(value).split(",") if part.strip())
    return tuple(dict.fromkeys(found))


def _check_terms(name: str, vocabulary: str, codes, errors: dict) -> None:
    known = set(
        Term.objects.filter(vocabulary__name=vocabulary, code__in=codes).values_list(
            "code", flat=True
        )
    )
    unknown = [code for code in codes if code not in known]
    if unknown:
        slug = vocabulary.replace("_", "-")
        errors[name] = (
            f"Unknown {name.replace('_', ' ')} code {', '.join(map(repr, unknown))}; "
            f"see /api/v1/taxonomy/{slug}"
        )


def _year(raw: str, name: str, errors: dict) -> int | None:
    if not raw:
        return None
    try:
        value = int(raw)
    except ValueError:
        errors[name] = f"{raw!r} is not a year"
        return None
    if not 1900 <= value <= 2200:
        errors[name] = f"The year must be between 1900 and 2200, got {value}"
        return None
    return value


def parse_library_filters(params) -> LibraryFilters:
    """Filters from query parameters (a QueryDict or a dict); InvalidInputError names each
    unknown code or malformed value."""

    def many(name):
        if hasattr(params, "getlist"):
            return _codes(params.getlist(name))
        value = params.get(name)
        return _codes(value if isinstance(value, list | tuple) else [value] if value else [])

    def one(name):
        value = params.get(name)
        if isinstance(value, list | tuple):
            value = value[0] if value else ""
        return str(value if value is not None else "").strip()

    errors: dict[str, str] = {}
    values = {"kind": many("kind")}
    _check_terms("kind", "resource_kinds", values["kind"], errors)
    for name, (_field, vocabulary) in TAG_FILTERS.items():
        values[name] = many(name)
        _check_terms(name, vocabulary, values[name], errors)
    languages = tuple(code.lower() for code in many("language"))
    known = set(Language.objects.filter(code__in=languages).values_list("code", flat=True))
    if set(languages) - known:
        listed = ", ".join(sorted(set(languages) - known))
        errors["language"] = f"Unknown language code {listed}; use ISO 639-1"
    year_from = _year(one("year_from"), "year_from", errors)
    year_to = _year(one("year_to"), "year_to", errors)
    if year_from and year_to and year_from > year_to:
        errors["year_to"] = f"The last year ({year_to}) is before the first ({year_from})"
    sort = one("sort") or "relevance"
    if sort not in SORTS:
        errors["sort"] = f"Unknown sort {sort!r}; use {', '.join(SORTS)}"
    if errors:
        raise InvalidInputError(errors)
    return LibraryFilters(
        q=one("q")[:200],
        language=languages,
        year_from=year_from,
        year_to=year_to,
        sort=sort,
        **values,
    )


def _tagged(queryset: QuerySet, field_name: str, vocabulary: str, codes) -> QuerySet:
    ids = term_ids_with_descendants(vocabulary, codes)
    through = getattr(queryset.model, field_name).through
    column = f"{queryset.model._meta.model_name}_id"
    return queryset.filter(
        Exists(through.objects.filter(**{column: OuterRef("pk")}, term_id__in=ids))
    )


def filtered(kind_name: str, user, filters: LibraryFilters, *, with_text=True) -> QuerySet:
    """The published entries of the kind that pass every filter."""
    kind = registry.get(kind_name)
    queryset = kind.visible_to(user)
    if filters.kind:
        if kind_name != "resource":
            return queryset.none()
        queryset = queryset.filter(kind__code__in=filters.kind)
    for name, (field_name, vocabulary) in TAG_FILTERS.items():
        codes = getattr(filters, name)
        if codes:
            queryset = _tagged(queryset, field_name, vocabulary, codes)
    if filters.language:
        queryset = queryset.filter(
            pk__in=queryset.model.objects.filter(languages__in=filters.language).values("pk")
        )
    if filters.year_from is not None:
        queryset = queryset.filter(year__gte=filters.year_from)
    if filters.year_to is not None:
        queryset = queryset.filter(year__lte=filters.year_to)
    if with_text and filters.q:
        match = engine.match_sql(filters.q, kind_name)
        if match is not None:
            queryset = queryset.filter(pk__in=RawSQL(*match))  # noqa: S611 - parameters bound
    return queryset


@dataclass
class Page:
    entries: list
    total: int
    snippets: dict[int, str] = field(default_factory=dict)


def page(kind_name: str, user, filters: LibraryFilters, *, limit=20, offset=0) -> Page:
    """One sorted page of the filtered entries, with the words matched in each."""
    if filters.q and filters.sort == "relevance":
        base = filtered(kind_name, user, filters, with_text=False)
        sql, params = base.order_by().values("pk").query.sql_with_params()
        ranked, total = engine.ranked(
            filters.q,
            [kind_name],
            within={kind_name: (sql, list(params))},
            limit=limit,
            offset=offset,
        )
        ids = [pk for _kind, pk, _score in ranked]
    else:
        queryset = filtered(kind_name, user, filters)
        # Each order has its index (``LibraryEntry.Meta``).
        order = ["-year", "-created_at", "name"] if filters.sort == "newest" else ["name", "pk"]
        if filters.sort == "relevance":
            order = ["-created_at", "name"]
        asked = [kind_name, replace(filters, sort="relevance").as_params(), reference_mark()]
        total = while_unchanged("library-total", asked, queryset.count)
        ids = list(queryset.order_by(*order).values_list("pk", flat=True)[offset : offset + limit])
    loaded = {
        e.pk: e
        for e in with_details(kind_name, registry.get(kind_name).model.objects.filter(pk__in=ids))
    }
    entries = [loaded[pk] for pk in ids if pk in loaded]
    snippets = {}
    if filters.q:
        for entry in entries:
            found = (
                text.highlight(entry.description, filters.q)
                or text.highlight(entry.name, filters.q)
                or text.highlight(getattr(entry, "transcript", ""), filters.q)
            )
            if found:
                snippets[entry.pk] = found
    return Page(entries, total, snippets)


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
    values: list[FacetValue]


def facets(kind_name: str, user, filters: LibraryFilters) -> list[Facet]:
    """Each filter's values with the entries each would leave, the other filters applied.

    Counting reads every entry's tags, a statement or two per filter (``_counted``), and every
    visitor sees the same published entries: the counts are kept while the published entries,
    the terms and the languages are unchanged (``search.unchanged``)."""
    asked = [kind_name, filters.as_params(), reference_mark()]
    return while_unchanged("library-facets", asked, lambda: _facets(kind_name, user, filters))


def _facets(kind_name: str, user, filters: LibraryFilters) -> list[Facet]:
    model = registry.get(kind_name).model
    column = f"{model._meta.model_name}_id"
    result = []
    if kind_name == "resource":

        def kinds(entries):
            rows = model.objects.order_by()
            if entries is not None:
                rows = rows.filter(pk__in=entries)
            return dict(rows.values_list("kind_id").annotate(n=Count("pk")))

        rows = _counted(kind_name, user, filters, "kind", kinds)
        result.append(_facet("kind", "resource_kinds", rows, filters.kind))
    for name in FILTER_ORDER[1:]:
        if name == "language":
            languages = _links(model.languages.through, column)
            rows = _counted(
                kind_name,
                user,
                filters,
                name,
                lambda entries, links=languages: dict(
                    links(entries).values_list("language_id").annotate(n=Count("pk"))
                ),
            )
            names = named_languages(rows.keys() | set(filters.language))
            values = [
                FacetValue(code, names[code], rows.get(code, 0), code in filters.language)
                for code in sorted(names, key=lambda c: -rows.get(c, 0))
            ]
            result.append(Facet("language", str(FACET_LABELS["language"]), values))
            continue
        field_name, vocabulary = TAG_FILTERS[name]
        tags = _links(getattr(model, field_name).through, column)
        counts = _counted(
            kind_name,
            user,
            filters,
            name,
            lambda entries, links=tags, vocabulary=vocabulary: entries_per_term(
                vocabulary, links(entries), column
            ),
        )
        result.append(_facet(name, vocabulary, counts, getattr(filters, name)))
    return result


def _links(through, column: str):
    """The rows of a many-to-many table of the entries given (a query of their ids; every
    entry's for None)."""

    def links(entries):
        rows = through.objects.order_by()
        return rows if entries is None else rows.filter(**{f"{column}__in": entries})

    return links


def _counted(kind_name: str, user, filters: LibraryFilters, name: str, count) -> dict:
    """``count(entries)`` (values -> entries, of the entries a query of ids gives, every entry's
    for None) for the entries the filters other than ``name`` leave. Where no other filter is
    chosen, those are every published entry (``LibraryKind.visible_to``), counted as every entry
    less the unpublished: statements that read an index of the values, where restricting each
    row to published entries read every entry (a second for eight filters at 100,000)."""
    others = replace(filters.without(name), sort="relevance")
    if others.as_params():
        return count(filtered(kind_name, user, others).values("pk"))
    model = registry.get(kind_name).model
    every = count(None)
    unpublished = count(model.objects.filter(published=False).values("pk"))
    found = {value: n - unpublished.get(value, 0) for value, n in every.items()}
    return {value: n for value, n in found.items() if n}


def _facet(name, vocabulary, counts, selected) -> Facet:
    """The vocabulary's terms with an entry (``counts`` by term id) or chosen."""
    values = [
        FacetValue(
            term.code,
            term.localized_label,
            counts.get(term.pk, 0),
            term.code in selected,
            1 if term.parent_id else 0,
        )
        for term in Term.objects.filter(vocabulary__name=vocabulary).order_by("position")
        if counts.get(term.pk) or term.code in selected
    ]
    return Facet(name, str(FACET_LABELS[name]), values)


def active_filters(filters: LibraryFilters) -> list[tuple[str, str, str, str]]:
    """The filters in force as (parameter, value, filter label, value label)."""
    labels = {
        term.code: term.localized_label
        for term in Term.objects.filter(code__in=[v for _n, v in filters.chosen()])
    }
    languages = dict(Language.objects.filter(code__in=filters.language).values_list("code", "name"))
    return [
        (
            name,
            value,
            str(FACET_LABELS[name]),
            languages.get(value) if name == "language" else labels.get(value, value),
        )
        for name, value in filters.chosen()
    ]
