"""A country team's National Action Plan in Chromium, from the first draft to the Word document:
the team starts the plan and writes a section, opens a review round and invites an expert, the
expert comments on the section, the team resolves the comment, then exports the plan."""

import re

import pytest
from docx import Document

from mercuryhub.accounts.actions import do_create_organization
from tests.conftest import PASSWORD, make_user

pytestmark = pytest.mark.browser

TARGETS = "Halve the mercury used in artisanal gold mining by 2031."


def _sign_in(page, live_site, user, then):
    page.goto(f"{live_site.url}/accounts/login/?next={then}")
    page.get_by_label("Email").fill(user.email)
    page.get_by_label("Password").fill(PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name="Sign In").click()


def test_a_plan_is_drafted_reviewed_and_exported(browser, live_site):
    lead = make_user("grace.lead@epa.example")
    agency = do_create_organization(
        lead,
        {"name": "Environmental Protection Agency of Ghana", "stakeholder_type": "government",
         "country": "GHA"},
    )  # fmt: skip
    expert = make_user("ama.expert@health.example")

    team = browser.new_context(viewport={"width": 1280, "height": 900})
    page = team.new_page()
    page.set_default_timeout(20_000)
    _sign_in(page, live_site, lead, "/nap/new/")
    page.wait_for_url("**/nap/new/")
    page.locator("[name=name]").fill("Ghana ASGM National Action Plan 2027–2031")
    page.locator("[name=country]").select_option("GHA")
    page.locator("[name=organization]").select_option(agency.slug)
    page.locator("[name=period_start]").fill("2027")
    page.locator("[name=period_end]").fill("2031")
    with page.expect_navigation():
        page.get_by_role("button", name="Start the plan").click()
    pk = int(re.search(r"/nap/plans/(\d+)/builder/", page.url).group(1))

    # Drafting: the section of element (a), its guidance beside it.
    page.goto(f"{live_site.url}/nap/plans/{pk}/builder/sections/a/")
    page.locator("textarea[name=text]").fill(f"## Targets\n\n{TARGETS}")
    with page.expect_navigation():
        page.get_by_role("button", name="Save the section").click()

    # Review: a round opened on the draft, the expert invited by address.
    page.goto(f"{live_site.url}/nap/plans/{pk}/review/")
    with page.expect_navigation():
        page.get_by_role("button", name="Open the round").click()
    page.locator("#invite-email").fill(expert.email)
    with page.expect_navigation():
        page.get_by_role("button", name="Invite").click()
    assert expert.email in page.content()

    reviewer = browser.new_context(viewport={"width": 390, "height": 844})
    review_page = reviewer.new_page()
    review_page.set_default_timeout(20_000)
    _sign_in(review_page, live_site, expert, f"/nap/plans/{pk}/review/")
    review_page.wait_for_url(f"**/nap/plans/{pk}/review/")
    assert TARGETS in review_page.locator("#section-a").inner_text()
    review_page.locator("#comment-text-a").fill("Give the baseline year of the target.")
    with review_page.expect_navigation():
        review_page.locator("#section-a").get_by_role("button", name="Comment").click()
    assert "Give the baseline year" in review_page.locator("#section-a").inner_text()
    reviewer.close()

    page.goto(f"{live_site.url}/nap/plans/{pk}/review/")
    section = page.locator("#section-a")
    assert "Give the baseline year" in section.inner_text()
    section.locator("textarea[name=resolution]").fill("Baseline year 2024 added.")
    with page.expect_navigation():
        section.get_by_role("button", name="Resolve").click()
    assert "Baseline year 2024 added." in page.locator("#section-a").inner_text()

    # Export: the Word document of the draft, read back.
    page.goto(f"{live_site.url}/nap/plans/{pk}/builder/")
    with page.expect_download() as download:
        page.get_by_role("link", name="Export to Word").click()
    document = Document(str(download.value.path()))
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    texts = [p.text for p in document.paragraphs]
    assert any("National objectives and reduction targets" in heading for heading in headings)
    assert TARGETS in texts
    team.close()


def test_the_world_map_draws_a_point_per_country_with_its_popup(page, live_site):
    from django.core.management import call_command

    call_command("load_nap_reference", verbosity=0)
    page.goto(f"{live_site.url}/nap/world/")
    points = page.evaluate(
        "JSON.parse(document.getElementById('nap-map-points').textContent).length"
    )
    page.wait_for_selector("[data-nap-map] path.leaflet-interactive")
    assert points > 20
    assert page.locator("[data-nap-map] path.leaflet-interactive").count() == points
    page.locator("[data-nap-map] path.leaflet-interactive").first.click(force=True)
    popup = page.locator(".leaflet-popup-content .map-popup")
    assert popup.locator(".map-popup-title").inner_text()
    assert popup.locator("a.map-popup-link").count() >= 1
