# ruff: noqa: N999 - the command is named "import", as people type it
"""``mercuryhub import facilities|offerings|experts|resources|case_studies FILE``: load a
spreadsheet into the catalogue or the library.

Every row is checked first; one bad row and nothing is saved. ``--dry-run`` checks and reports
what would change, field by field, without saving anything. Texts that look mis-decoded are
warned about either way."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

from mercuryhub.catalogue.spreadsheets.importing import import_entries
from mercuryhub.catalogue.spreadsheets.layouts import LAYOUTS
from mercuryhub.catalogue.spreadsheets.reading import FORMATS

_KINDS = {layout.plural: kind for kind, layout in LAYOUTS.items()}


class Command(BaseCommand):
    help = (
        "Import facilities, offerings, experts, resources or case studies from a CSV, XLSX or "
        "JSON file (columns: "
        "docs/import-format.md). Rows are matched on external_id: importing again updates."
    )

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=list(_KINDS), help="What the file holds")
        parser.add_argument("file", type=Path, help="The .csv, .xlsx or .json file")
        parser.add_argument("--dry-run", action="store_true", help="Check and report, save nothing")
        parser.add_argument(
            "--format",
            choices=FORMATS,
            dest="file_format",
            help="The file format (default: from the file name's extension)",
        )

    def handle(self, *args, **options):
        kind, dry_run = _KINDS[options["kind"]], options["dry_run"]
        console = Console(stderr=True)
        with Progress(
            TextColumn("[progress.description]{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            console=console,
            transient=True,
            disable=options["verbosity"] == 0,
        ) as bar:
            task = bar.add_task(f"Importing {options['kind']}", total=None)
            report = import_entries(
                kind,
                options["file"],
                file_format=options["file_format"],
                dry_run=dry_run,
                progress=lambda done, total: bar.update(task, completed=done, total=total),
            )
        if report.warnings:
            self.stdout.write(report.warning_listing())
        if report.problems:
            if dry_run:
                bad = report.rows_with_problems
                self.stdout.write(f"{report.counts()}; {bad} row{'s' * (bad != 1)} with problems")
            plural = "s" if len(report.problems) > 1 else ""
            raise CommandError(
                f"{options['file']}: {len(report.problems)} problem{plural}, nothing "
                f"{'would be ' if dry_run else ''}saved:\n{report.listing()}"
            )
        if options["verbosity"]:
            what = options["kind"].replace("_", " ").capitalize()
            self.stdout.write(f"{what}: {report.counts()}")
        if dry_run and report.changes:
            self.stdout.write(f"What would change:\n{report.change_listing()}")
