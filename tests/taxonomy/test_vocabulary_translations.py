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
    read_taxonomy_file,
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


@pytest.mark.parametrize("language", OTHER_LANGUAGES)
def test_every_vocabulary_label_is_translated_in_every_interface_language(language):
    taxonomy = read_taxonomy_file(default_taxonomy_path())
    path = default_taxonomy_path().parent / "translations" / f"{language}.json"
    translated = json.loads(path.read_text(encoding="utf-8"))
    missing = [
        f"{vocabulary} ({entry['code']})"
        for vocabulary, entries in taxonomy.items()
        for entry in entries
        if not (translated.get(vocabulary, {}).get(entry["code"]) or {}).get("label")
    ]
    assert missing == []


@pytest.mark.parametrize(
    "words", ["thermomètre", "termómetro", "термометр", "温度计", "ميزان حرارة", "thermometer"]
)
def test_a_thermometer_in_any_language_finds_the_facilities_accepting_measuring_devices(
    client, facilities, words
):
    from django.contrib.auth.models import AnonymousUser

    from mercuryhub.catalogue.queries import Filters, search

    found = {hit.entry.pk for hit in search(AnonymousUser(), Filters(q=words)).hits}
    # Batrec accepts measuring devices; no other facility of the fixture does.
    assert facilities["batrec"].pk in found
    assert facilities["santos"].pk not in found


def test_a_vocabulary_shows_in_the_language_of_the_page(client, facilities):
    path = facilities["batrec"].get_absolute_url()
    page = client.get(f"/fr{path}").content.decode()
    assert "Dispositifs de mesure contenant du mercure" in page
    page = client.get(f"/zh-hans{path}").content.decode()
    zh = json.loads((default_taxonomy_path().parent / "translations" / "zh-hans.json").read_text())
    assert zh["waste_categories"]["measuring-devices"]["label"] in page
