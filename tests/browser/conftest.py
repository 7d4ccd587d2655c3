"""Playwright in a real Chromium (Debian's package; Playwright's own browser download is not used).

Debian's chromium-headless-shell is taken where it is installed: the same engine without the
browser's window and profile machinery, it renders the suite's pages with about a third less
work than the full browser in headless mode. Otherwise Debian's chromium; set CHROMIUM_PATH to
use another binary. Where no Chromium exists the browser tests are skipped with a message saying
so.
"""

import os
import shutil
import threading
import time

import pytest
from django.core.management import call_command

CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def _chromium_path() -> str | None:
    candidates = [
        os.environ.get("CHROMIUM_PATH"),
        "chromium-headless-shell",
        "chromium",
        "chromium-browser",
        "google-chrome",
    ]
    for candidate in filter(None, candidates):
        found = shutil.which(candidate)
        if found:
            return found
    return None


def watch_requests(page):
    """Follow the page's requests from now on; gives ``wait_until_quiet(quiet_s)``, which returns
    once none has been in flight for ``quiet_s`` (Playwright's "networkidle" always waits half
    a second, a cost paid on every page of the tests that visit them all)."""
    in_flight, changed = set(), [time.monotonic()]

    def started(request):
        in_flight.add(request)
        changed[0] = time.monotonic()

    def ended(request):
        in_flight.discard(request)
        changed[0] = time.monotonic()

    page.on("request", started)
    page.on("requestfinished", ended)
    page.on("requestfailed", ended)

    def wait_until_quiet(quiet_s: float = 0.1, timeout_s: float = 15):
        deadline = time.monotonic() + timeout_s
        while in_flight or time.monotonic() - changed[0] < quiet_s:
            if time.monotonic() > deadline:
                pending = sorted(request.url for request in in_flight)
                raise AssertionError(f"{page.url}: still loading after {timeout_s} s: {pending}")
            page.wait_for_timeout(20)

    return wait_until_quiet


@pytest.fixture(scope="session")
def browser():
    path = _chromium_path()
    if path is None:
        pytest.skip(
            "browser tests need Chromium: install Debian's chromium-headless-shell or chromium,"
            " or set CHROMIUM_PATH"
        )
    from playwright.sync_api import sync_playwright

    # Playwright runs an event loop in this thread; the live server's database work is
    # synchronous and in other threads, so Django's async guard does not apply here.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=path, args=CHROMIUM_FLAGS)
        _OPEN_BROWSERS.append(chromium)
        yield _TestingBrowser(chromium)
        _close_browsers()


_OPEN_BROWSERS = []


def _close_browsers():
    while _OPEN_BROWSERS:
        chromium = _OPEN_BROWSERS.pop()
        if chromium.is_connected():
            chromium.close()


@pytest.fixture(scope="session")
def live_server(live_server):
    """pytest-django's live server, stopped only once the browsers are closed and the requests
    they kept alive have ended: a request thread that ends later would close the shared
    in-memory SQLite connection after the server stopped sharing it (a DatabaseError in that
    thread)."""
    yield live_server
    _close_browsers()
    for thread in threading.enumerate():
        if thread.name.endswith("(process_request_thread)"):
            thread.join(timeout=10)


class _TestingBrowser:
    """Chromium whose pages let the tests' own string expressions run (``wait_for_function``
    evaluates them, which the site's Content Security Policy forbids); the test that checks the
    policy (test_accessibility.py) opens its pages with ``bypass_csp=False``."""

    def __init__(self, chromium):
        self._chromium = chromium

    def new_context(self, **options):
        options.setdefault("bypass_csp", True)
        return self._chromium.new_context(**options)

    def new_page(self, **options):
        options.setdefault("bypass_csp", True)
        return self._chromium.new_page(**options)

    def __getattr__(self, name):
        return getattr(self._chromium, name)


@pytest.fixture
def live_site(live_server, transactional_db):
    """The live server with the working groups (the reference data is there: tests/conftest.py
    brings it back after a flush)."""
    call_command("load_working_groups", verbosity=0)
    return live_server


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()
