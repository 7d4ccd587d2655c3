"""The files of the library on the web: served as downloads of their checked type to those who
may read them; uploaded with a resource or case study through its form, where a refused file
is named beside the field and nothing is saved; shown on the entry's page."""

from urllib.parse import quote

import pytest

from mercuryhub.accounts.actions import do_set_membership
from mercuryhub.accounts.models import Membership
from mercuryhub.library.actions import do_upload_document
from mercuryhub.library.models import DocumentFile, Resource
from mercuryhub.review import actions as review_actions
from tests.conftest import make_user
from tests.library import files
from tests.library.conftest import stored_files

pytestmark = pytest.mark.django_db

GUIDE = {"name": "Retorts for miners", "kind": "guidance", "content_language": "en"}


def _resource(owner, document, *, published: bool, organization="batrec-industrie-ag"):
    entry = review_actions.do_create_draft(
        "resource", owner, {**GUIDE, "document": document.pk, "organization": organization}
    )
    if published:
        reviewer = make_user("vera.validator@unep.example", "reviewer")
        entry = review_actions.do_submit_entry("resource", owner, entry)
        entry = review_actions.do_validate_entry("resource", reviewer, entry)
    return entry


def test_a_published_resources_file_downloads_with_safe_headers(client, owner, organization):
    content = files.pdf_bytes("Quicksilver retorts")
    document = do_upload_document(owner, files.upload("Guía de retortas é.pdf", content))
    _resource(owner, document, published=True)

    response = client.get(f"/library/files/{document.pk}/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        "attachment; filename=\"Gua de retortas .pdf\"; filename*=UTF-8''"
        + quote("Guía de retortas é.pdf", safe="")
    )
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content) == content


def test_a_text_file_is_served_as_plain_text_whatever_its_name(client, owner, organization):
    document = do_upload_document(owner, files.upload("notes", b"Mercury notes"))
    _resource(owner, document, published=True)
    response = client.get(f"/library/files/{document.pk}/")
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert "filename*=UTF-8''notes.txt" in response["Content-Disposition"]


def test_an_unpublished_file_reaches_its_uploader_the_entrys_editors_and_reviewers_only(
    client, owner, member, outsider, reviewer, organization
):
    document = do_upload_document(owner, files.upload("draft.pdf", files.pdf_bytes("Draft")))
    _resource(owner, document, published=False)
    co_editor = make_user("eda.editor@batrec.example")
    do_set_membership(owner, organization, co_editor, Membership.Role.EDITOR)
    for person, status in [
        (None, 404),
        (outsider, 404),
        (member, 404),
        (owner, 200),
        (co_editor, 200),
        (reviewer, 200),
    ]:
        client.logout()
        if person is not None:
            client.force_login(person)
        assert client.get(f"/library/files/{document.pk}/").status_code == status, person


def test_a_file_no_entry_holds_reaches_its_uploader_only(client, owner, outsider):
    document = do_upload_document(owner, files.upload("notes.txt", b"Notes"))
    assert client.get(f"/library/files/{document.pk}/").status_code == 404
    client.force_login(outsider)
    assert client.get(f"/library/files/{document.pk}/").status_code == 404
    client.force_login(owner)
    assert client.get(f"/library/files/{document.pk}/").status_code == 200
    assert client.get("/library/files/999999/").status_code == 404


def test_the_resource_page_shows_the_file_its_type_size_and_pages(client, owner, organization):
    content = files.pdf_bytes("One", "Two", "Three")
    document = do_upload_document(owner, files.upload("guide.pdf", content))
    resource = _resource(owner, document, published=True)
    page = client.get(f"/library/resources/{resource.pk}/").content.decode()
    assert f'href="/library/files/{document.pk}/"' in page
    assert "guide.pdf" in page and "3 pages" in page and "PDF" in page
    assert "KB" in page


def test_a_failed_reading_is_shown_with_its_reason(client, owner, organization):
    document = do_upload_document(owner, files.upload("guide.pdf", files.pdf_bytes("One")))
    resource = _resource(owner, document, published=True)
    DocumentFile.objects.filter(pk=document.pk).update(
        extraction="failed", extraction_error="PdfReadError: bad xref"
    )
    page = client.get(f"/library/resources/{resource.pk}/").content.decode()
    assert "could not be read" in page and "PdfReadError: bad xref" in page


# The form ---------------------------------------------------------------------------------


def _form(**extra):
    return {**GUIDE, "organization": "", **extra}


def test_a_resource_is_added_with_its_file_through_the_form(
    signed_in, owner, organization, media_root
):
    client = signed_in(owner)
    form = client.get("/catalogue/new/resource/").content.decode()
    assert 'enctype="multipart/form-data"' in form and 'name="file"' in form
    pdf = files.upload("retorts.pdf", files.pdf_bytes("Quicksilver retorts"))
    response = client.post("/catalogue/new/resource/", _form(file=pdf))
    assert response.status_code == 302, response.content.decode()[:3000]
    resource = Resource.objects.get()
    assert resource.document.original_name == "retorts.pdf"
    assert "Quicksilver retorts" in resource.document.text
    assert len(stored_files(media_root)) == 1

    edit = client.get(f"/catalogue/resource/{resource.pk}/edit/").content.decode()
    assert "retorts.pdf" in edit
    data = _form(name="Retorts for miners, 2nd edition", base_version=resource.version)
    assert client.post(f"/catalogue/resource/{resource.pk}/edit/", data).status_code == 302
    resource.refresh_from_db()
    assert resource.name == "Retorts for miners, 2nd edition"
    assert resource.document.original_name == "retorts.pdf"


def test_a_refused_file_is_named_beside_the_field_and_nothing_is_saved(
    signed_in, owner, media_root
):
    client = signed_in(owner)
    fake = files.upload("retorts.pdf", b"<html><body>not a pdf</body></html>")
    response = client.post("/catalogue/new/resource/", _form(file=fake))
    assert response.status_code == 200
    page = response.content.decode()
    assert "web page" in page
    assert Resource.objects.count() == 0
    assert DocumentFile.objects.count() == 0
    assert stored_files(media_root) == []


def test_a_file_sent_with_an_entry_that_is_refused_is_not_kept(signed_in, owner, media_root):
    client = signed_in(owner)
    pdf = files.upload("retorts.pdf", files.pdf_bytes("Quicksilver retorts"))
    response = client.post("/catalogue/new/resource/", _form(year="1492", file=pdf))
    assert response.status_code == 200
    assert Resource.objects.count() == 0
    assert DocumentFile.objects.count() == 0
    assert stored_files(media_root) == []


def test_a_case_study_takes_a_file_too(signed_in, owner, media_root):
    client = signed_in(owner)
    data = {
        "name": "Lamp collection in Montevideo",
        "country": "URY",
        "content_language": "en",
        "organization": "",
        "file": files.upload("report.docx", files.docx_bytes("Collected lamps")),
    }
    response = client.post("/catalogue/new/case_study/", data)
    assert response.status_code == 302, response.content.decode()[:3000]
    from mercuryhub.library.models import CaseStudy

    assert "Collected lamps" in CaseStudy.objects.get().document.text


def test_no_one_attaches_another_persons_file_to_read_it(client, owner, outsider, organization):
    document = do_upload_document(owner, files.upload("private.txt", b"Owner's notes"))
    from mercuryhub.lib.errors import InvalidInputError

    with pytest.raises(InvalidInputError) as refused:
        review_actions.do_create_draft("resource", outsider, {**GUIDE, "document": document.pk})
    assert "uploaded by someone else" in refused.value.errors["document"]
    own = do_upload_document(outsider, files.upload("own.txt", b"Outsider's notes"))
    entry = review_actions.do_create_draft("resource", outsider, {**GUIDE, "document": own.pk})
    with pytest.raises(InvalidInputError):
        review_actions.do_edit_entry(
            "resource", outsider, entry, {"document": document.pk}, base_version=entry.version
        )
    client.force_login(outsider)
    assert client.get(f"/library/files/{document.pk}/").status_code == 404


def test_a_file_whose_stored_copy_is_missing_is_not_found(client, owner, media_root):
    document = do_upload_document(owner, files.upload("notes.txt", b"Notes"))
    (media_root / document.file.name).unlink()
    client.force_login(owner)
    assert client.get(f"/library/files/{document.pk}/").status_code == 404
