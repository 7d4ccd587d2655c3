"""Every error of the JSON API is JSON in its one shape, ``{detail, errors}``, whatever was sent:
a body that cannot be read, a body in another type than the operation takes, a body too large,
an address or a method the API does not serve, a failure. The same tests run on SQLite and
PostgreSQL."""

import pytest
from django.test import Client
from django.urls import path

from mercuryhub import urls
from mercuryhub.catalogue.models import Facility
from tests.catalogue.test_control_characters import _auth

pytestmark = pytest.mark.django_db


def _broken(request):
    raise RuntimeError("a bug in an API view")


urlpatterns = [path("api/v1/broken", _broken), *urls.urlpatterns]


def _error(response, status: int) -> dict:
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"detail", "errors"}
    return body


def test_a_malformed_multipart_body_is_a_json_400_naming_the_boundary(client, owner):
    response = client.post(
        "/api/v1/facilities",
        b"--x\r\nnot a part",
        content_type="multipart/form-data; boundary=",
        **_auth(owner),
    )
    assert "boundary" in _error(response, 400)["detail"]


def test_a_body_that_is_not_json_is_refused_with_415_naming_json(client, owner, organization):
    for content_type in ("text/plain", "application/x-www-form-urlencoded", "application/xml"):
        response = client.generic(
            "POST", "/api/v1/facilities", b'{"name": "A"}', content_type, **_auth(owner)
        )
        detail = _error(response, 415)["detail"]
        assert "application/json" in detail and content_type in detail
    assert not Facility.objects.exists()


def test_a_lone_surrogate_escaped_in_json_is_refused_naming_the_field(client, owner, organization):
    for changes, field in (
        ('"name": "Batrec \\ud800"', "name"),
        ('"accepted_wastes": ["lamps", "\\udfff"]', "accepted_wastes.1"),
    ):
        body = client.generic(
            "POST",
            "/api/v1/facilities",
            ('{"external_id": "x", ' + changes + "}").encode(),
            "application/json",
            **_auth(owner),
        )
        errors = _error(body, 422)["errors"]
        assert [error["field"] for error in errors] == [field]
        assert "surrogate" in errors[0]["message"]
    assert not Facility.objects.exists()


def test_a_body_that_is_not_utf8_is_a_json_400(client, owner, organization):
    response = client.generic(
        "POST", "/api/v1/facilities", b'{"name": "\xff\xfe"}', "application/json", **_auth(owner)
    )
    assert "UTF-8" in _error(response, 400)["detail"]
    assert not Facility.objects.exists()


def test_a_body_over_the_upload_limit_is_a_json_413(client, owner, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    response = client.post(
        "/api/v1/facilities",
        {"name": "a" * 1000},
        content_type="application/json",
        **_auth(owner),
    )
    assert "too large" in _error(response, 413)["detail"]


def test_an_unknown_address_and_a_method_not_served_are_json(client, owner):
    assert _error(client.get("/api/v1/no-such-thing"), 404)["detail"] == "Not Found"
    response = client.put("/api/v1/facilities", {}, content_type="application/json")
    assert _error(response, 405)["detail"] == "Method Not Allowed"
    assert set(response["Allow"].split(", ")) == {"GET", "POST"}


@pytest.mark.urls(__name__)
def test_a_failure_in_the_api_is_a_json_500_without_the_traceback():
    response = Client(raise_request_exception=False).get("/api/v1/broken")
    body = _error(response, 500)
    assert body["detail"] == "Internal Server Error"
    assert "a bug" not in response.content.decode()
