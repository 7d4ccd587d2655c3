"""The catalogue: facilities that manage mercury wastes, offerings (technologies, equipment,
services) and experts, all tagged with the reference vocabularies."""

from django.db import models
from django.db.models.functions import Cast
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from mercuryhub.accounts.models import Organization, User
from mercuryhub.lib.history import History
from mercuryhub.review.models import ReviewedEntry
from mercuryhub.taxonomy.models import Country, Language, Term

# The whole degrees of a facility's latitude, indexed with its longitude: the facilities near a
# point are read band by band within the longitudes of their box, where an index of latitudes
# alone would read every facility of the box's latitudes, round the world.
LATITUDE_BAND = Cast("latitude", models.IntegerField())


def _vocabulary(name: str) -> dict:
    return {"vocabulary__name": name}


class Entry(ReviewedEntry):
    """What every catalogue entry has besides its review fields: where it came from and when its
    sources were read."""

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
    source_checked_on = models.DateField(
        _("sources read on"),
        null=True,
        blank=True,
        help_text=_("When the public sources of the entry were last read; not a confirmation"),
    )

    class Meta:
        abstract = True
        ordering = ["name"]

    def __str__(self):
        return self.name

    @property
    def local_name(self):
        """The name in the current language, or in another one, saying which."""
        return self.localized("name")

    @property
    def local_description(self):
        return self.localized("description")


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

    history = History(m2m_fields=[accepted_wastes, phases, technologies, languages])

    class Meta(Entry.Meta):
        verbose_name_plural = _("facilities")
        indexes = [
            models.Index(fields=["latitude", "longitude"], name="facility_coordinates"),
            models.Index(LATITUDE_BAND, "longitude", name="facility_latitude_band"),
            models.Index(fields=["country", "status"], name="facility_country_status"),
            # The map page's list, by name: its page is read off the index, not sorted from
            # every facility.
            models.Index(fields=["name", "id"], name="facility_name_order"),
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

    history = History(
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

    history = History(
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


class ExpertLinkRequest(models.Model):
    """An expert's request to be listed under an organization. Only an editor of that
    organization can accept it; until then the organization's editors see nothing of the
    profile beyond what the request shows."""

    class Outcome(models.TextChoices):
        PENDING = "pending", _("Waiting for an answer")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")

    expert = models.ForeignKey(Expert, on_delete=models.CASCADE, related_name="link_requests")
    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="expert_link_requests"
    )
    requested_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    message = models.TextField(_("message to the editors"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    outcome = models.CharField(max_length=20, choices=Outcome.choices, default=Outcome.PENDING)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["expert", "organization"],
                condition=models.Q(outcome="pending"),
                name="one_pending_link_request",
            ),
        ]

    def __str__(self):
        return f"{self.expert} asks to join {self.organization} ({self.outcome})"
