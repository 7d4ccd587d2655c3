"""PostgreSQL: an index of the title's words alone (the vector's weight A), so that the search's
first group (entries whose title holds a word of the query) is found exactly by an index rather
than by testing the weight of every match's whole vector, which reads each one from its TOAST
storage (183 ms against 12 ms for "clinic" at 10,000 records)."""

from django.db import migrations

TITLE_WORDS = "ts_filter(document, '{a}')"


def _create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"CREATE INDEX search_entry_title_words ON search_searchentry USING gin ({TITLE_WORDS})"
        )


def _drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS search_entry_title_words")


class Migration(migrations.Migration):
    dependencies = [
        ("search", "0004_ranking_index"),
    ]

    operations = [migrations.RunPython(_create, _drop, elidable=False)]
