"""Import benchmark: rows per second of ``mercuryhub import facilities`` on generated files.

For each size (default 1,000, 10,000 and 50,000 rows) a fresh scratch database (migrations and
reference data: a SQLite file in ``--data-dir``, or with ``--engine postgresql`` the database
``mercuryhub_bench_import`` on DATABASE_URL's server, created and marked as the bench's own)
receives a generated CSV file of facilities through the importer the command
uses (``catalogue.spreadsheets.importing.import_entries``), in the production settings. The rows
are the shipped facilities' rows varied: a distinct ``external_id`` and name, an operator out of
a pool of one per ten rows (so organizations are created and found again), a country of the
reference table, coordinates around it, 1–4 waste categories, technologies and phases. Reports
wall-clock and CPU seconds (the process's own), rows per second of each, and the records written.

Usage (from the repository root):

    mercuryhub bench import [--rows 1000,10000,50000] [--engine sqlite|postgresql] [--data-dir DIR]
                            [--profile] [--output F]
    python bench/imports.py  (the same options)

``--profile`` runs the largest size under cProfile and writes the 40 costliest functions
(cumulative) next to the results. Raw figures: bench/results/import-<date>T<hhmm>.json and .md.
Target: >= 1,000 rows/s at 50,000 rows on a 2-core machine.
"""

import argparse
import cProfile
import csv
import io
import json
import os
import pstats
import random
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from bench import asgm  # noqa: E402 - the scratch PostgreSQL database
from bench import catalogue as base  # noqa: E402 - the environment and machine helpers

DEFAULT_DATA_DIR = Path("/tmp/mercuryhub-bench-import")  # noqa: S108 - scratch, by design
TARGET_ROWS_PER_S = 1000.0
HEADER = (  # noqa: SIM905 - a column list reads best as text
    "external_id name operator country city latitude longitude coordinates_precision status "
    "accepted_wastes technologies phases capacity website source summary source_checked_on"
).split()


def write_facilities(path: Path, rows: int, *, seed: int = base.SEED) -> Path:
    """A CSV file of ``rows`` distinct facilities in the import layout."""
    from mercuryhub.taxonomy.models import Country, Term

    rng = random.Random(seed)
    countries = list(Country.objects.exclude(latitude=None).order_by("iso3"))
    codes = {
        name: list(
            Term.objects.filter(vocabulary__name=name).order_by("pk").values_list("code", flat=True)
        )
        for name in ("waste_categories", "treatment_technologies", "management_phases")
    }
    operators = [
        f"{rng.choice(base.FIRST_NAMES)} {rng.choice(base.FACILITY_NOUNS)} Ltd {number}"
        for number in range(max(1, rows // 10))
    ]
    with path.open("w", encoding="utf-8", newline="") as file:
        writer = csv.writer(file)
        writer.writerow(HEADER)
        for number in range(rows):
            country = rng.choice(countries)
            lat, lon = base._point_near(rng, country)
            words = rng.sample(base.DOMAIN_WORDS, 3)
            writer.writerow(
                [
                    f"bench-{number:07d}",
                    f"{words[0].capitalize()} {rng.choice(base.FACILITY_NOUNS)} {number}",
                    rng.choice(operators),
                    country.iso3,
                    f"City {number % 997}",
                    f"{lat:.4f}",
                    f"{lon:.4f}",
                    "city",
                    "operating",
                    ";".join(rng.sample(codes["waste_categories"], rng.randint(1, 4))),
                    ";".join(rng.sample(codes["treatment_technologies"], rng.randint(0, 2))),
                    ";".join(rng.sample(codes["management_phases"], rng.randint(1, 2))),
                    "",
                    f"https://example.org/{number}",
                    "generated for the import benchmark",
                    f"Recovers mercury from {words[1]} and {words[2]}. "
                    + rng.choice(base.SENTENCES),
                    "2026-11-01",
                ]
            )
    return path


def _records() -> dict[str, int]:
    from mercuryhub.accounts.models import Organization
    from mercuryhub.catalogue.models import Facility
    from mercuryhub.review.models import EntryVersion
    from mercuryhub.search.models import SearchEntry

    return {
        "facilities": Facility.objects.count(),
        "facility_history": Facility.history.count(),
        "waste_links": Facility.accepted_wastes.through.objects.count(),
        "organizations": Organization.objects.count(),
        "versions": EntryVersion.objects.count(),
        "search_entries": SearchEntry.objects.count(),
    }


def _fresh_database(data_dir: Path, database_url: str) -> None:
    from django.core.management import call_command
    from django.db import connection

    connection.close()
    if database_url:
        asgm._claim_postgresql(database_url, reuse=False)
    else:
        database = data_dir / "mercuryhub.sqlite3"
        for suffix in ("", "-wal", "-shm"):
            Path(f"{database}{suffix}").unlink(missing_ok=True)
    call_command("migrate", interactive=False, verbosity=0)
    call_command("load_reference_data", verbosity=0)


def _measure(data_dir: Path, database_url: str, rows: int, profile_to: Path | None) -> dict:
    from mercuryhub.catalogue.spreadsheets.importing import import_entries
    from mercuryhub.search import ranking_index

    _fresh_database(data_dir, database_url)
    path = write_facilities(data_dir / f"facilities-{rows}.csv", rows)
    profiler = cProfile.Profile() if profile_to else None
    started, cpu_started = time.perf_counter(), time.process_time()
    if profiler:
        profiler.enable()
    report = import_entries("facility", path)
    if profiler:
        profiler.disable()
    wall, cpu = time.perf_counter() - started, time.process_time() - cpu_started
    # Beyond ranking_index.LARGE changes the ranking index takes them in a thread of its own
    # after the import has answered: waited for (not timed), so that it neither runs into the
    # next size's import nor loses its database under it.
    waited = time.perf_counter()
    ranking_index.index_for().wait_for_background()
    waited = time.perf_counter() - waited
    if report.problems:
        sys.exit(f"The generated file has problems: {report.listing()[:2000]}")
    if profiler:
        text = io.StringIO()
        pstats.Stats(profiler, stream=text).sort_stats("cumulative").print_stats(40)
        pstats.Stats(profiler, stream=text).sort_stats("tottime").print_stats(25)
        profile_to.write_text(text.getvalue())
    return {
        "rows": rows,
        "wall_s": round(wall, 2),
        "cpu_s": round(cpu, 2),
        "rows_per_s": round(rows / wall, 1),
        "rows_per_cpu_s": round(rows / cpu, 1),
        "ranking_index_after_s": round(waited, 2),
        "load_average_after": os.getloadavg(),
        "records": _records(),
    }


def scale_figures(data_dir: Path, database_url: str, rows: int = 1_000) -> dict:
    """For `mercuryhub bench scale`: the import of a generated file of ``rows`` facilities into
    the size's database as it stands (its search index as large as the size), rolled back
    afterwards so that the dataset stays as generated."""
    from django.db import transaction

    from mercuryhub.catalogue.spreadsheets.importing import import_entries

    path = write_facilities(data_dir / f"scale-import-{rows}.csv", rows, seed=base.SEED + 99)
    with transaction.atomic():
        started, cpu_started = time.perf_counter(), time.process_time()
        report = import_entries("facility", path)
        wall, cpu = time.perf_counter() - started, time.process_time() - cpu_started
        transaction.set_rollback(True)
    if report.problems:
        return {"not measured": report.listing()[:500]}
    return {
        "rows": rows,
        "wall_s": round(wall, 2),
        "cpu_s": round(cpu, 2),
        "rows_per_s": round(rows / wall, 1),
        "rows_per_cpu_s": round(rows / cpu, 1),
    }


def _markdown(report: dict) -> str:
    lines = [
        "| rows | wall s | CPU s | rows/s | rows per CPU s | target rows/s | met |",
        "|---:|---:|---:|---:|---:|---:|:---:|",
    ]
    for run in report["runs"]:
        met = "yes" if run["rows_per_s"] >= TARGET_ROWS_PER_S else "no"
        lines.append(
            f"| {run['rows']:,} | {run['wall_s']} | {run['cpu_s']} | {run['rows_per_s']:,} | "
            f"{run['rows_per_cpu_s']:,} | {TARGET_ROWS_PER_S:,.0f} | {met} |"
        )
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", default="1000,10000,50000", help="Sizes, comma-separated")
    parser.add_argument("--engine", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--data-dir", type=Path, default=DEFAULT_DATA_DIR)
    parser.add_argument("--profile", action="store_true", help="cProfile the largest size")
    parser.add_argument("--output", type=Path, help="JSON results file (default bench/results/)")
    args = parser.parse_args(argv)
    sizes = sorted(int(size) for size in args.rows.split(","))
    data_dir = args.data_dir.resolve()
    database = data_dir / "mercuryhub.sqlite3"
    if database.exists() and not (data_dir / base.MARKER).exists():
        sys.exit(f"{database} exists and was not created by this benchmark: choose --data-dir")
    data_dir.mkdir(parents=True, exist_ok=True)
    (data_dir / base.MARKER).write_text(json.dumps({"note": "Scratch of bench/imports.py"}))
    database_url = asgm._scratch_database_url(args.engine, "mercuryhub_bench_import")
    os.environ.update(base._production_environment(data_dir, database_url))
    if not database_url:
        os.environ.pop("DATABASE_URL", None)
    else:
        asgm._claim_postgresql(database_url, reuse=False)  # refuses a database not the bench's

    import django

    django.setup()
    from django.conf import settings

    name = settings.DATABASES["default"]["NAME"]
    if not database_url and Path(name).parent != data_dir:
        sys.exit("Refusing to run on a database outside the data directory")
    output = args.output or base.results_file(
        "import" if args.engine == "sqlite" else f"import-{args.engine}"
    )
    output.parent.mkdir(parents=True, exist_ok=True)
    runs = []
    for size in sizes:
        profile_to = (
            output.with_suffix(".profile.txt") if args.profile and size == sizes[-1] else None
        )
        print(f"Importing {size:,} generated facilities…", flush=True)
        runs.append(_measure(data_dir, database_url, size, profile_to))
        print(json.dumps(runs[-1]), flush=True)
    from django.db import connection

    commit = base.commit()
    report = {
        "date": datetime.now(tz=UTC).isoformat(timespec="seconds"),
        "commit": commit,
        "engine": args.engine,
        "database": asgm._database_version(connection),
        "machine": base._machine(),
        "target_rows_per_s": TARGET_ROWS_PER_S,
        "runs": runs,
    }
    base.write_results(output, report, _markdown(report))
    print(_markdown(report))
    print(f"Written {output} and {output.with_suffix('.md')}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
