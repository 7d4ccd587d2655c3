"""A form's submissions table (50 a page, filters, the first answers with their labels), a
submission's page (every answer by its question, its files, its review) and the review by a
manager, persona by persona: data collectors see their own, viewers read, outsiders get 404."""

import datetime

import pytest
from django.utils import timezone

from mercuryhub.forms import actions
from mercuryhub.forms.models import Submission
from tests.forms.conftest import KAMITUGA, PHOTO, fill

pytestmark = pytest.mark.django_db

TABLE = "/projects/kamituga/forms/asgm_site_baseline/submissions/"


def _from_device(project, baseline, app_user, **answers):
    xml = fill(baseline.current_version.xml, {**KAMITUGA, **answers})
    return actions.do_receive_submission(project, xml, app_user=app_user)[0]


def _from_web(project, baseline, person, **answers):
    xml = fill(baseline.current_version.xml, {**KAMITUGA, **answers})
    return actions.do_receive_submission(project, xml, user=person)[0]


def test_the_table_shows_who_sent_each_submission_and_its_first_answers(
    signed_in, reviewer, project, baseline, app_user, collector
):
    _from_device(project, baseline, app_user)
    _from_web(project, baseline, collector, site_name="Lugushwa")

    page = signed_in(reviewer).get(TABLE).content.decode()

    assert "<caption" in page
    assert "Site name" in page and "Coordinates of the site" in page
    assert "Kamituga - Mobale" in page and "Lugushwa" in page
    assert "Field team 1" in page and collector.email in page
    assert "2 submissions" in page


def test_the_labels_follow_the_readers_language(signed_in, reviewer, project, baseline, app_user):
    _from_device(project, baseline, app_user)
    page = signed_in(reviewer).get("/fr" + TABLE).content.decode()
    assert "Nom du site" in page


def test_a_data_collector_sees_only_their_own_submissions(
    signed_in, collector, project, baseline, app_user
):
    device = _from_device(project, baseline, app_user)
    own = _from_web(project, baseline, collector, site_name="Lugushwa")
    client = signed_in(collector)

    page = client.get(TABLE).content.decode()

    assert "Lugushwa" in page and "Kamituga - Mobale" not in page
    assert client.get(TABLE + f"{own.instance_id}/").status_code == 200
    assert client.get(TABLE + f"{device.instance_id}/").status_code == 404


def test_the_table_has_pages_of_fifty(signed_in, viewer, project, baseline, app_user):
    for number in range(51):
        _from_device(project, baseline, app_user, site_code=f"COD-{number:03}")
    client = signed_in(viewer)

    first = client.get(TABLE).content.decode()
    second = client.get(TABLE + "?page=2").content.decode()

    assert first.count("<tr>") == 51  # the header and 50 rows
    assert second.count("<tr>") == 2
    assert "Page 2 of 2 (51 results)" in second


def test_the_table_filters_by_review_state_sender_and_days(
    signed_in, reviewer, project, baseline, app_user, collector
):
    approved = _from_device(project, baseline, app_user, site_name="Approved site")
    actions.do_review_submission(reviewer, approved, "approved")
    old = _from_web(project, baseline, collector, site_name="Old site")
    Submission.objects.filter(pk=old.pk).update(
        received_at=timezone.now() - datetime.timedelta(days=30)
    )
    client = signed_in(reviewer)

    by_state = client.get(TABLE, {"review_state": "approved"}).content.decode()
    by_sender = client.get(TABLE, {"submitted_by": f"user:{collector.pk}"}).content.decode()
    today = timezone.localdate().isoformat()
    by_days = client.get(TABLE, {"received_from": today, "received_to": today}).content.decode()

    assert "Approved site" in by_state and "Old site" not in by_state
    assert "Old site" in by_sender and "Approved site" not in by_sender
    assert "Approved site" in by_days and "Old site" not in by_days


def test_a_submission_shows_every_answer_by_its_question_and_its_photo_downloads(
    signed_in, viewer, outsider, project, baseline, app_user, collect
):
    xml = fill(baseline.current_version.xml, KAMITUGA)
    collect.submit(xml, {"1712345678.jpg": (PHOTO, "image/jpeg")})
    submission = Submission.objects.get()
    url = TABLE + f"{submission.instance_id}/"

    page = signed_in(viewer).get(url).content.decode()

    assert "Number of miners" in page and ">850<" in page
    assert "Whole ore" in page  # choices by their labels
    photo = f"{url}attachments/1712345678.jpg"
    assert photo in page
    assert "Save the review" not in page  # viewers read
    download = signed_in(viewer).get(photo)
    assert b"".join(download.streaming_content) == PHOTO
    assert signed_in(outsider).get(photo).status_code == 404
    assert signed_in(outsider).get(url).status_code == 404


def test_a_manager_approves_then_a_rejection_needs_a_comment_which_is_shown(
    signed_in, reviewer, viewer, project, baseline, app_user
):
    submission = _from_device(project, baseline, app_user)
    url = TABLE + f"{submission.instance_id}/"
    client = signed_in(reviewer)

    assert client.post(url + "review/", {"review_state": "approved"}).status_code == 302
    refused = client.post(url + "review/", {"review_state": "rejected", "review_comment": " "})
    submission.refresh_from_db()
    assert refused.status_code == 400
    assert "Say why the submission is rejected" in refused.content.decode()
    assert submission.review_state == "approved"

    client.post(url + "review/", {"review_state": "rejected", "review_comment": "Photo blurred"})
    submission.refresh_from_db()
    assert (submission.review_state, submission.review_comment) == ("rejected", "Photo blurred")
    page = signed_in(viewer).get(url).content.decode()
    assert "Rejected" in page and "Photo blurred" in page


@pytest.mark.parametrize(("persona", "status"), [("collector", 403), ("viewer", 403)])
def test_only_managers_review(signed_in, request, persona, status, project, baseline, app_user):
    submission = _from_device(project, baseline, app_user)
    url = TABLE + f"{submission.instance_id}/review/"
    client = signed_in(request.getfixturevalue(persona))
    assert client.post(url, {"review_state": "approved"}).status_code == status
    submission.refresh_from_db()
    assert submission.review_state == "received"


def test_outsiders_and_anonymous_visitors_do_not_find_the_table(client, outsider, baseline):
    response = client.get(TABLE)
    assert response.status_code == 302 and response.url.startswith("/accounts/login/")
    client.force_login(outsider)
    assert client.get(TABLE).status_code == 404


def test_the_project_page_links_each_forms_fill_in_page_and_submissions(
    signed_in, collector, viewer, baseline
):
    page = signed_in(collector).get("/projects/kamituga/").content.decode()
    assert "/projects/kamituga/forms/asgm_site_baseline/fill/" in page
    assert TABLE in page
    page = signed_in(viewer).get("/projects/kamituga/").content.decode()
    assert "/fill/" not in page and TABLE in page


def test_the_navigation_offers_projects_to_those_who_take_part(signed_in, viewer, outsider):
    assert 'href="/projects/"' in signed_in(viewer).get("/").content.decode()
    assert 'href="/projects/"' not in signed_in(outsider).get("/").content.decode()
