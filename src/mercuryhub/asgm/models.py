"""Mining sites, the submissions that describe them, and the mercury-to-gold ratios that turn
gold production into an estimate of mercury use."""

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from mercuryhub.forms.models import Project, Submission
from mercuryhub.lib.history import History
from mercuryhub.taxonomy.models import Country


class Practice(models.TextChoices):
    """How gold is recovered at a site, as far as mercury use goes: the practices of the
    mercury-to-gold ratios (asgm/data/asgm_hg_au_ratios.csv)."""

    WHOLE_ORE = "whole-ore-amalgamation", _("Whole ore amalgamation")
    CONCENTRATE = "concentrate-amalgamation", _("Amalgamation of concentrates")
    CONCENTRATE_RETORT = (
        "concentrate-amalgamation-retort",
        _("Amalgamation of concentrates with a retort"),
    )
    MERCURY_FREE = "mercury-free", _("Mercury-free processing")


class WorstPractice(models.TextChoices):
    """The four worst practices of Minamata Convention Annex C 1(b), by the taxonomy's codes
    (baseline.WORST_PRACTICES gives each its flag on a site), with short names for the pages."""

    WHOLE_ORE = "whole-ore-amalgamation", _("Whole ore amalgamation")
    OPEN_BURNING = "open-burning", _("Open burning of amalgam")
    RESIDENTIAL_BURNING = "residential-burning", _("Burning of amalgam in residential areas")
    CYANIDE = (
        "cyanide-on-mercury-tailings",
        _("Cyanide leaching of mercury-contaminated tailings"),
    )


ANNEX_C_REFERENCES = {
    WorstPractice.WHOLE_ORE: "Annex C 1(b)(i)",
    WorstPractice.OPEN_BURNING: "Annex C 1(b)(ii)",
    WorstPractice.RESIDENTIAL_BURNING: "Annex C 1(b)(iii)",
    WorstPractice.CYANIDE: "Annex C 1(b)(iv)",
}


class MercuryMethod(models.TextChoices):
    REPORTED = "reported", _("reported")
    ESTIMATED = "estimated", _("estimated")
    UNKNOWN = "unknown", _("unknown")


class MercuryRatio(models.Model):
    """Kilograms of mercury used per kilogram of gold produced by a practice (low, typical,
    high), with its source: the platform's defaults (no country), or a country's own from a
    national study, which its sites' estimates then use."""

    practice = models.CharField(max_length=40, choices=Practice.choices)
    country = models.ForeignKey(
        Country, null=True, blank=True, on_delete=models.CASCADE, related_name="mercury_ratios"
    )
    label = models.CharField(max_length=300)
    low = models.DecimalField(max_digits=10, decimal_places=4)
    typical = models.DecimalField(max_digits=10, decimal_places=4)
    high = models.DecimalField(max_digits=10, decimal_places=4)
    source = models.TextField()
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["country", "practice"]
        constraints = [
            models.UniqueConstraint(
                fields=["practice", "country"],
                name="asgm_unique_national_ratio",
                condition=Q(country__isnull=False),
            ),
            models.UniqueConstraint(
                fields=["practice"],
                name="asgm_unique_default_ratio",
                condition=Q(country__isnull=True),
            ),
            models.CheckConstraint(
                condition=Q(low__gte=0)
                & Q(low__lte=models.F("typical"))
                & Q(typical__lte=models.F("high")),
                name="asgm_ratio_low_typical_high",
            ),
        ]

    def __str__(self):
        return f"{self.practice} ({self.country_id or 'default'})"


class Site(models.Model):
    """A mining site as its latest approved baseline submission describes it, with what is
    derived from it: its practice, the Annex C worst practices (each with the answer that
    showed it) and its mercury use, reported or estimated, per year."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="asgm_sites")
    country = models.ForeignKey(
        Country, null=True, blank=True, on_delete=models.PROTECT, related_name="asgm_sites"
    )
    code = models.CharField(max_length=100, blank=True)
    name = models.CharField(max_length=200)
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)
    # The coordinates as the public sees them (queries.public_coordinates), kept with the
    # exact ones so that the public's map groups sites on plain columns.
    public_latitude = models.FloatField(null=True, blank=True, editable=False)
    public_longitude = models.FloatField(null=True, blank=True, editable=False)
    admin_area = models.CharField(max_length=200, blank=True)
    deposit_type = models.CharField(max_length=40, blank=True)
    miners = models.PositiveIntegerField(null=True, blank=True)
    women = models.PositiveIntegerField(null=True, blank=True)
    children = models.PositiveIntegerField(null=True, blank=True)
    processing_methods = models.JSONField(default=list, blank=True)
    amalgamation = models.CharField(max_length=40, blank=True)
    retort_use = models.CharField(max_length=40, blank=True)
    burning_places = models.JSONField(default=list, blank=True)
    cyanidation_of_mercury_tailings = models.BooleanField(null=True, blank=True)
    mercury_sources = models.JSONField(default=list, blank=True)
    licensing_status = models.CharField(max_length=40, blank=True)
    gold_kg_per_year = models.DecimalField(max_digits=14, decimal_places=4, null=True, blank=True)
    mercury_reported_kg_per_year = models.DecimalField(
        max_digits=14, decimal_places=4, null=True, blank=True
    )
    # Derived: recomputed whenever the answers or the country's ratios change.
    practice = models.CharField(max_length=40, choices=Practice.choices, blank=True)
    worst_practices = models.JSONField(default=list, blank=True)  # [{code, question, answer}]
    whole_ore_amalgamation = models.BooleanField(default=False)
    open_burning = models.BooleanField(default=False)
    residential_burning = models.BooleanField(default=False)
    cyanide_on_mercury_tailings = models.BooleanField(default=False)
    mercury_method = models.CharField(
        max_length=20, choices=MercuryMethod.choices, default=MercuryMethod.UNKNOWN
    )
    mercury_low_kg_per_year = models.DecimalField(
        max_digits=14, decimal_places=4, null=True, blank=True
    )
    mercury_typical_kg_per_year = models.DecimalField(
        max_digits=14, decimal_places=4, null=True, blank=True
    )
    mercury_high_kg_per_year = models.DecimalField(
        max_digits=14, decimal_places=4, null=True, blank=True
    )
    mercury_ratio = models.ForeignKey(
        MercuryRatio, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    observed_at = models.DateTimeField()
    merged_into = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="merged_sites"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = History()

    class Meta:
        ordering = ["country", "admin_area", "name", "pk"]
        indexes = [
            models.Index(fields=["country", "merged_into"], name="asgm_site_country"),
            models.Index(fields=["project", "code"], name="asgm_site_code"),
            # The overview's list in its order (Meta.ordering), without sorting every site.
            models.Index(
                fields=["country", "admin_area", "name", "id"],
                name="asgm_site_list",
                condition=Q(merged_into=None),
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("asgm-site-detail", args=[self.pk])


class SiteObservation(models.Model):
    """An approved submission that described a site: the site's history of visits. The
    latest one gives the site its answers; merging and splitting sites move observations."""

    site = models.ForeignKey(Site, on_delete=models.CASCADE, related_name="observations")
    submission = models.OneToOneField(
        Submission, on_delete=models.CASCADE, related_name="asgm_observation"
    )
    observed_at = models.DateTimeField()

    class Meta:
        ordering = ["site", "-observed_at", "-pk"]

    def __str__(self):
        return f"{self.site} @ {self.observed_at:%Y-%m-%d}"
