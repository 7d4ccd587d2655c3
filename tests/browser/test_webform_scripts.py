"""The web form's scripts in Chromium, on the form partial alone: it is served with the static
files through Playwright's routes, and the relevance address is answered
by the Python evaluator (`live_state`), as the forms app's view answers it."""

from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.test import RequestFactory

from mercuryhub.forms.webform.answers import initial_data
from mercuryhub.forms.webform.rendering import build_webform
from mercuryhub.forms.webform.survey import load_survey
from mercuryhub.forms.webform.validation import live_state
from tests.forms.webform.conftest import SITE_CHOICES, SITE_SETTINGS, SITE_SURVEY, xlsform
from tests.forms.webform.test_validation import CASCADE_CHOICES, CASCADE_SURVEY

pytestmark = pytest.mark.browser
SITE = "http://webform.test"
SOURCE = Path(__file__).resolve().parents[2] / "src" / "mercuryhub"
STATIC = {"forms/": SOURCE / "forms/static/forms"}


def _static(path: str) -> Path | None:
    for prefix, folder in STATIC.items():
        if path.startswith(prefix):
            return folder / path.removeprefix(prefix)
    found = finders.find(path)
    return Path(found) if found else None


@pytest.fixture
def site():
    """The site questionnaire of the web form's own tests."""
    return load_survey(xlsform(SITE_SURVEY, SITE_CHOICES, SITE_SETTINGS)[0])


@pytest.fixture
def served(page, site):
    return _serve(page, site)


def _serve(page, site):
    request = RequestFactory().get("/")
    fields = render_to_string(
        "forms/webform/form.html",
        {"webform": build_webform(site, "English (en)", initial_data(site))},
        request=request,
    )
    html = (
        '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Form</title>'
        '<link rel="stylesheet" href="/static/core/site.css"></head><body><main>'
        f'<form method="post" novalidate data-relevance-url="/relevance">'
        f'<input type="hidden" name="csrfmiddlewaretoken" value="{get_token(request)}">'
        f'{fields}<button type="submit">Send</button></form></main></body></html>'
    )
    asked = []

    def answer(route):
        url = route.request.url.removeprefix(SITE)
        if url == "/":
            return route.fulfill(body=html, content_type="text/html")
        if url == "/relevance":
            data = _form_data(route.request)
            asked.append(data)
            body = live_state(site, data)
            return route.fulfill(json=body)
        if url.startswith("/static/") and (file := _static(url.removeprefix("/static/"))):
            return route.fulfill(path=str(file))
        return route.fulfill(status=404, body="")

    page.route(f"{SITE}/**", answer)
    page.goto(f"{SITE}/")
    return asked


def _form_data(request) -> dict:
    """The multipart body of a FormData POST, as lists of values by name."""
    boundary = request.headers["content-type"].split("boundary=")[1]
    data = {}
    for part in request.post_data.split(f"--{boundary}")[1:-1]:
        head, _blank, value = part.strip("\r\n").partition("\r\n\r\n")
        name = head.split('name="')[1].split('"')[0]
        data.setdefault(name, []).append(value)
    return data


def test_a_question_shows_when_the_answer_it_depends_on_makes_it_relevant(page, served):
    practices = page.locator('[data-path="practices"]')
    processing = page.locator('[data-path="processing"]')
    page.wait_for_function("document.querySelector('[data-path=practices]').hidden")
    assert processing.is_hidden()
    page.get_by_label("Yes").first.check()
    practices.wait_for(state="visible")
    assert processing.is_visible()
    page.get_by_label("No").first.check()
    practices.wait_for(state="hidden")


def test_a_household_is_added_and_removed_in_place_and_the_next_renumbered(page, served):
    page.fill('[name="household[0]/head"]', "Ama")
    page.get_by_role("button", name="Add another Household").click()
    second = page.locator('[name="household[1]/head"]')
    assert page.evaluate("document.activeElement.name") == "household[1]/head"
    second.fill("Kofi")
    page.get_by_role("button", name="Add another Household").click()
    page.fill('[name="household[2]/head"]', "Esi")
    assert page.input_value('[name="_count:household"]') == "3"

    page.get_by_role("button", name="Remove Household 1").click()
    assert page.input_value('[name="_count:household"]') == "2"
    assert page.input_value('[name="household[0]/head"]') == "Kofi"
    assert page.input_value('[name="household[1]/head"]') == "Esi"
    assert page.locator('label[for="wf-household[1]/head"]').count() == 1
    assert page.get_by_role("button", name="Remove Household 2").count() == 1


def test_a_click_on_the_map_sets_the_latitude_and_longitude(page, served):
    area = page.locator("[data-geopoint-map]")
    area.wait_for(state="visible")
    box = area.bounding_box()
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    latitude = float(page.input_value('[name="location:lat"]'))
    longitude = float(page.input_value('[name="location:lon"]'))
    assert -90 <= latitude <= 90
    assert -180 <= longitude <= 180
    assert page.locator(".facility-marker").count() == 1


def test_a_choice_filter_offers_only_the_countries_of_the_region_answered(page):
    _serve(page, load_survey(xlsform(CASCADE_SURVEY, CASCADE_CHOICES)[0]))
    country = page.locator('[data-path="country"]')
    neighbours = page.locator('[data-path="neighbours"]')
    # no region yet: no country to choose
    page.wait_for_function(
        "document.querySelector('[data-path=country] input[value=GHA]').disabled"
    )
    assert country.get_by_label("Ghana").is_hidden()

    page.get_by_label("Africa").check()
    country.get_by_label("Ghana").wait_for(state="visible")
    assert country.get_by_label("DR Congo").is_visible()
    assert country.get_by_label("Mongolia").is_hidden()

    country.get_by_label("Ghana").check()
    page.wait_for_function(
        "document.querySelector('[data-path=neighbours] input[value=GHA]').disabled"
    )
    assert neighbours.get_by_label("DR Congo").is_visible()
    assert neighbours.get_by_label("Ghana").is_hidden()

    page.get_by_label("Asia").check()
    country.get_by_label("Mongolia").wait_for(state="visible")
    assert country.get_by_label("Ghana").is_hidden()
    assert not country.locator('input[value="GHA"]').is_checked()
