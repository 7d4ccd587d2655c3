"""Offering help with a need, and the owner's answers: accept (an introduction by e-mail), decline,
and marking the need matched."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from mercuryhub.exchange import actions, queries
from mercuryhub.exchange.forms import OfferForm
from mercuryhub.exchange.models import Need, Offer
from mercuryhub.exchange.views import answer_need_form
from mercuryhub.review.errors import WorkflowError


@login_required
@require_POST
def need_offer(request, pk):
    need = queries.get_need_for_user(request.user, pk)
    return answer_need_form(
        request,
        need,
        offer_form=OfferForm(request.POST),
        act=lambda data: actions.do_make_offer(request.user, need, data["message"]),
        success=_("Your offer is sent. The need's owner is told and can accept it."),
    )


def _offer(request, pk) -> Offer:
    """An offer on a need the person may see (the owner's actions check the rest)."""
    offer = get_object_or_404(Offer.objects.select_related("need"), pk=pk)
    queries.get_need_for_user(request.user, offer.need_id)
    return offer


@login_required
@require_POST
def offer_accept(request, pk):
    offer = _offer(request, pk)
    try:
        actions.do_accept_offer(request.user, offer)
    except WorkflowError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            _("Offer accepted: you and %(partner)s have each received the other's contact details.")
            % {"partner": offer.offered_by},
        )
    return redirect(offer.need)


@login_required
@require_POST
def offer_decline(request, pk):
    offer = _offer(request, pk)
    try:
        actions.do_decline_offer(request.user, offer)
    except WorkflowError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Offer declined."))
    return redirect(offer.need)


@login_required
@require_POST
def need_matched(request, pk):
    need = queries.get_need_for_user(request.user, pk)
    try:
        actions.do_set_need_state(request.user, need, Need.State.MATCHED)
    except WorkflowError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("The need is marked matched."))
    return redirect(need)
