"""``clusters`` and ``map`` with ``--method trajectory``: every UK place, any year of the series."""

from __future__ import annotations

import json

import pandas as pd
from typer.testing import CliRunner

from creative_clusters.cli import app

runner = CliRunner()


def test_clusters_trajectory_any_year_all_uk(full_home):
    res = runner.invoke(app, ["clusters", "--method", "trajectory", "--year", "2019", "--all", "--json",
                              "--home", str(full_home)])
    assert res.exit_code == 0, res.output
    rows = json.loads(res.stdout)
    assert len(rows) == 361
    assert {r["geo_code"][0] for r in rows} == {"E", "W", "S", "N"}
    assert all(r["window"] == "2010–2019" for r in rows if r["trajectory"])
    assert {r["trajectory"] for r in rows} <= {"established", "emerging", "stable", "declining", ""}


def test_clusters_trajectory_refuses_a_subsector(full_home):
    res = runner.invoke(app, ["clusters", "--method", "trajectory", "--subsector", "film", "--home", str(full_home)])
    assert res.exit_code != 0 and "no sub-sector split" in res.output


def test_map_trajectory_has_no_grey_uk_lad(full_home, tmp_path):
    out = tmp_path / "map"
    res = runner.invoke(app, ["map", "--method", "trajectory", "--year", "2021", "--out", str(out),
                              "--home", str(full_home)])
    assert res.exit_code == 0, res.output
    table = pd.read_csv(out / "clusters.csv", dtype={"geo_code": str})
    assert len(table) == 361 and table["businesses"].notna().all()
    assert table.loc[table["geo_code"] == "E06000053", "businesses"].item() == 0  # Isles of Scilly, as published
    assert (out / "clusters.png").stat().st_size > 10_000
