"""A form's submissions through the API: the list (paginated like every list, filtered), one
submission with its files and history, and the review by a manager's token."""

import pytest

from mercuryhub.accounts.actions import do_create_api_token
from mercuryhub.forms import actions
from mercuryhub.forms.models import Submission
from tests.forms.conftest import KAMITUGA, fill

pytestmark = pytest.mark.django_db

LIST = "/api/v1/projects/kamituga/forms/asgm_site_baseline/submissions"


def _bearer(user) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {do_create_api_token(user, 'script')[1]}"}


def _received(project, baseline, app_user, **answers):
    xml = fill(baseline.current_version.xml, {**KAMITUGA, **answers})
    return actions.do_receive_submission(project, xml, app_user=app_user)[0]


def test_the_list_is_paginated_and_filtered(client, viewer, reviewer, project, baseline, app_user):
    first = _received(project, baseline, app_user, site_code="COD-1")
    _received(project, baseline, app_user, site_code="COD-2")
    actions.do_review_submission(reviewer, first, "approved")

    page = client.get(LIST, {"limit": 1}, **_bearer(viewer)).json()
    approved = client.get(LIST, {"review_state": "approved"}, **_bearer(viewer)).json()

    assert page["count"] == 2 and len(page["items"]) == 1
    assert approved["count"] == 1
    item = approved["items"][0]
    assert item["instance_id"] == first.instance_id
    assert item["submitted_by"] == {"kind": "app_user", "name": "Field team 1"}
    assert item["data"]["site_code"] == "COD-1"


def test_one_submission_gives_its_files_and_history(client, reviewer, project, baseline, app_user):
    first = _received(project, baseline, app_user)
    xml = fill(
        baseline.current_version.xml,
        {**KAMITUGA, "miners": 900},
        deprecated_id=first.instance_id,
    )
    edited = actions.do_receive_submission(project, xml, app_user=app_user)[0]

    body = client.get(f"{LIST}/{edited.instance_id}", **_bearer(reviewer)).json()

    assert body["history"] == [first.instance_id]
    assert body["data"]["miners"] == "900"
    old = client.get(f"{LIST}/{first.instance_id}", **_bearer(reviewer)).json()
    assert (old["current"], old["deprecated_by"]) == (False, edited.instance_id)


def test_a_manager_reviews_and_a_rejection_needs_a_comment(
    client, reviewer, collector, project, baseline, app_user
):
    submission = _received(project, baseline, app_user)
    url = f"{LIST}/{submission.instance_id}/review"

    refused = client.post(
        url, {"state": "rejected"}, content_type="application/json", **_bearer(reviewer)
    )
    by_collector = client.post(
        url, {"state": "approved"}, content_type="application/json", **_bearer(collector)
    )
    done = client.post(
        url,
        {"state": "rejected", "comment": "Coordinates in the river"},
        content_type="application/json",
        **_bearer(reviewer),
    )

    assert refused.status_code == 422
    assert refused.json()["errors"][0]["field"] == "review_comment"
    assert by_collector.status_code == 403
    assert done.status_code == 200
    assert done.json()["review_state"] == "rejected"
    assert Submission.objects.get().review_comment == "Coordinates in the river"


def test_outsiders_and_anonymous_clients_find_nothing(client, outsider, baseline):
    assert client.get(LIST).status_code == 404
    assert client.get(LIST, **_bearer(outsider)).status_code == 404
    response = client.post(f"{LIST}/uuid:x/review", {"state": "approved"}, "application/json")
    assert response.status_code == 401
