"""Every public page's first load weighs at most 150 KB compressed, in a real Chromium.

The site is served as production serves it: `mercuryhub serve` (gunicorn, debug off, HTML pages
gzip-compressed by the middleware, static files collected, compressed and served by whitenoise)
on a fresh data directory with the starter catalogue. Each page is opened in a new browser
context (empty cache) and everything its first load fetches is summed: HTML, styles, scripts,
fonts, images and the data the scripts ask for, as Chromium received it on the wire (CDP
``Network.loadingFinished`` ``encodedDataLength``: compressed body plus response headers). No
tile server is configured, so the maps draw the site's own outlines, which count too.

The service worker installs in its own worker, whose requests the page does not see: what it
fetches on a first visit (its script, the offline page it keeps, and the page itself once more, to
keep it) is measured by requesting the same addresses with gzip and added to every page's total.

The field-data pages are for signed-in people only (no form is public): the web forms of the
built-in questionnaires and their summaries are weighed the same way, with a few submissions and
the session of the demo project's manager, in a test of their own.

The table is printed; with PAGE_WEIGHT_RESULTS=1 it is also written, with the machine and the
date, to bench/results/page_weight.md (the figures the README quotes), so that an ordinary test run
leaves the checkout as it was.
"""

import os
import platform
import signal
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.request
from datetime import UTC, datetime
from pathlib import Path

import pytest

from tests import served
from tests.browser.conftest import watch_requests

pytestmark = pytest.mark.browser

LIMIT = 150 * 1024
RESULTS = Path(__file__).resolve().parents[2] / "bench" / "results" / "page_weight.md"

_EXPERT = """
from mercuryhub.catalogue.actions import do_save_entry
from mercuryhub.catalogue.fields import clean_expert
from mercuryhub.catalogue.models import Expert
if not Expert.objects.filter(external_id="expert-ana").exists():
    do_save_entry("expert", clean_expert({
        "external_id": "expert-ana", "name": "Ana Pereira", "email": "ana.pereira@example.org",
        "country": "URY", "languages": "es;pt;en", "waste_categories": "lamps;measuring-devices",
        "support_types": "technical-assistance", "consent_to_publication": "yes",
        "biography": "Chemical engineer; advised hospitals on replacing mercury thermometers.",
    }), review_state="imported", published=True)
"""
# ASGM mining sites from approved baseline submissions: the worked example and sixty more.
_ASGM_SITES = """
from django.test import override_settings
from mercuryhub.accounts.models import User
from mercuryhub.asgm.models import Site
from tests.asgm.conftest import WORKED_EXAMPLE, record_sites, spread_sites
from tests.conftest import make_user
if not Site.objects.exists():
    reviewer = make_user("rita.reviewer@unep.example", User.Role.REVIEWER)
    with override_settings(FORMS_ODK_VALIDATE=False):
        record_sites(reviewer, WORKED_EXAMPLE + spread_sites(60))
"""


# A manager of the demo project, a few submissions of its built-in forms, and a session of the
# manager's: its key is printed, for the browser's cookie. Run with the checkout on the path.
_FIELD_DATA = """
from django.conf import settings
from django.test import Client
from mercuryhub.accounts.models import User
from tests.conftest import make_user
from tests.forms.demo_submissions import add_demo_submissions
manager = make_user("fiona.fieldlead@unep.example", User.Role.REVIEWER)
add_demo_submissions(manager)
client = Client()
client.force_login(manager)
name = settings.SESSION_COOKIE_NAME
print(f"SESSION={name}={client.cookies[name].value}")
"""
FIELD_DATA_PAGES = {
    "web form of the mining-site baseline (map)": "/projects/demo/forms/asgm_site_baseline/fill/",
    "web form of the needs questionnaire": "/projects/demo/forms/wma_needs/fill/",
    "summary of the mining sites (bars, map)": "/projects/demo/forms/asgm_site_baseline/summary/",
    "summary of the needs, cross-tabulated": "/projects/demo/forms/wma_needs/summary/"
    "?rows=stakeholder_type&columns=waste_categories",
    "web form in Arabic": "/ar/projects/demo/forms/wma_needs/fill/",
}


def _free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def production_site(tmp_path_factory, prepared_data_dir):
    """`mercuryhub serve` with the starter catalogue, one published expert and ASGM sites."""
    data_dir = served.copy_prepared(prepared_data_dir, tmp_path_factory.mktemp("weight-data"))
    for code in (_EXPERT, _ASGM_SITES):
        result = served.mercuryhub(data_dir, "shell", "-c", code)
        assert result.returncode == 0, result.stdout + result.stderr
    port = _free_port()
    server = subprocess.Popen(  # noqa: S603 - our own command
        [sys.executable, "-m", "mercuryhub.cli", "serve", "--port", str(port), "-v", "0"],
        env=served.environment(data_dir),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    address = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 180
        while True:
            try:
                with urllib.request.urlopen(address + "/", timeout=30):  # noqa: S310 - loopback
                    break
            except OSError:  # not listening yet (URLError, refused, timed out)
                assert server.poll() is None, "mercuryhub serve stopped"
                assert time.monotonic() < deadline, "mercuryhub serve did not answer in 3 minutes"
                time.sleep(0.5)
        yield address, data_dir / "mercuryhub.sqlite3"
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)


def _first(database, sql):
    with sqlite3.connect(database) as connection:
        row = connection.execute(sql).fetchone()
    assert row, f"the starter data has nothing for: {sql}"
    return row[0]


def _public_pages(database):
    facility = _first(database, "SELECT id FROM catalogue_facility WHERE published ORDER BY id")
    offering = _first(database, "SELECT id FROM catalogue_offering WHERE published ORDER BY id")
    expert = _first(database, "SELECT id FROM catalogue_expert WHERE published ORDER BY id")
    organization = _first(database, "SELECT slug FROM accounts_organization ORDER BY id")
    mining_site = _first(database, "SELECT id FROM asgm_site ORDER BY id")
    event = _first(database, "SELECT id FROM partnership_event WHERE published ORDER BY id")
    project = _first(database, "SELECT id FROM partnership_project WHERE published ORDER BY id")
    group = _first(
        database,
        "SELECT t.code FROM partnership_workinggroup g JOIN taxonomy_term t ON t.id = g.term_id"
        " ORDER BY g.position",
    )
    vocabulary = _first(
        database, "SELECT name FROM taxonomy_vocabulary WHERE name = 'waste_categories'"
    )
    return {
        "home": "/",
        "catalogue search": "/catalogue/search/",
        "catalogue search, with a query": "/catalogue/search/?q=lamps",
        "library resources": "/library/resources/",
        "map": "/catalogue/map/",
        "finder": "/catalogue/finder/",
        "finder, with a search": "/catalogue/finder/?country=DEU&waste=lamps",
        "facility": f"/catalogue/facilities/{facility}/",
        "offering": f"/catalogue/offerings/{offering}/",
        "expert": f"/catalogue/experts/{expert}/",
        "reference data": "/taxonomy/",
        "a vocabulary and its terms": f"/taxonomy/{vocabulary.replace('_', '-')}/",
        "countries": "/taxonomy/countries/",
        "languages": "/taxonomy/languages/",
        "organizations": "/organizations/",
        "an organization": f"/organizations/{organization}/",
        "sign in": "/accounts/login/",
        "sign up": "/accounts/signup/",
        "API reference": "/api/v1/docs",
        "case studies, filtered": "/library/case-studies/?region=Africa&met=source-named",
        "case studies' validation criteria": "/library/case-studies/criteria/",
        "wheel of knowledge, a segment chosen": "/library/wheel/?wheel=nap&segment=e",
        "factsheet of a broad waste category": "/library/factsheets/containing/",
        "what do you need, answered": "/exchange/what-do-you-need/?waste_categories=lamps",
        "ASGM countries": "/asgm/",
        "ASGM national overview": "/asgm/COD/",
        "ASGM national overview, in Arabic": "/ar/asgm/COD/",
        "ASGM mining site": f"/asgm/sites/{mining_site}/",
        "home, in Arabic": "/ar/",
        "facility, in Chinese": f"/zh-hans/catalogue/facilities/{facility}/",
        "the Partnership": "/partnership/",
        "partners (map)": "/partnership/partners/",
        "working groups": "/partnership/groups/",
        "a working group (leaders' balance)": f"/partnership/groups/{group}/",
        "events (map)": "/partnership/events/",
        "an event": f"/partnership/events/{event}/",
        "projects (map)": "/partnership/projects/",
        "a project": f"/partnership/projects/{project}/",
        "events, in Arabic": "/ar/partnership/events/",
    }


def _wire_size(url, cookie=""):
    """Bytes on the wire of one response asked for with gzip: headers and (compressed) body."""
    headers = {"Accept-Encoding": "gzip"} | ({"Cookie": cookie} if cookie else {})
    request = urllib.request.Request(url, headers=headers)  # noqa: S310
    with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310 - loopback
        body = response.read()
        headers = str(response.headers)
    return len(body) + len(headers) + len("HTTP/1.1 200 OK\r\n")


def _first_load(browser, url, cookies=()):
    """Every response of the page's first load in an empty cache: (url, status, type, bytes)."""
    context = browser.new_context(service_workers="block")
    context.add_cookies(list(cookies))
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
    responses, sizes, failed = {}, {}, []
    cdp.on(
        "Network.responseReceived",
        lambda event: responses.__setitem__(
            event["requestId"],
            (event["response"]["url"], event["response"]["status"], event["type"]),
        ),
    )
    cdp.on(
        "Network.loadingFinished",
        lambda event: sizes.__setitem__(event["requestId"], event["encodedDataLength"]),
    )
    cdp.on("Network.loadingFailed", lambda event: failed.append(event))
    wait_until_quiet = watch_requests(page)
    page.goto(url)
    wait_until_quiet(0.3)  # a script's request may start just after the others ended
    context.close()
    assert not failed, f"{url}: failed requests {failed}"
    return [(*responses[key], size) for key, size in sizes.items() if key in responses]


def _weigh(browser, address, pages, cookie=None):
    """(rows of the table, the pages over the limit) of each page's first load, the service
    worker's install and the page fetched once more by the worker added."""
    cookies = [cookie] if cookie else []
    header = f"{cookie['name']}={cookie['value']}" if cookie else ""
    worker = _wire_size(address + "/sw.js") + _wire_size(address + "/offline/")
    rows, heavy = [], []
    for name, path in pages.items():
        loaded = _first_load(browser, address + path, cookies)
        for url, status, _kind, _size in loaded:
            assert status < 400, f"{path}: {url} answered {status}"
        assert (address + path, 200) in {item[:2] for item in loaded}, f"{path} was not shown"
        document = _wire_size(address + path, header)  # the worker keeps the page: fetched again
        total = sum(size for *_rest, size in loaded) + worker + document
        by_kind = {}
        for _url, _status, kind, size in loaded:
            by_kind[kind] = by_kind.get(kind, 0) + size
        rows.append((name, path, len(loaded), by_kind, total))
        if total > LIMIT:
            biggest = sorted(loaded, key=lambda item: -item[3])[:5]
            heavy.append(f"{path}: {total / 1024:.1f} KB; largest: {biggest}")
    return rows, heavy, worker


def _table(title, rows, worker):
    lines = [
        f"# {title}",
        "",
        "Measured by tests/browser/test_page_weight.py in Chromium against `mercuryhub serve`",
        f"(gunicorn, whitenoise). Limit: {LIMIT // 1024} KB. Every total includes the service",
        f"worker's first install ({worker / 1024:.1f} KB: /sw.js and the offline page) and the",
        "page fetched once more by the worker, to keep it (in *other*).",
        "",
        "| page | address | requests | document | scripts | styles | data | other | total KB |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for name, path, count, by_kind, total in rows:
        kb = {kind: by_kind.get(kind, 0) / 1024 for kind in ("Document", "Script", "Stylesheet")}
        data = (by_kind.get("Fetch", 0) + by_kind.get("XHR", 0)) / 1024
        other = total / 1024 - sum(kb.values()) - data
        lines.append(
            f"| {name} | `{path}` | {count} | {kb['Document']:.1f} | {kb['Script']:.1f} | "
            f"{kb['Stylesheet']:.1f} | {data:.1f} | {other:.1f} | {total / 1024:.1f} |"
        )
    return "\n".join(lines) + "\n"


def test_every_public_page_weighs_at_most_150_kb_compressed(browser, production_site):
    address, database = production_site
    rows, heavy, worker = _weigh(browser, address, _public_pages(database))
    table = _table("First-load page weights (compressed, empty cache)", rows, worker)
    print("\n" + table)
    if os.environ.get("PAGE_WEIGHT_RESULTS") == "1":
        today = datetime.now(UTC).date()
        measured = f"\nMeasured on {platform.node()} ({platform.platform()}), {today}.\n"
        RESULTS.parent.mkdir(parents=True, exist_ok=True)
        RESULTS.write_text(table + measured, encoding="utf-8")
    assert not heavy, "pages over the limit:\n" + "\n".join(heavy)


def test_the_web_forms_and_summaries_of_a_signed_in_manager_weigh_at_most_150_kb(
    browser, production_site
):
    address, database = production_site
    root = str(Path(__file__).resolve().parents[2])
    script = f"import sys\nsys.path.insert(0, {root!r})\n" + _FIELD_DATA
    result = served.mercuryhub(database.parent, "shell", "-c", script)
    assert result.returncode == 0, result.stdout + result.stderr
    name, value = result.stdout.rsplit("SESSION=", 1)[1].split()[0].split("=", 1)
    cookie = {"name": name, "value": value, "url": address}
    rows, heavy, worker = _weigh(browser, address, FIELD_DATA_PAGES, cookie)
    print("\n" + _table("Field-data pages, signed in (compressed, empty cache)", rows, worker))
    assert not heavy, "pages over the limit:\n" + "\n".join(heavy)
