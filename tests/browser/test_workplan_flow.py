"""A working group's workplan in Chromium: the leader's organization drafts it with its
activities one a line (a fourth year is refused with its reason), submits it; once the
secretariat has validated it, the page shows the activities by year and a partner endorses it;
then a partner chooses a weekly digest."""

import pytest

from mercuryhub.accounts.actions import do_create_organization
from mercuryhub.accounts.models import Organization, User
from mercuryhub.partnership.models import DigestPreference, Leadership, Workplan
from mercuryhub.review.actions import do_validate_entry
from tests.conftest import PASSWORD, make_user
from tests.partnership.work import working_groups

pytestmark = pytest.mark.browser


def _sign_in(page, live_site, user, then):
    page.goto(f"{live_site.url}/accounts/login/?next={then}")
    page.get_by_label("Email").fill(user.email)
    page.get_by_label("Password").fill(PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name="Sign In").click()


def test_a_workplan_is_drafted_published_and_endorsed(browser, live_site):
    lead = make_user("lea.lead@batrec.example")
    batrec = do_create_organization(
        lead, {"name": "Batrec Industrie AG", "stakeholder_type": "private-sector",
               "country": "CHE"},
    )  # fmt: skip
    Organization.objects.filter(pk=batrec.pk).update(is_partner=True)
    group = working_groups()["wg1"]
    Leadership.objects.create(
        group=group, person=lead, organization=batrec, started_on="2025-01-01"
    )
    secretariat = make_user("sam.secretariat@unep.example", User.Role.REVIEWER)

    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(20_000)
    _sign_in(page, live_site, lead, "/catalogue/new/workplan/")
    page.wait_for_url("**/catalogue/new/workplan/")
    page.locator("[name=name]").fill("WG1 workplan")
    page.locator("[name=group]").select_option("wg1")
    page.locator("[name=organization]").select_option(batrec.slug)
    page.locator("[name=first_year]").fill("2026")
    page.locator("[name=last_year]").fill("2029")
    page.locator("[name=activities]").fill(
        "2026 | Lamp collection guide | Batrec | ongoing | A guide\n2027 | Webinar | | planned |"
    )
    with page.expect_navigation():
        page.get_by_role("button", name="Save and submit for review").click()
    assert "at most 3 years" in page.locator("main").inner_text()
    page.locator("[name=last_year]").fill("2028")
    with page.expect_navigation():
        page.get_by_role("button", name="Save and submit for review").click()
    workplan = Workplan.objects.get()
    assert workplan.review_state == "submitted"
    do_validate_entry("workplan", secretariat, workplan)

    page.goto(f"{live_site.url}/partnership/workplans/{workplan.pk}/")
    main = page.locator("main")
    assert "Ongoing: 1" in main.inner_text() and "Lamp collection guide" in main.inner_text()
    assert page.get_by_role("heading", name="2028").is_visible()
    page.get_by_label("Comment (optional)").fill("Batrec supports it.")
    with page.expect_navigation():
        page.get_by_role("button", name="Endorse", exact=True).click()
    assert "1 endorsement" in main.inner_text() and "Batrec supports it." in main.inner_text()

    page.goto(f"{live_site.url}/partnership/digest/")
    page.get_by_label("Every week").check()
    with page.expect_navigation():
        page.get_by_role("button", name="Save").click()
    assert DigestPreference.objects.get(person=lead).frequency == "weekly"
    context.close()
