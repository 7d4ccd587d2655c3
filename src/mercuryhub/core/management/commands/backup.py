"""``mercuryhub backup PATH``: the whole platform in one archive (core/backups.py)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from mercuryhub.core.backups import BackupError, do_backup


class Command(BaseCommand):
    help = (
        "Write a backup of the platform to PATH: every table (history, people and tokens "
        "included), the uploaded files and a manifest with counts and checksums, in one zip "
        "archive that `mercuryhub restore` reads on SQLite or PostgreSQL."
    )

    # Like migrate, a command on the data alone: it does not load the site's URLs and API to check
    # them (seconds saved on every run; `mercuryhub check` checks them).
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path, help="The archive to write (a .zip file)")
        parser.add_argument(
            "--sessions", action="store_true", help="Include the signed-in sessions too"
        )

    def handle(self, *args, **options):
        path = options["path"]
        if path.is_dir():
            raise CommandError(f"{path} is a folder: give the name of the archive to write")
        if not path.parent.is_dir():
            raise CommandError(f"The folder {path.parent} does not exist")
        try:
            manifest = do_backup(
                path, sessions=options["sessions"], progress=self._progress(options)
            )
        except (BackupError, OSError) as error:
            raise CommandError(str(error)) from error
        rows = sum(table["rows"] for table in manifest["tables"].values())
        self.stdout.write(
            f"Backup written to {path}: {len(manifest['tables'])} tables, {rows} rows, "
            f"{len(manifest['files'])} files ({manifest['engine']})"
        )

    def _progress(self, options):
        if not options["verbosity"]:
            return None
        return lambda name, count: self.stdout.write(f"  {name}: {count}")
