"""Backups: the whole platform (every table of its apps and of the libraries it uses, the
history included, and the uploaded files) in one zip archive, restored on SQLite or PostgreSQL
whichever engine made it.

The archive holds ``manifest.json`` (format, MercuryHub's version, date, source engine, the
migrations applied per app, per table its columns, row count and the sha256 of its data, per file
its size and sha256), ``tables/<app_label>.<model>.jsonl`` (one JSON list of column values per
row, in primary-key order) and ``media/<path>`` (MEDIA_ROOT as it was).

Rows are copied table by table as they are stored, by raw inserts: no ``save()``, no signal, so
nothing adds history rows or versions while they load and no ``auto_now`` field redates a row;
every foreign key holds because both engines check them at commit (Django declares them
deferred). The search index is not
copied but rebuilt from the restored entries; the sessions are left out unless asked for (they
are dropped on restore either way: they would sign people in as whoever held an id before).
"""

import base64
import datetime
import decimal
import hashlib
import json
import shutil
import tempfile
import uuid
import zipfile
from dataclasses import dataclass, field
from importlib.metadata import version
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.contrib.sessions.models import Session
from django.core.management import call_command
from django.core.management.color import no_style
from django.db import connection, models, transaction
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

from mercuryhub.accounts.models import User
from mercuryhub.review import registry
from mercuryhub.review.indexing import do_reindex
from mercuryhub.review.organizations import do_reindex_organizations
from mercuryhub.search.models import (
    SearchChange,
    SearchEntry,
    SearchIndexGeneration,
    SearchWord,
)
from mercuryhub.taxonomy.actions import do_mark_reference_changed
from mercuryhub.taxonomy.models import ReferenceMark

FORMAT = 1
MANIFEST = "manifest.json"
_TABLES = "tables/"
_MEDIA = "media/"
_BATCH = 1000
# Rebuilt after a restore, never copied: the search index (and on PostgreSQL its tsvector), and
# what the ranking index beside an SQLite file reads (a new generation rebuilds it); and the
# reference data's change mark: a new one tells every worker to read the restored terms and
# countries instead of those it keeps.
_REBUILT = (SearchEntry, SearchWord, SearchChange, SearchIndexGeneration, ReferenceMark)


class BackupError(Exception):
    """A backup or restore refused, with the reason in words for the operator."""


@dataclass
class RestoreReport:
    rows: dict[str, int] = field(default_factory=dict)
    files: int = 0
    indexed: int = 0


def _models(*, sessions: bool) -> list[type[models.Model]]:
    """Every table the platform's apps and libraries own, parents before children where the
    foreign keys allow (the order only makes the progress readable: keys are checked at
    commit)."""
    chosen = [
        model
        for model in apps.get_models(include_auto_created=True)
        if model._meta.managed
        and not model._meta.proxy
        and model not in _REBUILT
        and (sessions or model is not Session)
    ]
    ordered, placed = [], set()
    while chosen:
        ready = [
            model
            for model in chosen
            if all(
                f.related_model in placed
                or f.related_model is model
                or f.related_model not in chosen
                for f in model._meta.local_concrete_fields
                if f.is_relation
            )
        ] or chosen[:1]  # a cycle: its keys are checked at commit anyway
        for model in ready:
            chosen.remove(model)
            placed.add(model)
            ordered.append(model)
    return ordered


def _columns(model) -> list[models.Field]:
    return [
        f for f in model._meta.local_concrete_fields if f.get_internal_type() != "SearchVectorField"
    ]


def _encode(value):
    """A column's value as JSON: exact (microseconds, decimals as written), engine-neutral."""
    if value is None or isinstance(value, bool | int | float | str | dict | list):
        return value
    if isinstance(value, datetime.datetime | datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, bytes | memoryview):
        return base64.b64encode(bytes(value)).decode("ascii")
    if isinstance(value, datetime.timedelta):
        return value.total_seconds()
    return str(value)  # a file name


def _decode(column: models.Field, value):
    if value is None or isinstance(column, models.JSONField):
        return value
    if isinstance(column, models.DurationField):
        return datetime.timedelta(seconds=value)
    return column.to_python(value)


def _applied_migrations() -> dict[str, list[str]]:
    applied: dict[str, list[str]] = {}
    if not MigrationRecorder(connection).has_table():
        return applied
    for app, name in sorted(MigrationRecorder(connection).applied_migrations()):
        applied.setdefault(app, []).append(name)
    return applied


def _media_files() -> list[Path]:
    root = Path(settings.MEDIA_ROOT)
    if not root.is_dir():
        return []
    return sorted(p for p in root.rglob("*") if p.is_file())


def _sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for chunk in iter(lambda: stream.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def do_backup(path: Path, *, sessions: bool = False, progress=None) -> dict:
    """Write the archive at ``path`` (first as ``path.partial``, renamed once complete, so an
    interrupted backup never leaves a truncated archive under the name asked for). Reads in
    one transaction, so the tables agree with each other. ``progress(name, rows)`` after each
    table. Returns the manifest."""
    path = Path(path)
    partial = path.with_name(path.name + ".partial")
    manifest = {
        "format": FORMAT,
        "mercuryhub": version("mercuryhub"),
        "created": timezone.now().isoformat(),
        "engine": connection.vendor,
        "migrations": {},
        "tables": {},
        "files": {},
    }
    try:
        with zipfile.ZipFile(partial, "w", zipfile.ZIP_DEFLATED) as archive, transaction.atomic():
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
            manifest["migrations"] = _applied_migrations()
            for model in _models(sessions=sessions):
                manifest["tables"][model._meta.label] = _write_table(archive, model)
                if progress:
                    progress(model._meta.label, manifest["tables"][model._meta.label]["rows"])
            root = Path(settings.MEDIA_ROOT)
            for file in _media_files():
                name = file.relative_to(root).as_posix()
                manifest["files"][name] = {
                    "size": file.stat().st_size,
                    "sha256": _sha256_file(file),
                }
                archive.write(file, _MEDIA + name)
            if progress:
                progress("files", len(manifest["files"]))
            archive.writestr(MANIFEST, json.dumps(manifest, indent=1, sort_keys=True))
        partial.replace(path)
    finally:
        partial.unlink(missing_ok=True)
    return manifest


def _write_table(archive: zipfile.ZipFile, model) -> dict:
    columns = _columns(model)
    digest, rows = hashlib.sha256(), 0
    values = model._base_manager.order_by("pk").values_list(*[c.attname for c in columns])
    with archive.open(_TABLES + model._meta.label + ".jsonl", "w") as member:
        for row in values.iterator(chunk_size=_BATCH):
            line = json.dumps([_encode(v) for v in row], ensure_ascii=False).encode() + b"\n"
            digest.update(line)
            member.write(line)
            rows += 1
    return {
        "table": model._meta.db_table,
        "columns": [c.attname for c in columns],
        "rows": rows,
        "sha256": digest.hexdigest(),
    }


def read_manifest(archive: zipfile.ZipFile) -> dict:
    try:
        manifest = json.loads(archive.read(MANIFEST))
    except (KeyError, ValueError) as error:
        raise BackupError(f"Not a MercuryHub backup: no readable {MANIFEST} ({error})") from error
    if manifest.get("format") != FORMAT:
        raise BackupError(
            f"Backup format {manifest.get('format')!r} is not the one this version reads ({FORMAT})"
        )
    return manifest


def _check_intact(archive: zipfile.ZipFile, manifest: dict) -> None:
    """Every table and file of the manifest present, with its checksum."""
    members = {
        _TABLES + label + ".jsonl": entry["sha256"] for label, entry in manifest["tables"].items()
    }
    members.update({_MEDIA + name: f["sha256"] for name, f in manifest["files"].items()})
    for name, expected in members.items():
        digest = hashlib.sha256()
        try:
            with archive.open(name) as member:
                for chunk in iter(lambda member=member: member.read(1 << 20), b""):
                    digest.update(chunk)
        except (KeyError, zipfile.BadZipFile, OSError, EOFError) as error:
            raise BackupError(f"The backup is damaged: {name} cannot be read ({error})") from error
        if digest.hexdigest() != expected:
            raise BackupError(f"The backup is damaged: {name} does not match its checksum")


def _check_migrations(manifest: dict) -> None:
    known = set(MigrationLoader(None, ignore_no_migrations=True).disk_migrations)
    newer = [
        f"{app}.{name}"
        for app, names in manifest["migrations"].items()
        for name in names
        if (app, name) not in known
    ]
    if newer:
        raise BackupError(
            f"The backup was made by a newer MercuryHub (version {manifest['mercuryhub']}): "
            f"this code does not know its migrations {', '.join(newer[:5])}"
            f"{'…' if len(newer) > 5 else ''}. Restore it with that version or a later one."
        )


def _held_data() -> list[str]:
    """What the target database holds that a restore would replace: people and entries."""
    held, tables = [], set(connection.introspection.table_names())
    for model in [User, *(kind.model for kind in registry.kinds())]:
        if model._meta.db_table not in tables:
            continue
        count = model._base_manager.count()
        if count:
            held.append(f"{count} {model._meta.verbose_name_plural}")
    return held


def _bring_schema_to(manifest: dict) -> bool:
    """Migrate the (empty) target to the archive's migration state when it differs. Returns
    whether the archive's state is older than the code's, to migrate forward after loading."""
    if _applied_migrations() == manifest["migrations"]:
        return False
    executor = MigrationExecutor(connection)
    applied = {(app, name) for app, names in manifest["migrations"].items() for name in names}
    graph = executor.loader.graph
    targets = [
        (app, None)
        for app in executor.loader.migrated_apps
        if not any(key[0] == app for key in applied)
    ]
    for key in applied:
        children = {c for c in graph.node_map[key].children if c[0] == key[0]}
        if not children & applied:
            targets.append(key)
    executor.migrate(targets)
    return True


def do_restore(path: Path, *, replace: bool = False, progress=None) -> RestoreReport:
    """Restore the archive at ``path`` into this database and MEDIA_ROOT, all or nothing: the
    rows in one transaction, the files written beside MEDIA_ROOT and moved in at the end, the
    search index rebuilt and PostgreSQL's sequences set past the restored ids. Refuses (raising
    BackupError) a damaged archive, one made by newer code, and, unless ``replace``, a target
    that holds people, entries or files."""
    try:
        archive = zipfile.ZipFile(path)
    except (OSError, zipfile.BadZipFile) as error:
        raise BackupError(f"The backup cannot be opened: {error}") from error
    with archive:
        manifest = read_manifest(archive)
        _check_migrations(manifest)
        _check_intact(archive, manifest)
        media_root = Path(settings.MEDIA_ROOT)
        if not replace:
            held = _held_data()
            if any(media_root.rglob("*")) if media_root.is_dir() else False:
                held.append(f"files in {media_root}")
            if held:
                raise BackupError(
                    f"The target already holds data ({', '.join(held)}): restore into an empty "
                    "or freshly migrated database, or pass --replace to replace all of it."
                )
        older = _bring_schema_to(manifest)
        media_root.parent.mkdir(parents=True, exist_ok=True)
        for left in media_root.parent.glob(".restoring-*"):  # by a restore that was killed
            shutil.rmtree(left, ignore_errors=True)
        staging = Path(tempfile.mkdtemp(prefix=".restoring-", dir=media_root.parent))
        try:
            # An older archive's rows go into the tables as its version had them; the search
            # index is rebuilt once the code's later migrations have run on them.
            report = _restore(archive, manifest, staging, progress, reindex=not older)
        finally:
            shutil.rmtree(staging, ignore_errors=True)
    if older:
        call_command("migrate", interactive=False, verbosity=0)
        with transaction.atomic():
            _rebuild_index(report, progress)
    return report


def _rebuild_index(report: RestoreReport, progress) -> None:
    report.indexed = sum(do_reindex().values()) + do_reindex_organizations()
    if progress:
        progress("search index", report.indexed)


def _restore(archive, manifest, staging: Path, progress, *, reindex: bool) -> RestoreReport:
    report = RestoreReport()
    new_media = staging / "media"
    new_media.mkdir()
    for name in manifest["files"]:
        target = (new_media / name).resolve()
        if not target.is_relative_to(new_media.resolve()):
            raise BackupError(f"The backup is damaged: file name {name!r} leaves the media folder")
        target.parent.mkdir(parents=True, exist_ok=True)
        with archive.open(_MEDIA + name) as source, target.open("wb") as copy:
            shutil.copyfileobj(source, copy)
        report.files += 1
    # The tables of the archive's migration state: an older one may lack some of the code's.
    tables = set(connection.introspection.table_names())
    chosen = {
        model._meta.label: model
        for model in _models(sessions=True)
        if model._meta.db_table in tables
    }
    media_root = Path(settings.MEDIA_ROOT)
    previous = staging / "previous-media"
    swapped = False
    try:
        with transaction.atomic():
            with connection.cursor() as cursor:
                rebuilt = [model for model in _REBUILT if model._meta.db_table in tables]
                for model in [*chosen.values(), *rebuilt]:
                    cursor.execute(f"DELETE FROM {connection.ops.quote_name(model._meta.db_table)}")  # noqa: S608 - a table's name
            for label, entry in manifest["tables"].items():
                model = chosen.get(label)
                if model is None:
                    raise BackupError(f"The backup holds table {label}, which this code has not")
                report.rows[label] = _load_table(archive, model, entry)
                if progress:
                    progress(label, report.rows[label])
            with connection.cursor() as cursor:
                for sql in connection.ops.sequence_reset_sql(no_style(), list(chosen.values())):
                    cursor.execute(sql)
            do_mark_reference_changed()
            if reindex:
                _rebuild_index(report, progress)
            if media_root.exists():
                media_root.rename(previous)
            new_media.rename(media_root)
            swapped = True
    except BaseException:
        if swapped:
            shutil.rmtree(media_root, ignore_errors=True)
            if previous.exists():
                previous.rename(media_root)
        raise
    if progress:
        progress("files", report.files)
    return report


def _load_table(archive, model, entry) -> int:
    by_name = {c.attname: c for c in _columns(model)}
    unknown = [name for name in entry["columns"] if name not in by_name]
    if unknown:
        raise BackupError(
            f"The backup's table {model._meta.label} has columns this code has not: "
            f"{', '.join(unknown)}"
        )
    columns = [by_name[name] for name in entry["columns"]]
    rows, batch = 0, []
    with archive.open(_TABLES + model._meta.label + ".jsonl") as member:
        for line in member:
            values = json.loads(line)
            batch.append(
                model(**{c.attname: _decode(c, v) for c, v in zip(columns, values, strict=True)})
            )
            if len(batch) == _BATCH:
                rows += _insert(model, batch, columns)
                batch = []
        rows += _insert(model, batch, columns)
    if rows != entry["rows"]:
        raise BackupError(
            f"The backup is damaged: {model._meta.label} has {rows} rows, not {entry['rows']}"
        )
    return rows


def _insert(model, batch, columns) -> int:
    """The rows as they were, in the archive's ``columns`` (an older version's table may have
    fewer than the code's model): a raw insert, which neither sends signals nor lets the fields
    fill themselves in (``auto_now`` would date every row to the restore)."""
    if not batch:
        return 0
    size = max(connection.ops.bulk_batch_size(columns, batch), 1)
    for start in range(0, len(batch), size):
        model._base_manager._insert(batch[start : start + size], fields=columns, raw=True)
    return len(batch)
