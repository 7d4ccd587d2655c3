"""Every text an API operation or a page's text area takes has a length limit: a model column's
own length, else the limit of its kind of text (lib/text.py). One character over is refused with
422 naming the field, before anything is saved (PostgreSQL would fail on it); the limit itself is
accepted. The same tests run on SQLite and PostgreSQL."""

import importlib
import pkgutil

import pytest
from django import forms

import mercuryhub
from mercuryhub.accounts.models import Organization
from mercuryhub.catalogue.models import Facility
from mercuryhub.lib.text import LONG_TEXT_MAX_LENGTH, SHORT_TEXT_MAX_LENGTH
from tests.catalogue.test_control_characters import _auth
from tests.catalogue.test_editing_api import NEW

pytestmark = pytest.mark.django_db

NAME_MAX_LENGTH = Facility._meta.get_field("name").max_length


def _create(client, user, changes):
    return client.post(
        "/api/v1/facilities", {**NEW, **changes}, content_type="application/json", **_auth(user)
    )


@pytest.mark.parametrize(
    ("field", "limit"),
    [
        ("name", NAME_MAX_LENGTH),
        ("name_fr", NAME_MAX_LENGTH),
        ("description", LONG_TEXT_MAX_LENGTH),
    ],
)
def test_a_text_one_over_its_limit_is_refused_naming_the_field_and_the_limit_is_accepted(
    client, owner, organization, field, limit
):
    refused = _create(client, owner, {field: "x" * (limit + 1)})
    assert refused.status_code == 422, refused.content
    assert [error["field"] for error in refused.json()["errors"]] == [field]
    assert not Facility.objects.exists()

    accepted = _create(client, owner, {field: "x" * limit})
    assert accepted.status_code == 201, accepted.content


def test_an_organization_edit_one_over_the_name_limit_is_refused(client, owner, organization):
    limit = Organization._meta.get_field("name").max_length
    path = f"/api/v1/organizations/{organization.slug}"
    refused = client.patch(
        path, {"name": "x" * (limit + 1)}, content_type="application/json", **_auth(owner)
    )
    assert refused.status_code == 422, refused.content
    assert [error["field"] for error in refused.json()["errors"]] == ["name"]
    accepted = client.patch(
        path, {"name": "x" * limit}, content_type="application/json", **_auth(owner)
    )
    assert accepted.status_code == 200, accepted.content


def _texts_without_limit(schema, components, path, seen):
    if "$ref" in schema:
        name = schema["$ref"].rsplit("/", 1)[-1]
        if name not in seen:
            seen.add(name)
            yield from _texts_without_limit(components[name], components, name, seen)
        return
    if schema.get("type") == "string" and not ({"maxLength", "enum", "format"} & set(schema)):
        yield path
    for key in ("anyOf", "oneOf", "allOf"):
        for alternative in schema.get(key, []):
            yield from _texts_without_limit(alternative, components, path, seen)
    for name, item in schema.get("properties", {}).items():
        yield from _texts_without_limit(item, components, f"{path}.{name}", seen)
    for key in ("items", "additionalProperties"):
        if isinstance(schema.get(key), dict):
            yield from _texts_without_limit(schema[key], components, f"{path}[]", seen)


def test_every_text_an_operation_takes_in_its_body_declares_a_length_limit(client):
    document = client.get("/api/v1/openapi.json").json()
    components = document["components"]["schemas"]
    unlimited = [
        text
        for item in document["paths"].values()
        for operation in item.values()
        for content in operation.get("requestBody", {}).get("content", {}).values()
        for text in _texts_without_limit(content["schema"], components, "body", set())
    ]
    assert unlimited == []


def test_every_text_an_operation_takes_in_its_address_declares_a_length_limit(client):
    document = client.get("/api/v1/openapi.json").json()
    components = document["components"]["schemas"]
    unlimited = [
        f"{method.upper()} {path} {parameter['in']} {text}"
        for path, item in document["paths"].items()
        for method, operation in item.items()
        for parameter in operation.get("parameters", [])
        for text in _texts_without_limit(parameter["schema"], components, parameter["name"], set())
    ]
    assert unlimited == []


@pytest.mark.parametrize(
    ("path", "parameter", "accepted_status"),
    [
        ("/api/v1/organizations?q={}", "query.q", 200),
        ("/api/v1/facilities?waste=lamps&waste={}", "query.waste.1", 422),
        ("/api/v1/organizations/{}", "path.slug", 404),
    ],
)
def test_a_parameter_one_over_the_limit_of_a_short_text_is_refused_naming_it(
    client, path, parameter, accepted_status
):
    refused = client.get(path.format("x" * (SHORT_TEXT_MAX_LENGTH + 1)))
    assert refused.status_code == 422, refused.content
    assert [error["field"] for error in refused.json()["errors"]] == [parameter]
    accepted = client.get(path.format("x" * SHORT_TEXT_MAX_LENGTH))
    assert accepted.status_code == accepted_status, accepted.content


def _subclasses(cls):
    for subclass in cls.__subclasses__():
        yield subclass
        yield from _subclasses(subclass)


def test_every_text_area_of_the_site_s_forms_has_a_length_limit():
    for module in pkgutil.walk_packages(mercuryhub.__path__, "mercuryhub."):
        if "form" in module.name or module.name.endswith("views"):
            importlib.import_module(module.name)
    unlimited = [
        f"{form.__module__}.{form.__name__}.{name}"
        for form in set(_subclasses(forms.BaseForm))
        if form.__module__.startswith("mercuryhub.")
        for name, field in form.base_fields.items()
        if isinstance(field.widget, forms.Textarea) and not getattr(field, "max_length", None)
    ]
    assert unlimited == []
