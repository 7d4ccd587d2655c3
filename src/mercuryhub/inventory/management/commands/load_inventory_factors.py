from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from mercuryhub.inventory.reference import do_load_factor_sets
from mercuryhub.taxonomy.actions import ReferenceDataError


class Command(BaseCommand):
    help = (
        "Load the inventory factor sets: each factor with its source (default: the files "
        "INVENTORY_FACTOR_SETS_FILE and INVENTORY_FACTORS_FILE name, else the shipped "
        "inventory/data/factor_sets.csv and factors.csv). A set absent from the file loaded is "
        "deleted: give serve the same files through those settings. All or nothing; safe to "
        "run again."
    )

    def add_arguments(self, parser):
        parser.add_argument("--sets", type=Path, help="A CSV in the layout of factor_sets.csv")
        parser.add_argument("--factors", type=Path, help="A CSV in the layout of factors.csv")

    def handle(self, *args, **options):
        try:
            report = do_load_factor_sets(options["sets"], options["factors"])
        except (ReferenceDataError, OSError) as error:
            raise CommandError(str(error)) from None
        if options["verbosity"]:
            self.stdout.write(
                f"Inventory factors: {report} ({report.details.get('deleted', 0)} deleted)"
            )
