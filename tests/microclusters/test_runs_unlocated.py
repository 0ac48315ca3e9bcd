"""A run's provenance counts the firms that could not be located; the CLI summary, the runs listing and the
pack's run sentence (what the web serves as the place's evidence pack) say how many and where the list is."""

from __future__ import annotations

from dataclasses import asdict
from types import SimpleNamespace

import numpy as np
import pandas as pd
from typer.testing import CliRunner

from creative_clusters.cli import app
from creative_clusters.microclusters.runs import current_run, list_runs
from creative_clusters.reporting.section_microclusters import _run_sentence
from creative_clusters.warehouse import Warehouse


def _write(path, n_ghosts=3, seed=0):
    """SYNTHETIC plain list: a tight group near Sheffield centre, scattered firms, and ``n_ghosts`` firms with
    neither coordinates nor a postcode (they cannot be located)."""
    rng = np.random.default_rng(seed)
    xy = np.r_[rng.normal(0, 150, (60, 2)) + np.array([435300, 387200]),
               rng.uniform(0, 20000, (30, 2)) + np.array([425000, 377000])].round(1)
    t = pd.DataFrame({"name": [f"F{i}" for i in range(len(xy))], "easting": xy[:, 0].astype(str),
                      "northing": xy[:, 1].astype(str), "subsector": "design"})
    ghosts = pd.DataFrame({"name": [f"Ghost {i}" for i in range(n_ghosts)], "easting": "", "northing": "",
                           "subsector": "design"})
    pd.concat([t, ghosts]).to_csv(path, index=False)
    return path


def test_the_unlocated_count_is_stored_and_shown(tmp_path):
    home, out = tmp_path / "home", tmp_path / "out"
    src = _write(tmp_path / "SYNTHETIC_firms.csv")
    r = CliRunner().invoke(app, ["microclusters", str(src), "--out", str(out), "--home", str(home),
                                 "--stability-reps", "0", "--eps", "500", "--min-firms", "20"])
    assert r.exit_code == 0, r.output
    listed = pd.read_csv(out / "unlocated_firms.csv")
    assert len(listed) == 3
    # the summary's run line: located and not located, and where the list is
    run_line = next(line for line in r.output.splitlines() if line.startswith("Run r"))
    assert f"90 located, 3 not located ({out / 'unlocated_firms.csv'})" in run_line

    with Warehouse(home, read_only=True) as wh:  # the one place runs are recorded
        run = current_run(wh)
        assert run is not None and (run.rows_located, run.rows_unlocated) == (90, len(listed))
        assert int(list_runs(wh)["rows_unlocated"].iloc[0]) == 3

    r = CliRunner().invoke(app, ["microclusters-runs", "--home", str(home)], env={"COLUMNS": "200"})
    assert r.exit_code == 0, r.output
    assert "3 not located" in r.output and "unlocated_firms.csv" in r.output

    place = SimpleNamespace(members=("E08000019",), name="Sheffield")
    sentence = _run_sentence(asdict(run), place)
    assert "90 located creative firms (3 more could not be located and were left out; the run's output " \
           "folder lists them in unlocated_firms.csv)" in sentence


def test_a_run_stored_before_the_count_says_nothing_about_it():
    class OldWarehouse:  # a runs table stored before rows_unlocated existed
        def has_table(self, name):
            return True

        def table(self, name):
            return pd.DataFrame({"run_id": ["r1"], "created_at": ["2026-12-01"], "rows_located": [90]})

    runs = list_runs(OldWarehouse())
    assert runs["rows_unlocated"].isna().all()  # not known, not 0
    place = SimpleNamespace(members=("E08000019",), name="Sheffield")
    run = {"firm_file": "f.csv", "rows_located": 90, "rows_unlocated": runs["rows_unlocated"].iloc[0]}
    assert "could not be located" not in _run_sentence(run, place)
