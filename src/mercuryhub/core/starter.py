"""The starter data set that ``mercuryhub serve`` loads into an empty database, through the same
importers a partner's spreadsheet goes through."""

from importlib import resources

from django.core.management.base import CommandError

from mercuryhub.catalogue.models import Facility, Offering
from mercuryhub.catalogue.spreadsheets.importing import import_entries
from mercuryhub.catalogue.spreadsheets.layouts import LAYOUTS

# In this order: offerings name facility operators as their providers.
_STARTER = (("facility", Facility), ("offering", Offering))


def load_starter_data(stdout, *, verbosity: int = 1) -> None:
    """Import the shipped facilities, then the shipped offerings (public sources, published as
    "imported"), each when the catalogue has none of them yet; otherwise leave it as it is."""
    for kind, model in _STARTER:
        plural = LAYOUTS[kind].plural
        existing = model.objects.count()
        if existing:
            if verbosity > 0:
                stdout.write(
                    f"Starter data: skipped, the catalogue already has {existing} {plural}"
                )
            continue
        source = resources.files("mercuryhub.catalogue") / "data" / f"{plural}.csv"
        with resources.as_file(source) as path:
            report = import_entries(kind, path)
        if not report.ok:
            raise CommandError(f"The starter {plural} could not be imported:\n{report.listing()}")
        if verbosity > 0:
            stdout.write(f"Starter data, {plural}: {report.counts()}")
