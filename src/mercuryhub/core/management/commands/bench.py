"""``mercuryhub bench catalogue|library|forms|openrosa|asgm``: the benchmarks of
bench/catalogue.py (the catalogue), bench/library.py (search across the catalogue and the
knowledge library), bench/forms.py (exporting and summarizing a form's submissions),
bench/openrosa.py (OpenRosa submission ingest) and bench/asgm.py (a country's ASGM national
overview and its map).

A benchmark needs a database of its own, chosen before Django starts, so this command replaces
itself with ``python bench/<suite>.py`` (from the source checkout) and passes the options on.
"""

import os
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

import mercuryhub

SUITES = {
    "catalogue": "catalogue.py",
    "library": "library.py",
    "forms": "forms.py",
    "openrosa": "openrosa.py",
    "asgm": "asgm.py",
}
# Submissions stored (forms) or sent (openrosa) unless --submissions says otherwise.
SUBMISSIONS = {"forms": 100_000, "openrosa": 2_000}


class Command(BaseCommand):
    help = (
        "Generate a large synthetic catalogue (and, for the library suite, knowledge library) in "
        "a scratch SQLite database and measure search latency (see bench/README.md)."
    )

    def add_arguments(self, parser):
        parser.add_argument("suite", choices=sorted(SUITES))
        parser.add_argument("--facilities", type=int, default=100_000)
        parser.add_argument("--experts", type=int, default=20_000)
        parser.add_argument(
            "--resources", type=int, default=100_000, help="library suite: resources to generate"
        )
        parser.add_argument("--queries", type=int, default=200)
        parser.add_argument(
            "--submissions",
            type=int,
            default=None,
            help="forms suite: submissions to store (100,000); openrosa: to send (2,000)",
        )
        parser.add_argument(
            "--sites", type=int, default=100_000, help="asgm suite: mining sites to generate"
        )
        parser.add_argument(
            "--runs", type=int, default=10, help="asgm suite: timed runs of each measure"
        )
        parser.add_argument(
            "--clients", type=int, default=8, help="openrosa suite: concurrent client threads"
        )
        parser.add_argument(
            "--data-dir",
            default=None,
            help="Scratch data directory (default /tmp/mercuryhub-bench)",
        )
        parser.add_argument("--skip-http", action="store_true")
        parser.add_argument(
            "--reuse", action="store_true", help="Measure the dataset already in --data-dir"
        )
        parser.add_argument("--generate-only", action="store_true")
        parser.add_argument("--output", default=None, help="JSON results file")

    def handle(self, *args, **options):
        script = Path(mercuryhub.__file__).resolve().parents[2] / "bench" / SUITES[options["suite"]]
        if not script.is_file():
            raise CommandError(
                f"{script} not found: the benchmark runs from a source checkout of MercuryHub"
            )
        if options["suite"] == "asgm":
            os.execv(sys.executable, self._asgm_arguments(script, options))  # noqa: S606
        if options["suite"] in SUBMISSIONS:
            os.execv(sys.executable, self._submission_arguments(script, options))  # noqa: S606
        arguments = [
            sys.executable,
            str(script),
            "--facilities",
            str(options["facilities"]),
            "--experts",
            str(options["experts"]),
            "--queries",
            str(options["queries"]),
        ]
        if options["suite"] == "library":
            if options["skip_http"]:
                raise CommandError("The library suite measures in-process only: no --skip-http")
            arguments += ["--resources", str(options["resources"])]
        for name in ("data_dir", "output"):
            if options[name]:
                arguments += [f"--{name.replace('_', '-')}", options[name]]
        for name in ("skip_http", "reuse", "generate_only"):
            if options[name]:
                arguments.append(f"--{name.replace('_', '-')}")
        sys.stdout.flush()
        os.execv(sys.executable, arguments)  # noqa: S606 - our own script, fixed arguments

    def _submission_arguments(self, script, options) -> list[str]:
        suite = options["suite"]
        submissions = options["submissions"] or SUBMISSIONS[suite]
        arguments = [sys.executable, str(script), "--submissions", str(submissions)]
        if suite == "openrosa":
            arguments += ["--clients", str(options["clients"])]
        for name in ("data_dir", "output"):
            if options[name]:
                arguments += [f"--{name.replace('_', '-')}", options[name]]
        sys.stdout.flush()
        return arguments

    def _asgm_arguments(self, script, options) -> list[str]:
        arguments = [sys.executable, str(script), "--sites", str(options["sites"])]
        arguments += ["--runs", str(options["runs"])]
        for name in ("data_dir", "output"):
            if options[name]:
                arguments += [f"--{name.replace('_', '-')}", options[name]]
        if options["reuse"]:
            arguments.append("--reuse")
        sys.stdout.flush()
        return arguments
