"""Assistance requests through the API: a country team asks, the secretariat assigns experts,
completes or declines. Token authentication; the same permissions as the web."""

from datetime import datetime
from typing import Literal

from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate
from pydantic import ConfigDict

from mercuryhub.accounts.auth import token_auth
from mercuryhub.lib.api import ERROR_RESPONSES, ErrorBody, Pagination, limit_texts
from mercuryhub.nap import assistance, queries
from mercuryhub.nap.models import AssistanceRequest

router = Router(tags=["National Action Plans: assistance"])
RESPONSES = {**ERROR_RESPONSES, 409: ErrorBody}
Kind = Literal["recommendations", "consultation", "peer_review", "workshop"]
State = Literal["requested", "assigned", "completed", "declined"]


class AssistanceIn(Schema):
    model_config = ConfigDict(extra="forbid")

    kind: Kind
    description: str = Field(description="What is needed")
    elements: list[str] = Field([], description="The Annex C elements concerned: a … k")
    plan: int | None = Field(None, description="The plan it is about, one of your team's")
    organization: str = Field(
        "", description="The slug of your country team's organization (without a plan)"
    )


class AssistanceUpdate(Schema):
    model_config = ConfigDict(extra="forbid")

    state: Literal["assigned", "completed", "declined"]
    experts: list[int] = Field([], description="To assign: ids of published experts")
    note: str = Field("", description="For the country team (required to decline)")


for _schema in (AssistanceIn, AssistanceUpdate):
    limit_texts(_schema, AssistanceRequest)


class AssistanceOut(Schema):
    id: int
    kind: str
    state: str
    country: str = Field(description="ISO 3166-1 alpha-3")
    organization: str = Field(description="The country team's organization (slug)")
    plan: int | None
    description: str
    elements: list[str]
    experts: list[int]
    note: str
    requested_at: datetime
    assigned_at: datetime | None
    closed_at: datetime | None

    @staticmethod
    def resolve_country(item):
        return item.country.iso3

    @staticmethod
    def resolve_organization(item):
        return item.organization.slug

    @staticmethod
    def resolve_plan(item):
        return item.plan_id

    @staticmethod
    def resolve_experts(item):
        return [expert.pk for expert in item.experts.all()]


class AssistanceFilters(Schema):
    state: State | None = None


@router.get(
    "/assistance-requests",
    response={200: list[AssistanceOut], **RESPONSES},
    summary="Assistance requests: all of them to the secretariat, a team's own to the team",
    auth=token_auth,
)
@paginate(Pagination)
def list_assistance_requests(request, filters: Query[AssistanceFilters]):
    requests = queries.assistance_requests_visible_to(request.auth)
    if filters.state:
        requests = requests.filter(state=filters.state)
    return requests.order_by("-requested_at", "-pk")


@router.post(
    "/assistance-requests",
    response={201: AssistanceOut, **RESPONSES},
    summary="Ask the secretariat for assistance (a country team)",
    auth=token_auth,
)
def create_assistance_request(request, payload: AssistanceIn):
    item = assistance.do_request_assistance(request.auth, payload.dict())
    return Status(201, queries.get_assistance_request_for_user(request.auth, item.pk))


@router.get(
    "/assistance-requests/{request_id}",
    response={200: AssistanceOut, **RESPONSES},
    summary="One assistance request",
    auth=token_auth,
)
def get_assistance_request(request, request_id: int):
    return queries.get_assistance_request_for_user(request.auth, request_id)


@router.patch(
    "/assistance-requests/{request_id}",
    response={200: AssistanceOut, **RESPONSES},
    summary="Assign experts, complete or decline a request (the secretariat)",
    auth=token_auth,
)
def update_assistance_request(request, request_id: int, payload: AssistanceUpdate):
    item = queries.get_assistance_request_for_user(request.auth, request_id)
    user = request.auth
    if payload.state == "assigned":
        assistance.do_assign_experts(user, item, payload.experts, payload.note)
    elif payload.state == "completed":
        assistance.do_complete_assistance(user, item, payload.note)
    else:
        assistance.do_decline_assistance(user, item, payload.note)
    return queries.get_assistance_request_for_user(user, request_id)
