"""``mercuryhub opendata PATH``: the open-data dump of everything public (core/opendata.py)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from mercuryhub.core.opendata import write_open_data


class Command(BaseCommand):
    help = (
        "Write the open-data dump to PATH: every published entry of every kind as CSV and JSON "
        "(GeoJSON for those with a place), the vocabularies, countries and languages, a data "
        "dictionary, a README and the licence, in one zip archive."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path, help="The archive to write (a .zip file)")

    def handle(self, *args, **options):
        path = options["path"]
        if path.is_dir() or not path.parent.is_dir():
            raise CommandError(f"Give the name of a file in an existing folder, not {path}")
        progress = (
            (lambda name, count: self.stdout.write(f"  {name}: {count}"))
            if options["verbosity"]
            else None
        )
        counts = write_open_data(path, progress=progress)
        self.stdout.write(f"Open data written to {path}: {sum(counts.values())} rows")
