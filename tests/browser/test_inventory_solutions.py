"""Ghana's inventory team looks at where its wastes can go: the map of the facilities for each
waste around Ghana, a waste switched off and on, a popup leading to a facility; then posts a need
for the lamps with one click."""

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from mercuryhub.accounts.actions import do_create_organization
from mercuryhub.exchange.models import Need
from mercuryhub.inventory.actions import do_create_inventory
from mercuryhub.inventory.reference import do_load_factor_sets
from mercuryhub.review import actions as review
from tests.browser.test_map_and_finder import _watch_for_outside_requests
from tests.browser.test_needs import _sign_in
from tests.catalogue.conftest import make_facility
from tests.conftest import make_user
from tests.inventory.conftest import DATA, content

pytestmark = pytest.mark.browser

FACILITIES = [
    ("tema", "Tema lamp recovery", "Tema Recycling", "GHA", "Tema", 5.67, -0.01,
     "operating", "lamps", "lamp-processing", ""),
    ("lagos", "Lagos lamp plant", "Lagos Recyclers", "NGA", "Lagos", 6.45, 3.39,
     "operating", "lamps", "lamp-processing", ""),
    ("wimmis", "Batrec Wimmis plant", "Batrec Industrie AG", "CHE", "Wimmis", 46.676, 7.638,
     "operating", "lamps;measuring-devices", "thermal-recovery", ""),
]  # fmt: skip


@pytest.fixture
def ghana(live_site):
    """Ghana's published inventory (lamps, batteries, thermometers), its team lead, and three
    facilities: two for lamps in West Africa, one for lamps and thermometers in Switzerland."""
    team_lead = make_user("ama.inventory@epa.example")
    reviewer = make_user("rita.reviewer@unep.example", "reviewer")
    do_create_organization(
        team_lead,
        {
            "name": "Environmental Protection Agency of Ghana",
            "stakeholder_type": "government",
            "country": "GHA",
        },
    )
    do_load_factor_sets(DATA / "example_sets.csv", DATA / "example_factors.csv")
    inventory = do_create_inventory(team_lead, content())
    inventory = review.do_submit_entry("inventory", team_lead, inventory)
    inventory = review.do_validate_entry("inventory", reviewer, inventory)
    facilities = {row[0]: make_facility(*row) for row in FACILITIES}
    return {"inventory": inventory, "team_lead": team_lead, "facilities": facilities}


def _click_until(page, locator, appears, attempts=5):
    """Click, and again if the map was still moving into its bounds (as a person would)."""
    for _attempt in range(attempts):
        locator.click()
        try:
            appears.wait_for(timeout=3000)
            return
        except PlaywrightTimeoutError:
            continue
    appears.wait_for()


def test_the_map_shows_the_facilities_of_each_waste_around_the_country(page, live_site, ghana):
    outside = _watch_for_outside_requests(page, live_site)
    inventory = ghana["inventory"]
    page.goto(f"{live_site.url}/inventory/{inventory.pk}/solutions/")
    # Three facilities for lamps, one for thermometers (Wimmis again), none for batteries.
    page.wait_for_selector("#solutions-map[data-markers='4']")
    page.wait_for_selector(".leaflet-basemap-pane canvas")
    assert page.locator("path.finder-origin").count() == 1
    assert page.locator("path.grouped-marker-lamps").count() == 3
    assert page.locator("path.grouped-marker-measuring-devices").count() == 1

    control = page.locator(".leaflet-control-layers-overlays")
    assert [text.strip() for text in control.locator("label").all_inner_texts()] == [
        "Mercury measuring devices (1)",
        "Mercury lamps (3)",
    ]
    # Switching the lamps off takes their facilities off the map; on again brings them back.
    control.get_by_text("Mercury lamps (3)").click()
    page.wait_for_function("document.querySelectorAll('path.grouped-marker-lamps').length === 0")
    control.get_by_text("Mercury lamps (3)").click()
    page.wait_for_function("document.querySelectorAll('path.grouped-marker-lamps').length === 3")

    # Wimmis, far from the others, is a lamp facility (drawn over its thermometer marker): its
    # popup names the waste, the distance, that it lies in another country, and links it.
    wimmis = ghana["facilities"]["wimmis"]
    popup = page.locator(".leaflet-popup-content")
    _click_until(page, page.locator("path.grouped-marker-lamps").nth(2), popup)
    text = popup.inner_text()
    assert "Batrec Wimmis plant" in text and "Mercury lamps" in text
    assert "km away" in text and "In another country" in text
    link = popup.locator("a.map-popup-title")
    assert link.get_attribute("href") == wimmis.get_absolute_url()
    assert outside == []


def test_the_team_posts_a_need_for_a_waste_with_one_click(page, live_site, ghana):
    inventory = ghana["inventory"]
    _sign_in(page, live_site, ghana["team_lead"], f"/inventory/{inventory.pk}/solutions/")
    lamps = page.locator("#waste-lamps")
    with page.expect_navigation():
        lamps.get_by_role("button", name="Post a need · Mercury lamps").click()
    assert "is posted in the solution exchange" in page.locator(".messages").inner_text()
    need = Need.objects.get()
    lamps = page.locator("#waste-lamps")
    assert "Need posted" in lamps.inner_text()
    assert lamps.get_by_role("button").count() == 0
    with page.expect_navigation():
        lamps.get_by_role("link", name="Open the need · Mercury lamps").click()
    assert page.url.endswith(f"/exchange/needs/{need.pk}/")
    assert page.locator("h1").inner_text() == "Mercury lamps from Ghana: treatment or disposal"


def test_the_solutions_page_fits_a_phone_in_english_and_arabic(browser, live_site, ghana):
    context = browser.new_context(viewport={"width": 360, "height": 740}, is_mobile=True)
    phone = context.new_page()
    inventory = ghana["inventory"]
    for prefix in ("", "/ar"):
        phone.goto(f"{live_site.url}{prefix}/inventory/{inventory.pk}/solutions/")
        phone.wait_for_selector("#solutions-map[data-markers='4']")
        width = phone.evaluate("document.documentElement.scrollWidth")
        assert width <= 360, f"{prefix or '/'}: the page is {width}px wide on a 360px phone"
        # On a phone the list of wastes folds into the map's corner.
        assert phone.locator(".leaflet-control-layers-expanded").count() == 0
    context.close()
