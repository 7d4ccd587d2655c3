"""On SQLite, an index holding every column the national overview reads (queries.overview), in
the order it groups them, for the country's sites that were not merged: SQLite then adds the
groups up reading the index alone, in order, instead of reading every site and sorting them
(docs/performance.md, "ASGM national overview"). PostgreSQL's planner does not use such an index
(it scans the table in parallel and hashes the groups), so it is not made there. Should the
overview read another column, it goes into this index too."""

from django.db import migrations

COLUMNS = (
    "country_id",
    "admin_area",
    "practice",
    "whole_ore_amalgamation",
    "open_burning",
    "residential_burning",
    "cyanide_on_mercury_tailings",
    "mercury_method",
    "miners",
    "women",
    "children",
    "gold_kg_per_year",
    "mercury_low_kg_per_year",
    "mercury_typical_kg_per_year",
    "mercury_high_kg_per_year",
    "latitude",
    "observed_at",
)


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return
    schema_editor.execute(
        "CREATE INDEX IF NOT EXISTS asgm_site_overview ON asgm_site ("
        + ", ".join(COLUMNS)
        + ") WHERE merged_into_id IS NULL"
    )
    schema_editor.execute("ANALYZE asgm_site")


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute("DROP INDEX IF EXISTS asgm_site_overview")


class Migration(migrations.Migration):
    dependencies = [("asgm", "0003_fill_public_coordinates")]

    operations = [migrations.RunPython(create_index, drop_index)]
