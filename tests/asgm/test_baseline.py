"""What the answers of a baseline submission imply, for every combination of the answers that
matter: the site's practice and the Annex C 1(b) worst practices, each with its answer."""

import itertools
from decimal import Decimal

import pytest

from mercuryhub.asgm import baseline

PROCESSING = ["", "gravity", "gravity amalgamation", "amalgamation cyanidation"]
AMALGAMATED = ["", "whole_ore", "concentrate"]
RETORTS = ["", "always", "sometimes", "never"]
BURNING = [
    " ".join(places)
    for size in range(4)
    for places in itertools.combinations(["open_air", "homes", "fume_hood"], size)
]
CYANIDATION = ["", "yes", "no"]
OBSERVED = ["", "open-burning", "whole-ore-amalgamation cyanide-on-mercury-tailings"]


def _expected_practice(processing, amalgamated, retort):
    if not processing:
        return ""
    if "amalgamation" not in processing.split():
        return "mercury-free"
    if amalgamated == "whole_ore":
        return "whole-ore-amalgamation"
    if amalgamated == "concentrate":
        return (
            "concentrate-amalgamation-retort" if retort == "always" else "concentrate-amalgamation"
        )
    return ""


def _expected_worst(amalgamated, burning, cyanidation, observed):
    shown = set()
    if amalgamated == "whole_ore":
        shown.add(("whole-ore-amalgamation", "amalgamation", "whole_ore"))
    if "open_air" in burning.split():
        shown.add(("open-burning", "burning_place", "open_air"))
    if "homes" in burning.split():
        shown.add(("residential-burning", "burning_place", "homes"))
    if cyanidation == "yes":
        shown.add(("cyanide-on-mercury-tailings", "cyanidation_of_mercury_tailings", "yes"))
    for code in observed.split():
        shown.add((code, "worst_practices_observed", code))
    return shown


@pytest.mark.parametrize("processing", PROCESSING)
def test_every_combination_of_answers_gives_its_practice_and_worst_practices(processing):
    for amalgamated, retort, burning, cyanidation, observed in itertools.product(
        AMALGAMATED, RETORTS, BURNING, CYANIDATION, OBSERVED
    ):
        data = {
            "processing_methods": processing,
            "amalgamation": amalgamated,
            "retort_use": retort,
            "burning_place": burning,
            "cyanidation_of_mercury_tailings": cyanidation,
            "worst_practices_observed": observed,
        }
        case = f"{data}"
        assert baseline.practice(data) == _expected_practice(processing, amalgamated, retort), case
        shown = {(w["code"], w["question"], w["answer"]) for w in baseline.worst_practices(data)}
        assert shown == _expected_worst(amalgamated, burning, cyanidation, observed), case


def test_worst_practices_come_in_the_order_of_annex_c():
    data = {
        "cyanidation_of_mercury_tailings": "yes",
        "burning_place": "homes open_air",
        "amalgamation": "whole_ore",
    }
    assert [w["code"] for w in baseline.worst_practices(data)] == [
        "whole-ore-amalgamation",
        "open-burning",
        "residential-burning",
        "cyanide-on-mercury-tailings",
    ]


def test_an_answer_inside_a_group_is_found_by_its_name():
    assert baseline.answer({"processing/amalgamation": "whole_ore"}, "amalgamation") == "whole_ore"


def test_mercury_use_is_reported_where_given_else_estimated_else_unknown():
    ratio = baseline.Ratio(Decimal(4), Decimal(10), Decimal(50))

    reported = baseline.mercury_use(Decimal(54), Decimal(3), ratio)
    estimated = baseline.mercury_use(None, Decimal(3), ratio)

    assert (reported.method, reported.low, reported.high) == ("reported", 54, 54)
    assert (estimated.method, estimated.low, estimated.typical, estimated.high) == (
        "estimated",
        12,
        30,
        150,
    )
    assert baseline.mercury_use(None, None, ratio).method == "unknown"
    assert baseline.mercury_use(None, Decimal(3), None).method == "unknown"


def test_monthly_grams_of_gold_become_kilograms_per_year():
    answers = baseline.site_answers({"gold_g_per_month": "250", "mercury_kg_per_month": "4.5"})

    assert answers["gold_kg_per_year"] == Decimal(3)
    assert answers["mercury_reported_kg_per_year"] == Decimal(54)


def test_bad_numbers_and_coordinates_are_left_out_not_guessed():
    answers = baseline.site_answers(
        {"miners": "-3", "women": "2.5", "gold_g_per_month": "NaN", "location": "95 10 0 0"}
    )

    assert answers["miners"] is None and answers["women"] is None
    assert answers["gold_kg_per_year"] is None
    assert answers["latitude"] is None
