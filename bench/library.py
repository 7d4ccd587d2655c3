"""Library benchmark: search across every kind, the catalogue's and the knowledge library's.

Generates, into a SQLite database of its own, the catalogue of bench/catalogue.py (N facilities,
M experts) and R published resources, a tenth of them with an uploaded document whose extracted
text is 20 pages of about 3,000 characters (fixed seed), builds the search index as the platform
does, then times, after a warm-up, a mix of queries:

- ``cross type``: ``search.engine.ranked(q, every registered kind)``, the first page of 20, and
  when nothing matches the typo correction and the corrected search, as the search pages do;
- ``library``: the same over resources and case studies only;
- ``catalogue search``: ``catalogue.queries.search(AnonymousUser(), Filters(q=...))`` (facilities,
  offerings and experts; no target: for comparison with bench/catalogue.py).

Usage (from the repository root):

    mercuryhub bench library [--facilities 100000] [--experts 20000] [--resources 100000]
                             [--queries 200] [--data-dir /tmp/mercuryhub-bench-library]
                             [--reuse] [--generate-only] [--output FILE]
    python bench/library.py  (the same options)

Raw figures go to bench/results/library-<date>T<hhmm>.json.
"""

import argparse
import hashlib
import itertools
import json
import os
import random
import sys
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from bench import catalogue as base  # noqa: E402 - the catalogue's generator and measures

DEFAULT_DATA_DIR = Path("/tmp/mercuryhub-bench-library")  # noqa: S108 - a scratch directory
SEED = base.SEED + 10  # the library's own draws; the catalogue keeps its seed
TARGETS_MS = {"cross_type": 50.0, "matching": 100.0}
DOCUMENT_SHARE = 10  # one resource in ten has an uploaded document
PAGES, PAGE_CHARACTERS = 20, 3_000

# Words of guidance documents on mercury, its waste and artisanal gold mining, besides the
# catalogue's domain words.
LIBRARY_WORDS = (  # noqa: SIM905 - a word list reads best as text
    "artisanal small scale gold mining miners concentrate whole ore cyanide leaching sluice "
    "panning borax gravity shaking table fume hood emissions releases inventory toolkit guidance "
    "national action plan baseline estimate exposure health women children vapour burning "
    "cupellation processing centre community cooperative formalization licensing trader "
    "buyer dealer supply chain import export control phase down phase out dental amalgam "
    "separator wastewater sediment contaminated site remediation monitoring biomarker hair "
    "urine blood fish methylmercury bioaccumulation environmentally sound management interim "
    "storage disposal hazardous waste transboundary movement convention article annex "
    "reporting obligation stakeholder consultation workshop training module case study lesson "
    "indicator budget financing"
).split()
# Words of running text, the most frequent of any document.
FUNCTION_WORDS = (  # noqa: SIM905 - a word list reads best as text
    "the of and to in for with on by is are that this as be from at an or which it were was "
    "has have not their its these such should may can also other all more than been into"
).split()
RESOURCE_TITLES = (
    "{D} guidance on {d} and {d}",
    "Technical guidelines for the {d} of {d} waste",
    "{R} toolkit: {d} {d} in {r}",
    "{D} {d} factsheet",
    "Training module on {d} {d} for {r} miners",
    "Report on {d} {d} in the {R} region",
    "{D} and {d}: lessons from {R}",
)
_DOCUMENT_SYLLABLES = (  # noqa: SIM905 - words of documents only: not those of the catalogue
    "bex cof dax eph gux hib jok kyl mox nuv pyr qab rux syb tox vyk wax xel yub zeb"
).split()


def _document_words(rng: random.Random, count: int) -> list[str]:
    found: dict[str, None] = {}
    while len(found) < count:
        found["".join(rng.choices(_DOCUMENT_SYLLABLES, k=rng.choice((3, 3, 4))))] = None
    return list(found)


class _Library:
    """Resource titles, summaries and document texts drawn from one seeded generator."""

    def __init__(self, rng: random.Random, corpus):
        self.rng, self.corpus = rng, corpus
        self.topical = [*base.DOMAIN_WORDS, *LIBRARY_WORDS]
        self.document_only = _document_words(rng, 5_000)
        # Running text: function words most often, then topical words, then the rare words of
        # the catalogue and words found in documents only; Zipf-like weights within each part.
        vocabulary = [
            *FUNCTION_WORDS,
            *self.topical,
            *corpus.rare[:5_000],
            *self.document_only,
        ]
        weights = [
            *(40.0 / (rank + 1) for rank in range(len(FUNCTION_WORDS))),
            *(8.0 / (rank + 1) ** 0.5 for rank in range(len(self.topical))),
            *(1.0 / (rank + 1) for rank in range(5_000)),
            *(1.0 / (rank + 1) for rank in range(len(self.document_only))),
        ]
        self.vocabulary = vocabulary
        self.cumulative = list(itertools.accumulate(weights))
        self.average_length = sum(
            (len(w) + 1) * wt for w, wt in zip(vocabulary, weights, strict=True)
        ) / sum(weights)

    def title(self) -> str:
        rng = self.rng
        template = rng.choice(RESOURCE_TITLES)
        text = template.replace("{D}", rng.choice(self.topical).capitalize())
        text = text.replace("{R}", self.corpus.word().capitalize())
        while "{d}" in text or "{r}" in text:
            text = text.replace("{d}", rng.choice(self.topical), 1)
            text = text.replace("{r}", self.corpus.word(), 1)
        return text

    def summary(self) -> str:
        return self.corpus.description()

    def pages(self, count: int) -> str:
        """``count`` pages of running text, each about PAGE_CHARACTERS long."""
        rng, per_page = self.rng, int(PAGE_CHARACTERS / self.average_length)
        pages = []
        for _ in range(count):
            page = rng.choices(self.vocabulary, cum_weights=self.cumulative, k=per_page)
            for i in range(0, per_page, rng.randint(11, 19)):
                page[i] = page[i].capitalize()
                if i:
                    page[i - 1] += "."
            pages.append(" ".join(page) + ".")
        return "\n\f".join(pages)


def _generate_library(args, progress) -> dict[str, float]:
    from django.db import transaction

    from mercuryhub.library.models import DocumentFile, Resource
    from mercuryhub.review.models import ReviewState
    from mercuryhub.taxonomy.models import Language, Term

    rng = random.Random(SEED)
    library = _Library(rng, base._Corpus(random.Random(base.SEED)))
    terms = {
        name: list(Term.objects.filter(vocabulary__name=name).order_by("pk"))
        for name in (
            "resource_kinds",
            "audiences",
            "waste_categories",
            "management_phases",
            "support_types",
            "nap_elements",
            "partnership_areas",
        )
    }
    un_languages = list(Language.objects.filter(is_un_language=True).order_by("code"))
    today = date(2026, 12, 1)
    tags = {  # field: (vocabulary, fewest, most)
        "audiences": ("audiences", 1, 2),
        "waste_categories": ("waste_categories", 1, 3),
        "phases": ("management_phases", 0, 2),
        "support_types": ("support_types", 0, 2),
        "nap_elements": ("nap_elements", 0, 2),
        "partnership_areas": ("partnership_areas", 0, 1),
    }
    started = time.perf_counter()
    task = progress.add_task("Resources", total=args.resources)
    for start in range(0, args.resources, 2000):
        numbers = range(start, min(start + 2000, args.resources))
        with transaction.atomic():
            documents = {}
            for i in numbers:
                if i % DOCUMENT_SHARE == DOCUMENT_SHARE - 1:
                    text = library.pages(PAGES)
                    documents[i] = DocumentFile(
                        file=f"library/2026/12/bench-{i}.pdf",
                        original_name=f"bench-{i}.pdf",
                        file_type=DocumentFile.FileType.PDF,
                        size=len(text) * 3,
                        sha256=hashlib.sha256(f"bench-{i}".encode()).hexdigest(),
                        page_count=PAGES,
                        text=text,
                        extraction=DocumentFile.Extraction.DONE,
                        progress=100,
                    )
            DocumentFile.objects.bulk_create(documents.values(), batch_size=200)
            batch = [
                Resource(
                    external_id=f"bench-resource-{i}",
                    name=library.title(),
                    description=library.summary(),
                    kind=rng.choice(terms["resource_kinds"]),
                    document=documents.get(i),
                    publisher=f"{library.corpus.word().capitalize()} Programme",
                    year=rng.randint(2000, 2026),
                    published=True,
                    review_state=ReviewState.IMPORTED,
                    last_confirmed_at=today - timedelta(days=rng.randint(0, 1500)),
                )
                for i in numbers
            ]
            Resource.objects.bulk_create(batch, batch_size=1000)
            for field, (vocabulary, fewest, most) in tags.items():
                through = getattr(Resource, field).through
                through.objects.bulk_create(
                    [
                        through(resource_id=resource.pk, term_id=term.pk)
                        for resource in batch
                        for term in rng.sample(terms[vocabulary], k=rng.randint(fewest, most))
                    ],
                    batch_size=5000,
                )
            through = Resource.languages.through
            through.objects.bulk_create(
                [
                    through(resource_id=resource.pk, language_id=language.pk)
                    for resource in batch
                    for language in rng.sample(un_languages, k=rng.choice((1, 1, 2)))
                ],
                batch_size=5000,
            )
        progress.update(task, advance=len(batch), refresh=True)
    generation = time.perf_counter() - started

    from mercuryhub.review import registry
    from mercuryhub.review.indexing import do_reindex_kind

    started = time.perf_counter()
    task = progress.add_task("Index resource", total=args.resources)
    do_reindex_kind(
        registry.get("resource"),
        batch_size=500,
        progress=lambda done: progress.update(task, completed=done, refresh=True),
    )
    return {"library_generation_s": generation, "library_indexing_s": time.perf_counter() - started}


# Measuring -------------------------------------------------------------------------------------

QUERY_CLASSES = (
    "one common word",
    "rare word",
    "two words",
    "word of document text only",
    "typo",
)


def _typo(rng: random.Random, word: str) -> str:
    i = rng.randrange(1, len(word) - 1)
    if rng.random() < 0.5:
        return word[:i] + word[i + 1 :]  # a letter left out
    return word[:i] + word[i + 1] + word[i] + word[i + 2 :]  # two letters swapped


def _workload(count: int) -> list[dict]:
    """The queries, the same for every run: a fifth of each class, in turn."""
    from django.db import connection

    from mercuryhub.catalogue.models import Facility
    from mercuryhub.library.models import Resource
    from mercuryhub.search.words import words

    rng = random.Random(SEED + 1)
    library = _Library(random.Random(SEED), base._Corpus(random.Random(base.SEED)))
    titles = list(Facility.objects.order_by("pk").values_list("name", flat=True)[:1000]) + list(
        Resource.objects.order_by("pk").values_list("name", flat=True)[:1000]
    )
    topical = sorted(set(library.topical))
    rare_in_titles = sorted(
        {w for title in titles for w in words(title) if w not in topical and len(w) >= 6}
    )
    # Words of the document texts that no title, tag or summary holds: found by the index.
    with connection.cursor() as cursor:
        only_in_documents = [
            w
            for w in library.document_only[:400]
            if _count(cursor, "search_fts", f'"{w}"*') == 0
            and _count(cursor, "search_attachment_fts", f'{{attachment}}: "{w}"*')
        ]
    queries = []
    for i in range(count):
        kind = QUERY_CLASSES[i % len(QUERY_CLASSES)]
        if kind == "one common word":
            q = rng.choice(topical)
        elif kind == "rare word":
            q = rng.choice(rare_in_titles)
        elif kind == "two words":
            q = " ".join(rng.sample(topical, k=2))
        elif kind == "word of document text only":
            q = rng.choice(only_in_documents)
        else:
            q = _typo(rng, rng.choice(rare_in_titles))
        queries.append({"q": q, "class": kind})
    return queries


NEED_CLASSES = ("subject and country", "words only", "full need", "country only")


def _needs(count: int) -> list[dict]:
    """Needs for the matching engine, the same for every run: a quarter of each class."""
    from mercuryhub.taxonomy.models import Country, Language, Term

    rng = random.Random(SEED + 2)
    library = _Library(random.Random(SEED), base._Corpus(random.Random(base.SEED)))
    topical = sorted(set(library.topical))
    codes = {
        name: sorted(
            Term.objects.filter(vocabulary__name=vocabulary).values_list("code", flat=True)
        )
        for name, vocabulary in (
            ("waste_categories", "waste_categories"),
            ("phases", "management_phases"),
            ("support_types", "support_types"),
        )
    }
    countries = sorted(Country.objects.values_list("iso3", flat=True))
    languages = sorted(Language.objects.filter(is_un_language=True).values_list("code", flat=True))
    needs = []
    for i in range(count):
        kind = NEED_CLASSES[i % len(NEED_CLASSES)]
        title = " ".join(rng.sample(topical, k=3))
        need: dict = {}
        if kind == "subject and country":
            need = {
                "waste_categories": rng.sample(codes["waste_categories"], k=rng.choice((1, 2))),
                "country": rng.choice(countries),
            }
        elif kind == "words only":
            need = {"title": title, "description": " ".join(rng.sample(topical, k=8))}
        elif kind == "full need":
            need = {
                "title": title,
                "description": " ".join(rng.sample(topical, k=12)),
                "country": rng.choice(countries),
                "waste_categories": rng.sample(codes["waste_categories"], k=1),
                "phases": rng.sample(codes["phases"], k=1),
                "support_types": rng.sample(codes["support_types"], k=1),
                "languages": rng.sample(languages, k=1),
            }
        else:
            need = {"country": rng.choice(countries)}
        needs.append({"need": need, "class": kind})
    return needs


def _measure_matching(needs: list[dict], progress) -> dict:
    from mercuryhub.exchange.matching import top_matches
    from mercuryhub.exchange.profiles import profile_from_data

    task = progress.add_task("In-process matching", total=None)
    timed = base._timed(
        lambda item: len(top_matches(profile_from_data(item["need"]), limit=10)), needs
    )
    progress.update(task, total=1, completed=1, refresh=True)
    return timed


def _count(cursor, table: str, expression: str) -> int:
    cursor.execute(
        f"SELECT count(*) FROM {table} WHERE {table} MATCH %s",  # noqa: S608 - a fixed name
        [expression],
    )
    return cursor.fetchone()[0]


def _measure(queries: list[dict], progress) -> dict:
    from django.contrib.auth.models import AnonymousUser

    from mercuryhub.catalogue import queries as catalogue_queries
    from mercuryhub.review import registry
    from mercuryhub.search import engine, text

    every_kind = sorted(kind.name for kind in registry.kinds())
    library_kinds = ["case_study", "resource"]

    def ranked(q, kinds):  # as the search pages: a correction when nothing matches
        found, total = engine.ranked(q, kinds, limit=20)
        if total == 0:
            corrected = text.corrected_query(q)
            if corrected:
                found, total = engine.ranked(corrected, kinds, limit=20)
        return total

    anonymous = AnonymousUser()
    results = {"kinds": every_kind}
    for name, call in (
        ("cross_type", lambda item: ranked(item["q"], every_kind)),
        ("library", lambda item: ranked(item["q"], library_kinds)),
        (
            "catalogue_search",
            lambda item: (
                catalogue_queries.search(anonymous, catalogue_queries.Filters(q=item["q"])).total
            ),
        ),
    ):
        task = progress.add_task(f"In-process {name}", total=None)
        with base.first_asked():
            results[name] = base._timed(call, queries)
        progress.update(task, total=1, completed=1, refresh=True)
    return results


def _dataset() -> dict:
    from mercuryhub.library.models import DocumentFile, Resource

    found = base._dataset()
    found["resources"] = Resource.objects.filter(published=True).count()
    found["documents"] = DocumentFile.objects.count()
    found["document_text_mb"] = round(
        sum(len(t) for t in DocumentFile.objects.values_list("text", flat=True).iterator()) / 1e6,
        1,
    )
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--facilities", type=int, default=100_000)
    parser.add_argument("--experts", type=int, default=20_000)
    parser.add_argument("--resources", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--data-dir", type=Path, default=DEFAULT_DATA_DIR)
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="Measure the bench database already in --data-dir instead of generating it again",
    )
    parser.add_argument(
        "--generate-only", action="store_true", help="Generate the dataset, measure nothing"
    )
    parser.add_argument("--output", type=Path, help="JSON results file (default bench/results/)")
    args = parser.parse_args(argv)
    if args.queries < 20:
        parser.error("--queries must be at least 20")

    data_dir = args.data_dir.resolve()
    sizes = {"resources": args.resources, "library_seed": SEED}
    generated = base._claim_data_dir(data_dir, args, sizes)
    os.environ.update(base._production_environment(data_dir))
    os.environ.pop("DATABASE_URL", None)

    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    database = Path(settings.DATABASES["default"]["NAME"])
    if database.parent != data_dir:  # never anything but the bench database
        sys.exit(f"Refusing to run on {database}: expected a database in {data_dir}")

    console = Console()
    report: dict = {
        "date": datetime.now(tz=UTC).isoformat(timespec="seconds"),
        "commit": base.commit(),
        "machine": base._machine(),
        "arguments": {
            "facilities": args.facilities,
            "experts": args.experts,
            "resources": args.resources,
            "queries": args.queries,
            "seed": base.SEED,
            "library_seed": SEED,
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
    )
    with Progress(*columns, console=console, auto_refresh=False) as progress:
        started = time.perf_counter()
        call_command("migrate", interactive=False, verbosity=0)
        if generated is None:
            call_command("load_reference_data", verbosity=0)
            timings = {"migrate_and_reference_data_s": time.perf_counter() - started}
            timings.update(base._generate(args, progress))
            timings["indexing_s"] = base._build_index(progress)
            timings.update(_generate_library(args, progress))
            with connection.cursor() as cursor:
                cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            generated = {
                "note": "Synthetic data of bench/library.py",
                "facilities": args.facilities,
                "experts": args.experts,
                "seed": base.SEED,
                **sizes,
                "generated_at": report["date"],
                "timings_s": {k: round(v, 1) for k, v in timings.items()},
            }
            (data_dir / base.MARKER).write_text(json.dumps(generated, indent=2) + "\n")
        report["generation"] = generated
        report["dataset"] = _dataset()
        report["database_mb"] = round(database.stat().st_size / 1e6, 1)
        if args.generate_only:
            console.print(json.dumps(report, indent=2))
            return 0
        queries = _workload(args.queries)
        report["load_average"] = {"before": os.getloadavg()}
        with base.production_settings():
            report["in_process"] = _measure(queries, progress)
            report["in_process"]["matching"] = _measure_matching(_needs(args.queries), progress)
        report["load_average"]["after"] = os.getloadavg()

    table = base._markdown(report, TARGETS_MS)
    print(table)
    output = args.output or base.results_file("library")
    base.write_results(output, report, table)
    console.print(f"Results: {output} (table: {output.with_suffix('.md')})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
