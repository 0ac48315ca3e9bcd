"""Growth and shift-share: hand-worked values, identities, bad input."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from creative_clusters.errors import ParameterError, SchemaError
from creative_clusters.indicators import growth, period_mean_growth, shift_share


def panel():
    return pd.DataFrame({
        "geo_code": ["A", "A", "B", "B"] * 2,
        "industry_code": ["ci", "other"] * 4,
        "period": ["2015"] * 4 + ["2018"] * 4,
        "value": [10.0, 90, 20, 80, 15, 99, 22, 84],
    })


def test_growth_hand_worked():
    g = growth(panel(), start="2015", end="2018").set_index(["geo_code", "industry_code"])
    assert g.loc[("A", "ci"), "change"] == 5
    assert g.loc[("A", "ci"), "change_pct"] == pytest.approx(50.0)
    assert g.loc[("A", "ci"), "cagr"] == pytest.approx(1.5 ** (1 / 3) - 1)
    assert g.loc[("B", "other"), "change_pct"] == pytest.approx(5.0)


def test_growth_zero_start_gives_nan_not_inf():
    t = panel()
    t.loc[0, "value"] = 0.0
    g = growth(t, start="2015", end="2018")
    assert np.isnan(g.loc[0, "change_pct"]) and np.isnan(g.loc[0, "cagr"])
    assert g.loc[0, "change"] == 15


def test_growth_bad_periods():
    with pytest.raises(SchemaError, match="not in the table"):
        growth(panel(), start="2015", end="2019")
    with pytest.raises(ParameterError, match="after"):
        growth(panel(), start="2018", end="2015")


def test_period_mean_growth_nesta():
    t = pd.DataFrame({"geo_code": ["A"] * 6, "period": ["2011", "2012", "2013", "2014", "2015", "2016"],
                      "value": [10.0, 20, 30, 40, 50, 70]})
    g = period_mean_growth(t, base=["2011", "2012", "2013", "2014"], current=["2015", "2016"], industry=None)
    assert g["base_mean"][0] == 25 and g["current_mean"][0] == 60
    assert g["growth_ratio"][0] == pytest.approx(2.4)
    t.loc[1, "value"] = np.nan
    g = period_mean_growth(t, base=["2011", "2012", "2013", "2014"], current=["2015", "2016"], industry=None)
    assert np.isnan(g["growth_ratio"][0])  # a suppressed year is not silently skipped


def test_shift_share_hand_worked():
    # g = 220/200 - 1 = 0.1; g_ci = 37/30 - 1; A's ci: 10 -> 15
    s = shift_share(panel(), start="2015", end="2018").set_index(["geo_code", "industry_code"])
    row = s.loc[("A", "ci")]
    assert row["national_share"] == pytest.approx(1.0)
    assert row["industry_mix"] == pytest.approx(10 * (7 / 30 - 0.1))
    assert row["competitive"] == pytest.approx(10 * (0.5 - 7 / 30))
    assert row["national_growth"] == pytest.approx(0.1)


def test_shift_share_with_national_totals():
    t = panel()[lambda d: d["industry_code"] == "ci"]
    nat = pd.DataFrame({"industry_code": ["ci", "ci", "_T", "_T"], "period": ["2015", "2018"] * 2,
                        "value": [30.0, 37.0, 200.0, 220.0]})
    s = shift_share(t, start="2015", end="2018", national=nat)
    full = shift_share(panel(), start="2015", end="2018")
    full = full[full["industry_code"] == "ci"].reset_index(drop=True)
    for c in ("national_share", "industry_mix", "competitive"):
        np.testing.assert_allclose(s[c], full[c])


def test_shift_share_missing_value_raises():
    t = panel()
    t.loc[5, "value"] = np.nan
    with pytest.raises(SchemaError, match="lack a value"):
        shift_share(t, start="2015", end="2018")


@settings(max_examples=25, deadline=None)
@given(v0=st.lists(st.integers(0, 10_000), min_size=6, max_size=6),
       v1=st.lists(st.integers(0, 10_000), min_size=6, max_size=6))
def test_shift_share_parts_sum_to_change(v0, v1):
    if sum(v0) == 0:
        v0[0] = 1
    t = pd.DataFrame({"geo_code": np.tile(np.repeat(["a", "b"], 3), 2),
                      "industry_code": ["x", "y", "z"] * 4,
                      "period": ["2015"] * 6 + ["2018"] * 6,
                      "value": np.array(v0 + v1, dtype=float)})
    s = shift_share(t, start="2015", end="2018")
    total = s["national_share"] + s["industry_mix"] + s["competitive"]
    np.testing.assert_allclose(total, s["change"], rtol=0, atol=1e-9)
    # where the start is positive RS equals the textbook formula e0 (g_ir - g_i)
    pos = s["start_value"] > 0
    ok = pos & s["industry_growth"].notna()
    np.testing.assert_allclose(
        s.loc[ok, "competitive"],
        s.loc[ok, "start_value"] * (s.loc[ok, "local_growth"] - s.loc[ok, "industry_growth"]),
        rtol=1e-9, atol=1e-9)
