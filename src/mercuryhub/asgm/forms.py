"""The forms of the ASGM pages: the national overview's filters (read from the address, each
wrong value named), merging and splitting sites, and a country's own mercury-to-gold ratio."""

from django import forms
from django.utils.translation import gettext_lazy as _

from mercuryhub.asgm.models import Practice, WorstPractice
from mercuryhub.asgm.queries import OverviewFilters
from mercuryhub.lib.text import LONG_TEXT_MAX_LENGTH


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self):
        super().__init__(format="%Y-%m-%d")


class OverviewFilterForm(forms.Form):
    """What the overview is narrowed to; an unknown value is an error naming its field, never
    silently the whole country."""

    admin_area = forms.ChoiceField(label=_("Administrative area"), required=False)
    worst_practice = forms.ChoiceField(
        label=_("Worst practice"),
        required=False,
        choices=[("", _("Any or none")), *WorstPractice.choices],
        error_messages={
            "invalid_choice": _("%(value)s is not one of the four worst practices of Annex C.")
        },
    )
    practice = forms.ChoiceField(
        label=_("Practice"),
        required=False,
        choices=[("", _("Every practice")), *Practice.choices],
        error_messages={"invalid_choice": _("%(value)s is not a practice of the list.")},
    )
    since = forms.DateField(
        label=_("Observed since"),
        required=False,
        widget=DateInput(),
        error_messages={"invalid": _("Enter a date as year-month-day, e.g. 2025-01-31.")},
    )
    until = forms.DateField(
        label=_("Observed until"),
        required=False,
        widget=DateInput(),
        error_messages={"invalid": _("Enter a date as year-month-day, e.g. 2025-12-31.")},
    )

    def __init__(self, data, areas: list[str], **kwargs):
        super().__init__(data, **kwargs)
        field = self.fields["admin_area"]
        field.choices = [("", _("Every area")), *((area, area) for area in areas)]
        field.error_messages["invalid_choice"] = _(
            "No site of this country is in the area %(value)s."
        )

    def full_clean(self):
        super().full_clean()
        for name in self.errors:
            if name in self.fields:
                self.fields[name].widget.attrs.update(
                    {"aria-invalid": "true", "aria-describedby": f"id_{name}-error"}
                )

    def clean(self):
        data = super().clean()
        since, until = data.get("since"), data.get("until")
        if since and until and since > until:
            self.add_error("until", _("The end of the period comes before its start."))
        return data

    def filters(self) -> OverviewFilters:
        """The filters asked for (only call once the form is valid)."""
        data = self.cleaned_data
        return OverviewFilters(
            admin_area=data["admin_area"],
            worst_practice=data["worst_practice"],
            practice=data["practice"],
            since=data["since"],
            until=data["until"],
        )

    def is_filtered(self) -> bool:
        return self.is_bound and any(self.data.get(name) for name in self.fields)


class MergeSitesForm(forms.Form):
    sites = forms.TypedMultipleChoiceField(
        label=_("Sites to merge into this one"),
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one other site to merge.")},
    )

    def __init__(self, data=None, *, candidates=(), **kwargs):
        super().__init__(data, **kwargs)
        self.fields["sites"].choices = [(site.pk, site) for site in candidates]


class SplitSiteForm(forms.Form):
    observations = forms.TypedMultipleChoiceField(
        label=_("Observations to move to a new site"),
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose observations of this site to move to a new site.")},
    )

    def __init__(self, data=None, *, observations=(), **kwargs):
        super().__init__(data, **kwargs)
        self.fields["observations"].choices = [
            (observation.pk, observation) for observation in observations
        ]


class NationalRatioForm(forms.Form):
    """A country's own mercury-to-gold ratio for a practice, from a national study."""

    practice = forms.ChoiceField(label=_("Practice"), choices=Practice.choices)
    low = forms.DecimalField(label=_("Low"), min_value=0, max_digits=10, decimal_places=4)
    typical = forms.DecimalField(label=_("Typical"), min_value=0, max_digits=10, decimal_places=4)
    high = forms.DecimalField(label=_("High"), min_value=0, max_digits=10, decimal_places=4)
    source = forms.CharField(
        max_length=LONG_TEXT_MAX_LENGTH,
        label=_("Source"),
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("The national study the ratio comes from: authors, title, year."),
    )

    def clean(self):
        data = super().clean()
        low, typical, high = data.get("low"), data.get("typical"), data.get("high")
        if None not in (low, typical, high) and not low <= typical <= high:
            raise forms.ValidationError(_("The ratios must go from low to typical to high."))
        return data
