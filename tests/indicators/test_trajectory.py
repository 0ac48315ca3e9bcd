"""Trajectory indicators: hand-worked values, invariants (Hypothesis), the growth() reference, real data."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from creative_clusters.errors import ParameterError, SchemaError, UnknownCodeError
from creative_clusters.indicators.growth import growth
from creative_clusters.indicators.lq_over_time import lq_crossings, lq_series
from creative_clusters.indicators.outliers import outlier_flags
from creative_clusters.indicators.trajectory import (
    Window,
    rank_changes,
    rank_table,
    relative_cagr,
    standard_windows,
    sum_members,
    window_changes,
)


def long(values: dict[str, list[float]], start: int = 2010) -> pd.DataFrame:
    rows = [(g, str(start + i), v) for g, vs in values.items() for i, v in enumerate(vs)]
    return pd.DataFrame(rows, columns=["geo_code", "period", "value"])


# ------------------------------------------------------------------ hand-worked
def test_standard_windows_of_the_series():
    w = standard_windows([str(y) for y in range(2010, 2026)])
    assert [(x.name, x.start, x.end, x.years) for x in w] == [
        ("full", "2010", "2025", 15), ("ten_year", "2015", "2025", 10),
        ("since_2019", "2019", "2025", 6), ("last_year", "2024", "2025", 1)]
    with pytest.raises(ParameterError, match="at least two years"):
        standard_windows(["2025"])


def test_window_changes_hand_worked():
    # 100 → 150 over 2010–2015: change 50, +50%, CAGR 1.5^(1/5) − 1 = 8.4472%
    t = long({"A": [100, 110, 120, 130, 140, 150], "Z": [0, 5, 5, 5, 5, 10]})
    w = window_changes(t, [Window("w", "2010", "2015")]).set_index("geo_code")
    assert w.loc["A", "change"] == 50 and w.loc["A", "change_pct"] == 50
    assert w.loc["A", "cagr"] == pytest.approx(0.0844717712, abs=1e-9)
    assert math.isnan(w.loc["Z", "cagr"]) and math.isnan(w.loc["Z", "change_pct"])  # zero base: NaN, not inf
    with pytest.raises(SchemaError, match="not in the table"):
        window_changes(t, [Window("w", "2009", "2015")])


def test_relative_cagr_and_missing_parent():
    ch = pd.DataFrame({"geo_code": ["A", "B"], "window": ["full"] * 2, "cagr": [0.03, -0.01]})
    ref = pd.DataFrame({"geo_code": ["N"], "window": ["full"], "cagr": [0.01]})
    assert relative_cagr(ch, ref, {"A": "N", "B": "N"}).round(9).tolist() == [2.0, -2.0]
    with pytest.raises(UnknownCodeError, match="no reference area"):
        relative_cagr(ch, ref, {"A": "N"})


def test_ranks_and_rank_changes_hand_worked():
    t = pd.DataFrame({"geo_code": ["A", "B", "C"] * 2, "period": ["2024"] * 3 + ["2025"] * 3,
                      "value": [10.0, 30.0, 20.0, 40.0, 30.0, 30.0]})
    r = rank_table(t, groups={"A": "X", "B": "X", "C": "Y"})
    r25 = r[r.period == "2025"].set_index("geo_code")
    assert r25["rank_all"].tolist() == [1, 2, 2]  # ties share the best rank
    assert r25["rank_group"].tolist() == [1, 2, 1]
    rc = rank_changes(r, [Window("last_year", "2024", "2025")]).set_index("geo_code")
    assert rc.loc["A", "rank_all_change"] == 2 and rc.loc["B", "rank_all_change"] == -1


def test_lq_crossings_hand_worked():
    t = pd.DataFrame({"geo_code": ["A"] * 4 + ["B"] * 2, "period": ["2017", "2018", "2019", "2020", "2017", "2018"],
                      "lq": [0.9, 1.0, 1.2, 0.99, 2.0, 2.1]})
    c = lq_crossings(t)
    assert c[["geo_code", "period", "direction"]].values.tolist() == [["A", "2018", "above"], ["A", "2020", "below"]]


def test_lq_series_hand_worked_and_with_a_reference():
    c = pd.DataFrame({"geo_code": ["A", "B"], "period": "2024", "value": [30.0, 10.0], "dataset": "c"})
    a = pd.DataFrame({"geo_code": ["A", "B"], "period": "2024", "value": [100.0, 300.0], "dataset": "a"})
    out = lq_series(c, a).set_index("geo_code")
    assert out.loc["A", "lq"] == pytest.approx((30 / 100) / (40 / 400))
    assert "mixed-source" in out.loc["A", "caveat"]
    ref = pd.DataFrame({"period": ["2024"], "creative": [100.0], "active": [1000.0]})
    only_a = lq_series(c[c.geo_code == "A"], a[a.geo_code == "A"], reference=ref)
    assert only_a["lq"].item() == pytest.approx((30 / 100) / (100 / 1000))
    with pytest.raises(SchemaError, match="must not overlap"):
        lq_series(c, a, reference=pd.DataFrame({"period": ["2024"], "creative": [10.0], "active": [1000.0]}))
    with pytest.raises(SchemaError, match="share no year"):
        lq_series(c, a.assign(period="2023"))


def test_sum_members_suppression_and_unknown_members():
    t = pd.DataFrame({"geo_code": ["a", "b", "a", "b"], "period": ["2024", "2024", "2025", "2025"],
                      "value": [1.0, np.nan, 2.0, 3.0],
                      "disclosure_flag": ["rounded", "suppressed", "rounded", "rounded"]})
    s = sum_members(t, {"G": ["a", "b"]}).set_index("period")
    assert math.isnan(s.loc["2024", "value"]) and s.loc["2024", "disclosure_flag"] == "suppressed"
    assert s.loc["2025", "value"] == 5 and s.loc["2025", "disclosure_flag"] == "rounded"
    with pytest.raises(UnknownCodeError, match="no rows"):
        sum_members(t, {"G": ["a", "zz"]})


def test_outlier_rule_spike_break_and_small_places():
    base = {g: [200.0 + 4 * i + 10 * k for i in range(8)] for k, g in enumerate("ABCDEFGHIJ")}
    base["S"] = [300, 305, 310, 1200, 315, 320, 325, 330]  # spike in 2013
    base["L"] = [300, 305, 310, 900, 905, 910, 915, 920]  # level shift in 2013
    base["T"] = [10, 10, 15, 40, 15, 10, 15, 10]  # jumps, but by less than 50: rounding noise
    f = outlier_flags(long(base)).set_index(["geo_code", "period"])
    flagged = f[f.flag != ""]
    assert flagged["flag"].to_dict() == {("L", "2013"): "break", ("S", "2013"): "outlier"}
    assert "1,200 in 2013" in flagged.loc[("S", "2013"), "note"]
    with pytest.raises(ParameterError, match="threshold"):
        outlier_flags(long(base), threshold=0)


# ------------------------------------------------------------------ invariants
counts = st.lists(st.integers(min_value=0, max_value=5_000).map(float), min_size=4, max_size=4)


@given(st.dictionaries(st.sampled_from(list("ABCDEFG")), counts, min_size=2, max_size=7))
@settings(max_examples=25, deadline=None)
def test_window_changes_agree_with_growth_reference(values):
    t = long(values, start=2021)
    w = [Window("full", "2021", "2024"), Window("last_year", "2023", "2024")]
    ours = window_changes(t, w)
    for win in w:
        ref = growth(t, start=win.start, end=win.end, industry=None).set_index("geo_code")
        mine = ours[ours.window == win.name].set_index("geo_code").loc[ref.index]
        for col in ("start_value", "end_value", "change", "change_pct", "cagr"):
            np.testing.assert_allclose(mine[col].to_numpy(float), ref[col].to_numpy(float), rtol=1e-12)


@given(st.floats(min_value=1, max_value=1e5), st.floats(min_value=0, max_value=1e5), st.integers(1, 15))
@settings(max_examples=100, deadline=None)
def test_cagr_consistent_with_endpoints(start, end, years):
    t = pd.DataFrame({"geo_code": ["A", "A"], "period": ["2000", str(2000 + years)], "value": [start, end]})
    w = window_changes(t, [Window("w", "2000", str(2000 + years))]).iloc[0]
    assert start * (1 + w["cagr"]) ** years == pytest.approx(end, rel=1e-9, abs=1e-9)
    assert w["change"] == pytest.approx(end - start)


@given(st.dictionaries(st.sampled_from([f"L{i}" for i in range(9)]), counts, min_size=1, max_size=9),
       st.data())
@settings(max_examples=30, deadline=None)
def test_aggregation_of_members_equals_their_sum(values, data):
    t = long(values, start=2022)
    codes = sorted(values)
    groups = {f"G{k}": data.draw(st.lists(st.sampled_from(codes), min_size=1, unique=True)) for k in range(3)}
    out = sum_members(t, groups).set_index(["geo_code", "period"])["value"]
    for g, members in groups.items():
        for i in range(4):
            expect = sum(values[m][i] for m in members)
            assert out[(g, str(2022 + i))] == expect


@given(st.dictionaries(st.sampled_from([f"L{i}" for i in range(12)]), counts, min_size=2, max_size=12))
@settings(max_examples=60, deadline=None)
def test_ranks_bounded_and_group_rank_not_worse(values):
    t = long(values, start=2022)
    groups = {c: ("X" if int(c[1:]) % 2 else "Y") for c in values}
    r = rank_table(t, groups=groups)
    assert (r["rank_all"] >= 1).all() and (r["rank_all"] <= r["n_all"]).all()
    assert (r["rank_group"] <= r["rank_all"]).all()


@given(st.dictionaries(st.sampled_from([f"L{i}" for i in range(10)]),
                       st.lists(st.integers(0, 3_000).map(float), min_size=6, max_size=6), min_size=3, max_size=10),
       st.randoms(use_true_random=False))
@settings(max_examples=25, deadline=None)
def test_outlier_flags_never_alter_values_and_ignore_row_order(values, rnd):
    t = long(values)
    f1 = outlier_flags(t)
    rows = list(range(len(t)))
    rnd.shuffle(rows)
    f2 = outlier_flags(t.iloc[rows])
    pd.testing.assert_frame_equal(f1, f2)
    merged = t.merge(f1, on=["geo_code", "period"], suffixes=("", "_flagged"))
    assert (merged["value"] == merged["value_flagged"]).all()


# ------------------------------------------------------------------ real data
@pytest.fixture(scope="module")
def series(data_root: Path) -> pd.DataFrame:
    from creative_clusters.sources.business_counts_timeseries import read_business_counts_series

    return read_business_counts_series(data_root).observations


def test_bromsgrove_2018_is_the_one_outlier_in_the_series(series):
    f = outlier_flags(series)
    flagged = f[f.flag != ""]
    assert flagged[["geo_code", "period", "flag"]].values.tolist() == [["E07000234", "2018", "outlier"]]
    assert flagged["value"].item() == 1_360  # left as published
    assert flagged["robust_z"].item() > 20


def test_standard_windows_on_the_uk_total(series):
    uk = sum_members(series, {"UK": sorted(series["geo_code"].unique())})
    w = window_changes(uk).set_index("window")
    assert w.loc["full", "start_value"] == 190_245 and w.loc["full", "end_value"] == 266_735
    assert w.loc["full", "cagr"] == pytest.approx((266_735 / 190_245) ** (1 / 15) - 1)
    assert w.loc["ten_year", "start_value"] == 255_210


@given(st.dictionaries(st.sampled_from([f"L{i}" for i in range(12)]),
                       st.lists(st.sampled_from([0.0, 5.0, 10.0, 15.0, float("nan")]), min_size=2, max_size=2),
                       min_size=2, max_size=12))
@settings(max_examples=40, deadline=None)
def test_rank_table_is_the_packages_rank_definition(values):
    from creative_clusters.indicators.ranking import supported_rank

    t = long(values, start=2024)
    groups = {c: ("X" if int(c[1:]) % 2 else "Y") for c in values}
    r = rank_table(t, groups=groups)
    for (_p, _g), part in r.groupby(["period", "group"]):
        expect = supported_rank(part["value"], part["value"])  # a count of 0 is never ranked
        np.testing.assert_array_equal(part["rank_group"].astype(float).to_numpy(), expect.to_numpy())


def test_lq_crossings_skip_moves_within_rounding_and_through_flagged_years():
    """Review round 7: Bromsgrove 'crossed 1 in 2018 (0.415 → 1.186), 2019 (1.186 → 0.368)' from a flagged
    outlier, and Cardiff 'crossed' in 2021 (1.035 → 1.000). Neither is a change of side."""
    from creative_clusters.indicators.lq_over_time import NEAR_ONE

    t = pd.DataFrame({"geo_code": ["B"] * 3 + ["C"] * 4 + ["D"] * 3,
                      "period": ["2017", "2018", "2019", "2020", "2021", "2022", "2023", "2017", "2018", "2019"],
                      "lq": [0.415, 1.186, 0.368, 1.035, 0.9996, 1.05, 0.97, 0.9, 1.003, 1.2],
                      "odd": [False, True, False, False, False, False, False, False, False, False]})
    c = lq_crossings(t, near_one=NEAR_ONE, set_aside="odd")
    got = c[["geo_code", "period", "status"]].values.tolist()
    assert got == [["B", "2018", "set-aside"], ["B", "2019", "set-aside"],
                   ["C", "2021", "near-one"], ["C", "2022", "near-one"], ["C", "2023", "crossing"],
                   ["D", "2018", "near-one"], ["D", "2019", "crossing"]]
    d = c[(c.geo_code == "D") & (c.status == "crossing")].iloc[0]
    assert (d["direction"], d["lq_before"], d["lq_after"]) == ("above", 0.9, 1.2)  # from its last side
    # without the options every move across 1 counts, as before
    assert lq_crossings(t)["status"].eq("crossing").sum() == 6
