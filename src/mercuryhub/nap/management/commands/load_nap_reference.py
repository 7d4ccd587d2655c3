from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from mercuryhub.nap.reference import do_load_budget_lines, do_load_plan_statuses
from mercuryhub.taxonomy.actions import ReferenceDataError


class Command(BaseCommand):
    help = (
        "Load the NAP reference data: each country's National Action Plan status and the budget "
        "lines of the published NAPs (Prescott et al. 2022), flagging inconsistent conversions. "
        "Safe to run again."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--statuses",
            type=Path,
            help="A CSV in the layout of nap/data/nap_status.csv (default: the shipped one)",
        )
        parser.add_argument(
            "--budgets",
            type=Path,
            help="A CSV in the layout of nap/data/nap_budgets.csv (default: the shipped one)",
        )

    def handle(self, *args, **options):
        verbosity = options["verbosity"]
        try:
            if verbosity > 1:
                self.stdout.write("Loading the NAP statuses…")
            statuses = do_load_plan_statuses(options["statuses"])
            if verbosity > 1:
                self.stdout.write("Loading the NAP budget lines…")
            budgets = do_load_budget_lines(options["budgets"])
        except (ReferenceDataError, OSError) as error:
            raise CommandError(str(error)) from None
        if verbosity:
            self.stdout.write(
                f"Reference data, NAP statuses: {statuses}, {statuses.details['deleted']} deleted"
            )
            self.stdout.write(
                f"Reference data, NAP budget lines: {budgets}, {budgets.details['deleted']} "
                f"deleted; {budgets.details['countries']} countries, "
                f"{budgets.details['flagged']} lines whose USD amount is not the original "
                "divided by the conversion rate (kept and flagged)"
            )
