"""The forms of the submission pages: the table's filters and a manager's review. They parse
input; the queries filter and the actions check and save."""

from django import forms
from django.utils.translation import gettext_lazy as _

from mercuryhub.forms.models import Submission
from mercuryhub.lib.text import LONG_TEXT_MAX_LENGTH

ReviewState = Submission.ReviewState


class SubmissionFilterForm(forms.Form):
    review_state = forms.ChoiceField(
        label=_("Review state"),
        choices=[("", _("Any state")), *ReviewState.choices],
        required=False,
    )
    submitted_by = forms.ChoiceField(label=_("Submitted by"), required=False)
    received_from = forms.DateField(
        label=_("Received from"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    received_to = forms.DateField(
        label=_("Received until"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    def __init__(self, data, submitters: list[tuple[str, str]]):
        super().__init__(data)
        self.fields["submitted_by"].choices = [("", _("Anyone")), *submitters]

    def filters(self) -> dict:
        """The filters that were given correctly (a wrong one is shown with its error)."""
        self.is_valid()
        return {name: value for name, value in self.cleaned_data.items() if value}


class ReviewForm(forms.Form):
    review_state = forms.ChoiceField(
        label=_("Decision"),
        choices=[(ReviewState.APPROVED, _("Approve")), (ReviewState.REJECTED, _("Reject"))],
        widget=forms.RadioSelect,
    )
    review_comment = forms.CharField(
        max_length=LONG_TEXT_MAX_LENGTH,
        label=_("Comment"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required to reject: say what is wrong."),
    )
