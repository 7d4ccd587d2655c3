"""The benchmarks' generators and measures still run, at a tiny size: their figures are taken by
hand (bench/README.md), never in the test run, but the command must not rot between two runs."""

import json
import subprocess
import sys

import pytest

# The benchmarks run on a scratch SQLite database of their own, whatever DATABASE_URL says.
pytestmark = pytest.mark.embedded_sqlite


def test_the_library_benchmark_generates_and_measures_a_tiny_dataset(tmp_path):
    data_dir, output = tmp_path / "bench", tmp_path / "library.json"
    subprocess.run(
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
        check=True,
    )

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


def test_the_asgm_benchmark_generates_and_measures_a_tiny_country(tmp_path, monkeypatch):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    data_dir, output = tmp_path / "bench", tmp_path / "asgm.json"
    subprocess.run(
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
        check=True,
    )

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
