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


def test_trajectory_method_and_caveats_state_the_real_window_in_plain_words(full_home):
    """Review round 7: 2019 was labelled '10-year growth' over 2010–2019; 2015's caveat named 'lq_year' and
    'trajectory_rules.yaml'; 2012 gave '0 of 361 places' and no reason."""
    res = runner.invoke(app, ["clusters", "--method", "trajectory", "--year", "2015", "--all", "--json",
                              "--home", str(full_home)])
    assert res.exit_code == 0, res.output
    rows = json.loads(res.stdout)
    years = int(rows[0]["window"][-4:]) - int(rows[0]["window"][:4])
    assert years == 5  # 2010–2015: the series starts in 2010
    method, caveat = rows[0]["method"], rows[0]["caveat"]
    assert f"2010–2015 ({years} years; shorter than the usual 10" in method and "10-year" not in method
    for internal in ("lq_year", "trajectory_rules.yaml", "_"):
        assert internal not in method + caveat.replace("2010–2025 series", ""), internal
    assert "the latest earlier year with one" in caveat
    early = runner.invoke(app, ["clusters", "--method", "trajectory", "--year", "2012", "--home", str(full_home)])
    assert early.exit_code == 0, early.output
    assert "no trajectory classes for 2012" in early.output and "first year with classes is 2015" in early.output
    csv_out = runner.invoke(app, ["clusters", "--method", "trajectory", "--year", "2012", "--csv",
                                  "--home", str(full_home)])
    assert "first year with classes is 2015" in csv_out.stderr  # an empty CSV still says why


def test_clusters_table_is_readable(full_home):
    """Review round 7: headers geo_code/industry_code/small_count, nation 'E92000001', CAGR as a fraction to
    2 dp beside points, and words folded mid-word ('establishe / d')."""
    res = runner.invoke(app, ["clusters", "--method", "trajectory", "--home", str(full_home)],
                        env={"COLUMNS": "80"})
    assert res.exit_code == 0, res.output
    table = res.stdout
    for raw in ("geo_code", "industry_code", "small_count", "E92000001", "relative_cagr_pp", "establishe\n"):
        assert raw not in table, raw
    assert "growth % a year" in table and "England" in table
    js = json.loads(runner.invoke(app, ["clusters", "--method", "trajectory", "--json",
                                        "--home", str(full_home)]).stdout)
    west = next(r for r in js if r["geo_name"] == "Westminster")
    # at 80 columns the places print as blocks (header: value), wider as a table row
    shown = (table.split("place: Westminster", 1)[1].split("\n\n", 1)[0] if "place: Westminster" in table
             else next(line for line in table.splitlines() if "Westminster" in line))
    assert f"{100 * west['cagr']:+.1f}" in shown  # the same fraction, in % a year
