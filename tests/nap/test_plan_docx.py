"""A plan as the Word document a country submits: opened with python-docx, its chapters read
back in the order of Annex C (in English, French and Arabic), its tables (objectives, actions,
the budget added up by hand), the schedule's chart; the team exports its draft, the public the
published version; LibreOffice opens it."""

import io
import re
from decimal import Decimal

import pytest
from docx import Document
from docx.oxml.ns import qn
from pypdf import PdfReader

from mercuryhub.nap import actions
from mercuryhub.taxonomy.models import Term
from tests.libreoffice import convert, needs_libreoffice
from tests.nap.conftest import action, complete_content

pytestmark = pytest.mark.django_db
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
ELEMENTS = [*"abcdefghijk", "additional"]

# The content: four actions of (b) at 50,000 USD each, one of (k) at 50,000 USD (conftest), and
# one of (c) at 1,000,000 XOF added here. By hand: (b) 200,000 USD in 4 actions; (c) 1,000,000
# XOF; (k) 50,000 USD; in all 250,000 USD and 1,000,000 XOF, never added together.
MARKDOWN = """Ghana's **first** national plan.

## Priorities

- Formalize the sector
- Train the miners

| Region | Sites |
| --- | --- |
| Ashanti | 120 |
"""


@pytest.fixture
def drafted(team_lead, agency):
    content = complete_content(
        summary="The plan in brief.",
        actions=[
            *complete_content()["actions"],
            action("c", budget="1000000", currency="XOF", start="", end=""),
        ],
    )
    content["sections"] = {**content["sections"], "a": MARKDOWN, "introduction": "Why a plan."}
    return actions.do_create_plan(team_lead, content)


def _docx(client, address: str) -> Document:
    response = client.get(address)
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"] == DOCX
    return Document(io.BytesIO(response.content))


def _headings(document, level: int) -> list[str]:
    return [p.text for p in document.paragraphs if p.style.name == f"Heading {level}"]


def _table(document, headers: list[str]) -> list[list[str]]:
    for grid in document.tables:
        rows = [[cell.text for cell in row.cells] for row in grid.rows]
        if rows and rows[0][: len(headers)] == headers:
            return rows[1:]
    raise AssertionError(f"No table headed {headers!r}")


def _labels(language: str) -> dict[str, str]:
    terms = Term.objects.filter(vocabulary__name="nap_elements")
    return {
        term.code: (term.translations.get(language) or {}).get("label") or term.label
        for term in terms
    }


def _chapters(language: str) -> list[str]:
    labels = _labels(language)
    return [labels[c] if c == "additional" else f"({c}) {labels[c]}" for c in ELEMENTS]


def test_the_team_exports_its_draft_with_a_chapter_per_element_in_order(client, drafted, team_lead):
    client.force_login(team_lead)
    document = _docx(client, f"/nap/plans/{drafted.pk}/plan.docx")

    headings = _headings(document, 1)
    assert headings[:3] == ["Summary", "Introduction", "National overview"]
    assert headings[3:15] == _chapters("en")
    assert headings[15] == "Annex: completeness check against Annex C"
    text = "\n".join(p.text for p in document.paragraphs)
    assert "Ghana ASGM National Action Plan 2027–2031" in text
    assert "Status: Draft: not published" in text
    assert "Version: 1 of" in text
    assert "Country team: Environmental Protection Agency of Ghana" in text
    assert "Period: 2027 – 2031" in text


def test_the_markdown_of_a_section_becomes_paragraphs_headings_lists_and_tables(
    client, drafted, team_lead
):
    client.force_login(team_lead)
    document = _docx(client, f"/nap/plans/{drafted.pk}/plan.docx")

    first = next(p for p in document.paragraphs if p.text.startswith("Ghana's first"))
    assert [run.bold for run in first.runs if run.text == "first"] == [True]
    assert "Priorities" in _headings(document, 2)
    bullets = [p.text for p in document.paragraphs if p.style.name == "List Bullet"]
    assert {"Formalize the sector", "Train the miners"} <= set(bullets)
    assert _table(document, ["Region", "Sites"]) == [["Ashanti", "120"]]
    assert not any("<" in p.text or "**" in p.text for p in document.paragraphs)


def test_the_tables_give_the_objectives_actions_and_budget_added_up(client, drafted, team_lead):
    client.force_login(team_lead)
    document = _docx(client, f"/nap/plans/{drafted.pk}/plan.docx")

    objectives = _table(document, ["No.", "Element", "Indicator", "Baseline", "Target", "Year"])
    assert objectives == [["1", "(a)", "Mercury used in ASGM (t a year)", "45", "20", "2031"]]
    rows = _table(document, ["No.", "Element", "Activity", "Responsible body", "Period"])
    assert [row[1] for row in rows] == ["(b)"] * 4 + ["(k)", "(c)"]
    assert rows[4][2:] == [
        "Mid-term review of the plan",
        "Minerals Commission",
        "2027-01-01 – 2028-12-31",
        "50,000.00",
        "USD",
        "",
    ]
    budget = _table(document, ["Element", "Actions", "Budget", "Currency"])
    labels = _labels("en")
    by_element = {row[0]: (row[1], Decimal(row[2].replace(",", "")), row[3]) for row in budget}
    assert by_element[f"(b) {labels['b']}"] == ("4", Decimal("200000"), "USD")
    assert by_element[f"(c) {labels['c']}"] == ("1", Decimal("1000000"), "XOF")
    assert by_element[f"(k) {labels['k']}"] == ("1", Decimal("50000"), "USD")
    totals = [row for row in budget if row[0] == "Total"]
    assert [(row[2], row[3]) for row in totals] == [("250,000.00", "USD"), ("1,000,000.00", "XOF")]
    stakeholders = _table(document, ["Name", "Type", "Role"])
    assert stakeholders[0][0] == "Minerals Commission"


def test_the_schedule_is_a_chart_and_each_worst_practice_lists_its_actions(
    client, drafted, team_lead
):
    client.force_login(team_lead)
    document = _docx(client, f"/nap/plans/{drafted.pk}/plan.docx")

    images = [part for part in document.part.package.parts if part.content_type == "image/png"]
    assert len(images) == 1
    assert images[0].blob.startswith(b"\x89PNG")
    assert len(document.inline_shapes) == 1
    text = "\n".join(p.text for p in document.paragraphs)
    assert "Actions without a period, not shown: 6." in text
    practices = Term.objects.filter(vocabulary__name="worst_practices")
    headings = _headings(document, 2)
    assert all(term.label in headings for term in practices)
    assert "Action 1: Activity under (b)" in text
    assert "Figures as of" in text and "Source: National overview." in text
    assert "Mining sites" in [row[0] for row in _table(document, ["Figure", "Value"])]


def test_the_public_exports_the_published_version_only(client, drafted, team_lead, outsider):
    client.force_login(outsider)
    assert client.get(f"/nap/plans/{drafted.pk}/plan.docx").status_code == 404
    actions.do_publish_plan(team_lead, drafted)
    actions.do_save_section(team_lead, drafted, "b", "A later draft.", base_version=1)
    text = "\n".join(p.text for p in _docx(client, f"/nap/plans/{drafted.pk}/plan.docx").paragraphs)
    assert "Status: Published: the version the public reads" in text
    assert "A later draft." not in text
    client.force_login(team_lead)
    text = "\n".join(p.text for p in _docx(client, f"/nap/plans/{drafted.pk}/plan.docx").paragraphs)
    assert "A later draft." in text
    assert "Status: Draft: not published" in text
    assert "Version: 2 of" in text


def test_the_document_is_in_the_readers_language(client, drafted, team_lead):
    client.force_login(team_lead)
    document = _docx(client, f"/fr/nap/plans/{drafted.pk}/plan.docx")

    headings = _headings(document, 1)
    assert headings[3:15] == _chapters("fr")
    assert headings[0] == "Résumé"
    assert "Ghana ASGM National Action Plan 2027–2031" in document.paragraphs[0].text
    amounts = _table(document, ["Élément", "Actions", "Budget", "Monnaie"])
    assert re.sub(r"\s", "", amounts[-2][2]) == "250000,00"


def test_the_arabic_document_runs_right_to_left(client, drafted, team_lead):
    client.force_login(team_lead)
    document = _docx(client, f"/ar/nap/plans/{drafted.pk}/plan.docx")

    assert _headings(document, 1)[3:15] == _chapters("ar")
    body = document.element.body
    paragraphs = body.findall(f".//{qn('w:p')}")
    assert all(p.find(f"{qn('w:pPr')}/{qn('w:bidi')}") is not None for p in paragraphs)
    assert all(grid._tbl.tblPr.find(qn("w:bidiVisual")) is not None for grid in document.tables)


@needs_libreoffice
def test_libreoffice_opens_the_document(client, drafted, team_lead, tmp_path):
    client.force_login(team_lead)
    path = tmp_path / "plan.docx"
    path.write_bytes(client.get(f"/nap/plans/{drafted.pk}/plan.docx").content)
    pdf = PdfReader(convert(path, "pdf", tmp_path))
    text = " ".join(" ".join(page.extract_text().split()) for page in pdf.pages)
    assert "Ghana ASGM National Action Plan" in text
    assert "Annex: completeness check against Annex C" in text
    assert len(pdf.pages) >= 4
