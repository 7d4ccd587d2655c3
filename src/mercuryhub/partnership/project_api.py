"""The Partnership's projects in the JSON API (under /partnership/, apart from the field-data
projects of the forms): the published ones, filtered as the projects' list filters them,
each item the kind's one serialization with its labels; and their editing routes, the review
layer's as for every kind."""

from typing import Any

from ninja import Field, Query, Router, Schema
from pydantic import create_model

from mercuryhub.accounts.auth import request_user
from mercuryhub.catalogue.api import entry_out
from mercuryhub.lib.api import ERROR_RESPONSES, ListQuery
from mercuryhub.lib.errors import InvalidInputError
from mercuryhub.partnership import project_queries as queries
from mercuryhub.partnership.project_kind import KIND
from mercuryhub.review.editing_api import register_editing_routes, texts_in

router = Router(tags=["partnership"])


class ProjectQuery(ListQuery):
    """The projects' filters, as the list page takes them."""

    q: str | None = Field(None, max_length=200, description="Words to search for")
    country: str | None = Field(None, description="ISO 3166-1 alpha-3 code")
    region: str | None = Field(None, description="UN M49 region or sub-region, in English")
    funder: str | None = Field(None, max_length=100, description="Part of the funder's name")
    status: str | None = Field(None, description="planned, ongoing or completed")
    year_from: int | None = Field(None, alias="from", description="Running in this year or later")
    year_to: int | None = Field(None, alias="to", description="Started in this year or earlier")
    waste: str | None = Field(None, description="Waste category code")
    area: str | None = Field(None, description="Partnership area code")


class ProjectPage(Schema):
    count: int
    items: list[dict[str, Any]]


@router.get(
    "/partnership/projects",
    response={200: ProjectPage, **ERROR_RESPONSES},
    summary="List the Partnership's projects",
)
def list_partnership_projects(request, params: Query[ProjectQuery]):
    """Published mercury waste and ASGM projects, with the projects list's filters."""
    filters = queries.project_filters(request.GET)
    if filters.errors:
        raise InvalidInputError(filters.errors)
    found = queries.search_projects(request_user(request), filters)
    page = found[params.offset : params.offset + params.limit]
    return {"count": found.count(), "items": [entry_out("project", entry) for entry in page]}


@router.get(
    "/partnership/projects/{entry_id}",
    response={200: dict[str, Any], **ERROR_RESPONSES},
    summary="One project of the Partnership",
)
def get_partnership_project(request, entry_id: int):
    return entry_out("project", queries.get_project_for_user(request_user(request), entry_id))


# Editing ------------------------------------------------------------------------------------

_LISTS = {
    "countries": "ISO 3166-1 alpha-3 codes",
    "partners": "Slugs or names of registered organizations",
    "waste_categories": "waste_categories codes",
    "partnership_areas": "partnership_areas codes",
    "case_studies": "External identifiers or ids of the library's case studies",
}
_FIELDS = {
    "external_id": (str | None, None),
    "name": (str | None, Field(None, description="The title")),
    "summary": (str | None, None),
    "lessons_learned": (str | None, None),
    "organization": (str | None, Field(None, description="Slug of the organization keeping it")),
    "funder": (str | None, Field(None, description="GEF, Specific International Programme…")),
    "first_year": (int | None, None),
    "last_year": (int | None, None),
    "status": (str | None, Field(None, description="planned, ongoing or completed")),
    "budget": (str | None, Field(None, description="An amount, as 546500.00")),
    "budget_currency": (str | None, Field(None, description="ISO 4217 code")),
    "website": (str | None, None),
    "latitude": (float | None, None),
    "longitude": (float | None, None),
    **{name: (list[str] | None, Field(None, description=text)) for name, text in _LISTS.items()},
}
ProjectIn = create_model("ProjectIn", __base__=texts_in(KIND), **_FIELDS)
ProjectPatch = create_model(
    "ProjectPatch",
    __base__=ProjectIn,
    version=(int, Field(..., ge=0, description="The version your changes start from")),
)
register_editing_routes(
    router,
    "partnership/projects",
    "project",
    ProjectIn,
    ProjectPatch,
    label="project",
    tags=["partnership editing"],
)
