"""What the ``evidence`` command prints and names (review D, L13/L14), and ``workforce``'s words (L4).

``build_pack`` is replaced by a stub returning a SYNTHETIC context, so these
tests check only the command's formatting and the arguments it passes.
"""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from creative_clusters.cli import app

runner = CliRunner()


@pytest.fixture()
def calls(monkeypatch, tmp_path):
    from creative_clusters.workflows import evidence as W

    seen: list[dict] = []

    def fake_build_pack(place=None, **kw):
        seen.append({"place": place, **kw})
        ctx = {"place": {"name": kw.get("name") or place, "geo_type": "lad", "also": []}, "sections": [],
               "headline": [
                   {"label": "Creative business location quotient (UK = 1)", "value": "1.10",
                    "note": "2024; 95% interval 1.04 to 1.16"},
                   {"label": "Rank among English local authorities", "value": "36th of 296",
                    "note": "by creative enterprises, summed over SIC classes"},
                   {"label": "Share of England's creative enterprises", "value": "0.81%", "note": ""}]}
        return ctx, [tmp_path / "pack.html"]

    monkeypatch.setattr(W, "build_pack", fake_build_pack)
    return seen


def test_headline_lines_carry_their_year_and_what_is_ranked(calls, tmp_path):
    res = runner.invoke(app, ["evidence", "Belfast", "--format", "html", "--out", str(tmp_path)])
    assert res.exit_code == 0, res.output
    lines = res.stderr.splitlines()
    lq = next(line for line in lines if line.startswith("Creative business location quotient"))
    assert "2024" in lq  # the year of the LQ, which may differ from the enterprises' year
    rank = next(line for line in lines if line.startswith("Rank among"))
    assert "by creative enterprises" in rank
    share = next(line for line in lines if line.startswith("Share of England"))
    assert share.endswith("0.81%")  # no empty brackets when there is no note


def test_a_group_without_name_is_named_after_its_members(calls, full_home, tmp_path):
    res = runner.invoke(app, ["evidence", "--places", "Sheffield,Rotherham", "--format", "html",
                              "--out", str(tmp_path), "--home", str(full_home)])
    assert res.exit_code == 0, res.output
    assert calls[-1]["name"] == "Sheffield and Rotherham"
    assert calls[-1]["places"] == ["Sheffield", "Rotherham"]
    named = runner.invoke(app, ["evidence", "--places", "E08000019,E08000018", "--name", "South Yorkshire core",
                                "--format", "html", "--out", str(tmp_path), "--home", str(full_home)])
    assert named.exit_code == 0, named.output
    assert calls[-1]["name"] == "South Yorkshire core"  # --name wins
    by_code = runner.invoke(app, ["evidence", "--places", "E08000019,E08000018", "--format", "html",
                                  "--out", str(tmp_path), "--home", str(full_home)])
    assert by_code.exit_code == 0, by_code.output
    assert calls[-1]["name"] == "Sheffield and Rotherham"  # codes give the same readable name


def test_workforce_says_its_two_estimates_in_words(full_home):
    res = runner.invoke(app, ["workforce", "Sheffield", "--home", str(full_home)])
    assert res.exit_code == 0, res.output
    assert "division_sum" not in res.stdout and "share_weighted" not in res.stdout
    assert "Estimate 1" in res.stdout and "Estimate 2" in res.stdout
