"""``map --method trajectory`` for a year without classes stops with the reason, as ``clusters`` explains it.

Was: ``map --method trajectory --year 2012`` wrote five files and printed "0 clusters among 361 places",
a map that reads as "no clusters in 2012" when no place can have a class before 2015 (a class needs
five years of growth and the series starts in 2010).
"""

from __future__ import annotations

from typer.testing import CliRunner

from creative_clusters.cli import app


def test_a_year_without_classes_writes_no_map(full_home, tmp_path):
    out = tmp_path / "map"
    r = CliRunner().invoke(app, ["map", "--out", str(out), "--method", "trajectory", "--year", "2012",
                                 "--home", str(full_home)])
    assert r.exit_code != 0
    assert "nothing to map: no trajectory classes for 2012" in r.output and "2015" in r.output
    assert not out.exists()


def test_a_year_with_classes_is_mapped_and_its_caveats_printed(full_home, tmp_path):
    out = tmp_path / "map"
    r = CliRunner().invoke(app, ["map", "--out", str(out), "--method", "trajectory", "--year", "2016",
                                 "--home", str(full_home)])
    assert r.exit_code == 0, r.output
    assert "Caveat:" in r.output and "no LQ for 2016" in r.output
    assert (out / "clusters.csv").exists()
