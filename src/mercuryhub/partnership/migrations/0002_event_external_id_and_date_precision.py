from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("partnership", "0001_partnership"),
    ]

    operations = [
        migrations.RenameField(model_name="event", old_name="source_key", new_name="external_id"),
        migrations.AddField(
            model_name="event",
            name="dates_known_to",
            field=models.CharField(
                choices=[("day", "day"), ("month", "month"), ("year", "year")],
                default="day",
                max_length=10,
                verbose_name="dates known to the",
            ),
        ),
    ]
