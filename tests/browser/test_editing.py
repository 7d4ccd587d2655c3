import pytest

from mercuryhub.accounts.actions import do_create_organization
from mercuryhub.catalogue.models import Facility
from tests.conftest import PASSWORD, make_user

pytestmark = pytest.mark.browser


@pytest.fixture
def editor(live_site):
    """The editor of Batrec Industrie AG, created after the live site has its reference data."""
    user = make_user("owen.owner@batrec.example")
    do_create_organization(
        user,
        {"name": "Batrec Industrie AG", "stakeholder_type": "private-sector", "country": "CHE"},
    )
    return user


def _sign_in(page, live_site, user):
    page.goto(live_site.url + "/accounts/login/?next=/catalogue/mine/")
    page.get_by_label("Email").fill(user.email)
    page.get_by_label("Password").fill(PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name="Sign In").click()


def test_an_editor_adds_a_facility_submits_it_and_sees_it_waiting_for_review(
    page, live_site, editor
):
    _sign_in(page, live_site, editor)
    page.wait_for_url("**/catalogue/mine/")
    assert page.locator("h1").inner_text() == "My entries"
    assert page.get_by_text("You have no entries yet").is_visible()

    page.get_by_role("link", name="Add a facility").click()
    page.wait_for_url("**/catalogue/new/facility/")
    page.get_by_label("Name of the facility (required)").fill("Batrec lamp line")
    assert page.get_by_label("Operator").input_value() == "batrec-industrie-ag"
    page.get_by_label("Country (required)").select_option("CHE")
    page.get_by_label("City or address").fill("Wimmis")
    page.get_by_role("checkbox", name="Mercury lamps").check()
    page.get_by_role("checkbox", name="Lamp crushing and separation").check()
    with page.expect_navigation():
        page.get_by_role("button", name="Save draft").click()

    assert "/catalogue/mine/" in page.url
    assert "“Batrec lamp line” is saved as a draft" in page.locator(".messages").inner_text()
    drafts = page.locator("#group-draft").locator("xpath=..")
    assert drafts.locator("h3").all_inner_texts() == ["Batrec lamp line"]

    with page.expect_navigation():
        drafts.get_by_role("button", name="Submit for review").click()

    assert "is submitted for review" in page.locator(".messages").inner_text()
    waiting = page.locator("#group-submitted").locator("xpath=..")
    assert waiting.locator("h3").all_inner_texts() == ["Batrec lamp line"]
    assert waiting.locator(".tag-submitted").inner_text() == "Submitted for review"
    assert page.locator("#group-draft").count() == 0
    facility = Facility.objects.get()
    assert (facility.review_state, facility.published) == ("submitted", False)


def test_the_add_form_shows_what_is_missing_next_to_the_field(page, live_site, editor):
    _sign_in(page, live_site, editor)
    page.goto(live_site.url + "/catalogue/new/facility/")
    page.get_by_label("Name of the facility (required)").fill("Batrec lamp line")
    page.get_by_label("Country (required)").select_option("CHE")
    with page.expect_navigation():
        page.get_by_role("button", name="Save draft").click()
    summary = page.get_by_role("alert")
    assert "Wastes accepted: This field is required." in summary.inner_text()
    summary.get_by_role("link", name="Wastes accepted: This field is required.").click()
    assert page.evaluate("location.hash") == "#id_accepted_wastes"
    assert page.get_by_label("Name of the facility (required)").input_value() == "Batrec lamp line"
    assert not Facility.objects.exists()
