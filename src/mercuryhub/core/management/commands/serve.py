"""``mercuryhub serve``: make the database ready (migrations, reference and starter data, the
text of uploaded files left unread by a stop) and run.

By default a real server: static files collected (compressed and fingerprinted) into the data
directory, then gunicorn with GUNICORN_WORKERS workers (or ``--workers``) and debug off. Unless they
are given, it uses the secret key it generates once in the data directory, answers to the host it
listens on and writes its own address into e-mailed links (SITE_URL). ``--dev`` runs Django's
development server instead, with debug on and reloading on code changes.
"""

import os
import subprocess
import sys

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.core.management.utils import get_random_secret_key

from mercuryhub.core.starter import deploy_builtin_forms, load_starter_data
from mercuryhub.search import ranking_index
from mercuryhub.search.engine import has_outdated_documents

_EVERY_INTERFACE = {"0.0.0.0", "::", ""}  # noqa: S104 - names, not a binding


class Command(BaseCommand):
    help = "Prepare the database (migrate, load reference and starter data) and serve MercuryHub."

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--workers", type=int, default=None, help="gunicorn workers")
        parser.add_argument(
            "--dev",
            action="store_true",
            help="Django's development server, with debug on and reloading on code changes",
        )
        parser.add_argument(
            "--prepare-only",
            action="store_true",
            help="Prepare the database and stop, without serving",
        )
        parser.add_argument(
            "--no-starter-data", action="store_true", help="Skip the starter catalogue data"
        )

    def handle(self, *args, **options):
        if options["dev"] and settings.PRODUCTION:
            raise CommandError(
                "--dev runs the development server: not with MERCURYHUB_ENV=production"
            )
        # The development server's reloader runs this command again in a child process, which
        # serves; the parent has prepared the database already.
        if os.environ.get("RUN_MAIN") != "true":
            self._prepare(options)
        if options["prepare_only"]:
            return
        if not (
            settings.PRODUCTION or os.environ.get("SECRET_KEY") or os.environ.get("SECRET_KEY_FILE")
        ):
            _generate_secret_key()  # read by the settings of the server's processes
        host, port = options["host"], options["port"]
        environment = self._server_environment(host, port)
        if options["dev"]:
            os.environ.update(environment)  # read by the reloader's child process
            call_command("runserver", f"{_in_url(host)}:{port}", use_reloader=True)
        else:
            self._run_gunicorn(host, port, options["workers"] or settings.GUNICORN_WORKERS)

    def _prepare(self, options):
        settings.DATA_DIR.mkdir(parents=True, exist_ok=True)
        verbosity = options["verbosity"]
        call_command("migrate", interactive=False, verbosity=max(verbosity - 1, 0))
        call_command("load_reference_data", verbosity=verbosity)
        call_command("load_working_groups", verbosity=verbosity)
        call_command("load_mercury_ratios", verbosity=verbosity)
        call_command("load_nap_reference", verbosity=verbosity)
        call_command("load_inventory_factors", verbosity=verbosity)
        if not options["no_starter_data"]:
            load_starter_data(self.stdout, verbosity=verbosity)
            deploy_builtin_forms(self.stdout, verbosity=verbosity)
        # Uploaded files whose reading a stopped server left unfinished.
        call_command("extract_documents", verbosity=verbosity)
        # Entries indexed by an earlier version, whose tags find nothing until indexed again.
        if has_outdated_documents():
            call_command("reindex", verbosity=verbosity)
        # The search's ranking index brought up to date (made, after an upgrade or a copied
        # database) before the first search, which would otherwise pay for it.
        if ranking_index.enabled() and ranking_index.index_for().catch_up() and verbosity:
            self.stdout.write("Search ranking index up to date")

    def _server_environment(self, host, port):
        """The settings the server's processes read: this one's were read before it knew them."""
        environment = {"SITE_URL": os.environ.get("SITE_URL") or f"http://{_in_url(host)}:{port}"}
        if host in _EVERY_INTERFACE:
            self.stdout.write(
                "Listening on every interface: set ALLOWED_HOSTS to the names the site is "
                "reached under, and SITE_URL to its address"
            )
        elif _in_url(host) not in settings.ALLOWED_HOSTS:
            environment["ALLOWED_HOSTS"] = ",".join([*settings.ALLOWED_HOSTS, _in_url(host)])
        return environment

    def _run_gunicorn(self, host, port, workers):
        if workers < 1:
            raise CommandError("--workers must be at least 1")
        environment = {**os.environ, **self._server_environment(host, port), "DEBUG": "false"}
        # gunicorn's workers answer one request at a time: each keeps its database connection
        # (opening one costs more than most requests).
        environment.setdefault("DATABASE_CONN_MAX_AGE", "600")
        collected = subprocess.run(  # noqa: S603 - this command, in the server's settings
            [sys.executable, "-m", "mercuryhub.cli", "collectstatic", "--no-input", "-v", "0"],
            env=environment,
            check=False,
        )
        if collected.returncode:
            raise CommandError("collecting the static files failed")
        address = f"{_in_url(host)}:{port}"
        self.stdout.write(f"Serving on http://{address} with {workers} gunicorn workers")
        self.stdout.flush()
        gunicorn = os.path.join(os.path.dirname(sys.executable), "gunicorn")
        arguments = [
            gunicorn,
            "mercuryhub.wsgi:application",
            "--bind",
            address,
            "--workers",
            str(workers),
            "--timeout",
            str(settings.GUNICORN_TIMEOUT),
            "--access-logfile",
            "-",
        ]
        os.execve(gunicorn, arguments, environment)  # noqa: S606 - replaces this process


def _in_url(host):
    """An IPv6 address in brackets, as URLs, Host headers and gunicorn's --bind write it."""
    return f"[{host}]" if ":" in host and not host.startswith("[") else host


def _generate_secret_key():
    """Write a secret key into the data directory on the first start, readable only by us."""
    try:
        descriptor = os.open(
            settings.GENERATED_SECRET_KEY_PATH, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600
        )
    except FileExistsError:
        return
    with os.fdopen(descriptor, "w", encoding="utf-8") as secret_file:
        secret_file.write(get_random_secret_key() + "\n")
