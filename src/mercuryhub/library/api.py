"""Library API: published resources and case studies, filtered as the library's list page
filters them, each item the kind's one serialization with its labels; and their editing routes,
the review layer's as for every kind."""

from datetime import datetime
from typing import Any

from ninja import Field, Query, Router, Schema
from pydantic import ConfigDict

from mercuryhub.accounts.auth import request_user, token_auth
from mercuryhub.catalogue.api import entry_out
from mercuryhub.lib.api import ERROR_RESPONSES, ErrorBody, ListQuery, limit_texts
from mercuryhub.library import actions, listing, queries
from mercuryhub.library.models import CriterionJudgement
from mercuryhub.review import registry
from mercuryhub.review.editing_api import register_editing_routes, texts_in
from mercuryhub.review.queries import get_entry_for_editor

router = Router(tags=["library"])
EDITING_TAGS = ["library editing"]


class LibraryQuery(ListQuery):
    """The library's filters. Codes can be repeated or comma-separated."""

    q: str | None = Field(None, max_length=200, description="Words to search for")
    kind: list[str] = Field(
        [], description="Kinds of resource (resource_kinds codes: training, video…)"
    )
    audience: list[str] = Field([], description="Audience codes (policymakers, miners…)")
    language: list[str] = Field([], description="ISO 639-1 language codes")
    waste: list[str] = Field([], description="Waste category codes")
    phase: list[str] = Field([], description="Management phase codes")
    support_type: list[str] = Field([], description="Type of support codes")
    nap_element: list[str] = Field([], description="NAP element codes (Minamata Annex C)")
    partnership_area: list[str] = Field([], description="Partnership area codes")
    year_from: int | None = Field(None, description="Published in this year or later")
    year_to: int | None = Field(None, description="Published in this year or earlier")
    sort: str = Field("relevance", description="relevance, newest, title")


class LibraryPage(Schema):
    count: int
    items: list[dict[str, Any]]


def _list(request, kind_name: str, params: LibraryQuery) -> dict:
    filters = listing.parse_library_filters(request.GET)
    found = listing.page(
        kind_name, request_user(request), filters, limit=params.limit, offset=params.offset
    )
    return {
        "count": found.total,
        "items": [
            {**entry_out(kind_name, entry), "snippet": found.snippets.get(entry.pk)}
            for entry in found.entries
        ],
    }


@router.get(
    "/resources",
    response={200: LibraryPage, **ERROR_RESPONSES},
    summary="List resources",
)
def list_resources(request, params: Query[LibraryQuery]):
    """Published resources (guidance, toolkits, training materials, videos…), with the library
    list's filters; with `q` ranked by relevance, a video's transcript included."""
    return _list(request, "resource", params)


@router.get(
    "/resources/{entry_id}",
    response={200: dict[str, Any], **ERROR_RESPONSES},
    summary="One resource",
)
def get_resource(request, entry_id: int):
    return entry_out("resource", queries.get_resource_for_user(request_user(request), entry_id))


@router.get(
    "/case-studies",
    response={200: LibraryPage, **ERROR_RESPONSES},
    summary="List case studies",
)
def list_case_studies(request, params: Query[LibraryQuery]):
    """Published case studies, with the library list's filters (`kind` matches none)."""
    return _list(request, "case_study", params)


@router.get(
    "/case-studies/{entry_id}",
    response={200: dict[str, Any], **ERROR_RESPONSES},
    summary="One case study",
)
def get_case_study(request, entry_id: int):
    return entry_out("case_study", queries.get_case_study_for_user(request_user(request), entry_id))


# Editing ------------------------------------------------------------------------------------

_TAG_LISTS = {
    "languages": "ISO 639-1 codes",
    "audiences": "audiences codes",
    "waste_categories": "waste_categories codes",
    "phases": "management_phases codes",
    "support_types": "support_types codes",
    "nap_elements": "nap_elements codes",
    "partnership_areas": "partnership_areas codes",
}


def _common_fields() -> dict:
    fields = {
        "external_id": (str | None, None),
        "name": (str | None, Field(None, description="The title")),
        "description": (str | None, Field(None, description="The summary")),
        "publisher": (str | None, None),
        "year": (int | None, None),
        "url": (str | None, Field(None, description="Its address (http:// or https://)")),
        "document": (int | None, Field(None, description="The id of an uploaded file")),
        "licence": (str | None, None),
        "organization": (
            str | None,
            Field(None, description="Slug of the organization keeping it current"),
        ),
    }
    for name, description in _TAG_LISTS.items():
        fields[name] = (list[str] | None, Field(None, description=description))
    return fields


def _schemas(kind_name: str, own: dict):
    from pydantic import create_model

    base = texts_in(registry.get(kind_name))
    label = kind_name.title().replace("_", "")
    schema_in = create_model(f"{label}In", __base__=base, **_common_fields(), **own)
    schema_patch = create_model(
        f"{label}Patch",
        __base__=schema_in,
        version=(int, Field(..., ge=0, description="The version your changes start from")),
    )
    return schema_in, schema_patch


ResourceIn, ResourcePatch = _schemas(
    "resource",
    {
        "kind": (str | None, Field(None, description="resource_kinds code: training, video…")),
        "language_version_of": (
            int | None,
            Field(None, description="The id of the resource this one translates"),
        ),
        "transcript": (
            str | None,
            Field(None, description="A video's transcript or detailed summary, searched"),
        ),
    },
)
CaseStudyIn, CaseStudyPatch = _schemas(
    "case_study",
    {
        "country": (str | None, Field(None, description="ISO 3166-1 alpha-3")),
        "place": (str | None, None),
        "period": (str | None, None),
        "source": (str | None, None),
        **{
            name: (str | None, None)
            for name in (
                "context_socioeconomic",
                "context_technical",
                "context_political",
                "actions",
                "results",
                "success_factors",
                "challenges",
                "lessons_learned",
            )
        },
    },
)

register_editing_routes(
    router, "resources", "resource", ResourceIn, ResourcePatch, label="resource", tags=EDITING_TAGS
)
register_editing_routes(
    router,
    "case-studies",
    "case_study",
    CaseStudyIn,
    CaseStudyPatch,
    label="case study",
    tags=EDITING_TAGS,
)


# Validation of case studies criterion by criterion -------------------------------------------


class CriterionOut(Schema):
    code: str
    label: str = Field(description="In the language asked for (`lang` or `Accept-Language`)")
    description: str


class JudgementIn(Schema):
    model_config = ConfigDict(extra="forbid")

    judgement: str = Field(description="met, not_met or not_applicable")
    # At most 2,000 characters, checked with the other fields (do_judge_criterion) so that one
    # answer names every problem.
    note: str = Field("", description="What the judgement rests on (at most 2,000 characters)")


limit_texts(JudgementIn, CriterionJudgement)


class JudgementOut(Schema):
    criterion: str
    version: int = Field(description="The version of the case study judged")
    judgement: str
    note: str
    judged_by: str | None
    judged_at: datetime


class JudgementsOut(Schema):
    version: int = Field(description="The case study's latest version, the one to judge")
    judgements: list[JudgementOut] = Field(description="The judgements of that version")
    unjudged: list[str] = Field(description="The criteria it has no judgement on yet")


def _criterion_out(criterion) -> dict:
    return {
        "code": criterion.code,
        "label": criterion.localized_label,
        "description": criterion.localized_description,
    }


def _judgement_out(judgement) -> dict:
    return {
        "criterion": judgement.criterion.code,
        "version": judgement.version,
        "judgement": judgement.judgement,
        "note": judgement.note,
        "judged_by": judgement.judged_by.email if judgement.judged_by else None,
        "judged_at": judgement.judged_at,
    }


@router.get(
    "/case-study-criteria",
    response={200: list[CriterionOut], **ERROR_RESPONSES},
    summary="The published criteria a case study is validated against",
    operation_id="list_case_study_criteria",
)
def list_criteria(request):
    return [_criterion_out(criterion) for criterion in queries.active_criteria()]


@router.get(
    "/case-studies/{entry_id}/judgements",
    response={200: JudgementsOut, **ERROR_RESPONSES},
    summary="The judgements of a case study's latest version (its editors and reviewers)",
    operation_id="list_case_study_judgements",
    auth=token_auth,
    tags=EDITING_TAGS,
)
def list_judgements(request, entry_id: int):
    case_study = get_entry_for_editor(request.auth, "case_study", entry_id)
    return {
        "version": case_study.version,
        "judgements": [
            _judgement_out(j) for j in queries.judgements_of(case_study, case_study.version)
        ],
        "unjudged": [criterion.code for criterion in queries.unjudged_criteria(case_study)],
    }


@router.put(
    "/case-studies/{entry_id}/judgements/{criterion}",
    response={200: JudgementOut, 409: ErrorBody, **ERROR_RESPONSES},
    summary="Judge a submitted case study on one criterion (reviewers)",
    operation_id="set_case_study_judgement",
    auth=token_auth,
    tags=EDITING_TAGS,
)
def judge_criterion(request, entry_id: int, criterion: str, payload: JudgementIn):
    """Record or change the judgement of the version under review on one criterion. A case
    study is validated once every published criterion is judged."""
    case_study = get_entry_for_editor(request.auth, "case_study", entry_id)
    judgement = actions.do_judge_criterion(
        request.auth, case_study, criterion, payload.judgement, payload.note
    )
    return _judgement_out(judgement)
