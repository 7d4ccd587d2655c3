"""A large document's text is read in the background once its upload is saved: the upload
answers at once, the progress climbs to 100, and search then finds the words inside it."""

import threading
import time

import pytest
from django.core.management import call_command
from django.db import connection, transaction

from mercuryhub.library.actions import do_extract_document, do_upload_document
from mercuryhub.library.models import DocumentFile
from mercuryhub.review import actions as review_actions
from mercuryhub.search.engine import matches
from tests.conftest import make_user
from tests.library import files


def _read_while_it_writes():
    """The test database is SQLite in memory, shared between threads a table at a time:
    reading its progress must not wait for the thread that writes it. (PostgreSQL and SQLite
    on disk let readers and a writer work side by side.)"""
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA read_uncommitted = 1")


def _wait_for_reading(document_id, seen):
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        document = DocumentFile.objects.get(pk=document_id)
        seen.add(document.progress)
        if document.extraction in {"done", "failed"}:
            return document
        time.sleep(0.02)
    raise AssertionError("the document was not read within a minute")


def _join_reading(document_id):
    """Wait for the reading thread to commit and close its connection: the test saw its rows
    uncommitted, and emptying the database while it still holds them would find them locked."""
    for thread in threading.enumerate():
        if thread.name == f"library-extraction-{document_id}":
            thread.join(timeout=60)
            assert not thread.is_alive(), "the reading thread did not finish within a minute"


@pytest.mark.django_db(transaction=True)
def test_a_long_document_is_read_in_the_background_with_progress(settings):
    call_command("load_reference_data", verbosity=0)
    settings.LIBRARY_INLINE_EXTRACTION_MAX_PAGES = 3
    owner = make_user("owen.owner@batrec.example")
    reviewer = make_user("rita.reviewer@unep.example", "reviewer")
    # Long enough for its reading to outlast what the commit sets off in this thread (the
    # search index's catch-up), so that the steps are seen.
    pages = [f"Page {n} on amalgam." for n in range(1, 400)] + ["Zyxomercurite appears here."]
    with transaction.atomic():  # the reading starts once this commits
        document = do_upload_document(owner, files.upload("long.pdf", files.pdf_bytes(*pages)))
        assert document.page_count == 400
        assert document.extraction == "pending"
        resource = review_actions.do_create_draft(
            "resource",
            owner,
            {"name": "A long guide", "kind": "guidance", "document": document.pk},
        )
        resource = review_actions.do_submit_entry("resource", owner, resource)
        review_actions.do_validate_entry("resource", reviewer, resource)
    _read_while_it_writes()

    seen = set()
    document = _wait_for_reading(document.pk, seen)
    assert document.extraction == "done", document.extraction_error
    assert document.progress == 100
    assert len(seen) > 2, seen  # it climbed: 0 or pending, some steps, 100
    assert "Zyxomercurite" in document.text
    # Reading uncommitted rows, the test may see "done" just before the index is written.
    deadline = time.monotonic() + 10
    while not matches("zyxomercurite", ["resource"], cap=10) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert matches("zyxomercurite", ["resource"], cap=10) == {"resource": [resource.pk]}
    _join_reading(document.pk)


@pytest.mark.django_db
def test_a_document_that_cannot_be_read_in_the_background_says_why(settings, owner, media_root):
    settings.LIBRARY_INLINE_EXTRACTION_MAX_PAGES = 0
    document = do_upload_document(owner, files.upload("a.pdf", files.pdf_bytes("One")))
    assert document.extraction == "pending"  # read once the upload's transaction commits
    # The stored copy is damaged after the check (a disk fault, an operator's mistake).
    with open(media_root / document.file.name, "wb") as stored:
        stored.write(b"%PDF-1.4 nothing else")
    document = do_extract_document(document.pk)
    assert document.extraction == "failed"
    assert document.extraction_error


@pytest.mark.django_db
def test_files_left_waiting_are_read_by_the_command(settings, owner):
    settings.LIBRARY_INLINE_EXTRACTION_MAX_PAGES = 0
    document = do_upload_document(owner, files.upload("a.pdf", files.pdf_bytes("Amalgam")))
    assert document.extraction == "pending"
    call_command("extract_documents", verbosity=0)
    document.refresh_from_db()
    assert (document.extraction, document.progress) == ("done", 100)
    assert "Amalgam" in document.text


@pytest.mark.django_db
def test_files_left_waiting_are_read_when_the_platform_is_served_again(settings, owner):
    settings.LIBRARY_INLINE_EXTRACTION_MAX_PAGES = 0
    document = do_upload_document(owner, files.upload("b.pdf", files.pdf_bytes("Retorts")))
    DocumentFile.objects.filter(pk=document.pk).update(extraction="running", progress=40)
    call_command("serve", "--prepare-only", "--no-starter-data", verbosity=0)
    document.refresh_from_db()
    assert (document.extraction, document.progress) == ("done", 100)
    assert "Retorts" in document.text
