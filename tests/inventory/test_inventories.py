"""An inventory goes through the review layer as every kind does: a draft its organization's
editors see, versioned edits, submission, validation by the secretariat, then the public reads
the validated version and its results."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import Http404

from mercuryhub.inventory import actions, queries
from mercuryhub.lib.errors import InvalidInputError
from mercuryhub.review import actions as review
from mercuryhub.review.actions import ConflictError
from tests.conftest import make_user
from tests.inventory.conftest import content, thermometer_line


def test_a_draft_is_its_teams_and_the_secretariats_only(inventory, team_lead, reviewer):
    stranger = make_user("someone@else.example")
    for person in (AnonymousUser(), stranger):
        assert inventory not in queries.inventories_visible_to(person)
        with pytest.raises(Http404):
            queries.get_inventory_for_user(person, inventory.pk)
    for person in (team_lead, reviewer):
        assert queries.get_inventory_for_user(person, inventory.pk) == inventory
        assert inventory in queries.inventories_visible_to(person)


def test_the_public_reads_the_validated_version_and_its_results(inventory, team_lead, reviewer):
    inventory = review.do_submit_entry("inventory", team_lead, inventory)
    inventory = review.do_validate_entry("inventory", reviewer, inventory)
    assert inventory.published and inventory.lines.count() == 3
    actions.do_remove_line(team_lead, inventory, 3, base_version=inventory.version)
    public = queries.read_version(AnonymousUser(), inventory)
    assert (public.latest, len(public.data["lines"])) == (False, 3)
    assert str(public.results.total.low) == "245.000000" or public.results.total.low == 245
    team = queries.read_version(team_lead, inventory)
    assert (team.latest, len(team.data["lines"])) == (True, 2)
    assert team.results.total.low == 170  # 10 + 160


def test_lines_are_added_replaced_and_removed_as_versions(inventory, team_lead):
    version = inventory.version
    inventory = actions.do_save_line(
        team_lead, inventory, 3, thermometer_line(activity="10"), base_version=version
    )
    assert inventory.version == version + 1
    with pytest.raises(ConflictError):
        actions.do_save_line(team_lead, inventory, 3, thermometer_line(), base_version=version)
    with pytest.raises(InvalidInputError) as refused:
        actions.do_save_line(
            team_lead,
            inventory,
            None,
            thermometer_line(activity_unit="t"),
            base_version=inventory.version,
        )
    assert "lines.4.activity_unit" in refused.value.errors
    with pytest.raises(InvalidInputError):
        actions.do_remove_line(team_lead, inventory, 9, base_version=inventory.version)


def test_only_the_organizations_editors_draft_for_it(agency, example_factors):
    outsider = make_user("not.an.editor@example.org")
    with pytest.raises(PermissionDenied):
        actions.do_create_inventory(outsider, content())


def test_an_inventory_is_found_by_search_once_validated(inventory, team_lead, reviewer):
    from mercuryhub.search import engine

    assert inventory.pk not in engine.matches("inventory Ghana", ["inventory"], cap=10).get(
        "inventory", ()
    )
    inventory = review.do_validate_entry(
        "inventory", reviewer, review.do_submit_entry("inventory", team_lead, inventory)
    )
    assert inventory.pk in engine.matches("thermometers Ghana", ["inventory"], cap=10)["inventory"]
