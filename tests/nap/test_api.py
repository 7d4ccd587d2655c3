"""National Action Plans through the API, persona by persona: the country team (a token of the
editor of Ghana's EPA) creates, reads, edits and publishes; the secretariat reads drafts and
changes nothing; an outsider and anonymous visitors read only what the country published."""

import pytest

from mercuryhub.accounts.actions import do_create_api_token
from mercuryhub.nap import actions
from tests.nap.conftest import action, complete_content

NAPS = "/api/v1/naps"


def _token(user) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {do_create_api_token(user, 'script')[1]}"}


def _send(client, method, path, user, data=None):
    headers = _token(user) if user is not None else {}
    return getattr(client, method)(path, data or {}, content_type="application/json", **headers)


def test_the_team_creates_a_plan_and_reads_its_draft_checked_against_annex_c(
    client, team_lead, agency
):
    content = complete_content()
    content["sections"]["overview"] = "Gold from 3 regions.\n\n- Ashanti\n- Western"
    response = _send(client, "post", NAPS, team_lead, content)
    assert response.status_code == 201, response.content
    plan = response.json()
    assert plan["name"] == "Ghana ASGM National Action Plan 2027–2031"
    assert plan["text_languages"] == {"name": "en", "summary": "en"}
    assert (plan["country"], plan["organization"]["slug"]) == (
        "GHA",
        "environmental-protection-agency-of-ghana",
    )
    assert (plan["state"], plan["version"], plan["latest_version"]) == ("draft", 1, 1)
    assert plan["published_version"] is None
    assert plan["completeness"]["score"] == plan["completeness_score"] == 100
    assert [bar["number"] for bar in plan["schedule"]["bars"]] == [1, 2, 3, 4, 5]
    assert plan["schedule"]["first"] == "2027-01-01"
    assert plan["budget"]["totals"] == {"USD": "250000.00"}
    assert plan["budget"]["by_element"] == [
        {"element": "b", "currency": "USD", "total": "200000.00", "actions": 4},
        {"element": "k", "currency": "USD", "total": "50000.00", "actions": 1},
    ]
    assert plan["data"]["sections"]["a"] == "Text of element (a)."
    assert plan["data"]["sections"]["overview"] == content["sections"]["overview"]


def test_a_draft_is_not_found_by_the_outsider_nor_anonymous_and_read_by_the_secretariat(
    client, plan, team_lead, reviewer, outsider
):
    path = f"{NAPS}/{plan.pk}"
    for person in (outsider, None):
        assert _send(client, "get", path, person).status_code == 404
        assert _send(client, "get", path + "/sections/a", person).status_code == 404
        assert _send(client, "get", NAPS, person).json() == {"count": 0, "items": []}
    for person in (team_lead, reviewer):
        read = _send(client, "get", path, person).json()
        assert (read["name"], read["state"], read["latest_version"]) == (plan.name, "draft", 1)
        listed = _send(client, "get", NAPS, person).json()
        assert [item["id"] for item in listed["items"]] == [plan.pk]


def test_the_secretariat_and_outsiders_change_nothing(client, plan, reviewer, outsider):
    path = f"{NAPS}/{plan.pk}"
    writes = [
        ("patch", path, {"name": "Theirs", "base_version": 1}),
        ("put", path + "/sections/a", {"text": "Theirs", "base_version": 1}),
        ("put", path + "/actions", {"actions": [], "base_version": 1}),
        ("post", path + "/baseline", {"base_version": 1}),
        ("post", path + "/publish", {}),
    ]
    for method, url, data in writes:
        assert _send(client, method, url, reviewer, data).status_code == 403, url
        assert _send(client, method, url, outsider, data).status_code == 404, url
        assert _send(client, method, url, None, data).status_code == 401, url
    assert _send(client, "post", NAPS, outsider, complete_content()).status_code == 403
    assert _send(client, "get", path, reviewer).json()["version"] == 1


def test_an_edit_from_an_older_version_is_a_conflict_listing_the_others_changes(
    client, plan, team_lead
):
    path = f"{NAPS}/{plan.pk}"
    first = _send(client, "patch", path, team_lead, {"name": "Ghana NAP", "base_version": 1})
    assert first.status_code == 200
    assert (first.json()["name"], first.json()["latest_version"]) == ("Ghana NAP", 2)

    second = _send(client, "patch", path, team_lead, {"period_end": 2032, "base_version": 1})
    assert second.status_code == 409
    assert "since version 1 (it is now at version 2)" in second.json()["detail"]
    assert second.json()["errors"] == [
        {
            "field": "name",
            "message": "changed from 'Ghana ASGM National Action Plan 2027–2031' to 'Ghana NAP'",
        }
    ]
    assert _send(client, "get", path, team_lead).json()["period_end"] == 2031


def test_a_plan_takes_its_title_in_other_languages(client, plan, team_lead):
    changes = {"name_fr": "Plan d'action national du Ghana", "base_version": 1}
    assert _send(client, "patch", f"{NAPS}/{plan.pk}", team_lead, changes).status_code == 200
    read = _send(client, "get", f"{NAPS}/{plan.pk}?lang=fr", team_lead).json()
    assert (read["name"], read["text_languages"]["name"]) == (
        "Plan d'action national du Ghana",
        "fr",
    )
    assert read["translations"] == {"fr": {"name": "Plan d'action national du Ghana"}}


def test_an_unknown_field_is_refused_by_name(client, plan, team_lead):
    response = _send(
        client, "patch", f"{NAPS}/{plan.pk}", team_lead, {"colour": "red", "base_version": 1}
    )
    assert response.status_code == 422
    assert [error["field"] for error in response.json()["errors"]] == ["colour"]


def test_bad_rows_are_named_by_their_place_and_nothing_is_saved(client, plan, team_lead):
    rows = [action("b"), action("c", start="2029-01-01", end="2028-06-30")]
    response = _send(
        client, "put", f"{NAPS}/{plan.pk}/actions", team_lead, {"actions": rows, "base_version": 1}
    )
    assert response.status_code == 422
    assert response.json()["errors"] == [
        {
            "field": "actions.2.end",
            "message": "The end (2028-06-30) is before the start (2029-01-01)",
        }
    ]
    read = _send(client, "get", f"{NAPS}/{plan.pk}", team_lead).json()
    assert (read["latest_version"], len(read["data"]["actions"])) == (1, 5)


def test_the_team_replaces_the_rows_and_the_check_follows(client, plan, team_lead):
    response = _send(
        client,
        "put",
        f"{NAPS}/{plan.pk}/actions",
        team_lead,
        {"actions": [action("b", worst_practices=["open-burning"])], "base_version": 1},
    )
    assert response.status_code == 200
    body = response.json()
    assert (body["latest_version"], len(body["data"]["actions"])) == (2, 1)
    assert body["completeness_score"] < 100
    missing = {e["code"]: e["missing"] for e in body["completeness"]["elements"]}
    assert "No action addresses the worst practice “Whole ore amalgamation”" in missing["b"]
    assert "No action addresses the worst practice “Open burning" not in " ".join(missing["b"])
    stakeholders = {"stakeholders": [{"name": "Miners' association"}], "base_version": 2}
    response = _send(client, "put", f"{NAPS}/{plan.pk}/stakeholders", team_lead, stakeholders)
    assert response.json()["data"]["stakeholders"][0]["name"] == "Miners' association"


def test_a_section_is_saved_and_read_as_markdown_and_sanitized_html(client, plan, team_lead):
    path = f"{NAPS}/{plan.pk}/sections/introduction"
    text = "## Context\n\nGhana's **ASGM** sector.<script>alert(1)</script>"
    saved = _send(client, "put", path, team_lead, {"text": text, "base_version": 1})
    assert saved.status_code == 200, saved.content
    assert saved.json()["version"] == 2
    read = _send(client, "get", path, team_lead).json()
    assert read["text"] == text
    assert "<h2>Context</h2>" in read["html"]
    assert "<strong>ASGM</strong>" in read["html"]
    assert "<script" not in read["html"]
    unknown = _send(client, "get", f"{NAPS}/{plan.pk}/sections/z", team_lead)
    assert unknown.status_code == 404
    assert "introduction, overview, a, b" in unknown.json()["detail"]


def test_the_baseline_is_not_filled_for_a_country_without_mining_sites(client, plan, team_lead):
    response = _send(client, "post", f"{NAPS}/{plan.pk}/baseline", team_lead, {"base_version": 1})
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "baseline"


def test_the_public_reads_the_published_version_while_a_later_edit_waits(
    client, plan, team_lead, reviewer, outsider
):
    path = f"{NAPS}/{plan.pk}"
    published = _send(client, "post", path + "/publish", team_lead)
    assert published.status_code == 200
    assert (published.json()["state"], published.json()["published_version"]) == ("published", 1)
    again = _send(client, "post", path + "/publish", team_lead)
    assert again.status_code == 409

    edit = {"text": "Revised introduction.", "base_version": 1}
    assert _send(client, "put", path + "/sections/introduction", team_lead, edit).status_code == 200

    for person in (outsider, None):
        read = _send(client, "get", path, person).json()
        assert (read["state"], read["version"], read["latest_version"]) == ("published", 1, None)
        assert "introduction" not in read["data"]["sections"]
        section = _send(client, "get", path + "/sections/introduction", person).json()
        assert (section["text"], section["version"]) == ("", 1)
        listed = _send(client, "get", NAPS, person).json()["items"]
        assert [(item["id"], item["state"]) for item in listed] == [(plan.pk, "published")]
    for person in (team_lead, reviewer):
        read = _send(client, "get", path, person).json()
        assert (read["state"], read["version"]) == ("unpublished_changes", 2)
        assert read["data"]["sections"]["introduction"] == "Revised introduction."
        listed = _send(client, "get", NAPS, person).json()["items"]
        assert [item["state"] for item in listed] == ["unpublished_changes"]


def test_the_list_filters_by_country_and_publication(client, plan, team_lead):
    other = actions.do_create_plan(team_lead, complete_content(name="Second draft"))
    actions.do_publish_plan(team_lead, plan)
    listed = _send(client, "get", NAPS + "?published=false", team_lead).json()
    assert [item["id"] for item in listed["items"]] == [other.pk]
    assert _send(client, "get", NAPS + "?country=BFA", team_lead).json()["count"] == 0
    assert _send(client, "get", NAPS + "?country=gha", None).json()["count"] == 1
    page = _send(client, "get", NAPS + "?limit=1&offset=1", team_lead).json()
    assert (page["count"], len(page["items"])) == (2, 1)


@pytest.mark.parametrize(
    ("persona", "queries", "count"), [("team", 15, 5), ("secretariat", 13, 5), ("anonymous", 8, 4)]
)
def test_the_list_reads_its_plans_in_a_few_queries_however_many_they_are(
    client, plan, team_lead, reviewer, persona, queries, count, django_assert_max_num_queries
):
    for number in range(4):
        made = actions.do_create_plan(team_lead, complete_content(name=f"Plan {number}"))
        actions.do_publish_plan(team_lead, made)
        actions.do_save_section(team_lead, made, "a", "Later.", base_version=made.version)
    person = {"team": team_lead, "secretariat": reviewer, "anonymous": None}[persona]
    headers = _token(person) if person else {}
    with django_assert_max_num_queries(queries):
        response = client.get(NAPS, **headers)
    assert response.json()["count"] == count
    assert {item["completeness_score"] for item in response.json()["items"]} == {100}
