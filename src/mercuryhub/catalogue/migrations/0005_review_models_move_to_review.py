"""The versions, decisions, digests and campaigns now belong to the review app (its migration
0001 takes the tables over); the catalogue forgets them without touching the database."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("catalogue", "0004_update_campaigns"),
        ("review", "0001_take_over_catalogue_review_tables"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name="EntryVersion"),
                migrations.DeleteModel(name="ReviewDecision"),
                migrations.DeleteModel(name="ReviewDigest"),
                migrations.DeleteModel(name="UpdateCampaign"),
            ],
            database_operations=[],
        ),
    ]
