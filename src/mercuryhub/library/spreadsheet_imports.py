"""Rows imported from a spreadsheet that a person uploads on a page, the same way wherever a
page takes one (a plan's objectives and actions, an inventory's lines): the file is checked from
its content (``documents.check_file``: a disguised, damaged, encrypted or oversized file is
refused), read by the catalogue's readers (an XLSX workbook's sheets, or a CSV file's one table),
each row kept with its number as a spreadsheet program shows it; the checks' errors, which name a
field by its place in the entry (``lines.3.activity_unit``), are turned back into the sheet, row
and column of the file; and the checked rows travel from the dry run to the confirmation signed
for the person and the entry (``SignedRowsForm``), so that nothing is kept on the server in
between and nothing is uploaded twice. The template of the problems is
``library/_import_problems.html``."""

import io
from collections.abc import Callable, Collection
from dataclasses import dataclass
from datetime import timedelta
from pathlib import PurePath

from django import forms
from django.core import signing
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from mercuryhub.catalogue.spreadsheets.reading import FileError, Table, read_table, read_xlsx_sheets
from mercuryhub.catalogue.upload_forms import MAX_UPLOAD_BYTES
from mercuryhub.lib.errors import InvalidInputError
from mercuryhub.library.documents import TEXT, XLSX, check_file


@dataclass(frozen=True)
class SheetRow:
    number: int  # as a spreadsheet program numbers it: the header is row 1
    values: dict


@dataclass(frozen=True)
class ImportProblem:
    """What is wrong and where: the sheet, the row (None: the whole sheet), the column."""

    sheet: str | None
    row: int | None
    column: str | None
    message: str

    def __str__(self):
        where = " ".join(str(part) for part in (self.sheet, self.row and f"row {self.row}") if part)
        if self.column:
            where = f"{where}, {self.column}" if where else self.column
        return f"{where}: {self.message}" if where else self.message


def refuse(message: str):
    """A file that cannot be imported at all: InvalidInputError on the field ``file``."""
    raise InvalidInputError({"file": message})


def read_spreadsheet(
    file, *, name: str, size: int, sheets: Collection[str], csv_sheet: Callable[[Table], str]
) -> dict[str, Table]:
    """The tables of an uploaded .xlsx or .csv file, by sheet name in lower case: a workbook's
    sheets among ``sheets`` (the others are not read), or a CSV file's one table under the name
    ``csv_sheet`` gives it (which may refuse it). InvalidInputError on ``file`` for a file that
    cannot be read at all."""
    if PurePath(name).suffix.lower() not in (".xlsx", ".csv"):
        refuse(_("Upload an .xlsx or .csv file; this one is “%(name)s”.") % {"name": name})
    if size > MAX_UPLOAD_BYTES:
        refuse(
            _("This file is %(size)s; the largest spreadsheet accepted is %(limit)s.")
            % {"size": filesizeformat(size), "limit": filesizeformat(MAX_UPLOAD_BYTES)}
        )
    checked = check_file(file, name=name, size=size)
    if checked.file_type not in (XLSX, TEXT):
        refuse(_("This file is not a spreadsheet: upload an .xlsx or .csv file."))
    content = file.read()
    try:
        if checked.file_type == XLSX:
            found = read_xlsx_sheets(content, only={sheet.lower() for sheet in sheets})
            return {title.strip().lower(): table for title, table in found.items()}
        table = read_table(io.BytesIO(content), "csv")
    except FileError as error:
        refuse(" ".join(str(problem) for problem in error.problems))
    return {csv_sheet(table): table}


def sheet_rows(
    sheet: str, table: Table, columns: list[str], *, max_rows: int, problems: list
) -> list[SheetRow]:
    """The rows of a sheet, each with the values of the known ``columns``; an unknown column,
    a cell that is no value and too many rows go into ``problems``."""
    for column in table.header:
        if column not in columns:
            problems.append(
                ImportProblem(
                    sheet,
                    1,
                    column,
                    _("Unknown column; the columns are: %(columns)s")
                    % {"columns": ", ".join(columns)},
                )
            )
    for problem in table.problems:
        problems.append(ImportProblem(sheet, problem.row, problem.column, problem.message))
    if len(table.rows) > max_rows:
        problems.append(
            ImportProblem(
                sheet,
                None,
                None,
                _("At most %(limit)s rows (this sheet has %(count)s)")
                % {"limit": max_rows, "count": len(table.rows)},
            )
        )
    return [
        SheetRow(row.number, {name: value for name, value in row.values.items() if name in columns})
        for row in table.rows
    ]


@dataclass(frozen=True)
class Origins:
    """Where each row of one part of the entry comes from after the import: ``rows[i]`` is the
    file's row number of the entry's row ``i + 1``, or None for a row the entry already had."""

    sheet: str
    rows: list[int | None]


def problems_of(
    errors: dict[str, str],
    origins: dict[str, Origins],
    *,
    kept: str,
    column_of: Callable[[str], str | None] = lambda name: name or None,
) -> list[ImportProblem]:
    """The checks' errors (``lines.3.activity_unit``) as problems naming the sheet, row and
    column of the file (``column_of`` the field's column); ``kept`` says which row of the entry
    an error is about when the file did not bring it ("line %(number)s the inventory already
    has"). An error on anything else names no place."""
    problems = []
    for key, message in errors.items():
        part, _dot, rest = str(key).partition(".")
        position, _dot, name = rest.partition(".")
        origin = origins.get(part)
        if origin is None or not position.isdigit() or not 0 < int(position) <= len(origin.rows):
            problems.append(ImportProblem(origin.sheet if origin else None, None, None, message))
            continue
        number = origin.rows[int(position) - 1]
        if number is None:
            message = f"{kept % {'number': position}}: {message}"
        problems.append(ImportProblem(origin.sheet, number, column_of(name), message))
    return sorted(problems, key=lambda p: (p.sheet or "", p.row or 0, p.column or ""))


class SpreadsheetForm(forms.Form):
    """The upload of a spreadsheet: ``read`` turns the file into what the import takes, or
    raises InvalidInputError on ``file``."""

    file = forms.FileField(
        label=gettext_lazy("Spreadsheet"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}),
    )

    def read(self, upload):
        raise NotImplementedError

    def clean_file(self):
        upload = self.cleaned_data["file"]
        try:
            return self.read(upload)
        except InvalidInputError as error:
            raise forms.ValidationError(error.errors["file"]) from None


def packed_rows(rows: list[SheetRow]) -> list:
    return [[row.number, row.values] for row in rows]


def unpacked_rows(packed: list) -> list[SheetRow]:
    return [SheetRow(number, values) for number, values in packed]


class SignedRowsForm(forms.Form):
    """The confirmation of an import: what the dry run checked, signed for this person and this
    entry (``token``), carried back in a hidden field. Each import names its own ``salt``."""

    salt = ""
    max_age = timedelta(hours=6)
    rows = forms.CharField(widget=forms.HiddenInput)

    def __init__(self, *args, user, entry, **kwargs):
        super().__init__(*args, **kwargs)
        self.user, self.entry = user, entry

    @classmethod
    def token(cls, user, entry, value: dict) -> str:
        return signing.dumps({"u": user.pk, "p": entry.pk, **value}, salt=cls.salt, compress=True)

    def clean_rows(self) -> dict:
        try:
            value = signing.loads(self.cleaned_data["rows"], salt=self.salt, max_age=self.max_age)
        except signing.BadSignature:
            value = None
        if not value or value.get("u") != self.user.pk or value.get("p") != self.entry.pk:
            raise forms.ValidationError(
                _("The checked file has expired or was altered; please upload it again.")
            )
        return {name: item for name, item in value.items() if name not in ("u", "p")}
