"""The spreadsheet columns of resources and case studies: what ``mercuryhub import resources``
and ``mercuryhub import case_studies`` read and the exports write. The importer is the
catalogue's (``catalogue.spreadsheets.importing``): dry run, all or nothing, matched on
external_id."""

from mercuryhub.catalogue.spreadsheets.layouts import Column, Layout, language_columns
from mercuryhub.library.fields import CASE_STUDY_TEXTS
from mercuryhub.review import registry

_TAG_COLUMNS = (
    Column("languages", is_list=True),
    Column("audiences", is_list=True),
    Column("waste_categories", is_list=True),
    Column("phases", is_list=True),
    Column("support_types", is_list=True),
    Column("nap_elements", is_list=True),
    Column("partnership_areas", is_list=True),
)
_PUBLICATION = (
    Column("publisher"),
    Column("year"),
    Column("url"),
    Column("licence"),
    Column("organization"),
)


def layouts() -> tuple[Layout, ...]:
    resource, case_study = registry.get("resource"), registry.get("case_study")
    return (
        Layout(
            "resource",
            "resources",
            (
                Column("external_id", required=True),
                Column("title", required=True, key="name"),
                *_PUBLICATION[:2],
                Column("kind", required=True),
                *_PUBLICATION[2:],
                *_TAG_COLUMNS,
                Column("summary", key="description"),
                Column("language_version_of"),
                Column("transcript"),
                *language_columns(resource),
            ),
            resource.clean,
        ),
        Layout(
            "case_study",
            "case_studies",
            (
                Column("external_id", required=True),
                Column("title", required=True, key="name"),
                Column("country", required=True),
                Column("place"),
                Column("period"),
                Column("summary", key="description"),
                *(Column(name) for name in CASE_STUDY_TEXTS),
                Column("source"),
                *_PUBLICATION,
                *_TAG_COLUMNS,
                *language_columns(case_study),
            ),
            case_study.clean,
        ),
    )
