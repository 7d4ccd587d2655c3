"""Offers through the API: a partner offers help with a need; its owner accepts (each side then
receives the other's contact details by e-mail) or declines. Token authentication, the same
permissions as the web."""

from datetime import datetime

from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema, Status
from pydantic import ConfigDict

from mercuryhub.accounts.auth import token_auth
from mercuryhub.exchange import actions, queries
from mercuryhub.exchange.models import Offer
from mercuryhub.lib.api import ERROR_RESPONSES, ErrorBody

router = Router(tags=["solution exchange"])
RESPONSES = {**ERROR_RESPONSES, 409: ErrorBody}


class OfferIn(Schema):
    model_config = ConfigDict(extra="forbid")

    message: str = Field(
        max_length=actions.OFFER_MAX_LENGTH, description="What you offer (at most 3,000 characters)"
    )


class OfferOut(Schema):
    id: int
    need: int
    offered_by: str = Field(description="The partner's name")
    organization: str | None
    message: str
    state: str = Field(description="proposed, accepted or declined")
    created_at: datetime
    decided_at: datetime | None


def _out(offer: Offer) -> dict:
    return {
        "id": offer.pk,
        "need": offer.need_id,
        "offered_by": str(offer.offered_by),
        "organization": offer.organization.name if offer.organization else None,
        "message": offer.message,
        "state": offer.state,
        "created_at": offer.created_at,
        "decided_at": offer.decided_at,
    }


@router.get(
    "/needs/{entry_id}/offers",
    response={200: list[OfferOut], **RESPONSES},
    summary="The offers on a need: all of them to its owner, their own to a partner",
    auth=token_auth,
)
def list_need_offers(request, entry_id: int):
    need = queries.get_need_for_user(request.auth, entry_id)
    return [_out(offer) for offer in queries.offers_for_user(request.auth, need)]


@router.post(
    "/needs/{entry_id}/offers",
    response={201: OfferOut, **RESPONSES},
    summary="Offer help with a need (partners)",
    auth=token_auth,
)
def create_need_offer(request, entry_id: int, payload: OfferIn):
    need = queries.get_need_for_user(request.auth, entry_id)
    return Status(201, _out(actions.do_make_offer(request.auth, need, payload.message)))


def _offer(request, offer_id: int) -> Offer:
    offer = get_object_or_404(Offer.objects.select_related("need", "organization"), pk=offer_id)
    queries.get_need_for_user(request.auth, offer.need_id)
    return offer


@router.post(
    "/offers/{offer_id}/accept",
    response={200: OfferOut, **RESPONSES},
    summary="Accept an offer: both sides receive each other's contact details (the need's owner)",
    auth=token_auth,
)
def accept_offer(request, offer_id: int):
    return _out(actions.do_accept_offer(request.auth, _offer(request, offer_id)))


@router.post(
    "/offers/{offer_id}/decline",
    response={200: OfferOut, **RESPONSES},
    summary="Decline an offer (the need's owner)",
    auth=token_auth,
)
def decline_offer(request, offer_id: int):
    return _out(actions.do_decline_offer(request.auth, _offer(request, offer_id)))
