"""The exchange's pages on needs: the list of open needs, a need, closing it, and the open needs
similar to one being written (a fragment the need form shows as it is typed)."""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from mercuryhub.accounts.forms import add_action_errors
from mercuryhub.catalogue.editor_forms import country_choices
from mercuryhub.exchange import actions, queries
from mercuryhub.exchange.forms import CloseNeedForm, OfferForm
from mercuryhub.exchange.matching import top_matches
from mercuryhub.exchange.matching_views import match_items
from mercuryhub.exchange.models import Need
from mercuryhub.exchange.profiles import profile_of
from mercuryhub.lib.errors import InvalidInputError
from mercuryhub.review import queries as review_queries
from mercuryhub.review.errors import WorkflowError
from mercuryhub.taxonomy.queries import regions, terms_of
from mercuryhub.taxonomy.regions import region_label

PAGE_SIZE = 20


@require_safe
def need_list(request):
    """Open needs (or those in the states chosen), filtered, newest first, paginated."""
    try:
        filters = queries.parse_need_filters(request.GET)
    except InvalidInputError as error:
        return render(
            request,
            "exchange/need_list.html",
            {"errors": error.errors, "choices": _filter_choices()},
            status=400,
        )
    page = Paginator(queries.filtered_needs(request.user, filters), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "exchange/need_list.html",
        {
            "filters": filters,
            "page": page,
            "query": urlencode(filters.as_params()),
            "choices": _filter_choices(),
        },
    )


def _filter_choices() -> dict:
    region_choices = []
    for region in regions():
        region_choices.append((region["name"], region_label(region["name"]), 0))
        region_choices.extend((name, region_label(name), 1) for name in region["subregions"])
    return {
        "countries": country_choices(),
        "regions": region_choices,
        "waste": [
            (t.code, t.localized_label, t.parent_id is not None)
            for t in terms_of("waste_categories")
        ],
        "phase": [(t.code, t.localized_label) for t in terms_of("management_phases")],
        "support_type": [(t.code, t.localized_label) for t in terms_of("support_types")],
        "state": Need.State.choices,
    }


@require_safe
def need_detail(request, pk):
    need = queries.get_need_for_user(request.user, pk)
    return render(request, "exchange/need_detail.html", detail_context(request.user, need))


def detail_context(user, need, **forms) -> dict:
    """What a need's page shows this person: the need, its matches, its offers (all of them to
    its owner, their own to a partner), and the forms they may use."""
    may_edit = review_queries.can_edit_entry(user, need)
    open_need = need.state != Need.State.CLOSED
    already_offered = user.is_authenticated and need.offers.filter(offered_by=user).exists()
    return {
        "need": need,
        "entry": need,
        "may_edit": may_edit,
        "close_form": forms.get("close_form")
        or (CloseNeedForm() if may_edit and open_need else None),
        "offer_form": forms.get("offer_form")
        or (OfferForm() if queries.may_offer(user, need) and not already_offered else None),
        "offers": list(queries.offers_for_user(user, need)),
        "may_mark_matched": may_edit and need.state == Need.State.IN_CONTACT,
        "may_note": review_queries.can_review(user),
        "matches": match_items(top_matches(profile_of(need))) if need.published else [],
    }


@login_required
@require_POST
def need_close(request, pk):
    need = queries.get_need_for_user(request.user, pk)
    return answer_need_form(
        request,
        need,
        close_form=CloseNeedForm(request.POST),
        act=lambda data: actions.do_close_need(request.user, need, data["outcome"]),
        success=_("The need is closed. Thank you for saying what came of it."),
    )


def answer_need_form(request, need, *, act, success: str, **posted):
    """A form posted from a need's page (``posted``: its name in ``detail_context`` and the
    form): act on its cleaned data, then back to the need with a message; on errors, the page
    again with the form's messages beside its fields (400)."""
    (form,) = posted.values()
    if form.is_valid():
        try:
            act(form.cleaned_data)
        except InvalidInputError as error:
            add_action_errors(form, error.errors)
        except WorkflowError as error:
            messages.error(request, str(error))
            return redirect(need)
        else:
            messages.success(request, success)
            return redirect(need)
    context = detail_context(request.user, need, **posted)
    return render(request, "exchange/need_detail.html", context, status=400)


@require_safe
def similar_needs(request):
    """Open needs sharing words with the title and description being typed, as an HTML fragment
    the need form inserts (exchange/similar_needs.js); empty when there are none."""
    text = " ".join(request.GET.get(name, "")[:2000] for name in ("name", "description"))
    try:
        exclude = int(request.GET.get("exclude", ""))
    except ValueError:
        exclude = None
    needs = queries.similar_open_needs(request.user, text, exclude=exclude)
    return render(request, "exchange/_similar_needs.html", {"needs": needs})
