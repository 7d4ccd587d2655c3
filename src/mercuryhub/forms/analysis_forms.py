"""The choices on the summary, cross-tabulation and export pages: which submissions (review
state, received between two days), two questions to cross, labels or codes."""

from django import forms
from django.utils.translation import gettext_lazy as _

from mercuryhub.forms.analysis import DEFAULT_STATES, Filters, crosstab_questions, label_of
from mercuryhub.forms.models import Submission


class FilterForm(forms.Form):
    states = forms.MultipleChoiceField(
        label=_("Review state"),
        choices=Submission.ReviewState.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    since = forms.DateField(
        label=_("Received from"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    until = forms.DateField(
        label=_("Received until"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, data=None, **kwargs):
        if data is not None and not data.get("states"):
            # no state asked for: the defaults apply, and their boxes show ticked
            data = data.copy()
            data.setlist("states", list(DEFAULT_STATES))
        super().__init__(data, **kwargs)
        if data is None:
            self.initial["states"] = list(DEFAULT_STATES)

    def filters(self) -> Filters:
        """The filters asked for; the defaults for what is missing or wrong."""
        if not self.is_valid():
            return Filters()
        data = self.cleaned_data
        return Filters(
            states=tuple(data["states"]) or DEFAULT_STATES,
            since=data["since"],
            until=data["until"],
        )


class CrossTabForm(forms.Form):
    rows = forms.ChoiceField(label=_("Rows"))
    columns = forms.ChoiceField(label=_("Columns"))

    def __init__(self, data, survey, language, **kwargs):
        super().__init__(data, **kwargs)
        choices = [(q.path, label_of(q, language, survey)) for q in crosstab_questions(survey)]
        self.fields["rows"].choices = choices
        self.fields["columns"].choices = choices

    def clean(self):
        data = super().clean()
        if data.get("rows") and data.get("rows") == data.get("columns"):
            raise forms.ValidationError(_("Choose two different questions."))
        return data


class ExportForm(FilterForm):
    values = forms.ChoiceField(
        label=_("Values"),
        choices=[("codes", _("Codes")), ("labels", _("Labels"))],
        initial="codes",
        required=False,
    )
    repeat = forms.CharField(required=False, widget=forms.HiddenInput)

    @property
    def labels(self) -> bool:
        return self.is_valid() and self.cleaned_data["values"] == "labels"
