"""Offers and introductions: a partner answers a need with an offer (the need's owner is told by
e-mail); when the owner accepts it, each side receives the other's contact details by e-mail and
the need is in contact. Writes, kept beside the need's own (``actions.py``)."""

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from mercuryhub.accounts.models import User
from mercuryhub.exchange import actions
from mercuryhub.exchange.kinds import may_see_partners_only
from mercuryhub.exchange.models import Need, Offer
from mercuryhub.lib.errors import InvalidInputError
from mercuryhub.review.errors import WorkflowError
from mercuryhub.review.queries import can_edit_entry, require

MESSAGE_MAX_LENGTH = 3000
_OPEN_STATES = {Need.State.OPEN, Need.State.IN_CONTACT}


def may_offer(user, need: Need) -> bool:
    """Partners (signed-in members of an organization) answer the published, open needs of
    others."""
    return (
        need.published
        and need.state in _OPEN_STATES
        and may_see_partners_only(user)
        and user.memberships.exists()
        and need.owner_id != user.pk
    )


@transaction.atomic
def do_make_offer(user: User, need: Need, message: str) -> Offer:
    require(may_offer(user, need), _("Only partners answer the open needs of others."))
    message = (message or "").strip()
    if not message:
        raise InvalidInputError({"message": _("Say what you offer.")})
    if len(message) > MESSAGE_MAX_LENGTH:
        raise InvalidInputError(
            {"message": _("Keep the offer under %(count)s characters.") % {"count": "3,000"}}
        )
    membership = user.memberships.select_related("organization").order_by("pk").first()
    try:
        with transaction.atomic():
            offer = Offer.objects.create(
                need=need,
                offered_by=user,
                organization=membership.organization if membership else None,
                message=message,
            )
    except IntegrityError:
        raise WorkflowError(_("You have already offered help with this need.")) from None
    if need.owner is not None:
        _mail_on_commit(
            need.owner.email,
            "[MercuryHub] " + _("An offer for your need: %(need)s") % {"need": need.name},
            "exchange/emails/offer_received.txt",
            {"need": need, "offer": offer},
        )
    return offer


@transaction.atomic
def do_accept_offer(user: User, offer: Offer) -> Offer:
    """The owner accepts: both sides get each other's contact details; the need is in contact."""
    offer = Offer.objects.select_for_update().select_related("need", "offered_by").get(pk=offer.pk)
    need = offer.need
    require(can_edit_entry(user, need), _("Only the need's owner accepts its offers."))
    if offer.state != Offer.State.PROPOSED:
        raise WorkflowError(_("This offer has already been answered."))
    if need.state not in _OPEN_STATES:
        raise WorkflowError(_("This need is no longer open."))
    offer.state, offer.decided_at = Offer.State.ACCEPTED, timezone.now()
    offer.save(update_fields=["state", "decided_at"])
    if need.state == Need.State.OPEN:
        actions.do_set_need_state(user, need, Need.State.IN_CONTACT)
    owner = need.owner or user
    context = {"need": need, "offer": offer, "owner": owner, "partner": offer.offered_by}
    _mail_on_commit(
        offer.offered_by.email,
        "[MercuryHub] " + _("Your offer was accepted: %(need)s") % {"need": need.name},
        "exchange/emails/introduction_to_partner.txt",
        context,
    )
    _mail_on_commit(
        owner.email,
        "[MercuryHub] " + _("Introduction: %(partner)s") % {"partner": offer.offered_by},
        "exchange/emails/introduction_to_owner.txt",
        context,
    )
    return offer


@transaction.atomic
def do_decline_offer(user: User, offer: Offer) -> Offer:
    offer = Offer.objects.select_for_update().select_related("need").get(pk=offer.pk)
    require(can_edit_entry(user, offer.need), _("Only the need's owner declines its offers."))
    if offer.state != Offer.State.PROPOSED:
        raise WorkflowError(_("This offer has already been answered."))
    offer.state, offer.decided_at = Offer.State.DECLINED, timezone.now()
    offer.save(update_fields=["state", "decided_at"])
    return offer


def offers_for_user(user, need: Need):
    """The need's offers its owner and editors see; another partner sees their own only."""
    offers = need.offers.select_related("offered_by", "organization")
    if user.is_authenticated and can_edit_entry(user, need):
        return offers
    if user.is_authenticated:
        return offers.filter(offered_by=user)
    return offers.none()


def _mail_on_commit(address: str, subject: str, template: str, context: dict) -> None:
    body = render_to_string(template, {**context, "site_url": settings.SITE_URL})
    transaction.on_commit(lambda: send_mail(subject, body, None, [address]))
