"""Uploading files to the library: each accepted type is stored with its text, type, size and
pages; corrupt, encrypted, disguised, oversized files and zip bombs are refused with a message
that names the problem, and nothing of them is kept."""

import hashlib

import pytest

from mercuryhub.lib.errors import InvalidInputError
from mercuryhub.library.actions import do_upload_document
from mercuryhub.library.models import DocumentFile
from tests.library import files
from tests.library.conftest import stored_files

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("name", "make", "file_type", "pages"),
    [
        ("guide.pdf", lambda: files.pdf_bytes("Quicksilver retorts", "second page"), "pdf", 2),
        ("guide.docx", lambda: files.docx_bytes("Quicksilver retorts"), "docx", 1),
        ("inventory.xlsx", lambda: files.xlsx_bytes("Quicksilver retorts"), "xlsx", 2),
        ("training.pptx", lambda: files.pptx_bytes("Quicksilver retorts"), "pptx", 2),
        ("notes.txt", lambda: "Quicksilver retorts — ртуть 汞 زئبق".encode(), "txt", None),
    ],
)
def test_it_keeps_each_accepted_type_with_its_text(owner, media_root, name, make, file_type, pages):
    content = make()
    document = do_upload_document(owner, files.upload(name, content))
    document.refresh_from_db()
    assert document.file_type == file_type
    assert document.size == len(content)
    assert document.sha256 == hashlib.sha256(content).hexdigest()
    assert document.page_count == pages
    assert document.extraction == DocumentFile.Extraction.DONE
    assert document.progress == 100
    assert "Quicksilver retorts" in document.text
    assert document.original_name == name
    assert document.uploaded_by == owner
    assert len(stored_files(media_root)) == 1
    assert document.file.read() == content


def test_it_reads_the_tables_of_a_word_document_and_its_pages_when_word_counted_them(owner):
    content = files.docx_bytes("Separators")
    document = do_upload_document(owner, files.upload("guide.docx", content))
    assert "Kumasi" in document.text

    with_pages = files.zip_bytes(
        {
            **_members(content),
            "docProps/app.xml": b"<Properties><Pages>7</Pages></Properties>",
        }
    )
    assert do_upload_document(owner, files.upload("g.docx", with_pages)).page_count == 7


def _members(content: bytes) -> dict:
    import io
    import zipfile

    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def test_the_content_decides_the_type_not_the_name(owner):
    document = do_upload_document(owner, files.upload("report", files.pdf_bytes("Annex C")))
    assert document.file_type == "pdf"


REFUSED = [
    (
        "an HTML page named .pdf",
        "guide.pdf",
        lambda: b"<!DOCTYPE html><html><script>alert(1)</script></html>",
        "web page",
    ),
    (
        "a program named .pdf",
        "guide.pdf",
        lambda: b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\0" * 200,
        "Windows program",
    ),
    (
        "a zip named .docx",
        "guide.docx",
        lambda: files.zip_bytes({"photo.jpg": b"\xff\xd8\xff" + b"x" * 100}),
        "ZIP archive, not a Word",
    ),
    (
        "text named .pdf",
        "guide.pdf",
        lambda: b"Just some notes",
        "named \u201cguide.pdf\u201d but it is a plain text file",
    ),
    (
        "a truncated PDF",
        "guide.pdf",
        lambda: files.pdf_bytes("Annex C", "more")[:600],
        "incomplete or damaged",
    ),
    (
        "a PDF with a damaged body",
        "guide.pdf",
        lambda: b"%PDF-1.4\n" + b"garbage " * 50 + b"\n%%EOF\n",
        "damaged",
    ),
    (
        "an encrypted PDF",
        "secret.pdf",
        lambda: files.encrypted_pdf_bytes("Confidential"),
        "protected with a password",
    ),
    (
        "an encrypted Office document",
        "secret.docx",
        lambda: (
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
            + b"\0" * 500
            + "EncryptedPackage".encode("utf-16-le")
            + b"\0" * 500
        ),
        "protected with a password",
    ),
    (
        "an old Word document",
        "old.doc",
        lambda: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 1000,
        "old format",
    ),
    ("a zip bomb", "bomb.docx", files.zip_bomb_docx, "zip bomb"),
    ("text in Latin-1", "notes.txt", lambda: "Caf\xe9 r\xe9sum\xe9".encode("latin-1"), "UTF-8"),
    ("an empty file", "empty.txt", lambda: b"", "empty"),
]


@pytest.mark.parametrize(
    ("what", "name", "make", "message"), REFUSED, ids=[case[0] for case in REFUSED]
)
def test_it_refuses_and_keeps_nothing_of(owner, media_root, what, name, make, message):
    with pytest.raises(InvalidInputError) as refused:
        do_upload_document(owner, files.upload(name, make()))
    assert list(refused.value.errors) == ["file"]
    assert message in refused.value.errors["file"], refused.value.errors
    assert DocumentFile.objects.count() == 0
    assert stored_files(media_root) == []


def test_it_refuses_a_file_over_the_configured_size(owner, media_root, settings):
    settings.LIBRARY_MAX_UPLOAD_BYTES = 1000
    with pytest.raises(InvalidInputError) as refused:
        do_upload_document(owner, files.upload("big.txt", b"mercury " * 200))
    assert refused.value.errors["file"] == (
        "This file is 1.6\xa0KB; the largest file accepted is 1000\xa0bytes."
    )
    assert DocumentFile.objects.count() == 0
    assert stored_files(media_root) == []


def test_a_file_name_keeps_no_folder_nor_control_character(owner):
    document = do_upload_document(owner, files.upload("../../etc/pass\x07wd.txt", b"notes"))
    assert document.original_name == "passwd.txt"
    assert "etc" not in document.file.name and document.file.name.startswith("library/")
