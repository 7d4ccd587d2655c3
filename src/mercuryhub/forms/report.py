"""A questionnaire's report as a Word document (DOCX): its title, the date, the number of
submissions and the filters, then each question's summary as a table with its bar chart, and
the cross-tabulation when one was chosen. The charts are PNG images drawn here (bars only: the
table beside each gives the labels and figures), so that no plotting library is needed."""

import io
import struct
import zlib

from django.utils import timezone
from django.utils.translation import gettext as _
from docx import Document
from docx.shared import Cm

from mercuryhub.forms.analysis import CHOICE_KINDS, NUMBER_KINDS, CrossTab, Filters, Summary

BAR_COLOUR = (31, 119, 180)
TRACK_COLOUR = (235, 238, 242)
BAR_HEIGHT, GAP, WIDTH = 18, 8, 480


def bar_chart_png(values: list[int]) -> bytes:
    """Horizontal bars, one per value, in order, the longest as wide as the image."""
    height = max(1, len(values)) * (BAR_HEIGHT + GAP) + GAP
    top = max(values, default=0) or 1
    rows = []
    for y in range(height):
        index, offset = divmod(y - GAP, BAR_HEIGHT + GAP)
        length = 0
        in_bar = y >= GAP and offset < BAR_HEIGHT and index < len(values)
        if in_bar:
            length = round(WIDTH * values[index] / top)
        row = bytearray(b"\x00")  # filter type: none
        for x in range(WIDTH):
            colour = BAR_COLOUR if x < length else TRACK_COLOUR if in_bar else (255, 255, 255)
            row.extend(colour)
        rows.append(bytes(row))
    return _png(WIDTH, height, b"".join(rows))


def _png(width: int, height: int, raw: bytes) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(raw, 9))
        + chunk(b"IEND", b"")
    )


def _table(document, headers: list[str], rows: list[list]):
    table = document.add_table(rows=1, cols=len(headers))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, headers, strict=True):
        cell.text = str(text)
    for values in rows:
        for cell, value in zip(table.add_row().cells, values, strict=True):
            cell.text = str(value)
    return table


def _chart(document, values: list[int]):
    if any(values):
        document.add_picture(io.BytesIO(bar_chart_png(values)), width=Cm(12))


def _summary(document, summary: Summary):
    document.add_heading(summary.label, level=2)
    counts = _("Answered: %(answered)s") % {"answered": summary.answered}
    if summary.skipped is not None:
        counts += " · " + _("Skipped: %(skipped)s") % {"skipped": summary.skipped}
    document.add_paragraph(counts)
    if summary.kind in CHOICE_KINDS:
        rows = [[c["label"], c["count"], f"{c['percent']} %"] for c in summary.choices]
        _table(document, [_("Choice"), _("Count"), _("Percent")], rows)
        _chart(document, [choice["count"] for choice in summary.choices])
    elif summary.kind in NUMBER_KINDS and summary.statistics:
        stats = summary.statistics
        names = [_("Minimum"), _("Median"), _("Mean"), _("Maximum")]
        _table(document, names, [[stats["min"], stats["median"], stats["mean"], stats["max"]]])
        rows = [[f"{b['low']:g} – {b['high']:g}", b["count"]] for b in summary.histogram]
        _table(document, [_("Range"), _("Count")], rows)
        _chart(document, [b["count"] for b in summary.histogram])


def _crosstab(document, crosstab: CrossTab):
    document.add_heading(
        _("%(rows)s by %(columns)s")
        % {"rows": crosstab.rows_label, "columns": crosstab.columns_label},
        level=1,
    )
    headers = ["", *(label for _name, label in crosstab.column_labels), _("Total")]
    rows = [
        [row["label"], *(f"{c['count']} ({c['percent']} %)" for c in row["cells"]), row["total"]]
        for row in crosstab.table()
    ]
    totals = [crosstab.column_totals.get(name, 0) for name, _label in crosstab.column_labels]
    rows.append([_("Total"), *totals, crosstab.total])
    _table(document, headers, rows)


def write_report(form, total: int, summaries, crosstab: CrossTab | None, filters: Filters):
    """The report as a file-like object at its start."""
    document = Document()
    document.add_heading(form.title, level=0)
    document.add_paragraph(
        _("%(project)s · report of %(date)s")
        % {"project": form.project.name, "date": timezone.localdate().isoformat()}
    )
    document.add_paragraph(_("Submissions: %(count)s") % {"count": total})
    chosen = ", ".join(str(state) for state in filters.states)
    if filters.since or filters.until:
        chosen += f" · {filters.since or '…'} – {filters.until or '…'}"
    document.add_paragraph(_("Review states and dates: %(filters)s") % {"filters": chosen})
    if crosstab is not None:
        _crosstab(document, crosstab)
    document.add_heading(_("Questions"), level=1)
    for summary in summaries:
        _summary(document, summary)
    output = io.BytesIO()
    document.save(output)
    output.seek(0)
    return output
