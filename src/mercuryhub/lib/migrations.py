"""Migrations that make many models: the models rendered once for all of them.

Django renders again, after each model a migration creates, every model related to it and every
model related to those (through the history's user, nearly all of them): for a migration making
twenty models, twenty renderings of the whole project, most of the time a new database takes to
migrate (every test database, every fresh data directory). A migration of this module's class
creates its consecutive models in one operation that adds them to the migration state, renders
the models related to any of them once, then makes their tables in the order written. What is
applied to the database is unchanged; the migration state afterwards is the same.
"""

from django.db import migrations


class Migration(migrations.Migration):
    """A migration whose consecutive ``CreateModel`` operations are applied as one."""

    def apply(self, project_state, schema_editor, collect_sql=False):
        written = self.operations
        self.operations = _grouped(written)
        try:
            return super().apply(project_state, schema_editor, collect_sql)
        finally:
            self.operations = written


def _grouped(operations: list) -> list:
    grouped, run = [], []
    for operation in [*operations, None]:
        if isinstance(operation, migrations.CreateModel):
            run.append(operation)
            continue
        if len(run) > 1:
            grouped.append(ModelsCreated(run))
        else:
            grouped += run
        run = []
        if operation is not None:
            grouped.append(operation)
    return grouped


class ModelsCreated(migrations.operations.base.Operation):
    """``CreateModel``s applied together: added to the state, rendered once, made in order."""

    reversible = True

    def __init__(self, created):
        self.created = created

    def state_forwards(self, app_label, state):
        models = [(app_label, operation.name_lower) for operation in self.created]
        rendered_once(app_label, state, self.created, models)

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        for operation in self.created:
            operation.database_forwards(app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        for operation in reversed(self.created):
            operation.database_backwards(app_label, schema_editor, from_state, to_state)

    def describe(self):
        return "; ".join(operation.describe() for operation in self.created)


def rendered_once(app_label, state, operations, models) -> None:
    """Each operation's own ``state_forwards``, none rendering the models again, then the
    ``models`` they changed and the models related to them rendered once."""
    rendered = state.__dict__.pop("apps", None)  # each operation would render them again
    for operation in operations:
        operation.state_forwards(app_label, state)
    if rendered is not None:
        state.__dict__["apps"] = rendered
        state.reload_models(models, delay=False)
