"""The review app's tables take its name."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("review", "0001_take_over_catalogue_review_tables"),
        ("catalogue", "0005_review_models_move_to_review"),
    ]

    operations = [
        migrations.AlterModelTable(name="entryversion", table=None),
        migrations.AlterModelTable(name="reviewdecision", table=None),
        migrations.AlterModelTable(name="reviewdigest", table=None),
        migrations.AlterModelTable(name="updatecampaign", table=None),
    ]
