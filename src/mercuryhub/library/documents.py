"""Checking a file that someone uploads to the library, from its content and never from its
name: a PDF, a Word, Excel or PowerPoint document (OOXML) or plain UTF-8 text, at most
``settings.LIBRARY_MAX_UPLOAD_BYTES``. Archives are opened with limits on their member count,
expanded size and compression ratio, each member read to its end so that the sizes an archive
declares are not trusted. A corrupt, encrypted, disguised or oversized file raises
InvalidInputError on the field ``file`` naming the problem. Reading the text is in
``library.extraction``."""

import codecs
import re
import zipfile
from dataclasses import dataclass
from pathlib import PurePath

from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from mercuryhub.lib.errors import InvalidInputError

PDF, DOCX, XLSX, PPTX, TEXT = "pdf", "docx", "xlsx", "pptx", "txt"

CONTENT_TYPES = {
    PDF: "application/pdf",
    DOCX: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    PPTX: "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    TEXT: "text/plain; charset=utf-8",
}
# The extension each type is served with, and the names that announce each type.
EXTENSIONS = {PDF: ".pdf", DOCX: ".docx", XLSX: ".xlsx", PPTX: ".pptx", TEXT: ".txt"}
_NAMED = {
    ".pdf": PDF,
    ".docx": DOCX,
    ".xlsx": XLSX,
    ".pptx": PPTX,
    ".txt": TEXT,
    ".text": TEXT,
    ".md": TEXT,
    ".csv": TEXT,
}
# Each OOXML type: the content type of its main part in [Content_Types].xml, and that part.
_OOXML = {
    DOCX: ("wordprocessingml.document.main+xml", "word/document.xml"),
    XLSX: ("spreadsheetml.sheet.main+xml", "xl/workbook.xml"),
    PPTX: ("presentationml.presentation.main+xml", "ppt/presentation.xml"),
}

# Archive limits: a document has a few hundred parts; text compresses 5 to 20 times, a zip
# bomb thousands of times.
ZIP_MAX_MEMBERS = 10_000
ZIP_MAX_EXPANDED_BYTES = 500 * 1024 * 1024
ZIP_MAX_RATIO = 200
_RATIO_FROM_BYTES = 1024 * 1024  # smaller members may compress as they like
_CHUNK = 1024 * 1024

_CFB = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # OLE compound file: old Office or encrypted OOXML
_ENCRYPTED_PACKAGE = "EncryptedPackage".encode("utf-16-le")
_MARKUP = re.compile(rb"\s*<(!doctype\s+html|html|head|body|script|svg|\?xml)\b", re.IGNORECASE)


class FileTooLargeError(InvalidInputError):
    """A file over the size limit (the API answers 413)."""


@dataclass(frozen=True)
class CheckedFile:
    """What the check learned: the type, and the page count where it is cheap to know (PDF
    pages, DOCX pages as Word last counted them, PPTX slides, XLSX sheets)."""

    file_type: str
    page_count: int | None


def max_upload_bytes() -> int:
    return settings.LIBRARY_MAX_UPLOAD_BYTES


def _refuse(message: str):
    raise InvalidInputError({"file": message})


def check_file(file, *, name: str, size: int) -> CheckedFile:
    """Check an uploaded file (a seekable binary file) before anything of it is kept."""
    limit = max_upload_bytes()
    if size > limit:
        message = _("This file is %(size)s; the largest file accepted is %(limit)s.")
        raise FileTooLargeError(
            {"file": message % {"size": filesizeformat(size), "limit": filesizeformat(limit)}}
        )
    if size == 0:
        _refuse(_("This file is empty."))
    file.seek(0)
    head = file.read(8192)
    file.seek(0)
    if head.startswith(b"%PDF-"):
        checked = CheckedFile(PDF, _check_pdf(file))
    elif head.startswith(_CFB):
        _refuse(_refusal_of_compound_file(file))
    elif head.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        checked = _check_ooxml(file)
    else:
        _check_text(file, head)
        checked = CheckedFile(TEXT, None)
    _check_name(name, checked.file_type)
    return checked


def _check_name(name: str, file_type: str) -> None:
    """A name announcing another type of document is a disguise: refused, whatever the
    content is."""
    suffix = PurePath(name).suffix.lower()
    named = _NAMED.get(suffix)
    if named is not None and named != file_type:
        _refuse(
            _(
                "This file is named “%(name)s” but it is a %(actual)s file; give it its "
                "own extension (%(extension)s) and upload it again."
            )
            % {"name": name, "actual": type_label(file_type), "extension": EXTENSIONS[file_type]}
        )


def type_label(file_type: str) -> str:
    return {
        PDF: "PDF",
        DOCX: _("Word (DOCX)"),
        XLSX: _("Excel (XLSX)"),
        PPTX: _("PowerPoint (PPTX)"),
        TEXT: _("plain text"),
    }[file_type]


def _not_accepted(what: str) -> str:
    return _(
        "This file is %(what)s. The library accepts PDF, Word (DOCX), Excel (XLSX), "
        "PowerPoint (PPTX) and plain text files."
    ) % {"what": what}


# PDF ------------------------------------------------------------------------------------


def _check_pdf(file) -> int:
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    file.seek(0, 2)
    end = file.tell()
    file.seek(max(0, end - 2048))
    tail = file.read()
    file.seek(0)
    if b"%%EOF" not in tail:
        _refuse(_("This PDF is incomplete or damaged (its end is missing); upload it again."))
    try:
        reader = PdfReader(file, strict=False)
        if reader.is_encrypted and not _opens_without_password(reader):
            _refuse(
                _("This PDF is protected with a password. Upload a copy saved without a password.")
            )
        pages = len(reader.pages)
    except InvalidInputError:
        raise
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, OSError):
        _refuse(_("This PDF is damaged and cannot be read; upload a sound copy."))
    finally:
        file.seek(0)
    if pages == 0:
        _refuse(_("This PDF has no pages."))
    return pages


def _opens_without_password(reader) -> bool:
    """A PDF encrypted only to restrict printing or copying opens with an empty password."""
    from pypdf.errors import PyPdfError

    try:
        return bool(reader.decrypt(""))
    except (PyPdfError, NotImplementedError, ValueError):
        return False


# Office documents -----------------------------------------------------------------------


def _refusal_of_compound_file(file) -> str:
    if _contains(file, _ENCRYPTED_PACKAGE):
        return _(
            "This Office document is protected with a password. Upload a copy saved without "
            "a password."
        )
    return (
        _not_accepted(_("an Office document in the old format (.doc, .xls or .ppt)"))
        + " "
        + _("Save it as DOCX, XLSX, PPTX or PDF and upload it again.")
    )


def _contains(file, needle: bytes) -> bool:
    file.seek(0)
    previous = b""
    while chunk := file.read(_CHUNK):
        if needle in previous[-len(needle) :] + chunk:
            file.seek(0)
            return True
        previous = chunk
    file.seek(0)
    return False


def _check_ooxml(file) -> CheckedFile:
    try:
        with zipfile.ZipFile(file) as archive:
            members = archive.infolist()
            _check_archive(archive, members)
            names = {member.filename for member in members}
            if "[Content_Types].xml" not in names:
                _refuse(_not_accepted(_("a ZIP archive, not a Word, Excel or PowerPoint document")))
            content_types = archive.read("[Content_Types].xml").decode("utf-8", "replace")
            for file_type, (main_type, part) in _OOXML.items():
                if main_type in content_types and part in names:
                    return CheckedFile(file_type, _ooxml_pages(archive, file_type, names))
            _refuse(_not_accepted(_("an Office document of a kind the library does not take")))
    except zipfile.BadZipFile:
        _refuse(_("This document is damaged (its archive cannot be opened); upload a sound copy."))
    finally:
        file.seek(0)


def _check_archive(archive: zipfile.ZipFile, members) -> None:
    """Read every member to its end, counting what it expands to: refused past the limits or
    when a member's content does not match its checksum."""
    if len(members) > ZIP_MAX_MEMBERS:
        _refuse(
            _("This archive holds %(count)s files; at most %(limit)s are accepted.")
            % {"count": len(members), "limit": ZIP_MAX_MEMBERS}
        )
    bomb = _(
        "This document expands to far more than its size when opened (a “zip bomb”); it is refused."
    )
    total = 0
    for member in members:
        if member.flag_bits & 0x1:
            _refuse(_("This document is protected with a password; upload it without one."))
        expanded = 0
        try:
            with archive.open(member) as stream:
                while chunk := stream.read(_CHUNK):
                    expanded += len(chunk)
                    total += len(chunk)
                    if total > ZIP_MAX_EXPANDED_BYTES:
                        _refuse(bomb)
                    compressed = max(member.compress_size, 1)
                    if expanded > _RATIO_FROM_BYTES and expanded / compressed > ZIP_MAX_RATIO:
                        _refuse(bomb)
        except (zipfile.BadZipFile, EOFError, OSError, NotImplementedError, RuntimeError):
            _refuse(
                _("This document is damaged (part “%(part)s” cannot be read); upload a sound copy.")
                % {"part": member.filename[:100]}
            )


_PAGES = re.compile(rb"<(?:\w+:)?Pages>\s*(\d+)\s*</(?:\w+:)?Pages>")


def _ooxml_pages(archive: zipfile.ZipFile, file_type: str, names: set[str]) -> int | None:
    if file_type == PPTX:
        return sum(1 for name in names if re.fullmatch(r"ppt/slides/slide\d+\.xml", name)) or None
    if file_type == XLSX:
        return sum(1 for name in names if re.fullmatch(r"xl/worksheets/[^/]+\.xml", name)) or None
    if "docProps/app.xml" in names:
        found = _PAGES.search(archive.read("docProps/app.xml")[:100_000])
        if found and int(found.group(1)) > 0:
            return int(found.group(1))
    return None


# Plain text -----------------------------------------------------------------------------

_SIGNATURES = (
    (b"MZ", "a Windows program"),
    (b"\x7fELF", "a program"),
    (b"\x89PNG", "an image"),
    (b"\xff\xd8\xff", "an image"),
    (b"GIF8", "an image"),
    (b"\x1f\x8b", "a compressed (gzip) archive"),
    (b"Rar!", "a RAR archive"),
    (b"7z\xbc\xaf", "a 7-Zip archive"),
    (b"{\\rtf", "a Rich Text (RTF) document"),
)


def _what_it_is(head: bytes) -> str:
    names = {
        "a Windows program": _("a Windows program"),
        "a program": _("a program"),
        "an image": _("an image"),
        "a compressed (gzip) archive": _("a compressed (gzip) archive"),
        "a RAR archive": _("a RAR archive"),
        "a 7-Zip archive": _("a 7-Zip archive"),
        "a Rich Text (RTF) document": _("a Rich Text (RTF) document"),
    }
    for signature, what in _SIGNATURES:
        if head.startswith(signature):
            return names[what]
    return _("of a kind the library does not take")


def _check_text(file, head: bytes) -> None:
    for signature, _what in _SIGNATURES:
        if head.startswith(signature):
            _refuse(_not_accepted(_what_it_is(head)))
    if _MARKUP.match(head.removeprefix(codecs.BOM_UTF8)):
        _refuse(_not_accepted(_("a web page or other markup (HTML, XML, SVG), not plain text")))
    decoder = codecs.getincrementaldecoder("utf-8")()
    file.seek(0)
    try:
        while chunk := file.read(_CHUNK):
            if b"\x00" in chunk:
                _refuse(_not_accepted(_what_it_is(head)))
            decoder.decode(chunk)
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        _refuse(
            _not_accepted(_("text that is not in UTF-8"))
            + " "
            + _("Save it as UTF-8 text and upload it again.")
        )
    finally:
        file.seek(0)
