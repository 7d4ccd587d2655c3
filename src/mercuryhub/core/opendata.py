"""The open-data dump: everything the public may see, in one zip archive.

For each registered kind of entry, its published entries (the kind's ``visible_to(None)``, the
set the search index holds) in the kind's one serialization, without its private fields: as JSON,
as CSV (lists joined with "; ", formulas neutralized) and, for kinds with a place, as GeoJSON. With
them the vocabularies' terms, the countries and the languages the codes refer to, a data
dictionary (each file, each column: meaning, type, vocabulary), a README and the licence; and the
public reference tables: where each country stands with its ASGM National Action Plan.

The archive is made on demand and kept in the data directory under the key of the data's last
change, so every worker serves the same file until something changes.
"""

import hashlib
import json
import zipfile
from pathlib import Path

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Count, Max
from django.utils import timezone, translation

from mercuryhub.lib.streams import csv_lines, geojson_chunks
from mercuryhub.nap.models import PlanStatus
from mercuryhub.review import registry
from mercuryhub.taxonomy.models import Country, Language, Term

FILENAME = "mercuryhub-open-data.zip"
_KIND_TYPES = {
    "text": "text",
    "boolean": "boolean (true/false)",
    "choice": "code",
    "countries": "ISO 3166-1 alpha-3 code(s)",
    "languages": "ISO 639-1 code(s)",
    "organization": "organization identifier (as in its address on the platform)",
    "mapping": "JSON object",
    "rows": "JSON list of rows",
}
_REFERENCE = {
    "terms": (
        ("vocabulary", "The vocabulary the term belongs to", "code"),
        ("code", "The term's code, as entries give it", "code"),
        ("label", "The term's name in English", "text"),
        ("parent", "The code of the broader term, if any", "code"),
        ("translations", "The term's name in the other languages", "JSON object"),
    ),
    "countries": (
        ("iso3", "ISO 3166-1 alpha-3 code, as entries give it", "code"),
        ("iso2", "ISO 3166-1 alpha-2 code", "code"),
        ("name", "Name in English", "text"),
        ("region", "UN M49 region", "text"),
        ("subregion", "UN M49 subregion", "text"),
    ),
    "languages": (
        ("code", "ISO 639-1 code, as entries give it", "code"),
        ("name", "Name in English", "text"),
    ),
    "nap-statuses": (
        ("country", "ISO 3166-1 alpha-3 code of the country", "code"),
        ("status", "Where its ASGM National Action Plan stands", "code"),
        ("submitted_on", "When the plan was submitted to the Minamata Convention", "date"),
        ("language", "The plan's language (ISO 639-1), where known", "code"),
        ("notes", "Notes of the source", "text"),
        ("source", "Where the status was read", "text"),
    ),
}
_REFERENCE_VOCABULARIES = {
    ("nap-statuses", "country"): "countries.csv",
    ("nap-statuses", "status"): ", ".join(PlanStatus.Status.values),
    ("nap-statuses", "language"): "languages.csv",
}


def last_change() -> str:
    """A key that changes whenever anything the dump holds may have changed."""
    parts = []
    for kind in registry.kinds():
        stats = kind.model._base_manager.aggregate(count=Count("pk"), last=Max("updated_at"))
        parts.append(f"{kind.name}:{stats['count']}:{stats['last']}")
    parts.append(f"terms:{Term.objects.count()}:{Term.objects.aggregate(m=Max('pk'))['m']}")
    statuses = PlanStatus.objects.values_list(
        *(column[0] for column in _REFERENCE["nap-statuses"])
    ).order_by("pk")
    parts.append(f"nap-statuses:{list(statuses)}")
    return hashlib.sha256("|".join(parts).encode()).hexdigest()[:16]


def open_data_archive() -> Path:
    """The archive for the data as it is now: the one kept, or a new one made and kept."""
    folder = Path(settings.DATA_DIR) / "open-data"
    path = folder / f"{last_change()}.zip"
    if path.exists():
        return path
    folder.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(f".{timezone.now().timestamp()}.partial")
    try:
        write_open_data(partial)
        partial.replace(path)  # atomic: another worker's identical archive may win
    finally:
        partial.unlink(missing_ok=True)
    for old in folder.glob("*.zip"):
        if old != path:
            old.unlink(missing_ok=True)
    return path


def write_open_data(path: Path, *, progress=None) -> dict[str, int]:
    """Write the archive at ``path``; ``progress(name, rows)`` after each file. Returns the rows
    per file."""
    counts, dictionary = {}, []
    with translation.override("en"), zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for kind in registry.kinds():
            columns, rows = _entries(kind)
            for name in ("json", "csv"):
                dictionary += [(f"{kind.name}.{name}", *column) for column in columns]
            archive.writestr(f"{kind.name}.json", _json(rows))
            archive.writestr(f"{kind.name}.csv", _csv([c[0] for c in columns], rows))
            if {"latitude", "longitude"} <= {c[0] for c in columns}:
                archive.writestr(f"{kind.name}.geojson", _geojson(rows))
                dictionary.append((f"{kind.name}.geojson", "properties", "As in the CSV", "", ""))
            counts[kind.name] = len(rows)
            if progress:
                progress(kind.name, len(rows))
        for name, rows in _reference_rows().items():
            header = [column[0] for column in _REFERENCE[name]]
            archive.writestr(f"{name}.csv", _csv(header, rows))
            archive.writestr(f"{name}.json", _json(rows))
            for ext in ("csv", "json"):
                dictionary += [
                    (f"{name}.{ext}", c, m, t, _REFERENCE_VOCABULARIES.get((name, c), ""))
                    for c, m, t in _REFERENCE[name]
                ]
            counts[name] = len(rows)
            if progress:
                progress(name, len(rows))
        header = ["file", "column", "meaning", "type", "vocabulary"]
        archive.writestr(
            "data-dictionary.csv",
            _csv(header, [dict(zip(header, d, strict=True)) for d in dictionary]),
        )
        archive.writestr("README.txt", _readme(counts))
    return counts


def _entries(kind) -> tuple[list[tuple], list[dict]]:
    """The kind's columns (name, meaning, type, vocabulary) and its public entries as rows."""
    fields = [f for f in kind.reading_fields() if f.name not in kind.private_fields]
    columns = [("id", "The entry's number on the platform", "integer", "")]
    for field in fields:
        shows = field.shows
        vocabulary = ""
        if shows.startswith("terms:"):
            vocabulary = f"terms.csv, vocabulary {shows.partition(':')[2]}"
            shows_as = "code(s)"
        elif shows == "choice":
            vocabulary = ", ".join(str(code) for code, _label in field.choices)
            shows_as = _KIND_TYPES[shows]
        else:
            vocabulary = {"countries": "countries.csv", "languages": "languages.csv"}.get(shows, "")
            shows_as = _KIND_TYPES.get(shows, "text")
        columns.append((field.name, str(field.label), shows_as, vocabulary))
    columns += [
        ("url", "The entry's public page on the platform", "URL path", ""),
        ("validated_at", "When the published content was validated", "date and time (UTC)", ""),
    ]
    entries = (
        kind.visible_to(None)
        .select_related(*kind.select_related)
        .prefetch_related(*kind.prefetch_related)
        .order_by("pk")
    )
    rows = []
    for entry in entries.iterator(chunk_size=500):
        data = kind.serialize(entry)
        row = {"id": entry.pk}
        row.update({field.name: data.get(field.name) for field in fields})
        row.update(url=kind.detail_url(entry), validated_at=entry.validated_at)
        rows.append(row)
    return [_typed(column, rows) for column in columns], rows


def _typed(column: tuple, rows: list[dict]) -> tuple:
    """A text column whose every value is a number is described as a number."""
    name, meaning, shows_as, vocabulary = column
    values = [row[name] for row in rows if row.get(name) not in (None, "")]
    if (
        shows_as == "text"
        and values
        and all(isinstance(v, int | float) and not isinstance(v, bool) for v in values)
    ):
        shows_as = "number"
    return name, meaning, shows_as, vocabulary


def _reference_rows() -> dict[str, list[dict]]:
    return {
        "terms": [
            {
                "vocabulary": term.vocabulary.name,
                "code": term.code,
                "label": term.label,
                "parent": term.parent.code if term.parent else "",
                "translations": term.translations,
            }
            for term in Term.objects.select_related("vocabulary", "parent").order_by(
                "vocabulary__position", "position", "code"
            )
        ],
        "countries": list(
            Country.objects.order_by("iso3").values("iso3", "iso2", "name", "region", "subregion")
        ),
        "languages": list(Language.objects.order_by("code").values("code", "name")),
        "nap-statuses": list(
            PlanStatus.objects.order_by("country").values(
                *(column[0] for column in _REFERENCE["nap-statuses"])
            )
        ),
    }


def _cell(value):
    if isinstance(value, list) and all(not isinstance(v, dict | list) for v in value):
        return "; ".join(str(v) for v in value)
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False, cls=DjangoJSONEncoder)
    if isinstance(value, bool):
        return "true" if value else "false"
    return "" if value is None else value


def _csv(header: list[str], rows: list[dict]) -> str:
    return "".join(csv_lines(header, ([_cell(row.get(c)) for c in header] for row in rows)))


def _json(rows: list[dict]) -> str:
    return json.dumps(rows, ensure_ascii=False, indent=1, cls=DjangoJSONEncoder)


def _geojson(rows: list[dict]) -> str:
    features = (
        {
            "type": "Feature",
            "id": row["id"],
            "geometry": {"type": "Point", "coordinates": [row["longitude"], row["latitude"]]},
            "properties": row,
        }
        for row in rows
        if row.get("latitude") is not None and row.get("longitude") is not None
    )
    return "".join(geojson_chunks(features))


def _readme(counts: dict[str, int]) -> str:
    lines = [
        "MercuryHub open data",
        "",
        f"Made on {timezone.now():%Y-%m-%d %H:%M} UTC from {settings.SITE_URL}.",
        "Everything the public may see on the platform: its published entries of every kind, and",
        "the vocabularies, countries and languages their codes refer to; and where each country",
        "stands with its ASGM National Action Plan (nap-statuses). Nothing unpublished and",
        "no private detail (no draft, no withdrawn entry, no personal e-mail address).",
        "",
        "Each kind of entry comes as <kind>.json and <kind>.csv (lists joined with '; ', a cell",
        "that a spreadsheet would run as a formula starts with an apostrophe), and kinds with a",
        "place also as <kind>.geojson. data-dictionary.csv describes every column of every file.",
        "",
        f"Licence: {settings.OPEN_DATA_LICENCE}",
        "",
        "Files and rows:",
    ]
    lines += [f"  {name}: {count}" for name, count in counts.items()]
    return "\n".join(lines) + "\n"
