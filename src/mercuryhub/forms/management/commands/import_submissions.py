"""``mercuryhub import_submissions PROJECT FORM FILE [--dry-run]``."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from mercuryhub.forms import actions
from mercuryhub.forms.models import Form
from mercuryhub.lib.errors import InvalidInputError, StateError


class Command(BaseCommand):
    help = (
        "Import a form's submissions exported by KoBoToolbox (CSV or XLSX) or ODK Central (CSV, "
        "the main table), de-duplicated by instanceID; nothing is stored if a row is wrong."
    )

    def add_arguments(self, parser):
        parser.add_argument("project", help="The project's short name (slug), e.g. demo")
        parser.add_argument("form", help="The form's id (the XLSForm's form_id)")
        parser.add_argument("file", type=Path, help="The export: .csv or .xlsx")
        parser.add_argument(
            "--dry-run", action="store_true", help="Report what would be imported; store nothing"
        )

    def handle(self, *args, **options):
        form = (
            Form.objects.select_related("project", "current_version")
            .filter(project__slug=options["project"], xml_form_id=options["form"])
            .first()
        )
        if form is None:
            raise CommandError(f"No form '{options['form']}' in a project '{options['project']}'")
        try:
            content = options["file"].read_bytes()
        except OSError as error:
            raise CommandError(f"Cannot read {options['file']}: {error}") from error

        def progress(done, total, stage):
            self.stderr.write(f"{done}/{total} rows {stage}")

        try:
            report = actions.do_import_submissions(
                None,
                form,
                content,
                options["file"].name,
                dry_run=options["dry_run"],
                progress=progress,
            )
        except (InvalidInputError, StateError) as error:
            raise CommandError(str(error)) from error
        summary = report.summary()
        for problem in summary["errors"] + summary["conflicts"]:
            self.stdout.write(problem)
        if summary["ignored_columns"]:
            self.stdout.write("Columns ignored: " + ", ".join(summary["ignored_columns"]))
        self.stdout.write(
            f"{summary['rows_read']} rows read: {summary['to_create']} to create, "
            f"{summary['duplicates']} duplicates, {len(summary['conflicts'])} conflicts, "
            f"{len(summary['errors'])} errors; {summary['created']} created"
            + (" (dry run)" if report.dry_run else "")
        )
        if not report.acceptable:
            raise CommandError("Nothing was imported: correct the file and import it again.")
