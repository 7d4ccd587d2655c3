"""Bad input refused with a message naming the field: units that do not fit the category,
missing factors, distributions that do not add up, national factors without a justification."""

import pytest

from mercuryhub.inventory.fields import clean_inventory
from mercuryhub.inventory.queries import factor_table
from mercuryhub.lib.errors import InvalidInputError
from tests.inventory.conftest import battery_line, cfl_line, content, thermometer_line


def _errors(data) -> dict:
    with pytest.raises(InvalidInputError) as refused:
        clean_inventory(data, factor_table())
    return refused.value.errors


def test_an_activity_in_a_unit_of_another_kind_is_refused(agency, example_factors):
    errors = _errors(content(lines=[cfl_line(activity_unit="kg")]))
    assert errors == {
        "lines.1.activity_unit": "Compact fluorescent lamps (CFL) is counted as a number of "
        "items: 'kg' is not a unit of it; use item, 1000 items"
    }


def test_an_unknown_unit_and_a_factor_unit_of_another_kind_are_refused(agency, example_factors):
    errors = _errors(content(lines=[cfl_line(activity_unit="pcs", input_unit="g/t")]))
    assert "'pcs' is not a unit of it" in errors["lines.1.activity_unit"]
    assert errors["lines.1.input_unit"].startswith("'g/t' is no unit for a factor per number of")
    assert "mg/item" in errors["lines.1.input_unit"]


def test_a_category_no_factor_set_cites_asks_for_a_national_factor(agency, example_factors):
    line = {"category": "cosmetics", "activity": "2", "activity_unit": "t"}
    errors = _errors(content(lines=[line]))
    assert errors == {
        "lines.1.input_low": "No factor set on the platform cites a factor for Skin-lightening "
        "creams and soaps with mercury: enter a national input factor (low and high, with its "
        "unit) and its justification"
    }


def test_a_line_without_any_factor_names_the_sets_that_have_one(agency, example_factors):
    errors = _errors(content(lines=[battery_line(factor_set="")]))
    assert errors == {
        "lines.1.input_low": "No factor for Mercury oxide batteries: choose a factor set that has "
        "one (example-set) or enter a national input factor with its justification"
    }


def test_a_set_without_the_category_or_unknown_is_refused(agency, example_factors):
    errors = _errors(
        content(lines=[cfl_line(factor_set="example-set"), battery_line(factor_set="x")])
    )
    assert errors["lines.1.factor_set"].startswith(
        "example-set has no factor for Compact fluorescent lamps (CFL)"
    )
    assert errors["lines.2.factor_set"] == "Unknown factor set 'x'; use one of: example-set"


def test_a_cited_input_factor_without_distribution_needs_one(agency, example_factors):
    line = {"category": "lamps-other", "activity": "10", "activity_unit": "item"}
    errors = _errors(content(lines=[{**line, "factor_set": "example-set"}]))
    assert errors["lines.1.distribution"].startswith(
        "example-set gives no distribution for Other mercury lamps"
    )


def test_a_national_factor_needs_its_justification(agency, example_factors):
    errors = _errors(content(lines=[thermometer_line(justification="")]))
    assert list(errors) == ["lines.1.justification"]
    assert errors["lines.1.justification"].startswith("Say where the national factor comes from")


def test_shares_that_do_not_add_up_to_one_are_refused(agency, example_factors):
    errors = _errors(
        content(lines=[cfl_line(distribution={"air": "0.05", "general_waste": "0.85"})])
    )
    assert errors == {
        "lines.1.distribution": "The shares add up to 0.9; they must add up to 1 (the whole of "
        "the mercury input)"
    }
    errors = _errors(content(lines=[cfl_line(distribution={"sky": "1"})]))
    assert errors["lines.1.distribution"].startswith("Unknown pathways 'sky'")


@pytest.mark.parametrize(
    ("changes", "key", "message"),
    [
        (
            {"activity": "-3"},
            "lines.1.activity",
            "'-3' is negative; give a quantity of zero or more",
        ),
        (
            {"activity": "lots"},
            "lines.1.activity",
            "'lots' is not a number; write it as 1200 or 0.025",
        ),
        (
            {"activity": ""},
            "lines.1.activity",
            "Give the activity of the year (0 where there is none)",
        ),
        ({"input_high": "1"}, "lines.1.input_high", "The high factor (1) is below the low one (5)"),
        ({"category": "unicorns"}, "lines.1.category", "Unknown source category 'unicorns'"),
    ],
)
def test_bad_numbers_and_categories_are_named(agency, example_factors, changes, key, message):
    errors = _errors(content(lines=[cfl_line(**changes)]))
    assert errors[key].startswith(message)


def test_a_category_counted_twice_is_refused(agency, example_factors):
    errors = _errors(content(lines=[cfl_line(), cfl_line()]))
    assert errors == {
        "lines.2.category": "Compact fluorescent lamps (CFL) is already on line 1; an inventory "
        "counts each source category once"
    }


def test_the_inventory_needs_country_year_and_a_title(agency, example_factors):
    errors = _errors(content(country="", year="", name=""))
    assert set(errors) == {"country", "year", "name"}
    assert _errors(content(year="1789"))["year"] == "1789 is out of range (1990 to 2100)"


def test_numbers_are_read_as_people_write_them(agency, example_factors):
    checked = clean_inventory(
        content(lines=[cfl_line(activity="2 000 000", input_low="5,5", input_high="15")]),
        factor_table(),
    )
    assert checked.relations["lines"][0]["activity"] == "2000000"
    assert checked.relations["lines"][0]["input_low"] == "5.5"
