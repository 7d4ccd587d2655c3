"""The match preview: what the platform proposes for a need, without an account."""

from django.http import JsonResponse
from ninja import Field, Query, Router, Schema
from pydantic import ConfigDict

from mercuryhub.accounts.auth import request_user
from mercuryhub.exchange.matching import top_matches
from mercuryhub.exchange.models import Need
from mercuryhub.exchange.previews import (
    RETRY_AFTER_SECONDS,
    PreviewLimitError,
    client_address,
    preview,
)
from mercuryhub.exchange.profiles import profile_of
from mercuryhub.exchange.queries import get_need_for_user
from mercuryhub.lib.api import ERROR_RESPONSES, ErrorBody, limit_texts

router = Router(tags=["solution exchange"])


class PreviewIn(Schema):
    """The fields of a need, all optional but one."""

    model_config = ConfigDict(extra="forbid")

    title: str = Field("", max_length=300)
    description: str = Field("", max_length=5000)
    country: str | None = Field(None, description="ISO 3166-1 alpha-3 (or alpha-2) code")
    waste_categories: list[str] = Field([], description="waste_categories codes")
    phases: list[str] = Field([], description="management_phases codes")
    support_types: list[str] = Field([], description="support_types codes")
    languages: list[str] = Field([], description="ISO 639-1 codes")
    limit: int = Field(10, ge=1, le=50, description="How many matches (1 to 50)")


limit_texts(PreviewIn, Need)


class MatchOut(Schema):
    type: str = Field(description="facility, offering, expert, resource, case_study, organization")
    id: int
    title: str
    url: str
    score: float
    reasons: list[str] = Field(description="Why it matches, in the language asked for")


class PreviewOut(Schema):
    items: list[MatchOut]


@router.post(
    "/matches/preview",
    response={200: PreviewOut, 429: ErrorBody, **ERROR_RESPONSES},
    summary="Preview the matches for a need, without an account",
)
def preview_matches(request, payload: PreviewIn):
    """The facilities, offerings, experts, resources, case studies and partner organizations
    that could answer a need, best first, each with its reasons. At most 30 previews a minute
    from one address (then 429 with `Retry-After`)."""
    data = payload.dict()
    limit = data.pop("limit")
    try:
        matches = preview(data, client=client_address(request), limit=limit)
    except PreviewLimitError as error:
        response = JsonResponse({"detail": str(error), "errors": []}, status=429)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response
    return {"items": _items(request, matches)}


@router.get(
    "/needs/{entry_id}/matches",
    response={200: PreviewOut, **ERROR_RESPONSES},
    summary="The matches for a posted need",
)
def list_need_matches(request, entry_id: int, limit: int = Query(10, ge=1, le=50)):
    """Who and what can help with a need the caller may see, best first, with reasons."""
    need = get_need_for_user(request_user(request), entry_id)
    return {"items": _items(request, top_matches(profile_of(need), limit=limit))}


def _items(request, matches) -> list[dict]:
    return [
        {
            "type": match.type,
            "id": match.id,
            "title": match.title,
            "url": request.build_absolute_uri(match.url),
            "score": match.score,
            "reasons": match.reasons,
        }
        for match in matches
    ]
