"""The Partnership's working groups (WG1 Resource development, WG2 Capacity-building and
awareness-raising, WG3 Solution exchange) and their work: partners' memberships, the leaders,
three-year workplans with their activities and the partners' endorsements, and the yearly review
reports. The groups' names are the taxonomy's ``working_groups`` terms, translated with them."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from mercuryhub.accounts.models import Organization
from mercuryhub.review.models import ReviewedEntry
from mercuryhub.taxonomy.models import Term


def _person(related_name="+", **options):
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name=related_name,
        **options,
    )


class WorkingGroup(models.Model):
    """One working group, named by its taxonomy term, with its mandate and its rules."""

    term = models.OneToOneField(
        Term,
        on_delete=models.PROTECT,
        related_name="working_group",
        limit_choices_to={"vocabulary__name": "working_groups"},
    )
    position = models.PositiveSmallIntegerField(default=0)
    mandate = models.TextField(_("mandate"), blank=True)
    # The mandate in the other interface languages: {"fr": "…"}.
    mandate_translations = models.JSONField(default=dict, blank=True)
    # Below this number of leaders the group's pages warn.
    minimum_leaders = models.PositiveSmallIntegerField(_("minimum number of leaders"), default=2)

    class Meta:
        ordering = ["position", "term__code"]
        verbose_name = _("working group")
        verbose_name_plural = _("working groups")

    def __str__(self):
        return self.term.label

    def get_absolute_url(self):
        return reverse("partnership-group-detail", args=[self.term.code])

    @property
    def code(self) -> str:
        return self.term.code


class GroupMembership(models.Model):
    """A partner organization's request to join a working group, and the leads' answer."""

    class State(models.TextChoices):
        REQUESTED = "requested", _("Asked to join")
        MEMBER = "member", _("Member")
        DECLINED = "declined", _("Declined")
        LEFT = "left", _("Left")

    group = models.ForeignKey(WorkingGroup, on_delete=models.CASCADE, related_name="memberships")
    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="group_memberships"
    )
    state = models.CharField(max_length=20, choices=State.choices, default=State.REQUESTED)
    message = models.TextField(_("why the organization wishes to join"), blank=True)
    requested_by = _person()
    requested_at = models.DateTimeField(auto_now_add=True)
    decided_by = _person()
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["group", "organization__name"]
        constraints = [
            models.UniqueConstraint(fields=["group", "organization"], name="group_membership_once")
        ]

    def __str__(self):
        return f"{self.organization} in {self.group} ({self.state})"


class Leadership(models.Model):
    """A person leading a working group for their organization, from one date until another.
    Nobody leads two groups at once: one open leadership per person, held by the database."""

    class Gender(models.TextChoices):
        WOMAN = "woman", _("Woman")
        MAN = "man", _("Man")
        ANOTHER = "another", _("Another gender")
        UNDISCLOSED = "undisclosed", _("Not disclosed")

    group = models.ForeignKey(WorkingGroup, on_delete=models.CASCADE, related_name="leaderships")
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="group_leaderships"
    )
    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="group_leaderships"
    )
    gender = models.CharField(
        _("gender"), max_length=20, choices=Gender.choices, default=Gender.UNDISCLOSED
    )
    started_on = models.DateField(_("leads since"))
    ended_on = models.DateField(_("led until"), null=True, blank=True)
    appointed_by = _person()

    class Meta:
        ordering = ["group", "-started_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["person"],
                condition=Q(ended_on__isnull=True),
                name="one_open_leadership_per_person",
            )
        ]

    def __str__(self):
        return f"{self.person} leads {self.group}"


class Workplan(ReviewedEntry):
    """A working group's workplan for up to three years, drafted by its leads' organization,
    published through the review layer, endorsed by partners."""

    group = models.ForeignKey(WorkingGroup, on_delete=models.PROTECT, related_name="workplans")
    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="workplans"
    )
    name = models.CharField(_("title"), max_length=300)
    summary = models.TextField(_("summary"), blank=True)
    first_year = models.PositiveSmallIntegerField(_("first year"))
    last_year = models.PositiveSmallIntegerField(_("last year"))

    class Meta:
        ordering = ["group", "-first_year", "-pk"]
        verbose_name = _("workplan")
        verbose_name_plural = _("workplans")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("partnership-workplan-detail", args=[self.pk])

    @property
    def local_name(self):
        return self.localized("name")

    @property
    def local_summary(self):
        return self.localized("summary")


class WorkplanActivity(models.Model):
    """One activity of a workplan's published (or first draft) version, with its status."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        ONGOING = "ongoing", _("Ongoing")
        DONE = "done", _("Done")
        POSTPONED = "postponed", _("Postponed")
        CANCELLED = "cancelled", _("Cancelled")

    workplan = models.ForeignKey(Workplan, on_delete=models.CASCADE, related_name="activities")
    position = models.PositiveSmallIntegerField()
    name = models.CharField(_("activity"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    lead = models.CharField(_("led by"), max_length=300, blank=True)
    year = models.PositiveSmallIntegerField(_("year"))
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PLANNED
    )
    output = models.TextField(_("expected output"), blank=True)

    class Meta:
        ordering = ["workplan", "position"]

    def __str__(self):
        return self.name


class Endorsement(models.Model):
    """A partner's endorsement of a workplan, as published in a given version."""

    workplan = models.ForeignKey(Workplan, on_delete=models.CASCADE, related_name="endorsements")
    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="endorsements"
    )
    version = models.PositiveIntegerField()
    endorsed_by = _person()
    endorsed_at = models.DateTimeField(auto_now_add=True)
    comment = models.TextField(_("comment"), blank=True)

    class Meta:
        ordering = ["workplan", "endorsed_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["workplan", "organization"], name="endorsement_once_per_partner"
            )
        ]

    def __str__(self):
        return f"{self.organization} endorses {self.workplan}"


class ReviewReport(ReviewedEntry):
    """A working group's yearly review report (outputs, challenges, lessons learned), due by a
    date; reminders go to the group's leaders before and after it."""

    group = models.ForeignKey(WorkingGroup, on_delete=models.PROTECT, related_name="reports")
    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="review_reports"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    due_on = models.DateField(_("due on"))
    name = models.CharField(_("title"), max_length=300)
    outputs = models.TextField(_("outputs"), blank=True)
    challenges = models.TextField(_("challenges"), blank=True)
    lessons_learned = models.TextField(_("lessons learned"), blank=True)
    last_reminded_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["group", "-year"]
        verbose_name = _("review report")
        verbose_name_plural = _("review reports")
        constraints = [
            models.UniqueConstraint(fields=["group", "year"], name="review_report_once_a_year")
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("partnership-report-detail", args=[self.pk])

    @property
    def local_name(self):
        return self.localized("name")

    @property
    def local_outputs(self):
        return self.localized("outputs")
