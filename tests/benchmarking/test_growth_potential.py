"""Growth-potential benchmark: config, indicator values, percentiles, peers, composite, sensitivity."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.stats import percentileofscore

from creative_clusters.benchmarking import (
    choose_peers,
    composite_score,
    indicator_table,
    indicator_values,
    load_framework,
    peer_features,
    percentile_rank,
    percentiles,
    sensitivity,
)
from creative_clusters.benchmarking.framework import count_in_place
from creative_clusters.errors import ParameterError, SchemaError

FW = load_framework()


def test_framework_has_five_dimensions_and_gap_indicators():
    assert [d.title for d in FW.dimensions] == [
        "Scale and concentration", "Dynamism", "Skills and talent",
        "Innovation and knowledge exchange", "Enabling conditions"]
    gaps = [i.id for i in FW.indicators if not i.has_source]
    assert {"rd_expenditure", "ke_income", "graduate_retention"} <= set(gaps)
    assert all(i.how_to_get for i in FW.indicators if not i.has_source)
    assert all(i.direction in ("higher", "lower") for i in FW.indicators)
    assert FW.indicator("death_rate").direction == "lower"
    # the framework names dataset kinds (the catalogue serves the latest of each), never dataset ids
    assert set(FW.datasets) >= {"creative_enterprises_sic", "business_demography", "census_industry",
                                "local_indicators", "deprivation_england", "hei"}


def test_bad_framework_rejected(tmp_path):
    p = tmp_path / "bad.yaml"
    p.write_text("id: x\nversion: 1\ntitle: X\ndimensions:\n - id: d\n   title: D\n   weight: 1\n"
                 "   indicators:\n    - {id: a, label: A, direction: up, weight: 1, source: null}\n")
    with pytest.raises(SchemaError, match="direction"):
        load_framework(p)
    p.write_text("id: x\nversion: 1\ntitle: X\ndimensions:\n - id: d\n   title: D\n   weight: 1\n"
                 "   indicators:\n    - {id: a, label: A, direction: higher, weight: 1, source: null}\n")
    with pytest.raises(SchemaError, match="how_to_get"):
        load_framework(p)


@pytest.mark.parametrize("weight", ["heavy", "-1", "true"])
def test_a_dimension_weight_that_is_not_a_number_names_the_file_and_dimension(tmp_path, weight):
    """A dimension's weight of 'heavy' ended in "ValueError: could not convert string to float"."""
    p = tmp_path / "bad_framework.yaml"
    p.write_text(f"id: x\nversion: 1\ntitle: X\ndimensions:\n - id: scale\n   title: D\n   weight: {weight}\n"
                 "   indicators:\n    - {id: a, label: A, direction: higher, weight: 1, source: null, how_to_get: x}\n")
    with pytest.raises(SchemaError, match=r"bad_framework\.yaml: dimension 'scale': weight must be a number >= 0"):
        load_framework(p)



def _span_framework(tmp_path, span):
    p = tmp_path / "span.yaml"
    p.write_text("id: x\nversion: 1\ntitle: X\ndimensions:\n - id: d\n   title: D\n   weight: 1\n"
                 "   indicators:\n    - {id: g, label: G, direction: higher, weight: 1, source: "
                 f"{{dataset: s, measure: n, transform: growth_pct, span_years: {span}}}}}\n")
    return load_framework(p)


def test_growth_over_a_span_of_years_hand_worked(tmp_path):
    fw = _span_framework(tmp_path, 5)
    rows = [("A", "2015", 5.0), ("A", "2020", 40.0), ("A", "2025", 50.0),
            ("B", "2015", 1.0), ("B", "2025", 9.0)]  # B has no 2020: no value, not growth from 2015
    o = pd.DataFrame([{"geo_code": g, "geo_type": "lad", "geo_vintage": "2023", "measure": "n", "period": p,
                       "status": "", "industry_code": "", "occupation_code": "", "value": v} for g, p, v in rows])
    vals = indicator_values(fw, {"s": o})
    assert vals.set_index("geo_code")["value"].to_dict() == {"A": pytest.approx(25.0)}  # 50 / 40 - 1
    assert vals["period"].tolist() == ["2020–2025"]
    # without span_years: earliest to latest (2015 to 2025)
    nospan = indicator_values(load_framework(), {"business_demography": o.assign(measure="active_enterprises")})
    g = nospan[nospan["indicator_id"] == "active_enterprises_growth"].set_index("geo_code")["value"]
    assert g.to_dict() == {"A": pytest.approx(900.0), "B": pytest.approx(800.0)}


def test_span_years_needs_years_and_a_growth_transform(tmp_path):
    with pytest.raises(SchemaError, match="span_years"):
        _span_framework(tmp_path, 0)
    fw = _span_framework(tmp_path, 5)
    o = pd.DataFrame({"geo_code": ["A", "A"], "geo_type": "lad", "geo_vintage": "2023", "measure": "n",
                      "period": ["2020-Q1", "2025-Q1"], "status": "", "industry_code": "", "occupation_code": "",
                      "value": [1.0, 2.0]})
    with pytest.raises(SchemaError, match="periods that are years"):
        indicator_values(fw, {"s": o})

def test_hand_worked_percentiles_and_direction_flip():
    # values 10, 20, 30, 40 ; place = 30 -> 2 below, itself equal -> (2 + .5)/4 = 62.5
    assert percentile_rank([10, 20, 30, 40], 30) == 62.5
    assert percentile_rank([10, 20, 30, 40], 30, direction="lower") == 37.5
    # ties: 2 below, 2 equal (incl. itself) of 5 -> (2 + 1)/5 = 60
    assert percentile_rank([1, 2, 3, 3, 9], 3) == 60.0
    v = pd.DataFrame({"birth_rate": [10.0, 20.0, 30.0, 40.0], "death_rate": [10.0, 20.0, 30.0, 40.0]},
                     index=["A", "B", "C", "D"])
    t = percentiles(v, place="C", peers=["A", "B"], framework=FW).set_index("indicator_id")
    assert t.loc["birth_rate", "pct_all"] == 62.5
    assert t.loc["death_rate", "pct_all"] == 37.5          # lower is better
    # among C, A, B: C is highest -> (2 + .5)/3
    assert t.loc["birth_rate", "pct_peers"] == pytest.approx(250 / 3)
    assert t.loc["death_rate", "pct_peers"] == pytest.approx(50 / 3)
    assert t.loc["birth_rate", "n_peers"] == 3


@settings(max_examples=50, deadline=None)
@given(st.lists(st.integers(-50, 50), min_size=1, max_size=30), st.data())
def test_percentile_matches_scipy_mean_kind(values, data):
    x = data.draw(st.sampled_from(values))
    assert percentile_rank(values, x) == pytest.approx(percentileofscore(values, x, kind="mean"))
    assert percentile_rank(values, x, direction="lower") == pytest.approx(
        percentileofscore([-v for v in values], -x, kind="mean"))


def test_gap_is_reported_never_scored_zero():
    v = pd.DataFrame({"birth_rate": [10.0, 20.0, 30.0], "gva_per_hour": [np.nan, 40.0, 30.0]},
                     index=["A", "B", "C"])
    t = percentiles(v, place="A", peers=["B", "C"], framework=FW).set_index("indicator_id")
    assert t.loc["gva_per_hour", "status"] == "gap"
    assert np.isnan(t.loc["gva_per_hour", "pct_all"]) and np.isnan(t.loc["gva_per_hour", "value"])
    assert t.loc["rd_expenditure", "status"] == "gap"
    assert "BERD" in t.loc["rd_expenditure", "note"]
    # composite: A has only birth_rate; scale dims renormalise over what it has
    cs = composite_score(v, FW)
    # A's birth_rate percentile among 3 = 16.67 -> composite is exactly that, not dragged to 0 by the gap
    assert cs.loc["A", "composite"] == pytest.approx(100 * 0.5 / 3)
    assert cs.loc["A", "n_indicators"] == 1 and cs.loc["A", "n_dimensions"] == 1
    # B: dynamism 50 (birth), enabling 83.3 (gva 40 best of 2 -> (1+.5)/2=75) ; mean of dims
    assert cs.loc["B", "composite"] == pytest.approx((50 + 75) / 2)
    res = sensitivity(v, FW, "A", n_draws=5)
    assert "renormalised" in res.note and "GVA per hour" in res.note


def test_composite_weights_and_sensitivity_deterministic():
    rng = np.random.default_rng(3)
    v = pd.DataFrame(rng.normal(size=(20, 4)), columns=["birth_rate", "gva_per_hour", "hei_count",
                                                        "creative_enterprises"],
                     index=[f"P{i:02d}" for i in range(20)])
    a = sensitivity(v, FW, "P05", n_draws=30, seed=7)
    b = sensitivity(v, FW, "P05", n_draws=30, seed=7)
    pd.testing.assert_frame_equal(a.scenarios, b.scenarios)
    assert a.rank_min <= a.baseline_rank <= a.rank_max
    assert len(a.scenarios) == 1 + 1 + 5 + 30
    # dropping every dimension but one gives that dimension's own ranking
    only = {d.id: 0.0 for d in FW.dimensions}
    only["dynamism"] = 1.0
    r = composite_score(v, FW, weights=only)["rank"]
    expect = v["birth_rate"].rank(ascending=False, method="min").astype(int)
    assert (r.astype(int) == expect).all()
    with pytest.raises(ParameterError):
        composite_score(v, FW, weights={"nonsense": 1})


def test_peers_exclude_place_and_follow_size_and_structure():
    counts = pd.DataFrame({"film_tv": [100, 110, 1000, 95, 100], "music_arts": [100, 90, 1000, 5, 100]},
                          index=["P", "Q", "R", "S", "T"], dtype=float)
    f = peer_features(counts)
    peers = choose_peers(f, "P", k=2)
    assert "P" not in peers
    assert peers == ["T", "Q"]  # T identical, Q similar size and mix; S has a different mix, R is big
    assert choose_peers(f, "P", k=10)[-1] in ("R", "S") and len(choose_peers(f, "P", k=10)) == 4
    assert choose_peers(f, "P", peers=["R", "P", "S"]) == ["R", "S"]  # user peers override
    with pytest.raises(ParameterError, match="peer code"):
        choose_peers(f, "P", peers=["ZZ"])


def test_indicator_values_from_observations():
    def obs(ds, code, measure, value, period="2024", scheme="", ind="", status=""):
        return {"dataset": ds, "geo_code": code, "geo_type": "lad", "geo_vintage": "2023",
                "industry_scheme": scheme, "industry_code": ind, "status": status, "period": period,
                "measure": measure, "value": value, "occupation_code": ""}
    rows = []
    for code, a, c in (("E1", 1000.0, 50.0), ("E2", 3000.0, 50.0)):
        rows.append(obs("business_demography", code, "active_enterprises", a))
        rows.append(obs("business_demography", code, "active_enterprises", a / 2, period="2019"))
        rows.append(obs("creative_enterprises_sic", code, "enterprises", c, "2025", "SIC2007", "5911"))
        rows.append(obs("creative_enterprises_sic", code, "enterprises", c, "2025", "SIC2007", "6201"))
    df = pd.DataFrame(rows)
    o = {str(k): g for k, g in df.groupby("dataset")}
    vals = indicator_values(FW, o, {"hei": pd.DataFrame({"lad_code": ["E1"]})}, universe=["E1", "E2"])
    t = indicator_table(FW, vals)
    assert t.loc["E1", "creative_enterprises"] == 100
    # LQ: E1 100/1000 over 200/4000 -> 2 ; E2 100/3000 / (1/20) = 2/3
    assert t.loc["E1", "creative_business_lq"] == pytest.approx(2.0)
    assert t.loc["E2", "creative_business_lq"] == pytest.approx(2 / 3)
    assert t.loc["E1", "active_enterprises_growth"] == pytest.approx(100.0)
    assert t.loc["E2", "hei_count"] == 0 and t.loc["E1", "hei_count"] == 1
    assert t["rd_expenditure"].isna().all()
    assert list(t.columns) == [i.id for i in FW.indicators]


def test_count_in_place_without_lad_column_gives_nothing():
    assert count_in_place(pd.DataFrame({"name": ["x"]})).empty
