"""Files written as their rows are read, for exports of any size: CSV a line at a time and
GeoJSON a Feature at a time (``lib.xlsx`` writes workbooks the same way). A text a spreadsheet
program would run as a formula is written with an apostrophe before it."""

import csv
import json
import re
from collections.abc import Iterable, Iterator
from itertools import islice

from django.core.serializers.json import DjangoJSONEncoder
from django.http import StreamingHttpResponse
from django.utils import translation

# Characters that make a spreadsheet program read a text cell as a formula. CSV exports put an
# apostrophe before them and the catalogue's import takes it off again.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_NEGATIVE_NUMBER = re.compile(r"-(\d+(\.\d*)?|\.\d+)")


def spreadsheet_safe(value):
    """The value, a text that would run as a formula with an apostrophe before it (a negative
    number written as text, "-3.06", stays as it is)."""
    if (
        isinstance(value, str)
        and value.startswith(FORMULA_STARTS)
        and not _NEGATIVE_NUMBER.fullmatch(value)
    ):
        return f"'{value}"
    return value


class _Echo:
    def write(self, value):
        return value


def csv_lines(header: list, rows: Iterable[list]) -> Iterator[str]:
    """A CSV file a line at a time, with a byte-order mark for spreadsheet programs; no cell,
    the header's included (a form's labels name columns), runs as a formula."""
    writer = csv.writer(_Echo())
    yield "\ufeff" + writer.writerow([spreadsheet_safe(name) for name in header])
    for row in rows:
        yield writer.writerow([spreadsheet_safe(value) for value in row])


def geojson_chunks(features: Iterable[dict]) -> Iterator[str]:
    """A FeatureCollection (RFC 7946) a Feature at a time."""
    yield '{"type": "FeatureCollection", "features": ['
    first = True
    for feature in features:
        text = json.dumps(feature, ensure_ascii=False, cls=DjangoJSONEncoder)
        yield ("" if first else ",\n") + text
        first = False
    yield "]}\n"


def in_this_language(pieces: Iterable) -> Iterator:
    """The pieces, made as they are read in the interface language active now: a streamed
    response is read after its view has returned, once the request's language is no longer
    active."""
    language = translation.get_language()

    def made():
        with translation.override(language):
            yield from pieces

    return made()


def streamed_download(
    pieces: Iterable, content_type: str, filename: str | None = None
) -> StreamingHttpResponse:
    """A response sending ``pieces`` (texts, as UTF-8, or bytes) as they are made, in the
    request's language; a download named ``filename`` when given. Every export of a size that
    grows with the data goes through it: a worker holds a piece at a time, not the file."""
    response = StreamingHttpResponse(
        (
            piece if isinstance(piece, bytes) else piece.encode()
            for piece in in_this_language(pieces)
        ),
        content_type=content_type,
    )
    if filename:
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def batched(items: Iterable, size: int) -> Iterator[list]:
    """The items in lists of ``size`` (the last one shorter): itertools.batched of Python 3.12."""
    iterator = iter(items)
    while batch := list(islice(iterator, size)):
        yield batch
