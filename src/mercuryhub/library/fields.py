"""Checking library input: every field of a resource or case study, from a spreadsheet row, an
API body or a web form, turned into model values or an InvalidInputError naming each bad field.
The field checks are the catalogue's (``catalogue.fields``): one set of rules for every kind."""

import re

from django.utils import timezone

from mercuryhub.catalogue.fields import (
    CleanEntry,
    clean_country,
    clean_languages,
    clean_number,
    clean_organization,
    clean_terms,
    clean_text,
    clean_url,
    codes_of,
)
from mercuryhub.lib.errors import InvalidInputError
from mercuryhub.library.models import DocumentFile, Resource

# The tag fields and the vocabulary of each, in reading order.
TAGS = (
    ("audiences", "audiences"),
    ("waste_categories", "waste_categories"),
    ("phases", "management_phases"),
    ("support_types", "support_types"),
    ("nap_elements", "nap_elements"),
    ("partnership_areas", "partnership_areas"),
)
LIST_FIELDS = {"languages", *(name for name, _v in TAGS)}

CASE_STUDY_TEXTS = (
    "context_socioeconomic",
    "context_technical",
    "context_political",
    "actions",
    "results",
    "success_factors",
    "challenges",
    "lessons_learned",
)


def _year(data, errors) -> int | None:
    latest = timezone.now().year + 1
    value = clean_number(data, "year", errors, low=1900, high=latest)
    if value is None:
        return None
    if not value.is_integer():
        errors["year"] = f"{data.get('year')!r} is not a year"
        return None
    return int(value)


def _document(data, errors) -> DocumentFile | None:
    raw = data.get("document")
    if raw in (None, ""):
        return None
    try:
        pk = int(str(raw).strip())
    except ValueError:
        errors["document"] = f"{raw!r} is not the number of an uploaded file"
        return None
    document = DocumentFile.objects.filter(pk=pk).first()
    if document is None:
        errors["document"] = f"No uploaded file {pk}; upload the file first"
    return document


def _common(data: dict, errors: dict) -> tuple[dict, dict, str | None]:
    organization, unknown = clean_organization(data, "organization", errors, required=False)
    if unknown:
        errors["organization"] = f"Unknown organization {unknown!r}; register it first"
    values = {
        "external_id": clean_text(data, "external_id", errors, max_length=100) or None,
        "name": clean_text(data, "name", errors, required=True, max_length=300),
        "description": clean_text(data, "description", errors, multiline=True),
        "publisher": clean_text(data, "publisher", errors, max_length=300),
        "year": _year(data, errors),
        "url": clean_url(data, "url", errors),
        "document": _document(data, errors),
        "licence": clean_text(data, "licence", errors, max_length=200),
        "organization": organization,
    }
    relations = {"languages": clean_languages(data, "languages", errors)}
    for name, vocabulary in TAGS:
        relations[name] = clean_terms(data, name, vocabulary, errors)
    return values, relations, unknown


_RESOURCE_ADDRESS = re.compile(r"/library/resources/(\d+)/?(?:[?#].*)?$")


def _language_version_of(data, errors) -> Resource | None:
    """The resource given by its external_id, its number or the address of its page."""
    raw = clean_text(data, "language_version_of", errors, max_length=1000)
    if not raw:
        return None
    address = _RESOURCE_ADDRESS.search(raw)
    raw = address.group(1) if address else raw
    found = Resource.objects.filter(external_id=raw).first()
    if found is None and raw.isdigit():
        found = Resource.objects.filter(pk=int(raw)).first()
    if found is None:
        errors["language_version_of"] = (
            f"No resource {raw!r} (give its external_id, its number or its page's address)"
        )
    return found


def clean_resource(data: dict) -> CleanEntry:
    errors: dict[str, str] = {}
    values, relations, _unknown = _common(data, errors)
    kinds = clean_terms(data, "kind", "resource_kinds", errors, required=True)
    if len(kinds) > 1:
        errors["kind"] = "Give one kind of resource"
    values["kind"] = kinds[0] if kinds else None
    values["language_version_of"] = _language_version_of(data, errors)
    values["transcript"] = clean_text(data, "transcript", errors, multiline=True)
    if not values["url"] and not values["document"] and "url" not in errors:
        errors["url"] = "Give the resource's address or upload its file"
    if errors:
        raise InvalidInputError(errors)
    return CleanEntry(values, relations)


def clean_case_study(data: dict) -> CleanEntry:
    errors: dict[str, str] = {}
    values, relations, _unknown = _common(data, errors)
    values["country"] = clean_country(data, "country", errors)
    values["place"] = clean_text(data, "place", errors, max_length=300)
    values["period"] = clean_text(data, "period", errors, max_length=100)
    values["source"] = clean_text(data, "source", errors, max_length=500)
    for name in CASE_STUDY_TEXTS:
        values[name] = clean_text(data, name, errors, multiline=True)
    if errors:
        raise InvalidInputError(errors)
    return CleanEntry(values, relations)


def _common_data(entry) -> dict:
    data = {
        "external_id": entry.external_id or "",
        "name": entry.name,
        "description": entry.description,
        "publisher": entry.publisher,
        "year": entry.year,
        "url": entry.url,
        "document": entry.document_id,
        "licence": entry.licence,
        "organization": entry.organization.slug if entry.organization_id else "",
        "languages": codes_of(entry.languages),
    }
    for name, _vocabulary in TAGS:
        data[name] = codes_of(getattr(entry, name))
    return data


def resource_data(entry: Resource) -> dict:
    return {
        **_common_data(entry),
        "kind": entry.kind.code,
        "language_version_of": entry.language_version_of_id,
        "transcript": entry.transcript,
    }


def case_study_data(entry) -> dict:
    data = {
        **_common_data(entry),
        "country": entry.country_id,
        "place": entry.place,
        "period": entry.period,
        "source": entry.source,
    }
    for name in CASE_STUDY_TEXTS:
        data[name] = getattr(entry, name)
    return data


def stored_data(checked: CleanEntry) -> dict:
    """Checked input in the shape of ``resource_data`` / ``case_study_data``."""
    data = {}
    for name, value in checked.values.items():
        if name == "organization":
            value = value.slug if value is not None else ""
        elif name == "country":
            value = value.iso3 if value is not None else None
        elif name == "kind":
            value = value.code if value is not None else None
        elif name in {"document", "language_version_of"}:
            value = value.pk if value is not None else None
        elif name == "external_id":
            value = value or ""
        data[name] = value
    for name, related in checked.relations.items():
        data[name] = sorted(str(getattr(item, "code", item.pk)) for item in related)
    return data
