"""`microclusters --scheduler local` and `evidence --all --scheduler`: the command line on Dask."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
from typer.testing import CliRunner

from creative_clusters.cli import app
from creative_clusters.microclusters.dbscan import dbscan

runner = CliRunner()


def test_microclusters_scheduler_local_writes_partitioned_parquet(tmp_path):
    rng = np.random.default_rng(9)  # SYNTHETIC points
    xy = np.r_[rng.normal((430_000, 387_000), 120, (900, 2)), rng.uniform(425_000, 435_000, (600, 2))].round(1)
    src = tmp_path / "synthetic_points.csv"
    pd.DataFrame({"easting": xy[:, 0], "northing": xy[:, 1], "subsector": "music_arts"}).to_csv(src, index=False)
    res = runner.invoke(app, ["microclusters", str(src), "--out", str(tmp_path / "out"), "--eps", "80",
                              "--min-firms", "15", "--method", "dbscan", "--scheduler", "local", "--no-load"])
    assert res.exit_code == 0, res.output
    labels, _ = dbscan(xy, 80.0, 15)
    assert f"{labels.max() + 1:,} microclusters (tiled exact DBSCAN on Dask" in res.stdout
    got = pd.read_parquet(tmp_path / "out" / "points").sort_values("gid")
    np.testing.assert_array_equal(got["label"].to_numpy(), labels)
    assert json.loads((tmp_path / "out" / "run.json").read_text())["params"]["n_points"] == len(xy)


def test_microclusters_scheduler_refuses_what_it_cannot_do(tmp_path):
    src = tmp_path / "synthetic_points.csv"
    src.write_text("easting,northing\n1,2\n")
    res = runner.invoke(app, ["microclusters", str(src), "--out", str(tmp_path / "o"), "--method", "hdbscan",
                              "--scheduler", "local"])
    assert res.exit_code == 1 and "exact DBSCAN only: add --method dbscan" in res.stderr
    res = runner.invoke(app, ["microclusters", str(src), "--out", str(tmp_path / "o"), "--scheduler", "local"])
    assert res.exit_code == 1 and "add --method dbscan" in res.stderr  # the default method is not exact DBSCAN
    res = runner.invoke(app, ["microclusters", str(tmp_path / "firms.xlsx"), "--out", str(tmp_path / "o"),
                              "--method", "dbscan", "--scheduler", "local"])
    assert res.exit_code == 1 and "Parquet file/folder or a CSV of points" in res.stderr


def test_evidence_scheduler_needs_all(tmp_path):
    res = runner.invoke(app, ["evidence", "Sheffield", "--scheduler", "local", "--out", str(tmp_path)])
    assert res.exit_code == 1 and "--scheduler builds packs with --all" in res.stderr
