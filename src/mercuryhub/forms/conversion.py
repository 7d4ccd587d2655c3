"""XLSForm to XForm, with pyxform: the XForm, pyxform's survey as JSON (what the web-form
renderer reads), and every error and warning named by sheet and row, as the uploader sees them;
then ODK Validate (JavaRosa, run with Java) on the XForm, when the platform is set to."""

import functools
import hashlib
import re
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext as _
from pyxform.errors import PyXFormError
from pyxform.validators.odk_validate import ODKValidateError, check_xform
from pyxform.xls2xform import convert

from mercuryhub.forms.webform.expressions import ExpressionError
from mercuryhub.forms.webform.survey import load_survey
from mercuryhub.lib.errors import InvalidInputError
from mercuryhub.lib.xlsx import WorkbookTooLargeError, check_expanded_size

_ROW = re.compile(r"\[row\s*:\s*(\d+)\]\s*")
_SHEET = re.compile(r"'(survey|choices|settings|entities|external_choices)' sheet", re.IGNORECASE)
_XLSX_MAGIC = b"PK\x03\x04"


class XLSFormError(InvalidInputError):
    """An XLSForm that cannot be made into an XForm; ``problems`` lists each error as
    ``{"sheet", "row", "message"}`` (sheet and row empty where pyxform names none)."""

    def __init__(self, problems: list[dict]):
        self.problems = problems
        super().__init__({"xlsform": "; ".join(describe(problem) for problem in problems)})


@dataclass
class Conversion:
    xml_form_id: str
    version: str
    title: str
    xml: str
    survey_json: dict
    warnings: list[dict] = field(default_factory=list)

    @property
    def hash(self) -> str:
        """The XForm's md5, written as the OpenRosa form list and manifest give it."""
        return "md5:" + hashlib.md5(self.xml.encode()).hexdigest()  # noqa: S324 - OpenRosa's


def describe(problem: dict) -> str:
    """One problem as a line: "survey, row 5: …"."""
    row = f"row {problem['row']}" if problem.get("row") else ""
    where = ", ".join(part for part in (problem.get("sheet") or "", row) if part)
    return f"{where}: {problem['message']}" if where else problem["message"]


def problem_of(message: str, *, sheet: str = "", row: int | None = None) -> dict:
    """A pyxform message ("[row : 5] On the 'survey' sheet, …") as ``{sheet, row, message}``."""
    message = " ".join(str(message).split())
    found_row = _ROW.search(message)
    if found_row:
        row = int(found_row.group(1))
        message = _ROW.sub("", message, count=1).strip()
    found_sheet = _SHEET.search(message)
    if found_sheet:
        sheet = found_sheet.group(1).lower()
    elif row is not None and not sheet:
        sheet = "survey"  # pyxform numbers rows of the survey sheet unless it names another
    return {"sheet": sheet, "row": row, "message": message}


def convert_xlsform(content: bytes) -> Conversion:
    """Convert an uploaded .xlsx; raises ``XLSFormError`` naming every problem pyxform finds, or
    that ODK Validate finds in the XForm pyxform made."""
    if not content.startswith(_XLSX_MAGIC):
        raise XLSFormError([problem_of(_("This file is not an Excel workbook (.xlsx)."))])
    try:
        check_expanded_size(content)  # pyxform reads every sheet whole
    except WorkbookTooLargeError as error:
        raise XLSFormError([problem_of(str(error))]) from None
    warnings: list[str] = []
    try:
        result = convert(xlsform=content, warnings=warnings, file_type=".xlsx")
    except PyXFormError as error:
        context = getattr(error, "context", None) or {}
        raise XLSFormError(
            [problem_of(str(error), sheet=context.get("sheet", ""), row=context.get("row"))]
        ) from error
    except (ValueError, KeyError, TypeError) as error:  # a workbook pyxform cannot read
        raise XLSFormError(
            [problem_of(_("The workbook cannot be read: %(error)s") % {"error": error})]
        ) from error
    survey = result._survey
    conversion = Conversion(
        xml_form_id=str(survey.id_string),
        version=str(survey.version or ""),
        title=str(survey.title or survey.id_string),
        xml=result.xform,
        # pyxform's own dict keeps a group's bind (its relevant); to_json_dict() drops it
        survey_json=result._pyxform,
        warnings=[problem_of(warning) for warning in warnings],
    )
    conversion.warnings += web_form_problems(conversion.survey_json)
    if odk_validate_enabled():
        conversion.warnings += odk_validate(conversion.xml)
    return conversion


def web_form_problems(survey_json: dict) -> list[dict]:
    """A warning when the web form cannot evaluate one of the form's expressions: ODK Collect
    fills the form in, the platform's web form does not."""
    try:
        load_survey(survey_json)
    except ExpressionError as error:
        message = _(
            "The web form cannot evaluate %(expression)s: this form must be filled in with ODK "
            "Collect."
        ) % {"expression": str(error)}
        return [problem_of(message)]
    return []


def odk_validate_enabled() -> bool:
    """``FORMS_ODK_VALIDATE``: on by default wherever Java is found."""
    return bool(settings.FORMS_ODK_VALIDATE) and shutil.which("java") is not None


def odk_validate(xml: str) -> list[dict]:
    """Run ODK Validate (the JavaRosa validator pyxform ships) on an XForm: its warnings, or
    ``XLSFormError`` with its errors."""
    return [dict(warning) for warning in _odk_validate(xml)]


# ODK Validate starts a Java virtual machine (a second or more) for each XForm: one it passed is
# not checked again by this process (the built-in forms deployed again, a form published anew).
@functools.lru_cache(maxsize=64)
def _odk_validate(xml: str) -> tuple[dict, ...]:
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / "form.xml"
        path.write_text(xml, encoding="utf-8")
        try:
            warnings = check_xform(str(path))
        except ODKValidateError as error:
            lines = [line for line in str(error).splitlines()[1:] if line.strip()]
            raise XLSFormError(
                [problem_of(f"ODK Validate: {line}") for line in lines or [str(error)]]
            ) from error
    return tuple(
        problem_of(f"ODK Validate: {line}")
        for warning in warnings
        for line in warning.splitlines()[1:]
        if line.strip()
    )
