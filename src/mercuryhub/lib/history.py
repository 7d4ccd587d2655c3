"""The records' history: who made each change, and the tables that keep it.

Requests are attributed by simple-history's middleware; API, command-line and background writes go
through actions, which call ``attribute_change`` so that history always says who made a change.
Every model with a history declares it as ``History()``.
"""

from django.db import migrations
from simple_history.models import HistoricalRecords

from mercuryhub.lib.migrations import rendered_once


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
        # Each table's indexes read once (SQLite's introspection parses the table's SQL).
        tables, introspection = {}, schema_editor.connection.introspection
        with schema_editor.connection.cursor() as cursor:
            for model, field in fields(apps):
                table = model._meta.db_table
                if table not in tables:
                    tables[table] = introspection.get_constraints(cursor, table)
                for name, index in tables[table].items():
                    if (
                        index["columns"] == [introspection.identifier_converter(field.column)]
                        and index["index"]
                        and not index["unique"]
                        and not index["primary_key"]
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
        state_operations=[FieldsAltered(altered)],
        database_operations=[migrations.RunPython(drop, make)],
    )


class FieldsAltered(migrations.operations.base.Operation):
    """``AlterField``s of the migration state only, the models they alter rendered again once
    for all of them. Django renders the models related to a foreign key's model again after
    each one: for the sixty history fields of a migration, most of a new database's migration
    time (every test database, every fresh data directory)."""

    reduces_to_sql = False
    reversible = True

    def __init__(self, altered):
        self.altered = altered

    def state_forwards(self, app_label, state):
        models = {(app_label, operation.model_name_lower) for operation in self.altered}
        rendered_once(app_label, state, self.altered, models)

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        pass  # the state's only: the database's operations drop the indexes

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        pass

    def describe(self):
        return f"Alter {len(self.altered)} fields in the migration state"
