"""The charts of an inventory's page, drawn on the server as SVG, on the worked example of
test_calculation.py (middles of the ranges, kg a year):

- lamps 20: air 1, general waste 19;
- batteries 160: general waste 144, sector-specific treatment 16;
- thermometers 150: air 15, water 45, general waste 90.

Whatever the scale, every segment and band must be as long (wide) as its quantity."""

import re
from decimal import Decimal

import pytest
from defusedxml import ElementTree

from mercuryhub.inventory.charts import nice_scale, wrap
from mercuryhub.review import actions as review
from tests.conftest import PASSWORD
from tests.inventory.conftest import content

SVG = "{http://www.w3.org/2000/svg}"
CFL, BATTERIES, THERMOMETERS = (
    "lamps-compact-fluorescent",
    "batteries-mercury-oxide",
    "thermometers-medical",
)
MIDDLES = {
    (CFL, "air"): Decimal(1),
    (CFL, "general_waste"): Decimal(19),
    (BATTERIES, "general_waste"): Decimal(144),
    (BATTERIES, "sector_treatment"): Decimal(16),
    (THERMOMETERS, "air"): Decimal(15),
    (THERMOMETERS, "water"): Decimal(45),
    (THERMOMETERS, "general_waste"): Decimal(90),
}


@pytest.fixture
def published(inventory, team_lead, reviewer):
    submitted = review.do_submit_entry("inventory", team_lead, inventory)
    return review.do_validate_entry("inventory", reviewer, submitted)


def _svg(page: str, chart_id: str):
    found = re.search(rf'<svg [^>]*id="{chart_id}".*?</svg>', page, re.S)
    assert found, f"no chart {chart_id} on the page"
    return ElementTree.fromstring(found.group(0))


def _segments(svg) -> dict[tuple[str, str], dict]:
    found = {}
    for bar in svg.iter(f"{SVG}g"):
        if bar.get("class") == "inventory-chart-bar":
            for rect in bar.iter(f"{SVG}rect"):
                found[(bar.get("data-key"), rect.get("data-key"))] = rect.attrib
    return found


def _numbers(path: str) -> list[float]:
    return [float(n) for n in re.findall(r"-?\d+(?:\.\d+)?", path)]


def _band_ends(path: str) -> tuple[float, float, float, float]:
    """(x where it leaves, its thickness there, x where it arrives, its thickness there) of a
    band path "M x0 y0 C … x1 y1 L x1 y1' C … x0 y0' Z"."""
    n = _numbers(path)
    x0, y0, x1, y1, y1_bottom, y0_bottom = n[0], n[1], n[6], n[7], n[9], n[-1]
    return x0, y0_bottom - y0, x1, y1_bottom - y1


def test_each_source_category_is_a_bar_divided_by_pathway_in_proportion(client, published):
    page = client.get(f"/inventory/{published.pk}/").text
    svg = _svg(page, "category-bars")
    segments = _segments(svg)
    assert set(segments) == set(MIDDLES)
    per_kg = {key: float(attrs["width"]) / float(MIDDLES[key]) for key, attrs in segments.items()}
    assert max(per_kg.values()) == pytest.approx(min(per_kg.values()), rel=1e-3)
    # Segments follow each other in the pathways' order: air, water, …, general waste.
    air, water, waste = (segments[(THERMOMETERS, p)] for p in ("air", "water", "general_waste"))
    assert float(air["x"]) + float(air["width"]) == pytest.approx(float(water["x"]), abs=0.02)
    assert float(water["x"]) + float(water["width"]) == pytest.approx(float(waste["x"]), abs=0.02)
    assert svg.find(f"{SVG}title").text == "Mercury by source category and pathway, in kg a year"
    assert "every figure" in svg.find(f"{SVG}desc").text


def test_a_bar_shows_its_range_from_low_to_high(client, published):
    svg = _svg(client.get(f"/inventory/{published.pk}/").text, "category-bars")
    bars = {
        bar.get("data-key"): bar
        for bar in svg.iter(f"{SVG}g")
        if bar.get("class") == "inventory-chart-bar"
    }
    segment = _segments(svg)[(THERMOMETERS, "air")]
    per_kg = float(segment["width"]) / 15
    start = float(segment["x"])
    line = next(p for p in bars[THERMOMETERS] if p.get("class") == "inventory-chart-range")
    low, _y, high = _numbers(line.get("d"))[:3]
    # 75–225 kg for the thermometers.
    assert low - start == pytest.approx(75 * per_kg, abs=0.05)
    assert high - start == pytest.approx(225 * per_kg, abs=0.05)
    values = {key: bar.find(f"{SVG}text").text for key, bar in bars.items()}
    assert values[THERMOMETERS] == "\u206675–225\u2069 kg"
    # 160 kg, whatever the factor: no range to draw.
    assert values[BATTERIES] == "\u2066160\u2069 kg"
    assert not [p for p in bars[BATTERIES] if p.get("class") == "inventory-chart-range"]


def test_the_legend_names_the_pathways_that_receive_mercury(client, published):
    page = client.get(f"/inventory/{published.pk}/").text
    legend = re.search(r'<ul class="inventory-legend">(.*?)</ul>', page, re.S).group(1)
    assert re.findall(r"pathway-(\w+)", legend) == [
        "air",
        "water",
        "general_waste",
        "sector_treatment",
    ]
    assert "Land" not in legend


def test_the_flow_diagram_has_a_band_per_category_and_pathway_as_wide_as_its_mercury(
    client, published
):
    svg = _svg(client.get(f"/inventory/{published.pk}/").text, "category-flow")
    bands = {
        (path.get("data-source"), path.get("data-target")): path
        for path in svg.iter(f"{SVG}path")
        if path.get("data-source")
    }
    assert set(bands) == set(MIDDLES)
    widths = {}
    for key, band in bands.items():
        x0, leaving, x1, arriving = _band_ends(band.get("d"))
        assert leaving == pytest.approx(arriving, abs=0.02)
        assert x0 < x1  # from the categories on the left to the pathways on the right
        widths[key] = leaving
    per_kg = {key: width / float(MIDDLES[key]) for key, width in widths.items()}
    assert max(per_kg.values()) == pytest.approx(min(per_kg.values()), rel=2e-3)
    # A pathway's node is as tall as all the bands it receives: 253 kg of general waste.
    nodes = {
        node.get("data-key"): node.find(f"{SVG}rect")
        for node in svg.iter(f"{SVG}g")
        if "inventory-flow-target" in (node.get("class") or "")
    }
    assert list(nodes) == ["air", "water", "general_waste", "sector_treatment"]
    height = float(nodes["general_waste"].get("height"))
    assert height == pytest.approx(253 * min(per_kg.values()), rel=2e-3)


def test_in_arabic_the_charts_run_from_right_to_left(client, published):
    page = client.get(f"/ar/inventory/{published.pk}/").text
    bars = _segments(_svg(page, "category-bars"))
    first = bars[(THERMOMETERS, "air")]
    second = bars[(THERMOMETERS, "water")]
    # The first segment ends at the right edge of the plot, the next one to its left.
    assert float(first["x"]) + float(first["width"]) == pytest.approx(710, abs=0.02)
    assert float(second["x"]) + float(second["width"]) == pytest.approx(float(first["x"]), abs=0.02)
    flow = _svg(page, "category-flow")
    band = next(p for p in flow.iter(f"{SVG}path") if p.get("data-source") == THERMOMETERS)
    x0, _leaving, x1, _arriving = _band_ends(band.get("d"))
    assert x0 > x1  # categories on the right
    assert "موازين الحرارة الطبية" in page


def test_an_inventory_without_lines_has_no_chart(client, team_lead, agency, example_factors):
    from mercuryhub.inventory.actions import do_create_inventory

    inventory = do_create_inventory(team_lead, content(lines=[]))
    assert client.login(email=team_lead.email, password=PASSWORD)
    page = client.get(f"/inventory/{inventory.pk}/").text
    assert "The inventory has no line yet." in page
    assert "<svg" not in page.split("<main", 1)[1]


def test_labels_are_wrapped_at_spaces_and_inside_chinese_text():
    assert wrap("Other mercury lamps (high-pressure mercury vapour)", 20, 3) == [
        "Other mercury lamps",
        "(high-pressure",
        "mercury vapour)",
    ]
    assert wrap("其他汞灯（高压汞灯、钠灯、金属卤化物灯、紫外灯）", 10, 2) == [
        "其他汞灯（",
        "高压汞灯…",
    ]


def test_axes_end_on_a_round_figure():
    assert nice_scale(Decimal(225)) == (250, 50)
    assert nice_scale(Decimal("0.7")) == (0.8, 0.2)
    assert nice_scale(Decimal(0)) == (1.0, 0.25)
