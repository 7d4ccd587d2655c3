"""The annual update's pages: the secretariat's campaigns and their dashboards, and the page where
an editor reconfirms an entry (the link in the campaign's e-mail)."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_http_methods

from mercuryhub.accounts.forms import add_action_errors
from mercuryhub.lib.errors import InvalidInputError
from mercuryhub.lib.text import LONG_TEXT_MAX_LENGTH
from mercuryhub.review import actions, campaigns, queries, registry
from mercuryhub.review.comparison import labelled_rows


class CampaignForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Name"), max_length=200)
    year = forms.IntegerField(
        label=gettext_lazy("Year"),
        min_value=2000,
        max_value=2100,
        help_text=gettext_lazy("One campaign a year."),
    )
    deadline = forms.DateField(
        label=gettext_lazy("Deadline"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=gettext_lazy("The date by which editors are asked to answer."),
    )
    message = forms.CharField(
        max_length=LONG_TEXT_MAX_LENGTH,
        label=gettext_lazy("Message to the editors"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=gettext_lazy(
            "Shown at the top of the e-mail, above the list of each editor's entries."
        ),
    )


@login_required
@require_http_methods(["GET", "POST"])
def campaign_list(request):
    found = campaigns.campaigns_for_user(request.user)
    form = CampaignForm(
        request.POST or None, initial=campaigns.suggested_campaign(timezone.localdate())
    )
    if request.method == "POST" and form.is_valid():
        try:
            campaign = campaigns.do_open_campaign(request.user, **form.cleaned_data)
        except InvalidInputError as error:
            add_action_errors(form, error.errors)
        else:
            messages.success(
                request,
                ngettext(
                    "“%(name)s” is open: %(count)s person is being e-mailed their entries.",
                    "“%(name)s” is open: %(count)s people are being e-mailed their entries.",
                    campaign.recipients,
                )
                % {"name": campaign.name, "count": campaign.recipients},
            )
            return redirect(campaign)
    return render(
        request,
        "review/campaigns/campaign_list.html",
        {"campaigns": found, "form": form},
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def campaign_detail(request, pk):
    campaign = campaigns.get_campaign_for_user(request.user, pk)
    if request.method == "POST" and request.POST.get("action") == "close":
        campaigns.do_close_campaign(request.user, campaign)
        messages.success(request, _("The campaign is closed."))
        return redirect(campaign)
    progress = campaigns.campaign_progress(campaign)
    return render(
        request,
        "review/campaigns/campaign_detail.html",
        {"campaign": campaign, "progress": progress, "chart": progress.chart()},
    )


@login_required
@require_http_methods(["GET", "POST"])
def entry_reconfirm(request, kind, pk):
    entry_kind = registry.get_or_404(kind)
    entry = queries.get_entry_for_editor(request.user, kind, pk)
    if not queries.can_edit_entry(request.user, entry):
        raise PermissionDenied(f"Only the editors of this {kind} can reconfirm it")
    can_reconfirm = queries.can_reconfirm(request.user, entry)
    if request.method == "POST" and can_reconfirm:
        entry = actions.do_reconfirm_entry(kind, request.user, entry)
        messages.success(
            request,
            _("Thank you: “%(name)s” is confirmed as of %(date)s.")
            % {"name": entry.name, "date": date_format(entry.last_confirmed_at)},
        )
        return redirect(request.path)
    return render(
        request,
        "review/campaigns/entry_reconfirm.html",
        {
            "kind": kind,
            "kind_label": entry_kind.label,
            "entry": entry,
            "edit_url": entry_kind.edit_url(entry),
            "facts": [
                (row.label, row.new)
                for row in labelled_rows(entry_kind, None, entry_kind.serialize(entry))
            ],
            "can_reconfirm": can_reconfirm,
            "has_unpublished_changes": queries.has_unpublished_changes(entry),
            "stale": queries.is_stale(entry),
            "confirmed_today": entry.last_confirmed_at == timezone.localdate(),
            "campaign": campaigns.open_campaign(),
        },
        status=409 if request.method == "POST" else 200,
    )
