"""A later UK Business Counts snapshot dropped into a data folder is its own dataset and serves every figure.

The later snapshot is SYNTHETIC test data, made at test time under a
temporary folder named ``TEST_SYNTHETIC_...`` (nothing is committed): the
real March 2025 files copied under the name of the year 2099 (so it can never
be mistaken for a real release), with Sheffield's counts doubled in all three
files and every other place as published. It goes through the ordinary
importer (``data import DIR --only business_counts_2099``), with no code
change, next to the real 2025 snapshot in a copy of the session warehouse.

Expected values are worked from the raw files with the ``csv`` module:
Sheffield has 1,610 creative enterprises in March 2025 (29 class rows, and
its LA total) and England 246,790 (data README). In the synthetic snapshot
Sheffield has 3,220 and England 246,790 + 1,610 = 248,400, so Sheffield's
business LQ (same active-enterprise denominator) is the 2025 one times
2 × 246,790 / 248,400.
"""

from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from creative_clusters.cli import app

pytestmark = [pytest.mark.realdata, pytest.mark.slow]

runner = CliRunner()
LATER = "2099"  # SYNTHETIC test year
SHEFFIELD = "E08000019"
ENGLAND_2025 = 246_790  # data README
_FILES = {  # file name pattern -> (the column naming the place, its value for Sheffield, the count column)
    "business_counts_fact_long_{}.csv": ("Location", "Sheffield", "Value"),
    "business_counts_fact_long_{}_with_codes.csv": ("lad23cd", SHEFFIELD, "enterprises"),
    "business_counts_la_totals_{}.csv": ("Region", "Sheffield", "Enterprise Count"),
}


def _raw_sheffield(data_root: Path) -> int:
    with open(data_root / "business_counts" / "business_counts_fact_long_2025.csv", encoding="utf-8-sig",
              newline="") as fh:
        return sum(int(r["Value"]) for r in csv.DictReader(fh) if r["Location"] == "Sheffield")


@pytest.fixture(scope="module")
def later_root(data_root: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("TEST_SYNTHETIC_business_counts_later")
    (root / "README_TEST_SYNTHETIC.txt").write_text(
        f"TEST / SYNTHETIC data, not a real release: the March 2025 UK Business Counts files named {LATER}, "
        "with Sheffield's counts doubled.\n", encoding="utf-8")
    (root / "geography").mkdir()
    shutil.copy(data_root / "geography" / "ltla23.csv", root / "geography" / "ltla23.csv")
    (root / "business_counts").mkdir()
    for pattern, (where, who, col) in _FILES.items():
        with open(data_root / "business_counts" / pattern.format(2025), encoding="utf-8-sig", newline="") as fh:
            reader = csv.DictReader(fh)
            fields = list(reader.fieldnames or [])
            rows = list(reader)
        hit = 0
        for r in rows:
            if r[where] == who:
                r[col] = str(2 * int(r[col]))
                hit += 1
        assert hit >= 1, (pattern, who)
        with open(root / "business_counts" / pattern.format(LATER), "w", encoding="utf-8", newline="") as fh:
            w = csv.DictWriter(fh, fieldnames=fields)
            w.writeheader()
            w.writerows(rows)
    return root


@pytest.fixture(scope="module")
def home(full_home: Path, later_root: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    h = tmp_path_factory.mktemp("later-snapshot-home")
    shutil.copytree(full_home, h, dirs_exist_ok=True, ignore=shutil.ignore_patterns("cache"))
    res = runner.invoke(app, ["data", "import", str(later_root), "--only", f"business_counts_{LATER}",
                              "--home", str(h)])
    assert res.exit_code == 0, res.output
    return h


def test_status_lists_both_snapshots(home: Path):
    res = runner.invoke(app, ["data", "status", "--json", "--home", str(home)])
    got = {r["id"]: r["vintage"] for r in json.loads(res.stdout) if r["id"].startswith("business_counts_2")}
    assert got == {"business_counts_2025": "2025", f"business_counts_{LATER}": LATER}


def test_profile_takes_the_later_snapshot(home: Path, data_root: Path):
    s = _raw_sheffield(data_root)
    assert s == 1610
    prof = json.loads(runner.invoke(app, ["profile", "Sheffield", "--json", "--home", str(home)]).stdout)
    ce = prof["statistics"]["figures"]["creative_enterprises"]
    assert ce["value"] == 2 * s and ce["period"] == LATER
    assert ce["source"]["id"] == f"business_counts_{LATER}"


def _clusters(home: Path, *year: str) -> dict[str, dict]:
    res = runner.invoke(app, ["clusters", "--all", "--json", "--home", str(home), *year])
    assert res.exit_code == 0, res.output
    return {r["geo_code"]: r for r in json.loads(res.stdout)}


def test_clusters_take_the_later_snapshot(home: Path, data_root: Path):
    s = _raw_sheffield(data_root)
    later, real = _clusters(home)[SHEFFIELD], _clusters(home, "--year", "2025")[SHEFFIELD]
    assert later["businesses"] == 2 * s and real["businesses"] == s
    assert f"business_counts_{LATER}" in later["caveat"]
    assert later["business_lq"] == pytest.approx(real["business_lq"] * 2 * ENGLAND_2025 / (ENGLAND_2025 + s),
                                                 rel=1e-9)


def test_benchmark_indicators_take_the_later_snapshot(home: Path, data_root: Path, full_home: Path):
    from creative_clusters.workflows.evidence import load_national

    s = _raw_sheffield(data_root)
    later = load_national(home, cache=False)
    real = load_national(full_home, cache=False)
    assert later.enterprises_period == LATER
    ind, ind25 = later.indicators, real.indicators
    assert ind.loc[SHEFFIELD, "creative_enterprises"] == 2 * s
    assert ind.loc["E09000033", "creative_enterprises"] == 10_350  # Westminster, as published (README)
    assert ind.loc[SHEFFIELD, "creative_business_lq"] == pytest.approx(
        ind25.loc[SHEFFIELD, "creative_business_lq"] * 2 * ENGLAND_2025 / (ENGLAND_2025 + s), rel=1e-9)
