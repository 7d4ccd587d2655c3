"""The search filters as people use them: on a phone through the "Filters (n)" button and the
chips, from the keyboard without the page reloading under the arrow keys, and without
JavaScript through plain links."""

import pytest

from tests.catalogue.conftest import FACILITIES, make_facility

pytestmark = pytest.mark.browser

SEARCH = "/catalogue/search/?q=chlor"  # econ (Germany), MAYASA (Spain), Santos (Brazil, closed)


@pytest.fixture
def catalogue(live_site):
    for row in FACILITIES:
        make_facility(*row)
    return live_site


def _phone(browser, **options):
    context = browser.new_context(
        viewport={"width": 390, "height": 844}, locale="en-GB", is_mobile=True, **options
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    return context, page


class _StaysLoaded:
    """Whether the page is still the one loaded at first: a reload or a navigation to another
    document forgets the mark left in it (history.pushState keeps it)."""

    def __init__(self, page):
        self.page = page
        page.evaluate("window.loadedOnce = true")

    def __bool__(self):
        return self.page.evaluate("window.loadedOnce === true")


def _count(page) -> str:
    return page.locator("#result-count").inner_text().strip()


def test_on_a_phone_filters_open_from_the_button_and_show_as_removable_chips(browser, catalogue):
    context, page = _phone(browser)
    page.goto(catalogue.url + SEARCH)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    toggle = page.locator("#filters-toggle")
    panel = page.locator("#filters-panel")
    assert toggle.inner_text() == "Filters"
    assert toggle.get_attribute("aria-expanded") == "false"
    assert not panel.is_visible()
    # The button is at the top of the results, above the first of them.
    assert toggle.bounding_box()["y"] < page.locator(".hit").first.bounding_box()["y"]
    stays = _StaysLoaded(page)

    toggle.click()
    dialog = page.get_by_role("dialog", name="Filters")
    assert dialog.is_visible()
    assert toggle.get_attribute("aria-expanded") == "true"
    dialog.get_by_role("checkbox", name="Closed 1").check()
    page.wait_for_function("document.getElementById('result-count').innerText.startsWith('1 ')")
    assert _count(page) == "1 result"
    dialog.get_by_role("button", name="Apply filters").click()
    assert not panel.is_visible()
    assert page.evaluate("document.activeElement.id") == "filters-toggle"
    assert toggle.inner_text() == "Filters (1)"
    assert stays, "a filter reloaded the page"
    assert "status=closed" in page.url

    chip = page.get_by_role("link", name="Remove filter: Facility status: Closed")
    assert chip.is_visible()
    assert page.locator(".hit-title").all_inner_texts() == ["Santos chlor-alkali residue landfill"]
    chip.click()
    page.wait_for_function("document.getElementById('result-count').innerText.startsWith('3 ')")
    assert page.locator("[data-filter-chip]").count() == 0
    assert toggle.inner_text() == "Filters"
    assert "status" not in page.url
    # The chip is gone: the focus goes to the button that opens the filters.
    assert page.evaluate("document.activeElement.id") == "filters-toggle"

    page.go_back()
    page.wait_for_function("document.getElementById('result-count').innerText.startsWith('1 ')")
    assert page.locator("[data-filter-chip]").count() == 1
    assert stays, "going back reloaded the page"
    context.close()


def test_the_filter_dialog_closes_with_escape_and_gives_the_focus_back(browser, catalogue):
    context, page = _phone(browser)
    page.goto(catalogue.url + SEARCH)
    page.locator("#filters-toggle").click()
    assert page.evaluate("document.activeElement.id") == "filters-panel"
    # The page behind the dialog cannot be reached while it is open.
    assert page.evaluate("document.querySelector('.site-header').inert")
    page.keyboard.press("Escape")
    assert not page.locator("#filters-panel").is_visible()
    assert page.evaluate("document.activeElement.id") == "filters-toggle"
    assert not page.evaluate("document.querySelector('.site-header').inert")
    context.close()


def test_arrow_keys_move_through_filters_without_reloading_and_the_count_is_announced(
    page, catalogue
):
    page.goto(catalogue.url + SEARCH)
    assert _count(page) == "3 results"
    live = page.locator("#result-count")
    assert live.get_attribute("role") == "status"
    stays = _StaysLoaded(page)

    page.locator("#q").focus()
    for _ in range(200):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.name") == "region":
            break
    assert page.evaluate("document.activeElement.id") == "filter-region-all"

    page.keyboard.press("ArrowDown")  # Americas
    page.keyboard.press("ArrowDown")  # Latin America and the Caribbean
    page.wait_for_url("**region=Latin+America+and+the+Caribbean")
    page.wait_for_function("document.getElementById('result-count').innerText.startsWith('1 ')")
    assert stays, "an arrow key reloaded the page"
    assert page.evaluate("document.activeElement.id") == (
        "filter-region-latin-america-and-the-caribbean"
    )
    assert page.evaluate("document.activeElement.checked")
    assert _count(page) == "1 result"
    assert page.locator(".hit-title").all_inner_texts() == ["Santos chlor-alkali residue landfill"]

    # The sort order too changes in place under the arrow keys.
    page.locator("#sort").focus()
    page.keyboard.press("ArrowDown")
    page.wait_for_url("**sort=name**")
    assert stays
    assert page.evaluate("document.activeElement.id") == "sort"

    # Apply from the keyboard: the results stay in place and the focus on the button.
    page.locator("#filter-region-europe").focus()
    page.keyboard.press("Space")
    page.locator("[data-filters-apply]").focus()
    page.keyboard.press("Enter")
    page.wait_for_function("document.getElementById('result-count').innerText.startsWith('2 ')")
    assert _count(page) == "2 results"
    assert stays
    assert page.evaluate("document.activeElement.matches('[data-filters-apply]')")


def test_without_javascript_the_filters_button_and_the_chips_are_links(browser, catalogue):
    context, page = _phone(browser, java_script_enabled=False)
    page.goto(catalogue.url + SEARCH + "&status=closed&country=BRA")
    link = page.get_by_role("link", name="Filters (2)")
    assert link.get_attribute("href") == "#filters-panel"
    assert page.locator("#filters-panel").is_visible()
    chip = page.get_by_role("link", name="Remove filter: Country: Brazil")
    with page.expect_navigation():
        chip.click()
    assert "country" not in page.url and "status=closed" in page.url
    assert page.get_by_role("link", name="Filters (1)").is_visible()
    context.close()
