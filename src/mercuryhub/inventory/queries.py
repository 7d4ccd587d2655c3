"""Permission-scoped reads of mercury waste inventories: the one permission model of the app.

- The public reads what the secretariat validated (the inventory's rows, its published version).
- The editors of the inventory's organization and administrators read and change the latest
  version.
- The secretariat (reviewers of the platform) reads every inventory, drafts included, to review.
Anyone else is told an inventory that is not published does not exist (404).

Also the facilities that accept each waste the inventory counts (the catalogue's finder, nearest
the inventory's country first) and the needs posted from it in the solution exchange."""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from mercuryhub.accounts.queries import is_reviewer, organizations_editable_by
from mercuryhub.catalogue.queries import Found, find_facilities
from mercuryhub.exchange.models import Need
from mercuryhub.exchange.queries import needs_visible_to
from mercuryhub.inventory.calculation import FactorTable, FactorValues, Range, Results, calculate
from mercuryhub.inventory.models import Factor, FactorSet, Inventory, InventoryNeed
from mercuryhub.lib.errors import InvalidInputError
from mercuryhub.review.models import ReviewState
from mercuryhub.review.queries import can_edit_entry, latest_data
from mercuryhub.taxonomy.models import Term
from mercuryhub.taxonomy.queries import terms_of

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


def factor_sets_cited(data: dict) -> QuerySet[FactorSet]:
    """The factor sets the lines of a version cite."""
    codes = {line.get("factor_set") for line in data.get("lines") or []} - {"", None}
    return FactorSet.objects.filter(code__in=codes).order_by("code")


def waste_category_labels() -> dict[str, str]:
    """The taxonomy's waste categories, code → label in the reader's language."""
    return {term.code: term.localized_label for term in terms_of("waste_categories")}


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


def get_inventory_for_team(user, pk: int) -> Inventory:
    """An inventory its organization's editors change: 403 to those who read it but may not
    change it, 404 to those who may not read it."""
    inventory = get_inventory_for_user(user, pk)
    if not may_edit(user, inventory):
        raise PermissionDenied("Only the editors of the inventory's organization change it")
    return inventory


def inventory_state(inventory: Inventory) -> str:
    """draft (never published), submitted, published, or changed (published, with later
    changes not yet validated)."""
    if inventory.review_state == ReviewState.SUBMITTED:
        return "submitted"
    if not inventory.published:
        return "draft"
    if inventory.version != inventory.published_version:
        return "changed"
    return "published"


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


# Solutions: facilities for each waste, needs posted in the exchange -------------------------

# The facilities listed for each waste; the catalogue's finder lists the others.
FACILITIES_PER_WASTE = 10


@dataclass
class Solution:
    """One waste category the inventory counts mercury in: how much, the published facilities
    that accept it (nearest the inventory's country first), and the need posted for it in the
    solution exchange (``posted``; ``need`` when the reader may see it)."""

    waste: Term
    quantity: Range
    found: list[Found]
    posted: bool = False
    need: Need | None = None

    @property
    def transboundary(self) -> bool:
        """Whether a facility found lies in another country than the inventory's."""
        return any(found.transboundary for found in self.found)


def wastes_with_quantities(results: Results) -> dict[str, Range]:
    """The taxonomy's waste categories the results count some mercury in, the most first."""
    found = {code: value for code, value in results.by_waste_category().items() if value.high > 0}
    return dict(sorted(found.items(), key=lambda item: (-item[1].high, item[0])))


def solutions_for(user, inventory: Inventory, results: Results) -> tuple[list[Solution], bool]:
    """A ``Solution`` per waste category the results count mercury in, and whether the
    distances could be worked out (False when the inventory's country has no known centre:
    the facilities then come without)."""
    quantities = wastes_with_quantities(results)
    terms = {term.code: term for term in terms_of("waste_categories").filter(code__in=quantities)}
    links = {
        link.waste_category: link.need
        for link in InventoryNeed.objects.filter(inventory=inventory).select_related("need")
    }
    readable = _readable_needs(user, inventory, [need.pk for need in links.values()])
    solutions, located = [], True
    for code, quantity in quantities.items():
        if code not in terms:
            continue
        try:
            found = find_facilities(
                user, waste=(code,), country=inventory.country_id, limit=FACILITIES_PER_WASTE
            )
        except InvalidInputError:
            found, located = [], False
        need = links.get(code)
        solutions.append(
            Solution(
                waste=terms[code],
                quantity=quantity,
                found=found,
                posted=need is not None,
                need=need if need is not None and need.pk in readable else None,
            )
        )
    return solutions, located


def _readable_needs(user, inventory: Inventory, ids: list[int]) -> set[int]:
    """The needs among ``ids`` the person may open: all of them for the inventory's editors
    (who posted them), else those published for them."""
    if not ids:
        return set()
    if may_edit(user, inventory):
        return set(ids)
    return set(needs_visible_to(user).filter(pk__in=ids).values_list("pk", flat=True))


def inventories_to_compare(user) -> QuerySet[Inventory]:
    """The inventories a person may put side by side: those they may read, a country's years
    in order."""
    return inventories_visible_to(user).order_by("country__name", "year", "pk")


def compared_versions(user, inventories) -> list[tuple[Inventory, ReadVersion]]:
    """Each inventory (``inventories_to_compare`` gave them) with the version the person reads
    and its results, on one load of the factor sets."""
    table = factor_table()
    return [(inventory, read_version(user, inventory, table)) for inventory in inventories]
