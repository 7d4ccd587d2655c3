"""The catalogue as data files: entries in the import layout as CSV or XLSX (importing the file
again changes nothing), facilities as GeoJSON, filtered like the catalogue search."""

import csv
import io
import json
from dataclasses import replace
from datetime import date

from django.utils import timezone

from mercuryhub.catalogue.models import Expert, Facility, Offering
from mercuryhub.catalogue.queries import Filters, filtered, parse_filters, with_details
from mercuryhub.catalogue.spreadsheets.layouts import FORMULA_STARTS, LAYOUTS, cell_text
from mercuryhub.lib.errors import InvalidInputError


def facility_feature(facility: Facility) -> dict:
    """One facility as a GeoJSON Feature (RFC 7946: longitude first)."""
    return {
        "type": "Feature",
        "id": facility.pk,
        "geometry": {
            "type": "Point",
            "coordinates": [facility.longitude, facility.latitude],
        },
        "properties": {
            "id": facility.pk,
            "external_id": facility.external_id,
            "name": facility.name,
            "operator": facility.operator.name,
            "country": facility.country_id,
            "country_name": facility.country.name,
            "city": facility.city,
            "status": facility.status,
            "coordinates_precision": facility.coordinates_precision,
            "accepted_wastes": [term.code for term in facility.accepted_wastes.all()],
            "accepted_waste_labels": [term.label for term in facility.accepted_wastes.all()],
            "review_state": facility.review_state,
            "source_checked_on": (
                facility.source_checked_on.isoformat() if facility.source_checked_on else None
            ),
            "last_confirmed_at": (
                facility.last_confirmed_at.isoformat() if facility.last_confirmed_at else None
            ),
            "url": facility.get_absolute_url(),
        },
    }


def facilities_geojson(facilities) -> dict:
    """A FeatureCollection of the facilities that have coordinates. ``facilities`` should be a
    queryset with operator and country selected and accepted_wastes prefetched."""
    return {
        "type": "FeatureCollection",
        "features": [facility_feature(f) for f in facilities if f.has_coordinates],
    }


# Spreadsheets, in the import layout ---------------------------------------------------------


def _codes(related) -> list[str]:
    """Codes of terms and languages, ISO alpha-3 codes of countries."""
    return [str(getattr(item, "code", item.pk)) for item in related.all()]


def _common(entry) -> dict:
    return {
        "external_id": entry.external_id or "",
        "name": entry.name,
        "website": entry.website,
        "source": entry.source,
        "source_checked_on": entry.source_checked_on,
        "last_confirmed": entry.last_confirmed_at,
    }


def _facility_row(facility: Facility) -> dict:
    return {
        **_common(facility),
        "operator": facility.operator.name,
        "country": facility.country_id,
        "city": facility.city,
        "latitude": facility.latitude,
        "longitude": facility.longitude,
        "coordinates_precision": facility.coordinates_precision,
        "status": facility.status,
        "accepted_wastes": _codes(facility.accepted_wastes),
        "technologies": _codes(facility.technologies),
        "phases": _codes(facility.phases),
        "capacity": facility.capacity,
        "summary": facility.description,
        "capacity_tonnes_per_year": facility.capacity_tonnes_per_year,
        "permits": facility.permits,
        "accepts_foreign_waste": facility.accepts_foreign_waste,
        "languages": _codes(facility.languages),
        "contact_route": facility.contact_route,
    }


def _offering_row(offering: Offering) -> dict:
    return {
        **_common(offering),
        "provider": offering.provider.name,
        "provider_country": offering.provider.country_id,
        "kind": offering.kind,
        "waste_categories": _codes(offering.waste_categories),
        "phases": _codes(offering.phases),
        "technologies": _codes(offering.technologies),
        "support_types": _codes(offering.support_types),
        "countries_served": _codes(offering.countries_served),
        "regions_served": list(offering.regions_served or []),
        "languages": _codes(offering.languages),
        "summary": offering.description,
    }


def _expert_row(expert: Expert) -> dict:
    return {
        **_common(expert),
        "organization": expert.organization.name if expert.organization else "",
        # E-mail addresses are private: exports leave the column empty, and an import keeps the
        # address of an expert it already knows.
        "email": "",
        "country": expert.country_id,
        "languages": _codes(expert.languages),
        "waste_categories": _codes(expert.waste_categories),
        "phases": _codes(expert.phases),
        "support_types": _codes(expert.support_types),
        "nap_elements": _codes(expert.nap_elements),
        "countries_of_experience": _codes(expert.countries_of_experience),
        "consent_to_publication": expert.consent_to_publication,
        "biography": expert.description,
    }


_ROWS = {"facility": _facility_row, "offering": _offering_row, "expert": _expert_row}


def _rows(kind: str, queryset):
    """Each entry as a list of cells in the import layout's column order."""
    names = LAYOUTS[kind].names
    for entry in with_details(kind, queryset).order_by("name", "pk"):
        values = _ROWS[kind](entry)
        yield [values[name] for name in names]


def _csv_cell(value) -> str:
    text = cell_text(value)
    # A text a spreadsheet program would run as a formula gets an apostrophe, which the importer
    # takes off again.
    if isinstance(value, str) and text.startswith(FORMULA_STARTS):
        return f"'{text}"
    return text


def entries_csv(kind: str, queryset) -> str:
    """The entries as CSV in the import layout: importing the file again changes nothing."""
    output = io.StringIO()
    writer = csv.writer(output, lineterminator="\n")
    writer.writerow(LAYOUTS[kind].names)
    for row in _rows(kind, queryset):
        writer.writerow([_csv_cell(value) for value in row])
    return output.getvalue()


def entries_xlsx(kind: str, queryset) -> bytes:
    """The entries as an XLSX workbook in the import layout: numbers and dates as such, lists as
    ``;``-separated codes, texts never as formulas."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    layout = LAYOUTS[kind]
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(layout.plural.capitalize())
    sheet.freeze_panes = "A2"
    bold = Font(bold=True)
    header = []
    for name in layout.names:
        cell = WriteOnlyCell(sheet, value=name)
        cell.font = bold
        header.append(cell)
    sheet.append(header)
    for row in _rows(kind, queryset):
        cells = []
        for value in row:
            if isinstance(value, float | date) and not isinstance(value, bool):
                cell = WriteOnlyCell(sheet, value=value)
                if isinstance(value, date):
                    cell.number_format = "yyyy-mm-dd"
            else:
                cell = WriteOnlyCell(sheet, value=cell_text(value))
                cell.data_type = "s"  # a text starting with "=" stays a text
            cells.append(cell)
        sheet.append(cells)
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


# What to export -----------------------------------------------------------------------------

CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "geojson": "application/geo+json",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}


def parse_export_request(params) -> tuple[str, Filters]:
    """The kind (``type``, one of facility, offering, expert; facility by default) and the search
    filters of an export, or InvalidInputError naming each bad parameter."""
    filters = parse_filters(params)
    if len(filters.kinds) > 1:
        raise InvalidInputError({"type": "Export one type at a time: facility, offering or expert"})
    kind = filters.kinds[0] if filters.kinds else "facility"
    return kind, replace(filters, kinds=(kind,))


def export_filename(subject: str, extension: str) -> str:
    """A dated name: mercuryhub-facilities-2026-11-22.csv."""
    return f"mercuryhub-{subject}-{timezone.localdate().isoformat()}.{extension}"


def export_file(kind: str, file_format: str, user, filters: Filters) -> tuple[bytes, str]:
    """The visible entries passing the filters as a file, and its download name."""
    entries = filtered(kind, user, filters)
    if file_format == "csv":
        # With a byte order mark, spreadsheet programs open the file as UTF-8 ("Almadén", not
        # "AlmadÃ©n"); the importer reads it either way.
        content = entries_csv(kind, entries).encode("utf-8-sig")
    elif file_format == "xlsx":
        content = entries_xlsx(kind, entries)
    elif kind == "facility":
        geojson = facilities_geojson(with_details(kind, entries).order_by("name", "pk"))
        content = json.dumps(geojson, ensure_ascii=False).encode()
    else:
        raise InvalidInputError({"type": "GeoJSON holds facilities only: use type=facility"})
    return content, export_filename(LAYOUTS[kind].plural, file_format)
