"""The solution exchange end to end in Chromium: a ministry posts a need, sees who can help and
why, a partner offers help, the ministry accepts, and both receive each other's address."""

import pytest
from django.core import mail

from mercuryhub.accounts.actions import do_create_organization
from mercuryhub.exchange.models import Need, Offer
from tests.browser.test_needs import _sign_in
from tests.conftest import make_user
from tests.exchange.conftest import make_facility

pytestmark = pytest.mark.browser


@pytest.fixture
def people(live_site):
    ministry = make_user("kofi.ministry@epa.example.gh")
    do_create_organization(
        ministry, {"name": "EPA Ghana", "stakeholder_type": "government", "country": "GHA"}
    )
    partner = make_user("pierre.partner@lumiere.example.fr")
    do_create_organization(
        partner,
        {"name": "Recyclage Lumière", "stakeholder_type": "private-sector", "country": "FRA"},
    )
    make_facility("Tema lamp depot", "GHA", 5.67, -0.02, "lamps")
    return ministry, partner


def test_a_need_is_posted_matched_offered_and_accepted(page, live_site, people):
    ministry, partner = people
    _sign_in(page, live_site, ministry, "/catalogue/new/need/")
    page.wait_for_url("**/catalogue/new/need/")
    page.get_by_label("Title (required)").fill("Spent fluorescent tubes from schools")
    page.get_by_label("Description (required)").fill("Schools in Accra replace their tubes.")
    page.get_by_label("Country (required)").select_option("GHA")
    page.get_by_label("Funding status (required)").select_option("funded")
    page.get_by_role("checkbox", name="Mercury lamps").check()
    with page.expect_navigation():
        page.get_by_role("button", name="Save and submit for review").click()
    need = Need.objects.get()
    assert need.published  # an editor of an organization: published on submission

    page.goto(f"{live_site.url}/exchange/needs/{need.pk}/")
    matches = page.locator(".need-matches")
    first = matches.locator(".match").first
    assert first.get_by_role("link").inner_text() == "Tema lamp depot"
    reasons = first.locator(".match-reasons").inner_text()
    assert "accepts Mercury lamps" in reasons and "in Ghana" in reasons

    page.context.clear_cookies()
    _sign_in(page, live_site, partner, f"/exchange/needs/{need.pk}/")
    page.get_by_label("What you offer").fill("We collect lamps in West Africa.")
    with page.expect_navigation():
        page.get_by_role("button", name="Send the offer").click()
    assert "Your offer is sent" in page.locator(".messages").inner_text()
    assert [m.to for m in mail.outbox] == [[ministry.email]]

    page.context.clear_cookies()
    _sign_in(page, live_site, ministry, f"/exchange/needs/{need.pk}/")
    assert "We collect lamps in West Africa." in page.locator(".need-offers").inner_text()
    with page.expect_navigation():
        page.get_by_role("button", name="Accept and exchange contact details").click()
    assert "Offer accepted" in page.locator(".messages").inner_text()
    assert Offer.objects.get().state == "accepted"
    need.refresh_from_db()
    assert need.state == "in_contact"
    by_recipient = {m.to[0]: m.body for m in mail.outbox[1:]}
    assert ministry.email in by_recipient[partner.email]
    assert partner.email in by_recipient[ministry.email]
