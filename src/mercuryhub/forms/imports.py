"""Reading a form's submissions exported by KoBoToolbox or ODK Central, row by row, into the
instances ODK Collect would have sent (``webform.instances.instance_xml``): what
``actions.do_import_submissions`` stores, de-duplicated by instanceID.

The exports read:

- **KoBoToolbox**, CSV (";" or "," separated) or XLSX (the first sheet: the main table). Columns
  named by the question's name or its group path (``group/question``); the instanceID in
  ``meta/instanceID``, ``_uuid`` or ``_submission__uuid``; the time in ``_submission_time``; a
  select_multiple space-separated in ``q``, or only as ``q/choice`` columns of 0 and 1; a
  geopoint as ``q`` ("lat lon alt acc") or as ``_q_latitude``, ``_q_longitude``,
  ``_q_altitude``, ``_q_precision``.
- **ODK Central**, CSV: groups written ``group-question``; the instanceID in ``meta-instanceID``,
  ``KEY`` or ``instanceID``; ``SubmissionDate``, ``DeviceID``, ``FormVersion``; a geopoint as
  ``q-Latitude``, ``q-Longitude``, ``q-Altitude``, ``q-Accuracy``.

Repeats are exported in tables of their own, read with the main one (``forms.import_repeats``):
the sheets after the first of KoBoToolbox's XLSX, the other CSV files of ODK Central's "CSV zip".
A column of a repeat's question in the main table is reported as ignored, as is a column that
names no question. Review states and submitters in the export are not carried over:
imported submissions wait for review on this server."""

import csv
import datetime
import io
import re
import time
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from mercuryhub.forms import import_repeats
from mercuryhub.forms.import_repeats import RepeatTable
from mercuryhub.forms.instances import parse_instance
from mercuryhub.forms.webform.answers import read_answers
from mercuryhub.forms.webform.instances import instance_xml
from mercuryhub.forms.webform.survey import Survey, load_survey
from mercuryhub.lib.xlsx import WorkbookTooLargeError, open_workbook, sheet_rows

MAX_ROWS = 50_000
_ID_COLUMNS = ("meta/instanceID", "meta-instanceID", "instanceID", "KEY", "_uuid")
_ID_COLUMNS += ("_submission__uuid",)
_TIME_COLUMNS = ("_submission_time", "SubmissionDate")
_DEVICE_COLUMNS = ("DeviceID", "deviceid")
_VERSION_COLUMNS = ("FormVersion",)
# The columns the two services add, which name no question.
_SERVICE_COLUMNS = {
    "_id",
    "_index",
    "_parent_index",
    "_status",
    "_notes",
    "_tags",
    "_submitted_by",
    "_validation_status",
    "_attachments",
    "_geolocation",
    "__version__",
    "_xform_id_string",
    "SubmitterID",
    "SubmitterName",
    "AttachmentsPresent",
    "AttachmentsExpected",
    "Status",
    "ReviewState",
    "Edits",
    "meta/rootUuid",
    "meta-rootUuid",
    "meta/deprecatedID",
    "meta-deprecatedID",
    "meta-audit",
    # the links of the repeats' tables (forms.import_repeats)
    "PARENT_KEY",
    "_parent_table_name",
    "_submission__id",
    "_submission__submission_time",
    "_submission__validation_status",
    "_submission__notes",
    "_submission__status",
    "_submission__submitted_by",
    "_submission___version__",
    "_submission__tags",
}
# Geopoint parts: suffixes of the services → the web form's field names.
_GEO_PARTS = {
    "latitude": "lat",
    "longitude": "lon",
    "altitude": "alt",
    "precision": "acc",
    "accuracy": "acc",
}
_CENTRAL_GEO = re.compile(r"^(?P<key>.+)-(?P<part>Latitude|Longitude|Altitude|Accuracy)$")
_KOBO_GEO = re.compile(r"^_(?P<key>.+)_(?P<part>latitude|longitude|altitude|precision)$")
_TRUE = {"1", "1.0", "true", "yes"}


class ExportError(ValueError):
    """The file is not an export that can be read (not CSV or XLSX, no header, too long)."""


@dataclass
class Problem:
    row: int  # the row in the file, the header being row 1; 0 for the whole file
    column: str
    message: str

    def __str__(self):
        if not self.row:
            return self.message
        return _("Row %(row)d, column %(column)s: %(message)s") % {
            "row": self.row,
            "column": self.column,
            "message": self.message,
        }


@dataclass
class PlannedRow:
    row: int
    instance_id: str
    xml: str
    data: dict  # the answers by path, as the instance's XML gives them
    submitted_at: datetime.datetime | None
    device_id: str
    version: object  # the FormVersion the instance is of


@dataclass
class ImportReport:
    rows_read: int = 0
    to_create: list = field(default_factory=list)  # PlannedRow
    duplicates: list = field(default_factory=list)  # (row, instanceID)
    conflicts: list = field(default_factory=list)  # Problem
    errors: list = field(default_factory=list)  # Problem
    ignored_columns: list = field(default_factory=list)
    created: int = 0
    dry_run: bool = True

    @property
    def acceptable(self) -> bool:
        return not self.errors and not self.conflicts

    def summary(self) -> dict:
        return {
            "rows_read": self.rows_read,
            "to_create": len(self.to_create),
            "created": self.created,
            "duplicates": len(self.duplicates),
            "conflicts": [str(problem) for problem in self.conflicts],
            "errors": [str(problem) for problem in self.errors],
            "ignored_columns": self.ignored_columns,
            "dry_run": self.dry_run,
        }


# -- reading the file ---------------------------------------------------------------------------


def read_table(content: bytes, filename: str) -> tuple[list[str], list[list[str]]]:
    """The header and the rows of a CSV or XLSX export (of its main table), every cell as text."""
    if import_repeats.is_csv_zip(content):
        content = import_repeats.csv_zip_files(content, ExportError)[0]
    if content[:2] == b"PK" or filename.lower().endswith(".xlsx"):
        header, rows = _read_xlsx(content)
    else:
        header, rows = _read_csv(content)
    header = [name.strip() for name in header]
    if not any(header):
        raise ExportError(_("The file has no header row."))
    if len(rows) > MAX_ROWS:
        raise ExportError(
            _("The file has more than %(count)d rows: split it.") % {"count": MAX_ROWS}
        )
    return header, rows


def read_repeat_tables(content: bytes) -> list[RepeatTable]:
    """The tables of the repeats' instances: the sheets after the main one of an XLSX export,
    the other CSV files of ODK Central's zip; none for a CSV file."""
    if import_repeats.is_csv_zip(content):
        return [
            RepeatTable(name, *_read_csv(csv_content))
            for name, csv_content in import_repeats.csv_zip_files(content, ExportError)[1]
        ]
    if not content.startswith(b"PK"):
        return []
    tables, started = [], time.monotonic()
    try:
        with open_workbook(content) as book:
            for sheet in book.worksheets[1:]:
                rows = [
                    [_cell_text(cell) for cell in row] for row in sheet_rows(sheet, started=started)
                ]
                if rows:
                    header = [str(name).strip() for name in rows[0]]
                    tables.append(RepeatTable(sheet.title, header, [r for r in rows[1:] if any(r)]))
    except WorkbookTooLargeError as error:
        raise ExportError(str(error)) from None
    return tables


def _read_csv(content: bytes) -> tuple[list[str], list[list[str]]]:
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ExportError(_("The CSV file is not UTF-8 text.")) from error
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") > first.count(",") else ","
    lines = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    if not lines:
        raise ExportError(_("The file has no header row."))
    return lines[0], [line for line in lines[1:] if any(cell.strip() for cell in line)]


def _read_xlsx(content: bytes) -> tuple[list[str], list[list[str]]]:
    try:
        with open_workbook(content) as book:
            rows = [[_cell_text(cell) for cell in row] for row in sheet_rows(book.worksheets[0])]
    except WorkbookTooLargeError as error:
        raise ExportError(str(error)) from None
    except Exception as error:  # noqa: BLE001 - openpyxl raises many kinds on a bad file
        raise ExportError(_("The file is neither a CSV file nor an XLSX workbook.")) from error
    if not rows:
        raise ExportError(_("The file has no header row."))
    return rows[0], [row for row in rows[1:] if any(cell.strip() for cell in row)]


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime.datetime):
        if value.time() == datetime.time(0) and value.tzinfo is None:
            return value.date().isoformat()
        return value.isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)


# -- mapping columns to questions ---------------------------------------------------------------


@dataclass
class _Columns:
    """Where each question's answer is read from: column index by field name of the web form
    (``path``, ``path:lat``…, ``path/choice`` for a select_multiple's 0/1 columns)."""

    fields: dict = field(default_factory=dict)
    choice_columns: dict = field(default_factory=dict)  # path → {choice: index}
    names: dict = field(default_factory=dict)  # field name → the column's header
    ignored: list = field(default_factory=list)
    special: dict = field(default_factory=dict)  # "id", "time", "device", "version" → index
    header: list = field(default_factory=list)

    def header_of(self, index: int) -> str:
        return self.header[index] if index < len(self.header) else ""


def _question_keys(survey: Survey, within: str = "") -> dict:
    """Every way an export names a question → the question (in a repeat's table, ``within``
    that repeat, also by its path inside it)."""
    keys, names = {}, {}
    for question in survey.walk():
        if question.kind in ("group", "note"):
            continue
        keys[question.path] = question
        keys[question.path.replace("/", "-")] = question
        if within and question.path.startswith(f"{within}/"):
            inside = question.path.removeprefix(f"{within}/")
            keys.setdefault(inside, question)
            keys.setdefault(inside.replace("/", "-"), question)
        names.setdefault(question.name, []).append(question)
    for name, found in names.items():
        if len(found) == 1:
            keys.setdefault(name, found[0])
    return keys


def map_columns(survey: Survey, header: list[str], within: str = "") -> _Columns:
    """Where the answers are read from: the main table's columns, or (``within``, a repeat's
    path) those of the repeat's table."""
    keys = _question_keys(survey, within)
    columns = _Columns(header=list(header))
    for index, name in enumerate(header):
        for role, candidates in (
            ("id", _ID_COLUMNS),
            ("time", _TIME_COLUMNS),
            ("device", _DEVICE_COLUMNS),
            ("version", _VERSION_COLUMNS),
        ):
            if name in candidates:  # the first of several instanceID columns is read
                columns.special.setdefault(role, index)
                break
        else:
            _map_answer_column(columns, keys, index, name, within)
    return columns


def _map_answer_column(columns: _Columns, keys: dict, index: int, name: str, within: str):
    if not name or name in _SERVICE_COLUMNS:
        return
    target = None
    if name in keys:
        target = (keys[name], keys[name].path)
    elif match := (_CENTRAL_GEO.match(name) or _KOBO_GEO.match(name)):
        question = keys.get(match["key"])
        if question is not None and question.kind == "geopoint":
            target = (question, f"{question.path}:{_GEO_PARTS[match['part'].lower()]}")
    else:
        for separator in ("/", "-"):
            key, _sep, choice = name.rpartition(separator)
            question = keys.get(key)
            inside = question is not None and (question.repeats[-1:] or ("",))[0] == within
            if inside and question.kind == "select_multiple":
                columns.choice_columns.setdefault(question.path, {})[choice] = index
                columns.names[f"{question.path}/{choice}"] = name
                return
    enclosing = target[0].repeats[-1] if target and target[0].repeats else ""
    if target is None or target[0].kind == "repeat" or enclosing != within:
        columns.ignored.append(name)
        return
    columns.fields[target[1]] = index
    columns.names[target[1]] = name


# -- rows → instances ---------------------------------------------------------------------------


def _instance_id(text: str) -> str:
    text = text.strip()
    return text if not text or text.startswith("uuid:") else f"uuid:{text}"


def _submitted_at(text: str) -> datetime.datetime | None:
    moment = parse_datetime(text.strip().replace(" ", "T", 1)) if text.strip() else None
    if moment is not None and timezone.is_naive(moment):
        moment = timezone.make_aware(moment, datetime.UTC)
    return moment


def _row_data(survey: Survey, columns: _Columns, cells: list[str]) -> tuple[dict, dict]:
    """The web form's fields of a row, and the plain texts of what is not typed in (metadata,
    calculations, readonly questions)."""
    data, texts = {}, {}

    def cell(index):
        return cells[index].strip() if index < len(cells) else ""

    for name, index in columns.fields.items():
        if value := cell(index):
            data[name] = [value]
    for path, choices in columns.choice_columns.items():
        if path not in data:
            chosen = [choice for choice, index in choices.items() if cell(index).lower() in _TRUE]
            if chosen:
                data[path] = [" ".join(chosen)]
    for question in survey.walk():
        if question.path in data and not question.is_input and question.kind != "geopoint":
            texts[question.path] = data.pop(question.path)[0]
    return data, texts


def plan_rows(
    form,
    header: list[str],
    rows: list[list[str]],
    existing: dict,
    progress=None,
    repeat_tables: list[RepeatTable] = (),
) -> ImportReport:
    """What importing the rows into ``form`` would do, with their repeats' instances from
    ``repeat_tables`` (read_repeat_tables). ``existing`` maps the instanceIDs stored already to
    their answers (``Submission.data``)."""
    report = ImportReport()
    versions = {version.version: version for version in form.versions.all()}
    surveys, mappings, links = {}, {}, {}
    seen: dict[str, tuple[int, dict]] = {}
    for number, cells in enumerate(rows, start=2):
        report.rows_read += 1
        if progress and report.rows_read % 500 == 0:
            progress(report.rows_read, len(rows), "checked")
        version = _row_version(
            form, versions, _mapping(mappings, surveys, form.current_version, header), cells
        )
        survey = _survey(surveys, version)
        columns = _mapping(mappings, surveys, version, header)
        linked = _links(links, surveys, version, repeat_tables)
        planned = _plan_row(survey, columns, cells, number, version, report, linked)
        if planned is None:
            continue
        _classify(planned, existing, seen, report)
    mapping = _mapping(mappings, surveys, form.current_version, header)
    report.ignored_columns = mapping.ignored
    problems: list = []
    for repeat in import_repeats.link_repeats(
        _survey(surveys, form.current_version), list(repeat_tables), map_columns, problems
    ).values():
        report.ignored_columns += [
            f"{repeat.table.name}: {name}" for name in repeat.columns.ignored
        ]
    report.errors[:0] = [Problem(0, table, message) for table, message in problems]
    if "id" not in mapping.special:
        report.errors.insert(
            0,
            Problem(
                0,
                "",
                _(
                    "The file has no instanceID column (meta/instanceID, _uuid, "
                    "meta-instanceID or KEY)."
                ),
            ),
        )
    return report


def _mapping(mappings: dict, surveys: dict, version, header) -> _Columns:
    if version.pk not in mappings:
        mappings[version.pk] = map_columns(_survey(surveys, version), header)
    return mappings[version.pk]


def _row_version(form, versions: dict, columns: _Columns, cells: list[str]):
    """The version a row names (ODK Central's FormVersion), else the form's current one."""
    index = columns.special.get("version")
    if index is not None and index < len(cells):
        return versions.get(cells[index].strip(), form.current_version)
    return form.current_version


def _links(links: dict, surveys: dict, version, repeat_tables) -> dict:
    """The repeats' tables linked for a version of the form (import_repeats.link_repeats)."""
    if version.pk not in links:
        survey = _survey(surveys, version)
        links[version.pk] = import_repeats.link_repeats(
            survey, list(repeat_tables), map_columns, []
        )
    return links[version.pk]


def _survey(surveys: dict, version) -> Survey:
    if version.pk not in surveys:
        surveys[version.pk] = load_survey(version.survey_json)
    return surveys[version.pk]


def _plan_row(survey, columns, cells, number, version, report, linked) -> PlannedRow | None:
    id_index = columns.special.get("id")
    if id_index is None:
        return None
    instance_id = _instance_id(cells[id_index] if id_index < len(cells) else "")
    if not instance_id:
        report.errors.append(
            Problem(number, columns.header_of(id_index), _("The row has no instanceID."))
        )
        return None
    data, texts = _row_data(survey, columns, cells)
    if linked:
        key = import_repeats.row_key(columns.header, cells) or cells[id_index].strip()
        data.update(import_repeats.repeat_fields(survey, linked, key, _row_data))
    values, type_errors = read_answers(survey, data)
    for path, message in type_errors.items():
        column = columns.names.get(path) or columns.names.get(f"{path}:lat") or path
        report.errors.append(Problem(number, column, message))
    if type_errors:
        return None
    values.update(texts)
    time_index, device_index = columns.special.get("time"), columns.special.get("device")
    submitted_at = None
    if time_index is not None and time_index < len(cells) and cells[time_index].strip():
        submitted_at = _submitted_at(cells[time_index])
        if submitted_at is None:
            report.errors.append(
                Problem(number, columns.header_of(time_index), _("Not a date and time."))
            )
            return None
    xml = instance_xml(survey, values, instance_id)
    parsed = parse_instance(xml.encode("utf-8"))
    device = ""
    if device_index is not None and device_index < len(cells):
        device = cells[device_index].strip()
    return PlannedRow(number, instance_id, xml, parsed.data, submitted_at, device, version)


def answers_of(data: dict) -> dict:
    """The answers without the instance's meta (its instanceID), to compare two instances."""
    return {path: value for path, value in data.items() if not path.startswith("meta/")}


def _classify(planned: PlannedRow, existing: dict, seen: dict, report: ImportReport):
    answers = answers_of(planned.data)
    known = existing.get(planned.instance_id)
    if known is None and planned.instance_id in seen:
        known = seen[planned.instance_id][1]
    if known is None:
        seen[planned.instance_id] = (planned.row, answers)
        report.to_create.append(planned)
    elif answers_of(known) == answers:
        report.duplicates.append((planned.row, planned.instance_id))
    else:
        report.conflicts.append(
            Problem(
                planned.row,
                "instanceID",
                _(
                    "The instanceID %(id)s is stored already with other answers: it is not "
                    "overwritten."
                )
                % {"id": planned.instance_id},
            )
        )
