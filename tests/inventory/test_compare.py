"""Inventories compared: Ghana's 2023 and 2024 inventories side by side (ranges per pathway
and waste category, per inhabitant, differences from the first), the chart and the CSV; only
inventories the person may read, never another organization's draft.

Ghana 2023 by hand (kg a year): 1,000,000 lamps × 5–15 mg = 5–15; 250 kg of batteries × 320
kg/t = 80; 200,000 thermometers × 0.5–1.5 g = 100–300. Total 185–395 (middle 290); air
10.25–30.75, water 30–90, general waste 136.75–266.25, sector-specific treatment 8. Ghana 2024
is the worked example of test_calculation.py: 245–415 (middle 330)."""

import csv
import io
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from mercuryhub.inventory.actions import do_create_inventory
from mercuryhub.review import actions as review
from tests.conftest import PASSWORD
from tests.inventory.conftest import battery_line, cfl_line, content, thermometer_line
from tests.inventory.test_charts import SVG, _svg

GHANA_2023 = content(
    name="Mercury waste inventory of Ghana, 2023",
    year=2023,
    population=29000000,
    lines=[
        cfl_line(activity="1000000"),
        battery_line(activity="250"),
        thermometer_line(activity="200"),
    ],
)


def _publish(team_lead, reviewer, data):
    inventory = do_create_inventory(team_lead, data)
    inventory = review.do_submit_entry("inventory", team_lead, inventory)
    return review.do_validate_entry("inventory", reviewer, inventory)


@pytest.fixture
def two_years(team_lead, agency, example_factors, reviewer):
    """Ghana 2023 and 2024, published."""
    return (
        _publish(team_lead, reviewer, GHANA_2023),
        _publish(team_lead, reviewer, content()),
    )


def _address(*inventories, path="/inventory/compare/") -> str:
    return path + "?" + "&".join(f"inventory={item.pk}" for item in inventories)


def _row(page: str, table: str, code: str) -> list[str]:
    """The texts of a row of a comparison table: its label, then its cells."""
    body = re.search(rf'<table [^>]*id="{table}">(.*?)</table>', page, re.S).group(1)
    row = re.search(rf'<tr[^>]*data-code="{code}">(.*?)</tr>', body, re.S).group(1)
    cells = re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)
    return [" ".join(re.sub(r"<[^>]+>", "", cell).split()) for cell in cells]


def test_two_years_of_a_country_are_compared_with_their_differences(client, two_years):
    first, second = two_years
    # Chosen in any order, the earlier year comes first: differences are changes since then.
    page = client.get(_address(second, first)).text
    assert _row(page, "compare-pathways", "total") == [
        "Total",
        "185–395",
        "245–415",
        "+40 (+13.8 %)",
    ]
    assert _row(page, "compare-pathways", "air") == ["Air", "10.25–30.75", "8–24", "−4.5 (−22 %)"]
    assert _row(page, "compare-pathways", "sector_treatment")[1:] == ["8", "16", "+8 (+100 %)"]
    assert _row(page, "compare-pathways", "land")[1:] == ["0", "0", "0"]
    assert _row(page, "compare-waste", "lamps") == [
        "Mercury lamps",
        "5–15",
        "10–30",
        "+10 (+100 %)",
    ]
    assert _row(page, "compare-waste", "batteries")[1:] == ["80", "160", "+80 (+100 %)"]
    # Milligrams per inhabitant: 185–395 kg for 29 million, 245–415 kg for 30 million.
    assert _row(page, "compare-inhabitant", "total")[1:3] == ["6.379–13.62", "8.167–13.83"]
    assert "1. Ghana 2023" in page and "2. Ghana 2024" in page
    assert "different factor sets" not in page


def test_a_population_not_given_leaves_the_figures_per_inhabitant_out(
    client, team_lead, two_years, reviewer
):
    unknown = _publish(team_lead, reviewer, content(year=2025, population=None))
    page = client.get(_address(two_years[1], unknown)).text
    assert _row(page, "compare-inhabitant", "total")[1:] == ["8.167–13.83", "—", "—"]


def test_the_chart_draws_a_bar_per_inventory_in_each_pathway(client, two_years):
    svg = _svg(client.get(_address(*two_years)).text, "compare-bars")
    widths = {
        (row.get("data-key"), rect.get("data-key")): float(rect.get("width"))
        for row in svg.iter(f"{SVG}g")
        if row.get("class") == "inventory-chart-row"
        for rect in row.iter(f"{SVG}rect")
    }
    # Middles: general waste 201.5 (2023) and 253 (2024), sector-specific treatment 8 and 16.
    per_kg = widths[("general_waste", "1")] / 201.5
    assert widths[("general_waste", "2")] == pytest.approx(253 * per_kg, abs=0.02)
    assert widths[("sector_treatment", "1")] == pytest.approx(8 * per_kg, abs=0.02)
    assert widths[("sector_treatment", "2")] == pytest.approx(16 * per_kg, abs=0.02)
    assert ("land", "1") not in widths  # no inventory sends mercury to land
    labels = [text.text for text in svg.iter(f"{SVG}text") if "label" in text.get("class", "")]
    assert labels == ["Air", "Water", "General waste", "Sector-specific treatment or disposal"]


def test_inventories_on_different_factor_sets_are_compared_with_a_warning(
    client, team_lead, two_years, reviewer
):
    national_only = _publish(
        team_lead, reviewer, {**GHANA_2023, "year": 2022, "lines": [cfl_line(), thermometer_line()]}
    )
    page = client.get(_address(national_only, two_years[1])).text
    assert "These inventories use different factor sets." in page
    assert _row(page, "compare-pathways", "total")[1:3] == ["85–255", "245–415"]


def test_one_inventory_is_not_enough_to_compare(client, two_years):
    page = client.get(_address(two_years[0])).text
    assert "Choose at least one more inventory: a comparison needs two or more." in page
    assert 'id="compare-pathways"' not in page
    response = client.get(_address(two_years[0], path="/inventory/compare/comparison.csv"))
    assert response.status_code == 400


def test_at_most_eight_inventories_are_compared(client, team_lead, agency, example_factors):
    drafts = [do_create_inventory(team_lead, content(year=2000 + n)) for n in range(9)]
    assert client.login(email=team_lead.email, password=PASSWORD)
    page = client.get(_address(*drafts)).text
    assert "Choose at most 8 inventories: 9 are chosen." in page
    assert 'id="compare-pathways"' not in page


@pytest.fixture
def other_draft(outsider):
    """A draft of another organization (Elsewhere Recycling's, of France), which only its
    editors and the secretariat may read."""
    data = content(
        name="French secret draft",
        country="FRA",
        organization="elsewhere-recycling",
        lines=[thermometer_line(activity="999")],
    )
    return do_create_inventory(outsider, data)


def test_another_organizations_draft_is_never_compared(client, team_lead, two_years, other_draft):
    for who in (None, team_lead):
        if who:
            assert client.login(email=who.email, password=PASSWORD)
        page = client.get(_address(two_years[0], other_draft)).text
        assert f"{other_draft.pk} is not one of the available choices" in page
        assert "French secret draft" not in page and "France" not in page
        assert 'id="compare-pathways"' not in page
        csv_file = client.get(
            _address(*two_years, other_draft, path="/inventory/compare/comparison.csv")
        )
        assert csv_file.status_code == 400 and b"France" not in csv_file.content


def test_a_team_compares_its_own_draft_and_the_public_does_not(
    client, team_lead, two_years, agency, example_factors
):
    draft = do_create_inventory(team_lead, content(name="Ghana 2025 draft", year=2025))
    public = client.get("/inventory/compare/").text
    assert "Ghana 2025 draft" not in public
    assert "Mercury waste inventory of Ghana, 2023" in public  # to choose from
    assert "is not one of the available choices" in client.get(_address(two_years[0], draft)).text
    assert client.login(email=team_lead.email, password=PASSWORD)
    page = client.get(_address(two_years[0], draft)).text
    assert _row(page, "compare-pathways", "total")[1:3] == ["185–395", "245–415"]
    assert "Ghana 2025 draft" in page and "Draft" in page


def test_the_secretariat_reads_drafts_to_compare(client, reviewer, two_years, other_draft):
    assert client.login(email=reviewer.email, password=PASSWORD)
    page = client.get(_address(two_years[0], other_draft)).text
    assert "French secret draft" in page
    # France before Ghana: 999,000 thermometers × 0.5–1.5 g, then Ghana 2023.
    assert _row(page, "compare-pathways", "total")[1:3] == ["499.5–1,499", "185–395"]


def test_the_comparison_downloads_as_csv(client, two_years):
    response = client.get(_address(*two_years, path="/inventory/compare/comparison.csv"))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="inventories-compared-')
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    totals = [row for row in rows if (row["table"], row["code"]) == ("pathway", "total")]
    assert [
        (row["inventory"], row["year"], row["low"], row["high"], row["middle"]) for row in totals
    ] == [
        ("Mercury waste inventory of Ghana, 2023", "2023", "185", "395", "290"),
        ("Mercury waste inventory of Ghana, 2024", "2024", "245", "415", "330"),
    ]
    assert (totals[0]["difference_from_first"], totals[1]["difference_from_first"]) == ("", "40")
    assert totals[1]["difference_from_first_percent"] == "13.8"
    assert totals[1]["factor_sets"] == "example-set national"
    per_inhabitant = next(
        row
        for row in rows
        if (row["table"], row["code"], row["year"]) == ("per_inhabitant", "total", "2024")
    )
    assert (per_inhabitant["unit"], per_inhabitant["low"]) == ("mg/inhabitant/year", "8.166667")
    general = [row for row in rows if row["table"] == "waste_category"]
    assert {row["code"] for row in general} == {"lamps", "batteries", "measuring-devices", "total"}


def test_the_list_and_an_inventory_lead_to_the_comparison(client, two_years):
    assert 'href="/inventory/compare/"' in client.get("/inventory/").text
    page = client.get(f"/inventory/{two_years[0].pk}/").text
    assert f'href="/inventory/compare/?inventory={two_years[0].pk}"' in page


def test_the_comparison_speaks_the_readers_language(client, two_years):
    page = client.get("/fr" + _address(*two_years)).text
    assert "Déchets généraux" in page and "Lampes contenant du mercure" in page


def test_each_inventory_compared_costs_one_query_more(
    client, team_lead, agency, example_factors, reviewer
):
    items = [_publish(team_lead, reviewer, content(year=2000 + n)) for n in range(4)]
    counts = []
    for number in (2, 4):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(_address(*items[:number])).status_code == 200
        counts.append(len(queries.captured_queries))
    assert counts[1] - counts[0] == 2  # its published lines
    assert counts[0] <= 8
