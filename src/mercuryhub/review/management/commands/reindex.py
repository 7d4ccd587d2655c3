"""``mercuryhub reindex [KIND…]``: rebuild the search index of every registered kind of entry (or
of those named), with a progress bar, and report how many entries each kind has in the index."""

from django.core.management.base import BaseCommand, CommandError
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

from mercuryhub.review import registry
from mercuryhub.review.indexing import do_reindex
from mercuryhub.review.organizations import NAME as ORGANIZATION
from mercuryhub.review.organizations import ORGANIZATIONS, do_reindex_organizations


class Command(BaseCommand):
    help = (
        "Rebuild the search index: every entry the public may see is indexed, every other one "
        "taken out. Prints the number of entries indexed per kind."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "kinds",
            nargs="*",
            help=f"The kinds of entry to reindex: {', '.join(_names())} (default: all)",
        )

    def handle(self, *args, **options):
        chosen = options["kinds"] or list(_names())
        unknown = [name for name in chosen if name not in _names()]
        if unknown:
            raise CommandError(
                f"Unknown kind of entry {', '.join(map(repr, unknown))}; "
                f"choose from {', '.join(_names())}"
            )
        with_organizations = ORGANIZATION in chosen
        chosen = [name for name in chosen if name != ORGANIZATION]
        with Progress(
            TextColumn("[progress.description]{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            console=Console(stderr=True),
            transient=True,
            disable=options["verbosity"] == 0,
        ) as bar:
            tasks = {
                name: bar.add_task(
                    f"Indexing {registry.get(name).label_plural}",
                    total=registry.get(name).model.objects.count(),
                )
                for name in chosen
            }
            counts = (
                do_reindex(
                    chosen, progress=lambda name, done: bar.update(tasks[name], completed=done)
                )
                if chosen
                else {}
            )
            organizations = do_reindex_organizations() if with_organizations else None
        if options["verbosity"]:
            for name, count in counts.items():
                total = registry.get(name).model.objects.count()
                self.stdout.write(f"{name}: {count} indexed of {total}")
            if organizations is not None:
                total = ORGANIZATIONS.model.objects.count()
                self.stdout.write(f"{ORGANIZATION}: {organizations} indexed of {total}")
            self.stdout.write(f"Search index rebuilt: {sum(counts.values())} entries indexed")


def _names() -> list[str]:
    """The registered kinds of entry, and organizations, which search finds too."""
    return [*registry.names(), ORGANIZATION]
