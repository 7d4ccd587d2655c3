"""The full-text index: one row per searchable record, kept in step with the records by the
actions that write them (same transaction), so search never shows what the database does not."""

from django.contrib.postgres.search import SearchVectorField
from django.db import models


class SearchEntry(models.Model):
    kind = models.CharField(max_length=20)
    object_id = models.BigIntegerField()
    title = models.TextField()
    # The tokens of the terms the record is tagged with (search/tags.py), not their words.
    tags = models.TextField(blank=True)
    body = models.TextField(blank=True)
    attachment = models.TextField(blank=True)  # the text of a file attached to the record
    # PostgreSQL only: the weighted tsvector (GIN index created by migration). SQLite keeps its
    # FTS5 tables search_fts and search_attachment_fts instead, whose rowid is this row's id.
    document = SearchVectorField(null=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["kind", "object_id"], name="unique_search_entry"),
        ]

    def __str__(self):
        return f"{self.kind} {self.object_id}: {self.title}"


class SearchWord(models.Model):
    """Every word of every indexed title, for correcting typos in names ("Batrek" → batrec)."""

    word = models.CharField(max_length=100, unique=True)
    initial = models.CharField(max_length=1)
    length = models.PositiveSmallIntegerField()

    class Meta:
        indexes = [models.Index(fields=["initial", "length"], name="search_word_shape")]

    def __str__(self):
        return self.word


class SearchChange(models.Model):
    """One write to the index (an entry added, replaced or removed), in the order the writes
    commit: the ranking index in files on the application machine (search/ranking_index.py)
    reads the changes since the last it took, so it never lags what the database has
    committed."""

    entry_id = models.BigIntegerField()

    def __str__(self):
        return f"change {self.pk}: entry {self.entry_id}"


class SearchIndexGeneration(models.Model):
    """One row naming this database's index: made anew when the index is rebuilt or the table
    is emptied (a restore, a flush), so that the ranking index rebuilds rather than replays."""

    token = models.CharField(max_length=32)
    # The last change the log has forgotten: files whose mark is older missed changes.
    pruned = models.BigIntegerField(default=0, db_default=0)

    def __str__(self):
        return self.token
