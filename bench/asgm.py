"""ASGM benchmark: a country's national overview and its map at 100,000 mining sites.

Generates N sites (fixed seed) of one baseline project in one country (the Democratic Republic
of the Congo), spread over 36 territories of its gold provinces, with practices, worst practices,
gold and mercury as field teams report them, derived as ``asgm.actions`` derives them (the
shipped mercury-to-gold ratios), stored by ``bulk_create``. Then times, repeatedly (p50/p95):

- ``asgm.queries.overview(country, filters)``: unfiltered, and with each kind of filter (an
  administrative area, a worst practice, a practice, a period);
- the overview page through Django's test client (DEBUG off), anonymous and signed in as a
  member of the project (who sees exact coordinates), and a page of its list of sites far down;
- the map's data ``/asgm/COD/sites.json``, anonymous and member: seconds and bytes.

The database is the one the platform is configured with: a scratch SQLite file in --data-dir by
default, or PostgreSQL when DATABASE_URL is set. Neither is ever the developer's: the script
refuses a SQLite file it did not create, and a PostgreSQL database it did not create (it marks
its own with a comment on the database) and creates the database when it is missing.

Usage (from the repository root):

    mercuryhub bench asgm [--sites 100000] [--runs 10] [--reuse]
                          [--data-dir /tmp/mercuryhub-bench-asgm] [--output FILE]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/mh_bench_asgm mercuryhub bench asgm
    python bench/asgm.py  (the same options)

Raw figures go to bench/results/asgm-<date>T<hhmm>.json and .md.
"""

import argparse
import json
import math
import os
import random
import sys
import time
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from bench import catalogue as base  # noqa: E402 - the machine's description, percentiles

DEFAULT_DATA_DIR = Path("/tmp/mercuryhub-bench-asgm")  # noqa: S108 - a scratch directory
SEED = 13
BATCH = 5_000
TARGET_S = 1.0
COUNTRY = "COD"
PROJECT_SLUG = "bench-asgm-baseline"

# Territories of the DRC's gold provinces, each with a point near its centre and a weight (the
# share of the sites it holds, as uneven as field surveys find them).
TERRITORIES = [
    ("Mwenga", -3.06, 28.18, 9),
    ("Shabunda", -2.70, 27.34, 8),
    ("Fizi", -4.30, 28.94, 6),
    ("Kalehe", -2.10, 28.80, 4),
    ("Walungu", -2.63, 28.67, 3),
    ("Uvira", -3.40, 29.14, 2),
    ("Kabare", -2.30, 28.80, 1),
    ("Idjwi", -2.05, 29.05, 1),
    ("Walikale", -1.42, 28.05, 7),
    ("Lubero", -0.16, 29.24, 4),
    ("Beni", 0.49, 29.47, 3),
    ("Masisi", -1.40, 28.82, 2),
    ("Rutshuru", -1.19, 29.45, 1),
    ("Djugu", 1.92, 30.50, 8),
    ("Mambasa", 1.36, 29.05, 7),
    ("Irumu", 1.45, 29.87, 5),
    ("Mahagi", 2.31, 30.99, 2),
    ("Aru", 2.87, 30.84, 2),
    ("Watsa", 3.04, 29.54, 6),
    ("Wamba", 2.14, 27.99, 3),
    ("Rungu", 3.35, 27.90, 2),
    ("Dungu", 3.62, 28.56, 1),
    ("Bafwasende", 1.08, 27.27, 5),
    ("Banalia", 1.55, 25.33, 3),
    ("Ubundu", -0.35, 25.48, 2),
    ("Opala", -0.61, 24.35, 1),
    ("Pangi", -3.19, 26.64, 4),
    ("Punia", -1.47, 26.45, 4),
    ("Kailo", -2.63, 26.10, 2),
    ("Kabambare", -4.70, 27.72, 3),
    ("Lubutu", -0.73, 26.58, 2),
    ("Kalemie", -5.93, 29.19, 1),
    ("Nyunzu", -5.95, 28.02, 1),
    ("Manono", -7.30, 27.40, 2),
    ("Moba", -7.04, 29.78, 1),
    ("Buta", 2.79, 24.73, 1),
]
# (practice, processing methods, what is amalgamated, retort use, weight)
PRACTICES = [
    ("whole-ore-amalgamation", ["amalgamation"], "whole_ore", "never", 30),
    ("concentrate-amalgamation", ["gravity", "amalgamation"], "concentrate", "sometimes", 35),
    ("concentrate-amalgamation-retort", ["gravity", "amalgamation"], "concentrate", "always", 10),
    ("mercury-free", ["gravity"], "", "", 15),
    ("", [], "", "", 10),  # processing not given
]
BURNING = [([], 25), (["open_air"], 45), (["homes"], 10), (["open_air", "homes"], 20)]
SYLLABLES = "ka lo mi ra tu sen ba ni ki zu mo lu nga be ta sha wa ngo ku fi".split()  # noqa: SIM905


# Database --------------------------------------------------------------------------------------


def _claim_sqlite(data_dir: Path, reuse: bool) -> dict | None:
    database = data_dir / "mercuryhub.sqlite3"
    marker = data_dir / base.MARKER
    if database.exists() and not marker.exists():
        sys.exit(f"{database} exists and was not created by this benchmark: choose --data-dir")
    if reuse and database.exists():
        try:
            return json.loads(marker.read_text())
        except ValueError:
            pass
    data_dir.mkdir(parents=True, exist_ok=True)
    for suffix in ("", "-wal", "-shm"):
        Path(f"{database}{suffix}").unlink(missing_ok=True)
    marker.write_text(json.dumps({"note": "Synthetic data of bench/asgm.py"}) + "\n")
    return None


def _scratch_database_url(engine: str, name: str) -> str:
    """The bench's scratch PostgreSQL database ``name`` on DATABASE_URL's server ("" on
    SQLite)."""
    if engine == "sqlite":
        return ""
    server = os.environ.get("DATABASE_URL", "")
    if not server.startswith(("postgres://", "postgresql://")):
        sys.exit(
            "--engine postgresql needs DATABASE_URL=postgres://user@host:port/any to name a server"
        )
    return server.rsplit("/", 1)[0] + f"/{name}"


def _claim_postgresql(url: str, reuse: bool) -> dict | None:
    """Create the database of DATABASE_URL, marked as the bench's; a marked one is dropped and
    created again (unless --reuse); an unmarked one is refused."""
    import dj_database_url
    import psycopg
    from psycopg import sql

    config = dj_database_url.parse(url)
    name = config["NAME"]
    server = {
        "host": config["HOST"] or "127.0.0.1",
        "port": config["PORT"] or 5432,
        "user": config["USER"],
        "password": config["PASSWORD"] or None,
        "dbname": "postgres",
        "autocommit": True,
    }
    with psycopg.connect(**server) as connection:
        found = connection.execute(
            "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = %s",
            [name],
        ).fetchone()
        if found is not None:
            comment = found[0] or ""
            if not comment.startswith(base.MARKER):
                sys.exit(f"Database {name} exists and was not created by this benchmark")
            if reuse:
                try:
                    return json.loads(comment[len(base.MARKER) :] or "{}")
                except ValueError:
                    return {}
            drop = sql.SQL("DROP DATABASE {} WITH (FORCE)").format(sql.Identifier(name))
            connection.execute(drop)
        connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        _mark_postgresql(connection, name, {"note": "Synthetic data of bench/asgm.py"})
    return None


def _mark_postgresql(connection, name: str, dataset: dict) -> None:
    from psycopg import sql

    comment = base.MARKER + json.dumps(dataset)
    connection.execute(
        sql.SQL("COMMENT ON DATABASE {} IS {}").format(sql.Identifier(name), sql.Literal(comment))
    )


def _record_dataset(dataset: dict, data_dir: Path) -> None:
    from django.db import connection

    if connection.vendor == "sqlite":
        (data_dir / base.MARKER).write_text(json.dumps(dataset) + "\n")
    else:
        with connection.cursor() as cursor:
            cursor.execute(
                "COMMENT ON DATABASE "
                + connection.ops.quote_name(connection.settings_dict["NAME"])
                + " IS %s",
                [base.MARKER + json.dumps(dataset)],
            )


# Synthetic sites -------------------------------------------------------------------------------


def _weighted(rng: random.Random, rows: list[tuple]):
    return rng.choices(rows, weights=[row[-1] for row in rows])[0]


def _site_name(rng: random.Random, index: int) -> str:
    word = "".join(rng.choices(SYLLABLES, k=rng.choice((2, 3, 3)))).capitalize()
    return f"{word} {index}" if rng.random() < 0.3 else word


def _generate(count: int):
    """The project, its member and ``count`` sites in the country; the country."""
    from django.core.management import call_command

    from mercuryhub.accounts.models import User
    from mercuryhub.asgm.baseline import WORST_PRACTICES, Ratio, mercury_use
    from mercuryhub.asgm.models import MercuryRatio, Site
    from mercuryhub.asgm.queries import public_coordinates
    from mercuryhub.forms import actions
    from mercuryhub.taxonomy.models import Country

    call_command("load_reference_data", verbosity=0)  # the country
    call_command("load_mercury_ratios", verbosity=0)
    ratios = {r.practice: r for r in MercuryRatio.objects.filter(country=None)}
    country = Country.objects.get(iso3=COUNTRY)
    project = actions.do_create_project(None, "ASGM baseline (benchmark)", slug=PROJECT_SLUG)
    member = User.objects.create_user(email="bench.member@example.org", password=None)
    actions.do_set_project_member(None, project, member.email, "viewer")
    rng = random.Random(SEED)
    start = datetime(2023, 1, 1, tzinfo=UTC)
    flags = list(WORST_PRACTICES.items())
    batch = []
    for index in range(count):
        area, latitude, longitude, _weight = _weighted(rng, TERRITORIES)
        practice, methods, amalgamated, retort, _weight = _weighted(rng, PRACTICES)
        burning = _weighted(rng, BURNING)[0] if "amalgamation" in methods else []
        cyanide = rng.random() < 0.12
        shown = []
        if amalgamated == "whole_ore":
            shown.append((flags[0][0], "amalgamation", "whole_ore"))
        if "open_air" in burning:
            shown.append((flags[1][0], "burning_place", "open_air"))
        if "homes" in burning:
            shown.append((flags[2][0], "burning_place", "homes"))
        if cyanide:
            shown.append((flags[3][0], "cyanidation_of_mercury_tailings", "yes"))
        miners = None if rng.random() < 0.05 else max(3, int(rng.lognormvariate(4.0, 1.0)))
        gold = None if rng.random() < 0.12 else Decimal(rng.lognormvariate(0.0, 1.2))
        gold = gold.quantize(Decimal("0.0001")) if gold is not None else None
        reported = None
        if rng.random() < 0.2 and practice not in ("mercury-free", ""):
            reported = Decimal(rng.lognormvariate(0.5, 1.0)).quantize(Decimal("0.0001"))
        ratio = ratios.get(practice)
        use = mercury_use(
            reported, gold, Ratio(ratio.low, ratio.typical, ratio.high) if ratio else None
        )
        located = rng.random() > 0.02
        site = Site(
            project=project,
            country=country,
            code=f"COD-{index:06d}",
            name=_site_name(rng, index),
            latitude=round(rng.gauss(latitude, 0.35), 5) if located else None,
            longitude=round(rng.gauss(longitude, 0.35), 5) if located else None,
            admin_area=area if rng.random() > 0.01 else "",
            deposit_type=rng.choice(("alluvial", "primary", "eluvial")),
            miners=miners,
            women=None if miners is None else int(miners * rng.uniform(0.05, 0.4)),
            children=None if miners is None else int(miners * rng.uniform(0.0, 0.1)),
            processing_methods=methods,
            amalgamation=amalgamated,
            retort_use=retort,
            burning_places=burning,
            cyanidation_of_mercury_tailings=cyanide,
            licensing_status=rng.choice(("licensed", "unlicensed", "unlicensed", "pending")),
            gold_kg_per_year=gold,
            mercury_reported_kg_per_year=reported,
            practice=practice,
            worst_practices=[{"code": c, "question": q, "answer": a} for c, q, a in shown],
            mercury_method=use.method,
            mercury_low_kg_per_year=use.low,
            mercury_typical_kg_per_year=use.typical,
            mercury_high_kg_per_year=use.high,
            mercury_ratio=ratio if use.method == "estimated" else None,
            observed_at=start + timedelta(minutes=rng.randrange(4 * 365 * 24 * 60)),
            **{flag: any(code == c for c, _q, _a in shown) for code, flag in flags},
        )
        site.public_latitude, site.public_longitude = public_coordinates(
            site.latitude, site.longitude
        )
        batch.append(site)
        if len(batch) == BATCH:
            Site.objects.bulk_create(batch)
            batch = []
    Site.objects.bulk_create(batch)
    return country


# Measuring -------------------------------------------------------------------------------------


def _repeat(function, runs: int, before=None) -> dict:
    """``function`` once to warm up, then ``runs`` times: latencies in ms; what it returned.
    ``before``, when given, runs untimed before each timed call."""
    result = function()
    latencies = []
    for _ in range(runs):
        if before is not None:
            before()
        started = time.perf_counter()
        result = function()
        latencies.append((time.perf_counter() - started) * 1000)
    return {**base._summary(latencies), "result": result}


def _get(client, path: str):
    def fetch():
        response = client.get(path, secure=True, HTTP_HOST="127.0.0.1")
        if response.status_code != 200:
            raise RuntimeError(f"{path}: HTTP {response.status_code}")
        if response.streaming:  # every byte read, as a client reads them
            return sum(len(chunk) for chunk in response.streaming_content)
        return len(response.content)

    return fetch


def _measure(country, member, runs: int) -> dict:
    from django.test import Client

    from mercuryhub.asgm import queries

    areas = queries.admin_areas_of(country)
    filters = {
        "unfiltered": queries.OverviewFilters(),
        "administrative area": queries.OverviewFilters(admin_area=areas[0]),
        "worst practice": queries.OverviewFilters(worst_practice="open-burning"),
        "practice": queries.OverviewFilters(practice="whole-ore-amalgamation"),
        "period": queries.OverviewFilters(
            since=datetime(2025, 1, 1, tzinfo=UTC).date(),
            until=datetime(2025, 12, 31, tzinfo=UTC).date(),
        ),
    }
    measures = {}
    for name, chosen in filters.items():
        found = _repeat(lambda chosen=chosen: queries.overview(country, chosen), runs)
        found["sites"] = found.pop("result")["totals"]["sites"]
        measures[f"overview(), {name}"] = found
    anonymous, signed_in = Client(), Client()
    signed_in.force_login(member)
    page = f"/asgm/{country.iso3}/"
    last_page = math.ceil(queries.sites_of(country).count() / 50)
    for who, client in (("anonymous", anonymous), ("member", signed_in)):
        for name, path in (
            ("overview page", page),
            (f"overview page, list page {last_page // 2:,}", f"{page}?page={last_page // 2}"),
            ("sites.json", f"{page}sites.json"),
            ("sites.json, one area", f"{page}sites.json?admin_area={areas[0]}"),
        ):
            found = _repeat(_get(client, path), runs)
            found["bytes"] = found.pop("result")
            measures[f"{name}, {who}"] = found
    return measures


def _markdown(report: dict) -> str:
    dataset = report["dataset"]
    lines = [
        f"# ASGM benchmark, {report['date']} (commit {report['commit']})",
        "",
        f"{dataset['sites']:,} sites in {dataset['country']}, {dataset['areas']} administrative "
        f"areas, on {report['database']}; generation {dataset.get('generation_s', '?')} s; "
        f"{report['arguments']['runs']} runs of each after a warm-up. Load average "
        f"{report['load_average']['before']} before, {report['load_average']['after']} after.",
        "",
        "| measure | sites | p50 ms | p95 ms | max ms | size |",
        "| --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    for name, found in report["measures"].items():
        size = f"{found['bytes'] / 1e3:,.0f} kB" if "bytes" in found else ""
        sites = f"{found['sites']:,}" if "sites" in found else ""
        lines.append(
            f"| {name} | {sites} | {found['p50']:,.1f} | {found['p95']:,.1f} "
            f"| {found['max']:,.1f} | {size} |"
        )
    lines += ["", f"Target (issue 13): the national overview of 100,000 sites under {TARGET_S} s."]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sites", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=10, help="timed runs of each measure")
    parser.add_argument("--data-dir", type=Path, default=DEFAULT_DATA_DIR)
    parser.add_argument("--reuse", action="store_true", help="measure the sites generated before")
    parser.add_argument("--output", type=Path, help="JSON results file (default bench/results/)")
    args = parser.parse_args(argv)
    data_dir = args.data_dir.resolve()
    database_url = os.environ.get("DATABASE_URL", "")
    if database_url:
        dataset = _claim_postgresql(database_url, args.reuse)
    else:
        dataset = _claim_sqlite(data_dir, args.reuse)
    if dataset and (dataset.get("sites"), dataset.get("seed")) != (args.sites, SEED):
        sys.exit(f"The dataset there has {dataset.get('sites')} sites: run without --reuse")
    os.environ.update(base._production_environment(data_dir))
    if database_url:
        os.environ["DATABASE_URL"] = database_url

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from mercuryhub.accounts.models import User
    from mercuryhub.taxonomy.models import Country

    if connection.vendor == "sqlite" and Path(connection.settings_dict["NAME"]).parent != data_dir:
        sys.exit(f"Refusing to run on {connection.settings_dict['NAME']}: not in {data_dir}")
    call_command("migrate", interactive=False, verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)  # pages name hashed files
    if not dataset:
        started = time.perf_counter()
        _generate(args.sites)
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        dataset = {"sites": args.sites, "seed": SEED, "country": COUNTRY}
        dataset["generation_s"] = round(time.perf_counter() - started, 1)
        dataset["areas"] = len({area for area, *_rest in TERRITORIES})
        _record_dataset(dataset, data_dir)
    country = Country.objects.get(iso3=COUNTRY)
    member = User.objects.get(email="bench.member@example.org")
    report: dict = {
        "date": datetime.now(tz=UTC).isoformat(timespec="seconds"),
        "commit": base.commit(),
        "machine": base._machine(),
        "database": _database_version(connection),
        "arguments": {"sites": args.sites, "runs": args.runs, "seed": SEED},
        "dataset": dataset,
        "settings": {"debug": False},
        "load_average": {"before": [round(v, 2) for v in os.getloadavg()]},
    }
    with base.production_settings():
        measures = _measure(country, member, args.runs)
    report["load_average"]["after"] = [round(v, 2) for v in os.getloadavg()]
    report["measures"] = measures
    table = _markdown(report)
    print(table)
    output = args.output or base.results_file("asgm")
    base.write_results(output, report, table)
    print(f"Results: {output}")
    return 0


def _database_version(connection) -> str:
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT sqlite_version()")
            return f"SQLite {cursor.fetchone()[0]}"
        cursor.execute("SHOW server_version")
        return f"PostgreSQL {cursor.fetchone()[0].split()[0]}"


if __name__ == "__main__":
    sys.exit(main())
