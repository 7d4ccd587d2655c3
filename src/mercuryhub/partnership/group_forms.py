"""The web forms of the working groups' pages; the actions check what the forms cannot."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mercuryhub.accounts.models import Organization, User
from mercuryhub.partnership.models import Leadership


class JoinForm(forms.Form):
    organization = forms.ChoiceField(label=_("Organization"))
    message = forms.CharField(
        label=_("Why your organization wishes to join (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, organizations=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].choices = [
            (organization.slug, organization.name) for organization in organizations
        ]


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(choices=[("approve", "approve"), ("decline", "decline")])
    reason = forms.CharField(required=False, max_length=2000)


class LeaderForm(forms.Form):
    person = forms.EmailField(
        label=_("E-mail address of the person"),
        help_text=_("The person must have an account on MercuryHub."),
    )
    organization = forms.ChoiceField(label=_("Organization they lead for"))
    gender = forms.ChoiceField(label=_("Gender"), choices=Leadership.Gender.choices)
    started_on = forms.DateField(
        label=_("Leads since"), widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].choices = [("", "—")] + [
            (organization.slug, organization.name)
            for organization in Organization.objects.filter(is_partner=True).order_by("name")
        ]
        self.fields["started_on"].initial = timezone.localdate()

    def clean_person(self):
        email = self.cleaned_data["person"]
        person = User.objects.filter(email__iexact=email, is_active=True).first()
        if person is None:
            raise forms.ValidationError(_("Nobody with this e-mail address has an account."))
        return person

    def clean_organization(self):
        return Organization.objects.get(slug=self.cleaned_data["organization"])


class EndLeadershipForm(forms.Form):
    ended_on = forms.DateField(label=_("Led until"), widget=forms.DateInput(attrs={"type": "date"}))
