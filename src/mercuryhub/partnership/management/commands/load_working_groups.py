from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from mercuryhub.partnership.group_reference import do_load_working_groups
from mercuryhub.taxonomy.actions import ReferenceDataError


class Command(BaseCommand):
    help = (
        "Load the Partnership's working groups (WG1, WG2, WG3) with their mandates in the six "
        "languages. Safe to run again."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--file",
            type=Path,
            help="A JSON file in the layout of partnership/data/working_groups.json "
            "(default: the shipped one)",
        )

    def handle(self, *args, **options):
        try:
            report = do_load_working_groups(options["file"])
        except (ReferenceDataError, OSError) as error:
            raise CommandError(str(error)) from None
        if options["verbosity"]:
            self.stdout.write(f"Reference data, working groups: {report}")
