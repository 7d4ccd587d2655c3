"""Scale benchmark: how each cost of the platform grows with the size of its data.

For each size N (``--sizes 10000,100000,1000000``) a scratch database of its own (a SQLite file
in ``--data-dir``/N, or on PostgreSQL ``mercuryhub_bench_scale_<N>`` on DATABASE_URL's server,
created and marked as the bench's own) is filled with the other benchmarks' generators:

- N catalogue entries: 0.7 N facilities, 0.2 N experts (bench/catalogue.py), 0.1 N offerings;
- N resources (bench/library.py; a tenth with a 20-page document of text);
- N/10 needs, N/10 submissions of a form (bench/forms.py), N/10 ASGM sites (bench/asgm.py);

then measured, in-process and over HTTP (``mercuryhub serve``, gunicorn, 2 workers, production
settings): search p50/p95 (all kinds, facilities only, within a country), the search with its
filter counts, nearest facility, matching, a list page, the map's GeoJSON, the catalogue's CSV
export (rows/s), the national ASGM overview, an OpenRosa burst (submissions/s), the requests/s
of the search API (the workload's searches asked again and again, and searches never repeated)
and of a trivial endpoint under 16 keep-alive clients on loopback, and the memory of each
gunicorn worker after all that.

Each size runs in a process of its own (Django's settings name one database); this process
gathers their figures into bench/results/scale-<engine>-<date>T<hhmm>.json and .md (each cost by
size, with its growth from one size to the next) and draws docs/scale-<engine>.svg.

Usage (from the repository root):

    mercuryhub bench scale [--sizes 10000,100000,1000000] [--engine sqlite|postgresql]
                           [--queries 100] [--data-dir /tmp/mercuryhub-bench-scale]
                           [--generate-only | --reuse]
    python bench/scale.py  (the same options)
"""

import argparse
import http.client
import importlib
import itertools
import json
import math
import os
import random
import subprocess
import sys
import threading
import time
from argparse import Namespace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from bench import asgm, forms, library, openrosa  # noqa: E402 - the generators and measures
from bench import catalogue as base  # noqa: E402 - server, machine, percentiles

DEFAULT_DATA_DIR = "/tmp/mercuryhub-bench-scale-{engine}"  # noqa: S108 - a scratch directory
DOCS_DIR = base.BENCH_DIR.parent / "docs"
SEED = 17
# Shares of N: the catalogue's entries sum to N; the library holds N resources.
SHARES = {
    "facilities": 0.7,
    "offerings": 0.1,
    "experts": 0.2,
    "resources": 1.0,
    "needs": 0.1,
    "submissions": 0.1,
    "sites": 0.1,
}
TRIVIAL_PATH = "/api/v1/taxonomy/management-phases"
# Measures of other suites, run at each size after this one's when their module exists:
# name -> (module, function). The function is called as function(data_dir, database_url)
# (database_url "" on SQLite; the database is the size's, its dataset described above) and
# returns a dict of figures, stored under its name in the size's results.
# The load of many clients (`mercuryhub bench load`) runs on a served copy of its own and is not
# measured here at each size.
OTHER_MEASURES = {
    "import": ("bench.imports", "scale_figures"),  # rows/s of a file imported at this size
}
# Pages whose figures are kept while the published entries are unchanged (search.unchanged),
# measured again as the first view after a change (the cache emptied before each).
AFTER_A_CHANGE = ("resource list page, after a change", "facility map, the world, after a change")
# The costs of the table and chart: name, unit, where in a size's results, and whether lower
# is better (latencies, memory) or higher (rates).
COSTS = [
    ("search p50", "ms", ("in_process", "search", "p50")),
    ("search p95", "ms", ("in_process", "search", "p95")),
    ("search, facilities p95", "ms", ("in_process", "search_facilities", "p95")),
    ("search, one country p95", "ms", ("in_process", "search_in_a_country", "p95")),
    ("search + filter counts p95", "ms", ("in_process", "search_page_with_facets", "p95")),
    ("nearest facility p95", "ms", ("in_process", "nearest", "p95")),
    ("matching p95", "ms", ("in_process", "matching", "p95")),
    ("resource list page p95", "ms", ("pages", "resource list page", "p95")),
    ("resource list page, after a change p95", "ms", ("pages", AFTER_A_CHANGE[0], "p95")),
    ("facilities GeoJSON p95", "ms", ("pages", "facilities.geojson", "p95")),
    ("facility map, the world p95", "ms", ("pages", "facility map, the world", "p95")),
    ("facility map, the world, after a change p95", "ms", ("pages", AFTER_A_CHANGE[1], "p95")),
    ("facility map, a country p95", "ms", ("pages", "facility map, a country", "p95")),
    ("facility map, a city p95", "ms", ("pages", "facility map, a city", "p95")),
    ("national overview p95", "ms", ("pages", "national overview", "p95")),
    ("catalogue CSV export", "rows/s", ("export", "rows_per_s")),
    ("import", "rows/s", ("other_suites", "import", "rows_per_s")),
    ("OpenRosa burst", "submissions/s", ("http", "openrosa", "per_second")),
    ("search API", "requests/s", ("http", "throughput", "search", "per_second")),
    ("trivial endpoint", "requests/s", ("http", "throughput", "trivial", "per_second")),
    ("search API / trivial", "ratio", ("http", "throughput", "ratio")),
    (
        "search API, searches never repeated",
        "requests/s",
        ("http", "throughput", "search_new", "per_second"),
    ),
    ("search API, searches never repeated / trivial", "ratio", ("http", "throughput", "ratio_new")),
    ("gunicorn worker RSS", "MB", ("http", "worker_rss_mb", "max")),
    ("gunicorn worker's own memory (RssAnon)", "MB", ("http", "worker_rss_mb", "own_max")),
    ("ranking index rebuild", "s", ("ranking_index", "rebuild_s")),
    ("ranking index files", "MB", ("ranking_index", "files_mb")),
]


# Database ----------------------------------------------------------------------------------------


def _database_url(engine: str, size: int) -> str:
    """The scratch PostgreSQL database of one size ("" on SQLite)."""
    return asgm._scratch_database_url(engine, f"mercuryhub_bench_scale_{size}")


def _sizes(size: int) -> dict[str, int]:
    return {name: max(1, round(size * share)) for name, share in SHARES.items()}


# Synthetic needs (no other benchmark makes them) -------------------------------------------------


def _generate_needs(count: int) -> None:
    from django.db import transaction

    from mercuryhub.exchange.models import Need
    from mercuryhub.review.models import ReviewState
    from mercuryhub.taxonomy.models import Country, Language

    rng = random.Random(SEED)
    words = library._Library(rng, base._Corpus(random.Random(base.SEED)))
    countries = list(Country.objects.order_by("pk"))
    languages = list(Language.objects.filter(is_un_language=True).order_by("code"))
    terms = base._terms(
        waste_categories="waste_categories",
        phases="management_phases",
        support_types="support_types",
        funding="funding_statuses",
    )
    today = date(2026, 12, 4)
    for start in range(0, count, 5000):
        with transaction.atomic():
            batch = Need.objects.bulk_create(
                [
                    Need(
                        name=words.title(),
                        description=words.summary(),
                        country=rng.choice(countries),
                        funding_status=rng.choice(terms["funding"]),
                        published=True,
                        review_state=ReviewState.VALIDATED,
                        validated_at=datetime(2026, 1, 1, tzinfo=UTC),
                        needed_by=today + timedelta(days=rng.randint(30, 700)),
                        state=rng.choices(("open", "in_contact", "closed"), (7, 2, 1))[0],
                    )
                    for _ in range(start, min(start + 5000, count))
                ],
                batch_size=1000,
            )
            for field in ("waste_categories", "phases", "support_types"):
                through = getattr(Need, field).through
                through.objects.bulk_create(
                    [
                        through(need_id=need.pk, term_id=term.pk)
                        for need in batch
                        for term in rng.sample(terms[field], k=rng.randint(1, 2))
                    ],
                    batch_size=5000,
                )
            through = Need.languages.through
            through.objects.bulk_create(
                [through(need_id=need.pk, language_id=rng.choice(languages).pk) for need in batch],
                batch_size=5000,
            )


def _generate(size: int, progress) -> dict:
    """Every kind of record at ``size``, through the other benchmarks' generators; seconds."""
    from django.test import override_settings

    counts = _sizes(size)
    # The ranking index is rebuilt from every entry before anything is measured
    # (``_rebuild_ranking_index``): keeping it up to date batch by batch would be thrown away.
    with override_settings(SEARCH_RANKING_INDEX=False):
        return _generate_all(counts, progress)


def _generate_all(counts: dict, progress) -> dict:
    from django.core.management import call_command
    from django.db import connection

    from mercuryhub.review import registry
    from mercuryhub.review.indexing import do_reindex_kind

    started = time.perf_counter()
    call_command("load_reference_data", verbosity=0)
    catalogue = Namespace(
        facilities=counts["facilities"], experts=counts["experts"], resources=counts["resources"]
    )
    timings = base._generate(catalogue, progress)
    timings["offerings_s"] = base._generate_offerings(counts["offerings"], progress)
    timings["indexing_s"] = base._build_index(progress)
    timings.update(library._generate_library(catalogue, progress))
    step = time.perf_counter()
    _generate_needs(counts["needs"])
    do_reindex_kind(registry.get("need"), batch_size=500)
    timings["needs_s"] = time.perf_counter() - step
    step = time.perf_counter()
    forms._generate(counts["submissions"])
    timings["submissions_s"] = time.perf_counter() - step
    step = time.perf_counter()
    asgm._generate(counts["sites"])
    timings["sites_s"] = time.perf_counter() - step
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    timings["total_s"] = time.perf_counter() - started
    return {name: round(seconds, 1) for name, seconds in timings.items()}


# Measures ----------------------------------------------------------------------------------------


def _measure_pages(runs: int, whole_catalogue: bool = True) -> tuple[dict, dict]:
    """A list page, the map's GeoJSON and data, the national overview, through Django's test client
    (DEBUG off, anonymous), and the catalogue's CSV export, each byte read (without
    ``whole_catalogue``, neither the GeoJSON nor the export: each of every facility)."""
    from django.core.cache import cache
    from django.test import Client

    from mercuryhub.asgm import queries as asgm_queries
    from mercuryhub.catalogue.models import Facility
    from mercuryhub.taxonomy.models import Country

    client = Client()
    country = Country.objects.get(iso3=asgm.COUNTRY)
    mapped = Country.objects.get(iso3=MAP_COUNTRY)
    measures = {}
    for name, function in (
        ("resource list page", asgm._get(client, "/library/resources/")),
        ("facilities.geojson", asgm._get(client, "/api/v1/facilities.geojson")),
        # The facility map's data as the page asks for it: its first view, then zoomed in on the
        # facilities scattered around one country's centre, and on a city's width of them.
        ("facility map, the world", asgm._get(client, MAP_POINTS)),
        ("facility map, a country", asgm._get(client, _map_view(mapped, 5.0, 6))),
        ("facility map, a city", asgm._get(client, _map_view(mapped, 0.1, 12))),
        ("national overview", lambda: asgm_queries.overview(country)["totals"]["sites"]),
        ("national overview page", asgm._get(client, f"/asgm/{country.iso3}/")),
    ):
        if whole_catalogue or name != "facilities.geojson":
            measures[name] = asgm._repeat(function, runs)  # bytes, or the overview's sites
    for name, path in zip(AFTER_A_CHANGE, ("/library/resources/", MAP_POINTS), strict=True):
        measures[name] = asgm._repeat(asgm._get(client, path), runs, before=cache.clear)
    if not whole_catalogue:
        return measures, {"skipped": "--skip-whole-catalogue"}
    exported = forms._timed_get(client, "/catalogue/export/csv/")
    rows = Facility.objects.filter(published=True).count()
    exported["rows"] = rows
    exported["rows_per_s"] = round(rows / max(exported["seconds"], 0.01))
    return measures, exported


MAP_POINTS = "/catalogue/map/facilities.json"
MAP_COUNTRY = "FRA"


def _map_view(country, half_degrees: float, zoom: int) -> str:
    """The facility map's data for a view of ``half_degrees`` around the country's centre."""
    south, north = country.latitude - half_degrees, country.latitude + half_degrees
    west, east = country.longitude - half_degrees, country.longitude + half_degrees
    return f"{MAP_POINTS}?bbox={south},{west},{north},{east}&zoom={zoom}"


THROUGHPUT_TURNS = 3
# Searches never repeated, per turn of that measure: more than a turn asks at any size.
NEW_SEARCHES_PER_TURN = 5_000


def _new_searches(workload: dict, count: int) -> list[str]:
    """``count`` searches, none asked twice nor by the workload (as sets of words), drawn as
    the workload's are but with a seed of their own: a fifth a name's words, the others two or
    three domain words. What each worker keeps of the searches it answered helps none of them:
    the cost of searches as first asked."""
    from mercuryhub.catalogue.models import Expert, Facility

    rng = random.Random(base.SEED + 3)
    names = list(Facility.objects.order_by("pk").values_list("name", flat=True)[:20000]) + list(
        Expert.objects.order_by("pk").values_list("name", flat=True)[:5000]
    )
    asked = {frozenset(item["q"].split()) for item in workload["search"]}
    searches = []
    for draw in itertools.count():
        if len(searches) == count:
            break
        if draw % 5 == 4:
            words = rng.choice(names).split()
            words = words[:2] if rng.random() < 0.5 else [rng.choice(words)]
        else:
            words = rng.sample(base.DOMAIN_WORDS, k=rng.choice((2, 3)))
        if frozenset(words) not in asked:
            asked.add(frozenset(words))
            searches.append("/api/v1/search?" + urllib_encode({"q": " ".join(words)}))
    return searches


def _joined(turns: list[dict]) -> dict:
    """One throughput measure from those of its turns."""
    seconds = sum(turn["seconds"] for turn in turns)
    requests = sum(turn["requests"] for turn in turns)
    return {
        "clients": turns[0]["clients"],
        "seconds": round(seconds, 1),
        "requests": requests,
        "per_second": round(requests / seconds, 1),
        "per_second_per_turn": [turn["per_second"] for turn in turns],
        "latency_ms": base._summary([ms for turn in turns for ms in turn["latencies"]]),
        "errors": sum(turn["errors"] for turn in turns),
        "first_errors": [error for turn in turns for error in turn["first_errors"]][:3],
    }


def _throughput(port: int, paths: list[str], clients: int, seconds: float) -> dict:
    """``clients`` threads, each on its keep-alive connection (reopened when the server closes
    it), requesting the paths in turn for ``seconds``: requests/s, latencies, errors."""
    latencies, errors, lock = [], [], threading.Lock()
    deadline = time.perf_counter() + seconds

    def client(number):
        connection = base._Client(port)
        index = number
        while time.perf_counter() < deadline:
            path = paths[index % len(paths)]
            index += clients
            started = time.perf_counter()
            try:
                status, body = connection.get(path)
            except (OSError, http.client.HTTPException) as error:
                status, body = 0, str(error).encode()
            elapsed = (time.perf_counter() - started) * 1000
            with lock:
                latencies.append(elapsed)
                if status != 200:
                    errors.append(f"{path}: {status} {body[:120]!r}")

    elapsed = base._run_threads(
        [threading.Thread(target=client, args=(n,)) for n in range(clients)]
    )
    return {
        "clients": clients,
        "seconds": elapsed,
        "requests": len(latencies),
        "per_second": round(len(latencies) / elapsed, 1),
        "latencies": latencies,
        "errors": len(errors),
        "first_errors": errors[:3],
    }


def _worker_rss_mb(master: int) -> dict:
    """The resident memory of each gunicorn worker (the master's children), in MB: all of it
    (VmRSS), and the worker's own (RssAnon: VmRSS less the pages of files it maps, such as the
    SQLite file, which the system shares between the workers and may drop)."""
    children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
    found, own = {}, {}
    for pid in children:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            name, _colon, value = line.partition(":")
            if name in ("VmRSS", "RssAnon"):
                (found if name == "VmRSS" else own)[pid] = round(int(value.split()[0]) / 1024, 1)
    return {
        "workers": list(found.values()),
        "max": max(found.values(), default=0),
        "own": list(own.values()),
        "own_max": max(own.values(), default=0),
    }


def _measure_http(data_dir: Path, database_url: str, workload: dict, args) -> dict:
    port = base._free_port()
    log_path = data_dir / "gunicorn.log"
    results: dict = {"workers": 2}
    with (
        log_path.open("wb") as log,
        base._server(data_dir, port, log, database_url=database_url) as process,
    ):
        openrosa._wait_until_served(port, process, patience_s=600)
        slug = f"openrosa-bench-{datetime.now(tz=UTC):%Y%m%d%H%M%S}"  # a project per run
        address, instances = openrosa._prepare(args.submissions, slug)
        results["openrosa"] = openrosa._send(port, address, instances, clients=8)
        searches = [
            "/api/v1/search?" + urllib_encode({"q": item["q"]}) for item in workload["search"]
        ]
        # Warm-up: a worker just started reads each word of the searches the first two times
        # it is asked (its matches, then its scores): a longer one measures the server warm.
        seconds = min(5, args.seconds) if args.warm_up is None else args.warm_up
        warm_up = _throughput(port, [TRIVIAL_PATH, *searches], args.clients, seconds)
        results["warm_up"] = {"seconds": warm_up["seconds"], "requests": warm_up["requests"]}
        # Searches never repeated: each turn its own, none asked before.
        new = _new_searches(workload, NEW_SEARCHES_PER_TURN * THROUGHPUT_TURNS)
        # In turns (trivial, search, search never repeated, trivial, …), each a third of the
        # time: a machine's speed drifting during the measure weighs on each alike.
        turns = {"trivial": [], "search": [], "search_new": []}
        for turn in range(THROUGHPUT_TURNS):
            own = new[turn * NEW_SEARCHES_PER_TURN : (turn + 1) * NEW_SEARCHES_PER_TURN]
            for name, paths in (
                ("trivial", [TRIVIAL_PATH]),
                ("search", searches),
                ("search_new", own),
            ):
                seconds = args.seconds / THROUGHPUT_TURNS
                turns[name].append(_throughput(port, paths, args.clients, seconds))
        trivial, search = _joined(turns["trivial"]), _joined(turns["search"])
        search_new = _joined(turns["search_new"])
        # Requests beyond the searches drawn for their turn (asked a second time): 0 expected.
        search_new["repeated"] = sum(
            max(0, turn["requests"] - NEW_SEARCHES_PER_TURN) for turn in turns["search_new"]
        )

        def ratios(name):
            return [
                round(s["per_second"] / max(t["per_second"], 0.1), 3)
                for t, s in zip(turns["trivial"], turns[name], strict=True)
            ]

        results["throughput"] = {
            "trivial": {"path": TRIVIAL_PATH, **trivial},
            # The workload's searches, asked again and again: each worker answers them from what
            # the ranking index found (SEARCH_FOUND_KEPT) once it has met them.
            "search": {"path": "/api/v1/search?q=…", **search},
            "ratio": round(search["per_second"] / max(trivial["per_second"], 0.1), 3),
            "ratio_per_turn": ratios("search"),
            # Searches each asked once: their matches are ranked every time; their words were
            # asked before, so their counts are read off the words' matches each worker keeps
            # (SEARCH_MATCHES_KEPT_MB) once a second search has asked for them.
            "search_new": {"path": "/api/v1/search?q=… (never repeated)", **search_new},
            "ratio_new": round(search_new["per_second"] / max(trivial["per_second"], 0.1), 3),
            "ratio_new_per_turn": ratios("search_new"),
        }
        results["worker_rss_mb"] = _worker_rss_mb(process.pid)
    return results


def urllib_encode(query: dict) -> str:
    import urllib.parse

    return urllib.parse.urlencode(query)


def _other_measures(data_dir: Path, database_url: str) -> dict:
    found = {}
    for name, (module_name, function_name) in OTHER_MEASURES.items():
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError:
            module = None
        function = getattr(module, function_name, None)
        if function is None:
            found[name] = {"not measured": f"{module_name}.{function_name} is not there yet"}
            continue
        found[name] = function(data_dir, database_url)
    return found


def _run_one_size(args) -> int:
    """One size, in this process: claim its database, generate (unless reused), measure."""
    size, data_dir = args.size, args.data_dir.resolve()
    database_url = _database_url(args.engine, size)
    wanted = {"size": size, "seed": SEED, "shares": SHARES}
    if database_url:
        dataset = asgm._claim_postgresql(database_url, args.reuse)
    else:
        dataset = asgm._claim_sqlite(data_dir, args.reuse)
    if dataset and any(dataset.get(k) != v for k, v in wanted.items()):
        dataset = None
        if database_url:
            asgm._claim_postgresql(database_url, reuse=False)
        else:
            asgm._claim_sqlite(data_dir, reuse=False)
    os.environ.update(base._production_environment(data_dir, database_url))
    if not database_url:
        os.environ.pop("DATABASE_URL", None)
    os.environ["FORMS_ODK_VALIDATE"] = "false"

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from mercuryhub.search import ranking_index

    if connection.vendor == "sqlite" and Path(connection.settings_dict["NAME"]).parent != data_dir:
        sys.exit(f"Refusing to run on {connection.settings_dict['NAME']}: not in {data_dir}")
    report: dict = {"size": size, "database": asgm._database_version(connection)}
    columns = (TextColumn("{task.description:<22}"), BarColumn(), MofNCompleteColumn())
    with Progress(*columns, TimeElapsedColumn(), auto_refresh=False) as progress:
        call_command("migrate", interactive=False, verbosity=0)
        call_command("collectstatic", interactive=False, verbosity=0)
        if not dataset:
            dataset = {**wanted, "counts": _sizes(size), "timings_s": _generate(size, progress)}
            asgm._record_dataset(dataset, data_dir)
        if args.generate_only:
            print(json.dumps(dataset, indent=2), flush=True)
            return 0
        report["dataset"] = dataset
        if ranking_index.enabled():
            report["ranking_index"] = _rebuild_ranking_index(progress)
        workload = base._workload(args.queries)
        report["load_average"] = {"before": [round(v, 2) for v in os.getloadavg()]}
        with base.production_settings():
            report["in_process"] = base._measure_in_process(workload, progress)
            needs = library._needs(args.queries)
            report["in_process"]["matching"] = library._measure_matching(needs, progress)
            report["pages"], report["export"] = _measure_pages(
                args.runs, whole_catalogue=not args.skip_whole_catalogue
            )
    connection.close()  # the server's workers write next (OpenRosa)
    report["http"] = _measure_http(data_dir, database_url, workload, args)
    report["load_average"]["after"] = [round(v, 2) for v in os.getloadavg()]
    report["other_suites"] = _other_measures(data_dir, database_url)
    for summary in report["in_process"].values():
        if isinstance(summary, dict):
            summary.pop("slowest", None)
    args.output.write_text(json.dumps(report, indent=2, ensure_ascii=False, default=str) + "\n")
    return 0


def _rebuild_ranking_index(progress) -> dict:
    """The ranking index made again from every entry, as after a restore or a full
    reindex (a new generation), and up to date before anything is measured: the time from the
    new generation to an index holding it, the entries, and the size of the files."""
    from django.db import connection

    from mercuryhub.search import engine, ranking_index
    from mercuryhub.search.models import SearchEntry

    task = progress.add_task("Ranking index rebuild", total=None)
    index = ranking_index.index_for()
    started = time.perf_counter()
    engine.do_renew_generation()
    index.catch_up()
    elapsed = time.perf_counter() - started
    progress.update(task, total=1, completed=1, refresh=True)
    files = [path for path in index.path.iterdir() if path.is_file()]
    if ranking_index.database_state() != index.seen:
        sys.exit(f"The ranking index of {connection.settings_dict['NAME']} is not up to date")
    return {
        "rebuild_s": round(elapsed, 1),
        "entries": SearchEntry.objects.count(),
        "files_mb": round(sum(path.stat().st_size for path in files) / 1e6, 1),
    }


# Report ------------------------------------------------------------------------------------------


def _value(results: dict, where: tuple):
    found = results
    for key in where:
        if not isinstance(found, dict) or key not in found:
            return None
        found = found[key]
    return found


def _growth(values: list) -> list[str]:
    return [
        f"×{later / earlier:.2f}" if earlier and later else "–"
        for earlier, later in zip(values, values[1:], strict=False)
    ]


def _markdown(report: dict) -> str:
    sizes = [run["size"] for run in report["runs"]]
    machine = report["machine"]
    loads = "; ".join(
        f"{run['size']:,}: {run['load_average']['before'][0]} before, "
        f"{run['load_average']['after'][0]} after"
        for run in report["runs"]
    )
    lines = [
        f"# Scale benchmark, {report['engine']}, {report['date']} (commit {report['commit']})",
        "",
        f"Machine: {machine['nproc']} of {machine['cpus']} CPUs ({machine['cpu_model']}), "
        f"{machine['memory_gb']} GB, Python {machine['python']}; "
        f"{report['runs'][0]['database'] if report['runs'] else ''}. "
        f"Load average (1 min) per size: {loads}.",
        "",
        "| cost | unit | " + " | ".join(f"{size:,}" for size in sizes) + " | growth |",
        "| --- | --- | " + " | ".join("---:" for _ in sizes) + " | --- |",
    ]
    for name, unit, where in COSTS:
        values = [_value(run, where) for run in report["runs"]]
        shown = [_shown(value, unit) for value in values]
        growth = " → ".join(_growth(values)) or "–"
        lines.append(f"| {name} | {unit} | " + " | ".join(shown) + f" | {growth} |")
    for run in report["runs"]:
        for suite, figures in run.get("other_suites", {}).items():
            lines.append(f"\n{suite} at {run['size']:,}: {json.dumps(figures)}")
    return "\n".join(lines) + "\n"


def _shown(value, unit: str) -> str:
    if not value:
        return "–"
    if unit == "ratio":
        return f"{value:.3f}"
    return f"{value:,.1f}" if isinstance(value, float) else f"{value:,}"


def _svg(report: dict) -> str:
    """Each latency cost against size, log-log, one line (and its points) per cost."""
    series = []
    for name, unit, where in COSTS:
        if unit != "ms":
            continue
        points = [
            (run["size"], _value(run, where))
            for run in report["runs"]
            if isinstance(_value(run, where), int | float) and _value(run, where) > 0
        ]
        if points:
            series.append((name, points))
    width, height, left, right, top, bottom = 760, 440, 70, 250, 40, 50
    every = [p for _name, points in series for p in points] or [(10_000, 1.0)]
    xs = [x for x, _y in every]
    ys = [y for _x, y in every]
    x_low, x_high = math.floor(math.log10(min(xs))), math.ceil(math.log10(max(xs)) + 1e-9)
    y_low, y_high = math.floor(math.log10(min(ys))), math.ceil(math.log10(max(ys)) + 1e-9)
    # At least 10,000 to 1,000,000, the sizes of the issue, so that what is missing shows.
    x_low, x_high, y_high = min(x_low, 4), max(x_high, 6), max(y_high, y_low + 1)

    def x_of(value):
        share = (math.log10(value) - x_low) / (x_high - x_low)
        return left + share * (width - left - right)

    def y_of(value):
        share = (math.log10(value) - y_low) / (y_high - y_low)
        return height - bottom - share * (height - top - bottom)

    palette = ["#1b6ca8", "#d1495b", "#66a182", "#edae49", "#5c4d7d", "#00798c", "#8d6a9f"]
    palette += ["#2e4057", "#c2185b", "#6d4c41"]
    title = f"MercuryHub: cost against size, {report['engine']}, {report['date'][:10]}"
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" font-family="sans-serif" font-size="12" role="img">',
        f"<title>{title} (commit {report['commit']})</title>",
        f'<rect width="{width}" height="{height}" fill="#fff"/>',
        f'<text x="{left}" y="22" font-size="14">{title}</text>',
    ]
    for exponent in range(x_low, x_high + 1):
        x = x_of(10**exponent)
        parts.append(
            f'<line x1="{x:.1f}" y1="{top}" x2="{x:.1f}" y2="{height - bottom}" stroke="#ddd"/>'
            f'<text x="{x:.1f}" y="{height - bottom + 18}" text-anchor="middle">'
            f"{10**exponent:,}</text>"
        )
    for exponent in range(y_low, y_high + 1):
        y = y_of(10**exponent)
        parts.append(
            f'<line x1="{left}" y1="{y:.1f}" x2="{width - right}" y2="{y:.1f}" stroke="#ddd"/>'
            f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end">{10**exponent:g} ms</text>'
        )
    parts.append(
        f'<text x="{(left + width - right) / 2}" y="{height - 12}" text-anchor="middle">'
        "records of each kind (N, log scale)</text>"
    )
    for number, (name, points) in enumerate(series):
        colour = palette[number % len(palette)]
        path = " ".join(f"{x_of(x):.1f},{y_of(y):.1f}" for x, y in points)
        if len(points) > 1:
            parts.append(
                f'<polyline points="{path}" fill="none" stroke="{colour}" stroke-width="2"/>'
            )
        for x, y in points:
            parts.append(f'<circle cx="{x_of(x):.1f}" cy="{y_of(y):.1f}" r="3.5" fill="{colour}"/>')
        legend_y = top + 10 + number * 18
        parts.append(
            f'<rect x="{width - right + 14}" y="{legend_y - 9}" width="12" height="12" '
            f'fill="{colour}"/><text x="{width - right + 32}" y="{legend_y + 1}">{name}</text>'
        )
    parts.append("</svg>")
    return "\n".join(parts) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="10000,100000,1000000")
    parser.add_argument("--engine", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--queries", type=int, default=100, help="inputs of each search measure")
    parser.add_argument("--runs", type=int, default=5, help="timed runs of each page measure")
    parser.add_argument("--submissions", type=int, default=200, help="OpenRosa burst size")
    parser.add_argument("--clients", type=int, default=16, help="HTTP load generator threads")
    parser.add_argument("--seconds", type=float, default=20, help="of each throughput measure")
    parser.add_argument(
        "--warm-up",
        type=float,
        default=None,
        help="seconds of the workload's searches and the trivial endpoint before the "
        "throughput measures (default 5, or --seconds if less): a worker reads each word "
        "of the searches the first times it is asked",
    )
    parser.add_argument("--data-dir", type=Path, help=f"default {DEFAULT_DATA_DIR}")
    parser.add_argument("--reuse", action="store_true", help="measure the data generated before")
    parser.add_argument(
        "--skip-whole-catalogue",
        action="store_true",
        help="measure neither the GeoJSON of every facility nor the CSV export (at a million "
        "records each takes minutes a run)",
    )
    parser.add_argument(
        "--generate-only",
        action="store_true",
        help="generate each size's data and stop; measure it later with --reuse, on a quiet "
        "machine (generating runs on one core)",
    )
    parser.add_argument(
        "--output",
        type=Path,
        help="JSON results file (default bench/results/); the chart goes beside it, as .svg, "
        "instead of docs/scale-<engine>.svg",
    )
    parser.add_argument("--size", type=int, help=argparse.SUPPRESS)  # one size, in a child
    args = parser.parse_args(argv)
    if args.queries < 20:
        parser.error("--queries must be at least 20")
    args.data_dir = args.data_dir or Path(DEFAULT_DATA_DIR.format(engine=args.engine))
    if args.size:
        return _run_one_size(args)
    try:
        sizes = sorted({int(size.replace("_", "")) for size in args.sizes.split(",")})
    except ValueError:
        parser.error(f"--sizes must be numbers separated by commas, not {args.sizes!r}")
    if not sizes or min(sizes) < 10:
        parser.error("--sizes must each be at least 10")
    _database_url(args.engine, 1)  # checked before hours of work
    report = {
        "date": datetime.now(tz=UTC).isoformat(timespec="seconds"),
        "commit": base.commit(),
        "engine": args.engine,
        "machine": base._machine(),
        "shares_of_n": SHARES,
        "arguments": {k: v for k, v in vars(args).items() if k not in ("size",)},
        "runs": [],
    }
    output = args.output or base.results_file(f"scale-{args.engine}")
    output.parent.mkdir(parents=True, exist_ok=True)
    for size in sizes:
        one = output.with_name(f"{output.stem}-{size}.part.json")
        command = [sys.executable, str(Path(__file__).resolve()), "--size", str(size)]
        for name in ("engine", "queries", "runs", "submissions", "clients", "seconds"):
            command += [f"--{name}", str(getattr(args, name))]
        if args.warm_up is not None:
            command += ["--warm-up", str(args.warm_up)]
        command += ["--data-dir", str(args.data_dir / str(size)), "--output", str(one)]
        if args.reuse:
            command.append("--reuse")
        for option in ("generate_only", "skip_whole_catalogue"):
            if vars(args)[option]:
                command.append(f"--{option.replace('_', '-')}")
        print(f"Size {size:,}…", flush=True)
        subprocess.run(command, check=True)  # noqa: S603 - this script, fixed arguments
        if args.generate_only:
            continue
        report["runs"].append(json.loads(one.read_text()))
        one.unlink()
    if args.generate_only:
        print(f"Generated in {args.data_dir}; measure with --reuse.")
        return 0
    table = _markdown(report)
    print(table)
    base.write_results(output, report, table)
    chart = (
        args.output.with_suffix(".svg") if args.output else DOCS_DIR / f"scale-{args.engine}.svg"
    )
    chart.write_text(_svg(report))
    print(f"Results: {output}, {output.with_suffix('.md')}; chart: {chart}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
