"""Checking a submitted web form: types, required answers, constraints, relevance, repeats and
calculations, with a message per field."""

import datetime
from decimal import Decimal

from django.http import QueryDict
from django.utils import translation

from mercuryhub.forms.webform.answers import GeoPoint, form_data, initial_data
from mercuryhub.forms.webform.repeats import apply_repeat_button
from mercuryhub.forms.webform.validation import (
    hidden_paths,
    label_for,
    live_state,
    validate_submission,
)

from .conftest import answers, survey_of


def test_it_accepts_a_complete_submission_with_typed_values(site):
    values, errors = validate_submission(site, answers())
    assert errors == {}
    assert values["miners"] == 120
    assert values["mercury_kg"] == Decimal("2.5")
    assert values["visited"] == datetime.date(2024, 3, 27)
    assert values["practices"] == ["whole_ore", "open_burning"]
    assert values["location"] == GeoPoint(Decimal("6.17"), Decimal("-0.55"))
    assert values["household"] == 2
    assert values["household[1]/head"] == "Kofi"


def test_it_reads_a_querydict_as_a_browser_posts_it(site):
    query = QueryDict(mutable=True)
    for key, value in answers().items():
        query.setlist(key, value if isinstance(value, list) else [value])
    values, errors = validate_submission(site, query)
    assert errors == {}
    assert values["practices"] == ["whole_ore", "open_burning"]


def test_it_requires_an_answer_with_the_forms_message_or_the_default(site):
    _values, errors = validate_submission(site, answers(site_name="  ", miners=""))
    assert errors == {
        "site_name": "This question is required.",
        "miners": "Say how many people mine here",
    }


def test_it_translates_the_default_messages():
    survey = survey_of([["type", "name", "label", "required"], ["integer", "a", "A", "yes"]])
    with translation.override("fr"):
        assert validate_submission(survey, {})[1] == {"a": "Cette question est obligatoire."}
        assert validate_submission(survey, {"a": "x"})[1] == {"a": "Saisissez un nombre entier."}


def test_it_refuses_answers_of_the_wrong_type_with_a_message_per_field(site):
    _values, errors = validate_submission(
        site,
        answers(mercury_kg="a lot", visited="27/03/2024", uses_mercury="maybe", site_name="Kibi"),
    )
    assert validate_submission(site, answers(miners="12.5"))[1] == {
        "miners": "Enter a whole number."
    }
    assert errors == {
        "mercury_kg": "Enter a number.",
        "visited": "Enter a date as year-month-day, for example 2024-03-27.",
        "uses_mercury": "Choose one of the answers offered.",
    }


def test_it_accepts_a_decimal_comma():
    values, errors = validate_submission(site_survey := _decimal_form(), {"kg": "2,75"})
    assert (values, errors) == ({"kg": Decimal("2.75")}, {})
    assert label_for(site_survey, "kg", None) == "Kilograms"


def _decimal_form():
    return survey_of([["type", "name", "label"], ["decimal", "kg", "Kilograms"]])


def test_it_refuses_a_choice_that_is_not_offered(site):
    _values, errors = validate_submission(site, answers(practices=["whole_ore", "gravity"]))
    assert errors == {"practices": "Choose only among the answers offered."}


def test_it_applies_a_constraint_with_its_message_in_the_forms_language(site):
    data = answers(miners="100000", **{"household[0]/children_mining": "4"})
    _values, errors = validate_submission(site, data, language="French (fr)")
    assert errors == {
        "miners": "Entre 0 et 99999",
        "household[0]/children_mining": "Pas plus que les enfants",
    }


def test_it_names_the_question_when_a_constraint_has_no_message(site):
    _values, errors = validate_submission(site, answers(mercury_kg="0"))
    assert errors == {"mercury_kg": "The answer to “Mercury used per month (kg)” is not accepted."}


def test_it_skips_a_question_that_is_not_relevant(site):
    values, errors = validate_submission(site, answers(miners="0", mercury_kg="not a number"))
    assert errors == {}
    assert "mercury_kg" not in values


def test_it_skips_a_whole_group_that_is_not_relevant_and_drops_its_answers(site):
    data = answers(uses_mercury="no", **{"processing/retort": ""})
    values, errors = validate_submission(site, data)
    assert errors == {}
    assert "processing/burning_place" not in values
    assert "practices" not in values


def test_it_checks_a_required_question_of_a_relevant_group(site):
    _values, errors = validate_submission(site, answers(**{"processing/retort": None}))
    assert errors == {"processing/retort": "This question is required."}


def test_it_resolves_a_reference_in_the_same_repeat_instance(site):
    data = answers(**{"household[1]/children": "2", "household[1]/children_mining": "3"})
    _values, errors = validate_submission(site, data)
    assert errors == {"household[1]/children_mining": "No more than the children"}
    assert hidden_paths(site, answers()) == ["household[1]/children_mining"]


def test_it_checks_every_instance_of_a_repeat(site):
    data = answers(**{"_count:household": "3", "household[2]/children": "40"})
    _values, errors = validate_submission(site, data)
    assert errors == {
        "household[2]/head": "This question is required.",
        "household[2]/children": "The answer to “Children” is not accepted.",
    }
    assert label_for(site, "household[2]/head", "French (fr)") == "Chef de ménage (Ménage 3)"


def test_it_counts_and_sums_over_a_repeat_in_calculations(site):
    values, _errors = validate_submission(site, answers())
    assert (values["household_count"], values["children_total"]) == ("2", "3")


def test_it_takes_a_repeats_instances_from_its_fields_when_no_count_is_sent(site):
    data = answers(**{"_count:household": None, "household[2]/head": "Esi"})
    values, _errors = validate_submission(site, data)
    assert values["household"] == 3


def test_it_adds_a_repeat_instance_when_add_another_is_pressed(site):
    data, focus = apply_repeat_button(site, answers(_add="household"))
    assert focus == "household[2]"
    assert data["_count:household"] == "3"
    assert "_add" not in data
    _values, errors = validate_submission(site, data)
    assert errors == {"household[2]/head": "This question is required."}


def test_it_removes_a_repeat_instance_and_renumbers_the_next(site):
    data = answers(
        **{"_count:household": "3", "household[2]/head": "Esi", "_remove": "household[0]"}
    )
    data, focus = apply_repeat_button(site, data)
    assert focus == "household"
    assert (data["_count:household"], data["household[0]/head"], data["household[1]/head"]) == (
        "2",
        "Kofi",
        "Esi",
    )
    assert "household[2]/head" not in data


def test_it_ignores_a_repeat_button_for_a_path_that_is_not_a_repeat(site):
    data, focus = apply_repeat_button(site, answers(_add="site_name", _remove="miners[0]"))
    assert focus is None
    assert data["_count:household"] == "2"


def test_it_reads_a_geopoint_from_one_field_with_altitude_and_accuracy(site):
    data = answers(**{"location:lat": None, "location:lon": None}, location="6.17 -0.55 210 4.5")
    values, errors = validate_submission(site, data)
    assert errors == {}
    assert str(values["location"]) == "6.17 -0.55 210 4.5"


def test_it_checks_the_range_of_latitude_and_longitude(site):
    assert validate_submission(site, answers(**{"location:lat": "-91"}))[1] == {
        "location": "The latitude must be between -90 and 90."
    }
    assert validate_submission(site, answers(**{"location:lon": "180.5"}))[1] == {
        "location": "The longitude must be between -180 and 180."
    }
    assert validate_submission(site, answers(**{"location:lon": ""}))[1] == {
        "location": "Enter both the latitude and the longitude."
    }
    assert validate_submission(site, answers(**{"location:lon": "east"}))[1] == {
        "location": "Enter the latitude and the longitude as numbers in degrees."
    }


def test_it_refuses_a_whole_number_out_of_odks_range():
    survey = survey_of([["type", "name", "label"], ["integer", "a", "A"]])
    assert validate_submission(survey, {"a": "3000000000"})[1] == {
        "a": "Enter a whole number between -2147483648 and 2147483647."
    }


def test_it_fills_start_end_and_today():
    survey = survey_of([["type", "name", "label"], ["start", "start", ""], ["today", "day", ""]])
    now = datetime.datetime(2024, 3, 27, 10, 30, tzinfo=datetime.UTC)
    values, _errors = validate_submission(survey, {}, now=now)
    assert values == {"start": "2024-03-27T10:30:00.000+00:00", "day": "2024-03-27"}


def test_it_makes_a_required_expression_depend_on_other_answers():
    survey = survey_of(
        [
            ["type", "name", "label", "required"],
            ["integer", "miners", "Miners", ""],
            ["text", "union", "Union", "${miners} > 10"],
        ]
    )
    assert validate_submission(survey, {"miners": "11"})[1] == {
        "union": "This question is required."
    }
    assert validate_submission(survey, {"miners": "3"})[1] == {}


def test_it_gives_a_new_form_one_instance_of_each_repeat_and_the_defaults():
    survey = survey_of(
        [
            ["type", "name", "label", "default"],
            ["integer", "miners", "Miners", "10"],
            ["begin repeat", "household", "Household", ""],
            ["text", "head", "Head", ""],
            ["end repeat", "", "", ""],
        ]
    )
    data = initial_data(survey)
    assert dict(data.lists()) == {"miners": ["10"], "_count:household": ["1"]}


def test_it_writes_values_back_into_fields_that_validate_to_the_same_values(site):
    values, _errors = validate_submission(site, answers())
    again, errors = validate_submission(site, form_data(site, values))
    assert errors == {}
    assert again == values


CASCADE_SURVEY = [
    ["type", "name", "label", "required", "choice_filter"],
    ["select_one region", "region", "Region", "yes", ""],
    ["select_one country", "country", "Country", "yes", "region=${region}"],
    [
        "select_multiple country",
        "neighbours",
        "Neighbours",
        "",
        "region=${region} and name!=${country}",
    ],
]
CASCADE_CHOICES = [
    ["list_name", "name", "label", "region"],
    ["region", "africa", "Africa", ""],
    ["region", "asia", "Asia", ""],
    ["country", "GHA", "Ghana", "africa"],
    ["country", "COD", "DR Congo", "africa"],
    ["country", "MNG", "Mongolia", "asia"],
]


def test_a_choice_filter_offers_the_choices_of_the_answers_given():
    survey = survey_of(CASCADE_SURVEY, CASCADE_CHOICES)
    state = live_state(survey, {"region": "africa", "country": "GHA"})
    assert state["choices"] == {"country": ["GHA", "COD"], "neighbours": ["COD"]}
    assert live_state(survey, {"region": "asia"})["choices"]["country"] == ["MNG"]
    assert live_state(survey, {})["choices"]["country"] == []


def test_an_answer_the_choice_filter_leaves_out_is_refused_with_a_message():
    survey = survey_of(CASCADE_SURVEY, CASCADE_CHOICES)
    assert validate_submission(survey, {"region": "africa", "country": "COD"})[1] == {}
    _values, errors = validate_submission(
        survey, {"region": "asia", "country": "GHA", "neighbours": ["MNG", "COD"]}
    )
    assert errors == {
        "country": "“GHA” is not one of the choices of “Country” for the answers given above.",
        "neighbours": "“COD” is not one of the choices of “Neighbours” for the answers given "
        "above.",
    }
