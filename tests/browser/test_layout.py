import pytest

pytestmark = pytest.mark.browser


def test_a_visitor_switches_to_arabic_and_the_page_turns_right_to_left(page, live_site):
    page.goto(live_site.url + "/")
    assert page.locator("h1").inner_text() == "Find sound solutions for mercury wastes"
    with page.expect_navigation():
        page.select_option("#language-select", "ar")
    assert page.locator("html").get_attribute("dir") == "rtl"
    assert page.locator("html").get_attribute("lang") == "ar"

    with page.expect_navigation():
        page.select_option("#language-select", "fr")
    assert page.locator("html").get_attribute("dir") == "ltr"
    assert page.locator("h1").inner_text().startswith("Trouvez des solutions")


def test_the_first_tab_reaches_the_skip_link(page, live_site):
    page.goto(live_site.url + "/")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip-link"
    page.keyboard.press("Enter")
    assert page.evaluate("location.hash") == "#main"


def test_the_layout_fits_a_phone_without_sideways_scrolling(browser, live_site):
    context = browser.new_context(viewport={"width": 360, "height": 740}, is_mobile=True)
    phone = context.new_page()
    for path in ("/", "/taxonomy/", "/taxonomy/countries/", "/organizations/", "/accounts/signup/"):
        phone.goto(live_site.url + path)
        width = phone.evaluate("document.documentElement.scrollWidth")
        assert width <= 360, f"{path} is {width}px wide on a 360px phone"
    context.close()


def test_searching_from_the_header_opens_the_catalogue_search(page, live_site):
    page.goto(live_site.url + "/")
    page.fill("#header-q", "thermometer")
    page.keyboard.press("Enter")
    page.wait_for_url("**/catalogue/search/?q=thermometer")
    assert page.locator("#result-count").inner_text().startswith("0 results")


def test_the_brand_link_is_named_by_the_text_it_shows(page, live_site):
    page.goto(live_site.url + "/")
    brand = page.locator("a.brand")
    assert brand.inner_text().split() == ["Hg", "MercuryHub"]
    assert page.get_by_role("link", name="Hg MercuryHub", exact=True).count() == 1


@pytest.mark.parametrize("prefix", ["", "/fr", "/es", "/ru", "/zh-hans", "/ar"])
def test_the_header_search_hint_fits_the_field_on_a_phone(browser, live_site, prefix):
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)
    phone = context.new_page()
    phone.goto(live_site.url + prefix + "/")
    room, needed = phone.evaluate(
        """() => {
            const field = document.getElementById("header-q");
            const style = getComputedStyle(field);
            const context = document.createElement("canvas").getContext("2d");
            context.font = style.font;
            const padding =
                parseFloat(style.paddingInlineStart) + parseFloat(style.paddingInlineEnd);
            return [field.clientWidth - padding, context.measureText(field.placeholder).width];
        }"""
    )
    assert needed <= room, f"the hint needs {needed:.0f}px, the field has {room:.0f}px"
    context.close()
