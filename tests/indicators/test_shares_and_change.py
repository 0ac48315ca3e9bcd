"""The share, member-sum and change formulas the pack and the place statistics share (worked by hand)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from creative_clusters.indicators.growth import change_pct, growth, index_numbers
from creative_clusters.indicators.lq import share_of, subsector_shares, with_group_row


def test_share_of_scalars_and_series():
    assert share_of(3.0, 12.0) == 0.25
    assert np.isnan(share_of(3.0, 0.0)) and np.isnan(share_of(3.0, float("nan")))
    s = share_of(pd.Series([2.0, 6.0, 1.0], index=list("abc")), pd.Series([8.0, 24.0, -1.0], index=list("abc")))
    assert s.index.tolist() == ["a", "b", "c"]
    assert s.iloc[:2].tolist() == [0.25, 0.25] and np.isnan(s["c"])
    assert share_of(pd.Series([5.0]), 20.0).tolist() == [0.25]
    assert np.isnan(share_of(pd.Series([5.0]), 0.0)).all()


def test_subsector_shares_worked_by_hand():
    # England: A has film 15, music 5 (place total 20); B has film 35, music 45; nation 50 + 50 = 100
    nat = pd.DataFrame({"film_tv": [15.0, 35.0], "music_arts": [5.0, 45.0]}, index=["A", "B"])
    t = subsector_shares(nat.loc["A"], nat)
    assert t.index.tolist() == ["film_tv", "music_arts", "all"]
    assert t["count"].tolist() == [15.0, 5.0, 20.0]
    assert t["national"].tolist() == [50.0, 50.0, 100.0]
    assert t["share_of_place"].tolist() == [0.75, 0.25, 1.0]
    assert t["share_of_national"].tolist() == [0.3, 0.1, 0.2]


def test_subsector_shares_without_enterprises():
    nat = pd.DataFrame({"film_tv": [0.0, 10.0]}, index=["A", "B"])
    t = subsector_shares(nat.loc["A"], nat)
    assert np.isnan(t.loc["all", "share_of_place"])  # no enterprise: no mix
    assert t.loc["all", "share_of_national"] == 0.0


def test_with_group_row_sums_members_only_when_all_have_rows():
    w = pd.DataFrame({"x": [1.0, 2.0, 4.0]}, index=["A", "B", "C"])
    assert with_group_row(w, "G", ["A", "C"]).loc["G", "x"] == 5.0
    assert "G" not in with_group_row(w, "G", ["A", "D"]).index  # D has no row: not summed
    assert with_group_row(w, "A", ["A"]) is w


def test_change_pct_is_growths_column():
    assert change_pct(80.0, 100.0) == 25.0
    assert change_pct(200.0, 150.0) == -25.0
    assert np.isnan(change_pct(0.0, 10.0))
    t = pd.DataFrame({"geo_code": ["A", "A"], "period": ["2015", "2018"], "value": [80.0, 100.0]})
    assert float(growth(t, start="2015", end="2018", industry=None)["change_pct"][0]) == change_pct(80.0, 100.0)


def test_index_numbers():
    assert index_numbers([50.0, 75.0, 40.0]).tolist() == [100.0, 150.0, 80.0]
    assert np.isnan(index_numbers([0.0, 3.0])).all()


def test_lq_ratio_is_location_quotients_formula_for_one_place():
    """The scalar LQ (workforce and Census tables) equals location_quotient's on the same counts."""
    from creative_clusters.indicators.lq import location_quotient, lq_ratio

    t = pd.DataFrame({"geo_code": ["A", "A", "B", "B"], "industry_code": ["X", "Y", "X", "Y"],
                      "period": "2021", "value": [30.0, 70.0, 20.0, 180.0]})
    lq = location_quotient(t, min_count=0).set_index(["geo_code", "industry_code"])["lq"]
    # A: 30 of 100 against 50 of 300 overall -> 0.30 / (50 / 300) = 1.8, by hand
    assert lq_ratio(30, 100, 50, 300) == pytest.approx(1.8)
    assert float(lq[("A", "X")]) == pytest.approx(1.8)
