"""An entry's texts in the six languages: given through the review layer's one mechanism for every
kind, through the web form, the API and the import layout; shown in the language asked for, saying
so where they fall back to another; found by search in any language."""

import csv
import io
import json

import pytest

from mercuryhub.accounts.actions import do_create_api_token
from mercuryhub.catalogue.models import Facility
from mercuryhub.catalogue.queries import Filters, search
from mercuryhub.catalogue.spreadsheets.exporting import export_file
from mercuryhub.catalogue.spreadsheets.importing import import_entries
from mercuryhub.lib.errors import InvalidInputError
from mercuryhub.review import actions, comparison, queries, registry
from mercuryhub.review.models import EntryVersion
from tests.library.criteria import validate
from tests.review.test_registry import EXAMPLES

pytestmark = pytest.mark.django_db

KINDS = [kind.name for kind in registry.kinds()]


def _texts(kind_name: str) -> tuple[str, str]:
    """The serialization's names of a kind's name and description (its first two translated
    texts; a project has its lessons learned besides)."""
    kind = registry.get(kind_name)
    names = [field.name for field in kind.translated_fields]
    assert names[0] == "name" and len(names) >= 2, names
    return names[0], names[1]


def _draft(kind_name, owner, **texts):
    new, _change = EXAMPLES[kind_name]
    return actions.do_create_draft(kind_name, owner, {**new, **texts})


def _publish(kind_name, owner, reviewer, entry):
    actions.do_submit_entry(kind_name, owner, entry)
    return validate(kind_name, reviewer, entry)


# One mechanism for every kind ---------------------------------------------------------------


@pytest.mark.parametrize("kind_name", KINDS)
def test_every_kind_keeps_its_texts_in_other_languages_in_its_versions(
    kind_name, owner, organization
):
    name, description = _texts(kind_name)
    entry = _draft(
        kind_name,
        owner,
        name_fr="Ligne de lampes",
        **{f"{description}_es": "Tritura tubos fluorescentes.", "name_zh": "灯管处理线"},
    )

    data = registry.get(kind_name).serialize(entry)
    assert data["content_language"] == "en"
    assert data["name_fr"] == "Ligne de lampes"
    assert data["name_zh"] == "灯管处理线"
    assert data[f"{description}_es"] == "Tritura tubos fluorescentes."
    assert f"{description}_fr" not in data  # what was not given is left out
    stored = EntryVersion.objects.get(kind=kind_name, object_id=entry.pk, number=entry.version)
    assert stored.data["name_fr"] == "Ligne de lampes"

    french = entry.localized("name", "fr")
    assert (french, french.language, french.is_fallback) == ("Ligne de lampes", "fr", False)
    russian = entry.localized("name", "ru")
    assert russian == entry.name
    assert (russian.language, russian.is_fallback) == ("en", True)
    stored_as = registry.get(kind_name).translated_fields[1].stored_as  # an expert's biography
    spanish = entry.localized(stored_as, "es")
    assert (spanish, spanish.is_fallback) == ("Tritura tubos fluorescentes.", False)


@pytest.mark.parametrize("kind_name", KINDS)
def test_bad_texts_in_other_languages_are_named_and_nothing_is_saved(
    kind_name, owner, organization
):
    model = registry.get(kind_name).model
    before = model.objects.count()

    with pytest.raises(InvalidInputError) as raised:
        _draft(
            kind_name,
            owner,
            content_language="fr",
            name_fr="Doublon",
            name_es="x" * 301,
            name_ru="Линия\x00",
        )

    errors = raised.value.errors
    assert "written in this language" in errors["name_fr"]
    assert errors["name_es"] == "At most 300 characters (this has 301)"
    assert "control character" in errors["name_ru"].lower()
    assert model.objects.count() == before

    with pytest.raises(InvalidInputError) as raised:
        _draft(kind_name, owner, content_language="de")
    assert raised.value.errors["content_language"] == (
        "Unknown language 'de'; use one of: en, fr, es, ru, zh, ar"
    )


@pytest.mark.parametrize("kind_name", KINDS)
def test_a_translation_of_a_published_entry_is_reviewed_like_any_change(
    kind_name, owner, reviewer, organization
):
    entry = _publish(kind_name, owner, reviewer, _draft(kind_name, owner))
    kind = registry.get(kind_name)

    actions.do_edit_entry(
        kind_name, owner, entry, {"name_ar": "خط المصابيح"}, base_version=entry.version
    )
    entry.refresh_from_db()

    assert entry.localized("name", "ar").is_fallback  # the public still sees the validated text
    rows = comparison.labelled_rows(
        kind,
        queries.version_data(kind_name, entry, entry.published_version),
        queries.latest_data(kind_name, entry),
    )
    changed = [(row.label, row.new) for row in rows if row.changed]
    name_label = next(field.label for field in kind.fields if field.name == "name")
    assert changed == [(f"{name_label} (Arabic)", "خط المصابيح")]

    actions.do_submit_entry(kind_name, owner, entry)
    validate(kind_name, reviewer, entry)
    entry.refresh_from_db()
    assert entry.localized("name", "ar") == "خط المصابيح"

    # A blank translation removes it.
    actions.do_edit_entry(kind_name, owner, entry, {"name_ar": ""}, base_version=entry.version)
    assert "name_ar" not in queries.latest_data(kind_name, entry)


def test_an_entry_written_in_french_falls_back_to_french(owner, organization):
    entry = _draft(
        "facility",
        owner,
        content_language="fr",
        name="Ligne de lampes de Wimmis",
        name_en="Wimmis lamp line",
    )

    assert entry.localized("name", "en") == "Wimmis lamp line"
    assert entry.localized("name", "fr") == "Ligne de lampes de Wimmis"
    spanish = entry.localized("name", "es")
    assert (spanish, spanish.language, spanish.is_fallback) == (
        "Ligne de lampes de Wimmis",
        "fr",
        True,
    )


# Search ----------------------------------------------------------------------------------------


def test_search_finds_an_entry_by_its_text_in_any_language(owner, reviewer, organization):
    entry = _draft(
        "facility",
        owner,
        name_fr="Usine de recyclage des ampoules",
        name_ru="Завод по переработке ламп",
        name_zh="荧光灯管回收处理厂",
        description_ar="منشأة لإعادة تدوير المصابيح",
    )
    _publish("facility", owner, reviewer, entry)

    # Chinese has no spaces between words: a word from the middle of a name finds it too.
    for words in ("usine ampoules", "переработке", "تدوير", "荧光灯", "回收处理"):
        found = search(None, Filters(q=words))
        assert [hit.entry.pk for hit in found.hits] == [entry.pk], words


# Pages -----------------------------------------------------------------------------------------


def test_a_page_shows_the_language_asked_for_and_says_when_it_falls_back(
    client, owner, reviewer, organization
):
    entry = _draft(
        "facility",
        owner,
        name_fr="Ligne de lampes",
        description_fr="Broie les tubes fluorescents.",
    )
    _publish("facility", owner, reviewer, entry)

    french = client.get(f"/fr/catalogue/facilities/{entry.pk}/").content.decode()
    assert '<h1 dir="auto" lang="fr">Ligne de lampes</h1>' in french
    assert "Broie les tubes fluorescents." in french
    assert "language-note" not in french

    spanish = client.get(f"/es/catalogue/facilities/{entry.pk}/").content.decode()
    assert f'<h1 dir="auto" lang="en">{entry.name}</h1>' in spanish
    assert "Aún no se ha dado en español: se muestra en inglés." in spanish

    listed = client.get("/fr/catalogue/search/", {"q": "lampes"}).content.decode()
    assert 'lang="fr">Ligne de lampes</a>' in listed


def test_the_edit_form_takes_the_texts_in_other_languages(signed_in, owner, reviewer, organization):
    entry = _draft("facility", owner)
    client = signed_in(owner)
    form = client.get(f"/catalogue/facility/{entry.pk}/edit/").content.decode()
    assert 'name="name_fr"' in form and 'name="description_ar"' in form
    assert 'name="content_language"' in form

    posted = {
        **queries.latest_data("facility", entry),
        "base_version": entry.version,
        "name_fr": "Ligne de lampes",
        "description_zh": "破碎荧光灯管。",
        "accepted_wastes": ["lamps"],
    }
    posted = {k: v for k, v in posted.items() if v is not None}
    response = client.post(f"/catalogue/facility/{entry.pk}/edit/", posted)
    assert response.status_code == 302, response.content.decode()[:2000]

    data = queries.latest_data("facility", entry)
    assert data["name_fr"] == "Ligne de lampes"
    assert data["description_zh"] == "破碎荧光灯管。"

    refused = client.post(
        f"/catalogue/facility/{entry.pk}/edit/",
        {**posted, "base_version": entry.version + 1, "name_ru": "Линия\x07"},
    )
    assert refused.status_code in (200, 400)
    assert "name_ru" not in queries.latest_data("facility", entry)


# API -------------------------------------------------------------------------------------------


def test_the_api_answers_in_the_language_asked_for(client, owner, reviewer, organization):
    entry = _draft("facility", owner, name_fr="Ligne de lampes", latitude=46.676, longitude=7.638)
    _publish("facility", owner, reviewer, entry)

    item = client.get("/api/v1/facilities", {"lang": "fr"}).json()["items"][0]
    assert item["name"] == "Ligne de lampes"
    assert item["language"] == "fr"
    assert item["text_languages"] == {"name": "fr", "description": "en"}
    assert item["translations"] == {"fr": {"name": "Ligne de lampes"}}
    assert item["content_language"] == "en"

    response = client.get("/api/v1/facilities", headers={"Accept-Language": "ru-RU,ru;q=0.9"})
    item = response.json()["items"][0]
    assert response.headers["Content-Language"] == "ru"
    assert item["name"] == entry.name
    assert item["text_languages"]["name"] == "en"

    # The map's markers are named in the page's language, as the API's GeoJSON names them.
    page = client.get("/fr/catalogue/map/").content.decode()
    assert 'data-points-url="/fr/catalogue/map/facilities.json"' in page
    features = client.get("/fr/catalogue/map/facilities.json").json()["features"]
    assert [feature["properties"]["name"] for feature in features] == ["Ligne de lampes"]
    response = client.get("/api/v1/facilities.geojson", {"lang": "fr"})
    features = json.loads(b"".join(response.streaming_content))["features"]
    assert [feature["properties"]["name"] for feature in features] == ["Ligne de lampes"]

    refused = client.get("/api/v1/facilities", {"lang": "klingon"})
    assert refused.status_code == 422
    assert refused.json()["errors"] == [
        {
            "field": "lang",
            "message": "Unknown language 'klingon'; use one of: en, fr, es, ru, zh, ar",
        }
    ]


def test_the_editing_api_takes_and_gives_the_texts_in_other_languages(client, owner, organization):
    auth = {"HTTP_AUTHORIZATION": f"Bearer {do_create_api_token(owner, 'test')[1]}"}
    new, _change = EXAMPLES["facility"]

    response = client.post(
        "/api/v1/facilities",
        {**new, "name_es": "Línea de lámparas"},
        content_type="application/json",
        **auth,
    )
    assert response.status_code == 201, response.content
    assert response.json()["data"]["name_es"] == "Línea de lámparas"
    entry_id = response.json()["id"]

    response = client.patch(
        f"/api/v1/facilities/{entry_id}",
        {"version": 1, "content_language": "xx"},
        content_type="application/json",
        **auth,
    )
    assert response.status_code == 422
    assert [error["field"] for error in response.json()["errors"]] == ["content_language"]

    # A key the API does not know (a language it does not have) is named, not dropped.
    response = client.patch(
        f"/api/v1/facilities/{entry_id}",
        {"version": 1, "name_de": "Lampenlinie"},
        content_type="application/json",
        **auth,
    )
    assert response.status_code == 422
    assert "name_de" in response.content.decode()


# Import and export -----------------------------------------------------------------------------


def _csv(path, rows):
    with open(path, "w", encoding="utf-8", newline="") as file:
        csv.writer(file).writerows(rows)
    return path


ROW_HEADER = ["external_id", "name", "operator", "country", "accepted_wastes"]
ROW = ["wimmis-lamps", "Wimmis lamp line", "Batrec Industrie AG", "CHE", "lamps"]


def test_the_import_layout_takes_name_and_description_columns_per_language(tmp_path):
    header = [*ROW_HEADER, "name_fr", "description_es", "name_zh"]
    report = import_entries(
        "facility",
        _csv(
            tmp_path / "first.csv",
            [header, [*ROW, "Ligne de lampes", "Tritura tubos.", "灯管线"]],
        ),
    )
    assert report.problems == [] and report.created == 1
    facility = Facility.objects.get(external_id="wimmis-lamps")
    assert facility.translations == {
        "fr": {"name": "Ligne de lampes"},
        "es": {"description": "Tritura tubos."},
        "zh-hans": {"name": "灯管线"},
    }

    # A file without the language columns leaves the texts as they are; one that changes a text
    # says so in its report.
    report = import_entries("facility", _csv(tmp_path / "plain.csv", [ROW_HEADER, ROW]))
    assert (report.updated, report.unchanged) == (0, 1)
    report = import_entries(
        "facility",
        _csv(tmp_path / "fr.csv", [[*ROW_HEADER, "name_fr"], [*ROW, "Ligne des lampes"]]),
    )
    assert report.updated == 1
    assert [(c.column, c.old, c.new) for c in report.changes] == [
        ("name_fr", "Ligne de lampes", "Ligne des lampes")
    ]
    facility.refresh_from_db()
    assert facility.translations["es"] == {"description": "Tritura tubos."}

    bad = import_entries(
        "facility",
        _csv(tmp_path / "bad.csv", [[*ROW_HEADER, "content_language"], [*ROW, "xx"]]),
    )
    assert [(p.row, p.column) for p in bad.problems] == [(2, "content_language")]


def test_exports_carry_the_texts_in_other_languages(tmp_path):
    import_entries(
        "facility",
        _csv(tmp_path / "first.csv", [[*ROW_HEADER, "name_ar"], [*ROW, "خط المصابيح"]]),
    )
    content, _filename = export_file("facility", "csv", None, Filters())
    rows = list(csv.DictReader(io.StringIO(b"".join(content).decode("utf-8-sig"))))
    assert rows[0]["name_ar"] == "خط المصابيح"
    assert rows[0]["content_language"] == "en"
    assert rows[0]["name_fr"] == ""
