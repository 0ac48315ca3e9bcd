"""Round 20: the run line and the runs listing say how many firms a run left out for want of a SIC 2007 code
(stored with the run since this round; before, only the pack said it)."""

from __future__ import annotations

from typer.testing import CliRunner

from creative_clusters.cli import app
from creative_clusters.microclusters.runs import runs_overview, unclassed_rows
from creative_clusters.warehouse import Warehouse
from tests.microclusters.test_unclassed_firms_round20 import N_NO_SIC, _write


def test_the_run_line_and_the_runs_listing_count_the_unclassed_firms(tmp_path, monkeypatch):
    home = tmp_path / "home"
    r = CliRunner().invoke(app, ["microclusters", str(_write(tmp_path / "firms.csv")), "--out", str(tmp_path / "out"),
                                 "--home", str(home), "--stability-reps", "2"])
    assert r.exit_code == 0, r.output
    run_line = next(line for line in r.output.splitlines() if line.startswith("Run "))
    assert f"{N_NO_SIC} left out with no SIC 2007 code" in run_line
    with Warehouse(home, read_only=True) as wh:
        assert runs_overview(wh)["rows_unclassed"].tolist() == [N_NO_SIC]
    monkeypatch.setenv("COLUMNS", "200")
    listed = CliRunner().invoke(app, ["microclusters-runs", "--home", str(home)])
    assert listed.exit_code == 0, listed.output
    assert f"{N_NO_SIC} no SIC 2007 code" in listed.output


def test_unrecorded_counts_stay_unknown_not_zero():
    assert unclassed_rows(None, None) is None
    assert unclassed_rows(0, 0) == 0
    assert unclassed_rows(2, None) == 2
