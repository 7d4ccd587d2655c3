"""The OpenRosa exchange exactly as ODK Collect performs it against a project's server address:
the form list, the form, its manifest and media, then HEAD and the multipart POST of a filled-in
built-in form (converted by pyxform), resends, conflicts and edits."""

import hashlib

import pytest
from defusedxml.ElementTree import fromstring
from django.core.files.uploadedfile import SimpleUploadedFile

from mercuryhub.forms import actions
from mercuryhub.forms.models import Form, Submission, SubmissionAttachment
from tests.forms.conftest import KAMITUGA, PHOTO, fill

pytestmark = pytest.mark.django_db

LIST = "{http://openrosa.org/xforms/xformsList}"
MANIFEST = "{http://openrosa.org/xforms/xformsManifest}"
RESPONSE = "{http://openrosa.org/http/response}"


def _openrosa(response):
    assert response["X-OpenRosa-Version"] == "1.0"
    assert response["Date"].endswith(" GMT")
    return response


def _message(response) -> str:
    _openrosa(response)
    assert response["Content-Type"] == "text/xml; charset=utf-8"
    root = fromstring(response.content)
    assert root.tag == f"{RESPONSE}OpenRosaResponse"
    return root.find(f"{RESPONSE}message").text


def _listed(collect) -> dict:
    response = _openrosa(collect.form_list())
    assert response.status_code == 200
    assert response["Content-Type"] == "text/xml; charset=utf-8"
    root = fromstring(response.content)
    assert root.tag == f"{LIST}xforms"
    return {
        item.find(f"{LIST}formID").text: {
            child.tag.removeprefix(LIST): child.text for child in item
        }
        for item in root
    }


def test_the_form_list_gives_each_open_form_with_its_hash_and_absolute_addresses(
    collect, baseline, needs_form
):
    listed = _listed(collect)

    assert set(listed) == {"asgm_site_baseline", "wma_needs"}
    entry = listed["asgm_site_baseline"]
    assert entry["name"] == "ASGM mining-site baseline"
    assert entry["version"] == "2"
    assert entry["downloadUrl"] == (f"http://testserver{collect.base}/forms/asgm_site_baseline.xml")
    assert "manifestUrl" not in entry  # no media file
    download = _openrosa(collect.get(entry["downloadUrl"]))
    assert download.status_code == 200
    assert entry["hash"] == "md5:" + hashlib.md5(download.content).hexdigest()  # noqa: S324
    assert b'<data id="asgm_site_baseline" version="2">' in download.content


def test_a_form_with_media_lists_its_manifest_and_serves_each_file(collect, baseline, reviewer):
    logo = SimpleUploadedFile("logo.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, "image/png")
    actions.do_add_form_media(reviewer, baseline, logo)

    manifest_url = _listed(collect)["asgm_site_baseline"]["manifestUrl"]
    manifest = _openrosa(collect.get(manifest_url))
    root = fromstring(manifest.content)
    assert root.tag == f"{MANIFEST}manifest"
    (media,) = root
    assert media.find(f"{MANIFEST}filename").text == "logo.png"
    served = _openrosa(collect.get(media.find(f"{MANIFEST}downloadUrl").text))
    content = b"".join(served.streaming_content)
    assert content == b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
    assert media.find(f"{MANIFEST}hash").text == "md5:" + hashlib.md5(content).hexdigest()  # noqa: S324


def test_head_on_submission_answers_204_with_the_largest_request_accepted(collect, settings):
    response = _openrosa(collect.head())

    assert response.status_code == 204
    assert response["X-OpenRosa-Accept-Content-Length"] == str(settings.FORMS_MAX_SUBMISSION_BYTES)
    assert response.content == b""


def test_a_filled_in_form_with_its_photo_is_stored_and_answered_201(collect, baseline, app_user):
    xml = fill(baseline.current_version.xml, KAMITUGA)

    response = collect.submit(xml, {"1712345678.jpg": (PHOTO, "image/jpeg")})

    assert response.status_code == 201
    assert _message(response) == "Form received."
    assert response["X-OpenRosa-Accept-Content-Length"]
    submission = Submission.objects.get()
    assert submission.form == baseline
    assert submission.form_version == baseline.current_version
    assert submission.submitted_by_app_user == app_user
    assert submission.device_id == "collect:Xy12AbCdEf345678"
    assert submission.data["site_name"] == "Kamituga - Mobale"
    assert submission.data["miners"] == "850"
    assert submission.data["meta/instanceID"].startswith("uuid:")
    assert submission.xml.encode() == xml
    (photo,) = submission.attachments.all()
    assert (photo.name, photo.content_type, photo.size) == (
        "1712345678.jpg",
        "image/jpeg",
        len(PHOTO),
    )
    assert photo.file.read() == PHOTO


def test_an_identical_resend_answers_202_and_stores_nothing_twice(collect, baseline):
    xml = fill(baseline.current_version.xml, KAMITUGA)
    assert collect.submit(xml).status_code == 201  # the photo did not fit in the first batch

    again = collect.submit(xml, {"1712345678.jpg": (PHOTO, "image/jpeg")})
    once_more = collect.submit(xml, {"1712345678.jpg": (PHOTO, "image/jpeg")})

    assert again.status_code == once_more.status_code == 202
    assert _message(again) == "Submission already received."
    assert Submission.objects.count() == 1
    assert SubmissionAttachment.objects.count() == 1  # the missing photo added, once


def test_the_same_instance_id_with_other_content_is_a_conflict(collect, baseline):
    first = fill(baseline.current_version.xml, KAMITUGA, instance_id="uuid:kamituga-1")
    changed = fill(
        baseline.current_version.xml, {**KAMITUGA, "miners": 900}, instance_id="uuid:kamituga-1"
    )
    collect.submit(first)

    response = collect.submit(changed)

    assert response.status_code == 409
    assert "uuid:kamituga-1" in _message(response)
    assert Submission.objects.get().data["miners"] == "850"


def test_an_edit_with_deprecated_id_replaces_the_instance_and_keeps_it_in_history(
    collect, baseline
):
    collect.submit(fill(baseline.current_version.xml, KAMITUGA, instance_id="uuid:v1"))
    edit = fill(
        baseline.current_version.xml,
        {**KAMITUGA, "retort_use": "sometimes"},
        instance_id="uuid:v2",
        deprecated_id="uuid:v1",
    )

    response = collect.submit(edit)

    assert response.status_code == 201
    old, new = (
        Submission.objects.get(instance_id="uuid:v1"),
        Submission.objects.get(instance_id="uuid:v2"),
    )
    assert (old.current, old.deprecated_by, new.current) == (False, new, True)
    assert new.data["retort_use"] == "sometimes"
    assert new.data["meta/deprecatedID"] == "uuid:v1"
    again = fill(
        baseline.current_version.xml, KAMITUGA, instance_id="uuid:v3", deprecated_id="uuid:v1"
    )
    assert collect.submit(again).status_code == 409  # v1 was replaced already


def test_a_closing_form_leaves_the_list_but_still_takes_submissions(collect, baseline, reviewer):
    actions.do_set_form_state(reviewer, baseline, Form.State.CLOSING)

    assert _listed(collect) == {}
    response = collect.submit(fill(baseline.current_version.xml, KAMITUGA))
    assert response.status_code == 201


def test_a_closed_form_refuses_submissions(collect, baseline, reviewer):
    actions.do_set_form_state(reviewer, baseline, Form.State.CLOSED)

    response = collect.submit(fill(baseline.current_version.xml, KAMITUGA))

    assert response.status_code == 403
    assert "closed" in _message(response)
    assert collect.get(collect.base + "/forms/asgm_site_baseline.xml").status_code == 404
    assert Submission.objects.count() == 0


def test_a_revoked_key_is_refused_everywhere(collect, baseline, app_user, reviewer):
    actions.do_revoke_app_user(reviewer, app_user)

    for response in (collect.form_list(), collect.submit(b"<data/>")):
        assert response.status_code == 403
        assert "revoked" in _message(response)
    assert _openrosa(collect.head()).status_code == 403
    assert Submission.objects.count() == 0


def test_a_key_works_only_for_its_own_project(client, app_user, baseline, reviewer):
    actions.do_create_project(reviewer, "Other project", slug="other")

    response = client.get(f"/v1/key/{app_user.token}/projects/other/formList")

    assert response.status_code == 403
    assert client.get("/v1/key/not-a-key/projects/kamituga/formList").status_code == 403


def test_a_device_sending_too_many_in_a_minute_is_told_to_retry(collect, baseline, settings):
    settings.FORMS_SUBMISSIONS_PER_MINUTE = 2
    answers = [
        collect.submit(fill(baseline.current_version.xml, KAMITUGA)).status_code
        for _attempt in range(3)
    ]
    assert answers == [201, 201, 429]
    refused = collect.submit(fill(baseline.current_version.xml, KAMITUGA))
    assert refused.status_code == 429
    assert refused["Retry-After"] == "60"
    assert "Too many submissions" in _message(refused)
    assert Submission.objects.count() == 2
