"""The inventory's vocabularies, as data (``data/vocabulary.json``): the source categories of
waste a national inventory counts, the Toolkit's six output pathways, the kinds of activity and
their units, with their labels in the platform's six languages."""

import json
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache
from importlib import resources

from mercuryhub.review.translations import requested_language, suffix


@dataclass(frozen=True)
class Term:
    code: str
    label: str
    translations: dict = field(default_factory=dict, compare=False, hash=False)

    @property
    def local_label(self) -> str:
        return self.translations.get(suffix(requested_language())) or self.label

    def __str__(self):
        return self.local_label


@dataclass(frozen=True)
class Unit(Term):
    dimension: str = ""
    # How many of the dimension's base unit (item, t, m³, inhabitant) one of this unit is.
    scale: Decimal = Decimal(1)


@dataclass(frozen=True)
class Category(Term):
    group: str = ""
    dimension: str = ""
    # The taxonomy's waste category its waste belongs to (None: general waste, no one stream).
    waste_category: str | None = None
    # A screening bound, in the dimension's base unit per inhabitant and year: a figure above it
    # is flagged for the team to check. Never part of a calculation.
    flag_above_per_inhabitant: Decimal | None = None


@cache
def _file() -> dict:
    path = resources.files("mercuryhub.inventory") / "data" / "vocabulary.json"
    return json.loads(path.read_text(encoding="utf-8"))


def _term(entry: dict) -> dict:
    return {
        "code": entry["code"],
        "label": entry["label"],
        "translations": entry.get("translations", {}),
    }


@cache
def pathways() -> tuple[Term, ...]:
    return tuple(Term(**_term(entry)) for entry in _file()["pathways"])


def pathway_codes() -> list[str]:
    return [pathway.code for pathway in pathways()]


@cache
def dimensions() -> dict[str, Term]:
    return {entry["code"]: Term(**_term(entry)) for entry in _file()["dimensions"]}


@cache
def groups() -> dict[str, Term]:
    return {entry["code"]: Term(**_term(entry)) for entry in _file()["groups"]}


@cache
def activity_units() -> dict[str, Unit]:
    return {
        entry["code"]: Unit(
            **_term(entry), dimension=entry["dimension"], scale=Decimal(entry["scale"])
        )
        for entry in _file()["activity_units"]
    }


@cache
def mercury_units() -> dict[str, Decimal]:
    """Mercury's units → kilograms."""
    return {entry["code"]: Decimal(entry["scale_kg"]) for entry in _file()["mercury_units"]}


@cache
def categories() -> dict[str, Category]:
    """The source categories in reading order (products first, then waste treatment)."""
    found = {}
    for entry in _file()["categories"]:
        bound = entry.get("flag_above_per_inhabitant")
        found[entry["code"]] = Category(
            **_term(entry),
            group=entry["group"],
            dimension=entry["dimension"],
            waste_category=entry.get("waste_category"),
            flag_above_per_inhabitant=Decimal(bound) if bound else None,
        )
    return found


def units_of(dimension: str) -> list[Unit]:
    return [unit for unit in activity_units().values() if unit.dimension == dimension]


def factor_units(dimension: str) -> list[str]:
    """The units a factor for a category of this kind of activity may be given in: mercury per
    one of its activity units ("mg/item", "g/t", "kg/1000 m3")."""
    return [f"{hg}/{unit.code}" for unit in units_of(dimension) for hg in mercury_units()]


def parse_factor_unit(text: str) -> tuple[str, Unit] | None:
    """("g", Unit t) for "g/t"; None for what is no factor unit."""
    mercury, _slash, activity = str(text or "").strip().partition("/")
    unit = activity_units().get(activity.strip())
    if mercury.strip() not in mercury_units() or unit is None:
        return None
    return mercury.strip(), unit
