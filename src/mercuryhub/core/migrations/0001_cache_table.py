"""The table of the database cache (settings.CACHES when no CACHE_URL is set), made by `migrate`
so that a fresh database, the test databases and `mercuryhub serve` all have it."""

from django.core.management import call_command
from django.db import migrations


def create_cache_table(apps, schema_editor):
    # Makes the tables of the database caches configured, and none that exists already.
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


class Migration(migrations.Migration):
    dependencies = []

    operations = [migrations.RunPython(create_cache_table, migrations.RunPython.noop)]
