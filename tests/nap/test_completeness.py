"""The completeness check against Annex C: a complete plan scores 100; a plan missing element
(f) and one worst practice is told exactly that, under the elements they belong to."""

from mercuryhub.nap.completeness import check_plan
from tests.nap.conftest import REQUIRED_ELEMENTS, action, complete_content


def _missing(data) -> dict[str, list[str]]:
    return {
        element["code"]: element["missing"]
        for element in check_plan(data).as_dict()["elements"]
        if element["missing"]
    }


def test_a_complete_plan_scores_one_hundred(db):
    result = check_plan(complete_content())
    assert (result.score, result.missing) == (100, [])


def test_it_names_a_missing_element_and_an_unaddressed_worst_practice(db):
    data = complete_content(
        sections={code: "Text." for code in REQUIRED_ELEMENTS if code != "f"},
        actions=[
            action("b", worst_practices=["whole-ore-amalgamation", "open-burning"]),
            action("b", worst_practices=["residential-burning"]),
            action("k"),
        ],
    )
    result = check_plan(data)
    assert _missing(data) == {
        "f": ["The section has no text yet"],
        "b": [
            "No action addresses the worst practice “Cyanide leaching in sediment, ore or "
            "tailings to which mercury has been added without first removing the mercury”"
        ],
    }
    assert result.checks - result.met == 2
    assert result.score == 100 * (result.checks - 2) // result.checks


def test_it_asks_for_baselines_target_years_bodies_and_periods(db):
    data = complete_content(
        baseline={},
        objectives=[{"element": "a", "indicator": "Miners trained", "baseline": "", "year": None}],
        actions=[
            action(
                "b",
                worst_practices=[
                    "whole-ore-amalgamation",
                    "open-burning",
                    "residential-burning",
                    "cyanide-on-mercury-tailings",
                ],
            ),
            action("j", activity="Radio campaign", responsible_body="", start="", end=""),
        ],
    )
    assert _missing(data) == {
        "a": [
            "Target 1 (Miners trained) has no baseline",
            "Target 1 (Miners trained) has no target year",
        ],
        "d": ["The baseline does not cite the national overview's figures yet (fill them in)"],
        "j": [
            "Action 2 (Radio campaign) has no responsible body",
            "Action 2 (Radio campaign) has no period (start and end)",
        ],
    }


def test_an_empty_plan_misses_every_element_and_scores_zero(db):
    result = check_plan({"sections": {}, "objectives": [], "actions": [], "baseline": {}})
    assert result.score == 0
    assert {code for code, _item in result.missing} == set(REQUIRED_ELEMENTS)


def test_the_optional_strategies_are_never_required(db):
    codes = {element.code: element for element in check_plan(complete_content()).elements}
    assert codes["additional"].required is False
    assert codes["additional"].checks == 0
