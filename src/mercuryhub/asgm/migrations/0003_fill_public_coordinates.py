"""Each site's coordinates as the public sees them, rounded to 0.1° in Python as the site's page
rounds them (asgm.queries.public_coordinates, PUBLIC_PRECISION), for the sites recorded before
the columns were added. One update per rounded value (a country has a few hundred), by batches of
ids, rather than one per site."""

from collections import defaultdict

from django.db import migrations

PUBLIC_PRECISION = 1  # as asgm.queries.PUBLIC_PRECISION when this migration was written
BATCH = 500


def fill_public_coordinates(apps, schema_editor):
    Site = apps.get_model("asgm", "Site")
    located = Site.objects.exclude(latitude=None).exclude(longitude=None)
    for field in ("latitude", "longitude"):
        ids_by_value = defaultdict(list)
        for pk, value in located.values_list("pk", field).iterator(chunk_size=5000):
            ids_by_value[round(value, PUBLIC_PRECISION)].append(pk)
        for value, ids in ids_by_value.items():
            for start in range(0, len(ids), BATCH):
                chunk = ids[start : start + BATCH]
                Site.objects.filter(pk__in=chunk).update(**{f"public_{field}": value})


class Migration(migrations.Migration):
    dependencies = [("asgm", "0002_site_list_index_and_public_coordinates")]

    operations = [migrations.RunPython(fill_public_coordinates, migrations.RunPython.noop)]
