"""Importing catalogue spreadsheets: facilities, offerings or experts from CSV, XLSX or JSON.

Every row is checked by the same rules as a web form or an API body (``fields.clean_*``) before
anything is written; one bad row and nothing is saved. Rows are matched to existing entries by
``external_id``, so importing the same file twice changes nothing. The column layouts are
documented in docs/import-format.md; exports write the same layouts.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import BinaryIO

from django.core.exceptions import FieldDoesNotExist
from django.db import transaction
from django.utils import timezone

from mercuryhub.accounts.models import Organization
from mercuryhub.catalogue.actions import do_create_entries, do_save_entry
from mercuryhub.catalogue.fields import CleanEntry, find_organizations
from mercuryhub.catalogue.spreadsheets.layouts import LAYOUTS, Layout, cell_text
from mercuryhub.catalogue.spreadsheets.reading import FileError, Problem, Row, Table, read_table
from mercuryhub.lib.bulk import fewer_full_collections
from mercuryhub.lib.errors import InvalidInputError
from mercuryhub.lib.lookups import cached_lookups
from mercuryhub.lib.text import likely_mis_decoded
from mercuryhub.review import actions as review_actions
from mercuryhub.review import errors as review_errors
from mercuryhub.review import registry, translations
from mercuryhub.review.models import ReviewState
from mercuryhub.search.engine import changes_logged_together

_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
# New entries are written this many at a time (rows, tags, history, search index).
WRITE_BATCH = 1000


@dataclass(frozen=True)
class Change:
    """One field of an existing entry that a row changes, as cells show it."""

    row: int
    external_id: str
    column: str
    old: str
    new: str
    unit: str = "row"

    def __str__(self):
        return (
            f"{self.unit.capitalize()} {self.row} ({self.external_id}), column {self.column}: "
            f"{_shortened(self.old)!r} → {_shortened(self.new)!r}"
        )


def _shortened(text: str, length: int = 80) -> str:
    return text if len(text) <= length else f"{text[: length - 1]}…"


@dataclass
class ImportReport:
    kind: str
    dry_run: bool = False
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    problems: list[Problem] = field(default_factory=list)
    # What each row would change in an existing entry, and texts that look mis-decoded: neither
    # stops an import, both are for the person importing to read.
    changes: list[Change] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def saved(self) -> bool:
        return self.ok and not self.dry_run

    def counts(self) -> str:
        if self.dry_run:
            rows = "row" if self.created == 1 else "rows"
            return (
                f"{self.created} {rows} would be created, {self.updated} updated, "
                f"{self.unchanged} unchanged"
            )
        return f"{self.created} created, {self.updated} updated, {self.unchanged} unchanged"

    @property
    def rows_with_problems(self) -> int:
        return len({problem.row for problem in self.problems})

    def listing(self) -> str:
        return "\n".join(str(problem) for problem in self.problems)

    def change_listing(self) -> str:
        return "\n".join(str(change) for change in self.changes)

    def warning_listing(self) -> str:
        return "\n".join(f"Warning: {warning}" for warning in self.warnings)

    def __str__(self):
        return self.counts()


@dataclass
class _Planned:
    clean: CleanEntry
    existing: object | None
    confirmed_on: date | None
    outcome: str  # created, updated or unchanged
    changes: list[tuple[str, str, str]] = field(default_factory=list)  # of an existing entry


# Importing ----------------------------------------------------------------------------------


def _open(kind: str, source, file_format, dry_run: bool):
    """The file's layout, a report for it, and its rows once the file and its header are sound
    (None, with the problems in the report, when they are not)."""
    layout = LAYOUTS[kind]
    report = ImportReport(kind, dry_run=dry_run)
    try:
        table = read_table(source, file_format)
        if not table.rows and not table.problems:
            what = "the list is empty" if table.unit == "item" else "the file has only a header"
            raise FileError([Problem(None, None, f"There are no rows to import: {what}")])
        _check_header(layout, table)
    except FileError as error:
        report.problems.extend(error.problems)
        return layout, report, None
    report.rows = len(table.rows)
    report.problems.extend(table.problems)
    return layout, report, table


def import_entries(
    kind: str,
    source: str | Path | BinaryIO,
    *,
    file_format: str | None = None,
    dry_run: bool = False,
    user=None,
    progress: Callable[[int, int], None] | None = None,
) -> ImportReport:
    """Check every row of the file, then create or update one entry per row, all in one
    transaction, or nothing at all when any row has a problem (or on a dry run). Imported entries
    are published as "imported" (not yet validated by the secretariat) and are not confirmed by
    anyone unless the file says when they were (``last_confirmed``)."""
    layout, report, table = _open(kind, source, file_format, dry_run)
    if table is None:
        return report
    # The rows built up in memory: full collections of garbage would scan them again and again.
    with fewer_full_collections():
        return _plan_and_write(kind, layout, report, table, dry_run, user, progress)


def _plan_and_write(
    kind: str,
    layout: Layout,
    report: ImportReport,
    table: Table,
    dry_run: bool,
    user,
    progress: Callable[[int, int], None] | None,
) -> ImportReport:
    total = report.rows if dry_run else 2 * report.rows
    # Every row is checked before anything is written, outside the transaction: on SQLite the
    # write lock is then held only while writing, and other people's edits wait less.
    with cached_lookups():
        planned = _plan(layout, table, report, lambda done: progress and progress(done, total))
    if dry_run:
        return report
    if not report.ok:
        report.created = report.updated = report.unchanged = 0
        return report
    done = report.rows
    # The search index's changes are logged as the transaction ends: on PostgreSQL, other
    # people's edits need not wait for the whole import (search/ranking_index.py).
    with transaction.atomic(), changes_logged_together():
        created = [step for step in planned if step.outcome == "created"]
        for start in range(0, len(created), WRITE_BATCH):
            batch = created[start : start + WRITE_BATCH]
            do_create_entries(
                kind,
                [(step.clean, step.confirmed_on) for step in batch],
                user=user,
                review_state=ReviewState.IMPORTED,
                published=True,
            )
            done += len(batch)
            if progress:
                progress(done, total)
        for step in planned:
            if step.outcome == "updated":
                do_save_entry(
                    kind,
                    step.clean,
                    instance=step.existing,
                    user=user,
                    review_state=ReviewState.IMPORTED,
                    published=True,
                    # Public sources confirm nothing: only a file that states when an entry
                    # was last confirmed sets it.
                    confirmed_on=step.confirmed_on,
                )
            if step.outcome != "created":
                done += 1
                if progress:
                    progress(done, total)
    return report


def _plan(layout: Layout, table: Table, report: ImportReport, advance) -> list[_Planned]:
    """Check every row and decide what it would do, writing nothing."""
    model = registry.get(layout.kind).model
    ids = [str(row.values.get("external_id") or "").strip() for row in table.rows]
    existing = {
        entry.external_id: entry
        for entry in model.objects.filter(external_id__in=[i for i in ids if i]).prefetch_related(
            *[f.name for f in model._meta.many_to_many]
        )
    }
    absent_fields = {c.field_name for c in layout.columns if c.name not in table.header}
    # Only the catalogue's kinds record when their public sources were read.
    keeps_checked_on = any(f.name == "source_checked_on" for f in model._meta.fields)
    first_row_of: dict[str, int] = {}
    # Cells refused as they were read are empty now: a rule saying that they are needed would only
    # repeat the problem.
    refused = {(problem.row, problem.column) for problem in table.problems}
    organization_columns = [c.name for c in layout.columns if _names_organization(model, c)]
    find_organizations(row.values.get(name) for row in table.rows for name in organization_columns)
    planned = []
    for done, (row, external_id) in enumerate(zip(table.rows, ids, strict=True), start=1):
        problems = []

        def problem(column, message, row=row, problems=problems):
            if (row.number, column) not in refused:
                problems.append(Problem(row.number, column, message, table.unit))

        if not external_id:
            problem(
                "external_id",
                "A value is required: it identifies the entry when the file is imported again",
            )
        elif external_id in first_row_of:
            problem(
                "external_id",
                f"{external_id!r} is on {table.unit} {first_row_of[external_id]} and "
                f"{table.unit} {row.number}; each external_id may appear only once",
            )
        else:
            first_row_of[external_id] = row.number
        entry = existing.get(external_id)
        clean = _clean_row(layout, row, entry, problem, table.header)
        confirmed_on = _date(row.values.get("last_confirmed"), "last_confirmed", problem)
        checked_on = _date(row.values.get("source_checked_on"), "source_checked_on", problem)
        if problems or clean is None:
            report.problems.extend(problems)
        else:
            if keeps_checked_on:
                clean.values["source_checked_on"] = checked_on
            step = _decide(layout, clean, entry, confirmed_on, absent_fields, report)
            report.changes.extend(
                Change(row.number, external_id, column, old, new, table.unit)
                for column, old, new in step.changes
            )
            if step.outcome != "unchanged":
                # In an existing entry, only the texts the row changes are new.
                changed = {column for column, _old, _new in step.changes} if entry else None
                report.warnings.extend(_mis_decoded(layout, row, changed, table.unit))
            planned.append(step)
        advance(done)
    return planned


def _names_organization(model, column) -> bool:
    try:
        field = model._meta.get_field(column.field_name)
    except FieldDoesNotExist:
        return False
    return field.many_to_one and field.related_model is Organization


def _clean_row(layout: Layout, row: Row, entry, problem, header) -> CleanEntry | None:
    """The row checked by the rules of its kind; each problem goes to ``problem``."""
    data = {c.input_key: row.values.get(c.name) for c in layout.columns if c.input_key}
    if entry is not None:
        # A language column missing from the file leaves that text of the entry as it is.
        kind = registry.get(layout.kind)
        for name, value in kind.translation_data(entry).items():
            if name not in header:
                data[name] = value
    for column in layout.columns:
        if not column.is_list and isinstance(row.values.get(column.name), list):
            problem(column.name, "A list is allowed only in list columns")
            data[column.input_key] = None
    if layout.kind == "expert" and entry is not None and not data.get("email"):
        # Exports never publish e-mail addresses; a known expert keeps theirs.
        data["email"] = entry.email
    try:
        return layout.clean(data)
    except InvalidInputError as error:
        for key, message in error.errors.items():
            problem(layout.column_for_input(key), message)
        return None


def _decide(layout, clean, entry, confirmed_on, absent_fields, report) -> _Planned:
    if entry is None:
        report.created += 1
        return _Planned(clean, None, confirmed_on, "created")
    # A column missing from the file leaves that field of an existing entry as it is.
    clean = replace(
        clean,
        values={k: v for k, v in clean.values.items() if k not in absent_fields},
        relations={k: v for k, v in clean.relations.items() if k not in absent_fields},
    )
    changes = _changes(layout, entry, clean, confirmed_on)
    report.updated += bool(changes)
    report.unchanged += not changes
    return _Planned(clean, entry, confirmed_on, "updated" if changes else "unchanged", changes)


def _translation_changes(layout: Layout, entry, new: dict) -> list[tuple[str, str, str]]:
    """(column, text now, text after the import) for each text in another language changed."""
    kind = registry.get(layout.kind)
    changes = []
    for name, text_field, language in translations.translation_keys(kind.translated_fields):
        current = (entry.translations or {}).get(language, {}).get(text_field.stored_as, "")
        after = new.get(language, {}).get(text_field.stored_as, "")
        if current != after:
            changes.append((name, cell_text(current), cell_text(after)))
    return changes


def _changes(layout: Layout, entry, clean: CleanEntry, confirmed_on) -> list[tuple[str, str, str]]:
    """(column, value now, value after the import) for each field the row changes."""
    column_of = {column.field_name: column.name for column in layout.columns}
    changes = []
    for name, value in clean.values.items():
        if name == "translations":
            changes.extend(_translation_changes(layout, entry, value))
            continue
        model_field = entry._meta.get_field(name)
        if model_field.many_to_one:
            new_organization = (
                name == registry.get(layout.kind).organization_field and clean.operator_name
            )
            if not new_organization and getattr(entry, model_field.attname) == (
                value.pk if value else None
            ):
                continue  # compared without loading the related object
            value = clean.operator_name if new_organization else _as_cell(value)
            current = _as_cell(getattr(entry, name))
        else:
            current = getattr(entry, name)
        if current != value:
            changes.append((column_of.get(name, name), cell_text(current), cell_text(value)))
    for name, related in clean.relations.items():
        current = sorted(_code(item) for item in getattr(entry, name).all())
        new = sorted(_code(item) for item in related)
        if current != new:
            changes.append((column_of.get(name, name), cell_text(current), cell_text(new)))
    if confirmed_on is not None and confirmed_on != entry.last_confirmed_at:
        changes.append(
            ("last_confirmed", cell_text(entry.last_confirmed_at), cell_text(confirmed_on))
        )
    return changes


def _as_cell(related) -> str:
    """An organization by its name, a country by its code: as a cell names them."""
    if related is None:
        return ""
    return related.name if isinstance(related, Organization) else str(related.pk)


def _code(item) -> str:
    """Codes of terms and languages, ISO alpha-3 codes of countries."""
    return str(getattr(item, "code", item.pk))


def _mis_decoded(layout: Layout, row: Row, columns: set[str] | None, unit: str) -> list[Problem]:
    """A warning for each text of the row (in ``columns``, or all) that looks like UTF-8 read in
    another encoding, with what it most likely said."""
    warnings = []
    for column in layout.columns:
        value = row.values.get(column.name)
        if columns is not None and column.name not in columns:
            continue
        for text in value if isinstance(value, list) else [value]:
            repaired = likely_mis_decoded(text) if isinstance(text, str) else None
            if repaired:
                warnings.append(
                    Problem(
                        row.number,
                        column.name,
                        f"{text!r} looks mis-decoded and most likely reads {repaired!r}: was "
                        "the file opened or saved in an encoding other than UTF-8?",
                        unit,
                    )
                )
    return warnings


def _date(value, column: str, problem) -> date | None:
    """A past or present day written YYYY-MM-DD, or None for an empty cell."""
    if value is None or value == "":
        return None
    text = str(value).strip()
    try:
        if not _DATE.match(text):
            raise ValueError(text)
        day = date.fromisoformat(text)
    except ValueError:
        problem(column, f"{text!r} is not a date written YYYY-MM-DD")
        return None
    if day > timezone.localdate():
        problem(column, f"{text} is in the future")
        return None
    return day


def _check_header(layout: Layout, table: Table) -> None:
    problems = []
    known = set(layout.names)
    seen = set()
    for name in table.header:
        if name in seen:
            problems.append(Problem(1, name, "This column appears twice"))
        seen.add(name)
        if name not in known:
            problems.append(
                Problem(
                    1,
                    name,
                    f"Unknown column for {layout.plural}; the columns are: "
                    f"{', '.join(layout.names)}",
                )
            )
    for column in layout.columns:
        if column.required and column.name not in seen:
            problems.append(Problem(1, column.name, "This required column is missing"))
    if problems:
        if table.unit == "item":
            problems = [Problem(None, p.column, p.message) for p in problems]
        raise FileError(problems)


# Submitting a spreadsheet for review (the partners' bulk upload on the web) -----------------


def submit_entries(
    kind: str,
    source: str | Path | BinaryIO,
    *,
    user,
    file_format: str | None = None,
    dry_run: bool = False,
) -> ImportReport:
    """Check every row as import_entries does, then make each one an entry submitted for the
    secretariat's review, never published: a new ``external_id`` becomes a draft that is
    submitted at once; a known one, which the user must be able to edit, is edited from its
    latest version and submitted. Rows must name an organization the user edits. All rows or
    none: a dry run does the same work and rolls it back, so it reports every problem that
    saving would meet."""
    layout, report, table = _open(kind, source, file_format, dry_run)
    if table is None:
        return report
    with transaction.atomic():
        _plan(layout, table, report, lambda done: None)
        report.created = report.updated = report.unchanged = 0
        checked = {problem.row for problem in report.problems}
        for row in table.rows:
            if row.number not in checked:
                _submit_row(layout, table, row, user, report)
        if not report.ok:
            report.created = report.updated = report.unchanged = 0
        if dry_run or not report.ok:
            transaction.set_rollback(True)
    return report


def _submit_row(layout: Layout, table: Table, row: Row, user, report: ImportReport) -> None:
    # Imported here, as the command-line importer needs none of them.
    from django.core.exceptions import PermissionDenied
    from django.db.models import Q

    from mercuryhub.accounts.queries import organizations_editable_by
    from mercuryhub.review.queries import can_edit_entry

    def problem(column, message):
        report.problems.append(Problem(row.number, column, message, table.unit))

    kind = layout.kind
    problems_before = len(report.problems)
    data = {
        column.input_key: row.values.get(column.name)
        for column in layout.columns
        if column.input_key and column.name in table.header
    }
    organization_field = registry.get(kind).organization_field
    named = str(data.get(organization_field) or "").strip()
    if not named:
        # Only a person can nominate themself as an expert without an organization.
        problem(organization_field, "Name the organization this entry belongs to")
    elif not organizations_editable_by(user).filter(Q(slug=named) | Q(name__iexact=named)).exists():
        problem(
            organization_field,
            f"You are not an editor of {named!r}; only its editors can submit its entries "
            "(an organization new to MercuryHub must be registered first)",
        )
    external_id = str(data.get("external_id") or "").strip()
    existing = registry.get(kind).model.objects.filter(external_id=external_id).first()
    if existing is not None and not can_edit_entry(user, existing):
        problem("external_id", f"{external_id!r} is already used by an entry you cannot edit")
    if len(report.problems) > problems_before:
        return
    try:
        if existing is None:
            entry = review_actions.do_create_draft(kind, user, data)
            report.created += 1
        else:
            entry = review_actions.do_edit_entry(
                kind, user, existing, data, base_version=existing.version
            )
            if entry.review_state not in {ReviewState.DRAFT, ReviewState.RETURNED}:
                report.unchanged += 1  # nothing new, and already published or waiting
                return
            report.updated += 1
        review_actions.do_submit_entry(kind, user, entry)
    except InvalidInputError as error:
        for key, message in error.errors.items():
            problem(layout.column_for_input(key), message)
    except (PermissionDenied, review_errors.WorkflowError, review_errors.ConflictError) as error:
        problem(None, str(error))
