"""The periodic digest e-mailed to partners: what is new in the platform for them (entries,
needs, events, resources), and each person's choice of how often to receive it."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class DigestPreference(models.Model):
    """How often a person receives the partners' digest; without a row, monthly."""

    class Frequency(models.TextChoices):
        WEEKLY = "weekly", _("Every week")
        MONTHLY = "monthly", _("Every month")
        NEVER = "never", _("Never")

    person = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="digest_preference"
    )
    frequency = models.CharField(
        _("partners' digest"), max_length=20, choices=Frequency.choices, default=Frequency.MONTHLY
    )
    # The interface language the person chose this in: their digest and reminders are written
    # in it ("" for the platform's).
    language = models.CharField(max_length=10, blank=True)

    def __str__(self):
        return f"{self.person}: {self.frequency}"


class PartnerDigest(models.Model):
    """A digest sent to one person for one period: sent once, whatever the retries."""

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="partner_digests"
    )
    period_start = models.DateTimeField()
    period_end = models.DateTimeField()
    sent_at = models.DateTimeField(auto_now_add=True)
    # How many of each were in it: {"needs": 3, "events": 1, …}.
    counts = models.JSONField(default=dict)

    class Meta:
        ordering = ["-period_end"]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "period_end"], name="partner_digest_once_per_period"
            )
        ]

    def __str__(self):
        return f"digest for {self.person} until {self.period_end:%Y-%m-%d}"
