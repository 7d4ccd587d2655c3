"""The built-in forms: written by forms/builtin_forms.py (the committed .xlsx are what it
writes), labelled in the platform's six languages, their choices the platform's vocabularies, and
deployed by ``serve`` into the project ``demo`` once per version."""

import json
from importlib import resources

import pytest
from django.conf import settings
from openpyxl import load_workbook

from mercuryhub.forms import builtin_forms
from mercuryhub.forms.actions import do_deploy_builtin_forms
from mercuryhub.forms.conversion import XLSFormError, convert_xlsform
from mercuryhub.forms.models import Form, FormVersion
from mercuryhub.forms.webform.survey import choose_language, load_survey
from mercuryhub.taxonomy.models import Term
from tests.forms.conftest import builtin


def _cells(path):
    book = load_workbook(path, read_only=True)
    return {sheet.title: [list(row) for row in sheet.iter_rows(values_only=True)] for sheet in book}


@pytest.mark.parametrize("name", sorted(builtin_forms.BUILTIN))
def test_the_committed_xlsforms_are_what_the_script_writes(tmp_path, name):
    (written,) = [p for p in builtin_forms.write_builtin_xlsforms(tmp_path) if p.stem == name]

    assert _cells(written) == _cells(builtin_forms.BUILTIN_DIR / f"{name}.xlsx")


@pytest.mark.parametrize("name", sorted(builtin_forms.BUILTIN))
def test_every_question_and_choice_is_labelled_in_the_six_languages(name):
    sheets = _cells(builtin_forms.BUILTIN_DIR / f"{name}.xlsx")
    for sheet in ("survey", "choices"):
        header, *rows = sheets[sheet]
        columns = [i for i, column in enumerate(header) if column.startswith("label::")]

        assert [header[i] for i in columns] == [
            "label::English (en)",
            "label::French (fr)",
            "label::Spanish (es)",
            "label::Russian (ru)",
            "label::Chinese (zh)",
            "label::Arabic (ar)",
        ]
        assert [row[1] for row in rows if not all(row[i] for i in columns)] == [], sheet


@pytest.mark.parametrize("name", sorted(builtin_forms.BUILTIN))
def test_the_converted_forms_speak_each_language_of_the_platform(name):
    survey = load_survey(convert_xlsform(builtin(name)).survey_json)
    keys = [language.key for language in survey.languages]

    assert [language.code for language in survey.languages] == ["en", "fr", "es", "ru", "zh", "ar"]
    assert survey.version == "2"
    assert {code: choose_language(survey, code) for code, _name in settings.LANGUAGES} == {
        "en": "English (en)",
        "fr": "French (fr)",
        "es": "Spanish (es)",
        "ru": "Russian (ru)",
        "zh-hans": "Chinese (zh)",
        "ar": "Arabic (ar)",
    }
    shown = [question for question in survey.walk() if question.kind != "metadata"]
    assert shown
    for question in shown:
        assert all(question.labels.get(key) for key in keys), question.path
        for choice in question.choices:
            assert all(choice.labels.get(key) for key in keys), (question.path, choice.name)


def test_the_russian_chinese_and_arabic_labels_use_the_conventions_and_taxonomys_words():
    survey = load_survey(convert_xlsform(builtin("asgm_site_baseline")).survey_json)
    worst = survey.by_name["worst_practices_observed"]
    country = survey.by_name["country"]
    region = {choice.name: choice for choice in survey.by_name["region"].choices}

    assert worst.labels["Arabic (ar)"] == "أسوأ الممارسات الملحوظة (اتفاقية ميناماتا، المرفق جيم)"
    assert "附件C" in worst.labels["Chinese (zh)"]
    assert "приложение C" in worst.labels["Russian (ru)"]
    amalgamation = {choice.name: choice for choice in worst.choices}["whole-ore-amalgamation"]
    assert amalgamation.labels["Arabic (ar)"] == "ملغمة الخام بأكمله"
    congo = {choice.name: choice for choice in country.choices}["COD"]
    assert congo.labels["Chinese (zh)"] == "刚果民主共和国"
    assert region["africa"].labels["Russian (ru)"] == "Африка"


@pytest.mark.django_db
def test_the_needs_questionnaires_choices_are_the_platforms_terms():
    choices = _cells(builtin_forms.BUILTIN_DIR / "wma_needs.xlsx")["choices"]
    by_list = {}
    for row in choices[1:]:
        by_list.setdefault(row[0], set()).add(row[1])
    vocabularies = {
        "waste_categories": "waste_categories",
        "phases": "management_phases",
        "support_types": "support_types",
        "stakeholder_types": "stakeholder_types",
    }
    for list_name, vocabulary in vocabularies.items():
        codes = set(Term.objects.filter(vocabulary__name=vocabulary).values_list("code", flat=True))
        assert by_list[list_name] == codes, list_name
    assert {"COD", "GHA", "PER", "IDN"} <= by_list["country"]
    survey = _cells(builtin_forms.BUILTIN_DIR / "wma_needs.xlsx")["survey"]
    assert "consent_exchange" in [row[1] for row in survey]


def test_the_mining_site_baseline_asks_the_annex_c_questions():
    names = [
        row[1] for row in _cells(builtin_forms.BUILTIN_DIR / "asgm_site_baseline.xlsx")["survey"]
    ]
    taxonomy = json.loads(
        (resources.files("mercuryhub.taxonomy") / "data" / "taxonomy.json").read_text()
    )

    for name in (
        "site_name",
        "site_code",
        "location",
        "deposit_type",
        "miners",
        "women",
        "children",
        "processing_methods",
        "amalgamation",
        "retort_use",
        "burning_place",
        "cyanidation_of_mercury_tailings",
        "mercury_kg_per_month",
        "mercury_source",
        "gold_g_per_month",
        "licensing_status",
        "health_observations",
    ):
        assert name in names
    choices = _cells(builtin_forms.BUILTIN_DIR / "asgm_site_baseline.xlsx")["choices"]
    worst = {row[1] for row in choices if row[0] == "worst_practices"}
    assert worst == {term["code"] for term in taxonomy["worst_practices"]}


@pytest.mark.django_db
def test_deploying_twice_changes_nothing_and_a_new_version_is_deployed(tmp_path, monkeypatch):
    first = do_deploy_builtin_forms()
    second = do_deploy_builtin_forms()

    assert [(v.form.xml_form_id, new) for v, new in first] == [
        ("asgm_site_baseline", True),
        ("wma_needs", True),
    ]
    assert [new for _v, new in second] == [False, False]
    assert Form.objects.filter(project__slug="demo").count() == 2

    # A built-in form changed with its version: deployed as a new version.
    monkeypatch.setattr(builtin_forms, "BUILTIN_DIR", tmp_path)
    definition = builtin_forms.BUILTIN["wma_needs"]()
    definition["version"] = "3"
    builtin_forms.workbook(definition).save(tmp_path / "wma_needs.xlsx")
    monkeypatch.setattr("mercuryhub.forms.actions.BUILTIN_DIR", tmp_path)
    (third,) = do_deploy_builtin_forms()

    assert third[1] is True and third[0].version == "3"
    assert Form.objects.get(xml_form_id="wma_needs").current_version.version == "3"
    assert FormVersion.objects.count() == 3


@pytest.mark.django_db
def test_a_built_in_form_changed_without_a_new_version_is_refused(tmp_path, monkeypatch):
    do_deploy_builtin_forms()
    definition = builtin_forms.BUILTIN["wma_needs"]()
    definition["title"] = "Needs questionnaire, changed"
    builtin_forms.workbook(definition).save(tmp_path / "wma_needs.xlsx")
    monkeypatch.setattr("mercuryhub.forms.actions.BUILTIN_DIR", tmp_path)

    with pytest.raises(XLSFormError, match="change the version"):
        do_deploy_builtin_forms()
