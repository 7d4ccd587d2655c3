"""The SQLite full-text table gains the record's kind as an indexed column, so that a search of
one kind is answered by the index alone; the table is refilled from the search entries."""

from django.db import migrations

_TOKENIZER = "tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3'"


def _rebuild(columns: str):
    def rebuild(apps, schema_editor):
        if schema_editor.connection.vendor != "sqlite":
            return
        schema_editor.execute("DROP TABLE IF EXISTS search_fts")
        schema_editor.execute(f"CREATE VIRTUAL TABLE search_fts USING fts5({columns}, {_TOKENIZER})")
        schema_editor.execute(
            f"INSERT INTO search_fts (rowid, {columns})"  # noqa: S608 - fixed SQL
            f" SELECT id, {columns} FROM search_searchentry"
        )

    return rebuild


class Migration(migrations.Migration):
    dependencies = [("search", "0001_initial")]

    operations = [
        migrations.RunPython(
            _rebuild("title, synonyms, body, kind"), _rebuild("title, synonyms, body")
        ),
    ]
