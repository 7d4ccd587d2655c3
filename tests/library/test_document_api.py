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
