"""The NAP reference data in the API, public and read-only: the statuses (filtered by status)
and the budgets' summary by country and theme with the flagged lines."""

import pytest

from mercuryhub.nap.reference import do_load_budget_lines, do_load_plan_statuses


@pytest.fixture
def reference(db):
    do_load_plan_statuses()
    do_load_budget_lines()


def test_anyone_lists_the_statuses_filtered_by_status(reference, client):
    body = client.get("/api/v1/nap-statuses", {"status": "in-development", "limit": 50}).json()

    assert body["count"] == 18 and len(body["items"]) == 18
    ghana = next(item for item in body["items"] if item["country"] == "GHA")
    assert ghana["status_label"] == "In development" and ghana["country_name"] == "Ghana"
    assert client.get("/api/v1/nap-statuses").json()["count"] == 40
    refused = client.get("/api/v1/nap-statuses", {"status": "done"})
    assert refused.status_code == 400
    assert refused.json()["errors"][0]["field"] == "query.status"


def test_the_budget_summary_gives_each_country_by_theme_and_the_flagged_lines(reference, client):
    body = client.get("/api/v1/nap-budgets/summary").json()

    assert body["licence"] == "CC0 1.0"
    assert [theme["code"] for theme in body["themes"]][:2] == [
        "Formalization",
        "Mining Practice Reform",
    ]
    assert body["themes"][-1]["elements"] == ["a", "d", "g", "k"]
    assert len(body["countries"]) == 16
    assert body["overall"]["lines"] == 1221 and body["overall"]["flagged_lines"] == 131
    congo = next(row for row in body["countries"] if row["country"] == "COG")
    assert congo["flagged_lines"] == 60
    assert congo["total_usd"] != congo["total_usd_from_original"]
    assert sum(theme["usd"] for theme in congo["themes"]) == pytest.approx(congo["total_usd"])
    assert len(body["flagged"]) == 131
    first = body["flagged"][0]
    assert first["usd_from_original"] == pytest.approx(
        first["cost_original"] / first["conversion"], abs=0.01
    )
