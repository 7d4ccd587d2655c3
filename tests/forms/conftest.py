"""A field-data project with its people (its manager, a data collector, a viewer), an app user
for the field team's phones, the built-in forms published in it, and a client that speaks
OpenRosa as ODK Collect does."""

import uuid
from xml.etree import ElementTree

import pytest
from defusedxml.ElementTree import fromstring
from django.core.files.uploadedfile import SimpleUploadedFile

from mercuryhub.forms import actions
from mercuryhub.forms.builtin_forms import BUILTIN_DIR
from mercuryhub.forms.models import ProjectMembership
from tests.conftest import make_user

Role = ProjectMembership.Role
XFORMS = "http://www.w3.org/2002/xforms"


@pytest.fixture(autouse=True)
def _no_java_by_default(settings):
    """ODK Validate takes a second or two per form: its own tests run it, with real Java."""
    settings.FORMS_ODK_VALIDATE = False


@pytest.fixture
def project(reviewer):
    """Kamituga's baseline survey, created by the secretariat (its manager)."""
    return actions.do_create_project(reviewer, "Kamituga ASGM baseline", slug="kamituga")


@pytest.fixture
def collector(project, reviewer):
    user = make_user("cora.collector@field.example")
    actions.do_set_project_member(reviewer, project, user.email, Role.DATA_COLLECTOR)
    return user


@pytest.fixture
def viewer(project, reviewer):
    user = make_user("vic.viewer@field.example")
    actions.do_set_project_member(reviewer, project, user.email, Role.VIEWER)
    return user


@pytest.fixture
def app_user(project, reviewer):
    return actions.do_create_app_user(reviewer, project, "Field team 1")


def builtin(name: str) -> bytes:
    return (BUILTIN_DIR / f"{name}.xlsx").read_bytes()


@pytest.fixture
def baseline(project, reviewer):
    """The ASGM mining-site baseline, published in the project."""
    return actions.do_publish_xlsform(
        reviewer, project, "asgm_site_baseline.xlsx", builtin("asgm_site_baseline")
    ).form


@pytest.fixture
def needs_form(project, reviewer):
    return actions.do_publish_xlsform(
        reviewer, project, "wma_needs.xlsx", builtin("wma_needs")
    ).form


def fill(xform: str, answers: dict, *, instance_id: str | None = None, deprecated_id=None) -> bytes:
    """An instance of the XForm as ODK Collect writes it: the primary instance of the form's
    model with the answers filled in and meta/instanceID set."""
    model = fromstring(xform).find(f".//{{{XFORMS}}}model")
    primary = model.find(f"{{{XFORMS}}}instance")[0]
    for element in primary.iter():
        element.tag = element.tag.split("}")[-1]
    for name, value in answers.items():
        primary.find(name).text = str(value)
    meta = primary.find("meta")
    meta.find("instanceID").text = instance_id or f"uuid:{uuid.uuid4()}"
    if deprecated_id:
        ElementTree.SubElement(meta, "deprecatedID").text = deprecated_id
    return b"<?xml version='1.0' ?>" + ElementTree.tostring(primary, encoding="unicode").encode()


KAMITUGA = {
    "site_name": "Kamituga - Mobale",
    "site_code": "COD-SK-001",
    "location": "-3.0617 28.1833 1200 10",
    "region": "africa",
    "country": "COD",
    "deposit_type": "hard_rock",
    "miners": 850,
    "women": 120,
    "children": 15,
    "processing_methods": "gravity amalgamation",
    "amalgamation": "whole_ore",
    "retort_use": "never",
    "burning_place": "open_air homes",
    "mercury_kg_per_month": "4.5",
    "site_photo": "1712345678.jpg",
}


class Collect:
    """Requests as ODK Collect makes them against a project's server address: the OpenRosa
    header on every request, HEAD then a multipart POST with ``xml_submission_file`` (text/xml)
    and the attachments, ``?deviceID=`` appended to the submission address."""

    DEVICE = "collect:Xy12AbCdEf345678"

    def __init__(self, client, base: str):
        self.client = client
        self.base = base.rstrip("/")

    def _headers(self):
        return {
            "HTTP_X_OPENROSA_VERSION": "1.0",
            "HTTP_USER_AGENT": "org.odk.collect.android/v2024.3",
        }

    def get(self, url: str):
        path = url.split("://", 1)[-1].split("/", 1)[-1]
        return self.client.get("/" + path, **self._headers())

    def form_list(self):
        return self.get(self.base + "/formList")

    def head(self):
        return self.client.head(self.base + "/submission", **self._headers())

    def submit(self, xml: bytes, attachments: dict | None = None):
        data = {"xml_submission_file": SimpleUploadedFile("instance.xml", xml, "text/xml")}
        for name, (content, content_type) in (attachments or {}).items():
            data[name] = SimpleUploadedFile(name, content, content_type)
        return self.client.post(
            f"{self.base}/submission?deviceID={self.DEVICE}", data, **self._headers()
        )


@pytest.fixture
def collect(client, app_user):
    return Collect(client, f"/v1/key/{app_user.token}/projects/kamituga")


# The start of a JPEG file, as a phone's camera writes one.
PHOTO = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + bytes(range(256)) * 8
