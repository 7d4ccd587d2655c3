"""Parts of the Word (DOCX) documents the platform writes with python-docx: text a document can
hold, Word fields (page numbers, contents), tables, bar charts drawn as PNG images without a
plotting library, and the right-to-left layout of a document in Arabic."""

import struct
import zlib

from docx.enum.table import WD_TABLE_DIRECTION
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn

from mercuryhub.lib.text import without_control_characters

BAR_COLOUR = (31, 119, 180)
TRACK_COLOUR = (235, 238, 242)
RANGE_COLOUR = (20, 20, 20)
BAR_HEIGHT, GAP, WIDTH = 18, 8, 480


def safe_text(text: str) -> str:
    """The text without the control characters a Word document cannot hold, should a stored
    entry have one: one bad entry must not stop a document for everyone."""
    return without_control_characters(text)


def field_char(paragraph, kind: str) -> None:
    element = OxmlElement("w:fldChar")
    element.set(qn("w:fldCharType"), kind)
    paragraph.add_run()._r.append(element)


def field_start(paragraph, instruction: str) -> None:
    """The start of a Word field (PAGE, TOC...): what follows, up to the end mark, is the result
    shown until the field is updated."""
    field_char(paragraph, "begin")
    code = OxmlElement("w:instrText")
    code.set(qn("xml:space"), "preserve")
    code.text = instruction
    paragraph.add_run()._r.append(code)
    field_char(paragraph, "separate")


def page_numbers(document, word: str) -> None:
    """The page number in the footer, centred, after ``word`` ("Page" in the document's
    language)."""
    footer = document.sections[0].footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    footer.add_run(word + " ")
    field_start(footer, "PAGE")
    footer.add_run("1")
    field_char(footer, "end")


def table(document, headers: list[str], rows: list[list]):
    """A grid table: a row of headers (repeated at the top of each page the table runs on),
    then a row per list of values (each shown as text)."""
    grid = document.add_table(rows=1, cols=len(headers))
    grid.style = "Table Grid"
    header = grid.rows[0]._tr.get_or_add_trPr()
    header.append(OxmlElement("w:tblHeader"))
    for cell, text in zip(grid.rows[0].cells, headers, strict=True):
        cell.text = str(text)
    for values in rows:
        for cell, value in zip(grid.add_row().cells, values, strict=True):
            cell.text = str(value)
    return grid


def bar_chart_png(values: list[int]) -> bytes:
    """Horizontal bars, one per value, in order, the longest as wide as the image."""
    height = max(1, len(values)) * (BAR_HEIGHT + GAP) + GAP
    top = max(values, default=0) or 1
    rows = []
    for y in range(height):
        index, offset = divmod(y - GAP, BAR_HEIGHT + GAP)
        length = 0
        in_bar = y >= GAP and offset < BAR_HEIGHT and index < len(values)
        if in_bar:
            length = round(WIDTH * values[index] / top)
        row = bytearray(b"\x00")  # filter type: none
        for x in range(WIDTH):
            colour = BAR_COLOUR if x < length else TRACK_COLOUR if in_bar else (255, 255, 255)
            row.extend(colour)
        rows.append(bytes(row))
    return png(WIDTH, height, b"".join(rows))


def range_bar_png(low: float, typical: float, high: float, top: float, *, mirrored=False) -> bytes:
    """One bar of a chart whose bars share the scale ``top``: the typical value as a bar, and
    the range from low to high as a line with a mark at each end across it. ``mirrored``: the
    bar grows from the right (a right-to-left document)."""
    top = top or 1

    def at(value) -> int:
        return min(WIDTH - 1, round((WIDTH - 1) * float(value) / float(top)))

    start, length, end = at(low), round(WIDTH * float(typical) / float(top)), at(high)
    middle, half_line, half_mark = BAR_HEIGHT // 2, 1, 6
    rows = []
    for y in range(BAR_HEIGHT):
        row = bytearray(b"\x00")
        on_line = abs(y - middle) <= half_line
        on_mark = abs(y - middle) <= half_mark
        pixels = []
        for x in range(WIDTH):
            if (on_line and start <= x <= end) or (on_mark and x in (start, end)):
                pixels.append(RANGE_COLOUR)
            elif x < length:
                pixels.append(BAR_COLOUR)
            else:
                pixels.append(TRACK_COLOUR)
        for colour in reversed(pixels) if mirrored else pixels:
            row.extend(colour)
        rows.append(bytes(row))
    return png(WIDTH, BAR_HEIGHT, b"".join(rows))


def png(width: int, height: int, raw: bytes) -> bytes:
    """A PNG image of RGB rows, each led by its filter byte."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(raw, 9))
        + chunk(b"IEND", b"")
    )


def _set_flag(properties, tag: str, successors: tuple[str, ...]) -> None:
    if properties.find(qn(tag)) is None:
        properties.insert_element_before(OxmlElement(tag), *successors)


# The children of w:pPr that come after w:bidi (ECMA-376 keeps them in order).
_AFTER_BIDI = (
    "w:adjustRightInd",
    "w:snapToGrid",
    "w:spacing",
    "w:ind",
    "w:contextualSpacing",
    "w:mirrorIndents",
    "w:suppressOverlap",
    "w:jc",
    "w:textDirection",
    "w:textAlignment",
    "w:textboxTightWrap",
    "w:outlineLvl",
    "w:divId",
    "w:cnfStyle",
    "w:rPr",
    "w:sectPr",
    "w:pPrChange",
)


def right_to_left(document) -> None:
    """Lay the whole document out from right to left (Arabic): every paragraph style's
    paragraphs and runs, every paragraph already written, and every table's columns. Call it
    once the document is complete."""
    for style in document.styles:
        if style.element.get(qn("w:type")) == "paragraph":
            _set_flag(style.element.get_or_add_pPr(), "w:bidi", _AFTER_BIDI)
    paragraphs = list(document.paragraphs)
    for grid in document.tables:
        grid.table_direction = WD_TABLE_DIRECTION.RTL
        paragraphs += [p for row in grid.rows for cell in row.cells for p in cell.paragraphs]
    for section in document.sections:
        paragraphs += section.footer.paragraphs + section.header.paragraphs
    for paragraph in paragraphs:
        _set_flag(paragraph._p.get_or_add_pPr(), "w:bidi", _AFTER_BIDI)
        for run in paragraph.runs:
            run.font.rtl = True
