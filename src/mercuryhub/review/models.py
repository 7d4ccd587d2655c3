"""What the review layer keeps for every kind of entry: the review fields each entry carries
(``ReviewedEntry``), its versions, the decisions made on it, the reviewers' digests and the
secretariat's yearly update campaigns. Entries are referred to by kind (a registry name) and id,
so that any kind registered with ``review.registry`` shares these tables."""

import re

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from mercuryhub.review.translations import localized


def _person():
    """Who did something: kept when their account is deleted, as nobody."""
    return models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )


class ReviewState(models.TextChoices):
    IMPORTED = "imported", _("Published from public sources, not yet validated")
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted for review")
    VALIDATED = "validated", _("Validated")
    RETURNED = "returned", _("Returned with reasons")


class ReviewedEntry(models.Model):
    """The fields through which an entry of any kind is drafted, submitted, validated, versioned
    and reconfirmed. Only the review layer's actions write them."""

    review_state = models.CharField(
        max_length=20, choices=ReviewState.choices, default=ReviewState.DRAFT, db_index=True
    )
    # Public pages, search, map and API show published entries only.
    published = models.BooleanField(default=False, db_index=True)
    validated_at = models.DateTimeField(null=True, blank=True)
    validated_by = _person()
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # Set only when a person answerable for the entry confirms it (an editor's reconfirmation, a
    # reviewer's validation), never by an import from public sources.
    last_confirmed_at = models.DateField(_("last confirmed"), null=True, blank=True, db_index=True)
    # The latest version (EntryVersion.number) and the one the public sees. Editing a published
    # entry adds versions without touching what is published until a reviewer validates.
    version = models.PositiveIntegerField(default=0)
    published_version = models.PositiveIntegerField(null=True, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    submitted_by = _person()
    return_reason = models.TextField(blank=True)
    # The language the entry's own texts are written in, and those texts in other languages
    # ({"fr": {"name": "…"}}), for the fields its kind declares translatable (review/translations).
    content_language = models.CharField(
        _("language of the entry's texts"), max_length=10, default="en"
    )
    translations = models.JSONField(_("texts in other languages"), default=dict, blank=True)

    class Meta:
        abstract = True

    def localized(self, field_name: str, language: str | None = None):
        """The text of ``field_name`` in ``language`` (default: the current one), or in another
        language when it was not given in that one: a ``LocalizedText`` that says which."""
        return localized(self, field_name, language)


# The notes the platform writes on versions, stored in English (the API gives them as written)
# and shown in the reader's language.
_VERSION_NOTES = {
    "created": _("created"),
    "edited": _("edited"),
    "as first published": _("as first published"),
    "corrected in the administration": _("corrected in the administration"),
}
_REVERTED_NOTE = re.compile(r"reverted to version (?P<number>\d+)")
_LINKED_NOTE = re.compile(r"linked to (?P<organization>.+)")


class EntryVersion(models.Model):
    """One version of an entry, in its kind's serialization; versions are never changed nor
    deleted, so every state of an entry can be read, compared and restored."""

    kind = models.CharField(max_length=20)
    object_id = models.BigIntegerField()
    number = models.PositiveIntegerField()
    data = models.JSONField()
    note = models.CharField(max_length=300, blank=True)
    created_by = _person()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["kind", "object_id", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "object_id", "number"], name="unique_entry_version"
            ),
        ]

    def __str__(self):
        return f"{self.kind} {self.object_id} version {self.number}"

    @property
    def shown_note(self) -> str:
        """The note in the interface language when the platform wrote it, else as written."""
        if self.note in _VERSION_NOTES:
            return str(_VERSION_NOTES[self.note])
        if match := _REVERTED_NOTE.fullmatch(self.note):
            return _("reverted to version %(number)s") % match.groupdict()
        if match := _LINKED_NOTE.fullmatch(self.note):
            return _("linked to %(organization)s") % match.groupdict()
        return self.note


# The reason recorded with a validation the review layer makes itself, when a kind says that a
# submission needs no reviewer (``EntryKind.publishes_on_submission``); stored in English, shown
# in the reader's language.
PUBLISHED_ON_SUBMISSION = "published on submission: no moderation needed"
_DECISION_REASONS = {
    PUBLISHED_ON_SUBMISSION: _("published on submission: no moderation needed"),
}


class ReviewDecision(models.Model):
    """What happened to an entry in review: who, when, which version, why."""

    class Action(models.TextChoices):
        SUBMITTED = "submitted", _("Submitted")
        VALIDATED = "validated", _("Validated")
        RETURNED = "returned", _("Returned")
        REVERTED = "reverted", _("Reverted")
        RECONFIRMED = "reconfirmed", _("Reconfirmed")
        CORRECTED = "corrected", _("Corrected by an administrator")

    kind = models.CharField(max_length=20)
    object_id = models.BigIntegerField()
    version = models.PositiveIntegerField()
    action = models.CharField(max_length=20, choices=Action.choices)
    reason = models.TextField(blank=True)
    made_by = _person()
    made_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-made_at"]
        indexes = [models.Index(fields=["kind", "object_id"], name="decision_entry")]

    def __str__(self):
        return f"{self.get_action_display()} {self.kind} {self.object_id} v{self.version}"

    @property
    def shown_reason(self) -> str:
        """The reason in the interface language when the platform wrote it, else as written."""
        return str(_DECISION_REASONS.get(self.reason, self.reason))


class ReviewDigest(models.Model):
    """One e-mail digest of new submissions sent to the reviewers: the next digest lists the
    submissions made after ``sent_at``."""

    sent_at = models.DateTimeField(db_index=True)

    class Meta:
        ordering = ["-sent_at"]
        get_latest_by = "sent_at"

    def __str__(self):
        return f"Review digest sent at {self.sent_at:%Y-%m-%d %H:%M}"


class UpdateCampaign(models.Model):
    """The secretariat's yearly call to the editors of published entries to reconfirm or correct
    them; its progress counts the entries confirmed since it opened."""

    name = models.CharField(_("name"), max_length=200)
    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    deadline = models.DateField(_("deadline"))
    message = models.TextField(_("message to the editors"), blank=True)
    opened_at = models.DateTimeField(_("opened"))
    opened_by = _person()
    # Who was written to when it opened: one e-mail per person, whatever their number of entries.
    recipients = models.PositiveIntegerField(default=0)
    emails_sent = models.PositiveIntegerField(default=0)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    closed_by = _person()
    # The progress when it closed, kept as it was then.
    entries_when_closed = models.PositiveIntegerField(null=True, blank=True)
    confirmed_when_closed = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["-year"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("review-campaign-detail", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.closed_at is None
