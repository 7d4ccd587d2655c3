"""The Partnership's events: meetings, webinars and workshops, online or in a place, with their
time zone, the Partnership areas co-organizing them, registration up to a capacity (then a
waiting list), and the materials and recordings kept in the library."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from mercuryhub.accounts.models import Organization
from mercuryhub.library.models import Resource
from mercuryhub.review.models import ReviewedEntry
from mercuryhub.taxonomy.models import Country, Term


class DatePrecision(models.TextChoices):
    DAY = "day", _("day")
    MONTH = "month", _("month")
    YEAR = "year", _("year")


class Event(ReviewedEntry):
    """An event organized by a partner (or the secretariat), published through the review
    layer. Times are stored in UTC and shown in the event's own time zone and the reader's."""

    class Format(models.TextChoices):
        MEETING = "meeting", _("Meeting")
        WEBINAR = "webinar", _("Webinar")
        WORKSHOP = "workshop", _("Workshop")

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="events")
    name = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    format = models.CharField(_("format"), max_length=20, choices=Format.choices)
    starts_at = models.DateTimeField(_("starts at"), db_index=True)
    ends_at = models.DateTimeField(_("ends at"))
    # The IANA name of the time zone the event is held in ("Asia/Tokyo").
    time_zone = models.CharField(_("time zone"), max_length=64, default="UTC")
    online = models.BooleanField(_("online"), default=False)
    online_url = models.URLField(_("address to join"), max_length=500, blank=True)
    venue = models.CharField(_("venue"), max_length=300, blank=True)
    city = models.CharField(_("city"), max_length=200, blank=True)
    country = models.ForeignKey(
        Country, on_delete=models.PROTECT, null=True, blank=True, related_name="events"
    )
    latitude = models.FloatField(_("latitude"), null=True, blank=True)
    longitude = models.FloatField(_("longitude"), null=True, blank=True)
    # No capacity: registration is not limited.
    capacity = models.PositiveIntegerField(_("capacity"), null=True, blank=True)
    registration_open = models.BooleanField(_("registration open"), default=False)
    partnership_areas = models.ManyToManyField(
        Term,
        blank=True,
        related_name="events",
        limit_choices_to={"vocabulary__name": "partnership_areas"},
        verbose_name=_("co-organizing Partnership areas"),
    )
    materials = models.ManyToManyField(
        Resource, blank=True, related_name="events", verbose_name=_("materials")
    )
    recording = models.ForeignKey(
        Resource,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="recorded_events",
        verbose_name=_("recording"),
    )
    # How exactly the dates are known: past meetings recorded from public notices may be known
    # to the month or the year only; the pages then show no day (nor hour).
    dates_known_to = models.CharField(
        _("dates known to the"), max_length=10, choices=DatePrecision.choices, default="day"
    )
    # The key of an event in a spreadsheet (the starter data among them), so that importing the
    # same file again updates it rather than adding it twice.
    external_id = models.CharField(max_length=100, blank=True, db_index=True)

    class Meta:
        ordering = ["-starts_at", "-pk"]
        verbose_name = _("event")
        verbose_name_plural = _("events")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("partnership-event-detail", args=[self.pk])

    @property
    def local_name(self):
        return self.localized("name")

    @property
    def local_description(self):
        return self.localized("description")


class Registration(models.Model):
    """A person's registration for an event: registered while places remain, on the waiting
    list after, moved up in order when someone cancels."""

    class State(models.TextChoices):
        REGISTERED = "registered", _("Registered")
        WAITING = "waiting", _("On the waiting list")
        CANCELLED = "cancelled", _("Cancelled")

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="registrations")
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="event_registrations"
    )
    state = models.CharField(max_length=20, choices=State.choices)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["event", "created_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["event", "person"], name="registration_once_per_person")
        ]
        indexes = [models.Index(fields=["event", "state"])]

    def __str__(self):
        return f"{self.person} at {self.event} ({self.state})"
