"""Filling a form in on the web: who may, what a person sees when an answer is missing or wrong
(a message by the field and in the summary, nothing stored), the submission stored as the
person's, the page script's relevance answers, and a manager's edit that keeps the old version in
the submission's history."""

from io import BytesIO

import pytest
from openpyxl import Workbook

from mercuryhub.forms import actions
from mercuryhub.forms.models import Submission
from tests.conftest import make_user

pytestmark = pytest.mark.django_db

FILL = "/projects/kamituga/forms/wma_needs/fill/"
NEEDS = {
    "stakeholder_type": "ngo",
    "organization": "Kivu Recyclers",
    "region": "africa",
    "country": "COD",
    "waste_categories": ["lamps"],
    "phases": ["storage"],
    "challenge_storage": "No interim store in the province",
    "support_types": ["funding"],
    "consent_exchange": "yes",
}


def test_a_data_collector_fills_in_the_needs_questionnaire_and_it_is_stored_as_theirs(
    signed_in, collector, needs_form
):
    client = signed_in(collector)
    page = client.get(FILL)
    assert page.status_code == 200
    assert "What kind of organization do you answer for?" in page.content.decode()

    response = client.post(FILL, NEEDS)

    assert response.status_code == 200
    assert "Submission received" in response.content.decode()
    assert "Fill in another" in response.content.decode()
    submission = Submission.objects.get(form=needs_form)
    assert submission.submitted_by_user == collector
    assert submission.instance_id.startswith("uuid:")
    assert submission.data["challenge_storage"] == "No interim store in the province"
    assert submission.data["waste_categories"] == "lamps"
    assert "challenge_collection" not in submission.data  # not relevant: left out


def test_a_long_list_of_choices_is_a_drop_down_and_a_short_one_radio_buttons(
    signed_in, collector, needs_form
):
    page = signed_in(collector).get(FILL).content.decode()
    assert '<select id="wf-country" name="country"' in page  # 248 countries
    assert '<option value="COD"' in page
    assert 'type="radio" id="wf-region-0" name="region" value="africa"' in page


def test_the_form_shows_in_the_readers_language(signed_in, collector, needs_form):
    page = signed_in(collector).get("/fr" + FILL).content.decode()
    assert "Pour quel type d&#x27;organisation répondez-vous ?" in page
    assert "What kind of organization" not in page
    assert 'lang="fr"' in page


def test_missing_answers_are_named_by_their_fields_and_nothing_is_stored(
    signed_in, collector, needs_form
):
    response = signed_in(collector).post(FILL, {**NEEDS, "region": "", "support_types": []})

    assert response.status_code == 400
    page = response.content.decode()
    assert "Please correct the following" in page
    assert page.count("This question is required.") == 4  # twice each: by the field, in the summary
    assert 'href="#wf-region-0"' in page
    assert 'value="Kivu Recyclers"' in page  # what was typed stays
    assert Submission.objects.count() == 0


def test_a_wrong_number_is_refused_with_the_forms_own_message(signed_in, reviewer, baseline):
    response = signed_in(reviewer).post(
        "/projects/kamituga/forms/asgm_site_baseline/fill/",
        {
            "site_name": "Kamituga",
            "site_code": "COD-1",
            "region": "africa",
            "country": "COD",
            "deposit_type": "alluvial",
            "mercury_kg_per_month": "-2",
        },
    )
    assert response.status_code == 400
    assert 'id="wf-mercury_kg_per_month-error"' in response.content.decode()
    assert Submission.objects.count() == 0


def test_the_relevance_address_names_the_questions_to_hide(signed_in, collector, needs_form):
    response = signed_in(collector).post(FILL + "relevance/", {"phases": ["storage"]})
    hidden = response.json()["hidden"]
    assert "challenge_collection" in hidden
    assert "challenge_storage" not in hidden


@pytest.mark.parametrize("persona", ["viewer", "outsider", "anonymous"])
def test_only_managers_and_data_collectors_fill_in(client, request, persona, needs_form):
    statuses = {"viewer": 403, "outsider": 404}
    if persona != "anonymous":
        client.force_login(request.getfixturevalue(persona))
    for response in (client.get(FILL), client.post(FILL, NEEDS)):
        if persona == "anonymous":
            assert response.status_code == 302
            assert response.url.startswith("/accounts/login/")
        else:
            assert response.status_code == statuses[persona]
    assert Submission.objects.count() == 0


def test_a_form_the_web_cannot_evaluate_is_left_to_odk_collect(signed_in, reviewer, needs_form):
    version = needs_form.current_version
    version.survey_json["children"][1]["bind"]["relevant"] = "pulldata('x', 'y')"
    version.save()
    page = signed_in(reviewer).get(FILL).content.decode()
    assert "it must be filled in with ODK Collect" in page
    assert 'name="region"' not in page


def test_a_manager_edits_a_submission_and_the_old_version_stays_in_its_history(
    signed_in, reviewer, collector, needs_form
):
    signed_in(collector).post(FILL, NEEDS)
    first = Submission.objects.get()
    edit = f"/projects/kamituga/forms/wma_needs/submissions/{first.instance_id}/edit/"
    client = signed_in(reviewer)

    page = client.get(edit).content.decode()
    assert 'value="Kivu Recyclers"' in page

    response = client.post(edit, {**NEEDS, "organization": "Kivu Recyclers Ltd"})

    current = Submission.objects.get(current=True)
    assert response.status_code == 302
    assert response.url.endswith(f"/submissions/{current.instance_id}/")
    assert current.data["organization"] == "Kivu Recyclers Ltd"
    first.refresh_from_db()
    assert (first.current, first.deprecated_by) == (False, current)
    assert f"<deprecatedID>{first.instance_id}</deprecatedID>" in current.xml
    detail = client.get(response.url).content.decode()
    assert "Earlier versions" in detail and first.instance_id in detail
    # The corrected answers stay the collector's, who still sees them.
    assert current.submitted_by_user == collector
    assert signed_in(collector).get(response.url).status_code == 200


def test_data_collectors_and_viewers_do_not_edit(signed_in, collector, viewer, needs_form):
    signed_in(collector).post(FILL, NEEDS)
    instance_id = Submission.objects.get().instance_id
    edit = f"/projects/kamituga/forms/wma_needs/submissions/{instance_id}/edit/"
    for person in (collector, viewer):
        assert signed_in(person).post(edit, NEEDS).status_code == 403
    outsider = make_user("olga.outsider@elsewhere.example")
    assert signed_in(outsider).get(edit).status_code == 404
    assert Submission.objects.count() == 1


def test_a_replaced_version_is_not_edited_again(signed_in, reviewer, needs_form):
    client = signed_in(reviewer)
    client.post(FILL, NEEDS)
    first = Submission.objects.get()
    edit = f"/projects/kamituga/forms/wma_needs/submissions/{first.instance_id}/edit/"
    client.post(edit, NEEDS)
    response = client.post(edit, NEEDS)
    assert "replaced by an edit" in response.content.decode()
    assert Submission.objects.count() == 2


def test_an_upload_warns_when_the_web_cannot_evaluate_an_expression(reviewer, project):
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "survey"
    sheet.append(["type", "name", "label", "relevant"])
    sheet.append(["text", "a", "A", ""])
    sheet.append(["text", "b", "B", "pulldata('x', 'y', 'z', ${a})"])
    settings = workbook.create_sheet("settings")
    settings.append(["form_id", "version"])
    settings.append(["odd", "1"])
    content = BytesIO()
    workbook.save(content)

    version = actions.do_publish_xlsform(reviewer, project, "odd.xlsx", content.getvalue())

    assert any(
        "must be filled in with ODK Collect" in warning["message"] for warning in version.warnings
    )
    assert any("pulldata" in warning["message"] for warning in version.warnings)
