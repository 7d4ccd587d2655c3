"""The catalogue: facilities that manage mercury wastes, offerings (technologies, equipment,
services) and experts, all tagged with the reference vocabularies."""

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from mercuryhub.accounts.models import Organization, User
from mercuryhub.taxonomy.models import Country, Language, Term


class ReviewState(models.TextChoices):
    IMPORTED = "imported", _("Published from public sources, not yet validated")
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted for review")
    VALIDATED = "validated", _("Validated")
    RETURNED = "returned", _("Returned with reasons")


def _vocabulary(name: str) -> dict:
    return {"vocabulary__name": name}


class Entry(models.Model):
    """What every catalogue entry has: where it came from and when its sources were read, who
    validated it, when it was last confirmed."""

    external_id = models.CharField(
        _("external identifier"),
        max_length=100,
        null=True,
        blank=True,
        unique=True,
        help_text=_("The stable identifier of the entry in an imported spreadsheet"),
    )
    name = models.CharField(_("name"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    website = models.URLField(_("website"), blank=True, max_length=500)
    source = models.CharField(_("source of the information"), max_length=500, blank=True)
    review_state = models.CharField(
        max_length=20, choices=ReviewState.choices, default=ReviewState.DRAFT, db_index=True
    )
    # Public pages, search, map and API show published entries only.
    published = models.BooleanField(default=False, db_index=True)
    validated_at = models.DateTimeField(null=True, blank=True)
    validated_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # Set only when a person answerable for the entry confirms it (an editor's reconfirmation, a
    # reviewer's validation), never by an import from public sources.
    last_confirmed_at = models.DateField(_("last confirmed"), null=True, blank=True, db_index=True)
    source_checked_on = models.DateField(
        _("sources read on"),
        null=True,
        blank=True,
        help_text=_("When the public sources of the entry were last read; not a confirmation"),
    )
    # The latest version (EntryVersion.number) and the one the public sees. Editing a published
    # entry adds versions without touching what is published until a reviewer validates.
    version = models.PositiveIntegerField(default=0)
    published_version = models.PositiveIntegerField(null=True, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    submitted_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    return_reason = models.TextField(blank=True)

    class Meta:
        abstract = True
        ordering = ["name"]

    def __str__(self):
        return self.name


class Facility(Entry):
    """A place that stores, treats, recovers or disposes of mercury wastes."""

    class Status(models.TextChoices):
        OPERATING = "operating", _("Operating")
        PLANNED = "planned", _("Planned")
        CLOSED = "closed", _("Closed")
        UNKNOWN = "unknown", _("Unknown")

    class Precision(models.TextChoices):
        SITE = "site", _("Site")
        CITY = "city", _("City")
        REGION = "region", _("Region")

    operator = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        related_name="facilities",
        verbose_name=_("operator"),
    )
    country = models.ForeignKey(Country, on_delete=models.PROTECT, related_name="facilities")
    city = models.CharField(_("city or address"), max_length=300, blank=True)
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)
    coordinates_precision = models.CharField(
        max_length=10, choices=Precision.choices, default=Precision.CITY
    )
    status = models.CharField(
        max_length=20, choices=Status.choices, default=Status.OPERATING, db_index=True
    )
    accepted_wastes = models.ManyToManyField(
        Term, related_name="accepting_facilities", limit_choices_to=_vocabulary("waste_categories")
    )
    phases = models.ManyToManyField(
        Term, related_name="+", blank=True, limit_choices_to=_vocabulary("management_phases")
    )
    technologies = models.ManyToManyField(
        Term,
        related_name="+",
        blank=True,
        limit_choices_to=_vocabulary("treatment_technologies"),
    )
    capacity = models.CharField(_("capacity"), max_length=500, blank=True)
    capacity_tonnes_per_year = models.FloatField(_("capacity (t/year)"), null=True, blank=True)
    permits = models.TextField(_("permits and certifications"), blank=True)
    accepts_foreign_waste = models.BooleanField(
        _("accepts waste from other countries"), null=True, blank=True
    )
    languages = models.ManyToManyField(Language, related_name="+", blank=True)
    contact_route = models.CharField(_("public contact route"), max_length=500, blank=True)

    history = HistoricalRecords(m2m_fields=[accepted_wastes, phases, technologies, languages])

    class Meta(Entry.Meta):
        verbose_name_plural = _("facilities")
        indexes = [
            models.Index(fields=["latitude", "longitude"], name="facility_coordinates"),
            models.Index(fields=["country", "status"], name="facility_country_status"),
        ]

    def get_absolute_url(self):
        return reverse("catalogue-facility-detail", args=[self.pk])

    @property
    def has_coordinates(self) -> bool:
        return self.latitude is not None and self.longitude is not None


class Offering(Entry):
    """A technology, piece of equipment or service, described apart from the facilities using it."""

    class Kind(models.TextChoices):
        TECHNOLOGY = "technology", _("Technology")
        EQUIPMENT = "equipment", _("Equipment")
        SERVICE = "service", _("Service")

    provider = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="offerings", verbose_name=_("provider")
    )
    kind = models.CharField(max_length=20, choices=Kind.choices, db_index=True)
    waste_categories = models.ManyToManyField(
        Term, related_name="+", blank=True, limit_choices_to=_vocabulary("waste_categories")
    )
    phases = models.ManyToManyField(
        Term, related_name="+", blank=True, limit_choices_to=_vocabulary("management_phases")
    )
    technologies = models.ManyToManyField(
        Term,
        related_name="+",
        blank=True,
        limit_choices_to=_vocabulary("treatment_technologies"),
    )
    support_types = models.ManyToManyField(
        Term, related_name="+", blank=True, limit_choices_to=_vocabulary("support_types")
    )
    countries_served = models.ManyToManyField(Country, related_name="+", blank=True)
    regions_served = models.JSONField(
        _("UN M49 regions served"), default=list, blank=True, help_text=_("e.g. Africa, Asia")
    )
    languages = models.ManyToManyField(Language, related_name="+", blank=True)
    facilities = models.ManyToManyField(Facility, related_name="offerings", blank=True)

    history = HistoricalRecords(
        m2m_fields=[
            waste_categories,
            phases,
            technologies,
            support_types,
            countries_served,
            languages,
            facilities,
        ]
    )

    def get_absolute_url(self):
        return reverse("catalogue-offering-detail", args=[self.pk])


class Expert(Entry):
    """A person who advises on mercury waste management or ASGM. The e-mail address is private:
    people reach an expert through the contact form."""

    user = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="expert_profiles"
    )
    organization = models.ForeignKey(
        Organization, null=True, blank=True, on_delete=models.SET_NULL, related_name="experts"
    )
    email = models.EmailField(_("e-mail address (never shown publicly)"))
    country = models.ForeignKey(Country, on_delete=models.PROTECT, related_name="experts")
    languages = models.ManyToManyField(Language, related_name="+", blank=True)
    waste_categories = models.ManyToManyField(
        Term, related_name="+", blank=True, limit_choices_to=_vocabulary("waste_categories")
    )
    phases = models.ManyToManyField(
        Term, related_name="+", blank=True, limit_choices_to=_vocabulary("management_phases")
    )
    support_types = models.ManyToManyField(
        Term, related_name="+", blank=True, limit_choices_to=_vocabulary("support_types")
    )
    nap_elements = models.ManyToManyField(
        Term, related_name="+", blank=True, limit_choices_to=_vocabulary("nap_elements")
    )
    countries_of_experience = models.ManyToManyField(Country, related_name="+", blank=True)
    consent_to_publication = models.BooleanField(_("consents to publication"), default=False)

    history = HistoricalRecords(
        m2m_fields=[
            languages,
            waste_categories,
            phases,
            support_types,
            nap_elements,
            countries_of_experience,
        ]
    )

    def get_absolute_url(self):
        return reverse("catalogue-expert-detail", args=[self.pk])

    @property
    def biography(self) -> str:
        return self.description


class EntryVersion(models.Model):
    """One version of a catalogue entry, in the column layout of the importer; versions are
    never changed nor deleted, so every state of an entry can be read, compared and restored."""

    kind = models.CharField(max_length=20)
    object_id = models.BigIntegerField()
    number = models.PositiveIntegerField()
    data = models.JSONField()
    note = models.CharField(max_length=300, blank=True)
    created_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
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


class ReviewDecision(models.Model):
    """What happened to an entry in review: who, when, which version, why."""

    class Action(models.TextChoices):
        SUBMITTED = "submitted", _("Submitted")
        VALIDATED = "validated", _("Validated")
        RETURNED = "returned", _("Returned")
        REVERTED = "reverted", _("Reverted")
        RECONFIRMED = "reconfirmed", _("Reconfirmed")

    kind = models.CharField(max_length=20)
    object_id = models.BigIntegerField()
    version = models.PositiveIntegerField()
    action = models.CharField(max_length=20, choices=Action.choices)
    reason = models.TextField(blank=True)
    made_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    made_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-made_at"]
        indexes = [models.Index(fields=["kind", "object_id"], name="decision_entry")]

    def __str__(self):
        return f"{self.get_action_display()} {self.kind} {self.object_id} v{self.version}"


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
    opened_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Who was written to when it opened: one e-mail per person, whatever their number of entries.
    recipients = models.PositiveIntegerField(default=0)
    emails_sent = models.PositiveIntegerField(default=0)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    closed_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The progress when it closed, kept as it was then.
    entries_when_closed = models.PositiveIntegerField(null=True, blank=True)
    confirmed_when_closed = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["-year"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("catalogue-campaign-detail", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.closed_at is None
