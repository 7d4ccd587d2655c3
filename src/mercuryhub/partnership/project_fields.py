"""Checking a project: every field, from the web form, the API or a spreadsheet row, turned into
model values or an InvalidInputError naming each bad field; and a project as that input again
(its serialization)."""

from decimal import Decimal, InvalidOperation

import pycountry
from django.utils import timezone

from mercuryhub.accounts.models import Organization
from mercuryhub.catalogue.fields import (
    CleanEntry,
    clean_choice,
    clean_countries,
    clean_country,
    clean_items,
    clean_number,
    clean_organization,
    clean_organization_type,
    clean_terms,
    clean_text,
    clean_url,
    codes_of,
    normalized,
)
from mercuryhub.lib.errors import InvalidInputError
from mercuryhub.library.models import CaseStudy
from mercuryhub.partnership.models import Project

# The earliest year a project of the Partnership's fields may start (the first international
# work on mercury waste and ASGM came later), and how many years ahead a plan may reach.
EARLIEST_YEAR = 1970
YEARS_AHEAD = 20
LARGEST_BUDGET = Decimal("1e13")
LIST_FIELDS = {"countries", "partners", "waste_categories", "partnership_areas", "case_studies"}


def currency_codes() -> set[str]:
    """The ISO 4217 codes of the currencies (pycountry's list, as the NAP budgets use)."""
    return {currency.alpha_3 for currency in pycountry.currencies}


def _year(data: dict, name: str, errors: dict) -> int | None:
    raw = data.get(name)
    if raw in (None, ""):
        return None
    latest = timezone.localdate().year + YEARS_AHEAD
    try:
        value = int(str(raw).strip())
    except ValueError:
        errors[name] = f"{raw!r} is not a year; write it as 2019"
        return None
    if not EARLIEST_YEAR <= value <= latest:
        errors[name] = f"{value} is not a plausible year (from {EARLIEST_YEAR} to {latest})"
        return None
    return value


def _budget(data: dict, errors: dict) -> Decimal | None:
    raw = data.get("budget")
    if raw in (None, ""):
        return None
    text = str(raw).strip().replace("\u00a0", "").replace(" ", "").replace("'", "")
    text = text.replace(",", "")
    try:
        value = Decimal(text)
    except InvalidOperation:
        errors["budget"] = f"{raw!r} is not an amount; write it as 546500 or 546500.00"
        return None
    if not value.is_finite() or value < 0 or value >= LARGEST_BUDGET:
        errors["budget"] = f"{raw!r} is not an amount of zero or more (below 10 000 000 000 000)"
        return None
    if value != value.quantize(Decimal("0.01")):
        errors["budget"] = f"{raw!r} has more than 2 decimal places"
        return None
    return value


def _currency(data: dict, budget, errors: dict) -> str:
    code = clean_text(data, "budget_currency", errors, max_length=3).upper()
    if code and code not in currency_codes():
        errors["budget_currency"] = f"Unknown currency {code!r}; use an ISO 4217 code (USD, EUR…)"
    elif budget is not None and not code:
        errors["budget_currency"] = "Give the budget's currency (an ISO 4217 code: USD, XOF…)"
    return code


def _partners(data: dict, errors: dict) -> list[Organization]:
    found, unknown = [], []
    for item in clean_items(data, "partners", errors):
        organization, name = clean_organization({"o": item}, "o", errors, required=False)
        if organization is None:
            unknown.append(name or item)
        elif organization not in found:
            found.append(organization)
    errors.pop("o", None)
    if unknown:
        errors["partners"] = (
            f"Unknown organizations {', '.join(map(repr, unknown))}; register them first"
        )
    return found


def _case_studies(data: dict, errors: dict) -> list[CaseStudy]:
    """Case studies of the library, by external identifier or number."""
    items = clean_items(data, "case_studies", errors)
    numbers = [int(item) for item in items if item.isdigit()]
    found = {str(c.pk): c for c in CaseStudy.objects.filter(pk__in=numbers)}
    found.update({c.external_id: c for c in CaseStudy.objects.filter(external_id__in=items)})
    unknown = [item for item in items if item not in found]
    if unknown:
        errors["case_studies"] = f"Unknown case studies {', '.join(map(repr, unknown))}"
    return list({found[i].pk: found[i] for i in items if i in found}.values())


def clean_project(data: dict) -> CleanEntry:
    errors: dict[str, str] = {}
    organization, organization_name = clean_organization(
        data, "organization", errors, required=True
    )
    first_year, last_year = _year(data, "first_year", errors), _year(data, "last_year", errors)
    if first_year and last_year and last_year < first_year:
        errors["last_year"] = f"The last year ({last_year}) is before the first ({first_year})"
    budget = _budget(data, errors)
    latitude = clean_number(data, "latitude", errors, low=-90, high=90)
    longitude = clean_number(data, "longitude", errors, low=-180, high=180)
    if (latitude is None) != (longitude is None) and not {"latitude", "longitude"} & set(errors):
        errors["longitude" if longitude is None else "latitude"] = (
            "Give both the latitude and the longitude, or neither"
        )
    values = {
        "external_id": clean_text(data, "external_id", errors, max_length=100) or None,
        "name": clean_text(data, "name", errors, required=True, max_length=300),
        "summary": clean_text(data, "summary", errors, multiline=True),
        "lessons_learned": clean_text(data, "lessons_learned", errors, multiline=True),
        "organization": organization,
        "funder": clean_text(data, "funder", errors, max_length=300),
        "first_year": first_year,
        "last_year": last_year,
        "status": clean_choice(
            data, "status", Project.Status.values, errors, default=Project.Status.ONGOING
        ),
        "budget": budget,
        "budget_currency": _currency(data, budget, errors),
        "website": clean_url(data, "website", errors),
        "latitude": latitude,
        "longitude": longitude,
    }
    relations = {
        "countries": clean_countries(data, "countries", errors),
        "partners": _partners(data, errors),
        "waste_categories": clean_terms(data, "waste_categories", "waste_categories", errors),
        "partnership_areas": clean_terms(data, "partnership_areas", "partnership_areas", errors),
        "case_studies": _case_studies(data, errors),
    }
    if not relations["countries"] and "countries" not in errors:
        errors["countries"] = "Give at least one country (ISO alpha-3 codes: GHA, PER…)"
    # An organization named for the first time: an import registers it where and as it says.
    operator_country = operator_type = None
    if organization_name:
        if data.get("organization_country"):
            operator_country = clean_country(data, "organization_country", errors)
        operator_type = clean_organization_type(data, errors)
    if errors:
        raise InvalidInputError(errors)
    return CleanEntry(
        values=values,
        relations=relations,
        operator_name=organization_name,
        operator_country=operator_country,
        operator_type=operator_type,
    )


def _plain(value: Decimal | None) -> str | None:
    return None if value is None else format(value.quantize(Decimal("0.01")), "f")


def _case_study_key(case_study: CaseStudy) -> str:
    return case_study.external_id or str(case_study.pk)


def project_data(project: Project) -> dict:
    """A project as the input ``clean_project`` takes."""
    return {
        "external_id": project.external_id or "",
        "name": project.name,
        "summary": project.summary,
        "lessons_learned": project.lessons_learned,
        "organization": project.organization.slug,
        "countries": sorted(c.iso3 for c in project.countries.all()),
        "funder": project.funder,
        "first_year": project.first_year,
        "last_year": project.last_year,
        "status": project.status,
        "budget": _plain(project.budget),
        "budget_currency": project.budget_currency,
        "partners": sorted(o.slug for o in project.partners.all()),
        "waste_categories": codes_of(project.waste_categories),
        "partnership_areas": codes_of(project.partnership_areas),
        "case_studies": sorted(_case_study_key(c) for c in project.case_studies.all()),
        "website": project.website,
        "latitude": project.latitude,
        "longitude": project.longitude,
    }


def stored_data(checked: CleanEntry) -> dict:
    """Checked input in the shape ``project_data`` gives, as a version stores it."""
    data = dict(checked.values)
    organization = data["organization"]
    data["organization"] = organization.slug if organization else (checked.operator_name or "")
    data["external_id"] = data["external_id"] or ""
    data["budget"] = _plain(data["budget"])
    relations = checked.relations
    data["countries"] = sorted(c.iso3 for c in relations["countries"])
    data["partners"] = sorted(o.slug for o in relations["partners"])
    for name in ("waste_categories", "partnership_areas"):
        data[name] = sorted(term.code for term in relations[name])
    data["case_studies"] = sorted(_case_study_key(c) for c in relations["case_studies"])
    return normalized("project", data, LIST_FIELDS)
