"""Vocabularies in the six interface languages: translated labels and search synonyms are data
beside taxonomy.json, loaded by the platform's loader, checked against the taxonomy, shown in
the visitor's language and found by search in every language."""

import json
import shutil

import pytest
from django.conf import settings
from django.utils import translation

from mercuryhub.taxonomy.actions import (
    ReferenceDataError,
    default_taxonomy_path,
    do_load_taxonomy,
)
from mercuryhub.taxonomy.models import Term

pytestmark = pytest.mark.django_db

OTHER_LANGUAGES = [code for code, _name in settings.LANGUAGES if code != "en"]


def _copy_with(tmp_path, language: str, data: dict):
    shutil.copy(default_taxonomy_path(), tmp_path / "taxonomy.json")
    (tmp_path / "translations").mkdir()
    (tmp_path / "translations" / f"{language}.json").write_text(json.dumps(data))
    return tmp_path / "taxonomy.json"


def test_a_translated_label_shows_in_its_language_and_english_elsewhere(tmp_path):
    path = _copy_with(
        tmp_path,
        "fr",
        {"waste_categories": {"lamps": {"label": "Lampes au mercure", "synonyms": ["néon"]}}},
    )
    do_load_taxonomy(path)
    lamps = Term.objects.get(vocabulary__name="waste_categories", code="lamps")
    with translation.override("fr"):
        assert str(lamps) == "Lampes au mercure"
    with translation.override("es"):
        assert str(lamps) == lamps.label
    assert "néon" in lamps.search_words()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"waste_kinds": {}}, "'waste_kinds': no such vocabulary in the taxonomy"),
        ({"waste_categories": {"lamp": {"label": "Lampes"}}}, "waste_categories (lamp): no such"),
        ({"waste_categories": {"lamps": {"label": " "}}}, "waste_categories (lamps): give a"),
        (
            {"waste_categories": {"lamps": {"label": "Lampes", "synonyms": [""]}}},
            "waste_categories (lamps): synonyms must be",
        ),
    ],
)
def test_a_bad_translation_file_is_refused_naming_the_entry_and_changes_nothing(
    tmp_path, data, message
):
    before = dict(Term.objects.values_list("pk", "translations"))
    with pytest.raises(ReferenceDataError, match=r"fr\.json") as refused:
        do_load_taxonomy(_copy_with(tmp_path, "fr", data))
    assert message in str(refused.value)
    assert dict(Term.objects.values_list("pk", "translations")) == before
