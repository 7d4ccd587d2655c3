"""Catalogue benchmark: search and nearest-facility latency on a large synthetic catalogue.

Generates N published facilities and M published experts (fixed seed) into a SQLite database of
its own, builds the search index, then times, with warm-up first:

- search in-process: ``queries.search(AnonymousUser(), Filters(q=...))``; the same for
  facilities only, and within one country (no target: for comparison); the same followed by
  ``queries.facets(...)`` (the search page's filter counts);
- nearest in-process: ``queries.find_facilities(AnonymousUser(), waste=(code,), lat=, lon=)``;
- the same over HTTP against the platform served as in production (gunicorn, 2 workers).

Usage (from the repository root):

    mercuryhub bench catalogue [--facilities 100000] [--experts 20000] [--queries 200]
                               [--data-dir /tmp/mercuryhub-bench] [--skip-http]
                               [--reuse] [--generate-only] [--output FILE]
    python bench/catalogue.py  (the same options)

Raw figures go to bench/results/catalogue-<date>T<hhmm>.json. The data directory is never the
developer's: the script refuses a directory holding a database it did not create.
"""

import argparse
import contextlib
import http.client
import json
import os
import platform
import random
import secrets
import signal
import sqlite3
import statistics
import subprocess
import sys
import time
import urllib.parse
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
RESULTS_DIR = BENCH_DIR / "results"
DEFAULT_DATA_DIR = Path("/tmp/mercuryhub-bench")  # noqa: S108 - a scratch directory, by design
MARKER = "MERCURYHUB-BENCH"  # file in the data directory: the database is synthetic
SEED = 20261122

TARGETS_MS = {"search": 50.0, "nearest": 20.0}

# The anchor's domain words (PERFORMANCE-NOTES.md, fts_anchor.py). In descriptions a common one
# matches about a tenth of the entries; the entries' tags, which the words of their terms'
# labels and synonyms find, make them match far more (docs/performance.md).
DOMAIN_WORDS = (  # noqa: SIM905 - a word list reads best as text
    "mercury lamp fluorescent thermometer amalgam dental battery sludge soil chlor alkali "
    "smelting tailings gold retort distillation stabilization sulfide landfill storage "
    "transport collection treatment recovery vacuum thermal kiln mine salt permit capacity "
    "tonnes hospital clinic municipal export import basel minamata recycling crushing "
    "phosphor glass aluminium catalyst activated carbon flue gas ash cement polymer"
).split()
FACILITY_NOUNS = (
    "Plant",
    "Works",
    "Centre",
    "Facility",
    "Depot",
    "Recyclers",
    "Services",
    "Terminal",
    "Station",
    "Site",
)
SENTENCES = (
    "The {a} site of {r} handles {d} and {d} from {r} and {r}.",
    "Licensed for {d} {d} under permit {n}, with a capacity of {n} tonnes a year.",
    "{A} {d} line commissioned in {y}; {d} of {d} residues before {d}.",
    "Accepts {d} waste from {r} clinics, {r} municipalities and the {d} sector.",
    "Operated by {R} with {d} and {d} equipment; contact through the {r} office.",
    "Pilot on {d} {d} with the {R} consortium, {r} programme.",
)
FIRST_NAMES = (  # noqa: SIM905 - a word list reads best as text
    "Ana Amina Bruno Carlos Chen Dara Elena Farid Fatou Gabriel Hana Ibrahim Ingrid Jorge "
    "Kavya Kofi Lena Lucia Mariam Mateo Mei Nadia Nikolai Olga Omar Priya Rafael Sara Sofia "
    "Tariq Tomas Yusuf Zainab Aiko Bongani Camila Diego Emeka Hoang Irina"
).split()

_SYLLABLES = (  # noqa: SIM905 - a word list reads best as text
    "ka lo mi ra tu sen vel dor pa ni qui zet mar bol ten ur ash fen gor hal ix jun kem lun "
    "nor ost pel rin sul tav ub vor wen yar zol bri cro dra est fal gri"
).split()


# Environment ---------------------------------------------------------------------------------


def _production_environment(data_dir: Path, database_url: str = "") -> dict[str, str]:
    """The environment the platform runs with in production, pointed at the bench database: the
    SQLite file in ``data_dir``, or the bench's own PostgreSQL database at ``database_url``."""
    environment = {
        k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "SECRET_KEY_FILE"}
    }
    if database_url:
        environment["DATABASE_URL"] = database_url
    environment.update(
        MERCURYHUB_DATA_DIR=str(data_dir),
        MERCURYHUB_ENV="production",
        DJANGO_SETTINGS_MODULE="mercuryhub.settings",
        SECRET_KEY=secrets.token_urlsafe(60),
        ALLOWED_HOSTS="127.0.0.1",
        SECURE_SSL_REDIRECT="false",
        LOG_LEVEL="WARNING",
    )
    return environment


def _claim_data_dir(data_dir: Path, args, sizes: dict | None = None) -> dict | None:
    """Make the directory the bench's own. Returns the description of the dataset already there
    when --reuse is given and it was generated, completely, with the same sizes and seed
    (``sizes``: more sizes a dataset must have, for the benchmarks that add to this one's)."""
    database = data_dir / "mercuryhub.sqlite3"
    marker = data_dir / MARKER
    if database.exists() and not marker.exists():
        sys.exit(f"{database} exists and was not created by this benchmark: choose --data-dir")
    if args.reuse and database.exists():
        try:
            dataset = json.loads(marker.read_text())
        except ValueError:
            dataset = {}
        wanted = {"facilities": args.facilities, "experts": args.experts, "seed": SEED}
        wanted.update(sizes or {})
        if "timings_s" in dataset and all(dataset.get(k) == v for k, v in wanted.items()):
            return dataset
        print(f"No complete dataset of {wanted} in {data_dir}: generating it", file=sys.stderr)
    data_dir.mkdir(parents=True, exist_ok=True)
    for suffix in ("", "-wal", "-shm"):
        Path(f"{database}{suffix}").unlink(missing_ok=True)
    marker.write_text(json.dumps({"note": "Synthetic data of bench/catalogue.py"}) + "\n")
    return None


# Synthetic data ------------------------------------------------------------------------------


def _rare_words(rng: random.Random, count: int) -> list[str]:
    found: dict[str, None] = {}
    while len(found) < count:
        found["".join(rng.choices(_SYLLABLES, k=rng.choice((2, 3, 3, 4))))] = None
    return list(found)


class _Corpus:
    def __init__(self, rng: random.Random):
        self.rng = rng
        self.rare = _rare_words(rng, 20_000)

    def word(self) -> str:
        return self.rng.choice(self.rare)

    def description(self) -> str:
        rng = self.rng
        text = []
        for template in rng.sample(SENTENCES, k=3):
            text.append(
                template.replace("{A}", rng.choice(DOMAIN_WORDS).capitalize())
                .replace("{R}", self.word().capitalize())
                .format_map(_Slots(rng, self))
            )
        return " ".join(text)

    def facility_name(self) -> str:
        rng = self.rng
        return " ".join(
            [
                self.word().capitalize(),
                *(w.capitalize() for w in rng.sample(DOMAIN_WORDS, k=rng.choice((1, 2)))),
                rng.choice(FACILITY_NOUNS),
            ]
        )

    def person_name(self) -> str:
        return f"{self.rng.choice(FIRST_NAMES)} {self.word().capitalize()}"


class _Slots(dict):
    def __init__(self, rng, corpus):
        super().__init__()
        self.rng, self.corpus = rng, corpus

    def __getitem__(self, key):
        rng = self.rng
        if key == "d":
            return rng.choice(DOMAIN_WORDS)
        if key == "r":
            return self.corpus.word()
        if key == "n":
            return str(rng.randint(10, 99_999))
        if key == "y":
            return str(rng.randint(1975, 2026))
        if key == "a":
            return rng.choice(("main", "northern", "coastal", "regional", "central"))
        raise KeyError(key)


def _point_near(rng: random.Random, country) -> tuple[float, float]:
    lat = max(-89.0, min(89.0, rng.gauss(country.latitude, 1.5)))
    lon = (rng.gauss(country.longitude, 2.0) + 180.0) % 360.0 - 180.0
    return round(lat, 5), round(lon, 5)


def _generate(args, progress) -> dict[str, float]:
    from django.db import transaction

    from mercuryhub.accounts.models import Organization
    from mercuryhub.catalogue.models import Expert, Facility
    from mercuryhub.review.models import ReviewState
    from mercuryhub.taxonomy.models import Country, Language, Term

    rng = random.Random(SEED)
    corpus = _Corpus(rng)
    countries = list(Country.objects.exclude(latitude=None).order_by("iso3"))
    terms = {
        name: list(Term.objects.filter(vocabulary__name=name).order_by("pk"))
        for name in (
            "waste_categories",
            "management_phases",
            "treatment_technologies",
            "support_types",
            "nap_elements",
            "stakeholder_types",
        )
    }
    languages = list(Language.objects.order_by("-is_un_language", "code"))
    un_languages = [language for language in languages if language.is_un_language]
    timings = {}

    def some(items, low, high):
        return rng.sample(items, k=rng.randint(low, high))

    def spoken():
        chosen = some(un_languages, 1, 2) + ([rng.choice(languages)] if rng.random() < 0.3 else [])
        return list(dict.fromkeys(chosen))

    def review():
        if rng.random() < 0.4:  # imported from public sources, not yet validated
            return {"review_state": ReviewState.IMPORTED}
        validated_at = datetime(2026, 1, 1, tzinfo=UTC) + timedelta(hours=rng.randint(0, 7000))
        return {"review_state": ReviewState.VALIDATED, "validated_at": validated_at}

    started = time.perf_counter()
    with transaction.atomic():
        organizations = [
            Organization(
                name=f"{corpus.word().capitalize()} {rng.choice(DOMAIN_WORDS).capitalize()} Ltd",
                slug=f"bench-{i}",
                stakeholder_type=rng.choice(terms["stakeholder_types"]),
                country=rng.choice(countries),
            )
            for i in range(max(1, args.facilities // 20))
        ]
        Organization.objects.bulk_create(organizations, batch_size=2000)

        task = progress.add_task("Facilities", total=args.facilities)
        today = date(2026, 11, 22)
        statuses = [s for s, _label in Facility.Status.choices]
        for start in range(0, args.facilities, 5000):
            batch = []
            for i in range(start, min(start + 5000, args.facilities)):
                country = rng.choice(countries)
                lat, lon = _point_near(rng, country)
                batch.append(
                    Facility(
                        external_id=f"bench-facility-{i}",
                        name=corpus.facility_name(),
                        description=corpus.description(),
                        published=True,
                        last_confirmed_at=today - timedelta(days=rng.randint(0, 1500)),
                        **review(),
                        operator=rng.choice(organizations),
                        country=country,
                        city=corpus.word().capitalize(),
                        latitude=lat,
                        longitude=lon,
                        status=rng.choices(statuses, weights=(70, 10, 10, 10))[0],
                        capacity_tonnes_per_year=round(rng.uniform(1, 5000), 1),
                        accepts_foreign_waste=rng.choice((True, False, None)),
                    )
                )
            Facility.objects.bulk_create(batch, batch_size=1000)
            relations = {
                Facility.accepted_wastes.through: [
                    {"facility_id": f.pk, "term_id": t.pk}
                    for f in batch
                    for t in some(terms["waste_categories"], 1, 4)
                ],
                Facility.phases.through: [
                    {"facility_id": f.pk, "term_id": t.pk}
                    for f in batch
                    for t in some(terms["management_phases"], 1, 3)
                ],
                Facility.technologies.through: [
                    {"facility_id": f.pk, "term_id": t.pk}
                    for f in batch
                    for t in some(terms["treatment_technologies"], 0, 2)
                ],
                Facility.languages.through: [
                    {"facility_id": f.pk, "language_id": language.pk}
                    for f in batch
                    for language in spoken()
                ],
            }
            for through, rows in relations.items():
                through.objects.bulk_create([through(**row) for row in rows], batch_size=5000)
            progress.update(task, advance=len(batch), refresh=True)

        task = progress.add_task("Experts", total=args.experts)
        for start in range(0, args.experts, 5000):
            batch = []
            for i in range(start, min(start + 5000, args.experts)):
                name = corpus.person_name()
                batch.append(
                    Expert(
                        external_id=f"bench-expert-{i}",
                        name=name,
                        description=corpus.description(),
                        published=True,
                        consent_to_publication=True,
                        **review(),
                        last_confirmed_at=today - timedelta(days=rng.randint(0, 1500)),
                        email=f"expert{i}@bench.invalid",
                        country=rng.choice(countries),
                        organization=rng.choice(organizations) if rng.random() < 0.6 else None,
                    )
                )
            Expert.objects.bulk_create(batch, batch_size=1000)
            relations = {
                Expert.waste_categories.through: (
                    "term_id",
                    [(e, t.pk) for e in batch for t in some(terms["waste_categories"], 1, 3)],
                ),
                Expert.phases.through: (
                    "term_id",
                    [(e, t.pk) for e in batch for t in some(terms["management_phases"], 0, 2)],
                ),
                Expert.support_types.through: (
                    "term_id",
                    [(e, t.pk) for e in batch for t in some(terms["support_types"], 1, 2)],
                ),
                Expert.nap_elements.through: (
                    "term_id",
                    [(e, t.pk) for e in batch for t in some(terms["nap_elements"], 0, 2)],
                ),
                Expert.languages.through: (
                    "language_id",
                    [(e, language.pk) for e in batch for language in spoken()],
                ),
                Expert.countries_of_experience.through: (
                    "country_id",
                    [(e, c.pk) for e in batch for c in some(countries, 0, 3)],
                ),
            }
            for through, (column, pairs) in relations.items():
                through.objects.bulk_create(
                    [through(expert_id=e.pk, **{column: value}) for e, value in pairs],
                    batch_size=5000,
                )
            progress.update(task, advance=len(batch), refresh=True)
    timings["generation_s"] = time.perf_counter() - started
    return timings


def _terms(**vocabularies: str) -> dict[str, list]:
    """The terms of each vocabulary, in a fixed order, under the name given to it."""
    from mercuryhub.taxonomy.models import Term

    return {
        name: list(Term.objects.filter(vocabulary__name=vocabulary).order_by("pk"))
        for name, vocabulary in vocabularies.items()
    }


def _run_threads(threads) -> float:
    """Start the threads together and wait for them all: the seconds from first to last."""
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return time.perf_counter() - started


def _generate_offerings(count: int, progress) -> float:
    """``count`` published offerings (technologies, equipment, services) of the organizations
    ``_generate`` made, a quarter of them used by 1-3 of its facilities; their own seed, so that
    the facilities and experts stay what they are without them. Seconds taken."""
    from django.db import transaction

    from mercuryhub.accounts.models import Organization
    from mercuryhub.catalogue.models import Facility, Offering
    from mercuryhub.review.models import ReviewState
    from mercuryhub.taxonomy.models import Country, Language

    rng = random.Random(SEED + 20)
    corpus = _Corpus(rng)
    providers = list(Organization.objects.filter(slug__startswith="bench-").order_by("pk"))
    facilities = list(Facility.objects.order_by("pk").values_list("pk", flat=True)[:100_000])
    countries = list(Country.objects.order_by("pk"))
    languages = list(Language.objects.filter(is_un_language=True).order_by("code"))
    terms = _terms(
        waste_categories="waste_categories",
        phases="management_phases",
        technologies="treatment_technologies",
        support_types="support_types",
    )
    kinds = [kind for kind, _label in Offering.Kind.choices]
    tags = {"waste_categories": (1, 3), "phases": (1, 2), "technologies": (0, 2)}
    tags["support_types"] = (0, 2)
    today = date(2026, 11, 22)
    started = time.perf_counter()
    task = progress.add_task("Offerings", total=count)
    for start in range(0, count, 5000):
        with transaction.atomic():
            batch = [
                Offering(
                    external_id=f"bench-offering-{i}",
                    name=f"{corpus.word().capitalize()} {rng.choice(DOMAIN_WORDS)} "
                    f"{rng.choice(('system', 'unit', 'service', 'kit', 'line'))}",
                    description=corpus.description(),
                    published=True,
                    review_state=ReviewState.IMPORTED,
                    last_confirmed_at=today - timedelta(days=rng.randint(0, 1500)),
                    provider=rng.choice(providers),
                    kind=rng.choice(kinds),
                )
                for i in range(start, min(start + 5000, count))
            ]
            Offering.objects.bulk_create(batch, batch_size=1000)
            for field, (fewest, most) in tags.items():
                through = getattr(Offering, field).through
                through.objects.bulk_create(
                    [
                        through(offering_id=o.pk, term_id=t.pk)
                        for o in batch
                        for t in rng.sample(terms[field], k=rng.randint(fewest, most))
                    ],
                    batch_size=5000,
                )
            for field, column, choices, most in (
                ("languages", "language_id", languages, 2),
                ("countries_served", "country_id", countries, 3),
            ):
                through = getattr(Offering, field).through
                through.objects.bulk_create(
                    [
                        through(offering_id=o.pk, **{column: chosen.pk})
                        for o in batch
                        for chosen in rng.sample(choices, k=rng.randint(1, most))
                    ],
                    batch_size=5000,
                )
            through = Offering.facilities.through
            through.objects.bulk_create(
                [
                    through(offering_id=o.pk, facility_id=facility)
                    for o in batch
                    if facilities and rng.random() < 0.25
                    for facility in rng.sample(facilities, k=min(len(facilities), 3))[
                        : rng.randint(1, 3)
                    ]
                ],
                batch_size=5000,
            )
        progress.update(task, advance=len(batch), refresh=True)
    return time.perf_counter() - started


def _build_index(progress) -> float:
    """The index of every published entry through the action the platform uses, in batches."""
    from mercuryhub.review import registry
    from mercuryhub.review.indexing import do_reindex_kind

    started = time.perf_counter()
    for name in ("facility", "offering", "expert"):
        kind = registry.get(name)
        task = progress.add_task(f"Index {name}", total=kind.model.objects.count())
        do_reindex_kind(
            kind,
            batch_size=500,
            progress=lambda done, task=task: progress.update(task, completed=done, refresh=True),
        )
    return time.perf_counter() - started


# Measuring -----------------------------------------------------------------------------------


def _summary(latencies_ms: list[float]) -> dict[str, float]:
    ordered = sorted(latencies_ms)

    def rank(p):  # nearest-rank percentile
        return ordered[max(0, -(-len(ordered) * p // 100) - 1)]

    return {
        "n": len(ordered),
        "p50": round(rank(50), 2),
        "p95": round(rank(95), 2),
        "p99": round(rank(99), 2),
        "max": round(ordered[-1], 2),
        "mean": round(statistics.fmean(ordered), 2),
    }


def _timed(call, items: list[dict], *, warm_up: int = 20) -> dict:
    """Latencies of call(item) over the items after a warm-up, overall and per item class."""
    for item in items[:warm_up]:
        call(item)
    latencies, cpu, sizes = [], [], []
    for item in items:
        started, started_cpu = time.perf_counter(), time.process_time()
        size = call(item)
        latencies.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - started_cpu) * 1000)
        sizes.append(size)
    summary = _summary(latencies)
    # This process's CPU time: less sensitive than wall-clock time to other work on the machine
    # (over HTTP the work happens in the server, so this is the client's share only).
    summary["cpu_ms"] = _summary(cpu)
    summary["median_result_size"] = statistics.median(sizes)
    summary["by_class"] = {
        name: _summary(
            [ms for ms, item in zip(latencies, items, strict=True) if item["class"] == name]
        )
        for name in dict.fromkeys(item["class"] for item in items)
    }
    summary["slowest"] = [
        {**items[i], "ms": round(latencies[i], 2), "result_size": sizes[i]}
        for i in sorted(range(len(items)), key=latencies.__getitem__, reverse=True)[:5]
    ]
    return summary


def _workload(count: int) -> dict[str, list[dict]]:
    """Queries and points, the same for every run (their own seed, independent of the sizes)."""
    from mercuryhub.catalogue.models import Expert, Facility
    from mercuryhub.taxonomy.models import Country, Term

    rng = random.Random(SEED + 1)
    names = list(Facility.objects.order_by("pk").values_list("name", flat=True)[:2000]) + list(
        Expert.objects.order_by("pk").values_list("name", flat=True)[:500]
    )
    searches = []
    for i in range(count):
        if i % 5 == 4:  # a fifth are names: a person's or a place's rare word, or two words of one
            words = rng.choice(names).split()
            q = " ".join(words[:2]) if rng.random() < 0.5 else rng.choice(words)
            searches.append({"q": q, "class": "name"})
        else:
            words = rng.sample(DOMAIN_WORDS, k=rng.choice((1, 2)))
            kind = "one domain word" if len(words) == 1 else "two domain words"
            searches.append({"q": " ".join(words), "class": kind})
    countries = list(Country.objects.exclude(latitude=None).order_by("iso3"))
    for i, search in enumerate(searches):  # a country for the filtered searches (no rng draw)
        search["country"] = countries[i * 37 % len(countries)].iso3
    terms = list(
        Term.objects.filter(vocabulary__name="waste_categories")
        .order_by("pk")
        .values_list("code", "parent_id")
    )
    points = []
    for _ in range(count):
        lat, lon = _point_near(rng, rng.choice(countries))
        code, parent = rng.choice(terms)
        kind = "narrowest waste category" if parent else "waste category with narrower ones"
        points.append({"lat": lat, "lon": lon, "waste": code, "class": kind})
    return {"search": searches, "nearest": points}


def production_settings():
    """Settings as ``mercuryhub serve`` runs the platform, for the in-process measurements:
    with DEBUG off, queries are not recorded one by one as a developer's server does."""
    from django.test.utils import override_settings

    return override_settings(DEBUG=False)


# A search measured here is measured as first asked: each worker keeps what the ranking index
# found for the searches it answered (``SEARCH_FOUND_KEPT``), and would answer the warm-up's
# searches, asked again in the measure, without their matches; it also keeps the entries the
# words asked before match (``SEARCH_MATCHES_KEPT_MB``), and would count without them. The
# search API's throughput (bench/scale.py) is measured as the platform serves, with both kept:
# with searches asked again, and with searches never repeated (whose words were asked before).
FIRST_ASKED = {"SEARCH_FOUND_KEPT": "0", "SEARCH_MATCHES_KEPT_MB": "0"}


def first_asked():
    """In process: the settings under which searches are measured as first asked."""
    from django.test.utils import override_settings

    return override_settings(**{key: int(value) for key, value in FIRST_ASKED.items()})


def _measure_in_process(workload: dict, progress) -> dict:
    from django.contrib.auth.models import AnonymousUser

    from mercuryhub.catalogue import queries

    anonymous = AnonymousUser()

    def search(item):
        return queries.search(anonymous, queries.Filters(q=item["q"])).total

    def search_facilities(item):  # as /api/v1/facilities?q=
        filters = queries.Filters(q=item["q"], kinds=("facility",))
        return queries.search(anonymous, filters).total

    def search_in_a_country(item):  # a filter: every match is checked against it
        filters = queries.Filters(q=item["q"], country=(item["country"],))
        return queries.search(anonymous, filters).total

    def search_page(item):
        filters = queries.Filters(q=item["q"])
        total = queries.search(anonymous, filters).total
        queries.facets(anonymous, filters)
        return total

    def nearest(point):
        return len(
            queries.find_facilities(
                anonymous, waste=(point["waste"],), lat=point["lat"], lon=point["lon"], limit=10
            )
        )

    results = {}
    for name, call, items in (
        ("search", search, workload["search"]),
        ("search_facilities", search_facilities, workload["search"]),
        ("search_in_a_country", search_in_a_country, workload["search"]),
        ("search_page_with_facets", search_page, workload["search"]),
        ("nearest", nearest, workload["nearest"]),
    ):
        task = progress.add_task(f"In-process {name}", total=None)
        with first_asked():
            results[name] = _timed(call, items)
        progress.update(task, total=1, completed=1, refresh=True)
    return results


# Over HTTP -------------------------------------------------------------------------------------


def _free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class _Client:
    """Sequential GETs on one keep-alive connection, reopened when the server closes it."""

    def __init__(self, port: int):
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)

    def get(self, path: str) -> tuple[int, bytes]:
        for attempt in (1, 2):
            try:
                self.connection.request("GET", path, headers={"Accept": "application/json"})
                response = self.connection.getresponse()
                body = response.read()
                if response.getheader("Connection", "").lower() == "close":
                    self.connection.close()
                return response.status, body
            except (ConnectionError, http.client.HTTPException):
                self.connection.close()
                if attempt == 2:
                    raise
        raise AssertionError("unreachable")


@contextlib.contextmanager
def _server(
    data_dir: Path,
    port: int,
    log,
    environment: dict | None = None,
    starter_data=False,
    database_url: str = "",
):
    """``mercuryhub serve`` as in production (``environment``: the production environment of
    ``data_dir`` and ``database_url`` unless given), stopped gracefully on leaving."""
    command = [
        sys.executable,
        "-m",
        "mercuryhub.cli",
        "serve",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--workers",
        "2",
    ]
    if not starter_data:
        command.append("--no-starter-data")
    process = subprocess.Popen(  # noqa: S603 - our own command, fixed arguments
        command,
        env=environment or _production_environment(data_dir, database_url),
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        yield process
    finally:
        process.send_signal(signal.SIGTERM)  # gunicorn's master: stops its workers gracefully
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _wait_for_routes(client: _Client, paths: dict[str, str], patience_s: float) -> dict[str, int]:
    """Each route's status once the server answers; retried while a route is still missing
    (the API may be in the making)."""
    deadline = time.monotonic() + patience_s
    while True:
        statuses = {}
        for name, path in paths.items():
            try:
                statuses[name] = client.get(path)[0]
            except (ConnectionError, http.client.HTTPException, TimeoutError):
                statuses[name] = 0
        if all(status == 200 for status in statuses.values()) or time.monotonic() > deadline:
            return statuses
        time.sleep(5)


def _measure_http(data_dir: Path, workload: dict, progress, patience_s: float) -> dict:
    port = _free_port()
    log_path = data_dir / "gunicorn.log"
    # What each measure requests for an input of the workload. "floor" is a cheap route (seven
    # terms from the reference data): the cost of any request, from client to view and back.
    paths = {
        "floor": ("search", lambda item: "/api/v1/taxonomy/management-phases"),
        "search": (
            "search",
            lambda item: "/api/v1/search?" + urllib.parse.urlencode({"q": item["q"]}),
        ),
        # The web page a person sees (its filter panel comes after it when there are many
        # results), and that panel.
        "search_page": (
            "search",
            lambda item: "/catalogue/search/?" + urllib.parse.urlencode({"q": item["q"]}),
        ),
        "search_page_filters": (
            "search",
            lambda item: "/catalogue/search/facets/?" + urllib.parse.urlencode({"q": item["q"]}),
        ),
        "nearest": (
            "nearest",
            lambda item: (
                "/api/v1/facilities/nearest?"
                + urllib.parse.urlencode(
                    {"lat": item["lat"], "lon": item["lon"], "waste": item["waste"], "limit": 10}
                )
            ),
        ),
    }
    results: dict = {"port": port, "workers": 2}
    environment = {**_production_environment(data_dir), **FIRST_ASKED}
    with log_path.open("wb") as log, _server(data_dir, port, log, environment) as process:
        client = _Client(port)
        probes = {name: make(workload[items][0]) for name, (items, make) in paths.items()}
        statuses = _wait_for_routes(client, probes, patience_s)
        results["route_status"] = statuses
        if process.poll() is not None:
            results["error"] = f"the server stopped; see {log_path}"
            return results
        for name, (items, make) in paths.items():
            if statuses[name] != 200:
                results[name] = {"skipped": f"GET {probes[name]} answered {statuses[name]}"}
                continue
            task = progress.add_task(f"HTTP {name}", total=None)

            def call(item, make=make):
                status, body = client.get(make(item))
                if status != 200:
                    raise RuntimeError(f"GET {make(item)} answered {status}: {body[:200]!r}")
                return len(body)

            results[name] = _timed(call, workload[items], warm_up=40)
            results[name]["median_result_size"] = f"{results[name]['median_result_size']} bytes"
            progress.update(task, total=1, completed=1, refresh=True)
    return results


# Report --------------------------------------------------------------------------------------


def results_file(name: str) -> Path:
    """bench/results/<name>-<date and time to the minute>.json: one file per run."""
    return RESULTS_DIR / f"{name}-{datetime.now(tz=UTC):%Y-%m-%dT%H%M}.json"


def write_results(output: Path, report: dict, table: str) -> None:
    """The report as JSON in ``output`` and its table as Markdown beside it (``.md``)."""
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(json.dumps(report, indent=2, ensure_ascii=False, default=str) + "\n")
    output.with_suffix(".md").write_text(table)


def commit() -> str:
    """The commit of the checkout the benchmark runs from, as results record it."""
    return subprocess.run(  # noqa: S603 - a fixed git command
        ["git", "-C", str(BENCH_DIR), "rev-parse", "--short", "HEAD"],  # noqa: S607
        capture_output=True,
        text=True,
        check=False,
    ).stdout.strip()


def _machine() -> dict:
    def run(*command):
        try:
            return subprocess.run(  # noqa: S603 - fixed commands (nproc, free)
                command, capture_output=True, text=True, check=False
            ).stdout
        except OSError:
            return ""

    model = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor(),
    )
    memory = next(
        (line.split()[1] for line in run("free", "-g").splitlines() if line.startswith("Mem:")), ""
    )
    return {
        "cpus": os.cpu_count(),
        "nproc": run("nproc").strip(),
        "cpu_model": model,
        "memory_gb": memory,
        "sqlite": sqlite3.sqlite_version,
        "python": platform.python_version(),
        "platform": platform.platform(),
    }


def _dataset() -> dict:
    from mercuryhub.catalogue.models import Expert, Facility
    from mercuryhub.search.models import SearchEntry, SearchWord

    return {
        "facilities": Facility.objects.filter(published=True).count(),
        "experts": Expert.objects.filter(published=True, consent_to_publication=True).count(),
        "facility_waste_links": Facility.accepted_wastes.through.objects.count(),
        "search_entries": SearchEntry.objects.count(),
        "title_words": SearchWord.objects.count(),
    }


def _markdown(report: dict, targets: dict[str, float] = TARGETS_MS) -> str:
    """The latency table of docs/performance.md: every measure, then each kind of input."""
    lines = [
        "| measure | inputs | p50 | p95 | p99 | max | CPU p95 | target p95 | met |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |",
    ]
    for where, label in (("in_process", "in-process"), ("http", "HTTP")):
        for name, summary in (report.get(where) or {}).items():
            if not isinstance(summary, dict) or "p95" not in summary:
                continue
            target = targets.get(name)
            by_class = summary["by_class"].items() if name != "floor" else []
            rows = [("all", summary), *by_class]
            for inputs, figures in rows:
                met = "–"
                if target and inputs == "all":
                    met = "yes" if figures["p95"] < target else "**no**"
                cpu = (
                    summary["cpu_ms"]["p95"] if inputs == "all" and where == "in_process" else None
                )
                lines.append(
                    f"| {label} {name.replace('_', ' ')} | {inputs} ({figures['n']})"
                    f" | {figures['p50']:.1f} | {figures['p95']:.1f} | {figures['p99']:.1f}"
                    f" | {figures['max']:.1f} | {'' if cpu is None else f'{cpu:.1f}'}"
                    f" | {f'{target:.0f}' if target and inputs == 'all' else ''} | {met} |"
                )
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--facilities", type=int, default=100_000)
    parser.add_argument("--experts", type=int, default=20_000)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--data-dir", type=Path, default=DEFAULT_DATA_DIR)
    parser.add_argument("--skip-http", action="store_true", help="In-process measurements only")
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="Measure the bench database already in --data-dir instead of generating it again",
    )
    parser.add_argument(
        "--generate-only", action="store_true", help="Generate the dataset, measure nothing"
    )
    parser.add_argument(
        "--wait-for-api",
        type=float,
        default=300,
        help="Seconds to wait for the API routes to answer 200 (default 300)",
    )
    parser.add_argument("--output", type=Path, help="JSON results file (default bench/results/)")
    args = parser.parse_args(argv)
    if args.queries < 20:
        parser.error("--queries must be at least 20")

    data_dir = args.data_dir.resolve()
    generated = _claim_data_dir(data_dir, args)
    os.environ.update(_production_environment(data_dir))
    os.environ.pop("DATABASE_URL", None)

    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )

    database = Path(settings.DATABASES["default"]["NAME"])
    if database.parent != data_dir:  # never anything but the bench database
        sys.exit(f"Refusing to run on {database}: expected a database in {data_dir}")

    console = Console()
    report: dict = {
        "date": datetime.now(tz=UTC).isoformat(timespec="seconds"),
        "machine": _machine(),
        "arguments": {
            "facilities": args.facilities,
            "experts": args.experts,
            "queries": args.queries,
            "seed": SEED,
            "reused_dataset": generated is not None,
        },
        "settings": {"debug": False},
        "targets_p95_ms": TARGETS_MS,
    }
    columns = (
        TextColumn("{task.description:<22}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        TimeRemainingColumn(),
    )
    # No refresh thread: it would take the GIL from the code being timed. Bars move on updates.
    with Progress(*columns, console=console, auto_refresh=False) as progress:
        started = time.perf_counter()
        call_command("migrate", interactive=False, verbosity=0)  # the code may have moved on
        if generated is None:
            call_command("load_reference_data", verbosity=0)
            timings = {"migrate_and_reference_data_s": time.perf_counter() - started}
            timings.update(_generate(args, progress))
            timings["indexing_s"] = _build_index(progress)
            with connection.cursor() as cursor:
                cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            generated = {
                "note": "Synthetic data of bench/catalogue.py",
                "facilities": args.facilities,
                "experts": args.experts,
                "seed": SEED,
                "generated_at": report["date"],
                "timings_s": {k: round(v, 1) for k, v in timings.items()},
            }
            (data_dir / MARKER).write_text(json.dumps(generated, indent=2) + "\n")
        report["generation"] = generated
        report["dataset"] = _dataset()
        report["database_mb"] = round(database.stat().st_size / 1e6, 1)
        if args.generate_only:
            console.print(json.dumps(report, indent=2))
            return 0
        workload = _workload(args.queries)
        report["load_average"] = {"before": os.getloadavg()}
        with production_settings():
            report["in_process"] = _measure_in_process(workload, progress)
        if not args.skip_http:
            report["http"] = _measure_http(data_dir, workload, progress, args.wait_for_api)
        report["load_average"]["after"] = os.getloadavg()

    table = _markdown(report)
    print(table)
    output = args.output or results_file("catalogue")
    write_results(output, report, table)
    console.print(f"Results: {output} (table: {output.with_suffix('.md')})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
