"""A National Action Plan as the Word document a country submits, following Annex C of the
Minamata Convention: a title page, the summary, the introduction and the national overview, a
chapter per Annex C element (a)–(k) with its text and its tables (objectives and targets under
(a), the actions against each worst practice under (b), the baseline figures cited under (d),
the stakeholders under (g), the schedule as a Gantt chart, the actions and the budget under (k)),
paragraph 2's additional strategies, and the completeness check as an annex.

Headings and labels are in the reader's interface language; the plan's own texts as the team
wrote them (their Markdown as Word paragraphs, lists and tables). It is a pure function of a
version's content (``queries.plan_content``), like the completeness check and the schedule."""

import io
from dataclasses import dataclass
from datetime import date

from django.template.defaultfilters import floatformat
from django.utils import formats
from django.utils.translation import get_language, get_language_bidi, gettext
from docx import Document
from docx.enum.text import WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

from mercuryhub.asgm.baseline import WORST_PRACTICES
from mercuryhub.lib.word_documents import page_numbers, right_to_left, safe_text, table
from mercuryhub.lib.word_markdown import add_markdown
from mercuryhub.nap import fields
from mercuryhub.nap.completeness import check_plan
from mercuryhub.nap.schedule import budget_by_element, budget_totals, schedule_of
from mercuryhub.nap.schedule_chart import gantt_png
from mercuryhub.taxonomy.queries import terms_of

TABLE_FONT = Pt(9)
# Widths of the tables' columns, in centimetres (17 cm between the margins of an A4 page).
OBJECTIVE_COLUMNS = (0.9, 1.8, 7.3, 2.6, 2.6, 1.8)
ACTION_COLUMNS = (0.9, 1.8, 3.6, 2.7, 2.2, 2.0, 1.8, 2.0)
BUDGET_COLUMNS = (8.0, 2.0, 4.0, 3.0)
OBJECTIVES, WORST, BASELINE, STAKEHOLDERS = "a", "b", fields.BASELINE_ELEMENT, "g"


@dataclass(frozen=True)
class Edition:
    """Which version of the plan the document shows, and what surrounds it."""

    country: str  # the country's name in the reader's language
    team: str  # the country team's name
    version: int | None
    saved_on: date | None
    published: bool  # the version the public reads
    address: str  # the plan's page


def _isolated(text: str) -> str:
    """Text kept whole in its own direction inside a right-to-left sentence."""
    return f"\u2068{text}\u2069" if get_language_bidi() else text


def _day(value) -> str:
    if not value:
        return "–"
    if isinstance(value, str):
        value = date.fromisoformat(value[:10])
    return formats.date_format(value, "DATE_FORMAT")


def _money(value) -> str:
    return str(floatformat(value, "2g")) if value not in (None, "") else ""


def _period(start, end) -> str:
    if not (start or end):
        return ""
    return _isolated(f"{start or '…'} – {end or '…'}")


def _font(run, size=None, *, bold=None) -> None:
    """A run's size and boldness, for Latin and complex scripts (Arabic) alike."""
    if size is not None:
        run.font.size = size
        properties = run._r.get_or_add_rPr()
        complex_size = OxmlElement("w:szCs")
        complex_size.set(qn("w:val"), str(int(size.pt * 2)))
        properties.find(qn("w:sz")).addnext(complex_size)
    if bold:
        run.font.bold = run.font.cs_bold = True


def _table(document, headers: list[str], rows: list[list], widths=None) -> None:
    """A grid table, its headers bold, its text small; ``widths`` of its columns in cm (17 cm
    between the margins), else equal."""
    grid = table(document, headers, [[safe_text(str(value)) for value in row] for row in rows])
    if widths:
        grid.autofit = False
        for column, width in zip(grid.columns, widths, strict=True):
            column.width = Cm(width)
    for index, row in enumerate(grid.rows):
        for column, cell in enumerate(row.cells):
            if widths:
                cell.width = Cm(widths[column])
            for paragraph in cell.paragraphs:
                for run in paragraph.runs:
                    _font(run, TABLE_FONT, bold=index == 0)
    document.add_paragraph()


def _caption(document, text: str) -> None:
    caption = document.add_paragraph()
    _font(caption.add_run(text), bold=True)
    caption.paragraph_format.keep_with_next = True


def _title_page(document, data: dict, edition: Edition) -> None:
    title = safe_text(data.get("name") or gettext("National Action Plan"))
    document.core_properties.title = title
    document.add_heading(title, level=0)
    document.add_paragraph(
        gettext(
            "National Action Plan on artisanal and small-scale gold mining under Article 7 and "
            "Annex C of the Minamata Convention on Mercury"
        ),
        style="Subtitle",
    )
    lines = [
        (gettext("Country"), edition.country),
        (gettext("Country team"), safe_text(edition.team)),
        (gettext("Period"), _period(data.get("period_start"), data.get("period_end"))),
        (
            gettext("Version"),
            gettext("%(number)s of %(date)s")
            % {"number": edition.version or "–", "date": _day(edition.saved_on)},
        ),
        (
            gettext("Status"),
            gettext("Published: the version the public reads")
            if edition.published
            else gettext("Draft: not published"),
        ),
    ]
    if data.get("submitted_to_convention_on"):
        lines.append(
            (gettext("Submitted to the Convention on"), _day(data["submitted_to_convention_on"]))
        )
    for label, value in lines:
        paragraph = document.add_paragraph()
        _font(paragraph.add_run(f"{label}: "), bold=True)
        paragraph.add_run(str(value or "–"))
    document.add_paragraph(
        gettext("The plan on MercuryHub: %(address)s") % {"address": edition.address}
    )
    document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)


def _text(document, text: str) -> None:
    if (text or "").strip():
        add_markdown(document, text, heading_level=2)
    else:
        document.add_paragraph(gettext("(No text yet.)")).runs[0].italic = True


def _objectives(document, data: dict, labels: dict) -> None:
    _caption(document, gettext("Objectives and targets"))
    rows = [
        [
            number,
            _element_name(row.get("element"), labels),
            row.get("indicator") or "",
            row.get("baseline") or "",
            row.get("target") or "",
            row.get("year") or "",
        ]
        for number, row in enumerate(data.get("objectives") or [], start=1)
    ]
    headers = [
        gettext("No."),
        gettext("Element"),
        gettext("Indicator"),
        gettext("Baseline"),
        gettext("Target"),
        gettext("Year"),
    ]
    if rows:
        _table(document, headers, rows, OBJECTIVE_COLUMNS)
    else:
        document.add_paragraph(gettext("No objective or target yet."))


def _worst_practices(document, data: dict) -> None:
    actions = list(enumerate(data.get("actions") or [], start=1))
    for term in terms_of("worst_practices"):
        document.add_heading(term.localized_label, level=2)
        addressing = [(n, a) for n, a in actions if term.code in (a.get("worst_practices") or [])]
        if not addressing:
            document.add_paragraph(gettext("No action addresses this practice yet."))
        for number, action in addressing:
            paragraph = document.add_paragraph(style="List Bullet")
            number_run = paragraph.add_run(gettext("Action %(number)s") % {"number": number} + ": ")
            _font(number_run, bold=True)
            paragraph.add_run(safe_text(action.get("activity") or ""))
            details = [action.get("responsible_body") or ""]
            details.append(_period(action.get("start"), action.get("end")))
            details = [safe_text(detail) for detail in details if detail]
            if details:
                paragraph.add_run(" (" + "; ".join(details) + ")")


def _baseline_labels() -> dict[str, str]:
    labels = {
        "sites": gettext("Mining sites"),
        "total_miners": gettext("Miners"),
        "total_women": gettext("Women"),
        "total_children": gettext("Children"),
        "gold_kg": gettext("Gold produced (kg a year)"),
        "mercury_low_kg": gettext("Mercury used, low (kg a year)"),
        "mercury_typical_kg": gettext("Mercury used, typical (kg a year)"),
        "mercury_high_kg": gettext("Mercury used, high (kg a year)"),
    }
    practices = {term.code: term.localized_label for term in terms_of("worst_practices")}
    for code, flag in WORST_PRACTICES.items():
        labels[f"sites_{flag}"] = gettext("Sites with: %(practice)s") % {
            "practice": practices.get(code, code)
        }
    return labels


def _baseline(document, data: dict) -> None:
    baseline = data.get("baseline") or {}
    _caption(document, gettext("Baseline figures of the national overview"))
    if not (baseline.get("as_of") and baseline.get("source")):
        document.add_paragraph(
            gettext("The baseline does not cite the national overview's figures yet.")
        )
        return
    cited = gettext("Figures as of %(date)s. Source: %(source)s.") % {
        "date": _day(baseline["as_of"]),
        "source": _isolated(safe_text(str(baseline["source"]))),
    }
    if baseline.get("observed_from") and baseline.get("observed_to"):
        cited += " " + gettext("Sites observed from %(first)s to %(last)s.") % {
            "first": _day(baseline["observed_from"]),
            "last": _day(baseline["observed_to"]),
        }
    document.add_paragraph(cited)
    labels = _baseline_labels()
    rows = [
        [labels[name], floatformat(baseline[name], "-1g")]
        for name in labels
        if baseline.get(name) not in (None, "")
    ]
    if rows:
        _table(document, [gettext("Figure"), gettext("Value")], rows)


def _stakeholders(document, data: dict) -> None:
    _caption(document, gettext("Stakeholders"))
    types = {term.code: term.localized_label for term in terms_of("stakeholder_types")}
    rows = [
        [row.get("name") or "", types.get(row.get("stakeholder_type"), ""), row.get("role") or ""]
        for row in data.get("stakeholders") or []
    ]
    if rows:
        _table(document, [gettext("Name"), gettext("Type"), gettext("Role")], rows)
    else:
        document.add_paragraph(gettext("No stakeholder listed yet."))


def _element_name(code, labels: dict) -> str:
    return f"({code})" if code and code != "additional" else labels.get(code, code or "")


def _schedule(document, data: dict, labels: dict) -> None:
    schedule = schedule_of(data)
    _caption(document, gettext("Schedule of the actions"))
    chart = gantt_png(schedule, mirrored=get_language_bidi())
    if chart:
        document.add_picture(io.BytesIO(chart), width=Cm(16.5))
        note = gettext(
            "Each bar is an action, numbered as in the table below, from its start to its end; "
            "the bands are calendar years."
        )
        if schedule.undated:
            note += " " + gettext("Actions without a period, not shown: %(numbers)s.") % {
                "numbers": ", ".join(map(str, schedule.undated))
            }
        document.add_paragraph(note).runs[0].italic = True
    else:
        document.add_paragraph(gettext("No action has a period yet: there is no schedule."))
    _caption(document, gettext("Actions"))
    rows = [
        [
            number,
            _element_name(action.get("element"), labels),
            action.get("activity") or "",
            action.get("responsible_body") or "",
            _period(action.get("start"), action.get("end")),
            _money(action.get("budget")),
            action.get("currency") or "",
            action.get("funding_source") or "",
        ]
        for number, action in enumerate(data.get("actions") or [], start=1)
    ]
    headers = [
        gettext("No."),
        gettext("Element"),
        gettext("Activity"),
        gettext("Responsible body"),
        gettext("Period"),
        gettext("Budget"),
        gettext("Currency"),
        gettext("Funding source"),
    ]
    if rows:
        _table(document, headers, rows, ACTION_COLUMNS)
    else:
        document.add_paragraph(gettext("No action yet."))
    _budget(document, data, labels)


def _budget(document, data: dict, labels: dict) -> None:
    rows = budget_by_element(data, list(labels))
    _caption(document, gettext("Budget by element"))
    if not rows:
        document.add_paragraph(gettext("No action has a budget yet."))
        return
    values = [
        [element_heading(row.element, labels.get(row.element, "")), row.actions,
         _money(row.total), row.currency]
        for row in rows
    ]  # fmt: skip
    values += [
        [gettext("Total"), "", _money(total), currency]
        for currency, total in budget_totals(rows).items()
    ]
    headers = [gettext("Element"), gettext("Actions"), gettext("Budget"), gettext("Currency")]
    _table(document, headers, values, BUDGET_COLUMNS)
    document.add_paragraph(
        gettext("Amounts in different currencies are never added together.")
    ).runs[0].italic = True


def _completeness(document, data: dict) -> None:
    result = check_plan(data).as_dict()
    document.add_page_break()
    document.add_heading(gettext("Annex: completeness check against Annex C"), level=1)
    document.add_paragraph(
        gettext("%(met)s of %(checks)s checks met: a score of %(score)s %%.")
        % {"met": result["met"], "checks": result["checks"], "score": result["score"]}
    )
    rows = [
        [
            element_heading(element["code"], element["label"]),
            f"{element['checks'] - len(element['missing'])} / {element['checks']}",
            gettext("Complete") if element["complete"] else gettext("Incomplete"),
        ]
        for element in result["elements"]
    ]
    _table(document, [gettext("Element"), gettext("Checks met"), gettext("State")], rows)
    for element in result["elements"]:
        if element["missing"]:
            document.add_heading(element_heading(element["code"], element["label"]), level=2)
            for item in element["missing"]:
                document.add_paragraph(item, style="List Bullet")


def _page_setup(document) -> None:
    for section in document.sections:
        section.page_width, section.page_height = Cm(21), Cm(29.7)
        section.left_margin = section.right_margin = Cm(2)
        section.top_margin = section.bottom_margin = Cm(2)


def element_heading(code: str, label: str) -> str:
    """A chapter's title: the element's letter and its label, (b) Actions…"""
    return f"({code}) {label}" if code != "additional" else label


def plan_docx(data: dict, edition: Edition) -> bytes:
    """The document of the plan's content ``data`` (the serialization's shape)."""
    document = Document()
    document.core_properties.author = "MercuryHub"
    document.core_properties.language = get_language() or "en"
    _page_setup(document)
    page_numbers(document, gettext("Page"))
    _title_page(document, data, edition)
    sections = data.get("sections") or {}
    document.add_heading(gettext("Summary"), level=1)
    _text(document, data.get("summary") or "")
    document.add_heading(gettext("Introduction"), level=1)
    _text(document, sections.get(fields.INTRODUCTION, ""))
    document.add_heading(gettext("National overview"), level=1)
    _text(document, sections.get(fields.OVERVIEW, ""))
    labels = {term.code: term.localized_label for term in terms_of("nap_elements")}
    extras = {
        OBJECTIVES: lambda: _objectives(document, data, labels),
        WORST: lambda: _worst_practices(document, data),
        BASELINE: lambda: _baseline(document, data),
        STAKEHOLDERS: lambda: _stakeholders(document, data),
        fields.SCHEDULE_ELEMENT: lambda: _schedule(document, data, labels),
    }
    for code, label in labels.items():
        document.add_heading(element_heading(code, label), level=1)
        _text(document, sections.get(code, ""))
        if code in extras:
            extras[code]()
    _completeness(document, data)
    if get_language_bidi():
        right_to_left(document)
    output = io.BytesIO()
    document.save(output)
    return output.getvalue()
