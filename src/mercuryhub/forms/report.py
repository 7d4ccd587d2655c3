"""A questionnaire's report as a Word document (DOCX): its title, the date, the number of
submissions and the filters, then each question's summary as a table with its bar chart, and
the cross-tabulation when one was chosen. The charts are PNG images (bars only: the
table beside each gives the labels and figures), drawn by lib/word_documents.py."""

import io

from django.utils import timezone
from django.utils.translation import gettext as _
from docx import Document
from docx.shared import Cm

from mercuryhub.forms.analysis import CHOICE_KINDS, NUMBER_KINDS, CrossTab, Filters, Summary
from mercuryhub.lib.word_documents import bar_chart_png
from mercuryhub.lib.word_documents import table as _table


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
