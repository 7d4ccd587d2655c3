"""The wheel of knowledge: the Annex C elements of an ASGM National Action Plan, and the phases
of waste management, each drawn as a ring of segments computed here (no drawing library), each
segment a link choosing its term, with the number of entries tagged with it."""

import math
from dataclasses import dataclass

from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from mercuryhub.library import tagging
from mercuryhub.taxonomy.models import Term
from mercuryhub.taxonomy.queries import terms_of


@dataclass(frozen=True)
class Wheel:
    key: str  # in the address: ?wheel=nap
    vocabulary: str
    title: object
    intro: object


WHEELS = (
    Wheel(
        "nap",
        "nap_elements",
        _("Elements of a National Action Plan (Minamata Convention, Annex C)"),
        _(
            "What Annex C asks a national action plan on artisanal and small-scale gold mining to "
            "contain, element by element."
        ),
    ),
    Wheel(
        "phases",
        "management_phases",
        _("Phases of mercury waste management"),
        _("From preventing waste to its final disposal."),
    ),
)

# The drawing, in the SVG's own units: the ring between two radii around the origin.
OUTER, INNER, LABEL_AT = 150.0, 62.0, 108.0
VIEW_BOX = "-160 -160 320 320"


def wheel_named(key: str | None) -> Wheel | None:
    return next((wheel for wheel in WHEELS if wheel.key == key), None)


def _point(radius: float, angle: float) -> tuple[float, float]:
    """A point at ``angle`` radians clockwise from the top."""
    return radius * math.sin(angle), -radius * math.cos(angle)


def _number(value: float) -> str:
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def segment_path(start: float, end: float, outer: float = OUTER, inner: float = INNER) -> str:
    """The SVG path of the ring's part between two angles (radians clockwise from the top, start
    before end): outer arc clockwise, inner arc back."""
    large = 1 if end - start > math.pi else 0
    x1, y1 = _point(outer, start)
    x2, y2 = _point(outer, end)
    x3, y3 = _point(inner, end)
    x4, y4 = _point(inner, start)
    n = _number
    return (
        f"M{n(x1)} {n(y1)}A{n(outer)} {n(outer)} 0 {large} 1 {n(x2)} {n(y2)}"
        f"L{n(x3)} {n(y3)}A{n(inner)} {n(inner)} 0 {large} 0 {n(x4)} {n(y4)}Z"
    )


@dataclass
class Segment:
    term: Term
    key: str  # what the segment shows: the element's letter, or the phase's number
    counts: dict[str, int]
    path: str
    label_x: str
    label_y: str
    url: str
    chosen: bool

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def accessible_name(self) -> str:
        count = ngettext("%(count)s entry", "%(count)s entries", self.total) % {"count": self.total}
        return f"{self.key}. {self.term.localized_label}: {count}"


def _key(wheel: Wheel, term: Term, index: int) -> str:
    """The short mark of a segment: Annex C's letter for its paragraph 1 elements, else the
    position, counted from 1."""
    if wheel.key == "nap" and len(term.code) == 1:
        return term.code
    if wheel.key == "nap":
        return "+"
    return str(index + 1)


def segments(wheel: Wheel, user, chosen_code: str | None, *, right_to_left: bool) -> list:
    """The wheel's segments in the vocabulary's order, clockwise from the top (anticlockwise for
    a language written from right to left), the chosen one marked."""
    terms = [term for term in terms_of(wheel.vocabulary) if term.parent_id is None]
    counts = tagging.counts(wheel.vocabulary, user)
    found = []
    share = 2 * math.pi / max(len(terms), 1)
    for index, term in enumerate(terms):
        start, end = index * share, (index + 1) * share
        if right_to_left:
            start, end = -end, -start
        x, y = _point(LABEL_AT, (start + end) / 2)
        found.append(
            Segment(
                term=term,
                key=_key(wheel, term, index),
                counts=counts.get(term.pk, {}),
                path=segment_path(start, end),
                label_x=_number(x),
                label_y=_number(y),
                url="?" + urlencode({"wheel": wheel.key, "segment": term.code}),
                chosen=term.code == chosen_code,
            )
        )
    return found
