"""Concentration (Hoover, Gini, Krugman) and specialisation (HHI, entropy, diversity)."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from creative_clusters.errors import SchemaError
from creative_clusters.indicators import hoover_index, krugman_dissimilarity, locational_gini, specialisation


def four_rows():
    return pd.DataFrame({"geo_code": ["A", "A", "B", "B"], "industry_code": ["ci", "other"] * 2,
                         "value": [30.0, 70.0, 10.0, 90.0]})


def test_hoover_hand_worked():
    # ci shares over areas .75/.25 vs activity .5/.5 → ½(.25+.25) = .25
    h = hoover_index(four_rows()).set_index("industry_code")["hoover"]
    assert h["ci"] == pytest.approx(0.25)
    assert h["other"] == pytest.approx(0.0625)


def test_hoover_zero_when_spread_like_economy_and_one_when_all_in_tiny_area():
    even = pd.DataFrame({"geo_code": ["A", "A", "B", "B"], "industry_code": ["ci", "o"] * 2,
                         "value": [10.0, 90, 20, 180]})
    assert hoover_index(even).set_index("industry_code").loc["ci", "hoover"] == pytest.approx(0)
    skew = pd.DataFrame({"geo_code": ["A", "A", "B", "B"], "industry_code": ["ci", "o"] * 2,
                         "value": [1.0, 0, 0, 1e9]})
    assert hoover_index(skew).set_index("industry_code").loc["ci", "hoover"] == pytest.approx(1, abs=1e-6)


def test_locational_gini_hand_worked():
    g = locational_gini(four_rows()).set_index("industry_code")["locational_gini"]
    assert g["ci"] == pytest.approx(0.25)


def test_krugman_hand_worked():
    k = krugman_dissimilarity(four_rows()).set_index("geo_code")["krugman"]
    # A: |.3-.2| + |.7-.8| = .2
    assert k["A"] == pytest.approx(0.2) and k["B"] == pytest.approx(0.2)


@settings(max_examples=25, deadline=None)
@given(values=st.lists(st.integers(0, 10_000), min_size=9, max_size=9).filter(
    lambda v: all(sum(v[i::3]) > 0 for i in range(3)) and all(sum(v[3 * i:3 * i + 3]) > 0 for i in range(3))))
def test_hoover_and_gini_in_unit_interval(values):
    t = pd.DataFrame({"geo_code": np.repeat(["a", "b", "c"], 3), "industry_code": ["x", "y", "z"] * 3,
                      "value": np.array(values, dtype=float)})
    h = hoover_index(t)["hoover"]
    g = locational_gini(t)["locational_gini"]
    k = krugman_dissimilarity(t)["krugman"]
    assert ((h >= -1e-12) & (h <= 1 + 1e-12)).all()
    assert ((g >= -1e-12) & (g <= 1 + 1e-12)).all()
    assert ((k >= -1e-12) & (k <= 2 + 1e-12)).all()


def test_specialisation_hand_worked():
    t = pd.DataFrame({"geo_code": ["A", "A", "B", "B"], "industry_code": ["film_tv", "music_arts"] * 2,
                      "value": [50.0, 50, 90, 10]})
    s = specialisation(t).set_index("geo_code")
    assert s.loc["A", "hhi"] == pytest.approx(0.5)
    assert s.loc["B", "hhi"] == pytest.approx(0.82)
    assert s.loc["A", "shannon_entropy"] == pytest.approx(math.log(2))
    assert s.loc["B", "shannon_entropy"] == pytest.approx(-(0.9 * math.log(0.9) + 0.1 * math.log(0.1)))
    assert s.loc["A", "n_lq_above_1"] == 1 and s.loc["B", "n_lq_above_1"] == 1
    assert s.loc["A", "creative_total"] == 100


def test_specialisation_with_given_lq_and_suppressed_cell():
    t = pd.DataFrame({"geo_code": ["A", "A", "B", "B"], "industry_code": ["x", "y"] * 2,
                      "value": [np.nan, 5.0, 3.0, 3.0], "my_lq": [np.nan, 2.0, 1.5, 0.5]})
    s = specialisation(t, lq="my_lq").set_index("geo_code")
    assert np.isnan(s.loc["A", "hhi"])  # a suppressed sub-sector makes the mix unknown
    assert s.loc["B", "n_lq_above_1"] == 1


def test_specialisation_missing_column():
    with pytest.raises(SchemaError, match="needs column"):
        specialisation(four_rows(), lq="nope")
