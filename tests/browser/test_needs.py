"""Posting a need in Chromium: the open needs that look like it show while it is typed, and the
need, once posted, is published and listed."""

import pytest

from mercuryhub.review import actions as review_actions
from tests.conftest import PASSWORD, make_user
from tests.exchange.needs.conftest import LAMPS

pytestmark = pytest.mark.browser


@pytest.fixture
def posted(live_site):
    """A need already posted and published by a person the secretariat validated before."""
    reviewer = make_user("rita.reviewer@unep.example", "reviewer")
    author = make_user("kwame.ministry@health.example.gh")
    need = review_actions.do_submit_entry(
        "need", author, review_actions.do_create_draft("need", author, LAMPS)
    )
    return review_actions.do_validate_entry("need", reviewer, need)


def _sign_in(page, live_site, user, then):
    page.goto(f"{live_site.url}/accounts/login/?next={then}")
    page.get_by_label("Email").fill(user.email)
    page.get_by_label("Password").fill(PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name="Sign In").click()


def test_the_need_form_shows_similar_open_needs_while_the_title_is_typed(page, live_site, posted):
    newcomer = make_user("ama.clinic@health.example.gh")
    _sign_in(page, live_site, newcomer, "/catalogue/new/need/")
    page.wait_for_url("**/catalogue/new/need/")
    assert page.locator("#similar-needs").inner_text().strip() == ""
    page.get_by_label("Title (required)").press_sequentially("Fluorescent tubes from schools")
    similar = page.locator("#similar-needs")
    similar.get_by_role("heading", name="Similar open needs").wait_for()
    link = similar.get_by_role("link", name=posted.name)
    assert link.get_attribute("href") == f"/exchange/needs/{posted.pk}/"

    page.get_by_label("Description (required)").fill("Two tonnes of tubes collected in Kumasi.")
    page.get_by_label("Country (required)").select_option("GHA")
    page.get_by_label("Funding status (required)").select_option("no-funding")
    page.get_by_role("checkbox", name="Mercury lamps").check()
    with page.expect_navigation():
        page.get_by_role("button", name="Save and submit for review").click()
    # A first public need waits for the secretariat.
    assert "is saved and submitted for review" in page.locator(".messages").inner_text()
