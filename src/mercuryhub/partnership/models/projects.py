"""Past and ongoing mercury waste and ASGM projects: who ran them, where, with whose money, over
which years, with which partners and lessons; on a map, searchable, linked to the library's case
studies and offered by the matching engine."""

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from mercuryhub.accounts.models import Organization
from mercuryhub.library.models import CaseStudy
from mercuryhub.review.models import ReviewedEntry
from mercuryhub.taxonomy.models import Country, Term


class Project(ReviewedEntry):
    """A project kept by the organization that ran it (or the secretariat), published through
    the review layer."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        ONGOING = "ongoing", _("Ongoing")
        COMPLETED = "completed", _("Completed")

    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="partnership_projects"
    )
    name = models.CharField(_("title"), max_length=300)
    summary = models.TextField(_("summary"), blank=True)
    lessons_learned = models.TextField(_("lessons learned"), blank=True)
    countries = models.ManyToManyField(Country, related_name="partnership_projects")
    # The funders, as free names ("Global Environment Facility (GEF)", "Specific International
    # Programme"); one per line.
    funder = models.CharField(_("funder"), max_length=300, blank=True)
    first_year = models.PositiveSmallIntegerField(_("first year"), null=True, blank=True)
    last_year = models.PositiveSmallIntegerField(_("last year"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.ONGOING
    )
    budget = models.DecimalField(
        _("budget"), max_digits=16, decimal_places=2, null=True, blank=True
    )
    # ISO 4217 code of the budget's currency.
    budget_currency = models.CharField(_("currency"), max_length=3, blank=True)
    partners = models.ManyToManyField(
        Organization, blank=True, related_name="partnered_projects", verbose_name=_("partners")
    )
    waste_categories = models.ManyToManyField(
        Term,
        blank=True,
        related_name="partnership_projects",
        limit_choices_to={"vocabulary__name": "waste_categories"},
        verbose_name=_("waste categories"),
    )
    partnership_areas = models.ManyToManyField(
        Term,
        blank=True,
        related_name="area_projects",
        limit_choices_to={"vocabulary__name": "partnership_areas"},
        verbose_name=_("Partnership areas"),
    )
    case_studies = models.ManyToManyField(
        CaseStudy, blank=True, related_name="projects", verbose_name=_("case studies")
    )
    website = models.URLField(_("website"), max_length=500, blank=True)
    # A point to show the project on the map where it has no single country's centre.
    latitude = models.FloatField(_("latitude"), null=True, blank=True)
    longitude = models.FloatField(_("longitude"), null=True, blank=True)
    # The key of a project in a spreadsheet (the starter data's), so that importing the same
    # file again updates it.
    external_id = models.CharField(
        _("external identifier"), max_length=100, null=True, blank=True, unique=True
    )

    class Meta:
        ordering = ["-first_year", "name", "pk"]
        verbose_name = _("project")
        verbose_name_plural = _("projects")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("partnership-project-detail", args=[self.pk])

    @property
    def local_name(self):
        return self.localized("name")

    @property
    def local_summary(self):
        return self.localized("summary")

    @property
    def local_description(self):
        """The summary, under the name the matching engine quotes words from."""
        return self.local_summary

    @property
    def local_lessons_learned(self):
        return self.localized("lessons_learned")
