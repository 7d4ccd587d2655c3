"""The completeness check of a plan against Annex C of the Minamata Convention, as a pure
function of the plan's content (the serialization's shape), so that the builder, the API and the
export give the same answer for the same version.

Each check is one thing a plan should have; the score is the share of checks met. What is missing
is listed under the Annex C element it belongs to:

- each required element (a)–(k) has a section with text;
- (a) has at least one objective; each objective has a baseline and a target year;
- (b) each of the four worst practices of paragraph 1(b) is addressed by at least one action;
- (d) the baseline cites the national overview's figures, with their date and source;
- (k) the schedule: at least one action, and every action has a responsible body and a period.
"""

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from mercuryhub.nap import fields
from mercuryhub.taxonomy.queries import terms_of


@dataclass
class ElementCheck:
    code: str
    label: str
    required: bool
    checks: int = 0
    missing: list[str] = field(default_factory=list)
    # Where each missing item is fixed, in the order of ``missing``: "section", "objectives",
    # "actions" or "baseline" (the builder links each item there).
    places: list[str] = field(default_factory=list)

    @property
    def met(self) -> int:
        return self.checks - len(self.missing)

    @property
    def complete(self) -> bool:
        return not self.missing


@dataclass
class Completeness:
    elements: list[ElementCheck]

    @property
    def checks(self) -> int:
        return sum(element.checks for element in self.elements)

    @property
    def met(self) -> int:
        return sum(element.met for element in self.elements)

    @property
    def score(self) -> int:
        """The share of checks met, in percent (rounded down: 100 only when nothing is
        missing)."""
        return 100 * self.met // self.checks if self.checks else 0

    @property
    def missing(self) -> list[tuple[str, str]]:
        return [(element.code, item) for element in self.elements for item in element.missing]

    def as_dict(self) -> dict:
        return {
            "score": self.score,
            "checks": self.checks,
            "met": self.met,
            "elements": [
                {
                    "code": element.code,
                    "label": element.label,
                    "required": element.required,
                    "checks": element.checks,
                    "complete": element.complete,
                    "missing": element.missing,
                }
                for element in self.elements
            ],
        }


def _check(element: ElementCheck, met: bool, message: str, place: str = "section") -> None:
    element.checks += 1
    if not met:
        element.missing.append(message)
        element.places.append(place)


def vocabularies() -> tuple[list, list]:
    """The Annex C elements and the worst practices, read once to check many plans."""
    return list(terms_of("nap_elements")), list(terms_of("worst_practices"))


def check_plan(data: dict, terms: tuple[list, list] | None = None) -> Completeness:
    """``terms``: ``vocabularies()`` when checking many plans, else read here."""
    sections = data.get("sections") or {}
    objectives = data.get("objectives") or []
    actions = data.get("actions") or []
    element_terms, practice_terms = terms or vocabularies()
    elements = {
        term.code: ElementCheck(
            term.code, term.localized_label, term.attributes.get("required", True)
        )
        for term in element_terms
    }
    for code, element in elements.items():
        if element.required:
            _check(element, bool(sections.get(code, "").strip()), _("The section has no text yet"))

    objectives_element = elements["a"]
    _check(objectives_element, bool(objectives), _("No objective or target yet"), "objectives")
    for number, objective in enumerate(objectives, start=1):
        target = elements.get(objective.get("element")) or objectives_element
        name = objective.get("indicator") or str(number)
        _check(
            target,
            bool(str(objective.get("baseline") or "").strip()),
            _("Target %(number)s (%(name)s) has no baseline") % {"number": number, "name": name},
            "objectives",
        )
        _check(
            target,
            bool(objective.get("year")),
            _("Target %(number)s (%(name)s) has no target year") % {"number": number, "name": name},
            "objectives",
        )

    worst = elements["b"]
    addressed = {code for action in actions for code in action.get("worst_practices") or []}
    for term in practice_terms:
        _check(
            worst,
            term.code in addressed,
            _("No action addresses the worst practice “%(practice)s”")
            % {"practice": term.localized_label},
            "actions",
        )

    baseline = data.get("baseline") or {}
    _check(
        elements[fields.BASELINE_ELEMENT],
        bool(baseline.get("as_of") and baseline.get("source")),
        _("The baseline does not cite the national overview's figures yet (fill them in)"),
        "baseline",
    )

    schedule = elements[fields.SCHEDULE_ELEMENT]
    _check(
        schedule,
        bool(actions),
        _("No action yet: the schedule is drawn from the actions"),
        "actions",
    )
    for number, action in enumerate(actions, start=1):
        target = elements.get(action.get("element")) or schedule
        name = (action.get("activity") or "")[:80]
        _check(
            target,
            bool(str(action.get("responsible_body") or "").strip()),
            _("Action %(number)s (%(name)s) has no responsible body")
            % {"number": number, "name": name},
            "actions",
        )
        _check(
            target,
            bool(action.get("start") and action.get("end")),
            _("Action %(number)s (%(name)s) has no period (start and end)")
            % {"number": number, "name": name},
            "actions",
        )
    return Completeness(list(elements.values()))
