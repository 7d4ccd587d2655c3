"""The national overview of the ASGM sector as a Word document, the baseline chapter of a
National Action Plan: the worked example's figures, computed here by hand, read back from its
tables; its headings in the reader's language, right to left in Arabic; the overview's filters;
no site named or placed; and LibreOffice opens it."""

import io
import re
from decimal import Decimal

import pytest
from docx import Document
from docx.oxml.ns import qn
from pypdf import PdfReader

from mercuryhub.asgm import actions
from tests.libreoffice import convert, needs_libreoffice

pytestmark = pytest.mark.django_db
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

# The worked example (tests/asgm/conftest.py) by hand. Mobale (Mwenga): 250 g of gold a month is
# 3 kg a year, whole ore amalgamation at 4 / 10 / 50 kg of mercury per kg of gold: 12 / 30 / 150
# kg a year, estimated; burned in the open and in homes. Kalimbi (Kalehe): 4.5 kg of mercury a
# month reported, 54 kg a year. Lugushwa (Mwenga): mercury-free, no gold figure: nothing.
MOBALE = {"miners": 850, "women": 120, "children": 15, "gold": 3, "hg": (12, 30, 150)}
KALIMBI = {"miners": 200, "women": 0, "children": 0, "gold": 0, "hg": (54, 54, 54)}
LUGUSHWA = {"miners": 0, "women": 0, "children": 0, "gold": 0, "hg": (0, 0, 0)}
EVERY_SITE = (MOBALE, KALIMBI, LUGUSHWA)


def _sum(sites, key):
    return sum(site[key] for site in sites)


def _hg(sites):
    return tuple(sum(site["hg"][index] for site in sites) for index in range(3))


def _docx(client, address: str) -> Document:
    response = client.get(address)
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"] == DOCX
    return Document(io.BytesIO(response.content))


def _number(text: str) -> Decimal:
    """A figure as the document writes it in English (1,050.5) or French (1 050,5)."""
    if "," in text and "." not in text and not re.fullmatch(r"\d{1,3}(,\d{3})+", text):
        text = text.replace(",", ".")
    return Decimal(re.sub(r"[^\d.\-]", "", text))


def _table(document, first_header: str) -> dict[str, list[str]]:
    """The table whose first header is ``first_header``: each row's first cell -> the rest."""
    for grid in document.tables:
        cells = [[cell.text for cell in row.cells] for row in grid.rows]
        if cells and cells[0][0] == first_header:
            return {row[0]: row[1:] for row in cells}
    raise AssertionError(f"No table headed {first_header!r}")


def _text(document) -> str:
    parts = [paragraph.text for paragraph in document.paragraphs]
    for grid in document.tables:
        parts += [cell.text for row in grid.rows for cell in row.cells]
    return "\n".join(parts)


def _headings(document) -> list[str]:
    return [p.text for p in document.paragraphs if p.style.name.startswith(("Heading", "Title"))]


def test_the_totals_are_the_worked_example_s_computed_by_hand(client, sites):
    document = _docx(client, "/asgm/COD/overview.docx")

    people = _table(document, "")  # the first table with an empty corner: sites and people
    assert _number(people["Sites"][0]) == 3
    assert _number(people["Miners"][0]) == _sum(EVERY_SITE, "miners") == 1050
    assert people["Miners"][0] == "1,050"
    assert _number(people["Women"][0]) == _sum(EVERY_SITE, "women")
    assert _number(people["Children"][0]) == _sum(EVERY_SITE, "children")
    assert _number(people["Gold produced (kg a year)"][0]) == _sum(EVERY_SITE, "gold")
    mercury = next(
        {row.cells[0].text: [_number(c.text) for c in row.cells[1:]] for row in grid.rows[1:]}
        for grid in document.tables
        if [c.text for c in grid.rows[0].cells] == ["", "Low", "Typical", "High"]
    )
    assert tuple(mercury["Total"]) == _hg(EVERY_SITE) == (66, 84, 204)
    assert tuple(mercury["Reported by the sites"]) == KALIMBI["hg"]
    assert tuple(mercury["Estimated from gold production"]) == MOBALE["hg"]


def test_the_areas_and_practices_add_their_sites(client, sites):
    document = _docx(client, "/asgm/COD/overview.docx")

    areas = _table(document, "Administrative area")
    assert list(areas)[1:] == ["Kalehe", "Mwenga"]  # the largest mercury use first
    mwenga = [_number(text) for text in areas["Mwenga"]]
    assert mwenga == [
        2,
        _sum((MOBALE, LUGUSHWA), "miners"),
        _sum((MOBALE, LUGUSHWA), "women"),
        _sum((MOBALE, LUGUSHWA), "children"),
        _sum((MOBALE, LUGUSHWA), "gold"),
        *_hg((MOBALE, LUGUSHWA)),
    ]
    assert [_number(text) for text in areas["Kalehe"]][-3:] == list(KALIMBI["hg"])
    practices = _table(document, "Practice")  # the ratios' table comes first
    assert "Whole ore amalgamation" in practices
    by_practice = [grid for grid in document.tables if grid.rows[0].cells[0].text == "Practice"][-1]
    rows = {row.cells[0].text: row.cells for row in by_practice.rows[1:]}
    assert set(rows) == {
        "Whole ore amalgamation",
        "Amalgamation of concentrates",
        "Mercury-free processing",
    }
    assert _number(rows["Whole ore amalgamation"][7].text) == MOBALE["hg"][1]
    chart = _text(document)
    assert "Mercury used by administrative area (kg a year)" in chart
    assert "30 (12–150)" in chart  # Mwenga's bar: typical, then its range


def test_each_worst_practice_of_annex_c_has_its_section(client, sites):
    document = _docx(client, "/asgm/COD/overview.docx")
    headings = _headings(document)
    text = _text(document)

    for heading in (
        "Whole ore amalgamation (Annex C 1(b)(i))",
        "Open burning of amalgam (Annex C 1(b)(ii))",
        "Burning of amalgam in residential areas (Annex C 1(b)(iii))",
        "Cyanide leaching of mercury-contaminated tailings (Annex C 1(b)(iv))",
    ):
        assert heading in headings
    # Mobale alone burns in the open: 1 of 3 sites, its 30 kg of 84: 36 %.
    assert "1 site (33 % of the sites), with 850 miners." in text
    assert "Mercury used at these sites: 30 kg a year (from 12 to 150); 36 % of the" in text
    assert "No site shows this practice." in text  # cyanide


def test_the_introduction_names_the_sources_method_and_ratios(client, sites, reviewer):
    actions.do_set_national_ratio(
        reviewer, sites, "whole-ore-amalgamation", "2", "5", "20", "Étude nationale ASGM, 2024"
    )
    document = _docx(client, "/asgm/COD/overview.docx")
    text = _text(document)

    assert document.paragraphs[0].text == (
        "National overview of the ASGM sector: Democratic Republic of the Congo"
    )
    assert "The figures add up 3 mining sites recorded" in text
    assert "Kamituga ASGM baseline: 3 sites" in text
    ratios = _table(document, "Practice")
    assert ratios["Whole ore amalgamation"][:3] == ["2", "5", "20"]
    assert ratios["Whole ore amalgamation"][3] == "National study: Étude nationale ASGM, 2024"
    assert ratios["Amalgamation of concentrates"][3].startswith("Default: Telmer")
    assert "has its own ratios, from a national study, for: Whole ore amalgamation." in text
    # Mobale estimated again with the national ratio: 3 kg x 2 / 5 / 20, Kalimbi's 54 reported.
    totals = next(
        [c.text for c in grid.rows[-1].cells]
        for grid in document.tables
        if grid.rows[0].cells[1].text == "Low" and grid.rows[-1].cells[0].text == "Total"
    )
    assert [_number(t) for t in totals[1:]] == [54 + 6, 54 + 15, 54 + 60]
    assert "None: every recorded site of the country is counted." in text


def test_it_names_no_site_and_gives_no_coordinates(client, sites):
    text = _text(_docx(client, "/asgm/COD/overview.docx"))

    for secret in ("Mobale", "Kalimbi", "Lugushwa", "-3.06", "28.18", "-2.1", "27.9"):
        assert secret not in text


def test_the_headings_are_in_the_reader_s_language(client, sites):
    english = _headings(_docx(client, "/asgm/COD/overview.docx"))
    french = _docx(client, "/fr/asgm/COD/overview.docx")
    headings = _headings(french)

    for heading in ("Method", "Totals", "By administrative area", "By practice", "Data quality"):
        assert heading in english
        assert heading not in headings
    assert "Méthode" in headings and "Qualité des données" in headings
    assert french.core_properties.language == "fr"
    people = _table(french, "")
    assert people["Mineurs"][0] in ("1\u202f050", "1\xa0050", "1 050")  # French grouping


def test_an_arabic_document_reads_from_right_to_left(client, sites):
    document = _docx(client, "/ar/asgm/COD/overview.docx")

    body = document.paragraphs
    assert all(p._p.pPr is not None and p._p.pPr.find(qn("w:bidi")) is not None for p in body)
    for grid in document.tables:
        assert grid._tbl.tblPr.find(qn("w:bidiVisual")) is not None
    assert "National overview" not in _text(document)


def test_the_page_s_filters_narrow_the_document_and_are_named_in_it(client, sites):
    document = _docx(client, "/asgm/COD/overview.docx?admin_area=Mwenga&worst_practice=")
    text = _text(document)

    people = _table(document, "")
    assert _number(people["Sites"][0]) == 2
    assert _number(people["Miners"][0]) == _sum((MOBALE, LUGUSHWA), "miners")
    assert "Only the sites matching these filters are counted:" in text
    assert "Administrative area: Mwenga" in text
    assert "Kalehe" not in text


def test_wrong_filters_are_named_and_an_unknown_country_is_not_found(client, sites):
    response = client.get("/asgm/COD/overview.docx?practice=dredging&since=yesterday")

    assert response.status_code == 400
    html = response.content.decode()
    assert "dredging is not a practice of the list." in html
    assert "Enter a date as year-month-day" in html
    assert client.get("/asgm/XXX/overview.docx").status_code == 404


def test_the_download_has_a_file_name_and_the_overview_links_it(client, sites):
    response = client.get("/fr/asgm/COD/overview.docx?admin_area=Mwenga")

    assert re.fullmatch(
        r'attachment; filename="asgm-overview-COD-\d{4}-\d{2}-\d{2}-fr.docx"',
        response["Content-Disposition"],
    )
    page = client.get("/asgm/COD/?admin_area=Mwenga").content.decode()
    assert 'href="/asgm/COD/overview.docx?admin_area=Mwenga"' in page


def test_a_country_without_sites_gets_a_short_document(client, sites):
    text = _text(_docx(client, "/asgm/FRA/overview.docx"))

    assert "No site of this country has been recorded yet." in text


@needs_libreoffice
def test_libreoffice_opens_the_document(client, sites, tmp_path):
    path = tmp_path / "overview.docx"
    path.write_bytes(client.get("/asgm/COD/overview.docx").content)
    converted = convert(path, "pdf", tmp_path)
    pdf = PdfReader(converted)
    text = " ".join(" ".join(page.extract_text().split()) for page in pdf.pages)
    assert "National overview of the ASGM sector" in text
    assert "Whole ore amalgamation" in text
    assert len(pdf.pages) >= 2
