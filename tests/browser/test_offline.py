"""Field staff lose the connection: a page they visited opens again offline (the service worker
keeps it), a page they never visited shows the offline page, private pages are never kept, and
signing out forgets the kept pages."""

import threading
import time

import pytest
from django.core.signals import request_started

from mercuryhub.catalogue.actions import do_save_entry
from mercuryhub.catalogue.fields import clean_facility
from tests.browser.test_needs import _sign_in
from tests.conftest import PASSWORD, make_user

pytestmark = pytest.mark.browser


@pytest.fixture
def facility(live_site):
    data = {
        "external_id": "batrec",
        "name": "Batrec Wimmis plant",
        "operator": "Batrec Industrie AG",
        "country": "CHE",
        "city": "Wimmis",
        "latitude": 46.676,
        "longitude": 7.638,
        "status": "operating",
        "accepted_wastes": "batteries;lamps",
        "description": "Recovers mercury from batteries and lamps by distillation.",
    }
    return do_save_entry("facility", clean_facility(data), review_state="imported", published=True)


KEPT = """async (path) => {
    const cache = await caches.open("mercuryhub-pages");
    return Boolean(await cache.match(path, { ignoreVary: true }));
}"""


def _eventually(page, script, arg, expected=True, seconds=10):
    deadline = time.monotonic() + seconds
    while page.evaluate(script, arg) != expected:
        assert time.monotonic() < deadline, f"{script} did not become {expected} for {arg}"
        page.wait_for_timeout(100)


def _controlled(page):
    """Wait until the service worker controls the page and has kept it and the offline page."""
    page.wait_for_function("navigator.serviceWorker && navigator.serviceWorker.controller !== null")
    path = page.evaluate("location.pathname")
    _eventually(page, KEPT, path)
    _eventually(page, KEPT, "/fr/offline/" if path.startswith("/fr/") else "/offline/")


def _kept_paths(page):
    return page.evaluate(
        """async () => {
            const cache = await caches.open("mercuryhub-pages");
            return (await cache.keys()).map((request) => new URL(request.url).pathname);
        }"""
    )


def test_a_visited_facility_page_opens_again_offline(browser, live_site, facility):
    context = browser.new_context(locale="en-GB")
    page = context.new_page()
    address = f"{live_site.url}/catalogue/facilities/{facility.pk}/"
    page.goto(address)
    _controlled(page)
    assert "/offline/" in _kept_paths(page)

    context.set_offline(True)
    page.reload()
    assert page.locator("h1").inner_text() == "Batrec Wimmis plant"
    assert "distillation" in page.locator("main").inner_text()

    page.goto(live_site.url + "/taxonomy/countries/")  # never visited
    assert page.locator("h1").inner_text() == "You are offline"

    page.goto(address)  # a link followed again, offline
    assert page.locator("h1").inner_text() == "Batrec Wimmis plant"
    context.close()


def test_the_offline_page_speaks_the_language_of_the_page_asked_for(browser, live_site, facility):
    context = browser.new_context()
    page = context.new_page()
    page.goto(f"{live_site.url}/fr/catalogue/facilities/{facility.pk}/")
    _controlled(page)
    context.set_offline(True)
    page.goto(live_site.url + "/fr/taxonomy/")
    assert page.locator("html").get_attribute("lang") == "fr"
    assert page.locator("h1").inner_text() == "Vous êtes hors ligne"
    context.close()


def test_private_pages_are_not_kept_and_signing_out_forgets_the_kept_pages(
    browser, live_site, facility
):
    person = make_user("fatima.field@example.org")
    context = browser.new_context(locale="en-GB")
    page = context.new_page()
    _sign_in(page, live_site, person, "/")
    page.goto(f"{live_site.url}/catalogue/facilities/{facility.pk}/")
    _controlled(page)
    page.goto(live_site.url + "/profile/")
    page.goto(live_site.url + "/catalogue/mine/")
    page.goto(f"{live_site.url}/catalogue/facilities/{facility.pk}/")
    kept = _kept_paths(page)
    assert f"/catalogue/facilities/{facility.pk}/" in kept
    assert not [path for path in kept if path.startswith(("/profile/", "/catalogue/mine/"))]

    with page.expect_navigation():
        page.get_by_role("button", name="Sign out").click()
    _eventually(page, KEPT, f"/catalogue/facilities/{facility.pk}/", expected=False)
    _eventually(page, KEPT, "/offline/")  # kept again, signed out
    context.set_offline(True)
    page.goto(live_site.url + "/profile/")
    assert page.locator("h1").inner_text() == "You are offline"
    assert page.get_by_role("link", name="Sign in").count() == 1  # kept signed out
    context.close()


@pytest.fixture
def slow_offline_page():
    """Answers for the offline page wait until the test releases them (the request is made and
    its cookies attached by the browser; only the answer is late, as on a slow connection)."""
    release = threading.Event()
    asked = []

    def wait(sender, environ, **kwargs):
        if environ.get("PATH_INFO") == "/offline/":
            asked.append(environ.get("HTTP_COOKIE"))
            release.wait(30)

    request_started.connect(wait)
    yield asked, release
    release.set()
    request_started.disconnect(wait)


def test_what_the_worker_fetches_on_its_own_leaves_the_sign_in_cookies_alone(
    browser, live_site, facility, slow_offline_page
):
    """The worker keeps the offline page in the background; an answer arriving after the person
    has opened the sign-in form must not replace the cookie that form was written with."""
    asked, release = slow_offline_page
    person = make_user("ana.field@example.org")
    context = browser.new_context(locale="en-GB")
    page = context.new_page()
    _sign_in(page, live_site, person, "/")
    page.goto(f"{live_site.url}/catalogue/facilities/{facility.pk}/")  # kept: the offline page too
    deadline = time.monotonic() + 10
    while not asked:
        assert time.monotonic() < deadline, "the worker never asked for the offline page"
        page.wait_for_timeout(100)

    context.clear_cookies()  # signed out on this device; signing in again
    page.goto(live_site.url + "/accounts/login/")
    page.get_by_label("Email").fill(person.email)
    page.get_by_label("Password").fill(PASSWORD)
    with context.expect_event("response", lambda r: r.url.endswith("/offline/")) as answered:
        release.set()
    assert answered.value.ok
    page.wait_for_timeout(200)  # the answer's cookies, if any, are stored
    with page.expect_navigation():
        page.get_by_role("button", name="Sign In").click()
    assert page.get_by_role("button", name="Sign out").count() == 1
    assert set(asked) == {None}  # the worker asked without cookies
    _eventually(page, KEPT, "/offline/")
    context.close()
