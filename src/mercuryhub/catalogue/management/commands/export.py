"""``mercuryhub export facilities|offerings|experts|resources|case_studies|publication``: the
published catalogue or the library's resources and case studies as a file, as the web downloads
give it (CSV and XLSX in the import layout, GeoJSON, the DOCX)."""

from pathlib import Path

from django.contrib.auth.models import AnonymousUser
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from mercuryhub.catalogue.queries import KINDS, Filters, visible
from mercuryhub.catalogue.spreadsheets.exporting import export_file, export_filename
from mercuryhub.catalogue.spreadsheets.layouts import LAYOUTS
from mercuryhub.catalogue.spreadsheets.publication import catalogue_docx
from mercuryhub.lib.errors import InvalidInputError

# The catalogue's kinds and the library's (their layouts are registered by the library app,
# read once the apps are ready).
_EXPORTED = (*KINDS, "resource", "case_study")


def _kinds() -> dict[str, str]:
    return {LAYOUTS[kind].plural: kind for kind in _EXPORTED if kind in LAYOUTS}


class Command(BaseCommand):
    help = (
        "Write the published facilities, offerings or experts (CSV, XLSX or GeoJSON), the "
        "library's resources and case studies (CSV or XLSX) or the catalogue publication (DOCX) "
        "to a file. "
        "Expert e-mail addresses are never exported."
    )

    def add_arguments(self, parser):
        parser.add_argument("what", choices=[*_kinds(), "publication"])
        parser.add_argument(
            "--format",
            dest="file_format",
            choices=["csv", "xlsx", "geojson"],
            default="csv",
            help="For every kind but the publication (default csv; geojson for facilities)",
        )
        parser.add_argument(
            "-o", "--output", type=Path, help="The file to write (default: a dated name here)"
        )

    def handle(self, *args, **options):
        anonymous = AnonymousUser()
        if options["what"] == "publication":
            content = catalogue_docx(
                *(visible(kind, anonymous) for kind in KINDS),
                generated_at=timezone.now(),
            )
            filename = export_filename("catalogue", "docx")
        else:
            kind = _kinds()[options["what"]]
            try:
                content, filename = export_file(
                    kind, options["file_format"], anonymous, Filters(kinds=(kind,))
                )
            except InvalidInputError as error:
                raise CommandError("; ".join(error.errors.values())) from None
        output = options["output"] or Path(filename)
        # Written beside the file and moved in place at the end: an export that fails midway
        # leaves no half-written file, nor touches one written before.
        partial = output.with_name(f".{output.name}.part")
        try:
            with partial.open("wb") as file:
                for piece in [content] if isinstance(content, bytes) else content:
                    file.write(piece)
            partial.replace(output)
        finally:
            partial.unlink(missing_ok=True)
        if options["verbosity"]:
            self.stdout.write(f"Wrote {output}")
