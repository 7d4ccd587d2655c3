"""Checking a National Action Plan: every field, from the builder's forms, the API or a
spreadsheet, turned into model values or an InvalidInputError naming each bad field. A part of a
list is named by its place: ``actions.3.end`` is the end of the third action.

What a draft may lack (a responsible body, a period, a section's text) is not refused here: the
completeness check (``completeness.py``) lists it, so that a team can save a plan as it grows."""

import datetime
from decimal import Decimal, InvalidOperation

import pycountry

from mercuryhub.catalogue.fields import (
    CleanEntry,
    clean_country,
    clean_organization,
    clean_text,
)
from mercuryhub.lib.errors import InvalidInputError
from mercuryhub.taxonomy.queries import terms_of

# The parts of a plan that are not Annex C elements, before them in reading order.
INTRODUCTION, OVERVIEW = "introduction", "overview"
# The element whose section gives the baseline estimates (Annex C 1(d)) and the schedule (1(k)).
BASELINE_ELEMENT, SCHEDULE_ELEMENT = "d", "k"
MAX_SECTION_CHARACTERS = 100_000
MAX_ROWS = {"objectives": 200, "actions": 500, "stakeholders": 300}
_EARLIEST_YEAR, _LATEST_YEAR = 2000, 2100


def element_codes() -> list[str]:
    """The Annex C elements (a)–(k) and paragraph 2's additional strategies, in order."""
    return list(terms_of("nap_elements").values_list("code", flat=True))


def section_codes() -> list[str]:
    return [INTRODUCTION, OVERVIEW, *element_codes()]


def worst_practice_codes() -> list[str]:
    return list(terms_of("worst_practices").values_list("code", flat=True))


def currency_codes() -> set[str]:
    return {currency.alpha_3 for currency in pycountry.currencies}


def _year(data: dict, name: str, errors: dict, key: str | None = None) -> int | None:
    key = key or name
    raw = data.get(name)
    if raw in (None, ""):
        return None
    try:
        value = int(str(raw).strip())
    except ValueError:
        errors[key] = f"{raw!r} is not a year; write it as 2030"
        return None
    if not _EARLIEST_YEAR <= value <= _LATEST_YEAR:
        errors[key] = f"{value} is out of range ({_EARLIEST_YEAR} to {_LATEST_YEAR})"
        return None
    return value


def clean_date(data: dict, name: str, errors: dict, key: str | None = None):
    key = key or name
    raw = data.get(name)
    if raw in (None, ""):
        return None
    if isinstance(raw, datetime.datetime):
        raw = raw.date()
    if isinstance(raw, datetime.date):
        value = raw
    else:
        try:
            value = datetime.date.fromisoformat(str(raw).strip())
        except ValueError:
            errors[key] = f"{raw!r} is not a date; write it as 2027-03-31"
            return None
    if not _EARLIEST_YEAR <= value.year <= _LATEST_YEAR:
        errors[key] = f"{value.isoformat()} is out of range (2000-01-01 to 2100-12-31)"
        return None
    return value


def clean_amount(data: dict, name: str, errors: dict, key: str | None = None):
    """A non-negative amount of money; "1'200.50", "1 200,50" and "1,200.50" are read too."""
    key = key or name
    raw = data.get(name)
    if raw in (None, ""):
        return None
    text = str(raw).strip().replace("'", "").replace("\u202f", "").replace(" ", "")
    if "," in text and "." not in text:
        text = text.replace(",", ".")
    text = text.replace(",", "")
    try:
        value = Decimal(text)
    except InvalidOperation:
        errors[key] = f"{raw!r} is not an amount; write it as 25000 or 25000.50"
        return None
    if not value.is_finite() or value < 0 or value >= Decimal("1e14"):
        errors[key] = f"{raw!r} is out of range (0 to 99,999,999,999,999)"
        return None
    return value.quantize(Decimal("0.01"))


def _rows(data: dict, name: str, errors: dict) -> list[dict]:
    rows = data.get(name) or []
    if not isinstance(rows, list) or not all(isinstance(row, dict) for row in rows):
        errors[name] = "Give a list of rows, each with its fields"
        return []
    if len(rows) > MAX_ROWS[name]:
        errors[name] = f"At most {MAX_ROWS[name]} rows (this has {len(rows)})"
        return []
    return rows


def _element(row: dict, key: str, codes: list[str], errors: dict) -> str:
    own: dict[str, str] = {}
    value = clean_text(row, "element", own, max_length=20).lower()
    if own:
        errors[f"{key}.element"] = own["element"]
        return ""
    if not value:
        errors[f"{key}.element"] = "Name the Annex C element: one of " + ", ".join(codes)
    elif value not in codes:
        errors[f"{key}.element"] = f"Unknown element {value!r}; use one of: {', '.join(codes)}"
    return value


def _texts(row: dict, key: str, limits: dict, errors: dict, required=()) -> dict:
    found: dict[str, str] = {}
    for name, limit in limits.items():
        own: dict[str, str] = {}
        found[name] = clean_text(row, name, own, required=name in required, max_length=limit)
        if own:
            errors[f"{key}.{name}"] = own[name]
    return found


def clean_sections(data: dict, errors: dict) -> dict[str, str]:
    sections = data.get("sections") or {}
    if not isinstance(sections, dict):
        errors["sections"] = "Give the sections as a mapping of section code to text"
        return {}
    codes = section_codes()
    unknown = [code for code in sections if code not in codes]
    if unknown:
        errors["sections"] = (
            f"Unknown sections {', '.join(map(repr, unknown))}; use: {', '.join(codes)}"
        )
        return {}
    found = {}
    for code in codes:
        own: dict[str, str] = {}
        text = clean_text(sections, code, own, max_length=MAX_SECTION_CHARACTERS, multiline=True)
        if own:
            errors[f"sections.{code}"] = own[code]
        elif text:
            found[code] = text
    return found


def clean_objectives(data: dict, errors: dict) -> list[dict]:
    codes, found = element_codes(), []
    for number, row in enumerate(_rows(data, "objectives", errors), start=1):
        key = f"objectives.{number}"
        objective = {"element": _element(row, key, codes, errors)}
        limits = {"indicator": 500, "baseline": 200, "target": 200}
        objective.update(_texts(row, key, limits, errors, required={"indicator"}))
        objective["year"] = _year(row, "year", errors, f"{key}.year")
        found.append(objective)
    return found


def clean_actions(data: dict, errors: dict) -> list[dict]:
    codes, practices, currencies = element_codes(), worst_practice_codes(), currency_codes()
    found = []
    for number, row in enumerate(_rows(data, "actions", errors), start=1):
        key = f"actions.{number}"
        action = {"element": _element(row, key, codes, errors)}
        limits = {"activity": 1000, "responsible_body": 300, "partners": 500, "funding_source": 300}
        action.update(_texts(row, key, limits, errors, required={"activity"}))
        action["start"] = clean_date(row, "start", errors, f"{key}.start")
        action["end"] = clean_date(row, "end", errors, f"{key}.end")
        if action["start"] and action["end"] and action["end"] < action["start"]:
            errors[f"{key}.end"] = (
                f"The end ({action['end'].isoformat()}) is before the start "
                f"({action['start'].isoformat()})"
            )
        action["budget"] = clean_amount(row, "budget", errors, f"{key}.budget")
        currency = str(row.get("currency") or "").strip().upper()
        if currency and currency not in currencies:
            errors[f"{key}.currency"] = f"Unknown currency {currency!r}; use an ISO 4217 code"
        elif action["budget"] is not None and not currency:
            errors[f"{key}.currency"] = "Give the budget's currency (an ISO 4217 code: USD, XOF…)"
        action["currency"] = currency
        chosen = row.get("worst_practices") or []
        if isinstance(chosen, str):
            chosen = [item.strip() for item in chosen.split(";") if item.strip()]
        unknown = [code for code in chosen if code not in practices]
        if unknown:
            errors[f"{key}.worst_practices"] = (
                f"Unknown worst practices {', '.join(map(repr, unknown))}; use: "
                + ", ".join(practices)
            )
        action["worst_practices"] = sorted(set(chosen) - set(unknown))
        found.append(action)
    return found


def clean_stakeholders(data: dict, errors: dict) -> list[dict]:
    types = set(terms_of("stakeholder_types").values_list("code", flat=True))
    found = []
    for number, row in enumerate(_rows(data, "stakeholders", errors), start=1):
        key = f"stakeholders.{number}"
        stakeholder = _texts(row, key, {"name": 300, "role": 1000}, errors, required={"name"})
        kind = str(row.get("stakeholder_type") or "").strip()
        if kind and kind not in types:
            errors[f"{key}.stakeholder_type"] = (
                f"Unknown stakeholder type {kind!r}; use one of: {', '.join(sorted(types))}"
            )
        stakeholder["stakeholder_type"] = kind
        found.append(stakeholder)
    return found


def clean_baseline(data: dict, errors: dict) -> dict:
    """The national overview's figures as the builder filled them in (``actions.do_fill_baseline``):
    a flat mapping of names to numbers or texts."""
    baseline = data.get("baseline") or {}
    if not isinstance(baseline, dict) or not all(
        isinstance(value, int | float | str | None) and len(str(value)) <= 500
        for value in baseline.values()
    ):
        errors["baseline"] = "Give the baseline figures as a mapping of names to numbers or texts"
        return {}
    return baseline


def clean_plan(data: dict) -> CleanEntry:
    errors: dict[str, str] = {}
    organization, unknown = clean_organization(data, "organization", errors, required=True)
    if unknown:
        errors["organization"] = f"Unknown organization {unknown!r}; register it first"
    values = {
        "name": clean_text(data, "name", errors, required=True, max_length=300),
        "summary": clean_text(
            data, "summary", errors, max_length=MAX_SECTION_CHARACTERS, multiline=True
        ),
        "country": clean_country(data, "country", errors),
        "organization": organization,
        "period_start": _year(data, "period_start", errors),
        "period_end": _year(data, "period_end", errors),
        "submitted_to_convention_on": clean_date(data, "submitted_to_convention_on", errors),
        "baseline": clean_baseline(data, errors),
    }
    start, end = values["period_start"], values["period_end"]
    if start and end and end < start:
        errors["period_end"] = f"The last year ({end}) is before the first ({start})"
    parts = {
        "sections": clean_sections(data, errors),
        "objectives": clean_objectives(data, errors),
        "actions": clean_actions(data, errors),
        "stakeholders": clean_stakeholders(data, errors),
    }
    if errors:
        raise InvalidInputError(errors)
    return CleanEntry(values, parts)


# -- the serialization ------------------------------------------------------------------------


def _iso(value):
    return value.isoformat() if value is not None else None


def _amount(value):
    return str(value) if value is not None else None


def action_data(action: dict) -> dict:
    return {
        **action,
        "start": _iso(action["start"]),
        "end": _iso(action["end"]),
        "budget": _amount(action["budget"]),
    }


def plan_data(plan) -> dict:
    """The plan's rows in the serialization's shape (see ``stored_data``)."""
    return {
        "name": plan.name,
        "summary": plan.summary,
        "country": plan.country_id,
        "organization": plan.organization.slug,
        "period_start": plan.period_start,
        "period_end": plan.period_end,
        "submitted_to_convention_on": _iso(plan.submitted_to_convention_on),
        "baseline": plan.baseline,
        "sections": {section.code: section.text for section in plan.sections.all()},
        "objectives": [
            {
                "element": row.element,
                "indicator": row.indicator,
                "baseline": row.baseline,
                "target": row.target,
                "year": row.year,
            }
            for row in plan.objectives.all()
        ],
        "actions": [
            action_data(
                {
                    "element": row.element,
                    "activity": row.activity,
                    "responsible_body": row.responsible_body,
                    "partners": row.partners,
                    "start": row.start,
                    "end": row.end,
                    "budget": row.budget,
                    "currency": row.currency,
                    "funding_source": row.funding_source,
                    "worst_practices": sorted(row.worst_practices),
                }
            )
            for row in plan.actions.all()
        ],
        "stakeholders": [
            {"name": row.name, "stakeholder_type": row.stakeholder_type, "role": row.role}
            for row in plan.stakeholders.all()
        ],
    }


def stored_data(checked: CleanEntry) -> dict:
    """Checked input in the shape of ``plan_data``."""
    values = checked.values
    parts = checked.relations
    return {
        "name": values["name"],
        "summary": values["summary"],
        "country": values["country"].iso3 if values["country"] else None,
        "organization": values["organization"].slug if values["organization"] else "",
        "period_start": values["period_start"],
        "period_end": values["period_end"],
        "submitted_to_convention_on": _iso(values["submitted_to_convention_on"]),
        "baseline": values["baseline"],
        "sections": parts["sections"],
        "objectives": parts["objectives"],
        "actions": [action_data(action) for action in parts["actions"]],
        "stakeholders": parts["stakeholders"],
    }
