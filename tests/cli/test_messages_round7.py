"""CLI review round 7: wording and duplicated figures in ``profile`` (items 5, 11, 14)."""

from __future__ import annotations

import re

from typer.testing import CliRunner

from creative_clusters.cli import app

runner = CliRunner()


def _text(home, *args: str) -> str:
    res = runner.invoke(app, ["profile", *args, "--home", str(home)])
    assert res.exit_code == 0, res.output
    return res.stdout


def test_combined_authority_rank_is_said_once_and_headers_are_whole(full_home):
    """Was: '1/15 in England; 1/15 in England', 'rank in England 1 → 1 (+0); in England 1 → 1 (+0)', and
    the column header 'rank Northern I'."""
    gm = _text(full_home, "Greater Manchester")
    rank = next(line for line in gm.splitlines() if "rank by size among places of its level" in line)
    assert rank.count("in England") == 1 and "/15" in rank  # 15 combined authorities, all in England
    growth_ranks = [line for line in gm.splitlines() if line.strip().startswith("rank in England")]
    assert growth_ranks and all(line.count("England") == 1 for line in growth_ranks)
    belfast = _text(full_home, "Belfast")
    assert "rank in Northern Ireland" in belfast and "Northern I " not in belfast
    assert re.search(r"in the UK \d+ → \d+", belfast)  # a LAD still has both rankings


def test_profile_year_tags_the_series_year_and_says_what_does_not_follow_it(full_home):
    """Was: '2015: 1,395 creative enterprises [business_counts_series, 2025]', and 2024 demography with no
    note that it is not 2015."""
    out = _text(full_home, "Sheffield", "--year", "2015")
    line = next(x for x in out.splitlines() if x.startswith("2015: "))
    assert line.endswith("[business_counts_series, 2015]")
    assert "the other sections give the latest figures available, not 2015" in out
    assert "As of" not in _text(full_home, "Sheffield")


def test_units_and_ranks_read_as_words(full_home):
    """Was: '11.6 % of active' beside '92.5%', and '56 rank of 296'."""
    out = _text(full_home, "Sheffield")
    assert " % of active" not in out and re.search(r"\d% of active", out)
    assert "rank of 296" not in out.replace("rank of average score", "")
    assert re.search(r"most deprived\): \d+ of \d+", out)
