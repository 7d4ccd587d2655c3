"""The benchmarks' generators and measures still run, at a tiny size: their figures are taken by
hand (bench/README.md), never in the test run, but the command must not rot between two runs."""

import importlib.util
import json
import os
import subprocess
import sys
from pathlib import Path

import psycopg
import pytest

# The scale benchmark's list of costs and shares, from the checkout (bench/ is not a package of
# the platform).
_spec = importlib.util.spec_from_file_location(
    "bench_scale", Path(__file__).resolve().parents[2] / "bench" / "scale.py"
)
scale = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(scale)

# The benchmarks run on a scratch SQLite database of their own, whatever DATABASE_URL says; the
# scale benchmark on PostgreSQL too, on a database of its own on DATABASE_URL's server.
embedded_sqlite = pytest.mark.embedded_sqlite


@embedded_sqlite
def test_the_library_benchmark_generates_and_measures_a_tiny_dataset(tmp_path):
    data_dir, output = tmp_path / "bench", tmp_path / "library.json"
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "mercuryhub.cli",
            "bench",
            "library",
            "--facilities=40",
            "--experts=10",
            "--resources=50",
            "--queries=20",
            f"--data-dir={data_dir}",
            f"--output={output}",
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr[-4000:]

    report = json.loads(output.read_text())
    dataset = report["dataset"]
    assert (dataset["facilities"], dataset["experts"], dataset["resources"]) == (40, 10, 50)
    assert dataset["documents"] == 5  # a tenth of the resources, each with 20 pages of text
    assert dataset["document_text_mb"] > 0.25
    assert dataset["search_entries"] == 100
    measured = report["in_process"]
    assert {"resource", "case_study", "facility", "expert"} <= set(measured["kinds"])
    for name in ("cross_type", "library", "catalogue_search"):
        assert measured[name]["n"] == 20
    assert set(measured["cross_type"]["by_class"]) == {
        "one common word",
        "rare word",
        "two words",
        "word of document text only",
        "typo",
    }
    assert output.with_suffix(".md").read_text().startswith("| measure |")


@embedded_sqlite
def test_the_asgm_benchmark_generates_and_measures_a_tiny_country(tmp_path, monkeypatch):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    data_dir, output = tmp_path / "bench", tmp_path / "asgm.json"
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "mercuryhub.cli",
            "bench",
            "asgm",
            "--sites=200",
            "--runs=2",
            f"--data-dir={data_dir}",
            f"--output={output}",
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr[-4000:]

    report = json.loads(output.read_text())
    assert report["dataset"]["sites"] == 200
    assert report["database"].startswith("SQLite")
    measured = report["measures"]
    assert measured["overview(), unfiltered"]["sites"] == 200
    assert 0 < measured["overview(), worst practice"]["sites"] < 200
    assert measured["sites.json, anonymous"]["bytes"] > 200 * 40
    assert all(found["n"] == 2 for found in measured.values())
    assert {"overview page, member", "sites.json, member"} <= set(measured)
    assert output.with_suffix(".md").read_text().startswith("# ASGM benchmark")


def _run_scale(tmp_path, engine: str, sizes: str, *options: str) -> dict | None:
    output = tmp_path / "scale.json"
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "mercuryhub.cli",
            "bench",
            "scale",
            f"--engine={engine}",
            f"--sizes={sizes}",
            "--queries=20",
            "--runs=1",
            "--submissions=4",
            "--clients=2",
            "--seconds=1",
            f"--data-dir={tmp_path / 'bench'}",
            f"--output={output}",
            *options,
        ],
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert result.returncode == 0, result.stderr[-4000:]
    return json.loads(output.read_text()) if output.exists() else None


WHOLE_CATALOGUE = {"facilities GeoJSON p95", "catalogue CSV export"}


def _check_every_cost_measured(report: dict, size: int, *, whole_catalogue: bool = True) -> dict:
    run = next(found for found in report["runs"] if found["size"] == size)
    counts = run["dataset"]["counts"]
    assert counts == {name: max(1, round(size * share)) for name, share in scale.SHARES.items()}
    for name, _unit, where in scale.COSTS:
        measured = scale._value(run, where) is not None
        assert measured == (whole_catalogue or name not in WHOLE_CATALOGUE), name
    assert run["ranking_index"]["entries"] > 0
    assert run["http"]["openrosa"]["errors"] == 0
    assert run["http"]["openrosa"]["submissions"] == 4
    throughput = run["http"]["throughput"]
    assert throughput["search"]["errors"] == throughput["trivial"]["errors"] == 0
    assert throughput["search_new"]["errors"] == throughput["search_new"]["repeated"] == 0
    assert len(throughput["ratio_per_turn"]) == scale.THROUGHPUT_TURNS
    assert len(throughput["ratio_new_per_turn"]) == scale.THROUGHPUT_TURNS
    for name in ("search", "search_new", "trivial"):
        turns = throughput[name]["per_second_per_turn"]
        assert min(turns) <= throughput[name]["per_second"] <= max(turns)
    memory = run["http"]["worker_rss_mb"]
    assert len(memory["workers"]) == len(memory["own"]) == 2
    assert 0 < memory["own_max"] <= memory["max"]
    if whole_catalogue:
        assert run["export"]["rows"] == counts["facilities"]
    else:
        assert run["export"] == {"skipped": "--skip-whole-catalogue"}
    assert run["pages"]["national overview"]["result"] == counts["sites"]
    for suite in scale.OTHER_MEASURES:
        assert suite in run["other_suites"]
    return run


@embedded_sqlite
def test_the_scale_benchmark_measures_every_cost_at_a_tiny_size_on_sqlite(tmp_path, monkeypatch):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    # Generated first and measured later, as a million records are (--generate-only, --reuse).
    assert _run_scale(tmp_path, "sqlite", "20", "--generate-only") is None
    generated = json.loads((tmp_path / "bench" / "20" / scale.base.MARKER).read_text())
    assert generated["counts"]["facilities"] == 14
    report = _run_scale(tmp_path, "sqlite", "20", "--reuse", "--warm-up=2.5")

    run = _check_every_cost_measured(report, 20)
    assert 2.5 <= run["http"]["warm_up"]["seconds"] < 4  # not the 1 s of --seconds
    assert run["http"]["warm_up"]["requests"] > 0
    assert run["dataset"] == generated
    assert run["database"].startswith("SQLite")
    assert (tmp_path / "bench" / "20" / "mercuryhub.sqlite3").exists()
    table = (tmp_path / "scale.md").read_text()
    assert table.startswith("# Scale benchmark, sqlite")
    assert "| search p95 | ms | " in table
    assert (tmp_path / "scale.svg").read_text().startswith("<svg")


def test_the_scale_report_gives_each_cost_by_size_its_growth_and_a_line_per_cost():
    def run(size, factor):
        found = {"size": size, "database": "SQLite 3"}
        found["load_average"] = {"before": [1.5, 1, 1], "after": [2.0, 1, 1]}
        for number, (_name, _unit, where) in enumerate(scale.COSTS):
            place = found
            for key in where[:-1]:
                place = place.setdefault(key, {})
            place[where[-1]] = float(number + 1) * factor
        return found

    report = {
        "engine": "sqlite",
        "date": "2026-12-04T13:00:00+00:00",
        "commit": "abc1234",
        "machine": {"nproc": "2", "cpus": 2, "cpu_model": "EPYC", "memory_gb": "23", "python": "3"},
        "runs": [run(10_000, 1), run(100_000, 3)],
    }

    table = scale._markdown(report)
    assert "| cost | unit | 10,000 | 100,000 | growth |" in table
    assert "| search p50 | ms | 1.0 | 3.0 | ×3.00 |" in table
    assert "10,000: 1.5 before, 2.0 after; 100,000: 1.5 before, 2.0 after" in table
    chart = scale._svg(report)
    latencies = [name for name, unit, _where in scale.COSTS if unit == "ms"]
    assert chart.count("<polyline") == len(latencies)
    assert all(f">{name}</text>" in chart for name in latencies)
    assert ">1,000,000</text>" in chart  # the axis reaches the sizes not measured yet


@pytest.mark.skipif(
    not os.environ.get("DATABASE_URL", "").startswith("postgres"),
    reason="PostgreSQL: needs DATABASE_URL naming a server",
)
def test_the_scale_benchmark_measures_every_cost_on_a_postgresql_database_of_its_own(tmp_path):
    # The benchmark keeps its database for --reuse; the test leaves nothing on the server.
    database = scale._database_url("postgresql", 30)
    admin = database.rsplit("/", 1)[0] + "/postgres"
    try:
        report = _run_scale(tmp_path, "postgresql", "30", "--skip-whole-catalogue")
    finally:
        with psycopg.connect(admin, autocommit=True) as server:
            server.execute(f"DROP DATABASE IF EXISTS {database.rsplit('/', 1)[1]} WITH (FORCE)")

    run = _check_every_cost_measured(report, 30, whole_catalogue=False)
    assert run["database"].startswith("PostgreSQL")
    assert (tmp_path / "scale.md").read_text().startswith("# Scale benchmark, postgresql")


def _run_import(tmp_path, engine: str) -> dict:
    output = tmp_path / "import.json"
    command = [sys.executable, "-m", "mercuryhub.cli", "bench", "import", f"--engine={engine}"]
    command += ["--rows=15,30", f"--data-dir={tmp_path / 'bench'}", f"--output={output}"]
    result = subprocess.run(command, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr[-4000:]
    report = json.loads(output.read_text())
    # Each size into a fresh database: exactly its rows, each facility with its history (its
    # creation, then a record per set of links) and found by search, as its operators are.
    assert [run["rows"] for run in report["runs"]] == [15, 30]
    for run in report["runs"]:
        records = run["records"]
        assert records["facilities"] == run["rows"]
        assert records["facility_history"] >= 2 * run["rows"]
        assert records["search_entries"] == run["rows"] + records["organizations"]
        assert run["rows_per_s"] > 0 and run["ranking_index_after_s"] >= 0
    assert output.with_suffix(".md").read_text().startswith("| rows |")
    return report


@embedded_sqlite
def test_the_import_benchmark_imports_each_size_into_a_fresh_sqlite_database(tmp_path, monkeypatch):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    report = _run_import(tmp_path, "sqlite")

    assert report["engine"] == "sqlite"
    assert report["database"].startswith("SQLite")


@pytest.mark.skipif(
    not os.environ.get("DATABASE_URL", "").startswith("postgres"),
    reason="PostgreSQL: needs DATABASE_URL naming a server",
)
def test_the_import_benchmark_imports_into_a_postgresql_database_of_its_own(tmp_path):
    database = os.environ["DATABASE_URL"].rsplit("/", 1)[0] + "/mercuryhub_bench_import"
    try:
        report = _run_import(tmp_path, "postgresql")
    finally:
        with psycopg.connect(database.rsplit("/", 1)[0] + "/postgres", autocommit=True) as server:
            server.execute("DROP DATABASE IF EXISTS mercuryhub_bench_import WITH (FORCE)")

    assert report["engine"] == "postgresql"
    assert report["database"].startswith("PostgreSQL")
