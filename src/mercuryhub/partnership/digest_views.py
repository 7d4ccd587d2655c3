"""The partners' digest pages: a signed-in person chooses how often to receive it, and the link
in every digest stops it without signing in."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from mercuryhub.partnership import digest_actions
from mercuryhub.partnership.models import DigestPreference


class DigestPreferenceForm(forms.Form):
    frequency = forms.ChoiceField(
        label=gettext_lazy("Receive the partners' digest"),
        choices=DigestPreference.Frequency.choices,
        widget=forms.RadioSelect,
    )


@login_required
def digest_preference(request):
    current = digest_actions.frequency_of(request.user)
    form = DigestPreferenceForm(request.POST or None, initial={"frequency": current})
    if request.method == "POST" and form.is_valid():
        digest_actions.do_set_digest_frequency(
            request.user, form.cleaned_data["frequency"], get_language() or ""
        )
        messages.success(request, _("Your choice is saved."))
        return redirect("partnership-digest-preference")
    return render(request, "partnership/digest_preference.html", {"form": form})


def digest_unsubscribe(request, token):
    person = digest_actions.person_of_token(token)
    if person is None:
        raise Http404("This link is not valid")
    if request.method == "POST":
        digest_actions.do_set_digest_frequency(person, DigestPreference.Frequency.NEVER)
        return render(request, "partnership/digest_unsubscribed.html", {"done": True})
    return render(request, "partnership/digest_unsubscribed.html", {"done": False})
