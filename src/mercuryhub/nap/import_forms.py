"""The forms of the import of a plan's objectives and actions from a spreadsheet: the file and
the mode, then the checked rows carried back signed for the confirmation, so that nothing is
kept on the server in between (``library.spreadsheet_imports``)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from mercuryhub.library.spreadsheet_imports import (
    SignedRowsForm,
    SpreadsheetForm,
    packed_rows,
    unpacked_rows,
)
from mercuryhub.nap.plan_spreadsheets import APPEND, REPLACE, PlanRows, read_plan_rows


class PlanImportForm(SpreadsheetForm):
    mode = forms.ChoiceField(
        label=_("The rows of the file"),
        choices=[
            (REPLACE, _("replace the plan's objectives and actions")),
            (APPEND, _("come after the plan's objectives and actions")),
        ],
        initial=REPLACE,
        widget=forms.RadioSelect,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _(
            "An .xlsx file with the sheets “objectives” and “actions” of the template, or a "
            ".csv file with one of the two tables; at most 2 MB."
        )

    def read(self, upload) -> PlanRows:
        return read_plan_rows(upload, name=upload.name, size=upload.size)


class PlanImportConfirmForm(SignedRowsForm):
    """The second step: the checked rows, signed for this person, plan and version."""

    salt = "mercuryhub.nap.plan-import"

    @classmethod
    def plan_token(cls, user, plan, rows: PlanRows, *, mode: str, base_version: int) -> str:
        parts = {part: packed_rows(found) for part, found in rows.parts.items()}
        return cls.token(user, plan, {"m": mode, "v": base_version, "parts": parts})

    def clean_rows(self) -> dict:
        value = super().clean_rows()
        rows = PlanRows({part: unpacked_rows(found) for part, found in value["parts"].items()})
        return {"rows": rows, "mode": value["m"], "base_version": value["v"]}
