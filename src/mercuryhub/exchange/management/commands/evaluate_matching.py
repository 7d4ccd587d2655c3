"""``mercuryhub evaluate_matching FILE``: the matching engine judged on labelled needs (precision
at 5 and mean reciprocal rank), on the database's published entries (the starter data)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from mercuryhub.exchange.evaluation import evaluate, read_cases
from mercuryhub.lib.errors import InvalidInputError


class Command(BaseCommand):
    help = "Print the matching engine's precision at k and mean reciprocal rank on labelled needs."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="JSON file of labelled needs")
        parser.add_argument("--k", type=int, default=5, help="Matches looked at (default 5)")

    def handle(self, *args, **options):
        try:
            result = evaluate(read_cases(options["file"]), k=options["k"])
        except InvalidInputError as error:
            raise CommandError("; ".join(error.errors.values())) from None
        k = result.k
        for case in result.cases:
            self.stdout.write(
                f"P@{k} {case.precision:.2f}  RR {case.reciprocal_rank:.2f}  {case.title}"
            )
            if options["verbosity"] > 1:
                self.stdout.write(f"    {', '.join(case.found)}")
        self.stdout.write(
            self.style.SUCCESS(
                f"{len(result.cases)} needs: precision@{k} {result.precision_at_k:.3f}, "
                f"mean reciprocal rank {result.mean_reciprocal_rank:.3f}"
            )
        )
