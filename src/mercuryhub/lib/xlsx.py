"""An XLSX workbook written as a stream: its bytes come while its rows are read, so that a
download of a hundred thousand rows starts at once and never holds the rows in memory.

A workbook is a zip of XML parts; the zip is written to an unseekable stream (sizes in data
descriptors, Zip64 for large sheets) and each sheet's XML a row at a time. Texts are inline
strings (never formulas), numbers are numbers; the header row is bold, frozen and filterable.
Spreadsheet programs (Excel, LibreOffice) and openpyxl read the result.

    response = StreamingHttpResponse(stream_xlsx([("Sheet", headers, rows)]), ...)

Reading is bounded: every uploaded workbook is opened with ``open_workbook`` and its rows read
with ``sheet_rows``, which refuse (``WorkbookTooLargeError``) a workbook whose parts would expand
beyond ``XLSX_MAX_EXPANDED_MB``, a sheet of more than ``XLSX_MAX_ROWS`` rows, and reading that
takes longer than ``XLSX_MAX_READ_SECONDS``: a small disguised file (a zip bomb) is refused in
a moment instead of keeping a worker busy for minutes.
"""

import io
import re
import time
import zipfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import date, datetime
from decimal import Decimal
from xml.sax.saxutils import escape, quoteattr

CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MAX_TEXT = 32_767  # what a cell holds in Excel
MAX_SHEET_NAME = 31
_SHEET_NAME = re.compile(r"[\[\]:*?/\\]")
# Characters XML 1.0 cannot carry (control characters other than tab, newline, return).
_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_ROWS_PER_WRITE = 200
_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
_DECLARATION = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'

Sheet = tuple[str, list[str], Iterable[list]]  # name, header row, rows


# Reading ------------------------------------------------------------------------------------


class WorkbookTooLargeError(ValueError):
    """A workbook beyond the limits of reading; the message says which, for the uploader."""


def check_expanded_size(content: bytes) -> None:
    """WorkbookTooLargeError when the zip's parts would expand beyond ``XLSX_MAX_EXPANDED_MB``: the
    sizes its directory declares, which the zip reader never reads beyond. Not a zip: nothing
    to say here (the reader says it is not a workbook)."""
    from django.conf import settings
    from django.utils.translation import gettext as _

    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            expanded = sum(member.file_size for member in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError):
        return
    limit = settings.XLSX_MAX_EXPANDED_MB
    if expanded > limit * 1_000_000:
        raise WorkbookTooLargeError(
            _(
                "This workbook would expand to %(size)s MB when opened, more than the %(limit)s "
                "MB allowed: split it into smaller files."
            )
            % {"size": f"{expanded / 1_000_000:,.0f}", "limit": limit}
        )


@contextmanager
def open_workbook(content: bytes):
    """The uploaded workbook, read-only with the values of formulas, once its expanded size is
    checked (WorkbookTooLargeError); openpyxl's own errors when it is not a workbook."""
    import openpyxl  # imported here: loading it takes a while and only workbooks need it

    check_expanded_size(content)
    workbook = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    try:
        yield workbook
    finally:
        workbook.close()


def sheet_rows(sheet, *, started: float | None = None) -> Iterator[tuple]:
    """The rows of a sheet as tuples of values; WorkbookTooLargeError past ``XLSX_MAX_ROWS`` rows or
    ``XLSX_MAX_READ_SECONDS`` of reading (counted from ``started``, a ``time.monotonic()``,
    to bound the reading of several sheets together)."""
    from django.conf import settings
    from django.utils.translation import gettext as _

    most, seconds = settings.XLSX_MAX_ROWS, settings.XLSX_MAX_READ_SECONDS
    deadline = (started if started is not None else time.monotonic()) + seconds
    for number, row in enumerate(sheet.iter_rows(values_only=True), start=1):
        if number > most:
            raise WorkbookTooLargeError(
                _("The sheet “%(sheet)s” has more than %(most)s rows: split it into smaller files.")
                % {"sheet": sheet.title, "most": f"{most:,}"}
            )
        if number % 500 == 0 and time.monotonic() > deadline:
            raise WorkbookTooLargeError(
                _(
                    "Reading this workbook took more than %(seconds)s seconds, at row %(row)s "
                    "of the sheet “%(sheet)s”: split it into smaller files."
                )
                % {"seconds": seconds, "row": f"{number:,}", "sheet": sheet.title}
            )
        yield row


def sheet_name(name: str, taken: set) -> str:
    """A valid, unique (case-insensitive) sheet name for ``name``; remembered in ``taken``."""
    base = _SHEET_NAME.sub("_", name)[:MAX_SHEET_NAME] or "Sheet"
    candidate, number = base, 1
    while candidate.lower() in taken:
        number += 1
        candidate = f"{base[: MAX_SHEET_NAME - len(str(number)) - 1]}_{number}"
    taken.add(candidate.lower())
    return candidate


def column_letter(index: int) -> str:
    """The letters of the 0-based column ``index``: 0 → A, 26 → AA."""
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


class _Sink:
    """An unseekable file for zipfile, handing back what was written since the last call."""

    def __init__(self):
        self._parts: list[bytes] = []

    def write(self, data) -> int:
        self._parts.append(bytes(data))
        return len(data)

    def flush(self) -> None:
        pass

    def take(self) -> bytes:
        data = b"".join(self._parts)
        self._parts.clear()
        return data


def _cell(reference: str, value) -> str:
    """A cell: ``reference`` is its address with its style attribute, if any."""
    if value is None or value == "":
        return ""
    if isinstance(value, bool):
        return f'<c r="{reference} t="b"><v>{int(value)}</v></c>'
    if isinstance(value, int | float | Decimal):
        return f'<c r="{reference}><v>{value}</v></c>'
    if isinstance(value, datetime | date):
        value = value.isoformat()
    text = escape(_ILLEGAL.sub("", str(value))[:MAX_TEXT])
    return f'<c r="{reference} t="inlineStr"><is><t xml:space="preserve">{text}</t></is></c>'


def _row(number: int, letters: list[str], values, style: str = "") -> str:
    cells = "".join(
        _cell(f'{letters[index]}{number}"{style}', value) for index, value in enumerate(values)
    )
    return f'<row r="{number}">{cells}</row>'


def _sheet_parts(headers: list[str], rows: Iterable[list], extent: list) -> Iterator[str]:
    """The sheet's XML in pieces; its filtered range (``A1:X9``) is put in ``extent``."""
    width = max(len(headers), 1)
    letters = [column_letter(index) for index in range(width)]
    last = letters[-1]
    yield (
        f'{_DECLARATION}<worksheet xmlns="{_MAIN}" xmlns:r="{_REL}">'
        '<sheetViews><sheetView workbookViewId="0">'
        '<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>'
        "</sheetView></sheetViews><sheetData>"
    )
    yield _row(1, letters, headers, style=' s="1"')
    number, batch = 1, []
    for values in rows:
        number += 1
        if len(values) > len(letters):
            letters += [column_letter(index) for index in range(len(letters), len(values))]
        batch.append(_row(number, letters, values))
        if len(batch) >= _ROWS_PER_WRITE:
            yield "".join(batch)
            batch = []
    yield "".join(batch)
    extent.append(f"$A$1:${last}${number}")
    yield f'</sheetData><autoFilter ref="A1:{last}{number}"/></worksheet>'


def _workbook(names: list[str], extents: list[str]) -> str:
    """The workbook part, written last: it names each sheet's filtered range."""
    sheets = "".join(
        f'<sheet name={quoteattr(name)} sheetId="{number}" r:id="rId{number}"/>'
        for number, name in enumerate(names, start=1)
    )
    filters = "".join(
        f'<definedName name="_xlnm._FilterDatabase" localSheetId="{index}" hidden="1">'
        + escape("'" + name.replace("'", "''") + "'!" + extent)
        + "</definedName>"
        for index, (name, extent) in enumerate(zip(names, extents, strict=True))
    )
    return (
        f'{_DECLARATION}<workbook xmlns="{_MAIN}" xmlns:r="{_REL}">'
        f"<sheets>{sheets}</sheets><definedNames>{filters}</definedNames></workbook>"
    )


def _package_parts(names: list[str], title: str) -> dict[str, str]:
    overrides = "".join(
        f'<Override PartName="/xl/worksheets/sheet{number}.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
        for number in range(1, len(names) + 1)
    )
    sheet_rels = "".join(
        f'<Relationship Id="rId{number}" Type="{_REL}/worksheet" '
        f'Target="worksheets/sheet{number}.xml"/>'
        for number in range(1, len(names) + 1)
    )
    styles_id = len(names) + 1
    return {
        "[Content_Types].xml": (
            f"{_DECLARATION}<Types "
            'xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" '
            'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            '<Override PartName="/xl/styles.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
            '<Override PartName="/docProps/core.xml" '
            'ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>'
            f"{overrides}</Types>"
        ),
        "_rels/.rels": (
            f'{_DECLARATION}<Relationships xmlns="{_PKG_REL}">'
            f'<Relationship Id="rId1" Type="{_REL}/officeDocument" Target="xl/workbook.xml"/>'
            '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/'
            'relationships/metadata/core-properties" Target="docProps/core.xml"/>'
            "</Relationships>"
        ),
        "docProps/core.xml": (
            f'{_DECLARATION}<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/'
            'package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/">'
            f"<dc:title>{escape(title)}</dc:title><dc:creator>MercuryHub</dc:creator>"
            "</cp:coreProperties>"
        ),
        "xl/_rels/workbook.xml.rels": (
            f'{_DECLARATION}<Relationships xmlns="{_PKG_REL}">{sheet_rels}'
            f'<Relationship Id="rId{styles_id}" Type="{_REL}/styles" Target="styles.xml"/>'
            "</Relationships>"
        ),
        "xl/styles.xml": (
            f'{_DECLARATION}<styleSheet xmlns="{_MAIN}">'
            '<fonts count="2"><font><sz val="11"/><name val="Calibri"/></font>'
            '<font><b/><sz val="11"/><name val="Calibri"/></font></fonts>'
            '<fills count="2"><fill><patternFill patternType="none"/></fill>'
            '<fill><patternFill patternType="gray125"/></fill></fills>'
            '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border>'
            "</borders>"
            '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/>'
            "</cellStyleXfs>"
            '<cellXfs count="2"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
            '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/>'
            "</cellXfs>"
            '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
            "</styleSheet>"
        ),
    }


def stream_xlsx(sheets: list[Sheet], *, title: str = "") -> Iterator[bytes]:
    """The bytes of a workbook with ``sheets`` (name, header row, rows), in that order; each
    sheet's rows are read only when its turn comes. Names must be valid (``sheet_name``)."""
    names = [name for name, _headers, _rows in sheets]
    extents: list[str] = []
    sink = _Sink()
    with zipfile.ZipFile(sink, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as book:
        for path, text in _package_parts(names, title).items():
            book.writestr(path, text)
        yield sink.take()
        for number, (_name, headers, rows) in enumerate(sheets, start=1):
            with book.open(f"xl/worksheets/sheet{number}.xml", "w", force_zip64=True) as part:
                for text in _sheet_parts(headers, rows, extents):
                    part.write(text.encode("utf-8"))
                    data = sink.take()
                    if data:
                        yield data
        book.writestr("xl/workbook.xml", _workbook(names, extents))
    yield sink.take()
