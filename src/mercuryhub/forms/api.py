"""Field-data projects in the API: the projects a person takes part in, a project's forms, and
one form with its versions (the XForm and pyxform's survey of the current one)."""

from datetime import datetime
from typing import Any

from ninja import Router, Schema

from mercuryhub.accounts.auth import request_user
from mercuryhub.forms import queries
from mercuryhub.lib.api import ERROR_RESPONSES

router = Router(tags=["forms"])


class ProjectOut(Schema):
    slug: str
    name: str
    description: str
    role: str | None
    created_at: datetime


class ProjectPage(Schema):
    count: int
    items: list[ProjectOut]


class FormOut(Schema):
    xml_form_id: str
    title: str
    state: str
    version: str | None
    hash: str | None
    created_at: datetime


class FormPage(Schema):
    count: int
    items: list[FormOut]


def _project_out(user, project) -> dict:
    return {
        "slug": project.slug,
        "name": project.name,
        "description": project.description,
        "role": queries.project_role(user, project),
        "created_at": project.created_at,
    }


def _form_out(form) -> dict:
    version = form.current_version
    return {
        "xml_form_id": form.xml_form_id,
        "title": form.title,
        "state": form.state,
        "version": version.version if version else None,
        "hash": version.hash if version else None,
        "created_at": form.created_at,
    }


@router.get("/projects", response={200: ProjectPage, **ERROR_RESPONSES}, summary="List projects")
def list_projects(request):
    """The field-data projects the person (signed in, or by token) takes part in."""
    user = request_user(request)
    projects = list(queries.projects_visible_to(user))
    return {"count": len(projects), "items": [_project_out(user, p) for p in projects]}


@router.get(
    "/projects/{slug}/forms",
    response={200: FormPage, **ERROR_RESPONSES},
    summary="List a project's forms",
)
def list_project_forms(request, slug: str):
    project = queries.get_project_for_user(request_user(request), slug)
    forms = list(queries.forms_of(project))
    return {"count": len(forms), "items": [_form_out(form) for form in forms]}


@router.get(
    "/projects/{slug}/forms/{xml_form_id}",
    response={200: dict[str, Any], **ERROR_RESPONSES},
    summary="One form, with its versions and its current XForm and survey",
)
def get_project_form(request, slug: str, xml_form_id: str):
    form = queries.get_form_for_user(request_user(request), slug, xml_form_id)
    version = form.current_version
    return {
        **_form_out(form),
        "versions": [
            {"version": v.version, "hash": v.hash, "created_at": v.created_at}
            for v in form.versions.all()
        ],
        "xform": version.xml if version else None,
        "survey": version.survey_json if version else None,
        "warnings": version.warnings if version else [],
    }
