"""Needs API: published needs as the list page filters them (partners-only ones to members of an
organization and reviewers), one need, closing one, and the review layer's editing routes."""

from datetime import datetime
from typing import Any

from ninja import Field, Query, Router, Schema
from pydantic import ConfigDict, create_model

from mercuryhub.accounts.auth import request_user, token_auth
from mercuryhub.catalogue.api import entry_out
from mercuryhub.exchange import actions, queries
from mercuryhub.exchange.kinds import KIND
from mercuryhub.lib.api import ERROR_RESPONSES, ErrorBody, ListQuery
from mercuryhub.review.editing_api import register_editing_routes, texts_in

router = Router(tags=["exchange"])
EDITING_TAGS = ["exchange editing"]


class NeedQuery(ListQuery):
    """The list's filters. Codes can be repeated or comma-separated."""

    q: str | None = Field(None, max_length=200, description="Words to search for")
    country: list[str] = Field([], description="ISO 3166-1 alpha-3 codes")
    region: str | None = Field(None, max_length=100, description="A UN M49 region or sub-region")
    waste: list[str] = Field([], description="Waste category codes (narrower ones included)")
    phase: list[str] = Field([], description="Management phase codes")
    support_type: list[str] = Field([], description="Type of support codes")
    state: list[str] = Field(
        [], description="open (the default), in_contact, matched, closed, or all"
    )


class NeedPage(Schema):
    count: int
    items: list[dict[str, Any]]


def need_out(need) -> dict:
    """A need as the API gives it: the kind's one serialization with labels, and where it stands
    in the exchange."""
    return {
        **entry_out(KIND.name, need),
        "state": need.state,
        "posted_at": need.created_at,
        "in_contact_at": need.in_contact_at,
        "matched_at": need.matched_at,
        "closed_at": need.closed_at,
        "outcome": need.outcome,
    }


@router.get("/needs", response={200: NeedPage, **ERROR_RESPONSES}, summary="List needs")
def list_needs(request, params: Query[NeedQuery]):
    """Open needs (or those in the `state`s asked for), newest first, with the list page's
    filters. Partners-only needs are listed to members of an organization and reviewers."""
    filters = queries.parse_need_filters(request.GET)
    found = queries.filtered_needs(request_user(request), filters)
    return {
        "count": found.count(),
        "items": [need_out(need) for need in found[params.offset : params.offset + params.limit]],
    }


@router.get(
    "/needs/{entry_id}", response={200: dict[str, Any], **ERROR_RESPONSES}, summary="One need"
)
def get_need(request, entry_id: int):
    return need_out(queries.get_need_for_user(request_user(request), entry_id))


class CloseIn(Schema):
    model_config = ConfigDict(extra="forbid")

    outcome: str = Field(
        ...,
        max_length=actions.OUTCOME_MAX_LENGTH,
        description="What came of the need (at most 5,000 characters)",
    )


class ClosedOut(Schema):
    id: int
    state: str
    closed_at: datetime
    outcome: str


@router.post(
    "/needs/{entry_id}/close",
    response={200: ClosedOut, **ERROR_RESPONSES, 409: ErrorBody},
    summary="Close a need with its outcome (its owner and editors)",
    auth=token_auth,
    tags=EDITING_TAGS,
)
def close_need(request, entry_id: int, payload: CloseIn):
    need = actions.do_close_need(
        request.auth, queries.get_need_for_user(request.auth, entry_id), payload.outcome
    )
    return {
        "id": need.pk,
        "state": need.state,
        "closed_at": need.closed_at,
        "outcome": need.outcome,
    }


_TAG_LISTS = {
    "languages": "ISO 639-1 codes",
    "waste_categories": "waste_categories codes",
    "phases": "management_phases codes",
    "support_types": "support_types codes",
}
NeedIn = create_model(
    "NeedIn",
    __base__=texts_in(KIND),
    name=(str | None, Field(None, description="The title")),
    description=(str | None, None),
    country=(str | None, Field(None, description="ISO 3166-1 alpha-3")),
    needed_from=(str | None, Field(None, description="A date, 2026-09-30")),
    needed_by=(str | None, Field(None, description="A date, 2026-12-31")),
    funding_status=(
        str | None,
        Field(None, description="funding_statuses code: funded, partly-funded…"),
    ),
    visibility=(str | None, Field(None, description="public (the default) or partners")),
    organization=(str | None, Field(None, description="Slug of the organization it is for")),
    **{
        name: (list[str] | None, Field(None, description=description))
        for name, description in _TAG_LISTS.items()
    },
)
NeedPatch = create_model(
    "NeedPatch",
    __base__=NeedIn,
    version=(int, Field(..., ge=0, description="The version your changes start from")),
)
register_editing_routes(router, "needs", "need", NeedIn, NeedPatch, label="need", tags=EDITING_TAGS)
