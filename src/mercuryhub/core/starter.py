"""The starter data set that ``mercuryhub serve`` loads into an empty database, through the same
importers a partner's spreadsheet goes through."""

from importlib import resources

from django.core.management.base import CommandError

from mercuryhub.catalogue.models import Facility
from mercuryhub.catalogue.spreadsheets.importing import import_entries


def load_starter_data(stdout, *, verbosity: int = 1) -> None:
    """Import the shipped facilities (public sources, published as "imported") when the catalogue
    has no facility at all; otherwise leave the catalogue as it is."""
    existing = Facility.objects.count()
    if existing:
        if verbosity > 0:
            stdout.write(f"Starter data: skipped, the catalogue already has {existing} facilities")
        return
    source = resources.files("mercuryhub.catalogue") / "data" / "facilities.csv"
    with resources.as_file(source) as path:
        report = import_entries("facility", path)
    if not report.ok:
        raise CommandError(f"The starter facilities could not be imported:\n{report.listing()}")
    if verbosity > 0:
        stdout.write(f"Starter data, facilities: {report.counts()}")
