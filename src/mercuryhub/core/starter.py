"""The starter data set that ``mercuryhub serve`` loads into an empty database, through the same
importers a partner's spreadsheet goes through."""

from importlib import resources

from django.core.management.base import CommandError

from mercuryhub.catalogue.models import Facility, Offering
from mercuryhub.catalogue.spreadsheets.importing import import_entries
from mercuryhub.catalogue.spreadsheets.layouts import LAYOUTS
from mercuryhub.forms.actions import do_deploy_builtin_forms
from mercuryhub.library.models import Resource
from mercuryhub.partnership.models import Event, Project

# In this order: offerings name facility operators as their providers. (kind, model, package)
_STARTER = (
    ("facility", Facility, "mercuryhub.catalogue"),
    ("offering", Offering, "mercuryhub.catalogue"),
    ("resource", Resource, "mercuryhub.library"),
    ("event", Event, "mercuryhub.partnership"),
    ("project", Project, "mercuryhub.partnership"),
)


def load_starter_data(stdout, *, verbosity: int = 1) -> None:
    """Import the shipped facilities, offerings, library resources, the Partnership's past
    meetings and projects (public sources, published as "imported"), each when the platform has
    none of them yet; otherwise leave it as it is."""
    for kind, model, package in _STARTER:
        plural = LAYOUTS[kind].plural
        existing = model.objects.count()
        if existing:
            if verbosity > 0:
                stdout.write(f"Starter data: skipped, the platform already has {existing} {plural}")
            continue
        source = resources.files(package) / "data" / f"{plural}.csv"
        with resources.as_file(source) as path:
            report = import_entries(kind, path)
        if not report.ok:
            raise CommandError(f"The starter {plural} could not be imported:\n{report.listing()}")
        if verbosity > 0:
            stdout.write(f"Starter data, {plural}: {report.counts()}")


def deploy_builtin_forms(stdout, *, verbosity: int = 1) -> None:
    """The built-in forms (the WMA needs questionnaire, the ASGM mining-site baseline) in the
    project ``demo``: a new version when a built-in file's version changed, else nothing."""
    for version, new in do_deploy_builtin_forms():
        if verbosity > 0:
            state = "deployed" if new else "unchanged"
            name = version.form.xml_form_id
            stdout.write(f"Built-in form {name}, version {version.version}: {state}")
