"""The response list: the open needs grouped by type of support, each with the resources and
case studies that answer it and the secretariat's notes; and the secretariat adding a note."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST, require_safe

from mercuryhub.exchange import actions, queries
from mercuryhub.exchange.matching import top_matches
from mercuryhub.exchange.profiles import profile_of
from mercuryhub.lib.errors import InvalidInputError
from mercuryhub.taxonomy.queries import terms_of

PER_GROUP = 5  # needs shown under each type of support on the overview
PAGE_SIZE = 20  # needs per page of one type
OTHER = "other"
_OTHER_LABEL = gettext_lazy("Other needs")


@require_safe
def response_list(request):
    needs = list(queries.response_list(request.user))
    groups = []
    for term in terms_of("support_types").order_by("position", "code"):
        members = [n for n in needs if term in n.support_types.all()]
        groups.append({"code": term.code, "label": term.localized_label, "needs": members})
    groups.append(
        {
            "code": OTHER,
            "label": _OTHER_LABEL,
            "needs": [n for n in needs if not n.support_types.all()],
        }
    )
    chosen = request.GET.get("support", "")
    page = None
    if chosen:
        groups = [group for group in groups if group["code"] == chosen]
        if groups:
            page = Paginator(groups[0]["needs"], PAGE_SIZE).get_page(request.GET.get("page"))
            groups[0]["shown"] = list(page.object_list)
    for group in groups:
        group.setdefault("shown", group["needs"][:PER_GROUP])
        group["items"] = [
            {
                "need": need,
                "answers": top_matches(profile_of(need), kinds=["resource", "case_study"], limit=3),
            }
            for need in group["shown"]
        ]
    return render(
        request,
        "exchange/response_list.html",
        {
            "groups": [group for group in groups if group["needs"]] if not chosen else groups,
            "chosen": chosen,
            "page": page,
            "total": len(needs),
        },
    )


@login_required
@require_POST
def need_note(request, pk):
    need = queries.get_need_for_user(request.user, pk)
    try:
        actions.do_add_need_note(request.user, need, request.POST.get("text", ""))
    except InvalidInputError as error:
        messages.error(request, " ".join(error.errors.values()))
    else:
        messages.success(request, _("The note is added to the response list."))
    return redirect(need)
