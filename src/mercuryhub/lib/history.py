"""The records' history: who made each change, and the tables that keep it.

Requests are attributed by simple-history's middleware; API, command-line and background writes go
through actions, which call ``attribute_change`` so that history always says who made a change.
Every model with a history declares it as ``History()``.
"""

from django.db import migrations
from simple_history.models import HistoricalRecords


def attribute_change(instance, user) -> None:
    if user is not None and getattr(user, "is_authenticated", False):
        instance._history_user = user


class History(HistoricalRecords):
    """simple-history's records of a model, indexed by what they are read by: the entry's key
    (an entry's history) and the date of each record. simple-history would copy every index of
    the model's own fields (its foreign keys, states, codes: 14 on a facility's), which no read
    of history uses and every write keeps up: an import writes three to four records a row."""

    def copy_fields(self, model):
        fields = super().copy_fields(model)
        for name, field in fields.items():
            if name != model._meta.pk.name:
                field.db_index = False
        return fields


def indexes_dropped(app_label: str, altered: list) -> migrations.SeparateDatabaseAndState:
    """A migration's operations making fields unindexed (``altered``: their ``AlterField``s,
    ``db_index=False``; history tables' fields, or a key that a partial index covers instead):
    the fields' indexes dropped by name. Django's SQLite backend would copy the whole table once
    per field altered, for millions of records a long migration for what drops an index.
    Reversed, each index is made again."""

    def fields(apps):
        for operation in altered:
            model = apps.get_model(app_label, operation.model_name)
            yield model, model._meta.get_field(operation.name)

    def drop(apps, schema_editor):
        for model, field in fields(apps):
            for name in schema_editor._constraint_names(
                model, [field.column], index=True, unique=False, primary_key=False
            ):
                schema_editor.execute(schema_editor._delete_index_sql(model, name))

    def make(apps, schema_editor):
        for model, field in fields(apps):
            schema_editor.execute(schema_editor._create_index_sql(model, fields=[field]))
            if schema_editor.connection.vendor == "postgresql":  # and for LIKE, on text
                like = schema_editor._create_like_index_sql(model, field)
                if like is not None:
                    schema_editor.execute(like)

    return migrations.SeparateDatabaseAndState(
        state_operations=altered, database_operations=[migrations.RunPython(drop, make)]
    )
