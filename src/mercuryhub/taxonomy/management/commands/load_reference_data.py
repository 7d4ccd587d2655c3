from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from mercuryhub.taxonomy.actions import ReferenceDataError, do_load_reference_data


class Command(BaseCommand):
    help = (
        "Load the controlled vocabularies, countries (ISO 3166-1, UN M49) and languages "
        "(ISO 639-1). Safe to run again: unchanged entries are left alone."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--taxonomy", type=Path, help="A taxonomy JSON file (default: the shipped one)"
        )

    def handle(self, *args, **options):
        try:
            reports = do_load_reference_data(options["taxonomy"])
        except ReferenceDataError as error:
            raise CommandError(str(error)) from None
        if options["verbosity"]:
            for name, report in reports.items():
                self.stdout.write(f"Reference data, {name}: {report}")
