"""Migrations making many models apply them as one operation (lib/migrations.py), and the
history migrations alter their fields in the state as one (lib/history.py): the same migration
state, models related as Django's own operation by operation relates them, and the same tables,
reversed and applied again."""

import pytest
from django.db import connection, migrations, models
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.loader import MigrationLoader

from mercuryhub.lib.history import FieldsAltered
from mercuryhub.lib.migrations import ModelsCreated, _grouped


def _relations(apps) -> dict:
    """Each model's fields, whether each is indexed, what each relation points to, and whether
    the model pointed to is the one the registry holds (a model rendered again is a new class: a
    relation to the class it replaced would be stale)."""
    found = {}
    for model in apps.get_models(include_auto_created=True):
        fields = []
        for field in model._meta.get_fields(include_hidden=True):
            target, indexed = field.related_model, getattr(field, "db_index", None)
            if target is None:
                fields.append((field.name, None, indexed, True))
                continue
            current = apps.get_model(target._meta.label)
            fields.append((field.name, target._meta.label, indexed, target is current))
        found[model._meta.label] = sorted(fields)
    return found


def test_consecutive_models_are_created_by_one_operation():
    a, b, c = (migrations.CreateModel(name, [("id", None)]) for name in ("A", "B", "C"))
    added = migrations.AddField("a", "x", None)

    grouped = _grouped([a, b, added, c])

    assert isinstance(grouped[0], ModelsCreated) and grouped[0].created == [a, b]
    assert grouped[1:] == [added, c]
    assert _grouped([a]) == [a]


@pytest.mark.parametrize("migration", [("catalogue", "0001_initial"), ("nap", "0001_plans")])
def test_the_models_made_together_are_related_as_made_one_by_one(migration):
    loader = MigrationLoader(None, ignore_no_migrations=True)
    operations = loader.get_migration(*migration).operations
    assert any(isinstance(operation, ModelsCreated) for operation in _grouped(operations))

    def applied(grouped: bool):
        state = loader.project_state(migration, at_end=False)
        state.apps  # noqa: B018 - rendered, as the executor renders it before a migration
        for operation in _grouped(operations) if grouped else operations:
            operation.state_forwards(migration[0], state)
        return state

    together, one_by_one = applied(grouped=True), applied(grouped=False)

    assert together.models == one_by_one.models
    assert _relations(together.apps) == _relations(one_by_one.apps)


def test_fields_altered_together_leave_the_state_django_leaves_one_by_one():
    migration = ("catalogue", "0010_history_indexes")
    loader = MigrationLoader(None, ignore_no_migrations=True)
    altered = list(loader.get_migration(*migration).altered)
    # A default not kept, as AlterField(preserve_default=False) leaves it.
    status = models.CharField(max_length=20, default="operating")
    altered.append(
        migrations.AlterField("historicalfacility", "status", status, preserve_default=False)
    )

    def applied(operations):
        state = loader.project_state(migration, at_end=False)
        state.apps  # noqa: B018 - rendered, as the executor renders it before a migration
        for operation in operations:
            operation.state_forwards("catalogue", state)
        return state

    together, one_by_one = applied([FieldsAltered(altered)]), applied(altered)

    assert together.models == one_by_one.models
    # The same fields and targets; the models rendered once at the end, none left pointing to a
    # class rendered again since (Django's last, unrelated field renders fewer again).
    fresh, django = _relations(together.apps), _relations(one_by_one.apps)
    assert {label: [f[:3] for f in fields] for label, fields in fresh.items()} == {
        label: [f[:3] for f in fields] for label, fields in django.items()
    }
    assert all(current for fields in fresh.values() for *_field, current in fields)


@pytest.mark.django_db(transaction=True)
def test_a_migration_making_many_models_is_reversed_and_applied_again():
    def nap_tables():
        with connection.cursor() as cursor:
            names = connection.introspection.table_names(cursor)
            return {
                name: sorted(
                    column.name
                    for column in connection.introspection.get_table_description(cursor, name)
                )
                for name in names
                if name.startswith("nap_")
            }

    made = nap_tables()
    assert len(made) >= 10
    executor = MigrationExecutor(connection)
    try:
        executor.migrate([("nap", None)])
        assert nap_tables() == {}
    finally:
        executor.loader.build_graph()
        executor.migrate([("nap", "0001_plans")])
    assert nap_tables() == made
