"""The built-in forms: written by forms/builtin_forms.py (the committed .xlsx are what it
writes), labelled in English, French and Spanish, their choices the platform's vocabularies, and
deployed by ``serve`` into the project ``demo`` once per version."""

import json
from importlib import resources

import pytest
from openpyxl import load_workbook

from mercuryhub.forms import builtin_forms
from mercuryhub.forms.actions import do_deploy_builtin_forms
from mercuryhub.forms.conversion import XLSFormError
from mercuryhub.forms.models import Form, FormVersion
from mercuryhub.taxonomy.models import Term


def _cells(path):
    book = load_workbook(path, read_only=True)
    return {sheet.title: [list(row) for row in sheet.iter_rows(values_only=True)] for sheet in book}


@pytest.mark.parametrize("name", sorted(builtin_forms.BUILTIN))
def test_the_committed_xlsforms_are_what_the_script_writes(tmp_path, name):
    (written,) = [p for p in builtin_forms.write_builtin_xlsforms(tmp_path) if p.stem == name]

    assert _cells(written) == _cells(builtin_forms.BUILTIN_DIR / f"{name}.xlsx")


@pytest.mark.parametrize("name", sorted(builtin_forms.BUILTIN))
def test_every_label_is_in_english_french_and_spanish(name):
    survey = _cells(builtin_forms.BUILTIN_DIR / f"{name}.xlsx")["survey"]
    header = survey[0]
    columns = [header.index(f"label::{language}") for language, _code in builtin_forms.LANGUAGES]

    assert [header[i] for i in columns] == [
        "label::English (en)",
        "label::French (fr)",
        "label::Spanish (es)",
    ]
    assert all(row[i] for row in survey[1:] for i in columns)


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
    definition["version"] = "2"
    builtin_forms.workbook(definition).save(tmp_path / "wma_needs.xlsx")
    monkeypatch.setattr("mercuryhub.forms.actions.BUILTIN_DIR", tmp_path)
    (third,) = do_deploy_builtin_forms()

    assert third[1] is True and third[0].version == "2"
    assert Form.objects.get(xml_form_id="wma_needs").current_version.version == "2"
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
