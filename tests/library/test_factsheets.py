"""Factsheets per waste category: what they assemble from the published entries, in each
interface language, and their Word document as python-docx and LibreOffice read it."""

import io

import pytest
from django.utils.html import escape
from docx import Document

from mercuryhub.taxonomy.models import Term
from tests.libreoffice import convert, needs_libreoffice

pytestmark = pytest.mark.django_db


def test_the_index_lists_every_waste_category_under_its_broader_one(client, db):
    html = client.get("/library/factsheets/").content.decode()
    for term in Term.objects.filter(vocabulary__name="waste_categories"):
        assert f'href="/library/factsheets/{term.code}/"' in html
    assert html.index("/library/factsheets/containing/") < html.index("/library/factsheets/lamps/")


def test_a_broader_category_assembles_what_its_narrower_ones_hold(client, tagged_world):
    html = client.get("/library/factsheets/containing/").content.decode()
    assert "<h1>Wastes containing mercury or mercury compounds" in html
    assert "mercury-added products" in html  # a synonym
    assert 'href="/library/factsheets/lamps/"' in html  # where it arises: its narrower ones
    assert "Treatment and recovery (1)" in html and "Collection (1)" in html
    assert "Lamp crushing and separation (1)" in html
    assert "1 facility published on the platform accepts this waste." in html
    assert html.count("<circle ") == 1 and 'cx="7.64" cy="-46.68"' in html
    for name in (
        "Batrec lamp line",
        "Thermometer take-back service",
        "Guide to recycling fluorescent lamps",
        "Amalgam separators in Montevideo clinics",
    ):
        assert name in html
    assert "Kofi Mensah" not in html  # an expert on tailings: a waste contaminated with mercury
    assert "Secret draft" not in html


def test_a_narrower_category_names_its_broader_one(client, tagged_world):
    html = client.get("/library/factsheets/lamps/").content.decode()
    assert 'href="/library/factsheets/containing/"' in html
    assert "Thermometer take-back service" not in html
    assert "Storage (interim) (1)" in html


def test_an_unknown_category_is_not_found(client, db):
    assert client.get("/library/factsheets/no-such-waste/").status_code == 404
    assert client.get("/library/factsheets/no-such-waste/docx/").status_code == 404


def test_the_factsheet_speaks_each_interface_language(client, tagged_world):
    lamps = Term.objects.get(vocabulary__name="waste_categories", code="lamps")
    for language in ("fr", "es", "ru", "zh-hans", "ar"):
        html = client.get(f"/{language}/library/factsheets/lamps/").content.decode()
        key = "zh-hans" if language == "zh-hans" else language
        label = (lamps.translations.get(key) or lamps.translations.get("zh_Hans") or {})["label"]
        assert escape(label) in html, language
        assert f'href="/{language}/library/factsheets/lamps/docx/"' in html


def _docx(client, path):
    response = client.get(path)
    assert response.status_code == 200
    assert response["Content-Type"].endswith("wordprocessingml.document")
    assert "attachment" in response["Content-Disposition"]
    return response.content


def _text(content: bytes) -> str:
    document = Document(io.BytesIO(content))
    return "\n".join(paragraph.text for paragraph in document.paragraphs)


def test_the_word_document_holds_the_factsheet(client, tagged_world):
    content = _docx(client, "/library/factsheets/containing/docx/")
    document = Document(io.BytesIO(content))
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert "What the waste is" in headings and "Facilities that accept it" in headings
    assert "Resources" in headings and "Case studies" in headings
    text = _text(content)
    assert "Factsheet: Wastes containing mercury" in text
    assert "Mercury lamps" in text and "Guide to recycling fluorescent lamps" in text
    assert "Treatment and recovery (1)" in text
    assert "Facilities published on the platform: 1" in text
    assert "http://testserver/library/factsheets/containing/" in text
    assert "Secret draft" not in text
    assert document.core_properties.language == "en"


def test_the_word_document_is_in_the_interface_language(client, tagged_world):
    content = _docx(client, "/fr/library/factsheets/lamps/docx/")
    text = _text(content)
    lamps = Term.objects.get(vocabulary__name="waste_categories", code="lamps")
    assert lamps.translations["fr"]["label"] in text
    assert "What the waste is" not in text
    assert Document(io.BytesIO(content)).core_properties.language == "fr"


@needs_libreoffice
def test_libreoffice_opens_the_word_document(client, tagged_world, tmp_path):
    path = tmp_path / "factsheet.docx"
    path.write_bytes(_docx(client, "/library/factsheets/lamps/docx/"))
    converted = convert(path, "txt:Text (encoded):UTF8", tmp_path)
    text = converted.read_text("utf-8-sig")
    assert "Factsheet: Mercury lamps" in text
    assert "Guide to recycling fluorescent lamps" in text
    assert "Batrec lamp line" in text
