"""The catalogue as a Word document, for the Partnership's printed publication."""

import io
from datetime import datetime

from django.utils import timezone
from docx import Document
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt

from mercuryhub.catalogue.models import Expert, Facility, Offering
from mercuryhub.lib.text import without_control_characters
from mercuryhub.taxonomy.queries import terms_of

TITLE = "Catalogue of Technologies and Services on Mercury Waste Management"
FACILITIES_HEADING = "Facilities by waste category"
OFFERINGS_HEADING = "Technologies, equipment and services"
EXPERTS_HEADING = "Experts"


def _labels(related) -> str:
    return ", ".join(item.label if hasattr(item, "label") else item.name for item in related.all())


def _facility_details(facility: Facility) -> list[tuple[str, str]]:
    return [
        ("Operator", facility.operator.name),
        ("Country", facility.country.name),
        ("City", facility.city),
        ("Status", facility.get_status_display()),
        ("Technologies", _labels(facility.technologies)),
        ("Capacity", facility.capacity),
    ]


def _offering_details(offering: Offering) -> list[tuple[str, str]]:
    return [
        ("Provider", offering.provider.name),
        ("Type", offering.get_kind_display()),
        ("Waste categories", _labels(offering.waste_categories)),
        ("Technologies", _labels(offering.technologies)),
        ("Support", _labels(offering.support_types)),
        ("Countries served", _labels(offering.countries_served)),
        ("Regions served", ", ".join(offering.regions_served or [])),
    ]


def _expert_details(expert: Expert) -> list[tuple[str, str]]:
    # Never the e-mail address: people reach experts through the platform's contact form.
    return [
        ("Organization", expert.organization.name if expert.organization else ""),
        ("Country", expert.country.name),
        ("Languages", _labels(expert.languages)),
        ("Waste categories", _labels(expert.waste_categories)),
        ("Support", _labels(expert.support_types)),
        ("Countries of experience", _labels(expert.countries_of_experience)),
    ]


def _safe(text: str) -> str:
    """The text without the control characters a Word document cannot hold, should a stored
    entry have one: one bad entry must not stop the publication for everyone."""
    return without_control_characters(text)


def _day(day) -> str:
    return day.isoformat() if day else ""


def _add_entry(document, entry, details: list[tuple[str, str]]) -> None:
    title = document.add_paragraph()
    title.paragraph_format.keep_with_next = True
    title.paragraph_format.space_before = Pt(10)
    run = title.add_run(_safe(entry.name))
    run.bold = True
    run.font.size = Pt(12)
    details = [
        *details,
        ("Website", entry.website),
        ("Source", entry.source),
        ("Sources read on", _day(entry.source_checked_on)),
        ("Review", entry.get_review_state_display()),
        ("Last confirmed", _day(entry.last_confirmed_at) or "not yet"),
    ]
    for label, value in details:
        if value:
            line = document.add_paragraph()
            line.paragraph_format.space_after = Pt(0)
            line.add_run(f"{label}: ").bold = True
            line.add_run(_safe(str(value)))
    if entry.description:
        document.add_paragraph(_safe(entry.description))


def _add_toc_field(document) -> None:
    """A Word table-of-contents field; Word fills it in (with page numbers) on Update Field."""
    paragraph = document.add_paragraph()

    def field_char(kind):
        element = OxmlElement("w:fldChar")
        element.set(qn("w:fldCharType"), kind)
        paragraph.add_run()._r.append(element)

    field_char("begin")
    instruction = OxmlElement("w:instrText")
    instruction.set(qn("xml:space"), "preserve")
    instruction.text = 'TOC \\o "1-3" \\h \\z \\u'
    paragraph.add_run()._r.append(instruction)
    field_char("separate")
    paragraph.add_run(
        "Right-click here and choose Update Field for a table of contents with page numbers."
    ).italic = True
    field_char("end")


def _facilities_by_category(facilities) -> list[tuple[object, list[tuple[object, list]]]]:
    """(top-level category, [(category, facilities)]) in the vocabulary's order; a facility
    accepting a top-level category itself is listed under it first."""
    categories = list(terms_of("waste_categories").order_by("position", "code"))
    by_category: dict[int, list[Facility]] = {}
    for facility in facilities:
        for term in facility.accepted_wastes.all():
            by_category.setdefault(term.pk, []).append(facility)
    groups = []
    for top in (term for term in categories if term.parent_id is None):
        sections = [
            (term, by_category[term.pk])
            for term in [top, *(t for t in categories if t.parent_id == top.pk)]
            if by_category.get(term.pk)
        ]
        if sections:
            groups.append((top, sections))
    return groups


def catalogue_docx(facilities, offerings, experts, generated_at: datetime) -> bytes:
    """The catalogue as a Word document: facilities grouped by the wastes they accept, then
    offerings by type and experts by country. Expert e-mail addresses are never included."""
    facilities = list(
        facilities.select_related("operator", "country")
        .prefetch_related("accepted_wastes", "technologies")
        .order_by("name", "pk")
    )
    offerings = list(
        offerings.select_related("provider")
        .prefetch_related("waste_categories", "technologies", "support_types", "countries_served")
        .order_by("kind", "name", "pk")
    )
    experts = list(
        experts.select_related("organization", "country")
        .prefetch_related(
            "languages", "waste_categories", "support_types", "countries_of_experience"
        )
        .order_by("country__name", "name", "pk")
    )
    facility_groups = _facilities_by_category(facilities)
    offering_groups: dict[str, list[Offering]] = {}
    for offering in offerings:
        offering_groups.setdefault(offering.get_kind_display(), []).append(offering)
    expert_groups: dict[str, list[Expert]] = {}
    for expert in experts:
        expert_groups.setdefault(expert.country.name, []).append(expert)

    document = Document()
    document.core_properties.title = TITLE
    document.core_properties.author = "MercuryHub"
    document.core_properties.created = generated_at
    document.add_heading(TITLE, level=0)
    if timezone.is_aware(generated_at):
        generated_at = timezone.localtime(generated_at)
    document.add_paragraph(f"Generated on {generated_at:%Y-%m-%d} by MercuryHub")
    document.add_paragraph(
        f"{len(facilities)} facilities, {len(offerings)} technologies, equipment and services, "
        f"{len(experts)} experts. Entries marked as published from public sources have not "
        "yet been validated by the secretariat."
    )

    document.add_heading("Contents", level=1)
    _add_toc_field(document)
    sections = [
        (FACILITIES_HEADING, [top.label for top, _sections in facility_groups]),
        (OFFERINGS_HEADING, list(offering_groups)),
        (EXPERTS_HEADING, list(expert_groups)),
    ]
    for heading, subheadings in sections:
        document.add_paragraph(heading, style="List Bullet")
        for subheading in subheadings:
            document.add_paragraph(subheading, style="List Bullet 2")

    document.add_page_break()
    document.add_heading(FACILITIES_HEADING, level=1)
    if not facility_groups:
        document.add_paragraph("None published yet.")
    for top, category_sections in facility_groups:
        document.add_heading(top.label, level=2)
        for category, members in category_sections:
            heading = f"{category.label} (all kinds)" if category == top else category.label
            document.add_heading(heading, level=3)
            for facility in members:
                _add_entry(document, facility, _facility_details(facility))

    document.add_page_break()
    document.add_heading(OFFERINGS_HEADING, level=1)
    if not offering_groups:
        document.add_paragraph("None published yet.")
    for kind_label, members in offering_groups.items():
        document.add_heading(kind_label, level=2)
        for offering in members:
            _add_entry(document, offering, _offering_details(offering))

    document.add_page_break()
    document.add_heading(EXPERTS_HEADING, level=1)
    if not expert_groups:
        document.add_paragraph("None published yet.")
    for country_name, members in expert_groups.items():
        document.add_heading(country_name, level=2)
        for expert in members:
            _add_entry(document, expert, _expert_details(expert))

    output = io.BytesIO()
    document.save(output)
    return output.getvalue()
