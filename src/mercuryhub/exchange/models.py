"""The solution exchange's records. A need is what a stakeholder asks for: a kind of the review
layer (its texts versioned, in several languages, moderated or published on submission) with,
outside its versioned content, where it stands in the exchange (open, in contact, matched,
closed) and when it got there."""

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from mercuryhub.accounts.models import Organization, User
from mercuryhub.lib.history import History
from mercuryhub.review.models import ReviewedEntry
from mercuryhub.taxonomy.models import Country, Language, Term


def _tags(vocabulary: str, verbose_name) -> models.ManyToManyField:
    return models.ManyToManyField(
        Term,
        related_name="+",
        blank=True,
        limit_choices_to={"vocabulary__name": vocabulary},
        verbose_name=verbose_name,
    )


class Need(ReviewedEntry):
    """What a stakeholder needs: help with a waste, a phase, a kind of support, in a country,
    within a timeframe, with or without funding."""

    class Visibility(models.TextChoices):
        PUBLIC = "public", _("Public")
        PARTNERS = "partners", _("Partners only")

    class State(models.TextChoices):
        OPEN = "open", _("Open")
        IN_CONTACT = "in_contact", _("In contact")
        MATCHED = "matched", _("Matched")
        CLOSED = "closed", _("Closed")

    # The title; named ``name`` as every kind's display name is.
    name = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("description"))
    country = models.ForeignKey(Country, on_delete=models.PROTECT, related_name="needs")
    waste_categories = _tags("waste_categories", _("waste categories"))
    phases = _tags("management_phases", _("management phases"))
    support_types = _tags("support_types", _("types of support"))
    languages = models.ManyToManyField(Language, related_name="+", blank=True)
    needed_from = models.DateField(_("needed from"), null=True, blank=True)
    needed_by = models.DateField(_("needed by"), null=True, blank=True)
    funding_status = models.ForeignKey(
        Term,
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"vocabulary__name": "funding_statuses"},
        verbose_name=_("funding status"),
    )
    visibility = models.CharField(
        _("visibility"), max_length=10, choices=Visibility.choices, default=Visibility.PUBLIC
    )
    # The person who posted it, and the organization they posted it for, if any: both edit it.
    owner = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="needs"
    )
    organization = models.ForeignKey(
        Organization, null=True, blank=True, on_delete=models.SET_NULL, related_name="needs"
    )

    # Where the need stands in the exchange: not versioned content, changed by the exchange's
    # own actions (exchange.actions), each change dated.
    state = models.CharField(
        _("state"), max_length=12, choices=State.choices, default=State.OPEN, db_index=True
    )
    in_contact_at = models.DateTimeField(_("in contact since"), null=True, blank=True)
    matched_at = models.DateTimeField(_("matched on"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed on"), null=True, blank=True)
    closed_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    outcome = models.TextField(_("outcome"), blank=True)

    history = History(m2m_fields=["waste_categories", "phases", "support_types", "languages"])

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("exchange-need-detail", args=[self.pk])

    @property
    def local_name(self):
        return self.localized("name")

    @property
    def local_description(self):
        return self.localized("description")


class Offer(models.Model):
    """A partner's answer to a need: what they offer, in their words. When the need's owner
    accepts it, each side receives the other's contact details by e-mail."""

    class State(models.TextChoices):
        PROPOSED = "proposed", _("Proposed")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")

    need = models.ForeignKey(Need, on_delete=models.CASCADE, related_name="offers")
    offered_by = models.ForeignKey(User, on_delete=models.CASCADE, related_name="offers")
    organization = models.ForeignKey(
        Organization, null=True, blank=True, on_delete=models.SET_NULL, related_name="offers"
    )
    message = models.TextField(_("what you offer"))
    state = models.CharField(
        _("state"), max_length=10, choices=State.choices, default=State.PROPOSED
    )
    created_at = models.DateTimeField(auto_now_add=True)
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["need", "offered_by"], name="one_offer_per_person")
        ]

    def __str__(self):
        return f"{self.offered_by} → {self.need}"


class NeedNote(models.Model):
    """A note the secretariat adds to a need for the response list: what answers it, who to
    ask, what is under way."""

    need = models.ForeignKey(Need, on_delete=models.CASCADE, related_name="notes")
    text = models.TextField(_("note"))
    author = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"{self.need}: {self.text[:40]}"


class NeedAlert(models.Model):
    """A partner's subscription to the needs that fit their work: new needs on these waste
    categories (or broader or narrower ones), phases and regions reach them in an e-mail digest.
    Empty choices mean any."""

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="need_alert")
    waste_categories = _tags("waste_categories", _("waste categories"))
    phases = _tags("management_phases", _("management phases"))
    regions = models.JSONField(_("regions"), default=list, blank=True)  # UN M49 names
    created_at = models.DateTimeField(auto_now_add=True)
    last_sent_at = models.DateTimeField(null=True, blank=True)

    def __str__(self):
        return f"{self.user}: needs alert"


class QuestionnaireNeed(models.Model):
    """A need posted from an approved answer to the WMA needs questionnaire (one per type of
    support the respondent asked for): the link back to the submission, which keeps approving it
    again from posting the need twice."""

    need = models.OneToOneField(Need, on_delete=models.CASCADE, related_name="questionnaire")
    submission = models.ForeignKey(
        "forms.Submission", on_delete=models.CASCADE, related_name="exchange_needs"
    )
    support_type = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["submission", "support_type"]
        constraints = [
            models.UniqueConstraint(
                fields=["submission", "support_type"], name="one_need_per_support_type"
            )
        ]

    def __str__(self):
        return f"{self.need} ← submission {self.submission_id}"
