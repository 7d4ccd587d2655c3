"""Permission-scoped reads of needs: what each person may see, one need for a person, the list's
filters, and the open needs similar to one being written."""

from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.db.models.expressions import RawSQL
from django.http import Http404

from mercuryhub.exchange.kinds import KIND, may_see_partners_only
from mercuryhub.exchange.models import Need
from mercuryhub.lib.errors import InvalidInputError
from mercuryhub.review.queries import can_edit_entry, can_review
from mercuryhub.search import engine, related
from mercuryhub.taxonomy.models import Country, Term
from mercuryhub.taxonomy.queries import (
    countries,
    term_ids_with_descendants,
    term_with_descendants,
    terms_with_ancestors,
)

STATES = tuple(Need.State.values)
# Each tag filter: its parameter, the field it reads and the vocabulary of its codes.
TAG_FILTERS = {
    "waste": ("waste_categories", "waste_categories"),
    "phase": ("phases", "management_phases"),
    "support_type": ("support_types", "support_types"),
}


def with_details(queryset: QuerySet) -> QuerySet:
    return queryset.select_related(*KIND.select_related).prefetch_related(*KIND.prefetch_related)


def needs_visible_to(user) -> QuerySet[Need]:
    """Published needs the person may see: public ones, and partners-only ones for members of an
    organization and reviewers."""
    return KIND.visible_to(user)


def get_need_for_user(user, pk: int) -> Need:
    """A need its readers may see: published and visible to them, or theirs to edit or review;
    404 otherwise, so that a partners-only need's existence is not told to others."""
    need = with_details(Need.objects.filter(pk=pk)).first()
    if need is None:
        raise Http404(f"No need {pk}")
    if needs_visible_to(user).filter(pk=pk).exists():
        return need
    if user.is_authenticated and (can_edit_entry(user, need) or can_review(user)):
        return need
    raise Http404(f"No need {pk}")


@dataclass(frozen=True)
class NeedFilters:
    q: str = ""
    country: tuple[str, ...] = ()
    region: str = ""
    waste: tuple[str, ...] = ()
    phase: tuple[str, ...] = ()
    support_type: tuple[str, ...] = ()
    state: tuple[str, ...] = (Need.State.OPEN,)

    def as_params(self) -> list[tuple[str, str]]:
        pairs = [("q", self.q)] if self.q else []
        pairs.extend(("country", code) for code in self.country)
        if self.region:
            pairs.append(("region", self.region))
        for name in TAG_FILTERS:
            pairs.extend((name, code) for code in getattr(self, name))
        pairs.extend(("state", state) for state in self.state)
        return pairs


def _codes(values) -> tuple[str, ...]:
    found = []
    for value in values or []:
        found.extend(part.strip() for part in str(value).split(",") if part.strip())
    return tuple(dict.fromkeys(found))


def parse_need_filters(params) -> NeedFilters:
    """Filters from query parameters (a QueryDict or a dict); InvalidInputError names each
    unknown code. Without ``state`` the list shows open needs; ``state=all`` shows every one."""

    def many(name):
        if hasattr(params, "getlist"):
            return _codes(params.getlist(name))
        value = params.get(name)
        return _codes(value if isinstance(value, list | tuple) else [value] if value else [])

    errors: dict[str, str] = {}
    values = {"country": tuple(code.upper() for code in many("country"))}
    known = set(Country.objects.filter(iso3__in=values["country"]).values_list("iso3", flat=True))
    if unknown := [code for code in values["country"] if code not in known]:
        errors["country"] = f"Unknown country code {', '.join(map(repr, unknown))}; use ISO alpha-3"
    for name, (_field, vocabulary) in TAG_FILTERS.items():
        values[name] = many(name)
        known = set(
            Term.objects.filter(vocabulary__name=vocabulary, code__in=values[name]).values_list(
                "code", flat=True
            )
        )
        if unknown := [code for code in values[name] if code not in known]:
            errors[name] = (
                f"Unknown {name.replace('_', ' ')} code {', '.join(map(repr, unknown))}; "
                f"see /api/v1/taxonomy/{vocabulary.replace('_', '-')}"
            )
    region = str(params.get("region") or "").strip()
    if region and not countries(region).exists():
        errors["region"] = f"Unknown region {region!r}; use a UN M49 region or sub-region"
    states = many("state") or (Need.State.OPEN,)
    if "all" in states:
        states = ()
    elif unknown := [state for state in states if state not in STATES]:
        errors["state"] = f"Unknown state {', '.join(map(repr, unknown))}; use {', '.join(STATES)}"
    if errors:
        raise InvalidInputError(errors)
    q = params.get("q") or ""
    return NeedFilters(q=str(q).strip()[:200], region=region, state=tuple(states), **values)


def _tagged(queryset: QuerySet, field_name: str, vocabulary: str, codes) -> QuerySet:
    """Needs tagged with one of the terms or a narrower one: "containing" finds lamps."""
    ids = term_ids_with_descendants(vocabulary, codes)
    through = getattr(Need, field_name).through
    return queryset.filter(Exists(through.objects.filter(need_id=OuterRef("pk"), term_id__in=ids)))


def filtered_needs(user, filters: NeedFilters) -> QuerySet[Need]:
    """The needs the person may see that pass every filter, newest first. The words of ``q``
    are looked for in the search index, which holds public needs; partners-only needs are
    found by their title and description."""
    queryset = needs_visible_to(user)
    if filters.state:
        queryset = queryset.filter(state__in=filters.state)
    if filters.country:
        queryset = queryset.filter(country__in=filters.country)
    if filters.region:
        queryset = queryset.filter(country__in=countries(filters.region))
    for name, (field_name, vocabulary) in TAG_FILTERS.items():
        if codes := getattr(filters, name):
            queryset = _tagged(queryset, field_name, vocabulary, codes)
    if filters.q and (match := engine.match_sql(filters.q, KIND.name)) is not None:
        every_word = Q(visibility=Need.Visibility.PARTNERS)
        for word in filters.q.split()[:12]:
            every_word &= Q(name__icontains=word) | Q(description__icontains=word)
        queryset = queryset.filter(Q(pk__in=RawSQL(*match)) | every_word)  # noqa: S611
    return with_details(queryset.order_by("-created_at", "-pk"))


# A word of a need being typed that more than this share of the index holds says too little to
# find the needs like it.
SIMILAR_SHARE = 0.2


def similar_open_needs(user, text: str, *, exclude: int | None = None, limit: int = 5) -> list:
    """Open needs the person may see that share words with a need being written, best first."""
    scores, _words = related.related(text, [KIND.name], limit=limit * 4, max_share=SIMILAR_SHARE)
    ids = [pk for _kind, pk in scores]  # best first
    if exclude is not None:
        ids = [pk for pk in ids if pk != exclude]
    if not ids:
        return []
    found = with_details(
        needs_visible_to(user).filter(
            pk__in=ids, state__in=[Need.State.OPEN, Need.State.IN_CONTACT]
        )
    )
    by_id = {need.pk: need for need in found}
    return [by_id[pk] for pk in ids if pk in by_id][:limit]


# Offers ----------------------------------------------------------------------------------


def may_offer(user, need: Need) -> bool:
    """Partners (signed-in members of an organization) answer the published, open needs of
    others."""
    return (
        need.published
        and need.state in {Need.State.OPEN, Need.State.IN_CONTACT}
        and may_see_partners_only(user)
        and user.memberships.exists()
        and need.owner_id != user.pk
    )


def offers_for_user(user, need: Need):
    """The need's offers its owner and editors see; another partner sees their own only."""
    offers = need.offers.select_related("offered_by", "organization")
    if user.is_authenticated and can_edit_entry(user, need):
        return offers
    if user.is_authenticated:
        return offers.filter(offered_by=user)
    return offers.none()


# The response list --------------------------------------------------------------------------


def response_list(user) -> QuerySet[Need]:
    """The open needs the person may see, for the response list: grouped by type of support
    (each need under each of its types; those without one last), newest first within a type."""
    return with_details(
        needs_visible_to(user).filter(state__in=[Need.State.OPEN, Need.State.IN_CONTACT])
    ).prefetch_related("notes__author")


# Alerts -------------------------------------------------------------------------------------


def needs_for_alert(alert, *, since, until) -> list[Need]:
    """The open needs the subscriber may see, published (validated) in the window and not
    theirs, that fit the alert: a waste category chosen or one broader or narrower, a phase
    chosen, a country in a region chosen (an empty choice fits any)."""
    user = alert.user
    queryset = (
        needs_visible_to(user)
        .filter(state__in=[Need.State.OPEN, Need.State.IN_CONTACT])
        .filter(validated_at__gt=since, validated_at__lte=until)
        .exclude(owner=user)
    )
    wastes = [term.pk for term in alert.waste_categories.all()]
    if wastes:
        related = terms_with_ancestors(wastes)
        for term in alert.waste_categories.all():
            related.update(t.pk for t in term_with_descendants(term))
        queryset = queryset.filter(waste_categories__in=related)
    phases = [term.pk for term in alert.phases.all()]
    if phases:
        queryset = queryset.filter(phases__in=phases)
    if alert.regions:
        queryset = queryset.filter(
            Q(country__region__in=alert.regions)
            | Q(country__subregion__in=alert.regions)
            | Q(country__intermediate_region__in=alert.regions)
        )
    return list(with_details(queryset.distinct().order_by("validated_at", "pk")))


def alert_suggestion(user) -> dict:
    """For a first alert: the waste categories and phases of the published entries of the
    person's organizations, and the regions of those organizations."""
    from mercuryhub.catalogue.models import Facility, Offering

    organizations = [m.organization for m in user.memberships.select_related("organization")]
    wastes, phases = set(), set()
    facilities = Facility.objects.filter(published=True, operator__in=organizations)
    offerings = Offering.objects.filter(published=True, provider__in=organizations)
    for code in facilities.values_list("accepted_wastes__code", flat=True):
        wastes.add(code)
    for code in facilities.values_list("phases__code", flat=True):
        phases.add(code)
    for code in offerings.values_list("waste_categories__code", flat=True):
        wastes.add(code)
    for code in offerings.values_list("phases__code", flat=True):
        phases.add(code)
    return {
        "waste_categories": sorted(c for c in wastes if c),
        "phases": sorted(c for c in phases if c),
        "regions": sorted({o.country.subregion for o in organizations if o.country.subregion}),
    }
