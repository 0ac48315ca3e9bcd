"""ThresholdClusters, StrongClusters and Corridors: hand-worked examples and bad input."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from creative_clusters.clusters import Corridors, StrongClusters, ThresholdClusters
from creative_clusters.errors import ParameterError, SchemaError


def places():
    return pd.DataFrame({
        "employment_lq": [1.4, 1.2, 0.8, 1.1, np.nan],
        "business_lq": [1.1, 0.9, 1.3, 1.0, 1.5],
        "employment": [5000, 8000, 400, 999, 3000],
        "growth": [0.1, 0.5, 0.9, 0.2, 0.3],
    })


def test_threshold_both_and_either():
    t = places()
    assert ThresholdClusters(min_size=1000).fit_predict(t).tolist() == [True, False, False, False, False]
    assert ThresholdClusters(rule="either", min_size=1000).fit_predict(t).tolist() == [True, True, False, False, True]
    # business LQ alone, no size floor
    det = ThresholdClusters(employment_lq=None, size=None).fit(t)
    assert det.labels_.tolist() == [True, False, True, True, True]
    assert det.n_clusters_ == 4


def test_threshold_emerging_flag():
    det = ThresholdClusters(min_size=1000, growth="growth").fit(places())
    # median growth .3; emerging = growth > .3, both LQs < 1, not a cluster → none here
    assert det.emerging_.tolist() == [False, False, False, False, False]
    det = ThresholdClusters(rule="either", employment_lq=None, size=None, growth="growth").fit(
        places().assign(business_lq=[1.1, 0.9, 0.8, 1.0, 1.5]))
    assert det.emerging_.tolist() == [False, True, True, False, False]


@pytest.mark.parametrize(("kw", "match"), [({"rule": "and"}, "rule"), ({"min_lq": 0}, "min_lq"),
                                           ({"min_size": -1}, "min_size"),
                                           ({"employment_lq": None, "business_lq": None}, "at least one")])
def test_threshold_bad_params(kw, match):
    with pytest.raises(ParameterError, match=match):
        ThresholdClusters(**kw).fit(places())


def test_threshold_missing_column():
    with pytest.raises(SchemaError, match="needs column"):
        ThresholdClusters().fit(places().drop(columns="employment"))


def test_strong_quartiles_hand_worked():
    t = pd.DataFrame({"lq": [0.5, 0.9, 1.2, 2.0, 3.0, 1.6, 0.7, 1.1],
                      "employment": [10, 20, 30, 40, 1, 50, 60, 70],
                      "establishments": [5, 6, 7, 8, 9, 10, 11, 1]})
    det = StrongClusters().fit(t)
    # LQ cut 1.7 (75th pct); employment cut 17.5; establishments cut 6.75
    assert det.labels_.tolist() == [False, False, False, True, False, False, False, False]
    assert det.thresholds_.loc[0, "lq_cut"] == pytest.approx(1.7)
    assert det.thresholds_.loc[0, "employment_cut"] == pytest.approx(17.5)


def test_strong_needs_lq_at_least_one_even_in_top_quartile():
    t = pd.DataFrame({"lq": [0.1, 0.2, 0.3, 0.9], "employment": [5, 6, 7, 8], "establishments": [5, 6, 7, 8]})
    assert not StrongClusters().fit_predict(t).any()


def test_strong_by_group():
    t = pd.DataFrame({"g": ["a"] * 4 + ["b"] * 4, "lq": [1, 2, 3, 4, 10, 20, 30, 40],
                      "employment": [1, 2, 3, 4] * 2, "establishments": [1, 2, 3, 4] * 2})
    assert StrongClusters(by=["g"]).fit_predict(t).tolist() == [False, False, False, True] * 2


def corridor_places():
    # a chain a–b–c 10 km apart, d far away, e near d but not a cluster
    return pd.DataFrame({
        "geo_code": list("abcde"), "geo_name": ["A", "B", "C", "D", "E"],
        "x": [0.0, 10_000, 20_000, 200_000, 205_000], "y": [0.0] * 5,
        "mass": [10.0, 20, 30, 500, 1], "cluster": [True, True, True, True, False],
        "film": [1.0, 2, 3, 0, 0], "music": [0.0, 1, 1, 5, 1],
    })


def test_corridors_chain_and_summary():
    det = Corridors(mix=["film", "music"], min_size=50).fit(corridor_places())
    assert det.labels_.tolist() == [0, 0, 0, -1, -1]  # d alone is not a corridor (min_members=2)
    row = det.corridors_.iloc[0]
    assert row["n_members"] == 3 and row["total_mass"] == 60
    assert row["members"] == "c; b; a"  # largest first
    assert row["length_m"] == pytest.approx(20_000)  # minimum spanning tree
    assert row["span_m"] == pytest.approx(20_000)
    assert row["dominant_subsectors"].startswith("film (75%)")
    # edge weight = combined mass × cosine similarity of the mixes
    e = det.edges_.set_index(["source", "target"]).loc[("a", "b")]
    assert e["weight"] == pytest.approx(30 * 2 / np.sqrt(5))


def test_corridors_min_size_distance_and_similarity():
    p = corridor_places()
    assert Corridors(min_size=100).fit(p).n_clusters_ == 0
    assert Corridors(max_distance=5_000).fit(p).n_clusters_ == 0
    # the a–b edge has similarity .894, b–c .99 and a–c .95: at .9 a still joins through c
    assert Corridors(mix=["film", "music"], min_similarity=0.9).fit(p).labels_.tolist()[:3] == [0, 0, 0]
    assert Corridors(mix=["film", "music"], min_similarity=0.96).fit(p).labels_.tolist()[:3] == [-1, 0, 0]


def test_corridors_travel_time_replaces_distance():
    p = corridor_places()
    codes = list("abcde")
    tt = pd.DataFrame(999.0, index=codes, columns=codes)
    tt.loc["a", "d"] = tt.loc["d", "a"] = 30.0
    det = Corridors(travel_time=tt, max_minutes=45).fit(p)
    assert det.labels_.tolist() == [0, -1, -1, 0, -1]
    with pytest.raises(SchemaError, match="travel-time matrix lacks"):
        Corridors(travel_time=tt.drop(index="a")).fit(p)


def test_corridors_contiguity_joins_touching_clusters():
    from libpysal.weights import W

    p = corridor_places()
    w = W({"a": ["d"], "b": [], "c": [], "d": ["a"], "e": []}, silence_warnings=True)
    det = Corridors(max_distance=0, connectivity=w).fit(p)
    assert det.labels_.tolist() == [0, -1, -1, 0, -1]


def test_corridors_bad_input():
    p = corridor_places()
    with pytest.raises(SchemaError, match="repeat"):
        Corridors().fit(pd.concat([p, p]))
    q = p.copy()
    q.loc[0, "x"] = np.nan
    with pytest.raises(SchemaError, match="no centroid"):
        Corridors().fit(q)
    with pytest.raises(SchemaError, match="needs column"):
        Corridors().fit(p.drop(columns="x"))


def test_corridors_without_a_mix_report_no_similarity():
    """Review round 7: `corridors --scope uk` (a series with no sub-sectors) printed mean_similarity 1.0, a
    perfect similarity computed from nothing."""
    det = Corridors(min_size=50).fit(corridor_places())
    row = det.corridors_.iloc[0]
    assert det.labels_.tolist() == [0, 0, 0, -1, -1]  # linked by distance alone, as before
    assert np.isnan(row["mean_similarity"]) and row["dominant_subsectors"] is None
    assert det.edges_["similarity"].isna().all()
    e = det.edges_.set_index(["source", "target"]).loc[("a", "b")]
    assert e["weight"] == pytest.approx(30)  # combined mass, unweighted by a similarity nobody measured
