"""``mercuryhub restore PATH``: put a backup back, all or nothing (core/backups.py)."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from mercuryhub.core.backups import BackupError, do_restore


class Command(BaseCommand):
    help = (
        "Restore a backup made by `mercuryhub backup` into this database and MEDIA_ROOT, on "
        "SQLite or PostgreSQL whichever made it, all or nothing, then rebuild the search index. "
        "Refuses a damaged archive, one made by a newer version, and a target that holds data "
        "unless --replace."
    )

    # Like migrate, a command on the data alone: it does not load the site's URLs and API to check
    # them (seconds saved on every run; `mercuryhub check` checks them).
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path, help="The archive `mercuryhub backup` wrote")
        parser.add_argument(
            "--replace",
            action="store_true",
            help="Replace whatever the database and MEDIA_ROOT hold now",
        )

    def handle(self, *args, **options):
        if not options["path"].is_file():
            raise CommandError(f"No backup at {options['path']}")
        progress = (
            (lambda name, count: self.stdout.write(f"  {name}: {count}"))
            if options["verbosity"]
            else None
        )
        settings.DATA_DIR.mkdir(parents=True, exist_ok=True)  # a new machine's empty data folder
        try:
            report = do_restore(options["path"], replace=options["replace"], progress=progress)
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            f"Restored {len(report.rows)} tables, {sum(report.rows.values())} rows, "
            f"{report.files} files; {report.indexed} entries in the search index"
        )
