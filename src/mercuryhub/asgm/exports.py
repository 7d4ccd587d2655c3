"""A country's mining sites as files, with the national overview's filters: CSV, XLSX and
GeoJSON, written as the sites are read (a hundred thousand sites never sit in memory). Every
row and Feature is the site's one serialization (``serialization.site_data``), coordinates as
the person may see them."""

import csv
import json
from collections.abc import Iterator

from django.core.serializers.json import DjangoJSONEncoder

from mercuryhub.asgm.serialization import COLUMNS, site_data, site_row
from mercuryhub.lib import xlsx

CHUNK = 2_000
# A text a spreadsheet program would run as a formula starts with one of these.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": xlsx.CONTENT_TYPE,
    "geojson": "application/geo+json",
}


def _data(sites, exact_projects: set[int]) -> Iterator[dict]:
    for site in sites.iterator(chunk_size=CHUNK):
        yield site_data(site, exact_projects)


class _Echo:
    def write(self, value):
        return value


def _csv_cell(value):
    """A text that would run as a formula gets an apostrophe; numbers stay as they are."""
    if isinstance(value, str) and value.startswith(_FORMULA_STARTS):
        return f"'{value}"
    return value


def csv_lines(sites, exact_projects: set[int]) -> Iterator[str]:
    """The sites as CSV, a line at a time (with a byte-order mark, for spreadsheet programs)."""
    writer = csv.writer(_Echo())
    yield "\ufeff" + writer.writerow(COLUMNS)
    for data in _data(sites, exact_projects):
        yield writer.writerow([_csv_cell(value) for value in site_row(data)])


def xlsx_chunks(sites, exact_projects: set[int], *, title: str) -> Iterator[bytes]:
    """The sites as a workbook of one sheet (``lib.xlsx``): numbers as numbers."""
    rows = (site_row(data) for data in _data(sites, exact_projects))
    return xlsx.stream_xlsx([("Sites", list(COLUMNS), rows)], title=title)


def geojson_chunks(sites, exact_projects: set[int]) -> Iterator[str]:
    """A FeatureCollection (RFC 7946): a Feature per site with coordinates, [longitude,
    latitude] as the person may see them, its properties the site's data."""
    yield '{"type": "FeatureCollection", "features": ['
    first = True
    for data in _data(sites.exclude(latitude=None).exclude(longitude=None), exact_projects):
        feature = {
            "type": "Feature",
            "id": data["id"],
            "geometry": {"type": "Point", "coordinates": [data["longitude"], data["latitude"]]},
            "properties": data,
        }
        text = json.dumps(feature, ensure_ascii=False, cls=DjangoJSONEncoder)
        yield ("" if first else ",\n") + text
        first = False
    yield "]}\n"
