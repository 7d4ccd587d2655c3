"""The catalogue as data files: entries in the import layout as CSV or XLSX (importing the file
again changes nothing), facilities as GeoJSON, filtered like the catalogue search."""

import csv
import io
from collections.abc import Iterator
from dataclasses import replace
from datetime import date
from itertools import chain

from django.utils import timezone

from mercuryhub.catalogue.models import Facility
from mercuryhub.catalogue.queries import Filters, filtered, parse_filters, with_codes
from mercuryhub.catalogue.spreadsheets.layouts import LAYOUTS, cell_text
from mercuryhub.lib.errors import InvalidInputError
from mercuryhub.lib.streams import batched, geojson_chunks, spreadsheet_safe
from mercuryhub.review import registry
from mercuryhub.taxonomy.models import Term


def facility_feature(facility: Facility, wastes: list) -> dict:
    """One facility as a GeoJSON Feature (RFC 7946: longitude first); ``wastes`` are the terms
    it accepts."""
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
            "name": facility.local_name,
            "operator": facility.operator.name,
            "country": facility.country_id,
            "country_name": facility.country.name,
            "city": facility.city,
            "status": facility.status,
            "coordinates_precision": facility.coordinates_precision,
            "accepted_wastes": [term.code for term in wastes],
            "accepted_waste_labels": [term.localized_label for term in wastes],
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


# Entries read and written out this many at a time: the memory of a worker stays bounded
# whatever the size of the catalogue.
EXPORT_CHUNK = 2000
CSV_ROWS_PER_CHUNK = 500


def facility_features(facilities) -> Iterator[dict]:
    """The facilities of the queryset that have coordinates, by name, each as a GeoJSON Feature.
    The wastes each accepts are read per chunk from the links, and each term once: no model
    instance per link, which would cost more than the rest of the export."""
    placed = (
        facilities.filter(latitude__isnull=False, longitude__isnull=False)
        .select_related("operator", "country")
        .order_by("name", "pk")
    )
    links = Facility.accepted_wastes.through.objects
    terms: dict[int, object] = {}
    for chunk in batched(placed.iterator(chunk_size=EXPORT_CHUNK), EXPORT_CHUNK):
        accepted: dict[int, list[int]] = {}
        for facility_id, term_id in links.filter(
            facility_id__in=[facility.pk for facility in chunk]
        ).values_list("facility_id", "term_id"):
            accepted.setdefault(facility_id, []).append(term_id)
        unknown = {pk for ids in accepted.values() for pk in ids} - terms.keys()
        terms.update(Term.objects.in_bulk(unknown))
        for facility in chunk:
            wastes = sorted((terms[pk] for pk in accepted.get(facility.pk, ())), key=_term_order)
            yield facility_feature(facility, wastes)


def facilities_geojson(facilities) -> dict:
    """A FeatureCollection of the facilities of the queryset that have coordinates, by name
    (``facility_features``), in memory: for a map's few."""
    return {"type": "FeatureCollection", "features": list(facility_features(facilities))}


def _term_order(term) -> tuple:
    return (term.vocabulary_id, term.position, term.code)


# Spreadsheets, in the import layout ---------------------------------------------------------


def _row(kind: str, entry) -> dict:
    """An entry in the import layout's columns: its kind's one serialization, with the
    organization by name as partners write it, the dates the catalogue publishes, and the
    expert's private address left out (an import keeps the address of an expert it knows)."""
    entry_kind = registry.get(kind)
    data = entry_kind.serialize(entry)
    values = {
        column.name: data[column.input_key]
        for column in LAYOUTS[kind].columns
        if column.input_key in data
    }
    organization = entry_kind.organization_of(entry)
    values[entry_kind.organization_field] = organization.name if organization else ""
    values.update(
        source_checked_on=getattr(entry, "source_checked_on", None),
        last_confirmed=entry.last_confirmed_at,
    )
    if kind == "offering":
        values["provider_country"] = entry.provider.country_id
    if kind == "expert":
        values["email"] = ""
    return values


def _rows(kind: str, queryset):
    """Each entry as a list of cells in the import layout's column order."""
    names = LAYOUTS[kind].names
    entries = with_codes(kind, queryset).order_by("name", "pk")
    for entry in entries.iterator(chunk_size=EXPORT_CHUNK):
        values = _row(kind, entry)
        yield [values.get(name, "") for name in names]


def _csv_cell(value) -> str:
    # A text a spreadsheet program would run as a formula gets an apostrophe (lib.streams),
    # which the importer takes off again.
    text = cell_text(value)
    return spreadsheet_safe(text) if isinstance(value, str) else text


def entries_csv_chunks(kind: str, queryset) -> Iterator[str]:
    """The entries as CSV in the import layout (importing the file again changes nothing), a
    few hundred rows at a time: an export of the whole catalogue is never held in memory."""
    output = io.StringIO()
    writer = csv.writer(output, lineterminator="\n")
    writer.writerow(LAYOUTS[kind].names)
    for rows in batched(_rows(kind, queryset), CSV_ROWS_PER_CHUNK):
        for row in rows:
            writer.writerow([_csv_cell(value) for value in row])
        yield output.getvalue()
        output.seek(0)
        output.truncate()
    if output.tell():  # the header of an export without entries
        yield output.getvalue()


def entries_csv(kind: str, queryset) -> str:
    """The entries as CSV in the import layout, in one text (``entries_csv_chunks``)."""
    return "".join(entries_csv_chunks(kind, queryset))


XLSX_MAX_WIDTH = 60  # characters: a long description wraps the sheet no wider than a screen


def _column_widths(rows: list[list]) -> list[int]:
    """Each column as wide as its longest cell (header included), within XLSX_MAX_WIDTH."""
    widths = [len(name) for name in rows[0]]
    for row in rows[1:]:
        for index, value in enumerate(row):
            widths[index] = max(widths[index], len(cell_text(value)))
    return [min(width + 2, XLSX_MAX_WIDTH) for width in widths]


def entries_xlsx(kind: str, queryset) -> bytes:
    """The entries as an XLSX workbook in the import layout: numbers and dates as such, lists as
    ``;``-separated codes, texts never as formulas; columns fitted to their content, the header
    row frozen and filterable, and the workbook titled."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    layout = LAYOUTS[kind]
    rows = [list(layout.names), *_rows(kind, queryset)]
    workbook = Workbook(write_only=True)
    workbook.properties.title = f"MercuryHub catalogue: {layout.plural}"
    workbook.properties.creator = "MercuryHub"
    sheet = workbook.create_sheet(layout.plural.capitalize())
    sheet.freeze_panes = "A2"
    for index, width in enumerate(_column_widths(rows), start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(layout.names))}{len(rows)}"
    bold = Font(bold=True)
    header = []
    for name in rows[0]:
        cell = WriteOnlyCell(sheet, value=name)
        cell.font = bold
        header.append(cell)
    sheet.append(header)
    for row in rows[1:]:
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
    if kind not in LAYOUTS:
        raise InvalidInputError(
            {"type": f"No export of {kind!r}; export one of {', '.join(LAYOUTS)}"}
        )
    return kind, replace(filters, kinds=(kind,))


def export_filename(subject: str, extension: str) -> str:
    """A dated name: mercuryhub-facilities-2026-11-22.csv."""
    return f"mercuryhub-{subject}-{timezone.localdate().isoformat()}.{extension}"


def export_file(kind: str, file_format: str, user, filters: Filters) -> tuple[Iterator[bytes], str]:
    """The visible entries passing the filters as a file, and its download name. The file comes
    as its bytes in pieces, made as the entries are read (CSV and GeoJSON; an XLSX workbook in
    one piece), so that a worker exporting the whole catalogue holds a few thousand entries at
    a time, not the file. A request the export cannot answer raises InvalidInputError at once,
    before any byte."""
    entries = filtered(kind, user, filters)
    if file_format == "csv":
        # With a byte order mark, spreadsheet programs open the file as UTF-8 ("Almadén", not
        # "AlmadÃ©n"); the importer reads it either way.
        texts = chain(["\ufeff"], entries_csv_chunks(kind, entries))
        content = (text.encode("utf-8") for text in texts)
    elif file_format == "xlsx":
        content = _later(entries_xlsx, kind, entries)
    elif kind == "facility":
        content = (text.encode("utf-8") for text in geojson_chunks(facility_features(entries)))
    else:
        raise InvalidInputError({"type": "GeoJSON holds facilities only: use type=facility"})
    return content, export_filename(LAYOUTS[kind].plural, file_format)


def _later(function, *arguments) -> Iterator[bytes]:
    yield function(*arguments)
