"""The forms API: a person's projects, a project's forms, one form with its XForm and survey."""

import pytest

from mercuryhub.accounts.actions import do_create_api_token

pytestmark = pytest.mark.django_db


def _get(client, user, path):
    headers = {}
    if user is not None:
        headers["HTTP_AUTHORIZATION"] = f"Bearer {do_create_api_token(user, 't')[1]}"
    return client.get(path, **headers)


def test_a_person_lists_the_projects_they_take_part_in(client, viewer, outsider):
    mine = _get(client, viewer, "/api/v1/projects").json()
    theirs = _get(client, outsider, "/api/v1/projects").json()

    assert [(p["slug"], p["role"]) for p in mine["items"]] == [("kamituga", "viewer")]
    assert theirs == {"count": 0, "items": []}


def test_a_projects_forms_and_one_form(client, viewer, baseline):
    forms = _get(client, viewer, "/api/v1/projects/kamituga/forms").json()
    form = _get(client, viewer, "/api/v1/projects/kamituga/forms/asgm_site_baseline").json()

    assert [(f["xml_form_id"], f["version"]) for f in forms["items"]] == [
        ("asgm_site_baseline", "2")
    ]
    assert form["hash"] == baseline.current_version.hash
    assert form["xform"] == baseline.current_version.xml
    assert form["survey"]["id_string"] == "asgm_site_baseline"


def test_a_project_one_has_no_role_in_does_not_exist(client, outsider, baseline):
    assert _get(client, outsider, "/api/v1/projects/kamituga/forms").status_code == 404
    assert (
        _get(client, None, "/api/v1/projects/kamituga/forms/asgm_site_baseline").status_code == 404
    )
