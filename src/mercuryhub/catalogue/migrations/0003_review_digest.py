from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("catalogue", "0002_entry_versions_and_review"),
    ]

    operations = [
        migrations.CreateModel(
            name="ReviewDigest",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("sent_at", models.DateTimeField(db_index=True)),
            ],
            options={
                "ordering": ["-sent_at"],
                "get_latest_by": "sent_at",
            },
        ),
    ]
