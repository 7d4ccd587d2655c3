"""The OpenAPI schema is valid, and every operation (reads and writes, anonymously and with an
editor's token) answers what the schema declares, never a server error, for inputs that
schemathesis generates from the schema itself."""

import re

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.core.parameters import ParameterLocation
from schemathesis.specs.openapi.checks import positive_data_acceptance

from mercuryhub.accounts.actions import do_create_api_token
from mercuryhub.wsgi import application

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)
# Anonymously, every operation is fuzzed with the schema's examples and generated data; the
# deterministic boundary cases (schemathesis's "coverage" phase: every missing or malformed
# parameter and field, each in turn) go to an editor, the caller who gets past authentication
# to the validation that they test. An anonymous write answers 401 to all of them.
anonymous_schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)
anonymous_schema.config.phases.coverage.enabled = False
# Examples generated per operation and per kind of caller: bounded, for the run to stay short in
# CI (pytest -n 2).
FUZZ_EXAMPLES = 3
FUZZ_SETTINGS = settings(
    max_examples=FUZZ_EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@pytest.mark.django_db
def test_the_openapi_schema_is_valid_openapi_3_and_lists_the_endpoints(client):
    document = client.get("/api/v1/openapi.json").json()
    assert document["openapi"].startswith("3.")
    schemathesis.openapi.from_dict(document).validate()
    assert {
        "/api/v1/taxonomy/{vocabulary}",
        "/api/v1/countries",
        "/api/v1/languages",
        "/api/v1/organizations",
    } <= set(document["paths"])
    security = document["components"]["securitySchemes"]
    assert security["BearerToken"] == {"type": "http", "scheme": "bearer"}


@pytest.mark.django_db
def test_the_api_reference_is_a_page_of_the_site_rendered_from_the_schema(client):
    response = client.get("/api/v1/docs", HTTP_ACCEPT_LANGUAGE="fr")
    assert response.status_code == 200
    page = response.content.decode()
    assert "<script" not in page.split("</main>")[0].split("<main")[1]
    assert 'class="site-header"' in page
    assert "<h1>Référence de l’API</h1>" in page
    document = client.get("/api/v1/openapi.json").json()
    for path, item in document["paths"].items():
        for operation in item.values():
            assert f'id="{operation["operationId"]}"' in page
            assert f"<code>{path}</code>" in page
    for name in document["components"]["schemas"]:
        assert f'id="schema-{name}"' in page
    assert "curl -X POST -H &#x27;Authorization: Bearer &lt;token&gt;&#x27;" in page
    assert 'href="/api/v1/openapi.json"' in page
    assert "<code>limit</code>" in page


@pytest.fixture
def _same_connection():
    """Calling the WSGI application directly would close the test's database connection at the end
    of each request; Django's own test client disconnects the same handlers."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def editor_token(owner, organization):
    """The token of an editor of a partner organization (who may write drafts, organizations,
    offers and needs)."""
    return {"Authorization": f"Bearer {do_create_api_token(owner, 'fuzzing')[1]}"}


def _answers_what_the_schema_declares(case, credentials):
    # No 5xx, and every answer (an error too) in the shape and with a status the schema
    # declares. Codes and regions are checked against the reference data, so a string the
    # schema allows may still be refused with 422 naming it: "schema-valid request rejected"
    # does not apply. The WSGI transport hands the body over as sent: ask for it uncompressed.
    # A case made with broken headers (an Authorization that is not a bearer token, say) goes
    # as made: the caller's credentials would mend it, and the answer to the mended request
    # would read as broken data accepted.
    if case.meta is not None and case.meta.is_negative_at(ParameterLocation.HEADER):
        credentials = {}
    case.call_and_validate(
        headers={"Accept-Encoding": "identity", **credentials},
        excluded_checks=[positive_data_acceptance],
    )


@pytest.mark.django_db
@pytest.mark.usefixtures("_same_connection")
@anonymous_schema.parametrize()
@FUZZ_SETTINGS
def test_every_operation_answers_anonymous_callers_what_the_schema_declares(case):
    _answers_what_the_schema_declares(case, {})


@pytest.mark.django_db
@pytest.mark.usefixtures("_same_connection")
@schema.parametrize()
@FUZZ_SETTINGS
def test_every_operation_answers_an_editor_what_the_schema_declares(case, editor_token):
    _answers_what_the_schema_declares(case, editor_token)


VERBS_BY_METHOD = {
    "get": {"list", "get", "search", "export"},
    "post": {
        "create",
        "submit",
        "validate",
        "return",
        "revert",
        "preview",
        "close",
        "accept",
        "decline",
        "fill",
        "publish",
    },
    "put": {"set"},
    "patch": {"update"},
    "delete": {"delete"},
}


@pytest.mark.django_db
def test_every_operation_id_is_a_verb_and_a_noun_in_snake_case(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    operations = {
        (method, path): operation["operationId"]
        for path, methods in paths.items()
        for method, operation in methods.items()
    }

    for (method, path), operation_id in operations.items():
        verb, _, noun = operation_id.partition("_")
        assert re.fullmatch(r"[a-z]+(_[a-z]+)*", noun), (path, operation_id)
        assert verb in VERBS_BY_METHOD[method], (method, path, operation_id)
    assert len(set(operations.values())) == len(operations)
    assert operations["get", "/api/v1/facilities"] == "list_facilities"
    assert operations["get", "/api/v1/facilities/{entry_id}"] == "get_facility"
    assert operations["post", "/api/v1/facilities"] == "create_facility"
    assert operations["patch", "/api/v1/facilities/{entry_id}"] == "update_facility"
    assert operations["get", "/api/v1/catalogue/export.csv"] == "export_catalogue_csv"
    projects = "/api/v1/partnership/projects"
    assert operations["get", projects] == "list_partnership_projects"
    assert operations["get", projects + "/{entry_id}"] == "get_partnership_project"
    assert operations["post", projects] == "create_project"
    events = "/api/v1/partnership/events"
    assert operations["get", events] == "list_partnership_events"
    assert operations["get", events + "/{entry_id}"] == "get_partnership_event"


@pytest.mark.django_db
def test_the_file_downloads_declare_their_file_types_not_json(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]

    for path, media_type in (
        ("/api/v1/catalogue/export.csv", "text/csv"),
        ("/api/v1/catalogue/export.xlsx", XLSX),
    ):
        content = paths[path]["get"]["responses"]["200"]["content"]
        assert content == {media_type: {"schema": {"type": "string", "format": "binary"}}}
