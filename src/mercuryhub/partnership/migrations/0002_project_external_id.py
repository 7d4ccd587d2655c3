"""A project's key in a spreadsheet is the importers' ``external_id``, as in the catalogue and the
library, so that the spreadsheet importer and the starter data serve projects too."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("partnership", "0001_partnership"),
    ]

    operations = [
        migrations.RemoveField(model_name="project", name="source_key"),
        migrations.AddField(
            model_name="project",
            name="external_id",
            field=models.CharField(
                blank=True,
                max_length=100,
                null=True,
                unique=True,
                verbose_name="external identifier",
            ),
        ),
    ]
