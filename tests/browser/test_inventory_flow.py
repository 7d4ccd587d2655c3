"""A national inventory team's mercury waste inventory in Chromium, from the first draft to the
published results: the team starts the inventory, adds a line whose national factor has no
justification (and reads why it is refused), corrects it, reads the results, submits; once the
secretariat has validated it, anyone reads the quantities."""

import re

import pytest

from mercuryhub.accounts.actions import do_create_organization
from mercuryhub.accounts.models import User
from mercuryhub.inventory.models import Inventory
from mercuryhub.review.actions import do_validate_entry
from tests.conftest import PASSWORD, make_user

pytestmark = pytest.mark.browser


def _sign_in(page, live_site, user, then):
    page.goto(f"{live_site.url}/accounts/login/?next={then}")
    page.get_by_label("Email").fill(user.email)
    page.get_by_label("Password").fill(PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name="Sign In").click()


def _add_cfl_line(page, *, justification: str):
    page.locator("[name=category]").select_option("lamps-compact-fluorescent")
    page.locator("[name=activity]").fill("2000000")
    page.locator("[name=activity_unit]").select_option("item")
    page.locator("[name=input_low]").fill("5")
    page.locator("[name=input_high]").fill("15")
    page.locator("[name=input_unit]").select_option("mg/item")
    page.locator("[name=share_air]").fill("0.05")
    page.locator("[name=share_general_waste]").fill("0.95")
    page.locator("[name=justification]").fill(justification)
    with page.expect_navigation():
        page.get_by_role("button", name="Save the line").click()


def test_an_inventory_is_drafted_calculated_submitted_and_published(browser, live_site):
    lead = make_user("ama.inventory@epa.example")
    agency = do_create_organization(
        lead,
        {"name": "Environmental Protection Agency of Ghana", "stakeholder_type": "government",
         "country": "GHA"},
    )  # fmt: skip
    secretariat = make_user("sam.secretariat@unep.example", User.Role.REVIEWER)

    team = browser.new_context(viewport={"width": 1280, "height": 900})
    page = team.new_page()
    page.set_default_timeout(20_000)
    _sign_in(page, live_site, lead, "/inventory/new/")
    page.wait_for_url("**/inventory/new/")
    page.locator("[name=name]").fill("Ghana mercury waste inventory 2023")
    page.locator("[name=country]").select_option("GHA")
    page.locator("[name=organization]").select_option(agency.slug)
    page.locator("[name=year]").fill("2023")
    page.locator("[name=population]").fill("33000000")
    with page.expect_navigation():
        page.get_by_role("button", name="Start the inventory").click()
    pk = int(re.search(r"/inventory/(\d+)/", page.url).group(1))

    # A national factor without its justification is refused, with the reason beside it.
    page.goto(f"{live_site.url}/inventory/{pk}/lines/new/")
    _add_cfl_line(page, justification="")
    assert "justification" in page.locator(".errorlist, .error-summary").first.inner_text().lower()
    assert Inventory.objects.get(pk=pk).lines.count() == 0

    page.locator("[name=justification]").fill("Survey of the lamp importers, 2023")
    with page.expect_navigation():
        page.get_by_role("button", name="Save the line").click()

    page.goto(f"{live_site.url}/inventory/{pk}/")
    results = page.locator("table").first.inner_text()
    assert "Compact fluorescent lamps" in results
    assert "10–30" in results  # 2,000,000 lamps × 5–15 mg = 10–30 kg a year
    assert "9.5–28.5" in results  # 95 % of it in general waste

    page.goto(f"{live_site.url}/inventory/{pk}/edit/")
    with page.expect_navigation():
        page.get_by_role("button", name="Submit for review").click()
    team.close()

    # Before validation the public does not see it; after, it reads the same results.
    public = browser.new_context(viewport={"width": 390, "height": 844})
    reader = public.new_page()
    reader.set_default_timeout(20_000)
    reader.goto(f"{live_site.url}/inventory/")
    assert "Ghana mercury waste inventory 2023" not in reader.content()
    do_validate_entry("inventory", secretariat, Inventory.objects.get(pk=pk))
    reader.goto(f"{live_site.url}/inventory/")
    with reader.expect_navigation():
        reader.get_by_role("link", name="Ghana mercury waste inventory 2023").click()
    assert "10–30" in reader.locator("table").first.inner_text()
    public.close()
