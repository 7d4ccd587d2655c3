"""The NAP builder's pages as each persona reaches them: the country team drafts its plan section
by section and row by row, sees what Annex C still asks for, and publishes; the secretariat reads
drafts but is refused the builder; anyone else is told a draft does not exist."""

import re

import pytest
from django.urls import reverse

from mercuryhub.nap import actions
from mercuryhub.review.queries import latest_data
from tests.conftest import make_user
from tests.library.conftest import make_resource
from tests.nap.conftest import action, complete_content


@pytest.fixture
def team(client, team_lead):
    client.force_login(team_lead)
    return client


def _builder(plan, *parts):
    return reverse("nap-plan-builder", args=[plan.pk]) + "".join(f"{part}/" for part in parts)


def _pages(plan):
    return [
        _builder(plan),
        _builder(plan, "sections", "b"),
        _builder(plan, "sections", "introduction"),
        _builder(plan, "actions"),
        _builder(plan, "actions", "new"),
        _builder(plan, "actions", 1),
        _builder(plan, "objectives"),
        _builder(plan, "stakeholders"),
    ]


def test_the_team_reaches_every_builder_page(plan, team):
    for address in _pages(plan):
        response = team.get(address)
        assert response.status_code == 200, address


def test_the_secretariat_is_refused_the_builder_and_others_are_told_nothing(
    plan, client, reviewer, outsider, team_member
):
    client.force_login(reviewer)
    assert {client.get(address).status_code for address in _pages(plan)} == {403}
    for person in (outsider, team_member):
        client.force_login(person)
        assert {client.get(address).status_code for address in _pages(plan)} == {404}
    client.logout()
    assert client.get(_builder(plan)).status_code == 302


def test_the_builder_lists_the_parts_in_annex_c_order_with_their_state(plan, team, team_lead):
    plan = actions.do_save_rows(
        team_lead, plan, "actions", [action("b", worst_practices=["open-burning"])], base_version=1
    )
    page = team.get(_builder(plan)).content.decode()
    parts = re.findall(r'sections/([a-z]+)/">', page)
    assert parts == ["introduction", "overview", *"abcdefghijk", "additional"]
    assert "Not written yet" in page
    assert "No action addresses the worst practice" in page
    assert f'href="{_builder(plan, "actions")}"' in page
    assert 'id="completeness-score"' in page


def test_the_builder_links_the_versions_review_export_and_import(plan, team):
    page = team.get(_builder(plan)).content.decode()
    assert f"/review/nap/{plan.pk}/versions/" in page
    for address in ("review/", "plan.docx", "import/"):
        assert f'href="/nap/plans/{plan.pk}/{address}"' in page


def test_saving_a_section_keeps_its_text_and_previews_it_sanitized(plan, team):
    address = _builder(plan, "sections", "introduction")
    text = "## Context\n\nGhana's **ASGM** sector.<script>alert(1)</script>"
    preview = team.post(address, {"text": text, "base_version": 1, "preview": "1"})
    assert "<strong>ASGM</strong>" in preview.content.decode()
    assert "<script>alert" not in preview.content.decode()
    assert latest_data("nap", plan)["sections"].get("introduction") is None
    response = team.post(address, {"text": text, "base_version": 1})
    assert response.status_code == 302
    assert latest_data("nap", plan)["sections"]["introduction"] == text


def test_a_section_saved_from_an_older_version_shows_the_others_change_and_keeps_mine(
    plan, team, team_lead
):
    actions.do_save_section(team_lead, plan, "a", "Their objectives.", base_version=1)
    address = _builder(plan, "sections", "a")
    response = team.post(address, {"text": "My objectives.", "base_version": 1})
    page = response.content.decode()
    assert response.status_code == 200
    assert "Someone else saved this plan" in page
    assert "Their objectives." in page
    assert "My objectives.</textarea>" in page
    assert 'name="base_version" value="2"' in page
    assert latest_data("nap", plan)["sections"]["a"] == "Their objectives."
    # Saving again now replaces theirs with mine.
    team.post(address, {"text": "My objectives.", "base_version": 2})
    assert latest_data("nap", plan)["sections"]["a"] == "My objectives."


def test_the_guidance_lists_the_library_resources_tagged_with_the_element(plan, team):
    make_resource(
        name="Formalization of ASGM: a handbook",
        kind="guidance",
        url="https://example.org/formalization",
        nap_elements=["c"],
    )
    make_resource(
        name="Health strategy toolkit",
        kind="guidance",
        url="https://example.org/h",
        nap_elements=["h"],
    )
    page = team.get(_builder(plan, "sections", "c")).content.decode()
    assert "Formalization of ASGM: a handbook" in page
    assert "Health strategy toolkit" not in page


def test_an_action_with_bad_values_shows_each_message_beside_its_field_and_saves_nothing(
    plan, team
):
    before = latest_data("nap", plan)["actions"]
    response = team.post(
        _builder(plan, "actions", 2),
        {
            "base_version": 1,
            "element": "b",
            "activity": "Train miners in gravity concentration",
            "start": "2028-06-01",
            "end": "2027-01-01",
            "budget": "lots",
            "currency": "XXQ",
        },
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "The end (2027-01-01) is before the start (2028-06-01)" in page
    assert "&#x27;lots&#x27; is not an amount" in page
    assert "Unknown currency &#x27;XXQ&#x27;" in page
    # Each message sits in the row of its field.
    end_row = page.split('for="id_end"')[1].split('class="form-row"')[0]
    assert "is before the start" in end_row
    assert latest_data("nap", plan)["actions"] == before


def test_rows_are_added_edited_and_removed(plan, team):
    team.post(
        _builder(plan, "stakeholders", "new"),
        {"base_version": 1, "name": "Ghana Chamber of Mines", "stakeholder_type": "private-sector"},
    )
    rows = latest_data("nap", plan)["stakeholders"]
    assert [row["name"] for row in rows] == ["Minerals Commission", "Ghana Chamber of Mines"]
    team.post(
        _builder(plan, "stakeholders", 1),
        {"base_version": 2, "name": "Minerals Commission", "role": "Licenses the miners"},
    )
    assert latest_data("nap", plan)["stakeholders"][0]["role"] == "Licenses the miners"
    team.post(_builder(plan, "stakeholders", 2, "remove"), {"base_version": 3})
    assert [row["name"] for row in latest_data("nap", plan)["stakeholders"]] == [
        "Minerals Commission"
    ]
    page = team.get(_builder(plan, "stakeholders")).content.decode()
    assert "Licenses the miners" in page


def test_the_schedule_draws_a_bar_per_dated_action_and_lists_the_undated(plan, team, team_lead):
    rows = [*complete_content()["actions"], action("e", start="", end="")]
    plan = actions.do_save_rows(team_lead, plan, "actions", rows, base_version=1)
    page = team.get(_builder(plan, "sections", "k")).content.decode()
    svg = page.split("<svg", 1)[1].split("</svg>", 1)[0]
    assert svg.count('class="nap-bar ') == 5
    assert "<title" in svg
    assert ">2027<" in svg and ">2031<" in svg
    assert "Action 6 has no period yet" in page
    budget = page.split("nap-budget", 1)[1]
    assert "200,000.00 USD" in budget  # the four actions of (b)
    assert "300,000.00 USD" in budget  # the plan's total, the undated action's budget too


def test_the_baseline_is_filled_in_again_only_where_the_country_has_sites(plan, team):
    response = team.post(_builder(plan, "baseline"), {"base_version": 1}, follow=True)
    page = response.content.decode()
    assert "no mining sites on the platform yet" in page
    assert "Fill in again from the national overview" in page
    assert "/asgm/GHA/" in page


def test_the_team_publishes_and_the_public_reads_the_plan(plan, team, client, team_lead):
    page = team.get(_builder(plan)).content.decode()
    assert "Publishing makes the latest version of the plan public" in page
    team.post(reverse("nap-plan-publish", args=[plan.pk]))
    client.logout()
    public = client.get(reverse("nap-plan-detail", args=[plan.pk]))
    text = public.content.decode()
    assert public.status_code == 200
    assert "Ghana ASGM National Action Plan 2027–2031" in text
    assert "Text of element (c)." in text
    assert "Mid-term review of the plan" in text
    assert "Completeness against Annex C: 100" in text
    assert text.count('class="nap-bar ') == 5


def test_the_list_shows_the_team_its_drafts_with_their_score_and_the_public_nothing(
    plan, team, client
):
    page = team.get(reverse("nap-plan-list")).content.decode()
    assert "Ghana ASGM National Action Plan" in page
    assert "100 %" in page
    assert "Start a plan" in page
    client.logout()
    page = client.get(reverse("nap-plan-list")).content.decode()
    assert "Ghana ASGM National Action Plan" not in page
    assert "Start a plan" not in page


def test_the_list_page_reads_a_constant_number_of_queries(
    team_lead, agency, client, django_assert_max_num_queries
):
    for number in range(12):
        plan = actions.do_create_plan(team_lead, complete_content(name=f"Plan {number}"))
        actions.do_publish_plan(team_lead, plan)
    client.force_login(team_lead)
    with django_assert_max_num_queries(17):
        page = client.get(reverse("nap-plan-list")).content.decode()
    assert page.count("100 %") == 12


def test_a_plan_is_started_with_errors_beside_the_fields(client, team_lead, agency):
    client.force_login(team_lead)
    address = reverse("nap-plan-create")
    response = client.post(
        address,
        {
            "name": "Ghana NAP",
            "country": "GHA",
            "organization": agency.slug,
            "content_language": "en",
            "period_start": "2031",
            "period_end": "2027",
        },
    )
    assert "The last year (2027) is before the first (2031)" in response.content.decode()
    response = client.post(
        address,
        {
            "name": "Ghana NAP",
            "country": "GHA",
            "organization": agency.slug,
            "content_language": "fr",
            "period_start": "2027",
            "period_end": "2031",
        },
    )
    assert response.status_code == 302
    assert response["Location"].endswith("/builder/")


def test_only_editors_of_an_organization_may_start_a_plan(client, db):
    client.force_login(make_user("someone@example.org"))
    assert client.get(reverse("nap-plan-create")).status_code == 403
    assert "Start a plan" not in client.get(reverse("nap-plan-list")).content.decode()


def test_the_public_plan_links_its_budget_beside_the_published_naps(plan, team_lead, client):
    actions.do_publish_plan(team_lead, plan)
    page = client.get(f"/nap/plans/{plan.pk}/").content.decode()
    assert f'href="/nap/budgets/?plan={plan.pk}"' in page
