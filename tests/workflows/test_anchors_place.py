"""Nearest anchors to microclusters are those of the place's own microclusters, said under the
current run's coverage ("not covered" outside it, "none" inside it without any).

A reviewer found ``anchors Cardiff`` listing the South Yorkshire run's 54 rows (Sheffield Hallam,
University of Sheffield...) for any place. The microclusters here are synthetic (hand-typed
centroids and LAD codes) over the session's real warehouse (places, LAD boundaries, anchors).
"""

from __future__ import annotations

import json
import shutil
from dataclasses import asdict
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from creative_clusters.cli import app

runner = CliRunner()

SHEFFIELD, BARNSLEY, ROTHERHAM, CARDIFF = "E08000019", "E08000016", "E08000018", "W06000015"


def _import(home: Path, tmp: Path, tables: dict[str, pd.DataFrame]) -> None:
    from creative_clusters.sources._base import DatasetSpec, ImportResult
    from creative_clusters.warehouse import Warehouse

    (tmp / "mc.csv").write_text("synthetic\n")
    spec = DatasetSpec(id="microclusters_test", title="SYNTHETIC", publisher="test", licence="OGL",
                       source_url="", vintage="2025", files=("mc.csv",),
                       reader=lambda root: ImportResult(tables=tables))
    with Warehouse(home) as wh:
        wh.import_datasets([spec], tmp)


def _run(covered: list[str]) -> pd.DataFrame:
    from creative_clusters.microclusters.runs import COVERAGE_RULE, RunRecord

    rec = RunRecord(run_id="r0123456789", created_at="2025-01-01T00:00:00+00:00", firm_file="synthetic.csv",
                    firm_file_sha256="0" * 64, rows_read=100, rows_status_kept=100, rows_creative=100,
                    rows_located=100, method="split", params="{}", software_version="test", synthetic=True,
                    address_kind="registered office", coverage_lads=";".join(covered), stray_lads="",
                    coverage_rule=COVERAGE_RULE, scope="partial", n_microclusters=3, is_current=True)
    return pd.DataFrame([asdict(rec)])


@pytest.fixture(scope="module")
def run_home(full_home: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The session warehouse plus a synthetic run covering Sheffield, Barnsley and Rotherham."""
    tmp = tmp_path_factory.mktemp("anchors-run")
    home = tmp / "home"
    shutil.copytree(full_home, home)
    mc = pd.DataFrame({
        "microcluster_id": ["SHF-1", "SHF-2", "BNS-1", "SHF-S"],
        "centroid_easting": [435_300.0, 434_800.0, 434_500.0, 435_100.0],  # central Sheffield x3, Barnsley
        "centroid_northing": [387_300.0, 386_900.0, 406_500.0, 387_000.0],
        "lad23_code": [SHEFFIELD, SHEFFIELD, BARNSLEY, SHEFFIELD],
        "n_firms": [120, 80, 60, 31],
        # SHF-S ended below the run's minimum (its border firms went to a neighbour): the pack leaves it out
        "meets_min_firms": [True, True, True, False],
    })
    _import(home, tmp, {"microclusters": mc, "microcluster_runs": _run([SHEFFIELD, BARNSLEY, ROTHERHAM])})
    return home


def _report(home: Path, place: str) -> dict:
    r = runner.invoke(app, ["anchors", place, "--json", "--home", str(home)])
    assert r.exit_code == 0, r.output
    return json.loads(r.stdout)["nearest_anchors"]


@pytest.mark.parametrize("place", ["Cardiff", "Isles of Scilly", "City of London"])
def test_place_outside_the_run_is_not_covered_and_gets_no_rows(run_home, place):
    na = _report(run_home, place)
    assert na["rows"] == []  # before the fix: every microcluster of the warehouse, whatever the place
    assert na["coverage"] == "not_covered" and na["n_microclusters"] == 0
    assert na["note"].startswith("not covered") and "none" not in na["note"]
    text = runner.invoke(app, ["anchors", place, "--home", str(run_home)]).stdout
    line = next(x for x in text.splitlines() if "Nearest anchors to microclusters" in x)
    assert "not covered" in line and "rows" not in line


def test_covered_place_lists_only_its_own_microclusters(run_home):
    na = _report(run_home, "Sheffield")
    assert na["coverage"] == "covered" and na["n_microclusters"] == 2
    assert {r["cluster_id"] for r in na["rows"]} == {"SHF-1", "SHF-2"}
    assert na["covered_lads"] == [SHEFFIELD] and na["run_id"] == "r0123456789"
    assert "1 smaller group below the run's minimum size" in na["note"]  # SHF-S: said, not listed
    hei = [r for r in na["rows"] if r["cluster_id"] == "SHF-1" and r["kind"] == "hei"]
    assert len(hei) == 3 and hei[0]["distance_km"] < 3  # a Sheffield university within walking distance
    # a place of several LADs: its microclusters in every member LAD, and how much of it the run covers
    sy = _report(run_home, "South Yorkshire")
    assert {r["cluster_id"] for r in sy["rows"]} == {"SHF-1", "SHF-2", "BNS-1"}
    assert sy["coverage"] == "covered" and "3 of the 4 local authorities" in sy["note"]


def test_covered_place_without_microclusters_says_none(run_home):
    na = _report(run_home, "Rotherham")
    assert na["coverage"] == "covered" and na["rows"] == []
    assert na["note"].startswith("none") and "which the firm file covers" in na["note"]
    text = runner.invoke(app, ["anchors", "Rotherham", "--home", str(run_home)]).stdout
    assert "Nearest anchors to microclusters: none" in text


def test_without_lad_codes_centroids_place_the_microclusters(full_home, tmp_path):
    # no lad23_code and no run record: centroids are placed in the LAD 2023 polygons; coverage unknown
    home = tmp_path / "home"
    shutil.copytree(full_home, home)
    mc = pd.DataFrame({"microcluster_id": ["MAN", "SHF"], "centroid_easting": [384_000.0, 435_300.0],
                       "centroid_northing": [398_000.0, 387_300.0]})
    _import(home, tmp_path, {"microclusters": mc})
    na = _report(home, "Manchester")
    assert {r["cluster_id"] for r in na["rows"]} == {"MAN"}
    assert na["coverage"] == "unknown"
    assert _report(home, "Cardiff")["rows"] == []
