"""The built-in forms filled in on the web in Chromium by a data collector of the demo project:
a required answer missed then given, a question that appears when its condition is met, the
site's point chosen on the map or typed, and the submission then found in the form's table; and
the form in Arabic on a phone, its questions and choices in Arabic, laid out right to left
without overflow. Screenshots go to /tmp/shots-webforms/."""

import os
from pathlib import Path

import pytest

from mercuryhub.forms import actions
from tests.conftest import PASSWORD, make_user

pytestmark = pytest.mark.browser
SHOTS = Path(os.environ.get("WEBFORM_SHOTS", "/tmp/shots-webforms"))  # noqa: S108 - for a person to look at


@pytest.fixture
def collector(live_site, settings):
    settings.FORMS_ODK_VALIDATE = False
    actions.do_deploy_builtin_forms()
    person = make_user("cora.collector@field.example")
    project = actions.Project.objects.get(slug=actions.DEMO_PROJECT)
    actions.do_set_project_member(None, project, person.email, "data_collector")
    return person


def _sign_in(browser, live_site, user, *, width=1280, locale="en-GB"):
    context = browser.new_context(viewport={"width": width, "height": 900}, locale=locale)
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.goto(live_site.url + "/accounts/login/")
    page.fill("#id_login", user.email)
    page.fill("#id_password", PASSWORD)
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    return page


def _choose(page, name: str, value: str):
    """A radio button, a checkbox or a drop-down's option, as the form draws the question."""
    field = page.locator(f'[name="{name}"]').first
    if field.evaluate("element => element.tagName") == "SELECT":
        field.select_option(value)
    else:
        page.locator(f'[name="{name}"][value="{value}"]').check()


def _send(page):
    with page.expect_navigation():
        page.locator("main form.webform-page > button[type=submit]").click()


def _shot(page, name: str, at: str = "main"):
    """The screen with ``at`` scrolled into view (the country lists make whole pages long)."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.locator(at).first.scroll_into_view_if_needed()
    page.locator(at).first.evaluate("element => element.scrollIntoView({block: 'start'})")
    page.screenshot(path=str(SHOTS / name))


def test_the_needs_questionnaire_is_filled_in_on_the_web_and_shown_in_the_table(
    browser, live_site, collector
):
    page = _sign_in(browser, live_site, collector)
    page.goto(live_site.url + "/projects/demo/")
    page.locator('main a[href$="/forms/wma_needs/fill/"]').click()
    page.wait_for_url("**/forms/wma_needs/fill/")
    _shot(page, "needs-desktop.png")

    # Sent without the required answers: each is named, and nothing is lost.
    page.fill('[name="organization"]', "Kivu Recyclers")
    _send(page)
    summary = page.locator("#error-summary")
    assert summary.is_visible()
    assert "Region" in summary.inner_text()
    assert page.input_value('[name="organization"]') == "Kivu Recyclers"
    _shot(page, "needs-errors-desktop.png", "#error-summary")

    _choose(page, "stakeholder_type", "ngo")
    _choose(page, "region", "africa")
    _choose(page, "country", "COD")
    _choose(page, "waste_categories", "lamps")
    _choose(page, "support_types", "funding")
    _choose(page, "consent_exchange", "yes")
    storage = page.locator('[data-path="challenge_storage"]')
    assert storage.is_hidden()
    _choose(page, "phases", "storage")
    storage.wait_for(state="visible")
    page.fill('[name="challenge_storage"]', "No interim store in the province")
    _send(page)

    assert page.get_by_role("heading", name="Submission received").is_visible()
    page.get_by_role("link", name="All submissions").click()
    page.wait_for_url("**/submissions/")
    row = page.locator("table.submission-table tbody tr")
    assert row.count() == 1
    assert collector.email in row.inner_text()
    _shot(page, "needs-table-desktop.png")


def test_the_mining_site_baseline_takes_its_point_from_the_map_or_typed_coordinates(
    browser, live_site, collector
):
    page = _sign_in(browser, live_site, collector)
    page.goto(live_site.url + "/projects/demo/forms/asgm_site_baseline/fill/")
    area = page.locator("[data-geopoint-map]")
    area.wait_for(state="visible")
    box = area.bounding_box()
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    assert page.input_value('[name="location:lat"]') != ""

    page.fill('[name="location:lat"]', "-3.0617")
    page.fill('[name="location:lon"]', "28.1833")
    page.fill('[name="site_code"]', "COD-SK-001")
    _choose(page, "region", "africa")
    _choose(page, "country", "COD")
    _choose(page, "deposit_type", "hard_rock")
    amalgamation = page.locator('[data-path="amalgamation"]')
    assert amalgamation.is_hidden()
    _choose(page, "processing_methods", "amalgamation")
    amalgamation.wait_for(state="visible")
    _choose(page, "amalgamation", "whole_ore")
    _shot(page, "baseline-desktop.png", "[data-geopoint]")
    _send(page)  # without the site's name

    error = page.locator("#wf-site_name-error")
    assert error.is_visible()
    assert page.input_value('[name="location:lat"]') == "-3.0617"
    page.fill('[name="site_name"]', "Kamituga - Mobale")
    _send(page)

    assert page.get_by_role("heading", name="Submission received").is_visible()
    page.goto(live_site.url + "/projects/demo/forms/asgm_site_baseline/submissions/")
    table = page.locator("table.submission-table").inner_text()
    assert "Kamituga - Mobale" in table
    assert "-3.0617 28.1833" in table
    page.locator("table.submission-table tbody a").first.click()
    assert "Whole ore" in page.locator("table.answers-table").inner_text()


def test_the_form_in_arabic_on_a_phone_reads_right_to_left_without_overflow(
    browser, live_site, collector
):
    page = _sign_in(browser, live_site, collector, width=360, locale="ar")
    page.goto(live_site.url + "/ar/projects/demo/forms/asgm_site_baseline/fill/")
    page.locator("[data-geopoint-map]").wait_for(state="visible")

    assert page.evaluate("document.documentElement.dir") == "rtl"
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    # The form's own words are in Arabic too: questions, choices and the countries.
    site_name = page.locator('[data-path="site_name"] label span[lang="ar"]')
    assert site_name.inner_text() == "اسم الموقع"
    assert "نوع الرواسب المعدنية" in page.locator('[data-path="deposit_type"]').inner_text()
    _choose(page, "region", "africa")
    _choose(page, "country", "COD")
    assert "أفريقيا" in page.locator('[data-path="region"]').inner_text()
    # 248 countries: a drop-down, its options in Arabic.
    congo = page.locator('select[name="country"] option[value="COD"]')
    assert congo.inner_text().strip() == "جمهورية الكونغو الديمقراطية"
    _shot(page, "baseline-phone-ar.png")
    _shot(page, "baseline-map-phone-ar.png", "[data-geopoint]")
    _send(page)
    assert page.locator("#error-summary").is_visible()
    assert "اسم الموقع" in page.locator("#error-summary").inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    _shot(page, "baseline-errors-phone-ar.png", "#error-summary")
    _shot(page, "baseline-field-error-phone-ar.png", "[data-path=site_name]")


def test_the_needs_questionnaire_fits_a_phone(browser, live_site, collector):
    page = _sign_in(browser, live_site, collector, width=360)
    page.goto(live_site.url + "/projects/demo/forms/wma_needs/fill/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    _shot(page, "needs-phone.png")
    page.goto(live_site.url + "/projects/demo/forms/wma_needs/submissions/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    _shot(page, "needs-table-phone.png")
