"""A visitor turns the wheel of knowledge: chooses an element of a National Action Plan with the
keyboard and a phase with the mouse, and sees what is tagged with it; on a phone, the list."""

import re

import pytest

from mercuryhub.catalogue.actions import do_save_entry
from mercuryhub.review import registry

pytestmark = pytest.mark.browser


def _resource(name, **tags):
    data = {"name": name, "kind": "guidance", "url": "https://example.org/" + name[:5], **tags}
    return do_save_entry(
        "resource", registry.get("resource").clean(data), review_state="imported", published=True
    )


@pytest.fixture
def library(live_site):
    _resource("Guide to mercury-free processing", nap_elements=["e"], phases=["prevention"])
    _resource("Health strategy toolkit", nap_elements=["h"], phases=["collection"])
    _resource("Draft never shown", nap_elements=["e"])
    registry.get("resource").model.objects.filter(name="Draft never shown").update(published=False)
    return live_site


def _results(page) -> str:
    return page.locator("#results").inner_text()


def test_a_segment_is_chosen_with_the_keyboard_and_with_a_click(page, library):
    page.goto(f"{library.url}/library/wheel/")
    assert "Choose a segment" in _results(page)
    # Tab through the page's links, in reading order, to element e of the first wheel.
    for _ in range(80):
        page.keyboard.press("Tab")
        label = page.evaluate("document.activeElement.getAttribute('aria-label') || ''")
        if label.startswith("e. "):
            break
    else:
        pytest.fail("element e of the wheel is not reached with the Tab key")
    assert re.search(r": 1 entry$", label), label
    assert page.evaluate("document.activeElement.matches(':focus-visible')")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"wheel=nap&segment=e"))
    assert "Guide to mercury-free processing" in _results(page)
    assert "Health strategy toolkit" not in _results(page)
    assert "Draft never shown" not in page.content()
    chosen = page.locator('.wheel-drawing a[aria-current="true"]')
    assert chosen.get_attribute("aria-label").startswith("e. ")

    page.locator('svg[aria-labelledby="wheel-phases-title"] a[aria-label^="3. "]').click()
    page.wait_for_url(re.compile(r"wheel=phases&segment=collection"))
    assert "Health strategy toolkit" in _results(page)
    assert "Guide to mercury-free processing" not in _results(page)
    assert page.locator('.wheel-drawing a[aria-current="true"]').count() == 1

    page.locator("#results a", has_text="Health strategy toolkit").click()
    page.wait_for_url(re.compile(r"/library/resources/\d+/"))


def test_on_a_phone_the_wheel_is_a_list(browser, library):
    context = browser.new_context(viewport={"width": 360, "height": 740})
    page = context.new_page()
    page.goto(f"{library.url}/library/wheel/")
    assert not page.locator(".wheel-drawing").first.is_visible()
    element_h = page.locator(".wheel-list a", has_text="A public health strategy")
    assert element_h.is_visible()
    element_h.click()
    page.wait_for_url(re.compile(r"wheel=nap&segment=h"))
    assert "Health strategy toolkit" in _results(page)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360, f"the page scrolls sideways ({width} px)"
    context.close()


def test_in_arabic_the_wheel_turns_from_the_right(page, library):
    page.goto(f"{library.url}/ar/library/wheel/?wheel=nap&segment=e")
    assert page.locator("html").get_attribute("dir") == "rtl"
    first = page.locator('.wheel-drawing a[aria-label^="a. "] path').bounding_box()
    second = page.locator('.wheel-drawing a[aria-label^="b. "] path').bounding_box()
    assert second["x"] < first["x"]  # b comes after a going anticlockwise
    assert "Guide to mercury-free processing" in _results(page)
