"""The forms of the import of an inventory's lines from a spreadsheet: the file and the mode,
then the checked rows carried back signed for the confirmation, so that nothing is kept on the
server in between and nothing is uploaded twice (``library.spreadsheet_imports``)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from mercuryhub.inventory.actions import BY_CATEGORY, REPLACE
from mercuryhub.inventory.sheet_import import LineRows, read_line_rows
from mercuryhub.library.spreadsheet_imports import (
    SignedRowsForm,
    SpreadsheetForm,
    packed_rows,
    unpacked_rows,
)


class LinesImportForm(SpreadsheetForm):
    mode = forms.ChoiceField(
        label=_("The lines of the file"),
        choices=[
            (BY_CATEGORY, _("add or update lines by source category; the other lines stay")),
            (REPLACE, _("replace all the inventory's lines")),
        ],
        initial=BY_CATEGORY,
        widget=forms.RadioSelect,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _(
            "An .xlsx file with the sheet “Lines” of the template or of an inventory's export, "
            "or a .csv file of the lines; at most 2 MB."
        )

    def read(self, upload) -> LineRows:
        return read_line_rows(upload, name=upload.name, size=upload.size)


class LinesImportConfirmForm(SignedRowsForm):
    """The second step: the checked rows, signed for this person, inventory and version."""

    salt = "mercuryhub.inventory.lines-import"

    @classmethod
    def lines_token(cls, user, inventory, rows: LineRows, *, mode: str, base_version: int):
        value = {"m": mode, "v": base_version, "rows": packed_rows(rows.rows)}
        return cls.token(user, inventory, {**value, "out": rows.left_out})

    def clean_rows(self) -> dict:
        value = super().clean_rows()
        rows = LineRows(unpacked_rows(value["rows"]), list(value["out"]))
        return {"rows": rows, "mode": value["m"], "base_version": value["v"]}
