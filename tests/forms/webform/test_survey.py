"""Reading pyxform's survey JSON: questions, paths, choices, expressions and languages."""

import pytest
from pyxform.builder import create_survey_element_from_dict

from mercuryhub.forms.webform.expressions import ExpressionError
from mercuryhub.forms.webform.survey import choose_language, load_survey, text_in

from .conftest import SITE_CHOICES, SITE_SETTINGS, SITE_SURVEY, survey_of, xlsform


def test_it_reads_the_instance_root_id_and_version(site):
    assert (site.name, site.id_string, site.version, site.title) == (
        "site",
        "site_form",
        "2024-1",
        "ASGM site",
    )


def test_it_gives_each_question_its_path_kind_and_repeats(site):
    found = {question.path: (question.kind, question.repeats) for question in site.walk()}
    assert found["processing/retort"] == ("select_one", ())
    assert found["household"] == ("repeat", ())
    assert found["household/children_mining"] == ("integer", ("household",))
    assert found["practices"] == ("select_multiple", ())
    assert found["household_count"] == ("calculate", ())
    assert "meta" not in found


def test_it_reads_labels_hints_choices_and_messages_per_language(site):
    miners = site.by_path["miners"]
    assert miners.labels == {"English (en)": "Number of miners", "French (fr)": "Nombre de mineurs"}
    assert miners.always_required
    assert miners.required_messages == {"English (en)": "Say how many people mine here"}
    assert miners.constraint.source == ". >= 0 and . < 100000"
    retort = site.by_path["processing/retort"]
    assert [choice.name for choice in retort.choices] == ["yes", "no"]
    assert retort.choices[0].labels["French (fr)"] == "Oui"
    assert retort.appearance == "minimal"
    assert site.by_path["site_name"].hints["French (fr)"] == "Comme on l'appelle"


def test_it_reads_choices_from_the_survey_level_lists_of_to_json_dict(site_form):
    as_json = create_survey_element_from_dict(site_form[0]).to_json_dict()
    survey = load_survey(as_json)
    assert [choice.name for choice in survey.by_path["practices"].choices] == [
        "whole_ore",
        "open_burning",
        "cyanide",
    ]
    assert survey.by_path["practices"].relevant.source == "selected(${uses_mercury}, 'yes')"


def test_it_lists_the_languages_of_the_form_default_first(site):
    assert [(language.key, language.code) for language in site.languages] == [
        ("English (en)", "en"),
        ("French (fr)", "fr"),
    ]


@pytest.mark.parametrize(
    ("request_language", "chosen"),
    [
        ("fr", "French (fr)"),
        ("fr-ca", "French (fr)"),
        ("en", "English (en)"),
        ("ar", "English (en)"),
        (None, "English (en)"),
    ],
)
def test_it_chooses_the_label_language_of_the_request_else_the_default(
    site, request_language, chosen
):
    assert choose_language(site, request_language) == chosen


def test_it_matches_chinese_and_languages_named_without_a_code():
    survey = survey_of(
        [["type", "name", "label::Spanish", "label::Chinese (zh)"], ["text", "a", "Sitio", "地点"]],
        settings={"default_language": "Spanish"},
    )
    assert choose_language(survey, "zh-hans") == "Chinese (zh)"
    assert choose_language(survey, "es") == "Spanish"
    assert text_in(survey.by_path["a"].labels, "Chinese (zh)", survey) == "地点"


def test_it_falls_back_to_the_default_language_for_a_missing_translation(site):
    message = site.by_path["miners"].required_messages
    assert text_in(message, "French (fr)", site) == "Say how many people mine here"


def test_it_refuses_a_form_whose_expression_is_outside_the_subset():
    survey_json, _xform = xlsform(
        [["type", "name", "label", "constraint"], ["integer", "a", "A", "decimal-date(.) > 1"]]
    )
    with pytest.raises(ExpressionError) as raised:
        load_survey(survey_json)
    assert str(raised.value) == (
        "a (constraint): Unknown function decimal-date() at character 1 of “decimal-date(.) > 1”"
    )


def test_it_refuses_a_reference_to_a_question_the_form_does_not_have():
    survey_json, _xform = xlsform(SITE_SURVEY, SITE_CHOICES, SITE_SETTINGS)
    survey_json["children"][1]["bind"]["constraint"] = ". < ${workers}"
    with pytest.raises(ExpressionError, match="The form has no question named workers"):
        load_survey(survey_json)
