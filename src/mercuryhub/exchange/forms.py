"""The web forms of needs: posting and editing one (served by the catalogue's editing pages, which
serve every registered form) and closing one with its outcome."""

from django import forms
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

from mercuryhub.catalogue.editor_forms import (
    UN_FIRST,
    EntryForm,
    OrganizationField,
    several,
    vocabulary_field,
)
from mercuryhub.exchange.actions import OUTCOME_MAX_LENGTH
from mercuryhub.exchange.models import Need
from mercuryhub.lib.text import LONG_TEXT_MAX_LENGTH
from mercuryhub.taxonomy.queries import terms_of


class DateInput(forms.DateInput):
    input_type = "date"


class NeedForm(EntryForm):
    add_title = _("Post a need")
    add_intro = _(
        "Say what you need; the platform proposes who and what can help. The need is saved as a "
        "draft only you see until you submit it. A first public need is checked by the "
        "secretariat before it shows; later ones, and needs for partners only, show at once."
    )
    kind_name = "need"
    organization_field = "organization"
    organization_optional = True

    name = forms.CharField(
        label=_("Title"),
        max_length=300,
        help_text=_("What you need, in a line: “Treatment of 2 tonnes of fluorescent lamps”."),
    )
    description = forms.CharField(
        max_length=LONG_TEXT_MAX_LENGTH,
        label=_("Description"),
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("The situation, quantities, what has been tried, what help would look like."),
    )
    country = forms.ChoiceField(label=_("Country"))
    languages = several(_("Languages you can work in"), help_text=UN_FIRST)
    needed_from = forms.DateField(label=_("Needed from"), required=False, widget=DateInput)
    needed_by = forms.DateField(
        label=_("Needed by"),
        required=False,
        widget=DateInput,
        help_text=_("Leave both dates empty when there is no deadline."),
    )
    funding_status = forms.ChoiceField(label=_("Funding status"))
    visibility = forms.ChoiceField(
        label=_("Who may see it"),
        choices=Need.Visibility.choices,
        initial=Need.Visibility.PUBLIC,
        widget=forms.RadioSelect,
        help_text=_(
            "Partners only: signed-in members of the organizations on MercuryHub and the "
            "secretariat."
        ),
    )
    organization = OrganizationField(
        label=_("Posted for"), help_text=_("None: you post it in your own name.")
    )

    _TAGS = (
        ("waste_categories", "waste_categories", _("Waste categories")),
        ("phases", "management_phases", _("Management phases")),
        ("support_types", "support_types", _("Types of support")),
    )

    sections = [
        (_("Your need"), ["name", "description", "content_language", "country"]),
        (_("What it is about"), ["waste_categories", "phases", "support_types", "languages"]),
        (_("Timeframe and funding"), ["needed_from", "needed_by", "funding_status"]),
        (_("Who sees it"), ["visibility", "organization"]),
    ]

    class Media:
        js = ("exchange/similar_needs.js",)
        css = {"all": ("exchange/needs.css",)}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, vocabulary, label in self._TAGS:
            self.fields[name] = vocabulary_field(vocabulary, label)
        self.fields["funding_status"].choices = [
            ("", "—"),
            *((term.code, term.localized_label) for term in terms_of("funding_statuses")),
        ]
        # The page shows open needs like this one as it is typed (exchange/similar_needs.js).
        self.fields["name"].widget.attrs["data-similar-needs"] = reverse_lazy(
            "exchange-similar-needs"
        )

    def entry_data(self) -> dict:
        data = super().entry_data()
        for name in ("needed_from", "needed_by"):
            data[name] = data[name].isoformat() if data.get(name) else None
        return data


class CloseNeedForm(forms.Form):
    outcome = forms.CharField(
        label=_("What came of it"),
        max_length=OUTCOME_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4, "dir": "auto"}),
        help_text=_(
            "Solved through the exchange, solved elsewhere, no longer needed… Others learn from it."
        ),
    )


class OfferForm(forms.Form):
    message = forms.CharField(
        label=_("What you offer"),
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 4, "dir": "auto"}),
        help_text=_(
            "How you can help: your service, facility, experience, terms. The owner sees it and, "
            "on accepting, receives your contact details (and you theirs)."
        ),
    )
