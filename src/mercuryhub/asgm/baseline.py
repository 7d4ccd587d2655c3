"""What a baseline submission (the built-in form ``asgm_site_baseline``) says about a mining
site, and what follows from it: the site's processing practice, the Annex C 1(b) worst
practices each with the answer that showed it, and its mercury use per year, reported or
estimated from its gold production and the mercury-to-gold ratio of its practice.

Pure functions of the answers ({question name: text}, as submissions store them) and the
ratios: the tests compute the same figures by hand."""

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from mercuryhub.asgm.models import MercuryMethod, Practice

FORM_ID = "asgm_site_baseline"
MONTHS = Decimal(12)
GRAMS_PER_KG = Decimal(1000)

# The four worst practices of Annex C 1(b), by the taxonomy's codes, and the site's flag for each.
WORST_PRACTICES = {
    "whole-ore-amalgamation": "whole_ore_amalgamation",
    "open-burning": "open_burning",
    "residential-burning": "residential_burning",
    "cyanide-on-mercury-tailings": "cyanide_on_mercury_tailings",
}
# Answers that show a worst practice: (question, answer) -> practice.
_SHOWN_BY = {
    ("amalgamation", "whole_ore"): "whole-ore-amalgamation",
    ("burning_place", "open_air"): "open-burning",
    ("burning_place", "homes"): "residential-burning",
    ("cyanidation_of_mercury_tailings", "yes"): "cyanide-on-mercury-tailings",
}
OBSERVED = "worst_practices_observed"


def answer(data: dict, name: str) -> str:
    """The answer to question ``name``, wherever a group puts it (``group/name``)."""
    if name in data:
        return str(data[name]).strip()
    for path, text in data.items():
        if path.rsplit("/", 1)[-1] == name:
            return str(text).strip()
    return ""


def choices(data: dict, name: str) -> list[str]:
    return answer(data, name).split()


def number(data: dict, name: str) -> Decimal | None:
    text = answer(data, name)
    if not text:
        return None
    try:
        value = Decimal(text)
    except InvalidOperation:
        return None
    return value if value.is_finite() and value >= 0 else None


def whole_number(data: dict, name: str) -> int | None:
    value = number(data, name)
    return int(value) if value is not None and value == value.to_integral_value() else None


def location(data: dict) -> tuple[float, float] | None:
    """(latitude, longitude) of the geopoint ``location`` ("lat lon altitude accuracy")."""
    parts = answer(data, "location").split()
    try:
        latitude, longitude = float(parts[0]), float(parts[1])
    except (IndexError, ValueError):
        return None
    if -90 <= latitude <= 90 and -180 <= longitude <= 180:
        return latitude, longitude
    return None


def practice(data: dict) -> str:
    """The site's practice: mercury-free when amalgamation is not among its processing
    methods, else whole-ore or concentrate amalgamation, with a retort when one is always used;
    blank when the answers do not say (no processing methods, or what is amalgamated)."""
    methods = choices(data, "processing_methods")
    if not methods:
        return ""
    if "amalgamation" not in methods:
        return Practice.MERCURY_FREE
    amalgamated = answer(data, "amalgamation")
    if amalgamated == "whole_ore":
        return Practice.WHOLE_ORE
    if amalgamated == "concentrate":
        if answer(data, "retort_use") == "always":
            return Practice.CONCENTRATE_RETORT
        return Practice.CONCENTRATE
    return ""


def worst_practices(data: dict) -> list[dict]:
    """Each worst practice the answers show, with the question and answer that showed it (one
    entry per showing answer), in the order of Annex C 1(b)."""
    shown = []
    for (question, value), code in _SHOWN_BY.items():
        if value in choices(data, question):
            shown.append({"code": code, "question": question, "answer": value})
    for code in choices(data, OBSERVED):
        if code in WORST_PRACTICES:
            shown.append({"code": code, "question": OBSERVED, "answer": code})
    order = list(WORST_PRACTICES)
    return sorted(shown, key=lambda item: (order.index(item["code"]), item["question"]))


@dataclass(frozen=True)
class Ratio:
    """Kilograms of mercury per kilogram of gold for a practice: low, typical, high."""

    low: Decimal
    typical: Decimal
    high: Decimal


@dataclass(frozen=True)
class MercuryUse:
    method: str
    low: Decimal | None = None
    typical: Decimal | None = None
    high: Decimal | None = None


def per_year(monthly: Decimal | None, unit: Decimal = Decimal(1)) -> Decimal | None:
    """A monthly figure as a yearly one, divided by ``unit`` (grams to kilograms)."""
    return None if monthly is None else monthly * MONTHS / unit


def mercury_use(
    reported_kg_per_year: Decimal | None, gold_kg_per_year: Decimal | None, ratio: Ratio | None
) -> MercuryUse:
    """Reported mercury use where the site gave it; otherwise gold production times the
    practice's ratio (low, typical, high); unknown without either."""
    if reported_kg_per_year is not None:
        return MercuryUse(
            MercuryMethod.REPORTED, reported_kg_per_year, reported_kg_per_year, reported_kg_per_year
        )
    if gold_kg_per_year is not None and ratio is not None:
        return MercuryUse(
            MercuryMethod.ESTIMATED,
            gold_kg_per_year * ratio.low,
            gold_kg_per_year * ratio.typical,
            gold_kg_per_year * ratio.high,
        )
    return MercuryUse(MercuryMethod.UNKNOWN)


def site_answers(data: dict) -> dict:
    """The site's fields from a submission's answers (the Site model's names)."""
    point = location(data)
    cyanidation = answer(data, "cyanidation_of_mercury_tailings")
    return {
        "code": answer(data, "site_code")[:100],
        "name": answer(data, "site_name")[:200],
        "latitude": point[0] if point else None,
        "longitude": point[1] if point else None,
        "admin_area": answer(data, "admin_area")[:200],
        "deposit_type": answer(data, "deposit_type")[:40],
        "miners": whole_number(data, "miners"),
        "women": whole_number(data, "women"),
        "children": whole_number(data, "children"),
        "processing_methods": choices(data, "processing_methods"),
        "amalgamation": answer(data, "amalgamation")[:40],
        "retort_use": answer(data, "retort_use")[:40],
        "burning_places": choices(data, "burning_place"),
        "cyanidation_of_mercury_tailings": {"yes": True, "no": False}.get(cyanidation),
        "mercury_sources": choices(data, "mercury_source"),
        "licensing_status": answer(data, "licensing_status")[:40],
        "gold_kg_per_year": per_year(number(data, "gold_g_per_month"), GRAMS_PER_KG),
        "mercury_reported_kg_per_year": per_year(number(data, "mercury_kg_per_month")),
        "practice": practice(data),
        "worst_practices": worst_practices(data),
    }
