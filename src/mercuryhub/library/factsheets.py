"""Factsheets per waste category, assembled from the platform's data: what the waste is, where it
arises, the phases and treatment technologies of the facilities and offerings that take it, where
those facilities are (a world map drawn here from the vendored outlines) and the offerings,
experts, resources and case studies tagged with it."""

import functools
from dataclasses import dataclass, field

from django.db.models import Count
from django.http import Http404
from django.urls import reverse
from django.utils.http import urlencode

from mercuryhub.catalogue.queries.visibility import KINDS as SEARCHED_KINDS
from mercuryhub.lib.world import coarse_outlines
from mercuryhub.library import tagging
from mercuryhub.review import registry
from mercuryhub.taxonomy.models import Term
from mercuryhub.taxonomy.queries import terms_of

WASTES = "waste_categories"
# The kinds that treat wastes are those tagged with treatment technologies: their phases and
# technologies are the waste's treatment options.
TECHNOLOGIES = "treatment_technologies"
PHASES = "management_phases"
# Entries of each kind listed on a factsheet; the count says how many there are in all, and the
# catalogue's search lists all of those it covers. Kinds it does not cover list more.
LISTED_PER_KIND = 12
LISTED_UNSEARCHED = 50


@dataclass
class Place:
    x: str
    y: str
    name: str
    url: str


@dataclass
class Factsheet:
    term: Term
    parent: Term | None
    narrower: list[Term]
    synonyms: list[str]
    source: str
    phases: list[tuple[Term, int]]
    technologies: list[tuple[Term, int]]
    facility_total: int
    places: list[Place]
    groups: list = field(default_factory=list)

    def group(self, kind_name: str):
        return next((group for group in self.groups if group.name == kind_name), None)


def categories() -> list[tuple[Term, list[Term]]]:
    """The broader waste categories in the vocabulary's order, each with its narrower ones."""
    terms = list(terms_of(WASTES).order_by("position", "code"))
    return [
        (top, [term for term in terms if term.parent_id == top.pk])
        for top in terms
        if top.parent_id is None
    ]


def category(code: str) -> Term:
    term = terms_of(WASTES).filter(code=code).first()
    if term is None:
        raise Http404(f"No waste category {code!r}")
    return term


def _terms_used(term: Term, user, vocabulary: str) -> list[tuple[Term, int]]:
    """The terms of ``vocabulary`` that the treating kinds' entries taking the waste (or a
    narrower one) are tagged with, each with the number of those entries, most used first."""
    ids = tagging.narrower_ids(term)
    totals: dict[int, int] = {}
    for kind, _technologies in tagging.tagging_kinds(TECHNOLOGIES):
        waste_field = tagging.tag_field(kind, WASTES)
        field_name = tagging.tag_field(kind, vocabulary)
        if not waste_field or not field_name:
            continue
        taking = tagging.tagged(kind, waste_field, user, ids).values("pk")
        rows = (
            kind.model.objects.filter(pk__in=taking, **{f"{field_name}__isnull": False})
            .values(field_name)
            .annotate(entries=Count("pk", distinct=True))
        )
        for row in rows:
            totals[row[field_name]] = totals.get(row[field_name], 0) + row["entries"]
    terms = {found.pk: found for found in Term.objects.filter(pk__in=totals)}
    used = [(terms[pk], count) for pk, count in totals.items()]
    return sorted(used, key=lambda item: (-item[1], item[0].position, item[0].code))


def _places(term: Term, user) -> tuple[int, list[Place]]:
    """How many facilities take the waste, and where those with coordinates are, as points on
    the map's plane (longitude, minus latitude)."""
    kind = registry.get("facility")
    waste_field = tagging.tag_field(kind, WASTES)
    facilities = tagging.tagged(kind, waste_field, user, tagging.narrower_ids(term))
    total = facilities.count()
    located = facilities.filter(latitude__isnull=False, longitude__isnull=False).order_by("name")
    places = [
        Place(
            x=f"{facility.longitude:.2f}",
            y=f"{-facility.latitude:.2f}",
            name=str(facility.local_name),
            url=facility.get_absolute_url(),
        )
        for facility in located[:500]
    ]
    return total, places


def factsheet(code: str, user) -> Factsheet:
    term = category(code)
    total, places = _places(term, user)
    return Factsheet(
        term=term,
        parent=term.parent,
        narrower=[found for found in terms_of(WASTES).filter(parent=term)],
        synonyms=list(term.localized_synonyms or term.synonyms),
        source=(term.attributes or {}).get("source", ""),
        phases=_terms_used(term, user, PHASES),
        technologies=_terms_used(term, user, TECHNOLOGIES),
        facility_total=total,
        places=places,
        groups=_groups(term, user),
    )


def _groups(term: Term, user) -> list:
    """The entries tagged with the waste, by kind; a kind the catalogue's search covers gets the
    address of that search (``see_all``)."""
    found = tagging.groups(WASTES, term, user, limit=LISTED_PER_KIND)
    for group in found:
        group.see_all = ""
        if group.name in SEARCHED_KINDS:
            query = urlencode({"waste": term.code, "type": group.name})
            group.see_all = f"{reverse('catalogue-search')}?{query}"
        elif group.total > len(group.entries):
            (more,) = tagging.groups(WASTES, term, user, limit=LISTED_UNSEARCHED, only=group.name)
            group.entries = more.entries
    return found


@functools.cache
def world_path() -> str:
    """The countries' outlines as one SVG path, in whole degrees of longitude and of minus
    latitude (an equirectangular map, viewBox -180 -90 360 180): small enough to send inline."""
    parts = []
    for polygon in coarse_outlines()["polygons"]:
        for ring in polygon:
            x = y = 0
            points: list[tuple[int, int]] = []
            for index in range(0, len(ring), 2):
                x, y = x + ring[index], y + ring[index + 1]
                point = (round(x / 100), round(-y / 100))
                if not points or points[-1] != point:
                    points.append(point)
            if len(points) < 4:
                continue
            steps = " ".join(
                f"{b[0] - a[0]} {b[1] - a[1]}" for a, b in zip(points, points[1:], strict=False)
            )
            parts.append(f"M{points[0][0]} {points[0][1]}l{steps}z")
    return "".join(parts)
