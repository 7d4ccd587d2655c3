"""Every route of the web and the API that takes an id or a slug, and every route that writes,
tried as each persona. The routes are read from the URLconf and from the API's schema, so a new
route without an entry here fails the first tests of this file.

Drafts, submitted versions, return reasons, e-mail addresses, API tokens and campaigns reach only
the people who may see them; where the existence of a thing must not leak the answer is 404."""

import contextlib
import re
from dataclasses import dataclass, field
from datetime import date, timedelta
from types import SimpleNamespace

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone
from django.views.generic import RedirectView

from mercuryhub.accounts.actions import do_create_api_token, do_create_organization
from mercuryhub.accounts.models import ApiToken, Organization, User
from mercuryhub.api import api
from mercuryhub.catalogue.membership_requests import do_request_expert_link
from mercuryhub.catalogue.models import Expert, Facility
from mercuryhub.library.actions import do_upload_document
from mercuryhub.review import actions as review_actions
from mercuryhub.review import campaigns
from tests.catalogue.test_editing_api import NEW
from tests.conftest import (
    kept_for_module,
    make_administrator,
    make_batrec,
    make_member,
    make_outsider,
    make_owner,
    make_reviewer,
    make_user,
)
from tests.library.criteria import judge_every_criterion, validate

pytestmark = pytest.mark.django_db

PERSONAS = [
    "anonymous",
    "registered",
    "member",
    "other_editor",
    "owner",
    "reviewer",
    "administrator",
]
EDITORS = {"owner", "administrator"}
REVIEWERS = {"reviewer", "administrator"}
SIGNED_IN = set(PERSONAS) - {"anonymous"}

SECRET_EMAIL = "kofi.private@mining.example.gh"
RETURN_REASON = "Coordinates are those of the head office"


# The world each case runs in ----------------------------------------------------------------


@pytest.fixture(scope="module")
def _persona_keys(django_db_setup, django_db_blocker, tmp_path_factory):
    """The personas and Batrec, made once for this file's two thousand cases (each case's own
    changes are rolled back after it)."""
    with kept_for_module(django_db_blocker, tmp_path_factory):
        owner, reviewer = make_owner(), make_reviewer()
        organization = make_batrec(owner, reviewer)
        people = {
            "registered": make_user("rene.registered@example.org"),
            "member": make_member(organization, owner),
            "other_editor": make_outsider(),
            "owner": owner,
            "reviewer": reviewer,
            "administrator": make_administrator(),
        }
        yield {name: user.pk for name, user in people.items()}, organization.pk


@pytest.fixture
def people(db, _persona_keys):
    keys, _organization = _persona_keys
    found = User.objects.in_bulk(keys.values())
    return {"anonymous": None} | {name: found[pk] for name, pk in keys.items()}


@pytest.fixture
def owner(people):
    return people["owner"]


@pytest.fixture
def reviewer(people):
    return people["reviewer"]


@pytest.fixture
def organization(db, _persona_keys):
    return Organization.objects.get(pk=_persona_keys[1])


def _draft(w):
    return review_actions.do_create_draft(
        "facility", w.owner, {**NEW, "name": "Batrec secret draft"}
    )


def _submitted(w):
    return review_actions.do_submit_entry("facility", w.owner, _draft(w))


def _returned(w):
    facility = _submitted(w)
    return review_actions.do_return_entry("facility", w.reviewer, facility, RETURN_REASON)


def _published(w):
    return review_actions.do_validate_entry("facility", w.reviewer, _submitted(w))


def _edited(kind, publish):
    """A published entry with a second version to go back from."""

    def setup(w):
        entry = publish(w)
        return review_actions.do_edit_entry(
            kind, w.owner, entry, {"name": "Renamed"}, base_version=1
        )

    return setup


def _expert(w, *, published: bool):
    data = {
        "name": "Kofi Mensah",
        "organization": "batrec-industrie-ag",
        "email": SECRET_EMAIL,
        "country": "GHA",
        "consent_to_publication": True,
    }
    expert = review_actions.do_create_draft("expert", w.owner, data)
    if published:
        expert = review_actions.do_submit_entry("expert", w.owner, expert)
        expert = review_actions.do_validate_entry("expert", w.reviewer, expert)
    return expert


def _link_request(w):
    kofi = make_user("kofi@mining.example.gh")
    data = {"name": "Kofi Mensah", "email": SECRET_EMAIL, "country": "GHA"}
    expert = review_actions.do_create_draft(
        "expert", kofi, {**data, "consent_to_publication": True}
    )
    do_request_expert_link(kofi, expert, w.organization)
    return expert


def _offering(w, *, published: bool):
    data = {"name": "Batrec secret service", "provider": "batrec-industrie-ag", "kind": "service"}
    offering = review_actions.do_create_draft("offering", w.owner, data)
    if published:
        offering = review_actions.do_submit_entry("offering", w.owner, offering)
        offering = review_actions.do_validate_entry("offering", w.reviewer, offering)
    return offering


def _library_entry(kind, data):
    def setup(w, *, published: bool):
        entry = review_actions.do_create_draft(
            kind, w.owner, {**data, "organization": "batrec-industrie-ag"}
        )
        if published:
            entry = review_actions.do_submit_entry(kind, w.owner, entry)
            entry = validate(kind, w.reviewer, entry)
        return entry

    return setup


_resource = _library_entry(
    "resource",
    {"name": "Batrec secret guide", "kind": "guidance", "url": "https://batrec.example/guide"},
)
_case_study = _library_entry("case_study", {"name": "Batrec secret case", "country": "CHE"})


def _document(w, *, published: bool):
    """A file uploaded by the owner with a resource of the organization."""
    upload = SimpleUploadedFile("secret-guide.txt", b"Batrec secret guide text")
    document = do_upload_document(w.owner, upload)
    data = {"name": "Batrec secret guide", "kind": "guidance", "document": document.pk}
    _library_entry("resource", data)(w, published=published)
    return document


def _submitted_library_entry(kind, setup, w):
    """A library entry submitted for review; a case study judged on every criterion, so that
    a reviewer may validate it."""
    entry = review_actions.do_submit_entry(kind, w.owner, setup(w, published=False))
    if kind == "case_study":
        judge_every_criterion(w.reviewer, entry)
    return entry


def _submitted_case_study(w):
    entry = review_actions.do_create_draft(
        "case_study",
        w.owner,
        {"name": "Batrec secret case", "country": "CHE", "organization": "batrec-industrie-ag"},
    )
    return review_actions.do_submit_entry("case_study", w.owner, entry)


def _campaign(w):
    today = timezone.localdate()
    return campaigns.do_open_campaign(
        w.reviewer, name="Annual update", year=today.year, deadline=today + timedelta(days=60)
    )


def _campaign_form():
    today = timezone.localdate()
    deadline = (today + timedelta(days=60)).isoformat()
    return {"name": "Annual update", "year": str(today.year), "deadline": deadline}


# Needs (exchange): an editor's need is published on submission; a newcomer's first public need
# waits for the secretariat; a partners-only need shows to members of an organization and
# reviewers only.
NEED = {
    "name": "Batrec secret need",
    "description": "Lamps to treat.",
    "country": "CHE",
    "funding_status": "funded",
    "organization": "batrec-industrie-ag",
}
PARTNERS = {"member", "other_editor", "owner", "reviewer", "administrator"}


def _offer(w):
    """An offer from a partner of another organization on the owner's public need."""
    from mercuryhub.exchange.actions import do_make_offer

    partner = make_user("paula.partner@offers.example")
    do_create_organization(
        partner, {"name": "Offers Ltd", "stakeholder_type": "private-sector", "country": "GHA"}
    )
    return do_make_offer(partner, _need()(w), "Batrec secret offer")


PARTNERS_OF_OTHERS = {"member", "other_editor"}


def _need(visibility="public", *, published=True):
    def setup(w):
        need = review_actions.do_create_draft("need", w.owner, {**NEED, "visibility": visibility})
        if published:
            need = review_actions.do_submit_entry("need", w.owner, need)
        return need

    return setup


def _waiting_need(w):
    newcomer = make_user("nana.newcomer@health.example.gh")
    need = review_actions.do_create_draft("need", newcomer, {**NEED, "organization": ""})
    return review_actions.do_submit_entry("need", newcomer, need)


@dataclass
class World:
    owner: object
    reviewer: object
    organization: object


@dataclass
class Case:
    """One request, who may do it (``ok``: 200 for a page, 201/204 or 302 for a write) and what
    everyone else gets; ``secret`` is text only the allowed may see."""

    method: str
    path: str
    setup: object = None
    data: dict = field(default_factory=dict)
    allowed: frozenset = frozenset()
    refused: dict = field(default_factory=dict)  # persona -> status for those not allowed
    ok: int = 200
    secret: str | None = None
    seen_by: frozenset = frozenset()


def case(
    method, path, setup=None, data=None, *, allowed=(), ok=200, secret=None, seen_by=(), **refused
):
    """``refused`` gives a status per persona, or ``others=`` for every refused persona;
    ``secret`` is a text that only the ``seen_by`` personas find in the answer."""
    everyone = refused.pop("everyone", None)  # anonymous visitors too
    others = refused.pop("others", everyone)
    allowed = frozenset(allowed)
    statuses = {
        persona: refused.get(persona, others)
        for persona in PERSONAS
        if persona not in allowed and persona != "anonymous"
    }
    if "anonymous" not in allowed:
        statuses["anonymous"] = refused.get("anonymous", everyone or "login")
    return Case(method, path, setup, data or {}, allowed, statuses, ok, secret, frozenset(seen_by))


def draft_hidden(method, path, setup, data=None, *, allowed=EDITORS, ok=200, secret=None):
    """A page about an unpublished entry: its editors only; 404 to the rest, 403 to reviewers
    who see every entry but change none."""
    seen_by = allowed if method == "get" else ()
    return case(
        method,
        path,
        setup,
        data,
        allowed=allowed,
        ok=ok,
        secret=secret,
        seen_by=seen_by,
        others=404,
        reviewer=403,
    )


# Field-data projects (forms): the reviewer created the project and manages it (with the
# administrators); the member collects data, the owner views; the others have no role and are
# told the project does not exist. Devices reach the OpenRosa routes with their key alone.
MANAGERS = {"reviewer", "administrator"}
PROJECT_READERS = MANAGERS | {"member", "owner"}
_project_path = "/projects/batrec-field"
_key_path = "/v1/key/{pk}/projects/batrec-field"


def _project(w):
    from mercuryhub.forms import actions as form_actions

    project = form_actions.do_create_project(
        w.reviewer, "Batrec secret project", slug="batrec-field"
    )
    form_actions.do_set_project_member(
        w.reviewer, project, "mia.member@batrec.example", "data_collector"
    )
    form_actions.do_set_project_member(w.reviewer, project, w.owner.email, "viewer")
    return project


def _project_form(w):
    """The project with the built-in needs questionnaire and a media file; its version."""
    from django.test import override_settings

    from mercuryhub.forms import actions as form_actions
    from mercuryhub.forms.builtin_forms import BUILTIN_DIR

    project = _project(w)
    with override_settings(FORMS_ODK_VALIDATE=False):
        content = (BUILTIN_DIR / "wma_needs.xlsx").read_bytes()
        version = form_actions.do_publish_xlsform(w.reviewer, project, "wma_needs.xlsx", content)
    logo = SimpleUploadedFile("logo.png", b"\x89PNG\r\n\x1a\n", "image/png")
    form_actions.do_add_form_media(w.reviewer, version.form, logo)
    return version


def _collector(w):
    _project(w)
    return User.objects.get(email="mia.member@batrec.example")


def _app_user(w, *, revoked=False):
    from mercuryhub.forms import actions as form_actions

    version = _project_form(w)
    app_user = form_actions.do_create_app_user(w.reviewer, version.form.project, "Team")
    if revoked:
        form_actions.do_revoke_app_user(w.reviewer, app_user)
    return app_user


def _submission(w):
    """A submission of the needs questionnaire sent from the web by the data collector (whom
    the project's other readers may read too), with a photo."""
    from django.test import override_settings

    from mercuryhub.forms import actions as form_actions
    from mercuryhub.forms.webform.instances import instance_xml, new_instance_id
    from mercuryhub.forms.webform.survey import load_survey

    version = _project_form(w)
    survey = load_survey(version.survey_json)
    answers = {
        "stakeholder_type": "ngo",
        "region": "africa",
        "country": "COD",
        "waste_categories": ["lamps"],
        "support_types": ["funding"],
        "consent_exchange": "yes",
    }
    collector = User.objects.get(email="mia.member@batrec.example")
    xml = instance_xml(survey, answers, new_instance_id()).encode()
    photo = SimpleUploadedFile("photo.jpg", b"\xff\xd8\xff\xe0", "image/jpeg")
    with override_settings(FORMS_ODK_VALIDATE=False):
        submission, _new = form_actions.do_receive_submission(
            version.form.project, xml, [photo], user=collector
        )
    return SimpleNamespace(pk=submission.instance_id)


_NEEDS_ANSWERS = {
    "stakeholder_type": "ngo",
    "region": "africa",
    "country": "COD",
    "waste_categories": "lamps",
    "support_types": "funding",
    "consent_exchange": "yes",
}
# Managers and data collectors submit; viewers (the owner) are refused; the others get 404.
SUBMITTERS = MANAGERS | {"member"}
_submissions_path = _project_path + "/forms/wma_needs/submissions/"


def _key(*, revoked=False):
    """The setup of an OpenRosa route: its path takes the app user's key as ``pk``."""

    def setup(w):
        return SimpleNamespace(pk=_app_user(w, revoked=revoked).token)

    return setup


def _project_case(method, path, setup=_project, data=None, *, ok=200, managers_only=False):
    """A project page: its readers (or managers) only; 403 to readers who may not manage,
    404 to those without a role."""
    allowed = MANAGERS if managers_only else PROJECT_READERS
    refused = {"member": 403, "owner": 403} if managers_only else {}
    return case(method, path, setup, data, allowed=allowed, ok=ok, others=404, **refused)


def _key_cases(method, path, data=None, *, ok=200):
    return [
        case(method, _key_path + path, _key(), data, allowed=PERSONAS, ok=ok),
        case(method, _key_path + path, _key(revoked=True), data, everyone=403),
    ]


FORMS_WEB = {
    "forms-project-create": [
        case(
            "post",
            "/projects/new/",
            None,
            {"name": "Kamituga"},
            allowed=MANAGERS,
            ok=302,
            others=403,
        )
    ],
    "forms-project-detail": [
        case(
            "get",
            _project_path + "/",
            _project,
            allowed=PROJECT_READERS,
            others=404,
            secret="Batrec secret project",
            seen_by=PROJECT_READERS,
        )
    ],
    "forms-project-member": [
        _project_case(
            "post",
            _project_path + "/members/",
            data={"email": "rene.registered@example.org", "role": "viewer"},
            ok=302,
            managers_only=True,
        )
    ],
    "forms-project-member-remove": [
        _project_case(
            "post", _project_path + "/members/{pk}/remove/", _collector, ok=302, managers_only=True
        )
    ],
    # Without a file the upload forms are answered again (400) to those who may upload.
    "forms-form-upload": [
        _project_case("post", _project_path + "/forms/", ok=400, managers_only=True)
    ],
    "forms-form-detail": [_project_case("get", _project_path + "/forms/wma_needs/", _project_form)],
    "forms-form-version-upload": [
        _project_case(
            "post",
            _project_path + "/forms/wma_needs/versions/",
            _project_form,
            ok=400,
            managers_only=True,
        )
    ],
    "forms-form-media": [
        _project_case(
            "post",
            _project_path + "/forms/wma_needs/media/",
            _project_form,
            ok=400,
            managers_only=True,
        )
    ],
    "forms-form-state": [
        _project_case(
            "post",
            _project_path + "/forms/wma_needs/state/",
            _project_form,
            {"state": "closing"},
            ok=302,
            managers_only=True,
        )
    ],
    # Without a file the import form is answered again (400) to those who may import.
    "forms-submission-import": [
        _project_case(
            "get", _project_path + "/forms/wma_needs/import/", _project_form, managers_only=True
        ),
        _project_case(
            "post",
            _project_path + "/forms/wma_needs/import/",
            _project_form,
            ok=400,
            managers_only=True,
        ),
    ],
    "forms-form-xlsform": [
        _project_case(
            "get", _project_path + "/forms/wma_needs/versions/{pk}/xlsform/", _project_form
        )
    ],
    "forms-form-xform": [
        _project_case("get", _project_path + "/forms/wma_needs/versions/{pk}/xform/", _project_form)
    ],
    "forms-form-summary": [
        _project_case("get", _project_path + "/forms/wma_needs/summary/", _project_form)
    ],
    "forms-form-crosstab-csv": [
        _project_case(
            "get",
            _project_path
            + "/forms/wma_needs/summary/crosstab.csv?rows=waste_categories&columns=region",
            _project_form,
        )
    ],
    "forms-form-report": [
        _project_case("get", _project_path + "/forms/wma_needs/summary/report.docx", _project_form)
    ],
    "forms-form-export": [
        _project_case(
            "get", _project_path + f"/forms/wma_needs/export.{file_format}", _project_form
        )
        for file_format in ("csv", "xlsx")
    ],
    "forms-app-user-list": [
        _project_case("get", _project_path + "/app-users/", managers_only=True),
        _project_case(
            "post",
            _project_path + "/app-users/",
            data={"display_name": "Team 2"},
            ok=302,
            managers_only=True,
        ),
    ],
    "forms-app-user-detail": [
        _project_case("get", _project_path + "/app-users/{pk}/", _app_user, managers_only=True)
    ],
    "forms-app-user-revoke": [
        _project_case(
            "post", _project_path + "/app-users/{pk}/revoke/", _app_user, ok=302, managers_only=True
        )
    ],
    "forms-form-fill": [
        case(
            method,
            _project_path + "/forms/wma_needs/fill/",
            _project_form,
            data,
            allowed=SUBMITTERS,
            others=404,
            owner=403,
        )
        for method, data in (("get", None), ("post", _NEEDS_ANSWERS))
    ],
    "forms-fill-relevance": [
        case(
            "post",
            _project_path + "/forms/wma_needs/fill/relevance/",
            _project_form,
            {"phases": "storage"},
            allowed=SUBMITTERS,
            others=404,
            owner=403,
        )
    ],
    "forms-submission-list": [
        _project_case("get", _submissions_path, _project_form),
    ],
    "forms-submission-detail": [
        _project_case("get", _submissions_path + "{pk}/", _submission),
    ],
    "forms-submission-attachment": [
        _project_case("get", _submissions_path + "{pk}/attachments/photo.jpg", _submission),
    ],
    "forms-submission-edit": [
        _project_case("get", _submissions_path + "{pk}/edit/", _submission, managers_only=True),
        _project_case(
            "post",
            _submissions_path + "{pk}/edit/",
            _submission,
            _NEEDS_ANSWERS,
            ok=302,
            managers_only=True,
        ),
    ],
    "forms-submission-review": [
        _project_case(
            "post",
            _submissions_path + "{pk}/review/",
            _submission,
            {"review_state": "approved"},
            ok=302,
            managers_only=True,
        )
    ],
    "forms-openrosa-form-list": _key_cases("get", "/formList"),
    "forms-openrosa-form": _key_cases("get", "/forms/wma_needs.xml"),
    "forms-openrosa-manifest": _key_cases("get", "/forms/wma_needs/manifest"),
    "forms-openrosa-media": _key_cases("get", "/forms/wma_needs/attachments/logo.png"),
    # Without the instance a submission is refused (400) to a device; 403 with a revoked key.
    "forms-openrosa-submission": _key_cases("post", "/submission", ok=400),
}


FORM = {
    "name": "Batrec tube line",
    "operator": "batrec-industrie-ag",
    "status": "operating",
    "country": "CHE",
    "city": "Wimmis",
    "latitude": "46.68",
    "longitude": "7.64",
    "coordinates_precision": "city",
    "accepted_wastes": ["lamps"],
}
ORGANIZATION = {"name": "Batrec Industrie AG", "stakeholder_type": "private-sector"}
PUBLIC = set(PERSONAS)

# ASGM baseline: sites and national overviews are public, exact coordinates are for the
# project's people (the reviewer created the project) and the secretariat; the project's managers
# merge and split its sites (an empty choice is answered again, 400); the secretariat sets a
# country's own mercury-to-gold ratios.
EXACT_LATITUDE = "-3.0617"


def _asgm_site(w):
    from django.test import override_settings

    from mercuryhub.asgm.models import Site
    from tests.asgm.conftest import WORKED_EXAMPLE, record_sites

    with override_settings(FORMS_ODK_VALIDATE=False):
        record_sites(w.reviewer, WORKED_EXAMPLE)
    return Site.objects.get(code="A")


_RATIO = {
    "practice": "whole-ore-amalgamation",
    "low": "1",
    "typical": "2",
    "high": "3",
    "source": "National ASGM study, 2024",
}
# National Action Plans: Batrec's editors are the country team of a plan drafted for Ghana; the
# secretariat reads drafts but changes none; the others are told a draft does not exist.
NAP_TEAM = EDITORS
NAP_READERS = NAP_TEAM | REVIEWERS


def _nap_draft(w):
    from mercuryhub.nap.actions import do_create_plan

    return do_create_plan(
        w.owner,
        {
            "name": "Ghana NAP secret draft",
            "country": "GHA",
            "organization": "batrec-industrie-ag",
        },
    )


def _nap_published(w):
    from mercuryhub.nap.actions import do_publish_plan

    return do_publish_plan(w.owner, _nap_draft(w))


_NAP_PARTS = ("objectives", "actions", "stakeholders")


def _nap_with_rows(w):
    from mercuryhub.nap.actions import do_save_rows

    rows = [{"name": "Minerals Commission", "stakeholder_type": "government"}]
    return do_save_rows(w.owner, _nap_draft(w), "stakeholders", rows, base_version=1)


def _nap_builder_case(method, tail, data=None, *, setup=_nap_draft, ok=200):
    """A page of a draft's builder: its country team only; 403 to the secretariat, which reads
    drafts but changes none; 404 to the others."""
    return case(
        method,
        "/nap/plans/{pk}/builder/" + tail,
        setup,
        data,
        allowed=NAP_TEAM,
        ok=ok,
        others=404,
        reviewer=403,
    )


NAP_WEB = {
    "nap-plan-list": [
        case("get", "/nap/", _nap_draft, allowed=PUBLIC, secret="secret draft", seen_by=NAP_READERS)
    ],
    "nap-plan-detail": [
        case(
            "get",
            "/nap/plans/{pk}/",
            _nap_draft,
            allowed=NAP_READERS,
            others=404,
            everyone=404,
            secret="secret draft",
            seen_by=NAP_READERS,
        ),
        case("get", "/nap/plans/{pk}/", _nap_published, allowed=PUBLIC),
    ],
    "nap-plan-builder": [
        case(
            "get",
            "/nap/plans/{pk}/builder/",
            _nap_draft,
            allowed=NAP_TEAM,
            others=404,
            reviewer=403,
        ),
    ],
    # The Word document: the version each person reads (the team's draft, the published one).
    "nap-plan-docx": [
        case("get", "/nap/plans/{pk}/plan.docx", _nap_draft, allowed=NAP_READERS, everyone=404),
        case("get", "/nap/plans/{pk}/plan.docx", _nap_published, allowed=PUBLIC),
    ],
    # The import writes into the plan: its team only, published or not.
    "nap-plan-import": [
        case(
            "get", "/nap/plans/{pk}/import/", _nap_draft, allowed=NAP_TEAM, others=404, reviewer=403
        ),
        case(
            "post",
            "/nap/plans/{pk}/import/",
            _nap_published,
            allowed=NAP_TEAM,
            others=404,
            reviewer=403,
        ),
    ],
    "nap-plan-import-template": [
        case(
            "get",
            "/nap/plans/{pk}/import/template.xlsx",
            _nap_draft,
            allowed=NAP_TEAM,
            others=404,
            reviewer=403,
        ),
    ],
}


# Mercury waste inventories: Batrec's editors keep an inventory of Switzerland; the secretariat
# reads drafts (to validate them) but changes none; the others are told a draft does not exist.
INVENTORY_READERS = EDITORS | REVIEWERS
_INVENTORY_LINE = {
    "category": "lamps-compact-fluorescent",
    "activity": "1000",
    "activity_unit": "item",
    "input_low": "5",
    "input_high": "15",
    "input_unit": "mg/item",
    "share_general_waste": "1",
    "justification": "Importers' survey",
}


def _inventory_draft(w, name="Swiss inventory secret draft", year=2024):
    from mercuryhub.inventory.actions import do_create_inventory

    return do_create_inventory(
        w.owner,
        {
            "name": name,
            "country": "CHE",
            "year": year,
            "organization": "batrec-industrie-ag",
            "lines": [{**_INVENTORY_LINE, "distribution": {"general_waste": "1"}}],
        },
    )


def _inventory_published(w, **draft):
    from mercuryhub.review import actions as review_actions

    inventory = review_actions.do_submit_entry("inventory", w.owner, _inventory_draft(w, **draft))
    return review_actions.do_validate_entry("inventory", w.reviewer, inventory)


def _inventory_factor_set(w):
    from pathlib import Path

    from mercuryhub.inventory.reference import do_load_factor_sets

    data = Path(__file__).parent.parent / "inventory" / "data"
    do_load_factor_sets(data / "example_sets.csv", data / "example_factors.csv")
    return SimpleNamespace(pk="example-set")


def _inventory_pair(w):
    """The draft and a published inventory of Batrec's, both chosen to compare: ``pk`` is the
    comparison's query after ``inventory=``."""
    published = _inventory_published(w, name="Swiss inventory 2023", year=2023)
    return SimpleNamespace(pk=f"{published.pk}&inventory={_inventory_draft(w).pk}")


def _inventory_team_case(method, tail, data=None, *, setup=_inventory_draft, ok=200):
    """A page that changes an inventory: its organization's editors only; 403 to the
    secretariat, which reads drafts but changes none; 404 to the others."""
    return case(
        method,
        "/inventory/{pk}/" + tail,
        setup,
        data,
        allowed=EDITORS,
        ok=ok,
        others=404,
        reviewer=403,
    )


INVENTORY_WEB = {
    "inventory-list": [
        case(
            "get",
            "/inventory/",
            _inventory_draft,
            allowed=PUBLIC,
            secret="secret draft",
            seen_by=INVENTORY_READERS,
        )
    ],
    # Any editor may start an inventory for an organization of its own (a form with an error
    # for another's); the others are refused.
    "inventory-create": [
        case("get", "/inventory/new/", allowed=EDITORS | {"other_editor"}, others=403),
        case(
            "post",
            "/inventory/new/",
            data={"name": ""},
            allowed=EDITORS | {"other_editor"},
            others=403,
        ),
    ],
    "inventory-detail": [
        case(
            "get",
            "/inventory/{pk}/",
            _inventory_draft,
            allowed=INVENTORY_READERS,
            everyone=404,
            secret="secret draft",
            seen_by=INVENTORY_READERS,
        ),
        case("get", "/inventory/{pk}/", _inventory_published, allowed=PUBLIC),
    ],
    # Anyone compares the inventories they may read; a draft chosen by another is refused as
    # no choice, without its name (the page answers with the choice to make again; the CSV 400).
    "inventory-compare": [
        case(
            "get",
            "/inventory/compare/?inventory={pk}",
            _inventory_pair,
            allowed=PUBLIC,
            secret="secret draft",
            seen_by=INVENTORY_READERS,
        ),
    ],
    "inventory-compare-csv": [
        case(
            "get",
            "/inventory/compare/comparison.csv?inventory={pk}",
            _inventory_pair,
            allowed=INVENTORY_READERS,
            everyone=400,
            secret="secret draft",
            seen_by=INVENTORY_READERS,
        ),
    ],
    "inventory-edit": [
        _inventory_team_case("get", "edit/"),
        _inventory_team_case(
            "post", "edit/", {"base_version": "1", "name": "Renamed", "year": "2024"}, ok=302
        ),
    ],
    "inventory-submit": [_inventory_team_case("post", "submit/", ok=302)],
    "inventory-line-new": [
        _inventory_team_case("get", "lines/new/"),
        _inventory_team_case(
            "post",
            "lines/new/",
            {**_INVENTORY_LINE, "category": "thermometers-medical", "base_version": "1"},
            ok=302,
        ),
    ],
    "inventory-line-edit": [
        _inventory_team_case("get", "lines/1/"),
        _inventory_team_case("post", "lines/1/", {**_INVENTORY_LINE, "base_version": "1"}, ok=302),
    ],
    "inventory-line-remove": [
        _inventory_team_case("post", "lines/1/remove/", {"base_version": "1"}, ok=302)
    ],
    # The facilities for each waste: read as the inventory is; a need is posted by its editors.
    "inventory-solutions": [
        case(
            "get",
            "/inventory/{pk}/solutions/",
            _inventory_draft,
            allowed=INVENTORY_READERS,
            everyone=404,
            secret="secret draft",
            seen_by=INVENTORY_READERS,
        ),
        case("get", "/inventory/{pk}/solutions/", _inventory_published, allowed=PUBLIC),
    ],
    "inventory-post-need": [
        _inventory_team_case("post", "solutions/lamps/need/", ok=302),
        case(
            "post",
            "/inventory/{pk}/solutions/lamps/need/",
            _inventory_published,
            allowed=EDITORS,
            ok=302,
            others=403,
        ),
    ],
    "inventory-factor-set-detail": [
        case("get", "/inventory/factors/{pk}/", _inventory_factor_set, allowed=PUBLIC)
    ],
    # The spreadsheets: the version each person reads (the latest for the team and the
    # secretariat, the published one for the public); a draft's are no one else's.
    "inventory-xlsx": [
        case(
            "get",
            "/inventory/{pk}/inventory.xlsx",
            _inventory_draft,
            allowed=INVENTORY_READERS,
            everyone=404,
        ),
        case("get", "/inventory/{pk}/inventory.xlsx", _inventory_published, allowed=PUBLIC),
    ],
    "inventory-csv": [
        case(
            "get",
            "/inventory/{pk}/inventory.csv",
            _inventory_draft,
            allowed=INVENTORY_READERS,
            everyone=404,
        ),
        case("get", "/inventory/{pk}/inventory.csv", _inventory_published, allowed=PUBLIC),
    ],
    "inventory-template": [case("get", "/inventory/template.xlsx", allowed=PUBLIC)],
    # The import writes the lines: the team only, published or not.
    "inventory-import": [
        _inventory_team_case("get", "import/"),
        _inventory_team_case("post", "import/"),
        case(
            "post",
            "/inventory/{pk}/import/",
            _inventory_published,
            allowed=EDITORS,
            others=403,
        ),
    ],
}


# Peer review: the team (Batrec's editors) opens rounds, invites, resolves and closes; the
# secretariat comments (and reopens its own comments); the others are told there is no review.
# Assistance: a country team asks, the secretariat answers, the others see nothing of it.
NAP_SECRET_COMMENT = "Batrec secret remark"


def _nap_round(w):
    from mercuryhub.nap.peer_review import do_open_review_round

    plan = _nap_draft(w)
    do_open_review_round(w.owner, plan)
    return plan


def _nap_comment(w, *, resolved=False):
    from mercuryhub.nap import peer_review

    plan = _nap_round(w)
    round_ = plan.review_rounds.get()
    comment = peer_review.do_comment_on_section(w.reviewer, round_, "a", NAP_SECRET_COMMENT)
    if resolved:
        peer_review.do_resolve_comment(w.owner, comment, "Done.")
    return SimpleNamespace(pk=f"{plan.pk}/review/comments/{comment.pk}", plan=plan)


def _nap_review(w):
    return _nap_comment(w).plan


def _nap_api_comment(w):
    thing = _nap_comment(w)
    return SimpleNamespace(pk=thing.pk.replace("/review/comments/", "/comments/"))


def _nap_assistance(w):
    from mercuryhub.nap.assistance import do_request_assistance

    return do_request_assistance(
        w.owner, {"kind": "workshop", "description": "Batrec secret request"}
    )


NAP_ASSISTANCE_READERS = {"owner"} | REVIEWERS
NAP_WEB |= {
    "nap-plan-review": [
        case(
            "get",
            "/nap/plans/{pk}/review/",
            _nap_review,
            allowed=NAP_READERS,
            others=404,
            secret=NAP_SECRET_COMMENT,
            seen_by=NAP_READERS,
        ),
    ],
    "nap-review-round-detail": [
        case(
            "get",
            "/nap/plans/{pk}/review/rounds/1/",
            _nap_review,
            allowed=NAP_READERS,
            others=404,
            secret=NAP_SECRET_COMMENT,
            seen_by=NAP_READERS,
        ),
    ],
    "nap-review-round-open": [
        case(
            "post",
            "/nap/plans/{pk}/review/rounds/",
            _nap_draft,
            {"due_on": ""},
            allowed=NAP_TEAM,
            ok=302,
            others=404,
            reviewer=403,
        ),
    ],
    "nap-review-round-invite": [
        case(
            "post",
            "/nap/plans/{pk}/review/rounds/1/invitations/",
            _nap_round,
            {"email": "ama.reviewer@asgm.example"},
            allowed=NAP_TEAM,
            ok=302,
            others=404,
            reviewer=403,
        ),
    ],
    "nap-review-round-close": [
        case(
            "post",
            "/nap/plans/{pk}/review/rounds/1/close/",
            _nap_round,
            {"summary": "Done."},
            allowed=NAP_TEAM,
            ok=302,
            others=404,
            reviewer=403,
        ),
    ],
    "nap-review-comment-create": [
        case(
            "post",
            "/nap/plans/{pk}/review/comments/",
            _nap_round,
            {"section": "a", "text": "Targets?"},
            allowed=REVIEWERS,
            ok=302,
            others=404,
            owner=403,
        ),
    ],
    "nap-review-comment-resolve": [
        case(
            "post",
            "/nap/plans/{pk}/resolve/",
            _nap_comment,
            {"resolution": "Done."},
            allowed=NAP_TEAM,
            ok=302,
            others=404,
            reviewer=403,
        ),
    ],
    # The secretariat reopens a comment of its own; the team any comment.
    "nap-review-comment-reopen": [
        case(
            "post",
            "/nap/plans/{pk}/reopen/",
            lambda w: _nap_comment(w, resolved=True),
            allowed=NAP_READERS,
            ok=302,
            others=404,
        ),
    ],
    "nap-assistance-list": [
        case(
            "get",
            "/nap/assistance/",
            _nap_assistance,
            allowed=SIGNED_IN,
            secret="Batrec secret request",
            seen_by=NAP_ASSISTANCE_READERS,
        ),
    ],
    # Any country team asks (an editor of another organization asks for its own).
    "nap-assistance-new": [
        case(
            "post",
            "/nap/assistance/new/",
            None,
            {
                "kind": "workshop",
                "description": "A workshop.",
                "organization": "batrec-industrie-ag",
            },
            allowed=NAP_TEAM | {"other_editor"},
            ok=302,
            others=403,
        ),
    ],
    "nap-assistance-detail": [
        case(
            "get",
            "/nap/assistance/{pk}/",
            _nap_assistance,
            allowed=NAP_ASSISTANCE_READERS,
            others=404,
            secret="Batrec secret request",
            seen_by=NAP_ASSISTANCE_READERS,
        ),
    ],
    # No expert chosen: the secretariat is answered with the form again, the others refused.
    "nap-assistance-assign": [
        case(
            "post",
            "/nap/assistance/{pk}/assign/",
            _nap_assistance,
            {"experts": ""},
            allowed=REVIEWERS,
            ok=400,
            others=404,
            owner=403,
        ),
    ],
    "nap-assistance-complete": [
        case(
            "post",
            "/nap/assistance/{pk}/complete/",
            _nap_assistance,
            {"note": "Held."},
            allowed=REVIEWERS,
            ok=302,
            others=404,
            owner=403,
        ),
    ],
    "nap-assistance-decline": [
        case(
            "post",
            "/nap/assistance/{pk}/decline/",
            _nap_assistance,
            {"note": "Covered elsewhere."},
            allowed=REVIEWERS,
            ok=302,
            others=404,
            owner=403,
        ),
    ],
}

# The builder's pages: the country team's.
NAP_WEB |= {
    # Any editor of an organization may start a plan for it.
    "nap-plan-create": [
        case("get", "/nap/new/", allowed=NAP_TEAM | {"other_editor"}, others=403),
        case(
            "post", "/nap/new/", data={"name": ""}, allowed=NAP_TEAM | {"other_editor"}, others=403
        ),
    ],
    "nap-plan-section": [
        _nap_builder_case("get", "sections/introduction/"),
        _nap_builder_case(
            "post", "sections/introduction/", {"text": "Ours", "base_version": 1}, ok=302
        ),
    ],
    "nap-plan-fill-baseline": [
        _nap_builder_case("post", "baseline/", {"base_version": 1}, ok=302),
    ],
    "nap-plan-publish": [_nap_builder_case("post", "publish/", ok=302)],
    "nap-plan-rows": [_nap_builder_case("get", f"{part}/") for part in _NAP_PARTS],
    "nap-plan-row-add": [
        _nap_builder_case("get", "stakeholders/new/"),
        _nap_builder_case(
            "post", "stakeholders/new/", {"name": "Minerals Commission", "base_version": 1}, ok=302
        ),
    ],
    "nap-plan-row-edit": [
        _nap_builder_case("get", "stakeholders/1/", setup=_nap_with_rows),
        _nap_builder_case(
            "post",
            "stakeholders/1/",
            {"name": "Chamber of Mines", "base_version": 2},
            setup=_nap_with_rows,
            ok=302,
        ),
    ],
    "nap-plan-row-remove": [
        _nap_builder_case(
            "post", "stakeholders/1/remove/", {"base_version": 2}, setup=_nap_with_rows, ok=302
        ),
    ],
}

# The pages on NAPs around the world.
NAP_WEB |= {
    # A country's page lists the plans a person may read; the budgets page shows the budget of
    # a plan (?plan=) to those who may read it.
    "nap-country": [
        case(
            "get",
            "/nap/countries/GHA/",
            _nap_draft,
            allowed=PUBLIC,
            secret="secret draft",
            seen_by=NAP_READERS,
        )
    ],
    "nap-budgets": [
        case(
            "get",
            "/nap/budgets/?plan={pk}",
            _nap_draft,
            allowed=NAP_READERS,
            others=404,
            everyone=404,
            secret="secret draft",
            seen_by=NAP_READERS,
        ),
        case("get", "/nap/budgets/?plan={pk}", _nap_published, allowed=PUBLIC),
    ],
}


# The Partnership's projects: kept by Batrec's editors (or the secretariat), public once
# validated; a draft shows nowhere, not even to its editors, on the public pages.
_PROJECT = {
    "name": "Batrec secret project",
    "organization": "batrec-industrie-ag",
    "countries": ["CHE"],
    "waste_categories": ["lamps"],
}


def _partnership_project(w, *, published: bool):
    project = review_actions.do_create_draft("project", w.owner, _PROJECT)
    if published:
        project = review_actions.do_submit_entry("project", w.owner, project)
        project = review_actions.do_validate_entry("project", w.reviewer, project)
    return project


def _project_draft(w):
    return _partnership_project(w, published=False)


def _project_published(w):
    return _partnership_project(w, published=True)


PROJECTS_WEB = {
    **{
        name: [
            case("get", path, _project_draft, allowed=PUBLIC, secret="Batrec secret", seen_by=()),
        ]
        for name, path in (
            ("partnership-project-list", "/partnership/projects/"),
            ("partnership-project-map", "/partnership/projects/map.json"),
            ("partnership-project-export", "/partnership/projects/export.csv"),
        )
    },
    "partnership-project-detail": [
        case("get", "/partnership/projects/{pk}/", _project_draft, everyone=404),
        case("get", "/partnership/projects/{pk}/", _project_published, allowed=PUBLIC),
    ],
}


ASGM_WEB = {
    "asgm-site-detail": [
        case(
            "get",
            "/asgm/sites/{pk}/",
            _asgm_site,
            allowed=PUBLIC,
            secret=EXACT_LATITUDE,
            seen_by=REVIEWERS,
        )
    ],
    "asgm-site-merge": [
        case("post", "/asgm/sites/{pk}/merge/", _asgm_site, allowed=MANAGERS, ok=400, others=403)
    ],
    "asgm-site-split": [
        case("post", "/asgm/sites/{pk}/split/", _asgm_site, allowed=MANAGERS, ok=400, others=403)
    ],
    "asgm-overview": [case("get", "/asgm/COD/", _asgm_site, allowed=PUBLIC)],
    "asgm-overview-docx": [case("get", "/asgm/COD/overview.docx", _asgm_site, allowed=PUBLIC)],
    "asgm-overview-sites": [
        case(
            "get",
            "/asgm/COD/sites.json",
            _asgm_site,
            allowed=PUBLIC,
            secret=EXACT_LATITUDE,
            seen_by=REVIEWERS,
        )
    ],
    "asgm-national-ratio": [
        case("post", "/asgm/COD/ratios/", _asgm_site, _RATIO, allowed=REVIEWERS, ok=302, others=403)
    ],
    "asgm-export-sites": [
        case(
            "get",
            f"/asgm/COD/sites.{file_format}",
            _asgm_site,
            allowed=PUBLIC,
            secret=EXACT_LATITUDE,
            seen_by=REVIEWERS,
        )
        for file_format in ("csv", "geojson")
    ]
    + [case("get", "/asgm/COD/sites.xlsx", _asgm_site, allowed=PUBLIC)],
}


# URL name -> the cases that try it. Every web route with a parameter or that accepts a POST.
# The Partnership's working groups: a partner's editors (and the administrators, who edit every
# organization) ask to join; an organization that is not a partner is told so (400); the
# secretariat answers, appoints and ends leaderships; a member organization's editors leave.


def _partnership_groups():
    from mercuryhub.partnership.group_reference import do_load_working_groups

    do_load_working_groups()


def _partnership_request(w):
    from mercuryhub.partnership.group_actions import do_request_group_membership
    from mercuryhub.partnership.models import WorkingGroup

    _partnership_groups()
    group = WorkingGroup.objects.get(term__code="wg1")
    return do_request_group_membership(w.owner, group, w.organization, "Batrec secret message")


def _partnership_member(w):
    from mercuryhub.partnership.group_actions import do_decide_group_membership

    return do_decide_group_membership(w.reviewer, _partnership_request(w), approve=True)


def _partnership_leadership(w):
    from datetime import date

    from mercuryhub.partnership.group_actions import do_appoint_leader
    from mercuryhub.partnership.models import WorkingGroup

    _partnership_groups()
    group = WorkingGroup.objects.get(term__code="wg1")
    return do_appoint_leader(
        w.reviewer,
        group,
        person=w.owner,
        organization=w.organization,
        gender="man",
        started_on=date(2024, 1, 1),
    )


PARTNERSHIP_GROUPS_WEB = {
    "partnership-group-detail": [
        case(
            "get",
            "/partnership/groups/wg1/",
            _partnership_request,
            allowed=PUBLIC,
            secret="Batrec secret message",
            seen_by=REVIEWERS,
        ),
    ],
    "partnership-group-join": [
        case(
            "post",
            "/partnership/groups/wg1/join/",
            lambda w: _partnership_groups(),
            {"organization": "batrec-industrie-ag"},
            allowed=EDITORS,
            ok=302,
            others=403,
            other_editor=400,
        ),
    ],
    "partnership-group-decide": [
        case(
            "post",
            "/partnership/groups/wg1/requests/{pk}/",
            _partnership_request,
            {"decision": "approve"},
            allowed=REVIEWERS,
            ok=302,
            others=404,
        ),
    ],
    "partnership-group-leave": [
        case(
            "post",
            "/partnership/groups/wg1/members/{pk}/leave/",
            _partnership_member,
            allowed=EDITORS | REVIEWERS,
            ok=302,
            others=403,
        ),
    ],
    "partnership-group-leaders": [
        case(
            "get",
            "/partnership/groups/wg1/leaders/",
            lambda w: _partnership_groups(),
            allowed=REVIEWERS,
            others=403,
        ),
        case(
            "post",
            "/partnership/groups/wg1/leaders/",
            lambda w: _partnership_groups(),
            {
                "person": "owen.owner@batrec.example",
                "organization": "batrec-industrie-ag",
                "gender": "man",
                "started_on": "2024-01-01",
            },
            allowed=REVIEWERS,
            ok=302,
            others=403,
        ),
    ],
    "partnership-group-end-leadership": [
        case(
            "post",
            "/partnership/groups/wg1/leaders/{pk}/end/",
            _partnership_leadership,
            {"ended_on": "2025-01-01"},
            allowed=REVIEWERS,
            ok=302,
            others=403,
        ),
    ],
}

WEB = {
    "catalogue-facility-detail": [
        case("get", "/catalogue/facilities/{pk}/", _draft, everyone=404, secret="secret draft"),
        case("get", "/catalogue/facilities/{pk}/", _returned, everyone=404, secret=RETURN_REASON),
        case("get", "/catalogue/facilities/{pk}/", _published, allowed=PUBLIC),
    ],
    "library-resource-detail": [
        case(
            "get",
            "/library/resources/{pk}/",
            lambda w: _resource(w, published=False),
            everyone=404,
            secret="secret guide",
        ),
        case(
            "get",
            "/library/resources/{pk}/",
            lambda w: _resource(w, published=True),
            allowed=PUBLIC,
        ),
    ],
    "library-file": [
        case(
            "get",
            "/library/files/{pk}/",
            lambda w: _document(w, published=False),
            allowed=EDITORS | REVIEWERS,
            others=404,
            anonymous=404,
            secret="secret guide text",
            seen_by=EDITORS | REVIEWERS,
        ),
        case(
            "get",
            "/library/files/{pk}/",
            lambda w: _document(w, published=True),
            allowed=PUBLIC,
            secret="secret guide text",
            seen_by=PUBLIC,
        ),
    ],
    "library-case-study-detail": [
        case(
            "get",
            "/library/case-studies/{pk}/",
            lambda w: _case_study(w, published=False),
            everyone=404,
            secret="secret case",
        ),
        case(
            "get",
            "/library/case-studies/{pk}/",
            lambda w: _case_study(w, published=True),
            allowed=PUBLIC,
        ),
    ],
    "library-case-study-judge": [
        case(
            "post",
            "/library/case-studies/{pk}/judgements/",
            _submitted_case_study,
            {"criterion": "source-named", "judgement": "met", "note": "Named in the report"},
            allowed=REVIEWERS,
            ok=302,
            others=403,
        ),
    ],
    "catalogue-offering-detail": [
        case(
            "get",
            "/catalogue/offerings/{pk}/",
            lambda w: _offering(w, published=False),
            everyone=404,
            secret="secret service",
        ),
        case(
            "get",
            "/catalogue/offerings/{pk}/",
            lambda w: _offering(w, published=True),
            allowed=PUBLIC,
        ),
    ],
    "exchange-need-detail": [
        case(
            "get",
            "/exchange/needs/{pk}/",
            _need(published=False),
            allowed=EDITORS | REVIEWERS,
            everyone=404,
            secret="secret need",
            seen_by=EDITORS | REVIEWERS,
        ),
        case(
            "get",
            "/exchange/needs/{pk}/",
            _need("partners"),
            allowed=PARTNERS,
            everyone=404,
            secret="secret need",
            seen_by=PARTNERS,
        ),
        case("get", "/exchange/needs/{pk}/", _need(), allowed=PUBLIC),
    ],
    "exchange-need-offer": [
        case(
            "post",
            "/exchange/needs/{pk}/offers/",
            _need(),
            {"message": "We can help"},
            allowed=PARTNERS_OF_OTHERS,
            ok=302,
            others=403,
        ),
    ],
    "exchange-alerts": [
        case(
            "post",
            "/exchange/alerts/",
            None,
            {"phases": ["collection"]},
            allowed={"member", "other_editor", "owner"},
            ok=302,
            others=403,
        ),
    ],
    "exchange-need-note": [
        case(
            "post",
            "/exchange/needs/{pk}/notes/",
            _need(),
            {"text": "Batrec can take them"},
            allowed=REVIEWERS,
            ok=302,
            others=403,
        ),
    ],
    "exchange-need-matched": [
        case("post", "/exchange/needs/{pk}/matched/", _need(), allowed=EDITORS, ok=302, others=403),
    ],
    "exchange-offer-accept": [
        case("post", "/exchange/offers/{pk}/accept/", _offer, allowed=EDITORS, ok=302, others=403),
    ],
    "exchange-offer-decline": [
        case("post", "/exchange/offers/{pk}/decline/", _offer, allowed=EDITORS, ok=302, others=403),
    ],
    "exchange-need-close": [
        case(
            "post",
            "/exchange/needs/{pk}/close/",
            _need(),
            {"outcome": "Treated in Switzerland"},
            allowed=EDITORS,
            ok=302,
            others=403,
        ),
    ],
    "catalogue-expert-detail": [
        case(
            "get", "/catalogue/experts/{pk}/", lambda w: _expert(w, published=False), everyone=404
        ),
        case(
            "get",
            "/catalogue/experts/{pk}/",
            lambda w: _expert(w, published=True),
            allowed=PUBLIC,
            secret=SECRET_EMAIL,
        ),
    ],
    "catalogue-expert-contact": [
        case(
            "get",
            "/catalogue/experts/{pk}/contact/",
            lambda w: _expert(w, published=False),
            everyone=404,
        ),
        case(
            "post",
            "/catalogue/experts/{pk}/contact/",
            lambda w: _expert(w, published=True),
            {"name": "Ama", "email": "ama@example.org", "message": "Could you advise our clinic?"},
            allowed=PUBLIC,
            ok=302,
            secret=SECRET_EMAIL,
        ),
    ],
    "catalogue-export": [
        case("get", "/catalogue/export/csv/", _draft, allowed=PUBLIC, secret="secret draft"),
    ],
    "catalogue-entry-create": [
        case(
            "post",
            "/catalogue/new/facility/",
            None,
            FORM,
            allowed=EDITORS,
            ok=302,
            others=403,
        ),
    ],
    "catalogue-entry-edit": [
        draft_hidden("get", "/catalogue/facility/{pk}/edit/", _returned, secret=RETURN_REASON),
        draft_hidden(
            "get",
            "/catalogue/expert/{pk}/edit/",
            lambda w: _expert(w, published=False),
            secret=SECRET_EMAIL,
        ),
        case(
            "get",
            "/catalogue/expert/{pk}/edit/",
            lambda w: _expert(w, published=True),
            allowed=EDITORS,
            secret=SECRET_EMAIL,
            seen_by=EDITORS,
            others=403,
        ),
        draft_hidden(
            "post", "/catalogue/facility/{pk}/edit/", _draft, {**FORM, "base_version": "1"}, ok=302
        ),
    ],
    "catalogue-entry-submit": [
        draft_hidden("post", "/catalogue/facility/{pk}/submit/", _draft, ok=302),
    ],
    "catalogue-entry-delete": [
        draft_hidden("get", "/catalogue/facility/{pk}/delete/", _draft),
        draft_hidden("post", "/catalogue/facility/{pk}/delete/", _draft, ok=302),
        case(
            "post",
            "/catalogue/facility/{pk}/delete/",
            _published,
            allowed={"administrator"},
            ok=302,
            others=403,
        ),
    ],
    "catalogue-expert-link": [
        case(
            "get",
            "/catalogue/experts/{pk}/link/batrec-industrie-ag/",
            _link_request,
            allowed=EDITORS,
            others=404,
            secret="Kofi",
            seen_by=EDITORS,
        ),
        case(
            "post",
            "/catalogue/experts/{pk}/link/batrec-industrie-ag/",
            _link_request,
            {"answer": "accept"},
            allowed=EDITORS,
            ok=302,
            others=404,
        ),
        case(
            "post",
            "/catalogue/experts/{pk}/link/batrec-industrie-ag/",
            lambda w: _expert(w, published=True),
            {"answer": "accept"},
            others=404,
            owner=404,
            administrator=404,
        ),
    ],
    "review-entry": [
        case(
            "get",
            "/review/facility/{pk}/",
            _submitted,
            allowed=REVIEWERS,
            others=403,
            secret="secret draft",
            seen_by=REVIEWERS,
        ),
        case(
            "post",
            "/review/facility/{pk}/",
            _submitted,
            {"action": "return", "reason": "Incomplete"},
            allowed=REVIEWERS,
            ok=302,
            others=403,
        ),
        # A case study's review page holds a form per validation criterion.
        case(
            "get",
            "/review/case_study/{pk}/",
            _submitted_case_study,
            allowed=REVIEWERS,
            others=403,
            secret="secret case",
            seen_by=REVIEWERS,
        ),
    ],
    "review-entry-versions": [
        draft_hidden(
            "get",
            "/review/facility/{pk}/versions/",
            _returned,
            allowed=EDITORS | REVIEWERS,
            secret=RETURN_REASON,
        ),
        case(
            "get",
            "/review/expert/{pk}/versions/",
            lambda w: _expert(w, published=True),
            allowed=EDITORS | REVIEWERS,
            secret=SECRET_EMAIL,
            seen_by=EDITORS | REVIEWERS,
            others=403,
        ),
    ],
    "review-entry-revert": [
        case(
            "post",
            "/review/facility/{pk}/revert/",
            _edited("facility", _published),
            {"version": "1"},
            allowed=REVIEWERS,
            ok=302,
            others=403,
        ),
    ],
    "review-campaign-detail": [
        case("get", "/review/campaigns/{pk}/", _campaign, allowed=REVIEWERS, others=403),
        case(
            "post",
            "/review/campaigns/{pk}/",
            _campaign,
            {"action": "close"},
            allowed=REVIEWERS,
            ok=302,
            others=403,
        ),
    ],
    "review-campaigns": [
        case(
            "post",
            "/review/campaigns/",
            None,
            _campaign_form(),
            allowed=REVIEWERS,
            ok=302,
            others=403,
        ),
    ],
    "review-entry-reconfirm": [
        draft_hidden("get", "/review/facility/{pk}/reconfirm/", _draft),
        case(
            "post",
            "/review/facility/{pk}/reconfirm/",
            _published,
            allowed=EDITORS,
            ok=302,
            others=403,
        ),
    ],
    "catalogue-expert-nominate": [
        case(
            "post",
            "/catalogue/experts/nominate/",
            None,
            {
                "form": "nominate",
                "name": "Rene",
                "email": "rene@example.org",
                "country": "FRA",
                "consent_to_publication": "on",
            },
            allowed=SIGNED_IN,
            ok=302,
        ),
    ],
    "catalogue-bulk-upload": [
        # Editors of any organization upload for it; an empty form is answered again.
        case(
            "post",
            "/catalogue/upload/",
            None,
            {},
            allowed=EDITORS | REVIEWERS | {"other_editor"},
            others=403,
        ),
    ],
    # A factsheet lists published entries only: a draft accepting the waste is nobody's to see.
    "library-factsheet": [
        case("get", "/library/factsheets/lamps/", _draft, allowed=PUBLIC, secret="secret draft"),
    ],
    "library-factsheet-docx": [
        case("get", "/library/factsheets/lamps/docx/", _draft, allowed=PUBLIC),
    ],
    "taxonomy-vocabulary": [
        case("get", "/taxonomy/waste_categories/", allowed=PUBLIC),
    ],
    "accounts-profile": [
        case("post", "/profile/", None, {"name": "nightly export"}, allowed=SIGNED_IN),
    ],
    "accounts-token-revoke": [
        case(
            "post",
            "/profile/tokens/{pk}/revoke/",
            lambda w: do_create_api_token(w.owner, "owner's script")[0],
            allowed={"owner"},
            ok=302,
            others=404,
        ),
    ],
    "accounts-organization-create": [
        case(
            "post",
            "/organizations/new/",
            None,
            {"name": "Ministry", "stakeholder_type": "government", "country": "URY"},
            allowed=SIGNED_IN,
            ok=302,
        ),
    ],
    "accounts-organization-detail": [
        case(
            "get",
            "/organizations/batrec-industrie-ag/",
            allowed=PUBLIC,
            secret="mia.member@batrec.example",  # members are listed by name, to editors
        ),
    ],
    "accounts-organization-edit": [
        case(
            "post",
            "/organizations/batrec-industrie-ag/edit/",
            None,
            {**ORGANIZATION, "country": "CHE", "description": "Recycles batteries."},
            allowed=EDITORS,
            ok=302,
            others=403,
        ),
    ],
    "accounts-organization-partnership": [
        case(
            "post",
            "/organizations/batrec-industrie-ag/partnership/",
            None,
            {"is_partner": ""},
            allowed=REVIEWERS,
            ok=302,
            others=403,
        ),
    ],
}


# The working groups' work: Batrec (the owner's organization) leads WG1 and keeps its workplan
# and review report; drafts show to its editors and the secretariat, published ones to everyone.
# Editors of a partner organization endorse a published workplan; the secretariat opens the
# year's reports; any signed-in person chooses how often to receive the partners' digest, and
# the link in a digest stops it without signing in.
def _led_wg1(w):
    from mercuryhub.partnership.models import Leadership, WorkingGroup
    from mercuryhub.taxonomy.models import Term

    for number, term in enumerate(Term.objects.filter(vocabulary__name="working_groups")):
        WorkingGroup.objects.get_or_create(term=term, defaults={"position": number})
    group = WorkingGroup.objects.get(term__code="wg1")
    Leadership.objects.create(
        group=group, person=w.owner, organization=w.organization, started_on=date(2025, 1, 1)
    )
    return group


def _workplan_draft(w):
    _led_wg1(w)
    data = {
        "name": "WG1 secret draft workplan",
        "group": "wg1",
        "organization": "batrec-industrie-ag",
        "first_year": 2026,
        "last_year": 2028,
        "activities": [{"year": 2026, "name": "Guidance"}],
    }
    return review_actions.do_create_draft("workplan", w.owner, data)


def _workplan_published(w):
    workplan = review_actions.do_submit_entry("workplan", w.owner, _workplan_draft(w))
    return review_actions.do_validate_entry("workplan", w.reviewer, workplan)


def _report_draft(w):
    from mercuryhub.partnership.work_actions import do_open_review_reports

    _led_wg1(w)
    due = timezone.localdate() + timedelta(days=30)
    [report] = do_open_review_reports(w.reviewer, 2026, due).opened
    return review_actions.do_edit_entry(
        "review_report", w.owner, report, {"outputs": "Secret draft outputs"}, base_version=1
    )


def _report_published(w):
    report = review_actions.do_submit_entry("review_report", w.owner, _report_draft(w))
    return review_actions.do_validate_entry("review_report", w.reviewer, report)


def _digest_link(w):
    from mercuryhub.partnership.digest_actions import unsubscribe_token

    return SimpleNamespace(pk=unsubscribe_token(w.owner))


GROUP_WORK_READERS = EDITORS | REVIEWERS
PARTNERSHIP_WORK_WEB = {
    "partnership-workplan-detail": [
        case(
            "get",
            "/partnership/workplans/{pk}/",
            _workplan_draft,
            allowed=GROUP_WORK_READERS,
            everyone=404,
            secret="secret draft",
            seen_by=GROUP_WORK_READERS,
        ),
        case("get", "/partnership/workplans/{pk}/", _workplan_published, allowed=PUBLIC),
    ],
    "partnership-workplan-endorse": [
        case(
            "post",
            "/partnership/workplans/{pk}/endorse/",
            _workplan_published,
            {"organization": "batrec-industrie-ag"},
            allowed=EDITORS,
            ok=302,
            others=403,
        ),
    ],
    "partnership-report-detail": [
        case(
            "get",
            "/partnership/reports/{pk}/",
            _report_draft,
            allowed=GROUP_WORK_READERS,
            everyone=404,
            secret="Secret draft outputs",
            seen_by=GROUP_WORK_READERS,
        ),
        case("get", "/partnership/reports/{pk}/", _report_published, allowed=PUBLIC),
    ],
    "partnership-reports-open": [
        case("get", "/partnership/reports/open/", allowed=REVIEWERS, others=403),
        case(
            "post",
            "/partnership/reports/open/",
            _led_wg1,
            {"year": "2026", "due_on": "2099-01-31"},
            allowed=REVIEWERS,
            ok=302,
            others=403,
        ),
    ],
    "partnership-digest-preference": [
        case("get", "/partnership/digest/", allowed=SIGNED_IN),
        case(
            "post", "/partnership/digest/", data={"frequency": "weekly"}, allowed=SIGNED_IN, ok=302
        ),
    ],
    "partnership-digest-unsubscribe": [
        case("get", "/partnership/digest/unsubscribe/{pk}/", _digest_link, allowed=PUBLIC),
        case("post", "/partnership/digest/unsubscribe/{pk}/", _digest_link, allowed=PUBLIC),
    ],
}

# Partnership events: Batrec's editors organize an event; the secretariat sees drafts (to
# validate them) and the registrations; a draft is not found by the others; anyone signed in
# registers for a published event; its registrations reach its organizers only.
EVENT_ORGANIZERS = EDITORS | REVIEWERS
EVENT_REGISTRANT = "regina.registrant@private.example"


def _event_draft(w):
    from tests.partnership.events_setup import event_data

    return review_actions.do_create_draft(
        "event", w.owner, event_data(w.organization, name="Batrec secret event draft")
    )


def _event_published(w):
    entry = review_actions.do_submit_entry("event", w.owner, _event_draft(w))
    return review_actions.do_validate_entry("event", w.reviewer, entry)


def _event_with_registration(w):
    from mercuryhub.partnership.event_actions import do_register_for_event

    event = _event_published(w)
    do_register_for_event(make_user(EVENT_REGISTRANT), event)
    return event


def _event_organizers_case(path):
    return case(
        "get",
        path,
        _event_with_registration,
        allowed=EVENT_ORGANIZERS,
        others=404,
        secret=EVENT_REGISTRANT,
        seen_by=EVENT_ORGANIZERS,
    )


EVENTS_WEB = {
    "partnership-event-list": [
        case("get", "/partnership/events/", _event_draft, allowed=PUBLIC, secret="secret event")
    ],
    "partnership-event-calendar": [
        case(
            "get",
            "/partnership/events/calendar.ics",
            _event_draft,
            allowed=PUBLIC,
            secret="secret event",
        )
    ],
    "partnership-event-detail": [
        case(
            "get",
            "/partnership/events/{pk}/",
            _event_draft,
            allowed=EVENT_ORGANIZERS,
            everyone=404,
            secret="secret event draft",
            seen_by=EVENT_ORGANIZERS,
        ),
        case("get", "/partnership/events/{pk}/", _event_published, allowed=PUBLIC),
    ],
    "partnership-event-ics": [
        case(
            "get",
            "/partnership/events/{pk}/event.ics",
            _event_draft,
            allowed=EVENT_ORGANIZERS,
            everyone=404,
        ),
        case("get", "/partnership/events/{pk}/event.ics", _event_published, allowed=PUBLIC),
    ],
    "partnership-event-register": [
        case(
            "post",
            "/partnership/events/{pk}/register/",
            _event_published,
            allowed=SIGNED_IN,
            ok=302,
        ),
        case(
            "post",
            "/partnership/events/{pk}/register/",
            _event_draft,
            allowed=EVENT_ORGANIZERS,
            ok=302,
            others=404,
        ),
    ],
    "partnership-event-cancel": [
        case(
            "post", "/partnership/events/{pk}/cancel/", _event_published, allowed=SIGNED_IN, ok=302
        )
    ],
    "partnership-event-registrations": [
        _event_organizers_case("/partnership/events/{pk}/registrations/")
    ],
    "partnership-event-registrations-csv": [
        _event_organizers_case("/partnership/events/{pk}/registrations.csv")
    ],
}

WEB |= FORMS_WEB
WEB |= ASGM_WEB
WEB |= NAP_WEB
WEB |= INVENTORY_WEB
WEB |= PARTNERSHIP_GROUPS_WEB
WEB |= PARTNERSHIP_WORK_WEB
WEB |= EVENTS_WEB
WEB |= PROJECTS_WEB

# Pages without a parameter that only read: the matrix need not try them.
READ_ONLY = {
    "forms-project-list",
    "nap-world",
    "asgm-country-list",
    "exchange-need-list",
    "inventory-factor-set-list",
    "exchange-similar-needs",
    "core-home",
    "core-open-data",
    "core-open-data-download",
    "exchange-what-do-you-need",
    "exchange-response-list",
    "core-favicon",
    "core-offline",
    "core-basemap-world",
    "core-basemap-cell",
    "core-service-worker",
    "catalogue-home",
    "catalogue-search",
    "catalogue-search-facets",
    "catalogue-map",
    "catalogue-map-points",
    "catalogue-finder",
    "catalogue-publication",
    "catalogue-my-entries",
    "library-home",
    "library-case-study-list",
    "library-case-study-criteria",
    "library-resource-list",
    "library-wheel",
    "library-factsheets",
    "review-queue",
    "taxonomy-index",
    "taxonomy-countries",
    "taxonomy-languages",
    "accounts-organization-list",
    "partnership-home",
    "partnership-partner-list",
    "partnership-partner-csv",
    "partnership-group-list",
    "javascript-catalog",
    "set_language",
}
# Django's admin (closed to all but staff, tried in its own test below) and django-allauth's
# sign-up, sign-in and e-mail pages (a person's own account, no id of the platform's data).
OUTSIDE = ("admin", "account_", "socialaccount_", "mfa_", "usersessions_", "headless")


def _web_routes() -> dict[str, str]:
    def walk(patterns, prefix="", namespace=None):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                yield from walk(
                    pattern.url_patterns,
                    prefix + str(pattern.pattern),
                    pattern.namespace or namespace,
                )
            elif isinstance(pattern, URLPattern):
                # A former address that only redirects leads to a route tried below.
                if getattr(pattern.callback, "view_class", None) is RedirectView:
                    continue
                yield namespace, pattern.name, prefix + str(pattern.pattern)

    return {
        name: route
        for namespace, name, route in walk(get_resolver().url_patterns)
        if namespace != "admin"
        and not route.startswith("api/")
        and not (name or "").startswith(OUTSIDE)
    }


def test_every_web_route_is_in_the_matrix_or_known_to_only_read():
    routes = _web_routes()
    unknown = {
        name or route for name, route in routes.items() if name not in WEB and name not in READ_ONLY
    }
    assert unknown == set(), "add these routes to the permission matrix"
    with_parameters = {name for name, route in routes.items() if "<" in route or "(?P" in route}
    assert with_parameters <= set(WEB)
    assert set(WEB) | READ_ONLY <= set(routes), "the matrix names routes that no longer exist"


@pytest.mark.parametrize("persona", PERSONAS)
def test_each_persona_gets_only_what_it_may_on_each_web_route(client, people, web_case, persona):
    name, one, path = web_case
    if people[persona] is not None:
        client.force_login(people[persona])
    response = getattr(client, one.method)(path, one.data)
    content = b"".join(response.streaming_content) if response.streaming else response.content
    body = content.decode(errors="replace")
    where = (name, one.method, persona, response.status_code)
    if persona in one.allowed:
        assert response.status_code == one.ok, (*where, body[:300])
    elif one.refused[persona] == "login":
        assert response.status_code == 302, where
        assert response.url.startswith("/accounts/login/"), where
    elif one.refused[persona] is not None:
        assert response.status_code == one.refused[persona], where
    else:  # an allowed write that answers the form again: not a change, not a refusal
        assert response.status_code in {200, 302}, where
    if one.secret and persona not in one.seen_by:
        assert one.secret not in body, (*where, "leaks", one.secret)
    if one.secret and persona in one.seen_by:
        assert one.secret in body, (*where, "does not show", one.secret)


# The API ------------------------------------------------------------------------------------


API = {
    "POST /api/v1/organizations": case(
        "post",
        "/api/v1/organizations",
        None,
        {**ORGANIZATION, "name": "Other", "country": "CHE"},
        allowed=SIGNED_IN,
        ok=201,
        anonymous=401,
    ),
    "GET /api/v1/organizations/{slug}": case(
        "get", "/api/v1/organizations/batrec-industrie-ag", allowed=PUBLIC
    ),
    "PATCH /api/v1/organizations/{slug}": case(
        "patch",
        "/api/v1/organizations/batrec-industrie-ag",
        None,
        {"description": "Batteries."},
        allowed=EDITORS,
        others=403,
        anonymous=401,
    ),
    "GET /api/v1/me": case("get", "/api/v1/me", allowed=SIGNED_IN, anonymous=401),
    "GET /api/v1/taxonomy/{vocabulary}": case(
        "get", "/api/v1/taxonomy/waste_categories", allowed=PUBLIC
    ),
    # Sent as multipart form data (a file), not JSON.
    "POST /api/v1/documents": case(
        "post",
        "/api/v1/documents",
        None,
        {"file": ("notes.txt", b"Mercury notes")},
        allowed=SIGNED_IN,
        ok=201,
        anonymous=401,
    ),
    "GET /api/v1/documents/{document_id}": case(
        "get",
        "/api/v1/documents/{pk}",
        lambda w: _document(w, published=False),
        allowed=EDITORS | REVIEWERS,
        others=404,
        anonymous=404,
    ),
    "POST /api/v1/matches/preview": case(
        "post", "/api/v1/matches/preview", None, {"title": "lamps"}, allowed=PUBLIC
    ),
    "GET /api/v1/case-studies/{entry_id}/judgements": case(
        "get",
        "/api/v1/case-studies/{pk}/judgements",
        _submitted_case_study,
        allowed=EDITORS | REVIEWERS,
        others=404,
        anonymous=401,
    ),
    "PUT /api/v1/case-studies/{entry_id}/judgements/{criterion}": case(
        "put",
        "/api/v1/case-studies/{pk}/judgements/source-named",
        _submitted_case_study,
        {"judgement": "met", "note": "Named in the report"},
        allowed=REVIEWERS,
        others=404,
        owner=403,
        anonymous=401,
    ),
}
for plural, kind in (
    ("facilities", "facility"),
    ("offerings", "offering"),
    ("experts", "expert"),
    ("resources", "resource"),
    ("case-studies", "case_study"),
    ("partnership/projects", "project"),
):
    setups = {
        "facility": (_draft, _submitted, _published),
        "offering": (
            lambda w: _offering(w, published=False),
            lambda w: review_actions.do_submit_entry(
                "offering", w.owner, _offering(w, published=False)
            ),
            lambda w: _offering(w, published=True),
        ),
        "expert": (
            lambda w: _expert(w, published=False),
            lambda w: review_actions.do_submit_entry(
                "expert", w.owner, _expert(w, published=False)
            ),
            lambda w: _expert(w, published=True),
        ),
        **{
            name: (
                lambda w, entry=entry: entry(w, published=False),
                lambda w, name=name, entry=entry: _submitted_library_entry(name, entry, w),
                lambda w, entry=entry: entry(w, published=True),
            )
            for name, entry in (("resource", _resource), ("case_study", _case_study))
        },
        "project": (
            _project_draft,
            lambda w: review_actions.do_submit_entry("project", w.owner, _project_draft(w)),
            _project_published,
        ),
    }[kind]
    draft, submitted, published = setups
    body = {
        "facility": NEW,
        "offering": {"name": "Service", "provider": "batrec-industrie-ag", "kind": "service"},
        "expert": {
            "name": "Ana",
            "organization": "batrec-industrie-ag",
            "email": "a@b.example",
            "country": "URY",
            "consent_to_publication": True,
        },
        "resource": {
            "name": "Guide",
            "kind": "guidance",
            "url": "https://batrec.example/new-guide",
            "organization": "batrec-industrie-ag",
        },
        "case_study": {
            "name": "Case",
            "country": "CHE",
            "organization": "batrec-industrie-ag",
        },
        "project": {**_PROJECT, "name": "Project"},
    }[kind]
    base = f"/api/v1/{plural}"
    API |= {
        # The secretariat keeps projects of any organization.
        f"POST {base}": case(
            "post",
            base,
            None,
            body,
            allowed=EDITORS | (REVIEWERS if kind == "project" else set()),
            ok=201,
            others=403,
            anonymous=401,
        ),
        f"GET {base}/{{entry_id}}": case("get", base + "/{pk}", draft, others=404, anonymous=404),
        f"PATCH {base}/{{entry_id}}": case(
            "patch",
            base + "/{pk}",
            draft,
            {"name": "Renamed", "version": 1},
            allowed=EDITORS,
            others=404,
            reviewer=403,
            anonymous=401,
        ),
        f"DELETE {base}/{{entry_id}}": case(
            "delete",
            base + "/{pk}",
            draft,
            allowed=EDITORS,
            ok=204,
            others=404,
            reviewer=403,
            anonymous=401,
        ),
        f"POST {base}/{{entry_id}}/submit": case(
            "post",
            base + "/{pk}/submit",
            draft,
            allowed=EDITORS,
            others=404,
            reviewer=403,
            anonymous=401,
        ),
        f"POST {base}/{{entry_id}}/validate": case(
            "post",
            base + "/{pk}/validate",
            submitted,
            allowed=REVIEWERS,
            others=404,
            owner=403,
            anonymous=401,
        ),
        f"POST {base}/{{entry_id}}/return": case(
            "post",
            base + "/{pk}/return",
            submitted,
            {"reason": RETURN_REASON},
            allowed=REVIEWERS,
            others=404,
            owner=403,
            anonymous=401,
        ),
        f"POST {base}/{{entry_id}}/revert": case(
            "post",
            base + "/{pk}/revert",
            _edited(kind, published),
            {"version": 1},
            allowed=REVIEWERS,
            others=403,
            anonymous=401,
        ),
        f"GET {base}/{{entry_id}}/versions": case(
            "get",
            base + "/{pk}/versions",
            draft,
            allowed=EDITORS | REVIEWERS,
            others=404,
            anonymous=401,
        ),
    }


_needs = "/api/v1/needs"
API |= {
    "GET /api/v1/needs/{entry_id}": case(
        "get", _needs + "/{pk}", _need("partners"), allowed=PARTNERS, everyone=404
    ),
    "GET /api/v1/needs/{entry_id}/matches": case(
        "get", _needs + "/{pk}/matches", _need("partners"), allowed=PARTNERS, everyone=404
    ),
    "POST /api/v1/needs": case(
        "post", _needs, None, NEED, allowed=EDITORS, ok=201, others=403, anonymous=401
    ),
    "PATCH /api/v1/needs/{entry_id}": case(
        "patch",
        _needs + "/{pk}",
        _need(published=False),
        {"name": "Renamed", "version": 1},
        allowed=EDITORS,
        others=404,
        reviewer=403,
        anonymous=401,
    ),
    "DELETE /api/v1/needs/{entry_id}": case(
        "delete",
        _needs + "/{pk}",
        _need(published=False),
        allowed=EDITORS,
        ok=204,
        others=404,
        reviewer=403,
        anonymous=401,
    ),
    "POST /api/v1/needs/{entry_id}/submit": case(
        "post",
        _needs + "/{pk}/submit",
        _need(published=False),
        allowed=EDITORS,
        others=404,
        reviewer=403,
        anonymous=401,
    ),
    "POST /api/v1/needs/{entry_id}/validate": case(
        "post",
        _needs + "/{pk}/validate",
        _waiting_need,
        allowed=REVIEWERS,
        others=404,
        anonymous=401,
    ),
    "POST /api/v1/needs/{entry_id}/return": case(
        "post",
        _needs + "/{pk}/return",
        _waiting_need,
        {"reason": RETURN_REASON},
        allowed=REVIEWERS,
        others=404,
        anonymous=401,
    ),
    "POST /api/v1/needs/{entry_id}/revert": case(
        "post",
        _needs + "/{pk}/revert",
        _edited("need", _need()),
        {"version": 1},
        allowed=REVIEWERS,
        others=403,
        anonymous=401,
    ),
    "GET /api/v1/needs/{entry_id}/versions": case(
        "get",
        _needs + "/{pk}/versions",
        _need(published=False),
        allowed=EDITORS | REVIEWERS,
        others=404,
        anonymous=401,
    ),
    "GET /api/v1/needs/{entry_id}/offers": case(
        "get", _needs + "/{pk}/offers", _need(), allowed=SIGNED_IN, anonymous=401
    ),
    "POST /api/v1/needs/{entry_id}/offers": case(
        "post",
        _needs + "/{pk}/offers",
        _need(),
        {"message": "We can help"},
        allowed=PARTNERS_OF_OTHERS,
        ok=201,
        others=403,
        anonymous=401,
    ),
    "POST /api/v1/offers/{offer_id}/accept": case(
        "post", "/api/v1/offers/{pk}/accept", _offer, allowed=EDITORS, others=403, anonymous=401
    ),
    "POST /api/v1/offers/{offer_id}/decline": case(
        "post", "/api/v1/offers/{pk}/decline", _offer, allowed=EDITORS, others=403, anonymous=401
    ),
    "POST /api/v1/needs/{entry_id}/close": case(
        "post",
        _needs + "/{pk}/close",
        _need(),
        {"outcome": "Treated in Switzerland"},
        allowed=EDITORS,
        others=403,
        anonymous=401,
    ),
}


# ASGM baseline: sites and overviews are public (the coordinates each persona sees are tried in
# tests/asgm/test_api.py).
API |= {
    "GET /api/v1/asgm/sites/{site_id}": case(
        "get", "/api/v1/asgm/sites/{pk}", _asgm_site, allowed=PUBLIC
    ),
    "GET /api/v1/asgm/overview/{country}": case(
        "get", "/api/v1/asgm/overview/COD", _asgm_site, allowed=PUBLIC
    ),
}


# National Action Plans (tried persona by persona in tests/nap/test_api.py): a draft is read by
# its country team and the secretariat, not found by the others; only the team changes it.
def _nap_with_sites(w):
    from mercuryhub.nap.actions import do_create_plan

    _asgm_site(w)
    return do_create_plan(
        w.owner, {"name": "Congo NAP", "country": "COD", "organization": "batrec-industrie-ag"}
    )


_naps = "/api/v1/naps"
_NAP_WRITE = {"allowed": NAP_TEAM, "others": 404, "reviewer": 403, "anonymous": 401}
API |= {
    "POST /api/v1/naps": case(
        "post",
        _naps,
        None,
        {"name": "Ghana NAP", "country": "GHA", "organization": "batrec-industrie-ag"},
        allowed=EDITORS,
        ok=201,
        others=403,
        anonymous=401,
    ),
    "GET /api/v1/naps/{plan_id}": case(
        "get", _naps + "/{pk}", _nap_draft, allowed=NAP_READERS, everyone=404
    ),
    "GET /api/v1/naps/{plan_id}/sections/{code}": case(
        "get", _naps + "/{pk}/sections/a", _nap_draft, allowed=NAP_READERS, everyone=404
    ),
    "PATCH /api/v1/naps/{plan_id}": case(
        "patch", _naps + "/{pk}", _nap_draft, {"name": "Renamed", "base_version": 1}, **_NAP_WRITE
    ),
    "PUT /api/v1/naps/{plan_id}/sections/{code}": case(
        "put",
        _naps + "/{pk}/sections/a",
        _nap_draft,
        {"text": "Objectives.\n\n- Fewer retorts", "base_version": 1},
        **_NAP_WRITE,
    ),
    "PUT /api/v1/naps/{plan_id}/objectives": case(
        "put",
        _naps + "/{pk}/objectives",
        _nap_draft,
        {"objectives": [{"element": "a", "indicator": "Mercury used"}], "base_version": 1},
        **_NAP_WRITE,
    ),
    "PUT /api/v1/naps/{plan_id}/actions": case(
        "put",
        _naps + "/{pk}/actions",
        _nap_draft,
        {"actions": [{"element": "b", "activity": "Retorts"}], "base_version": 1},
        **_NAP_WRITE,
    ),
    "PUT /api/v1/naps/{plan_id}/stakeholders": case(
        "put",
        _naps + "/{pk}/stakeholders",
        _nap_draft,
        {"stakeholders": [{"name": "Minerals Commission"}], "base_version": 1},
        **_NAP_WRITE,
    ),
    "POST /api/v1/naps/{plan_id}/baseline": case(
        "post", _naps + "/{pk}/baseline", _nap_with_sites, {"base_version": 1}, **_NAP_WRITE
    ),
    "POST /api/v1/naps/{plan_id}/publish": case(
        "post", _naps + "/{pk}/publish", _nap_draft, **_NAP_WRITE
    ),
}


def _api_operations() -> set[str]:
    schema = api.get_openapi_schema()
    return {
        f"{method.upper()} {path}"
        for path, operations in schema["paths"].items()
        for method in operations
        if method.upper() != "GET" or "{" in path or operations[method].get("security")
    }


def test_every_api_route_with_an_id_or_a_write_is_in_the_matrix():
    assert _api_operations() == set(API)


@pytest.mark.parametrize("persona", PERSONAS)
def test_each_persona_gets_only_what_it_may_on_each_api_route(client, people, api_case, persona):
    operation, one, path = api_case
    headers = {}
    if people[persona] is not None:
        headers["HTTP_AUTHORIZATION"] = f"Bearer {do_create_api_token(people[persona], 't')[1]}"
    files = {k: SimpleUploadedFile(*v) for k, v in one.data.items() if isinstance(v, tuple)}
    if files:  # an upload: multipart form data
        response = client.post(path, files, **headers)
    else:
        response = getattr(client, one.method)(
            path, one.data, content_type="application/json", **headers
        )
    where = (operation, persona, response.status_code, response.content[:300])
    if persona in one.allowed:
        assert response.status_code == one.ok, where
    else:
        expected = one.refused[persona]
        assert response.status_code == (401 if expected == "login" else expected), where
        text = response.content.decode()
        assert "Batrec secret" not in text and SECRET_EMAIL not in text, where


def test_the_api_shows_an_experts_address_to_reviewers_only(
    client, people, owner, reviewer, organization
):
    expert = _expert(World(owner, reviewer, organization), published=True)
    for persona in PERSONAS:
        headers = {}
        if people[persona] is not None:
            token = do_create_api_token(people[persona], "t")[1]
            headers["HTTP_AUTHORIZATION"] = f"Bearer {token}"
        one = client.get(f"/api/v1/experts/{expert.pk}", **headers).json()
        listed = client.get("/api/v1/experts", **headers).json()["items"]
        shown = persona in REVIEWERS
        assert (one["email"] == SECRET_EMAIL) == shown, persona
        assert ([item["email"] for item in listed] == [SECRET_EMAIL]) == shown, persona


def test_no_one_reads_or_revokes_anyone_elses_api_tokens(signed_in, people, owner):
    token, secret = do_create_api_token(owner, "owner's script")
    for persona in PERSONAS:
        if persona in {"anonymous", "owner"}:
            continue
        client = signed_in(people[persona])
        assert "owner's script" not in client.get("/profile/").content.decode()
        assert client.post(f"/profile/tokens/{token.pk}/revoke/").status_code == 404
    assert ApiToken.objects.get(pk=token.pk).revoked_at is None


# Django's admin -----------------------------------------------------------------------------


def test_the_admin_pages_of_every_object_are_closed_to_everyone_but_staff(client, people):
    admin_routes = [
        re.sub(r"<[^>]+>", "1", route)
        for _namespace, _name, route in _walk_admin()
        if "<" in route and "(?P" not in route
    ]
    assert admin_routes
    for persona in ("anonymous", "registered", "member", "other_editor", "owner"):
        client.logout()
        if people[persona] is not None:
            client.force_login(people[persona])
        for route in admin_routes:
            response = client.get("/" + route)
            assert response.status_code == 302, (persona, route)
            assert response.url.startswith("/admin/login/"), (persona, route)


def _walk_admin():
    def walk(patterns, prefix="", namespace=None):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                yield from walk(
                    pattern.url_patterns,
                    prefix + str(pattern.pattern),
                    pattern.namespace or namespace,
                )
            else:
                yield namespace, pattern.name, prefix + str(pattern.pattern)

    return [item for item in walk(get_resolver().url_patterns) if item[0] == "admin"]


def test_a_returned_entrys_reason_reaches_its_editors_only(
    signed_in, people, owner, reviewer, organization
):
    facility = _returned(World(owner, reviewer, organization))
    for persona in ("registered", "member", "other_editor", "owner"):
        page = signed_in(people[persona]).get("/catalogue/mine/").content.decode()
        assert (RETURN_REASON in page) == (persona == "owner"), persona
    assert Facility.objects.get(pk=facility.pk).return_reason == RETURN_REASON
    assert Expert.objects.count() == 0


API |= {
    "GET /api/v1/projects/{slug}/forms": case(
        "get",
        "/api/v1/projects/batrec-field/forms",
        _project,
        allowed=PROJECT_READERS,
        everyone=404,
    ),
    "GET /api/v1/projects/{slug}/forms/{xml_form_id}/summary": case(
        "get",
        "/api/v1/projects/batrec-field/forms/wma_needs/summary",
        _project_form,
        allowed=PROJECT_READERS,
        everyone=404,
    ),
    "GET /api/v1/projects/{slug}/forms/{xml_form_id}": case(
        "get",
        "/api/v1/projects/batrec-field/forms/wma_needs",
        _project_form,
        allowed=PROJECT_READERS,
        everyone=404,
    ),
    "GET /api/v1/projects/{slug}/forms/{xml_form_id}/submissions": case(
        "get",
        "/api/v1/projects/batrec-field/forms/wma_needs/submissions",
        _submission,
        allowed=PROJECT_READERS,
        everyone=404,
    ),
    "GET /api/v1/projects/{slug}/forms/{xml_form_id}/submissions/{instance_id}": case(
        "get",
        "/api/v1/projects/batrec-field/forms/wma_needs/submissions/{pk}",
        _submission,
        allowed=PROJECT_READERS,
        everyone=404,
    ),
    "POST /api/v1/projects/{slug}/forms/{xml_form_id}/submissions/{instance_id}/review": case(
        "post",
        "/api/v1/projects/batrec-field/forms/wma_needs/submissions/{pk}/review",
        _submission,
        {"state": "approved"},
        allowed=MANAGERS,
        others=404,
        member=403,
        owner=403,
        anonymous=401,
    ),
}


# Peer review and assistance requests (nap/review_api.py, nap/assistance_api.py).
API |= {
    "GET /api/v1/naps/{plan_id}/review-rounds": case(
        "get",
        "/api/v1/naps/{pk}/review-rounds",
        _nap_review,
        allowed=NAP_READERS,
        others=404,
        anonymous=401,
    ),
    "POST /api/v1/naps/{plan_id}/review-rounds": case(
        "post",
        "/api/v1/naps/{pk}/review-rounds",
        _nap_draft,
        {},
        allowed=NAP_TEAM,
        ok=201,
        others=404,
        reviewer=403,
        anonymous=401,
    ),
    "POST /api/v1/naps/{plan_id}/review-rounds/{number}/close": case(
        "post",
        "/api/v1/naps/{pk}/review-rounds/1/close",
        _nap_round,
        {"summary": "Done."},
        allowed=NAP_TEAM,
        others=404,
        reviewer=403,
        anonymous=401,
    ),
    "POST /api/v1/naps/{plan_id}/review-rounds/{number}/invitations": case(
        "post",
        "/api/v1/naps/{pk}/review-rounds/1/invitations",
        _nap_round,
        {"email": "ama.reviewer@asgm.example"},
        allowed=NAP_TEAM,
        ok=201,
        others=404,
        reviewer=403,
        anonymous=401,
    ),
    "GET /api/v1/naps/{plan_id}/comments": case(
        "get",
        "/api/v1/naps/{pk}/comments",
        _nap_review,
        allowed=NAP_READERS,
        others=404,
        anonymous=401,
    ),
    "POST /api/v1/naps/{plan_id}/comments": case(
        "post",
        "/api/v1/naps/{pk}/comments",
        _nap_round,
        {"section": "a", "text": "Targets?"},
        allowed=REVIEWERS,
        ok=201,
        others=404,
        owner=403,
        anonymous=401,
    ),
    "PATCH /api/v1/naps/{plan_id}/comments/{comment_id}": case(
        "patch",
        "/api/v1/naps/{pk}",
        _nap_api_comment,
        {"state": "resolved", "resolution": "Done."},
        allowed=NAP_TEAM,
        others=404,
        reviewer=403,
        anonymous=401,
    ),
    "GET /api/v1/assistance-requests": case(
        "get", "/api/v1/assistance-requests", _nap_assistance, allowed=SIGNED_IN, anonymous=401
    ),
    # An editor of another organization may ask for its own, not for Batrec.
    "POST /api/v1/assistance-requests": case(
        "post",
        "/api/v1/assistance-requests",
        None,
        {"kind": "workshop", "description": "A workshop.", "organization": "batrec-industrie-ag"},
        allowed=NAP_TEAM,
        ok=201,
        others=403,
        other_editor=422,
        anonymous=401,
    ),
    "GET /api/v1/assistance-requests/{request_id}": case(
        "get",
        "/api/v1/assistance-requests/{pk}",
        _nap_assistance,
        allowed=NAP_ASSISTANCE_READERS,
        others=404,
        anonymous=401,
    ),
    "PATCH /api/v1/assistance-requests/{request_id}": case(
        "patch",
        "/api/v1/assistance-requests/{pk}",
        _nap_assistance,
        {"state": "completed"},
        allowed=REVIEWERS,
        others=404,
        owner=403,
        anonymous=401,
    ),
}

# The Partnership's events in the API: a draft is found by its organizers only (and never
# listed: tests/partnership/test_event_api.py).
API |= {
    "GET /api/v1/partnership/events/{entry_id}": case(
        "get",
        "/api/v1/partnership/events/{pk}",
        _event_draft,
        allowed=EVENT_ORGANIZERS,
        others=404,
        anonymous=404,
    ),
}


# Each case's world, made once for the seven personas --------------------------------------
# (defined after the last case is added to WEB and API: a fixture's parameters are read when
# it is defined)


@contextlib.contextmanager
def _world_of(one: Case, persona_keys, django_db_blocker, tmp_path_factory):
    """The path of one case, with what its setup made kept for every persona's request: each
    request's changes are rolled back to it, and it is rolled back after the last."""
    keys, organization_key = persona_keys
    with kept_for_module(django_db_blocker, tmp_path_factory):
        found = User.objects.in_bulk([keys["owner"], keys["reviewer"]])
        world = World(
            found[keys["owner"]],
            found[keys["reviewer"]],
            Organization.objects.get(pk=organization_key),
        )
        thing = one.setup(world) if one.setup else None
        yield one.path.format(pk=getattr(thing, "pk", ""))


def _web_cases():
    return [(name, index) for name, cases in WEB.items() for index in range(len(cases))]


WEB_CASES, API_CASES = _web_cases(), sorted(API)


def test_every_case_of_the_matrix_is_tried():
    """A case added after the parameters below were read would never be tried."""
    assert (_web_cases(), sorted(API)) == (WEB_CASES, API_CASES)


@pytest.fixture(scope="module", params=WEB_CASES, ids=[f"{n}-{i}" for n, i in WEB_CASES])
def web_case(request, _persona_keys, django_db_blocker, tmp_path_factory):
    name, index = request.param
    one = WEB[name][index]
    with _world_of(one, _persona_keys, django_db_blocker, tmp_path_factory) as path:
        yield name, one, path


@pytest.fixture(scope="module", params=API_CASES)
def api_case(request, _persona_keys, django_db_blocker, tmp_path_factory):
    one = API[request.param]
    with _world_of(one, _persona_keys, django_db_blocker, tmp_path_factory) as path:
        yield request.param, one, path
