"""``mercuryhub serve``: make the database ready (migrations, reference and starter data) and run.

Development runs Django's server; MERCURYHUB_ENV=production collects static files and runs gunicorn
with GUNICORN_WORKERS workers (or ``--workers``).
"""

import os
import sys

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from mercuryhub.core.starter import load_starter_data


class Command(BaseCommand):
    help = "Prepare the database (migrate, load reference and starter data) and serve MercuryHub."

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--workers", type=int, default=None, help="gunicorn workers")
        parser.add_argument(
            "--prepare-only",
            action="store_true",
            help="Prepare the database and stop, without serving",
        )
        parser.add_argument(
            "--no-starter-data", action="store_true", help="Skip the starter catalogue data"
        )

    def handle(self, *args, **options):
        settings.DATA_DIR.mkdir(parents=True, exist_ok=True)
        verbosity = options["verbosity"]
        call_command("migrate", interactive=False, verbosity=max(verbosity - 1, 0))
        call_command("load_reference_data", verbosity=verbosity)
        if not options["no_starter_data"]:
            load_starter_data(self.stdout, verbosity=verbosity)
        if options["prepare_only"]:
            return
        address = f"{options['host']}:{options['port']}"
        if settings.PRODUCTION:
            self._run_gunicorn(address, options["workers"] or settings.GUNICORN_WORKERS)
        else:
            call_command("runserver", address, use_reloader=False)

    def _run_gunicorn(self, address, workers):
        if workers < 1:
            raise CommandError("--workers must be at least 1")
        call_command("collectstatic", interactive=False, verbosity=0)
        self.stdout.write(f"Serving on http://{address} with {workers} gunicorn workers")
        gunicorn = os.path.join(os.path.dirname(sys.executable), "gunicorn")
        arguments = [
            gunicorn,
            "mercuryhub.wsgi:application",
            "--bind",
            address,
            "--workers",
            str(workers),
            "--access-logfile",
            "-",
        ]
        os.execv(gunicorn, arguments)  # noqa: S606 - replaces this process with gunicorn
