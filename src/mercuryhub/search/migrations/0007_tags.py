"""An entry's tags are indexed as one token per term (search/tags.py) rather than as the words of
their labels and synonyms: the column holding them is named for them. Entries indexed before
keep their words there, which no search reads, until ``mercuryhub reindex`` (which ``serve``
runs when it finds them) writes their tokens."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("search", "0006_change_log_pruned")]

    operations = [
        migrations.RenameField(model_name="searchentry", old_name="synonyms", new_name="tags"),
    ]
