"""The repeats of an imported export: the tables of their instances, linked to the rows they
belong to, turned into the web form's fields (``household[0]/head``, ``_count:household``) of
each main row, as ``forms.imports`` reads it.

- **KoBoToolbox** XLSX: a sheet per repeat after the main one, named after the repeat (cut to
  the 31 characters a sheet's name may have); each row's ``_index``, and ``_parent_index``
  naming the ``_index`` of the row it belongs to (of the main sheet, or of the sheet of the
  repeat around it).
- **ODK Central** "CSV zip": ``<form>.csv`` and a ``<form>-<repeat>.csv`` per repeat; each row's
  ``KEY``, and ``PARENT_KEY`` naming the ``KEY`` of the row it belongs to (the main rows' ``KEY``
  is their instanceID).

Columns name a question by its path (``household/head``, ``household-head``), its path inside
the repeat, or its name where no other question has it."""

import io
import zipfile
from dataclasses import dataclass, field
from pathlib import PurePosixPath

from django.utils.translation import gettext as _

from mercuryhub.forms.webform.answers import COUNT_PREFIX
from mercuryhub.forms.webform.survey import Survey

KEY_COLUMNS = ("KEY", "_index")
PARENT_COLUMNS = ("PARENT_KEY", "_parent_index")
# An export's zip is read whole: what its files may come to, unpacked.
MAX_UNPACKED_BYTES = 200 * 1024 * 1024
SHEET_NAME_LENGTH = 31


@dataclass
class RepeatTable:
    """A repeat's table as the file gives it: KoBoToolbox's sheet or ODK Central's CSV."""

    name: str  # the sheet's name, or the CSV's without the form's "<form>-"
    header: list[str]
    rows: list[list[str]]


@dataclass
class LinkedRepeat:
    """A repeat of the form with its table: its rows by the key of the row they belong to."""

    question: object  # the repeat's Question
    table: RepeatTable
    columns: object  # imports._Columns of the table
    key_index: int | None
    children: dict = field(default_factory=dict)  # parent key → [row cells]


def is_csv_zip(content: bytes) -> bool:
    """ODK Central's "CSV zip" (a zip of CSV files), as opposed to an XLSX workbook."""
    if not content.startswith(b"PK"):
        return False
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            names = archive.namelist()
    except zipfile.BadZipFile:
        return False
    return "[Content_Types].xml" not in names and any(n.lower().endswith(".csv") for n in names)


def csv_zip_files(content: bytes, error) -> tuple[bytes, list[tuple[str, bytes]]]:
    """The main CSV of ODK Central's zip and the others (name without the form's, content);
    ``error`` (an exception class) for a zip that is too large unpacked or holds no CSV."""
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        members = [info for info in archive.infolist() if info.filename.lower().endswith(".csv")]
        if sum(info.file_size for info in archive.infolist()) > MAX_UNPACKED_BYTES:
            raise error(
                _("The zip file unpacks to more than %(size)d MB: export fewer submissions.")
                % {"size": MAX_UNPACKED_BYTES // (1024 * 1024)}
            )
        if not members:
            raise error(_("The zip file holds no CSV file."))
        main = min(members, key=lambda info: (len(info.filename), info.filename))
        stem = PurePosixPath(main.filename).stem
        others = [
            (PurePosixPath(info.filename).stem.removeprefix(f"{stem}-"), archive.read(info))
            for info in members
            if info is not main
        ]
        return archive.read(main), others


def link_repeats(survey: Survey, tables: list[RepeatTable], map_columns, problems: list) -> dict:
    """Each repeat of the form that has a table, by its path (``LinkedRepeat``); a table that
    names no repeat of the form, or lacks its key columns, is told in ``problems`` (column
    names the table) and left out."""
    repeats = [question for question in survey.walk() if question.kind == "repeat"]
    linked = {}
    for table in tables:
        question = _repeat_named(repeats, table.name)
        if question is None:
            problems.append(
                (table.name, _("No repeat of the form is named %(name)s.") % {"name": table.name})
            )
            continue
        parent_index = _index_of(table.header, PARENT_COLUMNS)
        if parent_index is None:
            problems.append((table.name, _("The table has no PARENT_KEY or _parent_index column.")))
            continue
        repeat = LinkedRepeat(
            question=question,
            table=table,
            columns=map_columns(survey, table.header, within=question.path),
            key_index=_index_of(table.header, KEY_COLUMNS),
        )
        for cells in table.rows:
            parent = cells[parent_index].strip() if parent_index < len(cells) else ""
            repeat.children.setdefault(parent, []).append(cells)
        linked[question.path] = repeat
    return linked


def row_key(header: list[str], cells: list[str]) -> str:
    """The key repeat rows name a main row by: ODK Central's KEY, KoBoToolbox's _index."""
    index = _index_of(header, KEY_COLUMNS)
    return cells[index].strip() if index is not None and index < len(cells) else ""


def repeat_fields(survey: Survey, linked: dict, key: str, row_data, *, within="", prefix=""):
    """The web form's fields of the repeat instances that belong to the row keyed ``key`` (a
    main row, or with ``within``/``prefix`` an instance of the repeat around them):
    ``row_data(survey, columns, cells)`` reads a table's row as imports reads a main row."""
    data = {}
    for question in survey.walk():
        if question.kind != "repeat" or question.path not in linked:
            continue
        if (question.repeats[-1] if question.repeats else "") != within:
            continue
        repeat = linked[question.path]
        instance_base = prefix + question.path[len(within) :] if within else question.path
        rows = repeat.children.get(key, [])
        if rows:
            data[COUNT_PREFIX + instance_base] = [str(len(rows))]
        for number, cells in enumerate(rows):
            instance = f"{instance_base}[{number}]"
            fields, _texts = row_data(survey, repeat.columns, cells)
            for name, value in fields.items():
                data[instance + name[len(question.path) :]] = value
            own_key = (
                cells[repeat.key_index].strip()
                if repeat.key_index is not None and repeat.key_index < len(cells)
                else ""
            )
            if own_key:
                data.update(
                    repeat_fields(
                        survey, linked, own_key, row_data, within=question.path, prefix=instance
                    )
                )
    return data


def _repeat_named(repeats: list, name: str):
    name = name.strip()
    for question in repeats:
        if name in (question.name, question.path, question.path.replace("/", "-")):
            return question
    if len(name) == SHEET_NAME_LENGTH:  # a sheet's name cut short
        return next((question for question in repeats if question.name.startswith(name)), None)
    return None


def _index_of(header: list[str], names: tuple) -> int | None:
    for name in names:
        if name in header:
            return header.index(name)
    return None
