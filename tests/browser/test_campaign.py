"""The annual update as people do it: the secretariat opens a campaign, an editor follows the link
in the e-mail, signs in and reconfirms their facility, and the dashboard shows the progress."""

import re

import pytest
from django.core import mail

from tests.catalogue.conftest import FACILITIES, make_facility
from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser


def _sign_in(page, email: str) -> None:
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name="Sign In").click()


@pytest.fixture
def catalogue(live_site, organization, settings):
    """The five starter facilities; Batrec's operator is the owner's organization."""
    settings.SITE_URL = live_site.url
    return {row[0]: make_facility(*row) for row in FACILITIES}


def test_an_editor_reconfirms_from_the_mail_and_the_dashboard_shows_it(
    browser, page, live_site, catalogue, owner, reviewer
):
    page.goto(live_site.url + "/review/campaigns/")
    _sign_in(page, reviewer.email)
    page.wait_for_url("**/review/campaigns/")
    assert page.get_by_label("Year").input_value().isdigit()
    page.get_by_label("Message to the editors").fill("Please check your accepted wastes.")
    with page.expect_navigation():
        page.get_by_role("button", name="Open the campaign and send the e-mails").click()
    dashboard_url = page.url
    assert re.search(r"/review/campaigns/\d+/$", dashboard_url)
    assert "0 of 5 published entries confirmed" in page.locator("#overall-progress").inner_text()

    (message,) = [m for m in mail.outbox if m.to == [owner.email]]
    (link,) = re.findall(r"http://\S+/reconfirm/", message.body)
    editor = browser.new_context(viewport={"width": 380, "height": 800}, locale="en-GB")
    phone = editor.new_page()
    phone.goto(link)
    _sign_in(phone, owner.email)
    assert phone.url == link
    assert phone.locator("h1").inner_text() == "Is “Batrec Wimmis plant” still correct?"
    assert phone.get_by_role("link", name="Edit it").get_attribute("href") == (
        f"/catalogue/facility/{catalogue['batrec'].pk}/edit/"
    )
    with phone.expect_navigation():
        phone.get_by_role("button", name="Still correct: reconfirm").click()
    assert "is confirmed as of" in phone.locator(".messages").inner_text()
    assert phone.locator("#confirmation-status").inner_text() == "Confirmed today. Thank you."
    editor.close()

    page.goto(dashboard_url)
    assert "20% — 1 of 5 published entries confirmed" in (
        page.locator("#overall-progress").inner_text()
    )
    assert page.get_by_role("progressbar").get_attribute("aria-valuenow") == "20"
    batrec_row = page.locator("#organization-table tr", has_text="Batrec Industrie AG")
    assert batrec_row.locator("td").all_inner_texts() == ["1", "1", "100%"]
    switzerland = page.locator("#country-table tr", has_text="Switzerland")
    assert switzerland.locator("td").all_inner_texts() == ["1", "1", "100%"]
    page.wait_for_function("window.Chart && Chart.getChart('country-chart')")
    assert page.evaluate("Chart.getChart('country-chart').data.labels[0]") == "Switzerland"
