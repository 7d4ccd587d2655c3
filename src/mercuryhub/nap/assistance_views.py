"""Assistance requests: a country team asks (``/nap/assistance/new/``); the secretariat reads
them all, filtered by state, assigns experts, completes or declines them; the team reads its
organization's requests, the assigned experts those they work on."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST, require_safe

from mercuryhub.accounts.queries import is_reviewer, organizations_editable_by
from mercuryhub.catalogue.queries.visibility import experts_visible_to
from mercuryhub.lib.errors import InvalidInputError
from mercuryhub.nap import assistance, queries
from mercuryhub.nap.fields import element_codes
from mercuryhub.nap.models import AssistanceRequest
from mercuryhub.nap.review_views import section_labels
from mercuryhub.review.errors import WorkflowError

PAGE_SIZE = 20


class AssistanceRequestForm(forms.Form):
    kind = forms.ChoiceField(
        label=gettext_lazy("Kind of assistance"),
        choices=AssistanceRequest.Kind.choices,
        widget=forms.RadioSelect,
    )
    description = forms.CharField(
        label=gettext_lazy("What is needed"),
        max_length=assistance.MAX_DESCRIPTION_CHARACTERS,
        widget=forms.Textarea(attrs={"rows": 5, "dir": "auto"}),
        help_text=gettext_lazy("The questions, the dates that suit you, who would take part."),
    )
    elements = forms.MultipleChoiceField(
        label=gettext_lazy("NAP elements concerned"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    plan = forms.ChoiceField(label=gettext_lazy("Plan"), required=False)
    organization = forms.ChoiceField(label=gettext_lazy("Country team"), required=False)

    def __init__(self, user, *args, **kwargs):
        super().__init__(*args, **kwargs)
        labels = section_labels()
        codes = set(element_codes())
        self.fields["elements"].choices = [(c, label) for c, label in labels.items() if c in codes]
        plans = [p for p in queries.plans_visible_to(user) if queries.is_team_member(user, p)]
        self.fields["plan"].choices = [("", _("None"))] + [(p.pk, p.name) for p in plans]
        teams = organizations_editable_by(user).order_by("name")
        self.fields["organization"].choices = [(o.slug, o.name) for o in teams]
        if len(self.fields["organization"].choices) < 2:
            del self.fields["organization"]


@login_required
def assistance_new(request):
    if not organizations_editable_by(request.user).exists():
        raise PermissionDenied("Only a country team (editors of an organization) can ask")
    form = AssistanceRequestForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            made = assistance.do_request_assistance(request.user, form.cleaned_data)
        except InvalidInputError as error:
            for name, message in error.errors.items():
                form.add_error(name if name in form.fields else None, message)
        else:
            messages.success(request, _("Your request is sent to the secretariat."))
            return redirect("nap-assistance-detail", pk=made.pk)
    status = 400 if form.errors else 200
    return render(request, "nap/assistance_new.html", {"form": form}, status=status)


@login_required
@require_safe
def assistance_list(request):
    requests = queries.assistance_requests_visible_to(request.user)
    state = request.GET.get("state", "")
    if state in AssistanceRequest.State.values:
        requests = requests.filter(state=state)
    else:
        state = ""
    page = Paginator(requests.order_by("-requested_at", "-pk"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "nap/assistance_list.html",
        {
            "page": page,
            "state": state,
            "states": AssistanceRequest.State.choices,
            "secretariat": is_reviewer(request.user),
            "may_ask": organizations_editable_by(request.user).exists(),
        },
    )


def _detail(request, item, *, errors=None, status=200):
    secretariat = is_reviewer(request.user)
    labels = section_labels()
    return render(
        request,
        "nap/assistance_detail.html",
        {
            "item": item,
            "elements": [labels.get(code, code) for code in item.elements],
            "secretariat": secretariat,
            "is_open": item.state in assistance.OPEN_STATES,
            "experts": experts_visible_to(request.user).order_by("name").only("pk", "name")
            if secretariat
            else (),
            "assigned": {expert.pk for expert in item.experts.all()},
            "errors": errors or {},
            "posted": request.POST if errors else {},
        },
        status=status,
    )


@login_required
@require_safe
def assistance_detail(request, pk: int):
    return _detail(request, queries.get_assistance_request_for_user(request.user, pk))


def _answer(request, pk: int, act, success: str):
    item = queries.get_assistance_request_for_user(request.user, pk)
    try:
        act(item)
    except InvalidInputError as error:
        return _detail(request, item, errors=error.errors, status=400)
    except WorkflowError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, success)
    return redirect("nap-assistance-detail", pk=item.pk)


@login_required
@require_POST
def assistance_assign(request, pk: int):
    ids = [value for value in request.POST.getlist("experts") if value.isdigit()]
    return _answer(
        request,
        pk,
        lambda item: assistance.do_assign_experts(
            request.user, item, ids, request.POST.get("note", "")
        ),
        _("The experts are assigned; the country team and the experts are told."),
    )


@login_required
@require_POST
def assistance_complete(request, pk: int):
    return _answer(
        request,
        pk,
        lambda item: assistance.do_complete_assistance(
            request.user, item, request.POST.get("note", "")
        ),
        _("The request is completed."),
    )


@login_required
@require_POST
def assistance_decline(request, pk: int):
    return _answer(
        request,
        pk,
        lambda item: assistance.do_decline_assistance(
            request.user, item, request.POST.get("note", "")
        ),
        _("The request is declined."),
    )
