from django import forms
from django.utils.translation import gettext_lazy as _

from mercuryhub.lib.text import LONG_TEXT_MAX_LENGTH
from mercuryhub.taxonomy.queries import countries, terms_of


class OrganizationForm(forms.Form):
    """The web form for an organization; codes are checked by the action that saves it."""

    name = forms.CharField(label=_("Name"), max_length=300)
    stakeholder_type = forms.ChoiceField(label=_("Stakeholder type"))
    country = forms.ChoiceField(label=_("Country"))
    website = forms.CharField(label=_("Website"), required=False, help_text="https://…")
    description = forms.CharField(
        max_length=LONG_TEXT_MAX_LENGTH,
        label=_("Description"),
        required=False,
        widget=forms.Textarea,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["stakeholder_type"].choices = [("", "—")] + [
            (term.code, term.localized_label) for term in terms_of("stakeholder_types")
        ]
        self.fields["country"].choices = [("", "—")] + [
            (country.iso3, country.localized_name) for country in countries()
        ]


class PartnershipForm(forms.Form):
    is_partner = forms.BooleanField(
        label=_("Partner of the Global Mercury Partnership"), required=False
    )
    partnership_areas = forms.MultipleChoiceField(
        label=_("Partnership areas"), required=False, widget=forms.CheckboxSelectMultiple
    )
    joined_partnership_on = forms.DateField(
        label=_("Joined the Partnership on"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["partnership_areas"].choices = [
            (term.code, term.localized_label) for term in terms_of("partnership_areas")
        ]


class ApiTokenForm(forms.Form):
    name = forms.CharField(
        label=_("Token name"),
        max_length=100,
        help_text=_("What will use this token, e.g. “nightly export script”"),
    )


def add_action_errors(form: forms.Form, errors: dict[str, str]) -> None:
    """Show an action's InvalidInputError errors on the matching fields of a form."""
    for field, message in errors.items():
        form.add_error(field if field in form.fields else None, message)
