"""A factsheet as a Word document, in the interface language, built as the catalogue's printed
publication is (catalogue/spreadsheets/publication.py)."""

import io
from datetime import datetime

from django.utils import timezone
from django.utils.translation import get_language, gettext
from docx import Document

from mercuryhub.lib.word_documents import page_numbers, safe_text
from mercuryhub.library.factsheets import Factsheet


def _list(document, items: list[str]) -> None:
    for item in items:
        document.add_paragraph(safe_text(item), style="List Bullet")


def _counted(terms: list[tuple]) -> list[str]:
    return [f"{term.localized_label} ({count})" for term, count in terms]


def factsheet_docx(sheet: Factsheet, generated_at: datetime, address: str) -> bytes:
    """The factsheet's sections in the page's order: what the waste is, where it arises, its
    treatment, the facilities taking it, then the entries tagged with it by kind, each by name;
    ``address`` is the factsheet's page, where the rest are."""
    document = Document()
    title = gettext("Factsheet: %(waste)s") % {"waste": sheet.term.localized_label}
    document.core_properties.title = title
    document.core_properties.author = "MercuryHub"
    document.core_properties.language = get_language() or "en"
    document.core_properties.created = generated_at
    page_numbers(document, gettext("Page"))
    document.add_heading(safe_text(title), level=0)
    if timezone.is_aware(generated_at):
        generated_at = timezone.localtime(generated_at)
    document.add_paragraph(
        gettext("Assembled by MercuryHub on %(day)s from the entries published on the platform.")
        % {"day": f"{generated_at:%Y-%m-%d}"}
        + " "
        + address
    )

    document.add_heading(gettext("What the waste is"), level=1)
    document.add_paragraph(safe_text(sheet.term.localized_label))
    if sheet.source:
        document.add_paragraph(safe_text(sheet.source))
    if sheet.synonyms:
        names = ", ".join(sheet.synonyms)
        document.add_paragraph(gettext("Also known as: %(names)s") % {"names": safe_text(names)})

    document.add_heading(gettext("Where it arises"), level=1)
    if sheet.parent:
        document.add_paragraph(
            gettext("Part of: %(category)s") % {"category": sheet.parent.localized_label}
        )
    if sheet.narrower:
        document.add_paragraph(gettext("It includes:"))
        _list(document, [term.localized_label for term in sheet.narrower])

    document.add_heading(gettext("Phases and treatment options"), level=1)
    if sheet.phases:
        document.add_heading(gettext("Management phases"), level=2)
        _list(document, _counted(sheet.phases))
    if sheet.technologies:
        document.add_heading(gettext("Treatment technologies"), level=2)
        _list(document, _counted(sheet.technologies))
    if not sheet.phases and not sheet.technologies:
        document.add_paragraph(
            gettext("No facility or offering taking this waste is published yet.")
        )

    document.add_heading(gettext("Facilities that accept it"), level=1)
    document.add_paragraph(
        gettext("Facilities published on the platform: %(count)s") % {"count": sheet.facility_total}
    )
    for group in sheet.groups:
        document.add_heading(
            safe_text(str(group.label)), level=1 if group.name != "facility" else 2
        )
        if len(group.entries) < group.total:
            document.add_paragraph(
                gettext("The first %(shown)s of %(total)s.")
                % {"shown": len(group.entries), "total": group.total}
            )
        _list(document, [str(entry.local_name) for entry in group.entries])

    output = io.BytesIO()
    document.save(output)
    return output.getvalue()
