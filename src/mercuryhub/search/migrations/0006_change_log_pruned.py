"""The last change the search change log has forgotten: the ranking index rebuilds files whose
mark is older (files of another machine) rather than replay the changes they would miss."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('search', '0005_title_words_index'),
    ]

    operations = [
        migrations.AddField(
            model_name='searchindexgeneration',
            name='pruned',
            field=models.BigIntegerField(db_default=0, default=0),
        ),
    ]
