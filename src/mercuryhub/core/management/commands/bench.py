"""``mercuryhub bench catalogue|library|forms|openrosa|asgm|import|load|scale``: the
benchmarks of bench/catalogue.py (the catalogue), bench/library.py (search across the
catalogue and the knowledge library), bench/forms.py (exporting and summarizing a form's
submissions), bench/openrosa.py (OpenRosa submission ingest), bench/asgm.py (a country's ASGM
national overview and its map), bench/imports.py (rows per second of ``mercuryhub import``),
bench/load.py (many clients at once, and a worker killed among them) and bench/scale.py
(every cost at 10k, 100k and 1M records, on SQLite or PostgreSQL).

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
    "import": "imports.py",
    "load": "load.py",
    "scale": "scale.py",
}
# Submissions stored (forms) or sent (openrosa) unless --submissions says otherwise.
SUBMISSIONS = {"forms": 100_000, "openrosa": 2_000}


class Command(BaseCommand):
    help = (
        "Generate synthetic data (catalogue, library, submissions, sites) in a scratch database "
        "and measure the platform on it (see bench/README.md)."
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
            "--clients",
            type=int,
            default=None,
            help="openrosa suite: concurrent client threads (8); load suite: clients (50); "
            "scale: HTTP load threads (16)",
        )
        parser.add_argument(
            "--engine",
            choices=("sqlite", "postgresql"),
            default="sqlite",
            help="import, load and scale suites: the database engine (PostgreSQL: on the server "
            "of DATABASE_URL)",
        )
        parser.add_argument(
            "--seconds",
            type=float,
            default=None,
            help="load suite: duration (60); scale suite: of each throughput measure (20)",
        )
        parser.add_argument(
            "--warm-up",
            type=float,
            default=None,
            help="scale suite: seconds of the workload's searches before the throughput "
            "measures (5, or --seconds if less)",
        )
        parser.add_argument(
            "--sizes",
            default="10000,100000,1000000",
            help="scale suite: records of each kind, one database each",
        )
        parser.add_argument(
            "--kill-worker-at",
            type=float,
            default=None,
            help="load suite: SIGKILL one gunicorn worker this many seconds in",
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
        parser.add_argument(
            "--skip-whole-catalogue",
            action="store_true",
            help="scale suite: neither the GeoJSON of every facility nor the CSV export",
        )
        parser.add_argument(
            "--rows", default=None, help="import suite: sizes of the files (1000,10000,50000)"
        )
        parser.add_argument(
            "--from-data-dir",
            default=None,
            help="load suite: start from a copy of this prepared data directory",
        )
        parser.add_argument(
            "--template-database",
            default=None,
            help="load suite, PostgreSQL: start from a copy of this database",
        )
        parser.add_argument(
            "--in-place",
            action="store_true",
            help="load suite: serve --from-data-dir (and --template-database) itself, not a copy",
        )
        parser.add_argument("--profile", action="store_true", help="import suite: cProfile")
        parser.add_argument("--output", default=None, help="JSON results file")

    def handle(self, *args, **options):
        script = Path(mercuryhub.__file__).resolve().parents[2] / "bench" / SUITES[options["suite"]]
        if not script.is_file():
            raise CommandError(
                f"{script} not found: the benchmark runs from a source checkout of MercuryHub"
            )
        if options["suite"] == "import":
            arguments = [sys.executable, str(script), "--engine", options["engine"]]
            if options["rows"]:
                arguments += ["--rows", options["rows"]]
            if options["profile"]:
                arguments.append("--profile")
            for name in ("data_dir", "output"):
                if options[name]:
                    arguments += [f"--{name.replace('_', '-')}", options[name]]
            sys.stdout.flush()
            os.execv(sys.executable, arguments)  # noqa: S606
        if options["suite"] == "load":
            os.execv(sys.executable, self._load_arguments(script, options))  # noqa: S606
        if options["suite"] == "asgm":
            os.execv(sys.executable, self._asgm_arguments(script, options))  # noqa: S606
        if options["suite"] == "scale":
            os.execv(sys.executable, self._scale_arguments(script, options))  # noqa: S606
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
            arguments += ["--clients", str(options["clients"] or 8)]
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

    def _load_arguments(self, script, options) -> list[str]:
        arguments = [sys.executable, str(script), "--engine", options["engine"]]
        arguments += ["--clients", str(options["clients"] or 50)]
        arguments += ["--seconds", str(options["seconds"] or 60)]
        if options["kill_worker_at"] is not None:
            arguments += ["--kill-worker-at", str(options["kill_worker_at"])]
        for name in ("data_dir", "from_data_dir", "template_database", "output"):
            if options[name]:
                arguments += [f"--{name.replace('_', '-')}", options[name]]
        if options["in_place"]:
            arguments.append("--in-place")
        sys.stdout.flush()
        return arguments

    def _scale_arguments(self, script, options) -> list[str]:
        arguments = [sys.executable, str(script), "--sizes", options["sizes"]]
        arguments += ["--engine", options["engine"], "--queries", str(options["queries"])]
        arguments += ["--runs", str(options["runs"]), "--seconds", str(options["seconds"] or 20)]
        for name in ("submissions", "clients", "warm_up", "data_dir", "output"):
            if options[name] is not None:
                arguments += [f"--{name.replace('_', '-')}", str(options[name])]
        for name in ("reuse", "generate_only", "skip_whole_catalogue"):
            if options[name]:
                arguments.append(f"--{name.replace('_', '-')}")
        sys.stdout.flush()
        return arguments
