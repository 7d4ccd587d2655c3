from django import forms
from django.utils.translation import gettext_lazy as _


class ExpertContactForm(forms.Form):
    name = forms.CharField(label=_("Your name"), max_length=200)
    email = forms.EmailField(label=_("Your e-mail address"), help_text=_("The expert replies here"))
    organization = forms.CharField(label=_("Your organization"), max_length=300, required=False)
    message = forms.CharField(
        label=_("Message"), widget=forms.Textarea(attrs={"rows": 6}), min_length=20, max_length=5000
    )
