"""The forms of the import of a plan's objectives and actions from a spreadsheet: the file and
the mode, then the checked rows carried back signed for the confirmation, so that nothing is
kept on the server in between."""

from datetime import timedelta

from django import forms
from django.core import signing
from django.utils.translation import gettext_lazy as _

from mercuryhub.lib.errors import InvalidInputError
from mercuryhub.nap.plan_spreadsheets import APPEND, REPLACE, PlanRows, SheetRow, read_plan_rows

_SALT = "mercuryhub.nap.plan-import"
_MAX_AGE = timedelta(hours=6)


class PlanImportForm(forms.Form):
    file = forms.FileField(
        label=_("Spreadsheet"),
        help_text=_(
            "An .xlsx file with the sheets “objectives” and “actions” of the template, or a "
            ".csv file with one of the two tables; at most 2 MB."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}),
    )
    mode = forms.ChoiceField(
        label=_("The rows of the file"),
        choices=[
            (REPLACE, _("replace the plan's objectives and actions")),
            (APPEND, _("come after the plan's objectives and actions")),
        ],
        initial=REPLACE,
        widget=forms.RadioSelect,
    )

    def clean_file(self) -> PlanRows:
        upload = self.cleaned_data["file"]
        try:
            return read_plan_rows(upload, name=upload.name, size=upload.size)
        except InvalidInputError as error:
            raise forms.ValidationError(error.errors["file"]) from None


class PlanImportConfirmForm(forms.Form):
    """The second step: the checked rows, signed for this person, plan and version."""

    rows = forms.CharField(widget=forms.HiddenInput)

    def __init__(self, *args, user, plan, **kwargs):
        super().__init__(*args, **kwargs)
        self.user, self.plan = user, plan

    @staticmethod
    def token(user, plan, rows: PlanRows, *, mode: str, base_version: int) -> str:
        parts = {
            part: [[row.number, row.values] for row in found] for part, found in rows.parts.items()
        }
        value = {"u": user.pk, "p": plan.pk, "m": mode, "v": base_version, "parts": parts}
        return signing.dumps(value, salt=_SALT, compress=True)

    def clean_rows(self) -> dict:
        try:
            value = signing.loads(self.cleaned_data["rows"], salt=_SALT, max_age=_MAX_AGE)
        except signing.BadSignature:
            value = None
        if not value or value.get("u") != self.user.pk or value.get("p") != self.plan.pk:
            raise forms.ValidationError(
                _("The checked file has expired or was altered; please upload it again.")
            )
        rows = PlanRows(
            {
                part: [SheetRow(number, values) for number, values in found]
                for part, found in value["parts"].items()
            }
        )
        return {"rows": rows, "mode": value["m"], "base_version": value["v"]}
