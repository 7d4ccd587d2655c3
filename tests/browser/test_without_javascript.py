"""Pages work with JavaScript off (an old phone, a script blocked on a slow connection): the
search form submits, filters apply, results go to the next page, the finder answers and the
language switcher changes the language."""

import pytest

from mercuryhub.catalogue import views as catalogue_views
from tests.catalogue.conftest import make_facility

pytestmark = pytest.mark.browser

CITIES = [
    ("CHE", "Wimmis", 46.68, 7.64),
    ("DEU", "Starnberg", 48.0, 11.34),
    ("ESP", "Almadén", 38.77, -4.84),
    ("FRA", "Lyon", 45.76, 4.84),
    ("ITA", "Milano", 45.46, 9.19),
]


@pytest.fixture
def lamp_facilities(live_site):
    """25 facilities that recycle lamps, more than one page of results."""
    for number in range(25):
        country, city, lat, lon = CITIES[number % len(CITIES)]
        make_facility(
            f"lamps-{number}",
            f"Lamp recycling plant {number:02d}",
            f"Operator {number:02d}",
            country,
            city,
            lat + number / 100,
            lon,
            "planned" if number % 5 == 0 else "operating",
            "lamps",
            "lamp-processing",
            "Crushes fluorescent lamps and recovers their mercury.",
        )
    return live_site


@pytest.fixture
def no_script(browser):
    context = browser.new_context(java_script_enabled=False, locale="en-GB")
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


def test_search_filters_and_pages_without_javascript(no_script, lamp_facilities, monkeypatch):
    # A large result set: the filter panel would arrive by script; without it, a link asks for it.
    monkeypatch.setattr(catalogue_views, "FACETS_INLINE_UP_TO", 10)
    page = no_script
    page.goto(lamp_facilities.url + "/catalogue/")
    page.fill("#catalogue-q", "lamp")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "q=lamp" in page.url
    assert page.locator("#result-count").inner_text().startswith("25 results")

    with page.expect_navigation():
        page.get_by_role("link", name="Show the filters with their counts").click()
    page.get_by_role("checkbox", name="Operating").check()
    with page.expect_navigation():
        page.get_by_role("button", name="Apply filters").click()
    assert "status=operating" in page.url
    assert page.locator("#result-count").inner_text().startswith("20 results")

    page.goto(lamp_facilities.url + "/catalogue/search/?q=lamp&status=operating&status=planned")
    with page.expect_navigation():
        page.get_by_role("link", name="Next").click()
    assert "page=2" in page.url and "q=lamp" in page.url
    assert "status=operating" in page.url and "status=planned" in page.url  # both filters kept
    assert page.locator(".hit-title").count() == 5
    assert "Page 2 of 2" in page.locator(".pagination").inner_text()


def test_the_finder_answers_without_javascript(no_script, lamp_facilities):
    page = no_script
    page.goto(lamp_facilities.url + "/catalogue/finder/")
    page.select_option("#finder-waste", "lamps")
    page.select_option("#finder-country", "CHE")
    with page.expect_navigation():
        page.get_by_role("button", name="Find facilities").click()
    results = page.locator(".finder-result h3")
    assert results.count() > 0
    assert "Wimmis" in page.locator(".finder-result").first.inner_text()


def test_the_language_switcher_works_without_javascript(no_script, lamp_facilities):
    page = no_script
    page.goto(lamp_facilities.url + "/catalogue/search/?q=lamp")
    page.select_option("#language-select", "fr")
    with page.expect_navigation():
        page.get_by_role("button", name="Change language").click()
    assert page.url.startswith(lamp_facilities.url + "/fr/catalogue/search/")
    assert page.locator("html").get_attribute("lang") == "fr"
