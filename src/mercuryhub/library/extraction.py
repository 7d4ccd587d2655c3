"""Reading the text of a checked document (``library.documents``) for the search index: pypdf
for PDF, python-docx for Word, openpyxl (read-only) for Excel, python-pptx for PowerPoint.
``progress(done, total)`` is called as the reading goes, page by page, sheet by sheet or slide
by slide; a document that cannot be read raises ExtractionError with the reason."""

import codecs
import re
import time
from collections.abc import Callable

from mercuryhub.library.documents import DOCX, PDF, PPTX, TEXT, XLSX

# The most text kept of one document: far more than its words need to be found.
MAX_TEXT_CHARACTERS = 2_000_000
# Control characters (NUL, which PostgreSQL refuses in text, among them) but tab and new line.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")

Progress = Callable[[int, int], None]


class ExtractionError(Exception):
    """The document's text cannot be read; the message says why."""


def extract_text(file, file_type: str, progress: Progress | None = None) -> str:
    """The text of a document (a seekable binary file), cleaned of control characters."""
    report = progress or (lambda done, total: None)
    reader = {PDF: _pdf, DOCX: _docx, XLSX: _xlsx, PPTX: _pptx, TEXT: _text}[file_type]
    file.seek(0)
    try:
        parts = reader(file, report)
    except ExtractionError:
        raise
    except Exception as error:  # noqa: BLE001 - any library failure is an unreadable document
        raise ExtractionError(f"{type(error).__name__}: {error}"[:500]) from error
    finally:
        file.seek(0)
    text = "\n".join(part.strip() for part in parts if part and part.strip())
    return _CONTROL.sub(" ", text)[:MAX_TEXT_CHARACTERS]


def _bounded(parts):
    """Stop collecting once enough text is read."""
    collected, length = [], 0
    for part in parts:
        collected.append(part)
        length += len(part)
        if length > MAX_TEXT_CHARACTERS:
            break
    return collected


def _pdf(file, report: Progress) -> list[str]:
    from pypdf import PdfReader

    reader = PdfReader(file, strict=False)
    if reader.is_encrypted:
        reader.decrypt("")
    total = len(reader.pages)
    parts, length = [], 0
    for number, page in enumerate(reader.pages, start=1):
        if length <= MAX_TEXT_CHARACTERS:
            text = page.extract_text() or ""
            parts.append(text)
            length += len(text)
        report(number, total)
    return parts


def _docx(file, report: Progress) -> list[str]:
    import docx

    document = docx.Document(file)
    blocks = [paragraph.text for paragraph in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            blocks.append("\t".join(cell.text for cell in row.cells))
    for section in document.sections:
        for part in (section.header, section.footer):
            blocks.extend(paragraph.text for paragraph in part.paragraphs)
    report(1, 1)
    return _bounded(blocks)


def _xlsx(file, report: Progress) -> list[str]:
    from mercuryhub.lib.xlsx import open_workbook, sheet_rows

    content = file.read()
    with open_workbook(content) as workbook:
        sheets = workbook.worksheets
        parts, length, started = [], 0, time.monotonic()
        for number, sheet in enumerate(sheets, start=1):
            parts.append(sheet.title)
            for row in sheet_rows(sheet, started=started):
                line = "\t".join(str(value) for value in row if value is not None)
                if line:
                    parts.append(line)
                    length += len(line)
                if length > MAX_TEXT_CHARACTERS:
                    break
            report(number, len(sheets))
        return parts


def _pptx(file, report: Progress) -> list[str]:
    import pptx

    presentation = pptx.Presentation(file)
    slides = list(presentation.slides)
    parts = []
    for number, slide in enumerate(slides, start=1):
        for shape in slide.shapes:
            parts.extend(_shape_texts(shape))
        if slide.has_notes_slide:
            parts.append(slide.notes_slide.notes_text_frame.text)
        report(number, len(slides))
    return _bounded(parts)


def _shape_texts(shape) -> list[str]:
    texts = []
    if getattr(shape, "has_text_frame", False) and shape.has_text_frame:
        texts.append(shape.text_frame.text)
    if getattr(shape, "has_table", False) and shape.has_table:
        for row in shape.table.rows:
            texts.append("\t".join(cell.text for cell in row.cells))
    for inner in getattr(shape, "shapes", ()):  # a group of shapes
        texts.extend(_shape_texts(inner))
    return texts


def _text(file, report: Progress) -> list[str]:
    content = file.read(MAX_TEXT_CHARACTERS * 4)
    report(1, 1)
    return [codecs.decode(content.removeprefix(codecs.BOM_UTF8), "utf-8", "ignore")]
