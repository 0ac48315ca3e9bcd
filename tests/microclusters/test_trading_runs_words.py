"""Runs on trading premises are named so, the runs table fits the terminal, --use warns of lost coverage.

SYNTHETIC files only: invented firms in BNG metres with invented LAD codes (``ladcd``) so coverage is known
by construction (a LAD is covered with >= 20 located firms there).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from typer.testing import CliRunner

from creative_clusters.cli import app


def _premises(path, seed=0):
    """SYNTHETIC business-rates-style list (a PropertyRef column: trading premises), no SIC codes: 120 premises
    at one postcode (a shopping centre: a shared-postcode hub) and 60 around it, all in LAD X0000001."""
    rng = np.random.default_rng(seed)
    xy = np.r_[rng.normal(0, 60, (120, 2)), rng.normal(0, 300, (60, 2))] + np.array([531000, 104500])
    pd.DataFrame({"name": [f"P{i}" for i in range(180)], "PropertyRef": [f"R{i}" for i in range(180)],
                  "postcode": ["BN1 2TE"] * 120 + [f"BN1 {i % 9}AA" for i in range(60)],
                  "easting": xy[:, 0].round(), "northing": xy[:, 1].round(), "ladcd": "X0000001"}
                 ).to_csv(path, index=False)
    return path


def _offices(path, seed=1):
    """SYNTHETIC plain list of creative firms in two LADs (X0000002, X0000003), 70 each."""
    rng = np.random.default_rng(seed)
    xy = np.r_[rng.normal(0, 200, (70, 2)) + np.array([435300, 387200]),
               rng.normal(0, 200, (70, 2)) + np.array([445000, 395000])]
    pd.DataFrame({"name": [f"F{i}" for i in range(140)], "easting": xy[:, 0].round(), "northing": xy[:, 1].round(),
                  "sic": "62012", "ladcd": ["X0000002"] * 70 + ["X0000003"] * 70}).to_csv(path, index=False)
    return path


def _run(*args, env=None):
    r = CliRunner().invoke(app, [*map(str, args)], env=env)
    assert r.exit_code == 0, r.output
    return r.output


def test_a_trading_premises_run_is_not_worded_as_registered_offices(tmp_path):
    out = _run("microclusters", _premises(tmp_path / "premises.csv"), "--all-creative", "--out", tmp_path / "o",
               "--no-load", "--stability-reps", "0", "--min-firms", "20", "--home", tmp_path / "home")
    assert "addresses: trading premises" in out
    # the old wording: "... of 180 creative firms clustered", "registered-office hubs (... 100 companies ...)"
    assert "registered-office hubs" not in out and "creative firms clustered" not in out
    assert "of 180 premises (trading addresses, every one taken as creative) clustered" in out
    assert "shared-postcode hubs (postcodes with >= 100 premises in the file): 120 premises" in out
    assert "premises per microcluster" in out


def test_the_map_and_dataset_words_follow_the_address_kind():
    from creative_clusters.microclusters.outputs import map_texts, run_words

    p = {"method": "split", "eps_m": 1000.0, "min_firms": 50, "n_microclusters": 3, "all_creative": True,
         "provenance": {"synthetic": False, "address_kind": "trading"}}
    assert run_words(p)["one"] == "premises" and "min 50 premises" in map_texts(p)[0]
    p["provenance"]["address_kind"] = "registered"
    p.pop("all_creative")
    assert run_words(p)["one"] == "creative firm" and "min 50 firms" in map_texts(p)[0]


def test_runs_table_fits_80_columns_and_use_warns_when_coverage_shrinks(tmp_path):
    home = tmp_path / "home"
    common = ["--stability-reps", "0", "--min-firms", "20", "--home", home]
    _run("microclusters", _offices(tmp_path / "offices.csv"), "--address-kind", "registered", "--out",
         tmp_path / "o1", *common)
    out = _run("microclusters", _premises(tmp_path / "premises.csv"), "--all-creative", "--out", tmp_path / "o2",
               *common)
    assert "NOT as the current microclusters" in out  # 1 LAD, missing both of the current run's
    table = _run("microclusters-runs", "--home", home, env={"COLUMNS": "80"})
    lines = table.splitlines()
    assert max(len(x) for x in lines) <= 80, table  # pandas' to_string was 150+ wide
    assert "┃" in table  # a table, not the narrow-terminal list
    wide = _run("microclusters-runs", "--home", home, env={"COLUMNS": "220"})  # each cell on one line
    for words in ("trading premises; all taken as creative", "registered offices", "partial: 1 LAD ",
                  "partial: 2 LADs", "current"):
        assert words in wide, words
    premises_run = next(w for w in out.split() if w.startswith("r") and len(w) == 11 and w[1:].isalnum())
    r = CliRunner().invoke(app, ["microclusters-runs", "--use", premises_run, "--home", str(home)])
    assert r.exit_code == 0, r.output
    assert ("Warning: coverage changes: 2 of the 2 LADs run" in r.output
            and "are now not covered: X0000002, X0000003" in r.output)
    assert "1 LAD newly covered: X0000001" in r.output
    assert "addresses change from registered offices" in r.output and "to trading premises" in r.output
    # switching to a run that covers the same LADs again says nothing of coverage
    r = CliRunner().invoke(app, ["microclusters-runs", "--use", premises_run, "--home", str(home)])
    assert r.exit_code == 0 and "coverage changes" not in r.output
