"""Offering help with a need, and the owner's answers: accept (an introduction by e-mail), decline,
and marking the need matched."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from mercuryhub.accounts.forms import add_action_errors
from mercuryhub.exchange import actions, queries
from mercuryhub.exchange.forms import OfferForm
from mercuryhub.exchange.models import Need, Offer
from mercuryhub.exchange.views import detail_context
from mercuryhub.lib.errors import InvalidInputError
from mercuryhub.review.errors import WorkflowError


@login_required
@require_POST
def need_offer(request, pk):
    need = queries.get_need_for_user(request.user, pk)
    form = OfferForm(request.POST)
    if form.is_valid():
        try:
            actions.do_make_offer(request.user, need, form.cleaned_data["message"])
        except InvalidInputError as error:
            add_action_errors(form, error.errors)
        except WorkflowError as error:
            messages.error(request, str(error))
            return redirect(need)
        else:
            messages.success(
                request, _("Your offer is sent. The need's owner is told and can accept it.")
            )
            return redirect(need)
    context = detail_context(request.user, need, offer_form=form)
    return render(request, "exchange/need_detail.html", context, status=400)


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
