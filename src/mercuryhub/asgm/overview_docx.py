"""A country's national overview of the ASGM sector as a Word document, in the reader's language,
to be the baseline chapter of a National Action Plan (Minamata Convention Annex C 1(d): baseline
estimates of the mercury used and the practices employed; 1(b): the four worst practices).

Its sections: the title with the date of the data; an introduction naming the sources (projects,
sites, period of the observations), the method (reported or estimated mercury, the ratios used
and their sources) and the filters applied; the totals with their ranges; a section per worst
practice; tables by administrative area (with a bar chart) and by practice; data quality. Only
aggregates: no site's name or coordinates."""

import io
from datetime import datetime

from django.template.defaultfilters import floatformat
from django.utils import formats, timezone
from django.utils.translation import get_language, get_language_bidi, gettext, ngettext
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Cm, Pt

from mercuryhub.asgm import display
from mercuryhub.asgm.forms import OverviewFilterForm
from mercuryhub.asgm.models import ANNEX_C_REFERENCES, MercuryRatio, Practice, WorstPractice
from mercuryhub.asgm.queries import OverviewFilters
from mercuryhub.lib.word_documents import (
    page_numbers,
    range_bar_png,
    right_to_left,
    safe_text,
    table,
)
from mercuryhub.taxonomy.models import Country

TABLE_FONT, SMALL_TABLE_FONT = Pt(9), Pt(8)
# Widths of the tables' columns, in centimetres (17 cm between the margins of an A4 page).
RATIO_COLUMNS = (4.2, 1.6, 1.6, 1.6, 8.0)
PEOPLE_COLUMNS = (7.0, 3.0)
MERCURY_COLUMNS = (6.0, 2.5, 2.5, 2.5)
BREAKDOWN_COLUMNS = (3.1, 1.3, 1.6, 1.6, 1.9, 1.5, 2.0, 2.0, 2.0)  # "Children" on one line
QUALITY_COLUMNS = (9.0, 3.0, 3.0)
CHART_COLUMNS = (4.0, 9.4, 3.6)


def _count(value) -> str:
    """A number of sites or people, grouped by thousands as the language writes them."""
    return str(floatformat(value, "g"))


def _kg(value) -> str:
    """Kilograms, to a tenth where they are not whole, grouped by thousands."""
    return str(floatformat(value, "-1g"))


def _day(moment) -> str:
    if isinstance(moment, datetime):
        moment = timezone.localtime(moment) if timezone.is_aware(moment) else moment
        moment = moment.date()
    return formats.date_format(moment, "DATE_FORMAT")


def _percent(part, whole) -> str:
    share = display.percent(part, whole)
    return "–" if share is None else _count(share)


def _isolated(text: str) -> str:
    """Text inserted in a sentence, kept in its own direction inside a right-to-left one (a
    range of figures, a reference, a project's name): Unicode's isolate marks around it."""
    if not get_language_bidi():
        return text
    return f"\u2068{text}\u2069"


def _range(row: dict) -> str:
    """The typical mercury use, then its range from low to high where they differ."""
    typical = _kg(row["mercury_typical_kg"])
    if row["mercury_low_kg"] == row["mercury_high_kg"]:
        return typical
    span = f"{_kg(row['mercury_low_kg'])}–{_kg(row['mercury_high_kg'])}"
    return f"{typical} ({_isolated(span)})"


def _table(document, headers: list[str], rows: list[list], widths, text_columns=(0,), size=None):
    """A grid table, its headers bold, its text small, its columns ``widths`` cm wide, its
    figures (the columns but ``text_columns``) aligned to the right in a left-to-right document
    (a right-to-left one keeps them at the start of the cell, on the right)."""
    grid = table(document, headers, rows)
    grid.autofit = False
    for column, width in zip(grid.columns, widths, strict=True):
        column.width = Cm(width)
    align_figures = not get_language_bidi()
    for index, row in enumerate(grid.rows):
        for column, cell in enumerate(row.cells):
            cell.width = Cm(widths[column])
            for paragraph in cell.paragraphs:
                if align_figures and column not in text_columns:
                    paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
                for run in paragraph.runs:
                    run.font.size = size or TABLE_FONT
                    run.font.bold = index == 0 or None
    document.add_paragraph()
    return grid


def _caption(document, text: str) -> None:
    """A table's title, bold, on the page the table starts on."""
    caption = document.add_paragraph()
    caption.add_run(text).bold = True
    caption.paragraph_format.keep_with_next = True


def _title(document, country: Country, sources: dict, address: str, today) -> None:
    title = gettext("National overview of the ASGM sector: %(country)s") % {
        "country": country.localized_name
    }
    document.core_properties.title = title
    document.add_heading(safe_text(title), level=0)
    document.add_paragraph(
        gettext(
            "Artisanal and small-scale gold mining: the baseline of a National Action Plan "
            "under Article 7 and Annex C of the Minamata Convention on Mercury."
        ),
        style="Subtitle",
    )
    if sources["last"]:
        dated = gettext(
            "Data as of %(date)s (the latest observation of the sites); "
            "assembled by MercuryHub on %(today)s."
        ) % {"date": _day(sources["last"]), "today": _day(today)}
    else:
        dated = gettext("Assembled by MercuryHub on %(today)s.") % {"today": _day(today)}
    document.add_paragraph(dated)
    document.add_paragraph(
        gettext("The overview on the platform, with the map of the sites: %(address)s")
        % {"address": address}
    )


def _sources(document, country: Country, totals: dict, sources: dict) -> None:
    document.add_heading(gettext("Introduction"), level=1)
    document.add_paragraph(
        gettext(
            "This chapter gives the baseline estimates of the quantities of mercury used and of "
            "the practices employed in artisanal and small-scale gold mining in %(country)s "
            "(Minamata Convention, Annex C 1(d)), and how far the four worst practices that "
            "Annex C 1(b) asks to eliminate are found."
        )
        % {"country": country.localized_name}
    )
    document.add_heading(gettext("Sources"), level=2)
    if not totals["sites"]:
        return
    document.add_paragraph(
        ngettext(
            "The figures add up %(count)s mining site recorded from the approved baseline "
            "submissions of field teams, observed from %(first)s to %(last)s, by these projects:",
            "The figures add up %(count)s mining sites recorded from the approved baseline "
            "submissions of field teams, observed from %(first)s to %(last)s, by these projects:",
            totals["sites"],
        )
        % {
            "count": _count(totals["sites"]),
            "first": _day(sources["first"]),
            "last": _day(sources["last"]),
        }
    )
    for name, count in sources["projects"]:
        document.add_paragraph(
            ngettext("%(project)s: %(count)s site", "%(project)s: %(count)s sites", count)
            % {"project": _isolated(safe_text(name)), "count": _count(count)},
            style="List Bullet",
        )


def _method(document, country: Country, ratios: list[MercuryRatio]) -> None:
    document.add_heading(gettext("Method"), level=2)
    document.add_paragraph(
        gettext(
            "Where a site's baseline reports the mercury it uses, that figure is taken as it is "
            "(its low, typical and high values are the same). Otherwise the mercury used is "
            "estimated by multiplying the site's gold production by the mercury-to-gold ratio "
            "of its practice: a low, a typical and a high ratio give a range. A site whose "
            "mercury use is neither reported nor estimable (no gold production, or its practice "
            "unknown) adds nothing to the mercury totals."
        )
    )
    if not ratios:
        document.add_paragraph(
            gettext(
                "No mercury-to-gold ratios are loaded: mercury use is known only where sites "
                "report it."
            )
        )
        return
    document.add_paragraph(
        gettext(
            "Kilograms of mercury used per kilogram of gold produced, by practice. A country's "
            "own ratios, from a national study, replace the defaults for its sites."
        )
    )
    rows = [
        [
            ratio.get_practice_display(),
            floatformat(ratio.low, "-2"),
            floatformat(ratio.typical, "-2"),
            floatformat(ratio.high, "-2"),
            (gettext("National study") if ratio.country_id else gettext("Default"))
            + ": "
            + safe_text(ratio.source),
        ]
        for ratio in ratios
    ]
    headers = [gettext("Practice"), gettext("Low"), gettext("Typical"), gettext("High")]
    _table(document, [*headers, gettext("Source")], rows, RATIO_COLUMNS, text_columns=(0, 4))
    national = [str(Practice(r.practice).label) for r in ratios if r.country_id]
    if national:
        text = gettext(
            "%(country)s has its own ratios, from a national study, for: %(practices)s."
        ) % {"country": country.localized_name, "practices": ", ".join(national)}
    else:
        text = gettext(
            "No national ratio is set for %(country)s: the platform's default ratios are used."
        ) % {"country": country.localized_name}
    document.add_paragraph(text)


def _filters(document, filters: OverviewFilters) -> None:
    document.add_heading(gettext("Filters applied"), level=2)
    fields = OverviewFilterForm.base_fields
    chosen = [
        (fields["admin_area"].label, filters.admin_area),
        (fields["worst_practice"].label, dict(WorstPractice.choices).get(filters.worst_practice)),
        (fields["practice"].label, dict(Practice.choices).get(filters.practice)),
        (fields["since"].label, filters.since and _day(filters.since)),
        (fields["until"].label, filters.until and _day(filters.until)),
    ]
    chosen = [(label, value) for label, value in chosen if value]
    if not chosen:
        document.add_paragraph(gettext("None: every recorded site of the country is counted."))
        return
    document.add_paragraph(gettext("Only the sites matching these filters are counted:"))
    for label, value in chosen:
        document.add_paragraph(f"{label}: {safe_text(str(value))}", style="List Bullet")


def _totals(document, totals: dict) -> None:
    document.add_heading(gettext("Totals"), level=1)
    people = [
        [gettext("Sites"), _count(totals["sites"])],
        [gettext("Miners"), _count(totals["total_miners"])],
        [gettext("Women"), _count(totals["total_women"])],
        [gettext("Children"), _count(totals["total_children"])],
        [gettext("Gold produced (kg a year)"), _kg(totals["gold_kg"])],
    ]
    _table(document, ["", gettext("Total")], people, PEOPLE_COLUMNS)
    _caption(document, gettext("Mercury used, kg a year: how it is known"))
    reported = _kg(totals["mercury_reported_kg"])
    mercury = [
        [gettext("Reported by the sites"), reported, reported, reported],
        [
            gettext("Estimated from gold production"),
            _kg(totals["mercury_estimated_low_kg"]),
            _kg(totals["mercury_estimated_typical_kg"]),
            _kg(totals["mercury_estimated_high_kg"]),
        ],
        [
            gettext("Total"),
            _kg(totals["mercury_low_kg"]),
            _kg(totals["mercury_typical_kg"]),
            _kg(totals["mercury_high_kg"]),
        ],
    ]
    headers = ["", gettext("Low"), gettext("Typical"), gettext("High")]
    _table(document, headers, mercury, MERCURY_COLUMNS)


def _worst_practices(document, totals: dict, rows: list[dict]) -> None:
    document.add_heading(gettext("The worst practices of Annex C 1(b)"), level=1)
    document.add_paragraph(
        gettext("A site with several worst practices counts under each of them.")
    )
    for row in rows:
        reference = ANNEX_C_REFERENCES[row["code"]]
        document.add_heading(f"{row['label']} ({_isolated(reference)})", level=2)
        if not row["sites"]:
            document.add_paragraph(gettext("No site shows this practice."))
            continue
        document.add_paragraph(
            ngettext(
                "%(count)s site (%(percent)s %% of the sites), with %(miners)s miners.",
                "%(count)s sites (%(percent)s %% of the sites), with %(miners)s miners.",
                row["sites"],
            )
            % {
                "count": _count(row["sites"]),
                "percent": _percent(row["sites"], totals["sites"]),
                "miners": _count(row["total_miners"]),
            }
        )
        document.add_paragraph(
            gettext(
                "Mercury used at these sites: %(typical)s kg a year (from %(low)s to %(high)s); "
                "%(share)s %% of the typical total."
            )
            % {
                "typical": _kg(row["mercury_typical_kg"]),
                "low": _isolated(_kg(row["mercury_low_kg"])),
                "high": _isolated(_kg(row["mercury_high_kg"])),
                "share": _percent(row["mercury_typical_kg"], totals["mercury_typical_kg"]),
            }
        )


def _breakdown(document, heading: str, first_column: str, rows: list[dict]):
    document.add_heading(heading, level=1)
    note = document.add_paragraph(gettext("Gold and mercury in kilograms a year."))
    note.paragraph_format.keep_with_next = True
    headers = [
        first_column,
        gettext("Sites"),
        gettext("Miners"),
        gettext("Women"),
        gettext("Children"),
        gettext("Gold"),
        gettext("Mercury used, low"),
        gettext("Mercury used, typical"),
        gettext("Mercury used, high"),
    ]
    values = [
        [
            safe_text(str(row["label"])),
            _count(row["sites"]),
            _count(row["total_miners"]),
            _count(row["total_women"]),
            _count(row["total_children"]),
            _kg(row["gold_kg"]),
            _kg(row["mercury_low_kg"]),
            _kg(row["mercury_typical_kg"]),
            _kg(row["mercury_high_kg"]),
        ]
        for row in rows
    ]
    return _table(document, headers, values, BREAKDOWN_COLUMNS, size=SMALL_TABLE_FONT)


def _chart(document, rows: list[dict]) -> None:
    """Mercury used by area as bars on one scale, a row each: the area's name, its bar (the
    typical use, and a line from low to high), its figures. Names stay text in the document's
    language and direction; only the bars are images."""
    top = max((row["mercury_high_kg"] for row in rows), default=0)
    if not top:
        return
    _caption(document, gettext("Mercury used by administrative area (kg a year)"))
    grid = document.add_table(rows=0, cols=3)
    grid.autofit = False
    for column, width in zip(grid.columns, CHART_COLUMNS, strict=True):
        column.width = Cm(width)
    mirrored = get_language_bidi()
    for row in rows:
        cells = grid.add_row().cells
        cells[0].text = safe_text(str(row["label"]))
        bar = range_bar_png(
            row["mercury_low_kg"],
            row["mercury_typical_kg"],
            row["mercury_high_kg"],
            top,
            mirrored=mirrored,
        )
        cells[1].paragraphs[0].add_run().add_picture(io.BytesIO(bar), width=Cm(9))
        cells[2].text = _range(row)
        for cell, width in zip(cells, CHART_COLUMNS, strict=True):
            cell.width = Cm(width)
            for run in cell.paragraphs[0].runs:
                run.font.size = TABLE_FONT
    document.add_paragraph(
        gettext(
            "The bar shows the typical mercury use; the line runs from the low to the high "
            "estimate. The figures give the typical use, then the range."
        )
    ).runs[0].italic = True


def _quality(document, totals: dict) -> None:
    document.add_heading(gettext("Data quality"), level=1)
    typical = totals["mercury_typical_kg"]
    if typical:
        document.add_paragraph(
            gettext(
                "Of the %(total)s kg of mercury used a year (typical), %(reported)s %% is "
                "reported by the sites and %(estimated)s %% estimated from gold production."
            )
            % {
                "total": _kg(typical),
                "reported": _percent(totals["mercury_reported_kg"], typical),
                "estimated": _percent(totals["mercury_estimated_typical_kg"], typical),
            }
        )
    rows = [
        [row["label"], _count(row["sites"]), _percent(row["sites"], totals["sites"]) + " %"]
        for row in display.data_quality(totals)
    ]
    headers = [gettext("Sites with"), gettext("Sites"), gettext("Share of the sites")]
    _table(document, headers, rows, QUALITY_COLUMNS)


def _page_setup(document) -> None:
    for section in document.sections:
        section.page_width, section.page_height = Cm(21), Cm(29.7)
        section.left_margin = section.right_margin = Cm(2)
        section.top_margin = section.bottom_margin = Cm(2)


def overview_docx(
    country: Country,
    figures: dict,
    sources: dict,
    ratios: list[MercuryRatio],
    address: str,
    today=None,
) -> bytes:
    """The document for ``figures`` (queries.overview, named by display.labelled), ``sources``
    (queries.overview_sources) and the ``ratios`` the country's estimates use; ``address`` is
    the overview's page."""
    today = today or timezone.localdate()
    totals = figures["totals"]
    document = Document()
    document.core_properties.author = "MercuryHub"
    document.core_properties.language = get_language() or "en"
    _page_setup(document)
    page_numbers(document, gettext("Page"))
    _title(document, country, sources, address, today)
    _sources(document, country, totals, sources)
    _method(document, country, ratios)
    _filters(document, figures["filters"])
    if totals["sites"]:
        _totals(document, totals)
        _worst_practices(document, totals, figures["by_worst_practice"])
        _breakdown(
            document,
            gettext("By administrative area"),
            gettext("Administrative area"),
            figures["by_area"],
        )
        _chart(document, figures["by_area"])
        _breakdown(document, gettext("By practice"), gettext("Practice"), figures["by_practice"])
        _quality(document, totals)
    else:
        document.add_heading(gettext("Totals"), level=1)
        filtered = figures["filters"] != OverviewFilters()
        document.add_paragraph(
            gettext("No site matches these filters.")
            if filtered
            else gettext("No site of this country has been recorded yet.")
        )
    if get_language_bidi():
        right_to_left(document)
    output = io.BytesIO()
    document.save(output)
    return output.getvalue()
