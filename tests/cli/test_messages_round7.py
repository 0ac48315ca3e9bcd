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
    assert rank.count("in England") == 1 and " of 15" in rank  # 15 combined authorities, all in England
    growth_ranks = [line for line in gm.splitlines() if line.strip().startswith("rank in England")]
    assert growth_ranks and all(line.count("England") == 1 for line in growth_ranks)
    belfast = _text(full_home, "Belfast")
    assert "rank in Northern Ireland" in belfast and "Northern I " not in belfast
    # a LAD still has both rankings, as ordinals, the move in words (was "in the UK 64 → 54 (+10)")
    assert re.search(r"in the UK \d+(?:st|nd|rd|th) → \d+(?:st|nd|rd|th) \((?:up \d+|down \d+|unchanged)\)",
                     belfast)


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


def test_a_year_without_sic_counts_names_the_offline_series_route(full_home):
    """Review round 10: `clusters --year 2019` offered only `data fetch … (needs internet)`, though
    `--scope england-series` works offline for 2017–2024 (Business Demography years)."""
    res = runner.invoke(app, ["clusters", "--year", "2019", "--home", str(full_home)])
    assert res.exit_code != 0
    assert "needs internet" in res.output and "--scope england-series" in res.output
    assert "2017–2024" in res.output
    ok = runner.invoke(app, ["clusters", "--year", "2019", "--scope", "england-series", "--json",
                             "--home", str(full_home)])
    assert ok.exit_code == 0, ok.output  # the route it names works


def test_inclusion_speaks_names_and_keeps_englands_deciles_to_england(full_home):
    """Review round 7: raw keys ('good_employee_involvement', 'age=16_29', 'K02000001-xLDN'), GSS codes before
    each rank, 'IMD 2019' deciles beside an IMD 2025 rank, no mark of the place's decile, and the English table
    shown for Cardiff."""
    def inc(place: str) -> str:
        res = runner.invoke(app, ["inclusion", place, "--home", str(full_home)])
        assert res.exit_code == 0, res.output
        return res.stdout

    sheff = inc("Sheffield")
    for raw in ("good_employee_involvement", "age=16_29", "K02000001-xLDN", "E08000019 English", "IMD 2019"):
        assert raw not in sheff, raw
    rank = next(x for x in sheff.splitlines() if "rank" in x and "of 296" in x)
    index = rank.split(", ", 1)[1].split(":")[0]  # the index the rank uses names the deciles too
    assert f"on the {index}" in sheff and "aged 16–29" in sheff and "UK excluding London" in sheff
    assert sum("← Sheffield" in x for x in sheff.splitlines()) == 1
    cardiff = inc("Cardiff")
    assert "decile  1" not in cardiff and "deprivation decile is for England only" in cardiff
    gm = inc("Greater Manchester")
    assert not re.search(r"^\s+E0\d{7}", gm, flags=re.M) and "Manchester, English Indices" in gm
    wf = runner.invoke(app, ["workforce", "Greater Manchester", "--home", str(full_home)]).stdout
    assert not re.search(r"^\s+E0\d{7}:", wf, flags=re.M) and " ratio " not in wf


def test_wording_possessives_articles_plurals_and_caveats(full_home, tmp_path):
    """Review round 7 item 14: "Orkney Islands's total", "Creative enterprises in North East grew",
    "1 cluster(s) among 15 places", list reprs in messages, and the rounding caveat said twice with '.;'."""
    assert "Orkney Islands's" not in _text(full_home, "Orkney Islands")
    assert "Creative enterprises in the North East " in _text(full_home, "North East")
    caveats = next(x for x in _text(full_home, "Sheffield").splitlines() if x.startswith("  caveats:"))
    assert ".;" not in caveats and caveats.lower().count("control-rounded to 5") == 1
    res = runner.invoke(app, ["map", "--out", str(tmp_path / "m"), "--level", "cauth", "--home", str(full_home)])
    assert res.exit_code == 0, res.output
    assert "(s)" not in res.output and re.search(r"\d+ clusters? among 15 places", res.output)
    bad = runner.invoke(app, ["map", "--out", str(tmp_path / "x"), "--level", "foo", "--home", str(full_home)])
    assert bad.exit_code != 0 and "nuts2" not in bad.output and "['" not in bad.output
    knit = runner.invoke(app, ["clusters", "--subsector", "knitting", "--home", str(full_home)])
    assert knit.exit_code != 0 and "['" not in knit.output and "closest spelling: " in knit.output
