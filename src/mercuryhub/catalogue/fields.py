"""Checking catalogue input: every field of a facility, offering or expert, from a spreadsheet
row, an API body or a web form, turned into model values or an InvalidInputError naming each bad
field. One set of rules for every way an entry arrives."""

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator, validate_email
from django.utils.text import slugify

from mercuryhub.accounts.models import Organization
from mercuryhub.accounts.queries import name_key, organizations_named
from mercuryhub.catalogue.models import Facility, Offering
from mercuryhub.lib.errors import InvalidInputError
from mercuryhub.lib.lookups import cached, caching, remember
from mercuryhub.lib.text import control_character_message
from mercuryhub.taxonomy.models import Country, Language
from mercuryhub.taxonomy.queries import countries_named, resolve_country, resolve_terms

LIST_SEPARATOR = ";"


@dataclass
class CleanEntry:
    values: dict = field(default_factory=dict)
    relations: dict = field(default_factory=dict)  # many-to-many field name -> objects
    operator_name: str | None = None
    # Where an organization named for the first time is based (default: the entry's country),
    # and its stakeholder type (default: private sector, as catalogue operators mostly are).
    operator_country: object = None
    operator_type: object = None


def as_list(value) -> list[str]:
    """A list from a list or a ``;``-separated text; empty items dropped."""
    if value is None:
        return []
    if isinstance(value, str):
        return [item.strip() for item in value.split(LIST_SEPARATOR) if item.strip()]
    if isinstance(value, list | tuple):
        return [str(item).strip() for item in value if str(item).strip()]
    return [str(value).strip()]


def clean_text(data, name, errors, *, required=False, max_length=None, multiline=False) -> str:
    """The text given for ``name``, stripped; "" when it is refused. Tabs and line breaks are
    allowed only in ``multiline`` texts, other control characters nowhere."""
    value = data.get(name)
    value = "" if value is None else str(value).strip()
    refused = control_character_message(value, multiline=multiline)
    if refused:
        errors[name] = refused
        return ""
    if required and not value:
        errors[name] = "A value is required"
    elif max_length and len(value) > max_length:
        errors[name] = f"At most {max_length} characters (this has {len(value)})"
    return value


# One validator for every address checked: each new one compiles its pattern again.
_WEB_ADDRESS = URLValidator(schemes=["http", "https"])


def clean_url(data, name, errors) -> str:
    """A web address; a bare domain ("batrec.ch") is taken as https://batrec.ch."""
    value = clean_text(data, name, errors, max_length=500)
    if value and "://" not in value:
        value = f"https://{value}"
    if value:
        try:
            _WEB_ADDRESS(value)
        except ValidationError:
            errors[name] = f"{data.get(name)!r} is not a web address (http:// or https://)"
    return value


def clean_number(data, name, errors, *, low=None, high=None) -> float | None:
    raw = data.get(name)
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    try:
        value = float(str(raw).strip().replace(",", "."))
    except ValueError:
        errors[name] = f"{raw!r} is not a number"
        return None
    if value != value or (low is not None and value < low) or (high is not None and value > high):
        errors[name] = f"{raw!r} is out of range ({low} to {high})"
        return None
    return value


def clean_choice(data, name, choices, errors, *, default=None) -> str:
    value = clean_text(data, name, errors).lower() or default
    if name in errors:
        return value
    if value not in choices:
        errors[name] = f"Unknown value {value!r}; use one of: {', '.join(choices)}"
    return value


def clean_boolean(data, name, errors) -> bool | None:
    raw = data.get(name)
    if raw is None or raw == "":
        return None
    if isinstance(raw, bool):
        return raw
    value = str(raw).strip().lower()
    if value in {"yes", "true", "1", "y"}:
        return True
    if value in {"no", "false", "0", "n"}:
        return False
    errors[name] = f"{raw!r} is not yes or no"
    return None


def clean_items(data, name, errors) -> list[str]:
    """The items of a list field; none when one holds a control character."""
    items = as_list(data.get(name))
    for item in items:
        refused = control_character_message(item, multiline=False)
        if refused:
            errors[name] = refused
            return []
    return items


def clean_terms(data, name, vocabulary, errors, *, required=False):
    items = clean_items(data, name, errors)
    if name in errors:
        return []
    try:
        return resolve_terms(vocabulary, items, field=name, required=required)
    except InvalidInputError as error:
        errors.update(error.errors)
        return []


def clean_organization_type(data, errors, name="organization_type"):
    """The stakeholder type of an organization an import names for the first time (a
    ``stakeholder_types`` code: ``government``, ``igo``…); none when not given."""
    if data.get(name) in (None, ""):
        return None
    terms = clean_terms(data, name, "stakeholder_types", errors)
    if len(terms) > 1 and name not in errors:
        errors[name] = "Give one stakeholder type"
    return terms[0] if terms and name not in errors else None


def clean_country(data, name, errors):
    value = data.get(name)
    refused = isinstance(value, str) and control_character_message(value, multiline=False)
    if refused:
        errors[name] = refused
        return None
    try:
        return resolve_country(value, field=name)
    except InvalidInputError as error:
        errors.update(error.errors)
        return None


def clean_countries(data, name, errors) -> list[Country]:
    codes = [code.upper() for code in clean_items(data, name, errors)]
    if not codes:
        return []
    found = countries_named(codes)
    unknown = [code for code in codes if code not in found]
    if unknown:
        errors[name] = f"Unknown country codes {', '.join(map(repr, unknown))}; use ISO alpha-3"
    return list({found[c].iso3: found[c] for c in codes if c in found}.values())


def clean_languages(data, name, errors) -> list[Language]:
    codes = [code.lower() for code in clean_items(data, name, errors)]
    if not codes:
        return []
    if caching():  # many rows checked: every language, read once
        every = cached(
            "languages", lambda: {language.code: language for language in Language.objects.all()}
        )
    else:  # one record: only the languages it names
        every = {language.code: language for language in Language.objects.filter(code__in=codes)}
    found = {code: every[code] for code in codes if code in every}
    unknown = [code for code in codes if code not in found]
    if unknown:
        errors[name] = f"Unknown language codes {', '.join(map(repr, unknown))}; use ISO 639-1"
    return [found[code] for code in dict.fromkeys(codes) if code in found]


def clean_organization(data, name, errors, *, required) -> tuple[Organization | None, str | None]:
    """An organization given by slug, by name, or by a name written with other punctuation
    ("Nomura Kohsan Co., Ltd." for "Nomura Kohsan Co. Ltd"); an unknown name is returned for the
    caller to create (importers) or refuse (API)."""
    value = clean_text(data, name, errors, required=required, max_length=300)
    if not value:
        return None, None
    organization = cached(("organization", value), lambda: _organizations_found([value])[value])
    return organization, (None if organization else value)


def find_organizations(values) -> None:
    """Within ``cached_lookups``, before many rows are checked: the organizations they name
    (``values``, as given), looked up together in two statements rather than name by name by
    ``clean_organization``, which then finds each here."""
    if not caching():
        return
    names = {value for raw in values if (value := clean_text({"o": raw}, "o", {}, max_length=300))}
    for value, organization in _organizations_found(names).items():
        remember(("organization", value), organization)


def _organizations_found(values) -> dict[str, Organization | None]:
    """The organization each value names: by its slug, by its name whatever its case, or by a
    name written with other punctuation (whose slug is the same)."""
    slugs = {value: slugify(value)[:100] for value in values}
    by_slug = Organization.objects.in_bulk(
        {*slugs, *(slug for slug in slugs.values() if slug)}, field_name="slug"
    )
    named = organizations_named([value for value in slugs if value not in by_slug])
    return {
        value: by_slug.get(value) or named.get(name_key(value)) or by_slug.get(slug)
        for value, slug in slugs.items()
    }


def _common(data, errors) -> dict:
    return {
        "external_id": clean_text(data, "external_id", errors, max_length=100) or None,
        "name": clean_text(data, "name", errors, required=True, max_length=300),
        "description": clean_text(data, "description", errors, multiline=True),
        "website": clean_url(data, "website", errors),
        "source": clean_text(data, "source", errors, max_length=500),
    }


def clean_facility(data: dict) -> CleanEntry:
    errors: dict[str, str] = {}
    values = _common(data, errors)
    operator, operator_name = clean_organization(data, "operator", errors, required=True)
    latitude = clean_number(data, "latitude", errors, low=-90, high=90)
    longitude = clean_number(data, "longitude", errors, low=-180, high=180)
    if (latitude is None) != (longitude is None) and not {"latitude", "longitude"} & errors.keys():
        errors["latitude" if latitude is None else "longitude"] = (
            "Give both latitude and longitude, or neither"
        )
    values.update(
        operator=operator,
        country=clean_country(data, "country", errors),
        city=clean_text(data, "city", errors, max_length=300),
        latitude=latitude,
        longitude=longitude,
        coordinates_precision=clean_choice(
            data, "coordinates_precision", Facility.Precision.values, errors, default="city"
        ),
        status=clean_choice(data, "status", Facility.Status.values, errors, default="unknown"),
        capacity=clean_text(data, "capacity", errors, max_length=500),
        capacity_tonnes_per_year=clean_number(data, "capacity_tonnes_per_year", errors, low=0),
        permits=clean_text(data, "permits", errors, multiline=True),
        accepts_foreign_waste=clean_boolean(data, "accepts_foreign_waste", errors),
        contact_route=clean_text(data, "contact_route", errors, max_length=500),
    )
    relations = {
        "accepted_wastes": clean_terms(
            data, "accepted_wastes", "waste_categories", errors, required=True
        ),
        "phases": clean_terms(data, "phases", "management_phases", errors),
        "technologies": clean_terms(data, "technologies", "treatment_technologies", errors),
        "languages": clean_languages(data, "languages", errors),
    }
    if errors:
        raise InvalidInputError(errors)
    return CleanEntry(values, relations, operator_name)


def clean_offering(data: dict) -> CleanEntry:
    errors: dict[str, str] = {}
    values = _common(data, errors)
    provider, provider_name = clean_organization(data, "provider", errors, required=True)
    provider_country = None
    if provider_name:
        if data.get("provider_country"):
            provider_country = clean_country(data, "provider_country", errors)
        else:
            errors["provider"] = (
                f"Unknown organization {provider_name!r}: register it first, or give its "
                "country in provider_country so that it can be created"
            )
    regions = clean_items(data, "regions_served", errors)
    known_regions = set(Country.objects.values_list("region", flat=True)) | set(
        Country.objects.values_list("subregion", flat=True)
    )
    unknown_regions = [region for region in regions if region not in known_regions]
    if unknown_regions:
        errors["regions_served"] = f"Unknown UN M49 regions {', '.join(map(repr, unknown_regions))}"
    values.update(
        provider=provider,
        kind=clean_choice(data, "kind", Offering.Kind.values, errors),
        regions_served=regions,
    )
    relations = {
        "waste_categories": clean_terms(data, "waste_categories", "waste_categories", errors),
        "phases": clean_terms(data, "phases", "management_phases", errors),
        "technologies": clean_terms(data, "technologies", "treatment_technologies", errors),
        "support_types": clean_terms(data, "support_types", "support_types", errors),
        "countries_served": clean_countries(data, "countries_served", errors),
        "languages": clean_languages(data, "languages", errors),
    }
    if errors:
        raise InvalidInputError(errors)
    return CleanEntry(values, relations, provider_name, provider_country)


def clean_expert(data: dict) -> CleanEntry:
    errors: dict[str, str] = {}
    values = _common(data, errors)
    values["description"] = (
        clean_text(data, "biography", errors, multiline=True) or values["description"]
    )
    organization, organization_name = clean_organization(
        data, "organization", errors, required=False
    )
    email = clean_text(data, "email", errors, required=True, max_length=254)
    if email:
        try:
            validate_email(email)
        except ValidationError:
            errors["email"] = f"{email!r} is not an e-mail address"
    consent = clean_boolean(data, "consent_to_publication", errors)
    values.update(
        organization=organization,
        email=email.lower(),
        country=clean_country(data, "country", errors),
        consent_to_publication=bool(consent),
    )
    relations = {
        "languages": clean_languages(data, "languages", errors),
        "waste_categories": clean_terms(data, "waste_categories", "waste_categories", errors),
        "phases": clean_terms(data, "phases", "management_phases", errors),
        "support_types": clean_terms(data, "support_types", "support_types", errors),
        "nap_elements": clean_terms(data, "nap_elements", "nap_elements", errors),
        "countries_of_experience": clean_countries(data, "countries_of_experience", errors),
    }
    if errors:
        raise InvalidInputError(errors)
    return CleanEntry(values, relations, organization_name)


def codes_of(related) -> list[str]:
    return sorted(str(getattr(item, "code", item.pk)) for item in related.all())


def entry_data(kind: str, entry) -> dict:
    """An entry as the input its clean_* function takes: what a version stores, what an edit
    form starts from, and what two versions are compared on."""
    data = {
        "external_id": entry.external_id or "",
        "name": entry.name,
        "website": entry.website,
        "source": entry.source,
    }
    if kind == "facility":
        data.update(
            description=entry.description,
            operator=entry.operator.slug,
            country=entry.country_id,
            city=entry.city,
            latitude=entry.latitude,
            longitude=entry.longitude,
            coordinates_precision=entry.coordinates_precision,
            status=entry.status,
            capacity=entry.capacity,
            capacity_tonnes_per_year=entry.capacity_tonnes_per_year,
            permits=entry.permits,
            accepts_foreign_waste=entry.accepts_foreign_waste,
            contact_route=entry.contact_route,
            accepted_wastes=codes_of(entry.accepted_wastes),
            phases=codes_of(entry.phases),
            technologies=codes_of(entry.technologies),
            languages=codes_of(entry.languages),
        )
    elif kind == "offering":
        data.update(
            description=entry.description,
            provider=entry.provider.slug,
            kind=entry.kind,
            regions_served=list(entry.regions_served or []),
            waste_categories=codes_of(entry.waste_categories),
            phases=codes_of(entry.phases),
            technologies=codes_of(entry.technologies),
            support_types=codes_of(entry.support_types),
            countries_served=codes_of(entry.countries_served),
            languages=codes_of(entry.languages),
        )
    else:
        data.update(
            biography=entry.description,
            organization=entry.organization.slug if entry.organization else "",
            email=entry.email,
            country=entry.country_id,
            consent_to_publication=entry.consent_to_publication,
            languages=codes_of(entry.languages),
            waste_categories=codes_of(entry.waste_categories),
            phases=codes_of(entry.phases),
            support_types=codes_of(entry.support_types),
            nap_elements=codes_of(entry.nap_elements),
            countries_of_experience=codes_of(entry.countries_of_experience),
        )
    return data


def stored_data(kind: str, clean: CleanEntry) -> dict:
    """Checked input in the shape entry_data gives, with real types (46.676, not "46.676"), so
    that a version holds exactly what would be saved and an unchanged save changes nothing."""
    data = {}
    for name, value in clean.values.items():
        if name in {"operator", "provider", "organization"}:
            value = value.slug if value is not None else (clean.operator_name or "")
        elif name == "country":
            value = value.iso3 if value is not None else None
        elif name == "external_id":
            value = value or ""
        data[name] = value
    if kind == "expert":
        data["biography"] = data.pop("description", "")
    for name, related in clean.relations.items():
        data[name] = sorted(str(getattr(item, "code", item.pk)) for item in related)
    return normalized(kind, data)


CLEAN = {"facility": clean_facility, "offering": clean_offering, "expert": clean_expert}


def normalized(kind: str, data: dict, list_fields=None) -> dict:
    """Input data as it would be stored: lists sorted, blanks as the model keeps them; so that
    comparing two versions shows only real changes. ``list_fields`` names the fields that hold
    lists (default: the catalogue's)."""
    list_fields = _LIST_FIELDS if list_fields is None else list_fields
    result = {}
    for name, value in data.items():
        if isinstance(value, list | tuple) or (
            isinstance(value, str) and LIST_SEPARATOR in value and name in list_fields
        ):
            value = sorted(as_list(value))
        result[name] = value
    return result


_LIST_FIELDS = {
    "accepted_wastes",
    "phases",
    "technologies",
    "languages",
    "waste_categories",
    "support_types",
    "countries_served",
    "regions_served",
    "nap_elements",
    "countries_of_experience",
}
