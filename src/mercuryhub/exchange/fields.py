"""Checking a need: every field, from the web form or an API body, turned into model values or an
InvalidInputError naming each bad field. The field checks are the catalogue's
(``catalogue.fields``): one set of rules for every kind."""

import datetime

from mercuryhub.catalogue.fields import (
    CleanEntry,
    clean_choice,
    clean_country,
    clean_languages,
    clean_organization,
    clean_terms,
    clean_text,
    codes_of,
)
from mercuryhub.exchange.models import Need
from mercuryhub.lib.errors import InvalidInputError

# The tag fields and the vocabulary of each, in reading order.
TAGS = (
    ("waste_categories", "waste_categories"),
    ("phases", "management_phases"),
    ("support_types", "support_types"),
)
LIST_FIELDS = {"languages", *(name for name, _v in TAGS)}
# How far ahead a timeframe may reach, and how far back it may start.
_EARLIEST, _LATEST = datetime.date(2000, 1, 1), datetime.date(2100, 12, 31)


def _date(data: dict, name: str, errors: dict) -> datetime.date | None:
    raw = data.get(name)
    if raw in (None, ""):
        return None
    if isinstance(raw, datetime.date):
        value = raw
    else:
        try:
            value = datetime.date.fromisoformat(str(raw).strip())
        except ValueError:
            errors[name] = f"{raw!r} is not a date; write it as 2026-09-30"
            return None
    if not _EARLIEST <= value <= _LATEST:
        errors[name] = f"{value.isoformat()} is out of range (2000-01-01 to 2100-12-31)"
        return None
    return value


def clean_need(data: dict) -> CleanEntry:
    errors: dict[str, str] = {}
    organization, unknown = clean_organization(data, "organization", errors, required=False)
    if unknown:
        errors["organization"] = f"Unknown organization {unknown!r}; register it first"
    funding = clean_terms(data, "funding_status", "funding_statuses", errors, required=True)
    if len(funding) > 1:
        errors["funding_status"] = "Give one funding status"
    values = {
        "name": clean_text(data, "name", errors, required=True, max_length=300),
        "description": clean_text(data, "description", errors, required=True, multiline=True),
        "country": clean_country(data, "country", errors),
        "needed_from": _date(data, "needed_from", errors),
        "needed_by": _date(data, "needed_by", errors),
        "funding_status": funding[0] if funding else None,
        "visibility": clean_choice(
            data, "visibility", Need.Visibility.values, errors, default=Need.Visibility.PUBLIC
        ),
        "organization": organization,
    }
    start, end = values["needed_from"], values["needed_by"]
    if start and end and end < start:
        errors["needed_by"] = (
            f"The end of the timeframe ({end.isoformat()}) is before its start "
            f"({start.isoformat()})"
        )
    relations = {"languages": clean_languages(data, "languages", errors)}
    for name, vocabulary in TAGS:
        relations[name] = clean_terms(data, name, vocabulary, errors)
    if errors:
        raise InvalidInputError(errors)
    return CleanEntry(values, relations)


def need_data(need: Need) -> dict:
    data = {
        "name": need.name,
        "description": need.description,
        "country": need.country_id,
        "needed_from": need.needed_from.isoformat() if need.needed_from else None,
        "needed_by": need.needed_by.isoformat() if need.needed_by else None,
        "funding_status": need.funding_status.code,
        "visibility": need.visibility,
        "organization": need.organization.slug if need.organization_id else "",
        "languages": codes_of(need.languages),
    }
    for name, _vocabulary in TAGS:
        data[name] = codes_of(getattr(need, name))
    return data


def stored_data(checked: CleanEntry) -> dict:
    """Checked input in the shape of ``need_data``."""
    data = {}
    for name, value in checked.values.items():
        if name == "organization":
            value = value.slug if value is not None else ""
        elif name == "country":
            value = value.iso3 if value is not None else None
        elif name == "funding_status":
            value = value.code if value is not None else None
        elif name in {"needed_from", "needed_by"}:
            value = value.isoformat() if value is not None else None
        data[name] = value
    for name, related in checked.relations.items():
        data[name] = sorted(str(getattr(item, "code", item.pk)) for item in related)
    return data
