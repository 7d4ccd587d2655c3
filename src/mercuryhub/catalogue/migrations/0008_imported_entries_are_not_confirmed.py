"""Entries that arrived from public sources were once given the day of their import as their
"last confirmed" date. Nobody confirmed them: an entry still as imported (never validated, never
reconfirmed by an editor) loses that date."""

from django.db import migrations


def forget_import_dates(apps, schema_editor):
    decision = apps.get_model("review", "ReviewDecision")
    for kind, model_name in (
        ("facility", "Facility"),
        ("offering", "Offering"),
        ("expert", "Expert"),
    ):
        model = apps.get_model("catalogue", model_name)
        reconfirmed = decision.objects.filter(kind=kind, action="reconfirmed").values("object_id")
        model.objects.filter(
            review_state="imported", validated_at__isnull=True, last_confirmed_at__isnull=False
        ).exclude(pk__in=reconfirmed).update(last_confirmed_at=None)


class Migration(migrations.Migration):
    dependencies = [
        ("catalogue", "0007_source_checked_on"),
        ("review", "0003_decision_by_administrators"),
    ]

    operations = [migrations.RunPython(forget_import_dates, migrations.RunPython.noop)]
