"""The NAP pages around the reference data, as a visitor reads them: the world map and table of
NAP statuses, a country's page, the published NAPs' budgets compared (numbers checked against
sums worked out here from the shipped CSV), the flagged lines, and a plan's budget beside them."""

import csv
import io
import json
import re
from collections import defaultdict
from decimal import Decimal
from importlib import resources

import pytest
from django.test import override_settings
from django.utils.html import escape

from mercuryhub.nap import actions
from mercuryhub.nap.reference import do_load_budget_lines, do_load_plan_statuses
from tests.asgm.conftest import WORKED_EXAMPLE, record_sites
from tests.nap.conftest import action, complete_content

CSV = resources.files("mercuryhub.nap") / "data" / "nap_budgets.csv"
# The dataset's country names, as the pages name the countries.
NAMES = {
    "Democratic Republic of Congo": "Democratic Republic of the Congo",
    "Republic of Congo": "Congo",
    "Laos": "Lao",
}


@pytest.fixture
def reference(db):
    do_load_plan_statuses()
    do_load_budget_lines()


def _rows(html: str, table_class: str) -> list[str]:
    table = html.split(f'class="asgm-table asgm-cards {table_class}"')[1].split("</table>")[0]
    body = table.split("<tbody>")[1].split("</tbody>")[0]
    return [re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", row)) for row in body.split("</tr>")[:-1]]


def _script(html: str, identifier: str):
    return json.loads(html.split(f'id="{identifier}" type="application/json">')[1].split("<")[0])


def _grouped(amount: Decimal) -> str:
    return f"{amount.quantize(Decimal(1)):,}"


def test_the_world_page_shows_the_map_the_legend_and_every_country_by_status(
    reference, client, django_assert_max_num_queries
):
    with django_assert_max_num_queries(12):
        html = client.get("/nap/world/").content.decode()

    assert "data-nap-map" in html and "Submitted (17)" in html and "In development (18)" in html
    assert "Unknown (5)" in html and "40 countries" in html
    rows = _rows(html, "nap-statuses")
    assert len(rows) == 40
    burkina = next(row for row in rows if "Burkina Faso" in row)
    assert "Submitted" in burkina and "FR" in burkina and "Prescott et al. 2022" in burkina
    points = _script(html, "nap-map-points")
    assert len(points) == 40
    lao = next(point for point in points if point["iso3"] == "LAO")
    assert lao["status"] == "submitted" and lao["url"] == "/nap/countries/LAO/"
    assert lao["lat"] and lao["lon"]


def test_the_table_is_filtered_by_status_with_its_count(reference, client):
    html = client.get("/nap/world/", {"status": "unknown"}).content.decode()

    rows = _rows(html, "nap-statuses")
    assert len(rows) == 5 and "5 countries" in html
    assert {row.split(" Unknown")[0].strip() for row in rows} == {
        "Chad",
        "Colombia",
        "Mozambique",
        "Nicaragua",
        "Sudan",
    }
    assert '<option value="unknown" selected>' in html
    # A status that is not one shows every country.
    assert len(_rows(client.get("/nap/world/?status=x").content.decode(), "nap-statuses")) == 40


def test_a_published_plan_is_linked_from_the_world_and_the_country_page(
    reference, client, team_lead, agency, outsider, signed_in
):
    plan = actions.do_create_plan(team_lead, complete_content())
    url = f"/nap/plans/{plan.pk}/"
    # A draft: the public sees no link to it, the country team sees it on the country page.
    assert url not in client.get("/nap/world/").content.decode()
    assert url not in client.get("/nap/countries/GHA/").content.decode()
    team = signed_in(team_lead)
    country_page = team.get("/nap/countries/GHA/").content.decode()
    assert url in country_page and "Draft" in country_page

    actions.do_publish_plan(team_lead, plan)
    client.logout()
    html = client.get("/nap/world/").content.decode()
    ghana = next(row for row in _rows(html, "nap-statuses") if "Ghana" in row)
    assert "Its plan on MercuryHub" in ghana
    assert next(p for p in _script(html, "nap-map-points") if p["iso3"] == "GHA")["plan_url"] == url
    page = client.get("/nap/countries/GHA/").content.decode()
    assert url in page and "In development" in page
    assert f"/nap/budgets/?plan={plan.pk}" in page


def test_the_country_page_links_its_national_overview_and_field_data_projects(
    reference, client, reviewer
):
    with override_settings(FORMS_ODK_VALIDATE=False):
        record_sites(reviewer, WORKED_EXAMPLE)

    html = client.get("/nap/countries/COD/").content.decode()

    assert "Democratic Republic of the Congo: National Action Plan" in html
    assert 'href="/asgm/COD/"' in html
    assert "Kamituga ASGM baseline" in html
    assert "81 budget lines" in html
    # Without sites, no overview to link; an unknown code is no page.
    assert "/asgm/MLI/" not in client.get("/nap/countries/MLI/").content.decode()
    assert client.get("/nap/countries/XYZ/").status_code == 404


def test_the_budgets_page_gives_the_sums_of_the_dataset_by_country_and_theme(reference, client):
    by_country: dict[str, dict[str, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
    from_original: dict[str, Decimal] = defaultdict(Decimal)
    text = CSV.read_text(encoding="utf-8-sig")
    for row in csv.DictReader(io.StringIO(text)):
        usd = Decimal(row["Cost_USD"])
        by_country[row["Country"]][row["Code"]] += usd
        by_country[row["Country"]]["total"] += usd
        original = Decimal(row["Cost_Original"].replace("'", ""))
        from_original[row["Country"]] += original / Decimal(row["Conversion"])

    html = client.get("/nap/budgets/").content.decode()

    rows = _rows(html, "nap-budgets")
    assert len(rows) == 16
    for name, amounts in by_country.items():
        shown = NAMES.get(name, name)
        row = next(r for r in rows if r.strip().startswith(escape(shown)))
        for theme in ("Formalization", "Public Health", "total"):
            assert f" {_grouped(amounts[theme])} " in row, (name, theme, row)
        assert f" {_grouped(from_original[name])} " in row, name
        share = amounts["Formalization"] * 100 / amounts["total"]
        assert f" {share.quantize(Decimal('0.1'))} %" in row
    overall = sum(amounts["total"] for amounts in by_country.values())
    assert _grouped(overall) in html.split("<tfoot>")[1]
    chart = _script(html, "nap-budget-chart")
    assert len(chart["themes"]) == 8 and len(chart["bars"]) == 16 and chart["plan_bars"] == 0
    assert "CC0 1.0" in html and "Prescott et al. (2022)" in html


def test_the_lines_whose_conversion_is_inconsistent_are_listed_with_both_amounts(reference, client):
    html = client.get("/nap/budgets/").content.decode()

    assert "131 lines whose conversion is inconsistent" in html
    rows = _rows(html, "nap-flagged")
    assert len(rows) == 25 and "Page 1 of 6 (131 results)" in html
    congo = next(row for row in rows if row.strip().startswith("Congo"))
    # 20'000'000 XAF at 581.84 XAF a dollar is USD 34,373.71; the dataset says 34,000.
    assert "XAF 20,000,000" in congo and "581.84" in congo
    assert "34,000.00" in congo and "34,373.71" in congo
    last = client.get("/nap/budgets/", {"page": 6}).content.decode()
    assert len(_rows(last, "nap-flagged")) == 6


def test_a_plans_budget_by_theme_is_shown_beside_them_in_each_currency(
    reference, client, team_lead, agency, outsider, signed_in
):
    content = complete_content()
    content["actions"].append(action("j", budget="1000000", currency="GHS"))
    plan = actions.do_create_plan(team_lead, content)
    url = f"/nap/budgets/?plan={plan.pk}"
    # A draft's budget is the team's to see.
    assert client.get(url).status_code == 404
    html = signed_in(team_lead).get(url).content.decode()

    plan_rows = html.split('<tr class="nap-plan-row">')[1:]
    assert len(plan_rows) == 2
    ghs, usd = (re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", row)) for row in plan_rows)
    # USD: four actions under (b) and one under (k), 50,000 each: Mining practice reform 80 %,
    # NAP management 20 %; the GHS action under (j) is Education and awareness alone.
    assert "(USD)" in usd and "USD 200,000 80.0 %" in usd and "USD 50,000 20.0 %" in usd
    assert "USD 250,000" in usd
    assert "(GHS)" in ghs and "GHS 1,000,000 100.0 %" in ghs
    chart = _script(html, "nap-budget-chart")
    assert chart["plan_bars"] == 2 and len(chart["bars"]) == 18
    assert chart["bars"][1]["label"].endswith("(USD)")
    assert chart["bars"][1]["shares"] == [0, 80.0, 0, 0, 0, 0, 0, 20.0]

    actions.do_publish_plan(team_lead, plan)
    client.logout()
    assert client.get(url).status_code == 200
    assert client.get("/nap/budgets/?plan=abc").status_code == 404
