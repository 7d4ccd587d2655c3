"""Uploading files through the API: 201 with what the platform learned of the file, 422 or 413
naming the problem, and how far the reading of a file's text is."""

import pytest

from mercuryhub.accounts.actions import do_create_api_token
from mercuryhub.library.models import DocumentFile
from tests.library import files
from tests.library.conftest import stored_files

pytestmark = pytest.mark.django_db


def _headers(user):
    return {"HTTP_AUTHORIZATION": f"Bearer {do_create_api_token(user, 'script')[1]}"}


def test_a_file_uploaded_through_the_api_answers_its_type_size_pages_and_reading(client, owner):
    content = files.pptx_bytes("Quicksilver retorts")
    response = client.post(
        "/api/v1/documents",
        {"file": files.upload("training.pptx", content)},
        **_headers(owner),
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["type"] == "pptx"
    assert body["size"] == len(content)
    assert body["pages"] == 2
    assert body["extraction"] == "done" and body["progress"] == 100
    assert body["url"] == f"/library/files/{body['id']}/"

    state = client.get(f"/api/v1/documents/{body['id']}", **_headers(owner)).json()
    assert state["extraction"] == "done" and state["name"] == "training.pptx"
    assert client.get(f"/api/v1/documents/{body['id']}").status_code == 404


def test_a_refused_file_answers_422_and_an_oversized_one_413(client, owner, settings, media_root):
    fake = files.upload("guide.docx", files.zip_bytes({"a.txt": b"hello"}))
    response = client.post("/api/v1/documents", {"file": fake}, **_headers(owner))
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "file"
    assert "ZIP archive" in response.json()["errors"][0]["message"]

    settings.LIBRARY_MAX_UPLOAD_BYTES = 100
    big = files.upload("notes.txt", b"mercury " * 100)
    response = client.post("/api/v1/documents", {"file": big}, **_headers(owner))
    assert response.status_code == 413
    assert "largest file accepted is 100" in response.json()["detail"]
    assert DocumentFile.objects.count() == 0
    assert stored_files(media_root) == []


def test_uploading_needs_a_token(client):
    response = client.post("/api/v1/documents", {"file": files.upload("a.txt", b"notes")})
    assert response.status_code == 401
    assert DocumentFile.objects.count() == 0


def test_an_oversized_file_is_counted_not_kept_and_named_with_its_full_size(
    client, owner, settings, media_root
):
    settings.LIBRARY_MAX_UPLOAD_BYTES = 1000
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 0  # every upload would go to a temporary file
    big = files.upload("notes.txt", b"mercury " * 1000)  # 8,000 bytes
    response = client.post("/api/v1/documents", {"file": big}, **_headers(owner))
    assert response.status_code == 413
    assert response.json()["detail"].startswith("This file is 7.8\xa0KB;")
    assert DocumentFile.objects.count() == 0


def test_the_upload_handler_passes_on_no_byte_past_the_limit(settings):
    from mercuryhub.lib.uploads import OversizedUpload, SizeLimitUploadHandler

    settings.LIBRARY_MAX_UPLOAD_BYTES = 10
    handler = SizeLimitUploadHandler()
    handler.new_file("file", "big.txt", "text/plain", 25, "utf-8")
    passed = [handler.receive_data_chunk(chunk, 0) for chunk in (b"12345678", b"9abcdefg", b"hi")]
    assert passed == [b"12345678", None, None]
    kept = handler.file_complete(18)
    assert isinstance(kept, OversizedUpload)
    assert (kept.name, kept.size, kept.read()) == ("big.txt", 18, b"")
    small = SizeLimitUploadHandler()
    small.new_file("file", "small.txt", "text/plain", 4, "utf-8")
    assert small.receive_data_chunk(b"abcd", 0) == b"abcd"
    assert small.file_complete(4) is None  # the next handler keeps it
