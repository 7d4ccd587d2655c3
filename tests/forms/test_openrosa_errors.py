"""What cannot be stored gets a clear OpenRosa error and leaves nothing behind: malformed XML, an
entity-expansion bomb, a request without the instance, an unknown form or version, a submission
over the size limit."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from mercuryhub.forms.models import Submission, SubmissionAttachment
from tests.forms.conftest import KAMITUGA, PHOTO, fill
from tests.forms.test_openrosa import _message

pytestmark = pytest.mark.django_db

BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol9 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
]>
<data id="asgm_site_baseline" version="2"><site_name>&lol9;</site_name>
<meta><instanceID>uuid:bomb</instanceID></meta></data>"""

EXTERNAL_ENTITY = b"""<?xml version="1.0"?>
<!DOCTYPE data [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<data id="asgm_site_baseline" version="2"><site_name>&secret;</site_name>
<meta><instanceID>uuid:xxe</instanceID></meta></data>"""


def _nothing_stored():
    return Submission.objects.count() == 0 and SubmissionAttachment.objects.count() == 0


def test_malformed_xml_is_refused_with_400(collect, baseline):
    response = collect.submit(b"<data id='asgm_site_baseline'><site_name>Kamituga</data>")

    assert response.status_code == 400
    assert "not well-formed XML" in _message(response)
    assert _nothing_stored()


@pytest.mark.parametrize("xml", [BILLION_LAUGHS, EXTERNAL_ENTITY], ids=["bomb", "external"])
def test_entities_and_dtds_are_refused_unexpanded(collect, baseline, xml):
    response = collect.submit(xml)

    assert response.status_code == 400
    assert "DTD or entities" in _message(response)
    assert b"lollol" not in response.content and b"root:" not in response.content
    assert _nothing_stored()


def test_a_request_without_the_instance_is_refused(collect, baseline):
    response = collect.client.post(
        f"{collect.base}/submission?deviceID=collect:abc",
        {"note": "no instance"},
        HTTP_X_OPENROSA_VERSION="1.0",
    )

    assert response.status_code == 400
    assert "xml_submission_file" in _message(response)


def test_an_instance_without_an_instance_id_is_refused(collect, baseline):
    response = collect.submit(b"<data id='asgm_site_baseline' version='2'><meta/></data>")

    assert response.status_code == 400
    assert "instanceID" in _message(response)


def test_an_unknown_form_id_answers_404(collect, baseline):
    xml = fill(baseline.current_version.xml, KAMITUGA).replace(
        b'id="asgm_site_baseline"', b'id="no_such_form"'
    )

    response = collect.submit(xml)

    assert response.status_code == 404
    assert "no_such_form" in _message(response)
    assert _nothing_stored()


def test_an_unknown_version_of_a_known_form_is_refused(collect, baseline):
    xml = fill(baseline.current_version.xml, KAMITUGA).replace(b'version="2"', b'version="0"')

    response = collect.submit(xml)

    assert response.status_code == 409
    assert "Version '0'" in _message(response)
    assert _nothing_stored()


def test_a_submission_over_the_size_limit_answers_413_and_stores_nothing(
    collect, baseline, settings
):
    settings.FORMS_MAX_SUBMISSION_BYTES = 1500
    xml = fill(baseline.current_version.xml, KAMITUGA)

    response = collect.submit(xml, {"1712345678.jpg": (PHOTO, "image/jpeg")})

    assert response.status_code == 413
    assert "1500 bytes" in _message(response)
    assert response["X-OpenRosa-Accept-Content-Length"] == "1500"
    assert _nothing_stored()


def test_a_get_on_the_submission_address_is_not_allowed(collect):
    assert collect.get(collect.base + "/submission").status_code == 405


# Devices' requests skip the middleware pages need; what still applies is checked here.


def test_a_device_gets_no_session_cookie_and_its_messages_in_its_language(collect, baseline):
    response = collect.client.post(
        f"{collect.base}/submission",
        {"xml_submission_file": SimpleUploadedFile("i.xml", b"<data", "text/xml")},
        HTTP_X_OPENROSA_VERSION="1.0",
        HTTP_ACCEPT_LANGUAGE="fr-FR,fr;q=0.9",
    )

    assert response.status_code == 400
    assert response["Content-Language"] == "fr"
    assert "XML" in _message(response) and "bien formé" in _message(response)
    assert not response.cookies
    assert _nothing_stored()


def test_a_device_request_for_a_host_the_site_does_not_serve_is_refused(collect, baseline):
    response = collect.client.head(
        f"{collect.base}/submission", HTTP_X_OPENROSA_VERSION="1.0", HTTP_HOST="evil.example"
    )

    assert response.status_code == 400


def test_a_device_id_with_control_characters_is_refused(collect, baseline):
    response = collect.client.post(
        f"{collect.base}/submission?deviceID=collect%00x",
        {
            "xml_submission_file": SimpleUploadedFile(
                "i.xml", fill(baseline.current_version.xml, KAMITUGA), "text/xml"
            )
        },
        HTTP_X_OPENROSA_VERSION="1.0",
    )

    assert response.status_code == 400
    message = response.content.decode()
    assert "control character" in message and "deviceID" in message
    assert _nothing_stored()
