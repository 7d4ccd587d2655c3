"""Every write of the inventory app. An inventory's content changes only through the review
layer (``review.actions``: drafts, versioned edits with conflict detection, submission,
validation), which calls ``do_save_inventory`` through the kind; each edit below is one version.
The factor sets are loaded by ``reference.do_load_factor_sets``."""

from django.db import transaction

from mercuryhub.accounts.models import User
from mercuryhub.catalogue.fields import CleanEntry
from mercuryhub.inventory.models import Inventory, InventoryLine
from mercuryhub.lib.errors import InvalidInputError
from mercuryhub.review import actions as review
from mercuryhub.review.indexing import do_index_entries
from mercuryhub.review.queries import latest_data

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
