"""The review flow in a real browser: an editor submits changes to a published facility, a
reviewer returns them with a reason, the editor reads it, fixes and resubmits, the reviewer
validates, and the public page shows the new version. Only the first, published version is
set up through the catalogue's actions."""

import pytest

from mercuryhub.accounts.actions import do_create_organization
from mercuryhub.accounts.models import User
from mercuryhub.review import actions as review_actions
from tests.catalogue.conftest import LAMP_LINE
from tests.conftest import PASSWORD, make_user

pytestmark = pytest.mark.browser

FACILITY = dict(LAMP_LINE)


@pytest.fixture
def people(live_site):
    owner = make_user("owen.owner@batrec.example")
    reviewer = make_user("rita.reviewer@unep.example", User.Role.REVIEWER)
    do_create_organization(
        owner,
        {"name": "Batrec Industrie AG", "stakeholder_type": "private-sector", "country": "CHE"},
    )
    return owner, reviewer


def _sign_in(browser, live_site, user, *, width=1280):
    context = browser.new_context(viewport={"width": width, "height": 900}, locale="en-GB")
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.goto(live_site.url + "/accounts/login/")
    page.fill("#id_login", user.email)
    page.fill("#id_password", PASSWORD)
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    return page


def test_a_submission_is_returned_fixed_resubmitted_validated_and_published(
    browser, live_site, people
):
    owner, reviewer = people
    facility = review_actions.do_create_draft("facility", owner, FACILITY)
    review_actions.do_submit_entry("facility", owner, facility)
    review_actions.do_validate_entry("facility", reviewer, facility)
    public_url = f"{live_site.url}/catalogue/facilities/{facility.pk}/"
    edit_url = f"{live_site.url}/catalogue/facility/{facility.pk}/edit/"

    # The editor changes the published facility and submits the change.
    editor = _sign_in(browser, live_site, owner)
    editor.goto(edit_url)
    editor.fill("#id_name", "Batrec Wimmis lamp line")
    editor.get_by_role("button", name="Save and submit for review").click()
    editor.wait_for_url("**/catalogue/mine/")

    # The reviewer finds it in the queue and sees what changed.
    review = _sign_in(browser, live_site, reviewer)
    review.get_by_role("link", name="Review", exact=True).click()
    review.wait_for_url("**/review/")
    assert review.locator("#queue-count").inner_text() == "1 submission waiting for review"
    row = review.locator("table.queue tbody tr")
    assert "submitted just now" in row.inner_text()
    row.get_by_role("link", name="Review Batrec lamp line").click()
    review.wait_for_url(f"**/review/facility/{facility.pk}/")
    changed = review.locator("table.diff tr.changed")
    assert changed.count() == 1
    assert changed.inner_text().split("\t") == [
        "Name changed",
        "Batrec lamp line",
        "Batrec Wimmis lamp line",
    ]

    # Returning without a reason is refused; with one, the entry goes back to its editors.
    review.get_by_role("button", name="Return with these reasons").click()
    review.wait_for_url(f"**/review/facility/{facility.pk}/")
    error = review.locator("#return-reason-error")
    assert error.inner_text() == "Say why the entry is returned, so it can be fixed"
    review.get_by_label("Reasons for returning it").fill("Give the number of the permit.")
    review.get_by_role("button", name="Return with these reasons").click()
    review.wait_for_url("**/review/")
    assert review.locator(".message-success").inner_text() == (
        "Returned to its editors with your reasons: Batrec lamp line."
    )
    assert review.locator("#queue-count").inner_text() == "0 submissions waiting for review"

    # The editor reads the reason, fixes the entry and submits it again.
    editor.goto(f"{live_site.url}/review/facility/{facility.pk}/versions/")
    assert "Give the number of the permit." in editor.locator("#return-reason").inner_text()
    editor.goto(edit_url)
    editor.fill("#id_permits", "Permit BE-2024-17")
    editor.get_by_role("button", name="Save and submit for review").click()
    editor.wait_for_url("**/catalogue/mine/")

    # Until validated, the public still sees the published version.
    editor.goto(public_url)
    assert editor.locator("h1").inner_text() == "Batrec lamp line"

    # The reviewer sees both changes and validates.
    review.reload()
    review.get_by_role("link", name="Review Batrec lamp line").click()
    review.wait_for_url(f"**/review/facility/{facility.pk}/")
    against_published = review.locator("section[aria-labelledby=changes-heading] table.diff")
    assert against_published.locator("tr.changed th").all_inner_texts() == [
        "Name changed",
        "Permits and certifications changed",
    ]
    # Only the permit changed since the return: the reviewer sees that apart.
    since_return = review.locator("section[aria-labelledby=returned-changes-heading] table.diff")
    assert since_return.locator("tr.changed th").all_inner_texts() == [
        "Permits and certifications changed"
    ]
    history = review.locator(".decisions li").all_inner_texts()
    assert history[1].startswith("Returned version 2 · rita.reviewer")
    assert "Give the number of the permit." in history[1]
    review.get_by_role("button", name="Validate and publish").click()
    review.wait_for_url("**/review/")
    assert review.locator(".message-success").inner_text() == (
        "Validated and published: Batrec Wimmis lamp line."
    )

    # The public page shows the new version.
    editor.goto(public_url)
    assert editor.locator("h1").inner_text() == "Batrec Wimmis lamp line"
    assert "Permit BE-2024-17" in editor.locator(".facts").inner_text()
    review.context.close()
    editor.context.close()


def test_the_review_pages_fit_a_phone(browser, live_site, people):
    owner, reviewer = people
    facility = review_actions.do_create_draft("facility", owner, FACILITY)
    review_actions.do_submit_entry("facility", owner, facility)
    phone = _sign_in(browser, live_site, reviewer, width=380)
    for path in (
        "/review/",
        f"/review/facility/{facility.pk}/",
        f"/review/facility/{facility.pk}/versions/",
    ):
        phone.goto(live_site.url + path)
        width = phone.evaluate("document.documentElement.scrollWidth")
        assert width <= 380, f"{path} is {width}px wide on a 380px phone"
    phone.context.close()
