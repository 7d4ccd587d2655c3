"""The Partnership's partners and working groups in Chromium: a visitor filters the partners
and sees them on the map; a partner's editor asks for the organization to join WG1, a leader of
the group approves, and the organization shows as a member on the group's page and in the
partners list."""

from datetime import date
from pathlib import Path

import pytest

from mercuryhub.accounts.actions import do_create_organization, do_update_organization
from mercuryhub.accounts.models import User
from mercuryhub.partnership.group_actions import do_appoint_leader
from mercuryhub.partnership.models import GroupMembership, WorkingGroup
from tests.conftest import PASSWORD, make_user

pytestmark = pytest.mark.browser


def _partner(editor, reviewer, name, country, stakeholder_type):
    organization = do_create_organization(
        editor, {"name": name, "stakeholder_type": stakeholder_type, "country": country}
    )
    return do_update_organization(
        reviewer,
        organization,
        {"is_partner": True, "partnership_areas": ["waste-management"]},
    )


def _sign_in(browser, live_site, user, then):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(20_000)
    page.goto(f"{live_site.url}/accounts/login/?next={then}")
    page.get_by_label("Email").fill(user.email)
    page.get_by_label("Password").fill(PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name="Sign In").click()
    return context, page


def test_partners_are_filtered_and_mapped(browser, live_site, page):
    reviewer = make_user("sam.secretariat@unep.example", User.Role.REVIEWER)
    _partner(
        make_user("a@batrec.example"), reviewer, "Batrec Industrie AG", "CHE", "private-sector"
    )
    _partner(make_user("b@ngo.example.gh"), reviewer, "Mercury-Free Ghana", "GHA", "ngo")

    page.goto(f"{live_site.url}/partnership/")
    page.get_by_role("link", name="Partners", exact=True).first.click()
    page.wait_for_url("**/partnership/partners/")
    assert page.get_by_role("status").inner_text().startswith("2 partners · 2 countries")
    page.wait_for_selector("#partner-map .leaflet-interactive")
    assert page.locator("#partner-map path.leaflet-interactive").count() == 2

    page.get_by_label("Stakeholder type").select_option("ngo")
    with page.expect_navigation():
        page.get_by_role("button", name="Show").click()

    assert page.get_by_role("status").inner_text().startswith("1 partner · 1 country")
    rows = page.locator("table.partner-table tbody tr")
    assert rows.count() == 1
    assert "Mercury-Free Ghana" in rows.first.inner_text()
    page.wait_for_selector("#partner-map .leaflet-interactive")
    assert page.locator("#partner-map path.leaflet-interactive").count() == 1
    with page.expect_download() as download:
        page.get_by_role("link", name="Download as CSV").click()
    content = Path(download.value.path()).read_text(encoding="utf-8-sig")
    assert "Mercury-Free Ghana" in content and "Batrec" not in content


def test_a_partner_asks_to_join_and_a_leader_approves(browser, live_site):
    reviewer = make_user("sam.secretariat@unep.example", User.Role.REVIEWER)
    editor = make_user("owen.owner@batrec.example")
    batrec = _partner(editor, reviewer, "Batrec Industrie AG", "CHE", "private-sector")
    leader = make_user("akosua.leader@ngo.example.gh")
    ghana = _partner(leader, reviewer, "Mercury-Free Ghana", "GHA", "ngo")
    wg1 = WorkingGroup.objects.get(term__code="wg1")
    do_appoint_leader(
        reviewer,
        wg1,
        person=leader,
        organization=ghana,
        gender="woman",
        started_on=date(2024, 1, 1),
    )

    context, page = _sign_in(browser, live_site, editor, "/partnership/groups/wg1/")
    page.wait_for_url("**/partnership/groups/wg1/")
    assert "This group has 1 leader; it needs at least 2." in page.locator("main").inner_text()
    page.get_by_label("Why your organization wishes to join (optional)").fill(
        "We recycle lamps and batteries."
    )
    with page.expect_navigation():
        page.get_by_role("button", name="Ask to join").click()
    assert "Batrec Industrie AG asked to join; the group's leads will answer by e-mail." in (
        page.locator(".messages").inner_text()
    )
    context.close()

    context, page = _sign_in(browser, live_site, leader, "/partnership/groups/wg1/")
    page.wait_for_url("**/partnership/groups/wg1/")
    request = page.locator(".request-list li", has_text="Batrec Industrie AG")
    assert "We recycle lamps and batteries." in request.inner_text()
    with page.expect_navigation():
        request.get_by_role("button", name="Approve").click()
    assert "Batrec Industrie AG is now a member of the group." in (
        page.locator(".messages").inner_text()
    )
    members = page.locator("section", has=page.get_by_role("heading", name="Member organizations"))
    assert "Batrec Industrie AG" in members.inner_text()
    context.close()

    assert GroupMembership.objects.get(organization=batrec).state == "member"
    page = browser.new_page()
    page.goto(f"{live_site.url}/partnership/partners/?group=wg1")
    assert page.locator("table.partner-table tbody tr").count() == 1
    page.close()
