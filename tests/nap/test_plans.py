"""A plan through the review layer: drafted by its country team, each save a version, the
checks naming each bad field, published by the team, read by the public only once published."""

import pytest
from django.core.exceptions import PermissionDenied

from mercuryhub.lib.errors import InvalidInputError
from mercuryhub.nap import actions, queries
from mercuryhub.nap.models import NationalActionPlan
from mercuryhub.review.errors import ConflictError
from mercuryhub.review.models import EntryVersion
from mercuryhub.review.queries import latest_data
from mercuryhub.search.engine import matches
from tests.nap.conftest import action, complete_content


def test_a_draft_is_read_by_its_team_and_the_secretariat_only(
    plan, team_lead, team_member, reviewer, outsider, client
):
    assert queries.get_plan_for_user(team_lead, plan.pk) == plan
    assert queries.get_plan_for_user(reviewer, plan.pk) == plan
    for person in (team_member, outsider):
        with pytest.raises(Exception, match="No National Action Plan"):
            queries.get_plan_for_user(person, plan.pk)
    assert list(queries.plans_visible_to(outsider)) == []
    assert list(queries.plans_visible_to(team_lead)) == [plan]


def test_each_save_is_a_version_and_publication_shows_it(plan, team_lead, outsider):
    plan = actions.do_save_section(
        team_lead, plan, "introduction", "Ghana's ASGM sector.", base_version=plan.version
    )
    assert plan.version == 2
    assert latest_data("nap", plan)["sections"]["introduction"] == "Ghana's ASGM sector."
    plan = actions.do_publish_plan(team_lead, plan)
    assert plan.published
    assert queries.get_plan_for_user(outsider, plan.pk) == plan
    assert plan.sections.get(code="introduction").text == "Ghana's ASGM sector."
    assert plan.actions.count() == 5
    # A later edit waits in the latest version; the public still reads the published one.
    plan = actions.do_save_section(team_lead, plan, "introduction", "Revised.", base_version=2)
    assert queries.plan_content(outsider, plan)["sections"]["introduction"] == (
        "Ghana's ASGM sector."
    )
    assert queries.plan_content(team_lead, plan)["sections"]["introduction"] == "Revised."
    assert EntryVersion.objects.filter(kind="nap", object_id=plan.pk).count() == 3


def test_a_published_plan_is_found_by_search(plan, team_lead):
    assert matches("Ghana", ["nap"], cap=10) == {}
    actions.do_publish_plan(team_lead, plan)
    assert matches("Ghana", ["nap"], cap=10) == {"nap": [plan.pk]}


def test_a_save_from_an_older_version_is_a_conflict(plan, team_lead):
    actions.do_save_section(team_lead, plan, "a", "First.", base_version=1)
    with pytest.raises(ConflictError):
        actions.do_save_section(team_lead, plan, "a", "Second.", base_version=1)


def test_only_the_country_team_edits(plan, outsider, team_member):
    for person in (outsider, team_member):
        with pytest.raises(PermissionDenied):
            actions.do_save_section(person, plan, "a", "Mine.", base_version=1)


def test_bad_rows_are_named_by_place_and_nothing_is_saved(plan, team_lead):
    rows = [
        action("b"),
        action("z", start="2028-01-01", end="2027-01-01", budget="lots", currency="XXQ"),
        {"element": "c", "activity": ""},
    ]
    with pytest.raises(InvalidInputError) as error:
        actions.do_save_rows(team_lead, plan, "actions", rows, base_version=1)
    assert error.value.errors == {
        "actions.2.element": "Unknown element 'z'; use one of: a, b, c, d, e, f, g, h, i, j, k, "
        "additional",
        "actions.2.end": "The end (2027-01-01) is before the start (2028-01-01)",
        "actions.2.budget": "'lots' is not an amount; write it as 25000 or 25000.50",
        "actions.2.currency": "Unknown currency 'XXQ'; use an ISO 4217 code",
        "actions.3.activity": "A value is required",
    }
    assert NationalActionPlan.objects.get(pk=plan.pk).version == 1
    assert len(latest_data("nap", plan)["actions"]) == 5


def test_a_budget_needs_its_currency(plan, team_lead):
    with pytest.raises(InvalidInputError) as error:
        actions.do_save_rows(team_lead, plan, "actions", [action("b", currency="")], base_version=1)
    assert error.value.errors == {
        "actions.1.currency": "Give the budget's currency (an ISO 4217 code: USD, XOF…)"
    }


def test_only_editors_of_the_organization_create_its_plan(outsider, agency):
    with pytest.raises(PermissionDenied):
        actions.do_create_plan(outsider, complete_content())


def test_the_search_page_finds_a_published_plan_under_its_type(plan, team_lead, client):
    actions.do_publish_plan(team_lead, plan)
    page = client.get("/catalogue/search/", {"q": "Ghana", "type": "nap"})
    assert page.status_code == 200
    text = page.content.decode()
    assert "Ghana ASGM National Action Plan 2027–2031" in text
    assert "National Action Plans" in text


def test_the_review_layers_pages_show_a_plans_versions(plan, team_lead, reviewer, signed_in):
    actions.do_save_rows(
        team_lead, plan, "actions", [action("b", activity="Retorts for every site")], base_version=1
    )
    client = signed_in(team_lead)
    versions = client.get(f"/review/nap/{plan.pk}/versions/")
    assert versions.status_code == 200
    assert "Retorts for every site" in versions.content.decode()
    assert client.get("/profile/").status_code == 200
    review = signed_in(reviewer).get(f"/review/nap/{plan.pk}/")
    assert review.status_code == 200
