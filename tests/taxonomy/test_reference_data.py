import json

import pytest
from django.core.management import CommandError, call_command

from mercuryhub.taxonomy.actions import (
    ReferenceDataError,
    default_taxonomy_path,
    do_load_reference_data,
    do_load_taxonomy,
)
from mercuryhub.taxonomy.models import Country, Language, Term, Vocabulary

pytestmark = pytest.mark.django_db


def _counts():
    return {
        "vocabularies": Vocabulary.objects.count(),
        "terms": Term.objects.count(),
        "term_history": Term.history.count(),
        "countries": Country.objects.count(),
        "languages": Language.objects.count(),
    }


def test_it_gives_identical_counts_when_loaded_twice():
    before = _counts()
    reports = do_load_reference_data()
    assert _counts() == before
    assert {name: (r.created, r.updated) for name, r in reports.items()} == {
        "taxonomy": (0, 0),
        "countries": (0, 0),
        "languages": (0, 0),
    }


def test_it_loads_every_vocabulary_of_the_file_with_synonyms():
    shipped = json.loads(default_taxonomy_path().read_text())
    assert set(Vocabulary.objects.values_list("name", flat=True)) == set(shipped)
    for name, entries in shipped.items():
        assert Term.objects.filter(vocabulary__name=name).count() == len(entries)
    lamps = Term.objects.get(vocabulary__name="waste_categories", code="lamps")
    assert lamps.parent.code == "containing"
    assert "CFL" in lamps.synonyms
    element_a = Term.objects.get(vocabulary__name="nap_elements", code="a")
    assert element_a.attributes["source"] == "Minamata Convention Annex C 1(a)"


def test_it_loads_every_iso_country_with_un_m49_regions():
    assert Country.objects.count() == 249
    uruguay = Country.objects.get(iso3="URY")
    assert (uruguay.iso2, uruguay.numeric) == ("UY", "858")
    assert uruguay.region == "Americas"
    assert uruguay.subregion == "Latin America and the Caribbean"
    assert uruguay.intermediate_region == "South America"
    assert uruguay.names["fr"] == "Uruguay"
    assert Country.objects.get(iso3="KEN").region == "Africa"


def test_it_marks_the_six_un_languages():
    assert set(Language.objects.filter(is_un_language=True).values_list("code", flat=True)) == {
        "ar",
        "zh",
        "en",
        "fr",
        "ru",
        "es",
    }
    assert Language.objects.count() > 180


def _write(tmp_path, data) -> str:
    path = tmp_path / "taxonomy.json"
    path.write_text(data if isinstance(data, str) else json.dumps(data))
    return path


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ('{"waste_categories": [', "line 1, column 23"),
        ({"waste_categories": [{"code": "lamps"}]}, "waste_categories[0] (lamps).label"),
        ({"waste_categories": [{"code": "Bad Code", "label": "x"}]}, "waste_categories[0].code"),
        (
            {"waste_categories": [{"code": "lamps", "label": "Lamps", "parent": "nowhere"}]},
            "waste_categories (lamps).parent: unknown code 'nowhere'",
        ),
        (
            {"phases": [{"code": "a", "label": "A"}, {"code": "a", "label": "B"}]},
            "phases: code 'a' appears more than once",
        ),
        ({"phases": [{"code": "a", "label": "A", "synonyms": "x"}]}, "phases[0] (a).synonyms"),
        ([], "the file must hold an object of vocabularies"),
    ],
)
def test_it_names_the_bad_entry_of_a_malformed_file_and_changes_nothing(tmp_path, content, message):
    before = _counts()
    with pytest.raises(ReferenceDataError) as raised:
        do_load_taxonomy(_write(tmp_path, content))
    assert message in str(raised.value)
    assert _counts() == before


def test_it_keeps_earlier_vocabularies_when_a_later_one_is_bad(tmp_path):
    data = json.loads(default_taxonomy_path().read_text())
    data["waste_categories"][4]["label"] = "Lamps (renamed)"
    data["working_groups"].append({"code": "wg9"})
    with pytest.raises(ReferenceDataError):
        do_load_taxonomy(_write(tmp_path, data))
    assert (
        Term.objects.get(vocabulary__name="waste_categories", code="lamps").label == "Mercury lamps"
    )


def test_the_command_reports_the_problem_without_a_traceback(tmp_path):
    with pytest.raises(CommandError, match=r"phases\[0\]\.code"):
        call_command(
            "load_reference_data",
            taxonomy=_write(tmp_path, {"phases": [{"code": 7, "label": "x"}]}),
            verbosity=0,
        )
