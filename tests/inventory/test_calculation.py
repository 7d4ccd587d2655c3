"""The worked example, computed by hand (kilograms of mercury a year):

- 2,000,000 CFLs × 5–15 mg = 10–30 kg; air 5 % (0.5–1.5), general waste 95 % (9.5–28.5).
- 500 kg = 0.5 t of mercury oxide batteries × 320 kg/t = 160 kg; general waste 90 % (144),
  sector-specific treatment 10 % (16).
- 150 × 1,000 thermometers × 0.5–1.5 g = 75–225 kg; air 10 % (7.5–22.5), water 30 %
  (22.5–67.5), general waste 60 % (45–135).

Total 245–415 kg: air 8–24, water 22.5–67.5, land 0, products 0, general waste 198.5–307.5,
sector-specific treatment 16."""

from decimal import Decimal

from mercuryhub.inventory.calculation import Range, calculate
from mercuryhub.inventory.fields import clean_inventory, stored_data
from mercuryhub.inventory.queries import factor_table
from tests.inventory.conftest import content, thermometer_line


def _results(data):
    table = factor_table()
    return calculate(stored_data(clean_inventory(data, table)), table)


def _range(low, high=None):
    return Range(Decimal(low), Decimal(high if high is not None else low))


def test_the_worked_example_matches_the_hand_computation(agency, example_factors):
    results = _results(content())
    assert [line.input for line in results.lines] == [
        _range("10", "30"),
        _range("160"),
        _range("75", "225"),
    ]
    assert results.total == _range("245", "415")
    assert results.by_pathway == {
        "air": _range("8", "24"),
        "water": _range("22.5", "67.5"),
        "land": _range("0"),
        "products": _range("0"),
        "general_waste": _range("198.5", "307.5"),
        "sector_treatment": _range("16"),
    }
    assert results.lines[1].outputs["sector_treatment"] == _range("16")
    assert [line.input_origin for line in results.lines] == ["national", "example-set", "national"]
    assert results.by_waste_category() == {
        "lamps": _range("10", "30"),
        "batteries": _range("160"),
        "measuring-devices": _range("75", "225"),
    }
    assert results.flags == []


def test_the_same_activity_in_another_unit_gives_the_same_mercury(agency, example_factors):
    in_items = _results(content(lines=[thermometer_line(activity="150000", activity_unit="item")]))
    in_thousands = _results(content(lines=[thermometer_line()]))
    assert in_items.total == in_thousands.total == _range("75", "225")


def test_a_cited_factor_with_a_national_distribution_uses_both(agency, example_factors):
    line = {
        "category": "lamps-other",
        "activity": "1000",
        "activity_unit": "item",
        "factor_set": "example-set",
        "distribution": {"general_waste": "0.5", "sector_treatment": "0.5"},
        "justification": "Half the lamps go to the national recycler (its 2024 report)",
    }
    results = _results(content(lines=[line]))
    # 1,000 × 10–40 mg = 10–40 g.
    assert results.total == _range("0.01", "0.04")
    assert results.by_pathway["sector_treatment"] == _range("0.005", "0.02")
    assert (results.lines[0].input_origin, results.lines[0].distribution_origin) == (
        "example-set",
        "national",
    )


def test_more_per_inhabitant_than_a_country_reaches_is_flagged(agency, example_factors):
    results = _results(content(population=100000, lines=[thermometer_line()]))
    # 150,000 thermometers for 100,000 inhabitants: 1.5 each, above the bound of 0.5.
    assert [(flag.code, flag.position) for flag in results.flags] == [("per-inhabitant", 1)]
    assert "1.5 per inhabitant" in str(results.flags[0].message)


def test_a_national_factor_far_from_the_cited_one_is_flagged(agency, example_factors):
    far = thermometer_line(input_low="20", input_high="30")  # g/item; cited 0.5–1.5
    results = _results(content(lines=[far]))
    assert [flag.code for flag in results.flags] == ["factor-far-from-cited"]
    assert "example-set" in str(results.flags[0].message)
    near = _results(content(lines=[thermometer_line(input_low="1", input_high="2")]))
    assert near.flags == []


def test_a_line_whose_factor_set_was_withdrawn_is_flagged_not_counted(agency, example_factors):
    table = factor_table()
    data = stored_data(clean_inventory(content(), table))
    del table[("example-set", "batteries-mercury-oxide")]
    results = calculate(data, table)
    assert results.total == _range("85", "255")
    assert [(flag.code, flag.position) for flag in results.flags] == [("missing-factor", 2)]
