"""Every write of the inventory app. An inventory's content changes only through the review
layer (``review.actions``: drafts, versioned edits with conflict detection, submission,
validation), which calls ``do_save_inventory`` through the kind; each edit below is one version.
The factor sets are loaded by ``reference.do_load_factor_sets``. ``do_post_inventory_need`` posts
a need in the solution exchange for a waste the inventory counts."""

from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from mercuryhub.accounts.models import User
from mercuryhub.catalogue.fields import CleanEntry
from mercuryhub.exchange.models import Need
from mercuryhub.inventory.calculation import Range
from mercuryhub.inventory.models import Inventory, InventoryLine, InventoryNeed
from mercuryhub.inventory.queries import may_edit, read_version, wastes_with_quantities
from mercuryhub.inventory.templatetags.inventory_tags import range_text
from mercuryhub.lib.errors import InvalidInputError, StateError
from mercuryhub.review import actions as review
from mercuryhub.review.indexing import do_index_entries
from mercuryhub.review.queries import latest_data, require
from mercuryhub.review.translations import requested_language
from mercuryhub.taxonomy.models import Term
from mercuryhub.taxonomy.queries import terms_of

KIND_NAME = "inventory"


def do_save_inventory(checked: CleanEntry, *, instance=None, user=None, **state) -> Inventory:
    """Write an inventory's checked content into its rows (the review layer calls this for a
    draft never validated, and on validation); keeps the search index in step."""
    inventory = review.do_write_entry_row(instance or Inventory(), checked.values, user, **state)
    inventory.lines.all().delete()
    InventoryLine.objects.bulk_create(
        InventoryLine(
            inventory=inventory,
            position=number,
            **line,
        )
        for number, line in enumerate(checked.relations["lines"], start=1)
    )
    from mercuryhub.inventory.kinds import KIND

    do_index_entries(KIND, [inventory])
    return inventory


def do_create_inventory(user: User, data: dict) -> Inventory:
    """A new inventory, as a draft its organization's editors see."""
    return review.do_create_draft(KIND_NAME, user, {"lines": [], **data})


def do_edit_inventory(user: User, inventory, changes: dict, *, base_version: int) -> Inventory:
    """One versioned edit of the inventory's latest content (``changes`` over it)."""
    return review.do_edit_entry(KIND_NAME, user, inventory, changes, base_version=base_version)


def do_save_line(user: User, inventory, number: int | None, line: dict, *, base_version: int):
    """Add a line (``number`` None) or replace line ``number`` (1-based), as one version."""
    lines = list(latest_data(KIND_NAME, inventory).get("lines") or [])
    if number is None:
        lines.append(line)
    elif 1 <= number <= len(lines):
        lines[number - 1] = line
    else:
        raise InvalidInputError({"line": f"The inventory has no line {number}"})
    return do_edit_inventory(user, inventory, {"lines": lines}, base_version=base_version)


def do_remove_line(user: User, inventory, number: int, *, base_version: int):
    lines = list(latest_data(KIND_NAME, inventory).get("lines") or [])
    if not 1 <= number <= len(lines):
        raise InvalidInputError({"line": f"The inventory has no line {number}"})
    del lines[number - 1]
    return do_edit_inventory(user, inventory, {"lines": lines}, base_version=base_version)


@transaction.atomic
def do_replace_lines(user: User, inventory, lines: list[dict], *, base_version: int):
    """All the lines at once (a spreadsheet's), as one version: all or nothing."""
    return do_edit_inventory(user, inventory, {"lines": lines}, base_version=base_version)


# Needs in the solution exchange --------------------------------------------------------------


def do_post_inventory_need(user: User, inventory: Inventory, waste_category: str) -> Need:
    """Post a need in the solution exchange for one waste category the inventory counts mercury
    in (its latest version): the inventory's country, the waste, the treatment and disposal
    phases, the quantity and a link back to the inventory, written in the poster's language, in
    the name of the inventory's organization. Submitted as any need (an editor's is published at
    once) and recorded against the inventory, so that it is posted once per waste category."""
    require(
        may_edit(user, inventory), "Only the editors of the inventory's organization post needs"
    )
    read = read_version(user, inventory)
    quantity = wastes_with_quantities(read.results).get(waste_category)
    waste = terms_of("waste_categories").filter(code=waste_category).first()
    if quantity is None or waste is None:
        raise InvalidInputError(
            {"waste_category": f"The inventory counts no mercury in {waste_category!r}"}
        )
    already = StateError(_("A need is already posted for this waste."))
    try:
        with transaction.atomic():
            Inventory.objects.select_for_update().filter(pk=inventory.pk).first()
            if InventoryNeed.objects.filter(
                inventory=inventory, waste_category=waste.code
            ).exists():
                raise already
            data = _need_data(inventory, read.data, waste, quantity)
            need = review.do_create_draft("need", user, data)
            need = review.do_submit_entry("need", user, need)
            InventoryNeed.objects.create(
                inventory=inventory, waste_category=waste.code, need=need, posted_by=user
            )
    except IntegrityError:  # a second click that passed the check at the same moment
        raise already from None
    return need


def _need_data(inventory: Inventory, data: dict, waste: Term, quantity: Range) -> dict:
    """The need's content, from the version of the inventory its editor reads (the latest)."""
    country = inventory.country.localized_name
    values = {
        "waste": waste.localized_label,
        "country": country,
        "quantity": range_text(quantity),
        "year": data.get("year") or inventory.year,
        "inventory": data.get("name") or inventory.name,
    }
    description = [
        _(
            "%(waste)s: %(quantity)s kg of mercury a year in %(country)s (%(year)s), according "
            "to the mercury waste inventory “%(inventory)s”."
        )
        % values,
        _(
            "We look for facilities, services or technologies that treat or dispose of this "
            "waste soundly."
        ),
        _("The inventory: %(address)s")
        % {"address": settings.SITE_URL + inventory.get_absolute_url()},
    ]
    return {
        "name": _("%(waste)s from %(country)s: treatment or disposal") % values,
        "description": "\n\n".join(description),
        "content_language": requested_language(),
        "country": inventory.country_id,
        "waste_categories": [waste.code],
        "phases": ["treatment", "disposal"],
        "funding_status": "no-funding",
        "visibility": Need.Visibility.PUBLIC,
        "organization": inventory.organization.slug,
    }


# How an import's lines join the inventory's: they replace them all, or each replaces the line of
# its source category (the other lines stay; a category the inventory lacks is added after them).
REPLACE, BY_CATEGORY = "replace", "by-category"
IMPORT_MODES = (REPLACE, BY_CATEGORY)


def merged_lines(current: list[dict], incoming: list[dict], mode: str):
    """The lines after an import, and for each the index of the incoming line it is (None for
    a line the inventory keeps)."""
    if mode == REPLACE:
        return list(incoming), list(range(len(incoming)))
    lines, sources = list(current), [None] * len(current)
    places = {line.get("category"): index for index, line in enumerate(current)}
    for index, line in enumerate(incoming):
        place = places.get(line.get("category"))
        if place is None:
            places[line.get("category")] = len(lines)
            lines.append(line)
            sources.append(index)
        else:
            lines[place], sources[place] = line, index
    return lines, sources


class LinesImportError(InvalidInputError):
    """The checks' errors on the lines after an import (``lines.3.activity``), with where each
    line comes from (``sources``, as ``merged_lines`` gives them)."""

    def __init__(self, errors: dict[str, str], sources: list[int | None]):
        super().__init__(errors)
        self.sources = sources


@dataclass(frozen=True)
class ImportedLines:
    """The inventory's lines before and after an import (checked, as a version holds them)."""

    before: list[dict]
    after: list[dict]


def do_import_lines(
    user: User, inventory, incoming: list[dict], *, mode: str, base_version: int, dry_run=False
) -> ImportedLines:
    """Lines from a spreadsheet, as one versioned edit: all or nothing; a change saved since
    ``base_version`` is a ConflictError. A dry run makes the same edit and rolls it back."""
    if mode not in IMPORT_MODES:
        raise InvalidInputError({"mode": f"Unknown mode {mode!r}; use: {', '.join(IMPORT_MODES)}"})
    with transaction.atomic():
        before = list(latest_data(KIND_NAME, inventory).get("lines") or [])
        lines, sources = merged_lines(before, incoming, mode)
        try:
            edited = do_edit_inventory(user, inventory, {"lines": lines}, base_version=base_version)
        except InvalidInputError as error:
            raise LinesImportError(error.errors, sources) from None
        after = list(latest_data(KIND_NAME, edited).get("lines") or [])
        if dry_run:
            transaction.set_rollback(True)
    return ImportedLines(before, after)
