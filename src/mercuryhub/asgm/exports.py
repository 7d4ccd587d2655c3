"""A country's mining sites as files, with the national overview's filters: CSV, XLSX and
GeoJSON, written as the sites are read (a hundred thousand sites never sit in memory). Every
row and Feature is the site's one serialization (``serialization.site_data``), coordinates as
the person may see them."""

from collections.abc import Iterator

from mercuryhub.asgm.serialization import COLUMNS, site_data, site_row
from mercuryhub.lib import streams, xlsx

CHUNK = 2_000

CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": xlsx.CONTENT_TYPE,
    "geojson": "application/geo+json",
}


def _data(sites, exact_projects: set[int]) -> Iterator[dict]:
    for site in sites.iterator(chunk_size=CHUNK):
        yield site_data(site, exact_projects)


def csv_lines(sites, exact_projects: set[int]) -> Iterator[str]:
    """The sites as CSV, a line at a time (``lib.streams``)."""
    rows = (site_row(data) for data in _data(sites, exact_projects))
    return streams.csv_lines(list(COLUMNS), rows)


def xlsx_chunks(sites, exact_projects: set[int], *, title: str) -> Iterator[bytes]:
    """The sites as a workbook of one sheet (``lib.xlsx``): numbers as numbers."""
    rows = (site_row(data) for data in _data(sites, exact_projects))
    return xlsx.stream_xlsx([("Sites", list(COLUMNS), rows)], title=title)


def geojson_chunks(sites, exact_projects: set[int]) -> Iterator[str]:
    """A FeatureCollection (RFC 7946): a Feature per site with coordinates, [longitude,
    latitude] as the person may see them, its properties the site's data."""
    sites = sites.exclude(latitude=None).exclude(longitude=None)
    return streams.geojson_chunks(
        {
            "type": "Feature",
            "id": data["id"],
            "geometry": {"type": "Point", "coordinates": [data["longitude"], data["latitude"]]},
            "properties": data,
        }
        for data in _data(sites, exact_projects)
    )
