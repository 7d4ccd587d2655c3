"""The text of files attached to records (an uploaded document's pages) gets a column of its own
and, on SQLite, a full-text table of its own, ``search_attachment_fts``: its long texts no longer
lengthen the index of every record's title and summary. ``mercuryhub reindex`` moves the text of
documents indexed before into it; until then they stay found through the record's body."""

from django.db import migrations, models

_TOKENIZER = "tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3'"


def _create(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        # detail=column: no word positions (the table answers which records hold which words,
        # not phrases), which keeps the long texts' index small.
        schema_editor.execute(
            "CREATE VIRTUAL TABLE IF NOT EXISTS search_attachment_fts USING"
            f" fts5(record, attachment, kind, {_TOKENIZER}, detail = column)"
        )


def _drop(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute("DROP TABLE IF EXISTS search_attachment_fts")


class Migration(migrations.Migration):
    dependencies = [("search", "0002_fts_kind")]

    operations = [
        migrations.AddField(
            model_name="searchentry",
            name="attachment",
            field=models.TextField(blank=True),
        ),
        migrations.RunPython(_create, _drop),
    ]
