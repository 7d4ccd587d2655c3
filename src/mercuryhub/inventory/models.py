"""National mercury waste inventories in the UNEP Toolkit's way, and the factor sets they draw on.

An inventory is a kind of the review layer (``kinds.py``): its content (title, country, year,
population, the lines) is versioned as one whole; the rows below hold the version the secretariat
validated, or the draft until the first validation. Results are never stored: they are worked
out from a version's lines and the factor sets (``calculation.py``)."""

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from mercuryhub.accounts.models import Organization, User
from mercuryhub.exchange.models import Need
from mercuryhub.review.models import ReviewedEntry
from mercuryhub.taxonomy.models import Country


class FactorSet(models.Model):
    """A published set of default factors (the Toolkit's Inventory Level 1, say), loaded from
    ``data/factor_sets.csv``; each of its factors cites where in it the value stands."""

    code = models.SlugField(max_length=60, unique=True)
    name = models.CharField(_("name"), max_length=300)
    publisher = models.CharField(_("publisher"), max_length=300)
    year = models.PositiveSmallIntegerField(_("year"))
    citation = models.TextField(_("citation"))
    url = models.URLField(_("address"), max_length=500, blank=True)

    class Meta:
        ordering = ["-year", "code"]
        verbose_name = _("factor set")
        verbose_name_plural = _("factor sets")

    def __str__(self):
        return self.name


class Factor(models.Model):
    """One category's input factor (a value or a low–high range, in mercury per unit of
    activity) and, where the source gives it, its distribution over the six output pathways."""

    factor_set = models.ForeignKey(FactorSet, on_delete=models.CASCADE, related_name="factors")
    category = models.CharField(max_length=60)
    input_low = models.DecimalField(max_digits=20, decimal_places=9)
    input_high = models.DecimalField(max_digits=20, decimal_places=9)
    input_unit = models.CharField(max_length=30)
    # {"air": "0.1", …} adding up to 1; empty where the source gives no distribution.
    distribution = models.JSONField(default=dict, blank=True)
    # Where in the source the values stand: "Table 4-12, p. 38".
    source_detail = models.CharField(max_length=300)

    class Meta:
        ordering = ["factor_set", "category"]
        constraints = [
            models.UniqueConstraint(
                fields=["factor_set", "category"], name="inventory_factor_once_per_set"
            )
        ]

    def __str__(self):
        return f"{self.factor_set.code} · {self.category}"


class Inventory(ReviewedEntry):
    """A country's mercury waste inventory for one year, kept by the organization that prepares
    it (its editors draft and submit it; the secretariat validates it)."""

    name = models.CharField(_("title"), max_length=300)
    summary = models.TextField(_("summary"), blank=True)
    country = models.ForeignKey(Country, on_delete=models.PROTECT, related_name="inventories")
    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="inventories"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    # The population the inventory's per-inhabitant checks use (the Toolkit asks for it).
    population = models.PositiveBigIntegerField(_("population"), null=True, blank=True)

    class Meta:
        ordering = ["country__name", "-year", "-pk"]
        verbose_name = _("mercury waste inventory")
        verbose_name_plural = _("mercury waste inventories")
        indexes = [models.Index(fields=["country", "year", "published"])]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("inventory-detail", args=[self.pk])

    @property
    def local_name(self):
        return self.localized("name")

    @property
    def local_summary(self):
        return self.localized("summary")


class InventoryLine(models.Model):
    """One source category of an inventory: its activity in a year and the factor it uses, from
    a factor set or national (with its justification)."""

    inventory = models.ForeignKey(Inventory, on_delete=models.CASCADE, related_name="lines")
    position = models.PositiveSmallIntegerField()
    category = models.CharField(max_length=60)
    activity = models.DecimalField(max_digits=24, decimal_places=6)
    activity_unit = models.CharField(max_length=30)
    # The factor set whose factor the line uses; blank for a national factor only.
    factor_set = models.CharField(max_length=60, blank=True)
    # A national input factor (overrides the set's), with its unit.
    input_low = models.DecimalField(max_digits=20, decimal_places=9, null=True, blank=True)
    input_high = models.DecimalField(max_digits=20, decimal_places=9, null=True, blank=True)
    input_unit = models.CharField(max_length=30, blank=True)
    # A national distribution over the pathways (overrides the set's); empty: the set's.
    distribution = models.JSONField(default=dict, blank=True)
    justification = models.TextField(blank=True)
    note = models.CharField(max_length=1000, blank=True)

    class Meta:
        ordering = ["inventory", "position"]

    def __str__(self):
        return f"{self.inventory} · {self.category}"


class InventoryNeed(models.Model):
    """A need posted in the solution exchange from an inventory, for one of the waste
    categories it counts: the link back that shows the need on the inventory's solutions page
    and keeps a second click from posting it twice."""

    inventory = models.ForeignKey(Inventory, on_delete=models.CASCADE, related_name="needs")
    # The taxonomy's waste category (``vocabulary.json``'s ``waste_category`` of its lines).
    waste_category = models.CharField(max_length=64)
    need = models.OneToOneField(Need, on_delete=models.CASCADE, related_name="inventory_link")
    posted_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["inventory", "waste_category"]
        constraints = [
            models.UniqueConstraint(
                fields=["inventory", "waste_category"], name="inventory_need_once_per_waste"
            )
        ]

    def __str__(self):
        return f"{self.inventory} · {self.waste_category} → need {self.need_id}"
