"""A visitor looks at the facility map and asks the finder where chlor-alkali wastes can go."""

import re

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from mercuryhub.catalogue.actions import do_save_entry
from mercuryhub.catalogue.fields import clean_facility

pytestmark = pytest.mark.browser

CHLOR_ALKALI_FACILITIES = [
    # external_id, name, country, city, lat, lon, status
    ("uy-mvd", "Planta Montevideo", "URY", "Montevideo", -34.9, -56.2, "operating"),
    ("ar-cam", "Planta Campana", "ARG", "Campana", -34.16, -58.96, "operating"),
    ("br-poa", "Usina Porto Alegre", "BRA", "Porto Alegre", -30.03, -51.23, "planned"),
    ("es-alm", "Planta Almadén", "ESP", "Almadén", 38.77, -4.84, "operating"),
    ("de-her", "Werk Herfa-Neurode", "DEU", "Heringen", 50.89, 9.98, "closed"),
]


@pytest.fixture
def facilities(live_site):
    made = {}
    for external_id, name, country, city, lat, lon, status in CHLOR_ALKALI_FACILITIES:
        data = {
            "external_id": external_id,
            "name": name,
            "operator": f"{name} Operator",
            "country": country,
            "city": city,
            "latitude": lat,
            "longitude": lon,
            "status": status,
            "accepted_wastes": "chlor-alkali",
        }
        made[external_id] = do_save_entry(
            "facility", clean_facility(data), review_state="imported", published=True
        )
    return made


def _distances(page) -> list[float]:
    values = page.locator(".finder-distance data").evaluate_all(
        "nodes => nodes.map(node => node.value)"
    )
    return [float(value) for value in values]


def _watch_for_outside_requests(page, live_site) -> list[str]:
    outside = []
    page.on(
        "request",
        lambda request: (
            None
            if request.url.startswith((live_site.url, "data:"))
            else outside.append(request.url)
        ),
    )
    return outside


def test_the_map_shows_every_facility_and_a_popup_leads_to_its_page(page, live_site, facilities):
    outside = _watch_for_outside_requests(page, live_site)
    page.goto(live_site.url + "/catalogue/map/")
    page.wait_for_selector("#facility-map[data-markers='5']")
    assert page.locator("#map-status").inner_text() == "5 facilities on the map"
    # The offline basemap is drawn (on a canvas in its own pane) under the markers.
    page.wait_for_selector(".leaflet-basemap-pane canvas")

    # Every facility is either its own circle or counted in a cluster.
    lone = page.locator("path.facility-marker").count()
    clustered = sum(int(text) for text in page.locator(".marker-cluster span").all_inner_texts())
    assert lone + clustered == 5
    assert page.locator(".map-legend").inner_text().split() == [
        "Operating",
        "Planned",
        "Closed",
        "Unknown",
    ]

    # Almadén and Heringen are far from the others: each has its own circle. The map may still
    # be settling into its bounds when the markers appear: a click during that animation lands
    # beside the circle, as it would for a person, who clicks again.
    popup = page.locator(".leaflet-popup-content")
    for _attempt in range(5):
        page.locator("path.facility-marker-closed").click()
        try:
            popup.wait_for(timeout=3000)
            break
        except PlaywrightTimeoutError:
            continue
    assert "Werk Herfa-Neurode" in popup.inner_text()
    assert "Heringen, Germany" in popup.inner_text()
    assert "Status: Closed" in popup.inner_text()
    assert "Accepted wastes: Wastes from mercury-cell chlor-alkali production" in popup.inner_text()
    link = popup.get_by_role("link", name="Open the facility page")
    address = facilities["de-her"].get_absolute_url()
    assert link.get_attribute("href") == address
    # The link is followed from the keyboard, as a keyboard user does: a click may land beside
    # it while the map still pans to show the popup, which on a loaded machine takes seconds.
    link.press("Enter")
    page.wait_for_url(f"**{address}")
    assert page.locator("h1").inner_text() == "Werk Herfa-Neurode"
    assert outside == []


def test_a_cluster_opens_into_its_facilities(page, live_site, facilities):
    page.goto(live_site.url + "/catalogue/map/")
    page.wait_for_selector("#facility-map[data-markers='5']")
    clusters = page.locator(".marker-cluster")
    if clusters.count() == 0:
        pytest.skip("at this window size no facilities are clustered")
    before = page.locator("path.facility-marker").count()
    opened = f"document.querySelectorAll('path.facility-marker').length > {before}"
    # As above: a click while the map settles into its bounds may miss; a person clicks again.
    for _attempt in range(5):
        clusters.first.click()
        try:
            page.wait_for_function(opened, timeout=3000)
            break
        except PlaywrightTimeoutError:
            continue
    page.wait_for_function(opened)


def test_a_map_with_more_facilities_than_it_takes_gets_them_counted_then_each_as_it_zooms(
    page, live_site, facilities, settings
):
    settings.CATALOGUE_MAP_POINTS_LIMIT = 2
    page.goto(live_site.url + "/catalogue/map/")
    # Cells first: South America's three, Almadén and Heringen; fitted to them, the map asks
    # again for its view.
    page.wait_for_selector("#facility-map[data-ready='1'][data-markers='5']")
    assert page.locator("#map-status").inner_text() == "5 facilities on the map"
    assert page.locator("path.facility-marker").count() == 0
    counts = page.locator(".marker-cluster span").all_inner_texts()
    assert sum(int(count) for count in counts) == 5

    # A click on a cell zooms in on it, and the map asks for the new view: down to each
    # facility in view, once no more than two are.
    map_ready = "#facility-map[data-ready='1']"
    for _click in range(8):
        if page.locator("#facility-map").get_attribute("data-cells") == "0":
            break
        largest = max(
            page.locator("#facility-map .marker-cluster").all(),
            key=lambda cell: int(cell.inner_text()),
        )
        largest.click()
        page.wait_for_selector(map_ready)
    assert page.locator("#facility-map").get_attribute("data-cells") == "0"
    shown = int(page.locator("#facility-map").get_attribute("data-markers"))
    lone = page.locator("path.facility-marker").count()
    clustered = sum(int(text) for text in page.locator(".marker-cluster span").all_inner_texts())
    assert lone + clustered == shown
    assert 1 <= shown <= 2
    assert page.locator("#map-status").inner_text() == f"{shown} facilities on the map"


def test_the_map_filters_are_kept_in_the_address(page, live_site, facilities):
    page.goto(live_site.url + "/catalogue/map/")
    page.select_option("#map-country", "ARG")
    with page.expect_navigation():
        page.get_by_role("button", name="Show on the map").click()
    assert "country=ARG" in page.url
    page.wait_for_selector("#facility-map[data-markers='1']")
    assert page.locator("#map-list-heading").inner_text() == "1 facility"


def test_the_finder_from_a_point_in_uruguay_lists_facilities_nearest_first(
    page, live_site, facilities
):
    outside = _watch_for_outside_requests(page, live_site)
    page.goto(live_site.url + "/catalogue/finder/")
    page.select_option("#finder-waste", "chlor-alkali")
    page.fill("#finder-lat", "-32.5")
    page.fill("#finder-lon", "-55.8")
    with page.expect_navigation():
        page.get_by_role("button", name="Find facilities").click()

    distances = _distances(page)
    assert len(distances) == 4  # the closed plant is left out
    assert distances == sorted(distances)
    results = page.locator(".finder-result")
    assert results.first.locator("h3").inner_text() == "Planta Montevideo"
    assert "transboundary" not in results.first.inner_text()
    assert "In another country: transboundary movement under the Basel Convention applies." in (
        results.nth(1).inner_text()
    )
    # Each result is numbered on the map as in the list, around the starting point.
    assert page.locator(".finder-rank").all_inner_texts() == ["1", "2", "3", "4"]
    assert page.locator("path.finder-origin").count() == 1

    results.first.get_by_role("link", name="Planta Montevideo").click()
    page.wait_for_url(re.compile(r"/catalogue/facilities/\d+/$"))
    assert page.locator("h1").inner_text() == "Planta Montevideo"
    assert outside == []


def test_a_click_on_the_finder_map_searches_from_that_point(page, live_site, facilities):
    page.goto(live_site.url + "/catalogue/finder/?waste=chlor-alkali&lat=-32.5&lon=-55.8")
    page.wait_for_selector("path.finder-origin")
    box = page.locator("#finder-map").bounding_box()
    with page.expect_navigation():
        # A little to the west of the map's centre, well away from the zoom buttons.
        page.mouse.click(box["x"] + box["width"] * 0.4, box["y"] + box["height"] * 0.6)
    lat = float(page.input_value("#finder-lat"))
    lon = float(page.input_value("#finder-lon"))
    assert (lat, lon) != (-32.5, -55.8)
    assert f"lat={lat}" in page.url.replace("%2D", "-")
    assert page.input_value("#finder-country") == ""
    distances = _distances(page)
    assert distances and distances == sorted(distances)


def test_a_click_before_choosing_a_waste_asks_for_one(page, live_site, facilities):
    page.goto(live_site.url + "/catalogue/finder/")
    page.wait_for_selector("#finder-map.leaflet-container")
    page.locator("#finder-map").click(position={"x": 300, "y": 250})
    assert page.input_value("#finder-lat") != ""
    assert "choose a waste category" in page.locator("#finder-map-hint").inner_text()
    assert page.evaluate("document.activeElement.id") == "finder-waste"


def test_the_map_and_the_finder_fit_a_phone(browser, live_site, facilities):
    context = browser.new_context(viewport={"width": 360, "height": 740}, is_mobile=True)
    phone = context.new_page()
    for path in (
        "/catalogue/map/",
        "/catalogue/finder/?waste=chlor-alkali&lat=-32.5&lon=-55.8",
    ):
        phone.goto(live_site.url + path)
        phone.wait_for_selector(".leaflet-container")
        width = phone.evaluate("document.documentElement.scrollWidth")
        assert width <= 360, f"{path} is {width}px wide on a 360px phone"
    context.close()


def test_on_a_phone_the_maps_leave_room_to_scroll_the_page_in_both_directions(
    browser, live_site, facilities
):
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)
    phone = context.new_page()
    for path in ("/catalogue/map/", "/ar/catalogue/map/", "/ar/catalogue/finder/"):
        phone.goto(live_site.url + path)
        box = phone.locator(".leaflet-container").bounding_box()
        assert phone.evaluate("document.documentElement.scrollWidth") <= 390, path
        assert 240 <= box["height"] <= 0.65 * 844, f"{path}: the map is {box['height']}px tall"
        assert box["x"] >= 0 and box["x"] + box["width"] <= 390, path
    context.close()


def test_on_a_phone_the_finder_brings_its_results_into_view_and_focus(
    browser, live_site, facilities
):
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)
    phone = context.new_page()
    phone.goto(live_site.url + "/catalogue/finder/")
    phone.select_option("#finder-waste", "chlor-alkali")
    phone.select_option("#finder-country", "URY")
    with phone.expect_navigation():
        phone.get_by_role("button", name="Find facilities").click()
    heading = phone.locator("#finder-results-heading")
    phone.wait_for_function("document.activeElement.id === 'finder-results-heading'")
    phone.wait_for_function(
        "Math.abs(document.getElementById('finder-results-heading')"
        ".getBoundingClientRect().top) < 40"
    )
    assert heading.inner_text().startswith("Nearest facilities for “Wastes from mercury-cell")
    assert phone.locator(".finder-result").first.is_visible()
    context.close()


def test_on_a_wide_screen_the_finder_leaves_the_focus_at_the_top(page, live_site, facilities):
    page.goto(live_site.url + "/catalogue/finder/?waste=chlor-alkali&country=URY")
    page.wait_for_selector("path.finder-origin")
    assert page.evaluate("document.activeElement.tagName") == "BODY"
    assert page.evaluate("window.scrollY") == 0
