"""The catalogue as a Word document, for the Partnership's printed publication."""

import io
from datetime import datetime

from django.utils import timezone
from docx import Document
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

from mercuryhub.catalogue.models import Expert, Facility, Offering
from mercuryhub.lib.word_documents import field_char, field_start, page_numbers, safe_text
from mercuryhub.taxonomy.queries import terms_of

TITLE = "Catalogue of Technologies and Services on Mercury Waste Management"
FACILITIES_HEADING = "Facilities by waste category"
OFFERINGS_HEADING = "Technologies, equipment and services"
EXPERTS_HEADING = "Experts"
CONTENTS_HEADING = "Contents"
SUBTITLE = "UNEP Global Mercury Partnership — Mercury Waste Management Area"


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


def _day(day) -> str:
    return day.isoformat() if day else ""


def _add_entry(document, entry, details: list[tuple[str, str]]) -> None:
    """The entry's name as a heading (below the contents' levels), its key facts as a table of
    two columns, label and value, then its description."""
    document.add_heading(safe_text(entry.name), level=4)
    details = [
        *details,
        ("Website", entry.website),
        ("Source", entry.source),
        ("Sources read on", _day(entry.source_checked_on)),
        ("Review", entry.get_review_state_display()),
        ("Last confirmed", _day(entry.last_confirmed_at) or "not yet"),
    ]
    facts = [(label, safe_text(str(value))) for label, value in details if value]
    table = document.add_table(rows=0, cols=2)
    table.style = "Table Grid"
    for label, value in facts:
        cells = table.add_row().cells
        cells[0].paragraphs[0].add_run(label).bold = True
        cells[1].paragraphs[0].add_run(value)
    if entry.description:
        document.add_paragraph(safe_text(entry.description))


def _add_reference(document, facility, first_category) -> None:
    """A facility described under another category, named here once."""
    line = document.add_paragraph()
    line.add_run(safe_text(facility.name)).bold = True
    line.add_run(f" — see {first_category.label}")


def _add_contents(document, entries: list[tuple[int, str]]) -> None:
    """A Word table-of-contents field over headings 1 to 3. Its shown result already lists the
    headings, so a program that does not update fields still has a contents list; Word and
    LibreOffice refresh it, with page numbers, on opening (the document asks them to)."""
    first = document.add_paragraph()
    field_start(first, 'TOC \\o "1-3" \\h \\z \\u')
    paragraph = first
    for index, (level, text) in enumerate(entries):
        if index:
            paragraph = document.add_paragraph()
        paragraph.paragraph_format.left_indent = Cm(0.6 * (level - 1))
        paragraph.paragraph_format.space_after = Pt(0)
        paragraph.add_run(text).bold = level == 1
    field_char(paragraph, "end")
    _ask_to_update_fields(document)


# The children of w:settings that come after w:updateFields (ECMA-376 keeps them in order).
_AFTER_UPDATE_FIELDS = [
    "hdrShapeDefaults",
    "footnotePr",
    "endnotePr",
    "compat",
    "docVars",
    "rsids",
    "mathPr",
    "attachedSchema",
    "themeFontLang",
    "clrSchemeMapping",
    "doNotIncludeSubdocsInStats",
    "doNotAutoCompressPictures",
    "forceUpgrade",
    "captions",
    "readModeInkLockDown",
    "smartTagType",
    "schemaLibrary",
    "shapeDefaults",
    "doNotEmbedSmartTags",
    "decimalSymbol",
    "listSeparator",
]


def _ask_to_update_fields(document) -> None:
    """Mark the document so Word and LibreOffice update its fields (the contents) on opening."""
    settings = document.settings.element
    update = OxmlElement("w:updateFields")
    update.set(qn("w:val"), "true")
    later = [
        child for child in settings if child.tag in {qn(f"w:{n}") for n in _AFTER_UPDATE_FIELDS}
    ]
    if later:
        later[0].addprevious(update)
    else:
        settings.append(update)


def _add_title_page(document, generated_at: datetime, counts: str) -> None:
    document.add_heading(TITLE, level=0)
    document.add_paragraph(SUBTITLE, style="Subtitle")
    if timezone.is_aware(generated_at):
        generated_at = timezone.localtime(generated_at)
    document.add_paragraph(f"Generated on {generated_at:%Y-%m-%d} by MercuryHub")
    document.add_paragraph(counts)
    document.add_page_break()


def _facilities_by_category(facilities) -> tuple[list, dict[int, object]]:
    """(top-level category, [(category, facilities)]) in the vocabulary's order, a facility
    accepting a top-level category itself listed under it first; and each facility's first
    category in that order, the one it is described under."""
    categories = list(terms_of("waste_categories").order_by("position", "code"))
    ordered = [
        term
        for top in categories
        if top.parent_id is None
        for term in [top, *(t for t in categories if t.parent_id == top.pk)]
    ]
    rank = {term.pk: index for index, term in enumerate(ordered)}
    by_category: dict[int, list[Facility]] = {}
    first_category = {}
    for facility in facilities:
        accepted = sorted(facility.accepted_wastes.all(), key=lambda term: rank.get(term.pk, 0))
        if accepted:
            first_category[facility.pk] = accepted[0]
        for term in accepted:
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
    return groups, first_category


def catalogue_docx(facilities, offerings, experts, generated_at: datetime) -> bytes:
    """The catalogue as a Word document to print: a title page, the contents, facilities grouped
    by the wastes they accept (each described once, under its first category, and named under
    the others), then offerings by type and experts by country; pages numbered in the footer.
    Expert e-mail addresses are never included."""
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
    facility_groups, first_category = _facilities_by_category(facilities)
    offering_groups: dict[str, list[Offering]] = {}
    for offering in offerings:
        offering_groups.setdefault(offering.get_kind_display(), []).append(offering)
    expert_groups: dict[str, list[Expert]] = {}
    for expert in experts:
        expert_groups.setdefault(expert.country.name, []).append(expert)

    document = Document()
    document.core_properties.title = TITLE
    document.core_properties.subject = SUBTITLE
    document.core_properties.author = "MercuryHub"
    document.core_properties.created = generated_at
    page_numbers(document, "Page")
    _add_title_page(
        document,
        generated_at,
        f"{len(facilities)} facilities, {len(offerings)} technologies, equipment and services, "
        f"{len(experts)} experts. Entries marked as published from public sources have not "
        "yet been validated by the secretariat.",
    )

    def category_heading(category, top):
        return f"{category.label} (all kinds)" if category == top else category.label

    contents = []
    if facility_groups:
        contents.append((1, FACILITIES_HEADING))
        for top, category_sections in facility_groups:
            contents.append((2, top.label))
            contents += [(3, category_heading(c, top)) for c, _members in category_sections]
    for heading, groups in ((OFFERINGS_HEADING, offering_groups), (EXPERTS_HEADING, expert_groups)):
        if groups:
            contents += [(1, heading), *((2, name) for name in groups)]
    contents_title = document.add_paragraph()
    contents_title.add_run(CONTENTS_HEADING).bold = True
    contents_title.runs[0].font.size = Pt(16)
    _add_contents(document, contents)

    if facility_groups:
        document.add_page_break()
        document.add_heading(FACILITIES_HEADING, level=1)
    for top, category_sections in facility_groups:
        document.add_heading(top.label, level=2)
        for category, members in category_sections:
            document.add_heading(category_heading(category, top), level=3)
            for facility in members:
                first = first_category[facility.pk]
                if first == category:
                    _add_entry(document, facility, _facility_details(facility))
                else:
                    _add_reference(document, facility, first)

    for heading, groups, details in (
        (OFFERINGS_HEADING, offering_groups, _offering_details),
        (EXPERTS_HEADING, expert_groups, _expert_details),
    ):
        if not groups:
            continue
        document.add_page_break()
        document.add_heading(heading, level=1)
        for group_name, members in groups.items():
            document.add_heading(group_name, level=2)
            for entry in members:
                _add_entry(document, entry, details(entry))

    output = io.BytesIO()
    document.save(output)
    return output.getvalue()
