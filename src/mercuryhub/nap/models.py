"""National Action Plans on artisanal and small-scale gold mining (Minamata Convention Article 7
and Annex C), the peer review of their drafts, the assistance countries ask of the secretariat,
and the reference data on NAPs around the world.

A plan is a kind of the review layer (``kinds.py``): its content (title, period, the text of each
section, objectives, actions, stakeholders, the baseline figures) is versioned as one whole; the
rows below hold the version its country team last published, or its draft until the first
publication. The builder works on the latest version (``review.queries.latest_data``)."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from mercuryhub.accounts.models import Organization
from mercuryhub.review.models import ReviewedEntry
from mercuryhub.taxonomy.models import Country


def _person(related_name="+", **options):
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name=related_name,
        **options,
    )


class NationalActionPlan(ReviewedEntry):
    """A country's ASGM National Action Plan, kept by the organization of its country team (the
    editors of that organization draft and publish it)."""

    # The title; named ``name`` as every kind's display name is.
    name = models.CharField(_("title"), max_length=300)
    # The executive summary, which the plan may give in the six languages.
    summary = models.TextField(_("summary"), blank=True)
    country = models.ForeignKey(Country, on_delete=models.PROTECT, related_name="action_plans")
    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="action_plans"
    )
    period_start = models.PositiveSmallIntegerField(_("first year"), null=True, blank=True)
    period_end = models.PositiveSmallIntegerField(_("last year"), null=True, blank=True)
    # The national overview's figures the baseline cites, as filled in from the ASGM overview:
    # {"as_of": "2026-12-03", "source": "…", "sites": 12, "miners": …}.
    baseline = models.JSONField(_("baseline figures"), default=dict, blank=True)
    # When the country sent it to the Minamata Convention's secretariat, if it did.
    submitted_to_convention_on = models.DateField(
        _("submitted to the Convention on"), null=True, blank=True
    )

    class Meta:
        ordering = ["country__name", "-pk"]
        verbose_name = _("National Action Plan")
        verbose_name_plural = _("National Action Plans")
        indexes = [models.Index(fields=["country", "published"])]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("nap-plan-detail", args=[self.pk])

    @property
    def local_name(self):
        return self.localized("name")

    @property
    def local_summary(self):
        return self.localized("summary")


class PlanSection(models.Model):
    """The text of one part of a plan (Markdown, shown sanitized): the introduction, the
    national overview, an Annex C element (a)–(k) or the additional strategies of paragraph 2."""

    plan = models.ForeignKey(NationalActionPlan, on_delete=models.CASCADE, related_name="sections")
    code = models.CharField(max_length=20)
    text = models.TextField(blank=True)

    class Meta:
        ordering = ["plan", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "code"], name="nap_section_once_per_plan")
        ]

    def __str__(self):
        return f"{self.plan} § {self.code}"


class PlanObjective(models.Model):
    plan = models.ForeignKey(
        NationalActionPlan, on_delete=models.CASCADE, related_name="objectives"
    )
    position = models.PositiveSmallIntegerField()
    element = models.CharField(max_length=20)
    indicator = models.CharField(max_length=500)
    baseline = models.CharField(max_length=200, blank=True)
    target = models.CharField(max_length=200, blank=True)
    year = models.PositiveSmallIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["plan", "position"]

    def __str__(self):
        return self.indicator


class PlanAction(models.Model):
    plan = models.ForeignKey(NationalActionPlan, on_delete=models.CASCADE, related_name="actions")
    position = models.PositiveSmallIntegerField()
    element = models.CharField(max_length=20)
    activity = models.CharField(max_length=1000)
    responsible_body = models.CharField(max_length=300, blank=True)
    partners = models.CharField(max_length=500, blank=True)
    start = models.DateField(null=True, blank=True)
    end = models.DateField(null=True, blank=True)
    budget = models.DecimalField(max_digits=16, decimal_places=2, null=True, blank=True)
    currency = models.CharField(max_length=3, blank=True)
    funding_source = models.CharField(max_length=300, blank=True)
    # The Annex C 1(b) worst practices the action eliminates (codes of ``worst_practices``).
    worst_practices = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["plan", "position"]

    def __str__(self):
        return self.activity


class PlanStakeholder(models.Model):
    plan = models.ForeignKey(
        NationalActionPlan, on_delete=models.CASCADE, related_name="stakeholders"
    )
    position = models.PositiveSmallIntegerField()
    name = models.CharField(max_length=300)
    # A code of the ``stakeholder_types`` vocabulary.
    stakeholder_type = models.CharField(max_length=60, blank=True)
    role = models.CharField(max_length=1000, blank=True)

    class Meta:
        ordering = ["plan", "position"]

    def __str__(self):
        return self.name


# -- Peer review ----------------------------------------------------------------------------


class ReviewRound(models.Model):
    """A round of technical peer review of a plan's draft, opened by its country team."""

    plan = models.ForeignKey(
        NationalActionPlan, on_delete=models.CASCADE, related_name="review_rounds"
    )
    number = models.PositiveSmallIntegerField()
    # The plan's version the reviewers read.
    version = models.PositiveIntegerField()
    opened_at = models.DateTimeField(auto_now_add=True)
    opened_by = _person()
    due_on = models.DateField(_("comments due on"), null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = _person()
    summary = models.TextField(_("summary of the review"), blank=True)

    class Meta:
        ordering = ["plan", "number"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="nap_review_round_number")
        ]

    def __str__(self):
        return f"{self.plan}, review round {self.number}"


class ReviewInvitation(models.Model):
    """A reviewer asked to comment in a round: a user of the platform, or an expert of the
    catalogue (who comments once signed in with the expert's address)."""

    round = models.ForeignKey(ReviewRound, on_delete=models.CASCADE, related_name="invitations")
    reviewer = _person("nap_review_invitations")
    expert = models.ForeignKey(
        "catalogue.Expert", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    email = models.EmailField()
    invited_at = models.DateTimeField(auto_now_add=True)
    invited_by = _person()

    class Meta:
        ordering = ["round", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["round", "email"], name="nap_invited_once_per_round")
        ]

    def __str__(self):
        return f"{self.email} ({self.round})"


class ReviewComment(models.Model):
    """A comment anchored to a section of the plan, open until the country team resolves it."""

    class State(models.TextChoices):
        OPEN = "open", _("Open")
        RESOLVED = "resolved", _("Resolved")

    round = models.ForeignKey(ReviewRound, on_delete=models.CASCADE, related_name="comments")
    section = models.CharField(max_length=20)
    author = _person()
    text = models.TextField()
    state = models.CharField(max_length=10, choices=State.choices, default=State.OPEN)
    created_at = models.DateTimeField(auto_now_add=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = _person()
    resolution = models.TextField(_("how it was resolved"), blank=True)

    class Meta:
        ordering = ["round", "pk"]
        indexes = [models.Index(fields=["round", "section", "state"])]

    def __str__(self):
        return f"{self.round} § {self.section}: {self.text[:60]}"


# -- Assistance -----------------------------------------------------------------------------


class AssistanceRequest(models.Model):
    """A country's request for the secretariat's help with its plan."""

    class Kind(models.TextChoices):
        RECOMMENDATIONS = "recommendations", _("Expert recommendations")
        CONSULTATION = "consultation", _("Consultation")
        PEER_REVIEW = "peer_review", _("Technical peer review")
        WORKSHOP = "workshop", _("Workshop")

    class State(models.TextChoices):
        REQUESTED = "requested", _("Requested")
        ASSIGNED = "assigned", _("Experts assigned")
        COMPLETED = "completed", _("Completed")
        DECLINED = "declined", _("Declined")

    country = models.ForeignKey(Country, on_delete=models.PROTECT, related_name="+")
    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    plan = models.ForeignKey(
        NationalActionPlan,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assistance_requests",
    )
    kind = models.CharField(_("kind of assistance"), max_length=20, choices=Kind.choices)
    description = models.TextField(_("what is needed"))
    # The Annex C elements the request is about (codes of ``nap_elements``).
    elements = models.JSONField(default=list, blank=True)
    requested_by = _person()
    requested_at = models.DateTimeField(auto_now_add=True)
    state = models.CharField(max_length=20, choices=State.choices, default=State.REQUESTED)
    experts = models.ManyToManyField("catalogue.Expert", blank=True, related_name="+")
    assigned_by = _person()
    assigned_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    # The secretariat's note on assigning, completing or declining.
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["-requested_at"]
        indexes = [models.Index(fields=["state", "requested_at"])]

    def __str__(self):
        return f"{self.get_kind_display()} for {self.country}"


# -- NAPs around the world (reference data) --------------------------------------------------


class PlanStatus(models.Model):
    """Where a country stands with its NAP, as the reference data records it."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("Submitted")
        IN_DEVELOPMENT = "in-development", _("In development")
        UNKNOWN = "unknown", _("Unknown")

    country = models.OneToOneField(
        Country, on_delete=models.PROTECT, primary_key=True, related_name="nap_status"
    )
    status = models.CharField(max_length=20, choices=Status.choices)
    submitted_on = models.DateField(null=True, blank=True)
    language = models.CharField(max_length=10, blank=True)
    notes = models.TextField(blank=True)
    source = models.TextField(blank=True)

    class Meta:
        ordering = ["country__name"]
        verbose_name_plural = _("NAP statuses")

    def __str__(self):
        return f"{self.country}: {self.get_status_display()}"


class BudgetLine(models.Model):
    """One line of a published NAP's budget, coded by theme (the reference dataset of 16 NAPs).
    Both amounts are kept as published; ``conversion_consistent`` says whether the USD amount
    is the original amount divided by the conversion rate."""

    country = models.ForeignKey(Country, on_delete=models.PROTECT, related_name="+")
    line = models.PositiveIntegerField()
    theme = models.CharField(max_length=40)
    strategy = models.TextField(blank=True)
    item = models.TextField()
    cost_original = models.DecimalField(max_digits=18, decimal_places=2)
    currency = models.CharField(max_length=3)
    conversion = models.DecimalField(max_digits=18, decimal_places=6)
    cost_usd = models.DecimalField(max_digits=18, decimal_places=2)
    conversion_consistent = models.BooleanField()
    language = models.CharField(max_length=10, blank=True)

    class Meta:
        ordering = ["country__name", "line"]
        constraints = [
            models.UniqueConstraint(fields=["country", "line"], name="nap_budget_line_once")
        ]
        indexes = [models.Index(fields=["theme"])]

    def __str__(self):
        return f"{self.country} line {self.line}"
