"""creative_clusters.testing: test and benchmark helpers live apart from the production readers."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from creative_clusters import testing
from creative_clusters.sources import companies_house

ROOT = Path(__file__).resolve().parents[1]


def test_the_companies_house_reader_exports_no_test_helpers():
    for name in ("peak_rss_mb", "write_synthetic_product"):
        assert name not in companies_house.__all__
        assert not hasattr(companies_house, name)
    assert testing.__all__ == ["write_synthetic_product"]


def test_synthetic_product_rows_say_synthetic(tmp_path):
    p = testing.write_synthetic_product(tmp_path / "SYNTHETIC_ch.csv", 1_200, chunk=500)
    t = companies_house.read_companies_house(p, status="all")
    assert t.attrs["rows_read"] == 1_200
    assert t["CompanyName"].str.startswith("SYNTHETIC COMPANY").all()
    assert (t["RegAddress.PostTown"] == "SYNTHETIC TOWN").all()
    assert sorted(f.name for f in tmp_path.iterdir()) == ["SYNTHETIC_ch.csv"]  # no temporary file left


def test_a_failed_write_leaves_the_old_file_and_no_partial_one(tmp_path, monkeypatch):
    p = tmp_path / "SYNTHETIC_ch.csv"
    p.write_text("the old file\n")
    real, calls = testing._companies, []

    def second_chunk_fails(*args, **kwargs):
        calls.append(1)
        if len(calls) == 2:
            raise OSError(28, "No space left on device")
        return real(*args, **kwargs)

    monkeypatch.setattr(testing, "_companies", second_chunk_fails)
    with pytest.raises(OSError, match="No space left"):
        testing.write_synthetic_product(p, 1_000, chunk=400)
    assert p.read_text() == "the old file\n"
    assert sorted(f.name for f in tmp_path.iterdir()) == ["SYNTHETIC_ch.csv"]


def test_benchmark_worker_reports_its_peak_memory(tmp_path):
    """The reader benchmark's worker finds peak_rss_mb in benchmarks/ (moved out of the reader module)."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    p = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "bench_companies_house.py"), "--worker",
                        "baseline", "--path", str(tmp_path / "unused.csv")],
                       capture_output=True, text=True, env=env, timeout=120, check=False)
    assert p.returncode == 0, p.stderr
    assert json.loads(p.stdout.strip().splitlines()[-1])["peak_mb"] > 0
