"""Round 11 (h1, item 2): a rank in the year-by-year series that other places share is said as "joint".

Counts rounded to 5 tie often. The series' ranks (``indicators.trajectory.rank_table`` and the trajectory
built on it) used to carry no tie, so the profile, the pack's trajectory section and the baselines printed a
shared 52nd as "52nd", as if the place held it alone. The producer now counts the others on the same count
(``tied_uk`` / ``tied_nation``); the words say "joint". Hand-made frames, and a real tie in the bundle:
Stockport and Bath and North East Somerset, both 1,170 creative enterprises in the series' latest year;
the expected rank and tie are counted here from the warehouse's observations, not taken from the code.
"""

from __future__ import annotations

import json
from types import SimpleNamespace

import pandas as pd
import pytest

from creative_clusters import kinds
from creative_clusters.indicators.trajectory import rank_table
from creative_clusters.reporting.baseline import _series_rank
from creative_clusters.reporting.formatting import ordinal
from creative_clusters.reporting.trajectory_block import trajectory_block
from creative_clusters.reporting.trajectory_text import trajectory_lines
from creative_clusters.workflows.places import resolve_place
from creative_clusters.workflows.profile import build_profile, profile_json
from creative_clusters.workflows.trajectory import place_trajectory


def test_the_rank_table_counts_the_others_on_the_same_value():
    # 2024: B 20 first; A, C, D all 10 (joint 2nd, two others each); E 5 fifth; F 0 (no rank, no tie)
    t = pd.DataFrame({"geo_code": list("ABCDEF") * 2, "period": ["2024"] * 6 + ["2025"] * 6,
                      "value": [10.0, 20.0, 10.0, 10.0, 5.0, 0.0, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0]})
    groups = {"A": "X", "B": "X", "C": "X", "D": "Y", "E": "Y", "F": "Y"}
    r = rank_table(t, groups=groups).set_index(["period", "geo_code"])
    y = r.loc["2024"]
    assert y["rank_all"].tolist()[:5] == [2, 1, 2, 2, 5]
    assert y["tied_all"].tolist() == [2, 0, 2, 2, 0, 0]
    # within group X (A 10, B 20, C 10): A and C joint 2nd; in Y (D 10, E 5, F 0) D is 1st alone
    assert y["tied_group"].tolist() == [1, 0, 1, 0, 0, 0]
    assert r.loc["2025"]["tied_all"].eq(0).all()  # no two equal values: no tie in another year


def _year(period, rank_nation, tied_nation, rank_uk=None, tied_uk=0, value=100.0):
    return SimpleNamespace(period=period, value=value, flags=(), note="", rank_nation=rank_nation,
                           tied_nation=tied_nation, rank_uk=rank_uk, tied_uk=tied_uk, lq=None)


def test_the_words_say_joint_for_a_shared_rank_and_nothing_for_a_unique_one():
    shared = SimpleNamespace(level="lad", series=[_year("2025", 5, 2)], windows=[SimpleNamespace(n_nation=22)],
                             nation_name="Wales")
    alone = SimpleNamespace(level="lad", series=[_year("2025", 5, 0)], windows=[SimpleNamespace(n_nation=22)],
                            nation_name="Wales")
    assert _series_rank(shared) == "joint 5th of 22 in Wales"
    assert _series_rank(alone) == "5th of 22 in Wales"


def _tie_by_hand(wh, code):
    """The place's rank among England's LADs in the series' latest year and how many others share its count,
    counted from the observations."""
    ref = wh.find_dataset(kinds.CREATIVE_ENTERPRISES_SERIES)
    obs = wh.observations(dataset=ref.id)
    last = obs[obs["period"] == obs["period"].max()]
    eng = last[last["geo_code"].str.startswith("E")].set_index("geo_code")["value"].astype(float)
    mine = eng[code]
    return int((eng > mine).sum()) + 1, int((eng == mine).sum()) - 1, str(obs["period"].max())


@pytest.mark.realdata
def test_stockport_shares_its_rank_in_england_and_every_output_says_joint(full_warehouse):
    wh = full_warehouse
    rank, tied, year = _tie_by_hand(wh, "E08000007")
    assert tied >= 1  # Bath and North East Somerset has the same count
    t = place_trajectory(wh, "E08000007")
    last = t.series[-1]
    assert (last.period, last.rank_nation, last.tied_nation) == (year, rank, tied)
    # the terminal (profile's trajectory part)
    head = next(x for x in trajectory_lines(t) if "rank by size among places of its level" in x)
    assert f"joint {ordinal(rank)} of {t.windows[0].n_nation} in England" in head
    # the pack's trajectory section: the growth window's ranks, and the year table's note
    block = trajectory_block(t, place="Stockport", png=False)
    full = t.window("full")
    sentence = next(s for s in block["sentences"] if s.startswith("By size, "))
    if full is not None and full.tied_uk_end:
        assert f"joint {ordinal(full.rank_uk_end)} in {full.end}" in sentence
    table = block["tables"][0]
    note = table["rows"][-1][-1]
    assert f"joint {ordinal(rank)}, tied with {tied} other place" in note
    # JSON: the tie count travels with the rank
    prof = json.loads(json.dumps(profile_json(build_profile(wh, resolve_place(wh, "E08000007"))), default=str))
    js = prof["trajectory"]["series"][-1]
    assert (js["rank_nation"], js["tied_nation"]) == (rank, tied)


@pytest.mark.realdata
def test_a_place_alone_on_its_count_is_not_said_joint(full_warehouse):
    wh = full_warehouse
    rank, tied, year = _tie_by_hand(wh, "E08000019")  # Sheffield
    t = place_trajectory(wh, "E08000019")
    assert (t.series[-1].period, t.series[-1].rank_nation, t.series[-1].tied_nation) == (year, rank, tied)
    head = next(x for x in trajectory_lines(t) if "rank by size among places of its level" in x)
    assert ("joint" in head) == bool(tied)
