import pytest

from tests.catalogue.conftest import FACILITIES, make_facility

pytestmark = pytest.mark.browser


@pytest.fixture
def catalogue(live_site):
    for row in FACILITIES:
        make_facility(*row)
    make_facility(
        "lighting-resources",
        "Lighting Resources lamp recycling",
        "Lighting Resources LLC",
        "USA",
        "Greenwood",
        39.61,
        -86.1,
        "operating",
        "lamps;measuring-devices",
        "lamp-processing",
        "Recycles lamps and mercury devices.",
    )
    return live_site


def test_a_ministry_official_searches_narrows_opens_and_sees_the_facility_on_the_map(
    page, catalogue
):
    page.goto(catalogue.url + "/catalogue/")
    page.fill("#catalogue-q", "thermometer")
    page.keyboard.press("Enter")
    page.wait_for_url("**/catalogue/search/?q=thermometer")
    titles = page.locator(".hit-title").all_inner_texts()
    assert set(titles) == {"Batrec Wimmis plant", "Lighting Resources lamp recycling"}
    assert page.locator(".snippet mark").first.inner_text().lower().startswith("thermometer")

    # A filter changes the results in place, and the address with them.
    page.get_by_role("radio", name="Europe 1", exact=True).check()
    page.wait_for_url("**region=Europe")
    assert page.locator(".hit-title").all_inner_texts() == ["Batrec Wimmis plant"]
    assert page.locator("#result-count").inner_text().startswith("1 result")

    page.get_by_role("link", name="Batrec Wimmis plant").click()
    page.wait_for_url("**/catalogue/facilities/*/")
    assert page.locator("h1").inner_text() == "Batrec Wimmis plant"
    page.locator("[data-small-map] .leaflet-interactive").first.wait_for()
    assert page.locator("[data-small-map]").is_visible()

    page.get_by_role("link", name="Other facilities in this country on the map").click()
    page.wait_for_url("**/catalogue/map/?country=CHE")
    page.locator(".leaflet-interactive").first.wait_for()


def test_facets_narrow_the_results_and_keep_them_in_the_url(page, catalogue):
    page.goto(catalogue.url + "/catalogue/search/?q=chlor")
    assert page.locator("#result-count").inner_text().startswith("3 results")
    page.get_by_role("checkbox", name="Closed 1").check()
    page.wait_for_url("**status=closed")
    assert page.locator(".hit-title").all_inner_texts() == ["Santos chlor-alkali residue landfill"]


def test_the_filter_panel_of_a_large_result_set_arrives_after_the_results_and_works(
    page, catalogue, monkeypatch
):
    from mercuryhub.catalogue import views

    monkeypatch.setattr(views, "FACETS_INLINE_UP_TO", 1)
    page.goto(catalogue.url + "/catalogue/search/?q=chlor&status=operating")
    assert page.locator("#result-count").inner_text().startswith("2 results")
    closed = page.get_by_role("checkbox", name="Closed 1")
    closed.wait_for()  # the panel arrived, counted without its own filter
    assert page.get_by_role("checkbox", name="Operating 2").is_checked()
    closed.check()
    page.wait_for_function("document.getElementById('result-count').innerText.startsWith('3 ')")
    assert "status=operating" in page.url and "status=closed" in page.url
