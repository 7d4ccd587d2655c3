"""The spreadsheet columns of projects: what ``mercuryhub import projects`` and the starter data
(``data/projects.csv``) read and the exports write. The importer is the catalogue's: dry run, all
or nothing, matched on external_id."""

from mercuryhub.catalogue.spreadsheets.layouts import Column, Layout, language_columns
from mercuryhub.partnership.project_kind import KIND


def project_layout() -> Layout:
    return Layout(
        "project",
        "projects",
        (
            Column("external_id", required=True),
            Column("title", required=True, key="name"),
            Column("organization", required=True),
            # Where an organization named for the first time is based.
            Column("organization_country"),
            Column("organization_type"),
            Column("countries", required=True, is_list=True),
            Column("funder"),
            Column("first_year"),
            Column("last_year"),
            Column("status"),
            Column("budget"),
            Column("budget_currency"),
            Column("partners", is_list=True),
            Column("waste_categories", is_list=True),
            Column("partnership_areas", is_list=True),
            Column("case_studies", is_list=True),
            Column("website"),
            Column("latitude"),
            Column("longitude"),
            Column("summary"),
            Column("lessons_learned"),
            *language_columns(KIND),
        ),
        KIND.clean,
    )
