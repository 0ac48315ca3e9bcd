"""``profile`` for places in Wales, Scotland and Northern Ireland: counts, 2010–2025 trend, own deprivation index."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from creative_clusters.cli import app

runner = CliRunner()


def _profile(home, *args):
    res = runner.invoke(app, ["profile", *args, "--home", str(home)])
    assert res.exit_code == 0, res.output
    return res


@pytest.mark.parametrize(("query", "nation", "index", "count_2025"), [
    ("Cardiff", "Wales", "Welsh Index of Multiple Deprivation", 1_365),
    ("Glasgow", "Scotland", "Scottish Index of Multiple Deprivation", 2_090),
    ("Belfast", "Northern Ireland", "Northern Ireland Multiple Deprivation Measure", 1_235),
])
def test_four_nations_profile_text(full_home, query, nation, index, count_2025):
    out = _profile(full_home, query).stdout
    assert "Creative enterprises 2010–2025" in out
    assert f"2025: {count_2025:,} creative enterprises" in out  # the series' own value (file)
    assert f"in {nation}" in out and "(2015–2025)" in out and "the UK" in out
    assert index in out and f"{nation}'s most deprived 10%" in out
    assert "Creative enterprises by sub-sector: covers England only" in out  # England-only, said so
    assert "Trajectory (2025):" in out


def test_four_nations_profile_json_has_the_16_values(full_home):
    prof = json.loads(_profile(full_home, "Glasgow", "--json").stdout)
    series = prof["trajectory"]["series"]
    assert [y["period"] for y in series] == [str(y) for y in range(2010, 2026)]
    assert series[-1]["value"] == 2_090
    figs = prof["statistics"]["figures"]
    assert figs["creative_enterprises_series"]["value"] == 2_090
    assert figs["creative_enterprises_series"]["source"]["id"] == "business_counts_series"
    assert "creative_enterprises" not in figs  # the SIC-level table does not cover Scotland


def test_profile_year_ends_the_trend_there(full_home):
    prof = json.loads(_profile(full_home, "Cardiff", "--year", "2019", "--json").stdout)
    assert prof["trajectory"]["series"][-1]["period"] == "2019"
    assert prof["trajectory"]["trajectory_year"] == "2019"
    assert prof["statistics"]["figures"]["creative_enterprises_series"]["period"] == "2019"


def test_welsh_profile_keeps_the_census_workforce(full_home):
    prof = json.loads(_profile(full_home, "Cardiff", "--json").stdout)
    assert prof["statistics"]["figures"]["creative_residents"]["value"] == pytest.approx(9_993)


@pytest.mark.parametrize("year", ["2009", "2010", "2031"])
def test_profile_year_outside_the_trend_is_refused_not_answered_with_the_whole_series(full_home, year):
    res = runner.invoke(app, ["profile", "Cardiff", "--year", year, "--home", str(full_home)])
    assert res.exit_code != 0
    assert f"--year {year}" in res.output and "covers 2010–2025" in res.output
    assert "from 2011 to 2025" in res.output
    assert "Creative enterprises 2010–2025" not in res.output  # no profile printed as if for the latest year
