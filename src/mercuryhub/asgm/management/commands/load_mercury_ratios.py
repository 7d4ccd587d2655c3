from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from mercuryhub.asgm.actions import do_load_mercury_ratios
from mercuryhub.taxonomy.actions import ReferenceDataError


class Command(BaseCommand):
    help = (
        "Load the default mercury-to-gold ratios of ASGM practices (low, typical, high, with "
        "their sources) that estimate a site's mercury use from its gold production. Safe to "
        "run again; the sites' estimates follow a changed ratio."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "file",
            nargs="?",
            type=Path,
            help="A CSV with the columns practice, label, ratio_low, ratio_typical, ratio_high, "
            "source (default: the shipped one)",
        )

    def handle(self, *args, **options):
        try:
            report = do_load_mercury_ratios(options["file"])
        except (ReferenceDataError, OSError) as error:
            raise CommandError(str(error)) from None
        if options["verbosity"]:
            self.stdout.write(f"Reference data, mercury-to-gold ratios: {report}")
