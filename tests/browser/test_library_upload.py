"""A partner adds a resource with its PDF through the web form; once the secretariat has
validated it, a search for a word that appears only inside the PDF finds the resource."""

import pytest

from mercuryhub.accounts.actions import do_create_organization
from mercuryhub.library.models import Resource
from mercuryhub.review import actions as review_actions
from tests.browser.test_editing import _sign_in
from tests.conftest import make_user
from tests.library.files import pdf_bytes

pytestmark = pytest.mark.browser

# A word no page, vocabulary or entry of the platform holds: only the PDF.
HIDDEN_WORD = "Quixomercurial"


@pytest.fixture
def editor(live_site):
    user = make_user("owen.owner@batrec.example")
    do_create_organization(
        user,
        {"name": "Batrec Industrie AG", "stakeholder_type": "private-sector", "country": "CHE"},
    )
    return user


def test_a_word_inside_an_uploaded_pdf_finds_its_resource(page, live_site, editor, tmp_path):
    pdf = tmp_path / "retort-guide.pdf"
    pdf.write_bytes(pdf_bytes("Using retorts in gold mining.", f"Annex: the {HIDDEN_WORD} test."))
    _sign_in(page, live_site, editor)
    page.goto(live_site.url + "/catalogue/new/resource/")
    page.get_by_label("Title (required)").fill("Retorts in practice")
    page.get_by_label("Kind of resource (required)").select_option("guidance")
    page.get_by_label("Upload the file").set_input_files(str(pdf))
    with page.expect_navigation():
        page.get_by_role("button", name="Save and submit for review").click()
    assert "is saved and submitted for review" in page.locator(".messages").inner_text()

    resource = Resource.objects.get()
    assert resource.document.original_name == "retort-guide.pdf"
    reviewer = make_user("rita.reviewer@unep.example", "reviewer")
    review_actions.do_validate_entry("resource", reviewer, resource)

    page.goto(live_site.url + "/")
    page.locator("#header-q").fill(HIDDEN_WORD.lower())
    with page.expect_navigation():
        page.locator("#header-q").press("Enter")
    assert f"q={HIDDEN_WORD.lower()}" in page.url
    # The one result, found in the PDF's text alone, leads to the resource.
    with page.expect_navigation():
        page.get_by_role("link", name="Retorts in practice").click()
    assert page.url.endswith(f"/library/resources/{resource.pk}/")
    link = page.get_by_role("link", name="retort-guide.pdf")
    assert "2 pages" in page.locator(".document-file").inner_text()
    with page.expect_download() as download:
        link.click()
    assert download.value.suggested_filename == "retort-guide.pdf"
