"""Permission-scoped reads of mercury waste inventories: the one permission model of the app.

- The public reads what the secretariat validated (the inventory's rows, its published version).
- The editors of the inventory's organization and administrators read and change the latest
  version.
- The secretariat (reviewers of the platform) reads every inventory, drafts included, to review.
Anyone else is told an inventory that is not published does not exist (404)."""

from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.http import Http404

from mercuryhub.accounts.queries import is_reviewer, organizations_editable_by
from mercuryhub.inventory.calculation import FactorTable, FactorValues, Results, calculate
from mercuryhub.inventory.models import Factor, FactorSet, Inventory
from mercuryhub.review.queries import can_edit_entry, latest_data

KIND_NAME = "inventory"


def factor_table() -> FactorTable:
    """Every cited factor, by (factor set, category), in one query."""
    return {
        (factor.factor_set.code, factor.category): FactorValues(
            factor_set=factor.factor_set.code,
            category=factor.category,
            low=factor.input_low,
            high=factor.input_high,
            unit=factor.input_unit,
            distribution=factor.distribution,
            source_detail=factor.source_detail,
        )
        for factor in Factor.objects.select_related("factor_set")
    }


def factor_sets() -> QuerySet[FactorSet]:
    return FactorSet.objects.prefetch_related("factors")


def get_factor_set(code: str) -> FactorSet:
    found = factor_sets().filter(code=code).first()
    if found is None:
        raise Http404(f"No factor set {code}")
    return found


def may_edit(user, inventory: Inventory) -> bool:
    """Editors of the inventory's organization (and administrators)."""
    return can_edit_entry(user, inventory)


def may_read_drafts(user, inventory: Inventory) -> bool:
    return may_edit(user, inventory) or is_reviewer(user)


def inventories_visible_to(user) -> QuerySet[Inventory]:
    """Published inventories, and those whose drafts the person may read."""
    inventories = Inventory.objects.select_related("country", "organization")
    if user.is_authenticated and is_reviewer(user):
        return inventories
    condition = Q(published=True)
    if user.is_authenticated and user.is_active:
        condition |= Q(organization__in=organizations_editable_by(user))
    return inventories.filter(condition)


def published_inventories() -> QuerySet[Inventory]:
    return Inventory.objects.filter(published=True).select_related("country", "organization")


def get_inventory_for_user(user, pk: int) -> Inventory:
    inventory = Inventory.objects.select_related("country", "organization").filter(pk=pk).first()
    if inventory is None or not (inventory.published or may_read_drafts(user, inventory)):
        raise Http404(f"No inventory {pk}")
    return inventory


@dataclass(frozen=True)
class ReadVersion:
    """The version of an inventory a person reads: its number, its content in the
    serialization's shape, whether it is the latest rather than the published one, and its
    results."""

    number: int | None
    data: dict
    latest: bool
    results: Results


def read_version(user, inventory: Inventory, table: FactorTable | None = None) -> ReadVersion:
    """The latest version for those who may change it and for the secretariat, else the
    published one; with its results worked out on the factor sets loaded now."""
    table = factor_table() if table is None else table
    if may_read_drafts(user, inventory):
        data = latest_data(KIND_NAME, inventory)
        number, latest = inventory.version, True
    else:
        from mercuryhub.inventory.kinds import KIND

        data = KIND.serialize(inventory)
        number, latest = inventory.published_version, False
    return ReadVersion(number, data, latest, results_of(data, table))


def results_of(data: dict, table: FactorTable) -> Results:
    return calculate(data, table)


def inventories_to_compare(user) -> QuerySet[Inventory]:
    """The inventories a person may put side by side: those they may read, a country's years
    in order."""
    return inventories_visible_to(user).order_by("country__name", "year", "pk")


def compared_versions(user, inventories) -> list[tuple[Inventory, ReadVersion]]:
    """Each inventory (``inventories_to_compare`` gave them) with the version the person reads
    and its results, on one load of the factor sets."""
    table = factor_table()
    return [(inventory, read_version(user, inventory, table)) for inventory in inventories]
