"""Registered-office hubs (hand-worked values) and split DBSCAN (neighbourhood-scale leaves)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from creative_clusters.errors import ParameterError
from creative_clusters.microclusters.dbscan import dbscan
from creative_clusters.microclusters.hierarchy import extent_km2, split_dbscan
from creative_clusters.microclusters.hubs import clustering_rows, hub_mask
from creative_clusters.microclusters.methods import cluster_points, compare_methods
from creative_clusters.microclusters.outputs import detect_microclusters
from creative_clusters.sources.firm_files import companies_at_postcode


def test_hub_rule_by_hand():
    # 99 companies at one postcode is not a hub, 100 is (the rule: >= 100 in the file)
    pcs = pd.Series(["S1 1AA"] * 100 + ["s11ab"] * 99 + [None])
    n = companies_at_postcode(pcs)
    assert n.iloc[0] == 100 and n.iloc[100] == 99 and pd.isna(n.iloc[-1])
    firms = pd.DataFrame({"postcode": pcs, "postcode_companies": n})
    hub = hub_mask(firms)
    assert hub[:100].all() and not hub[100:].any()
    use, rep = clustering_rows(firms, policy="downweight", cap=15)
    assert use[:15].all() and not use[15:100].any() and use[100:].all()
    assert (rep[15:100] == 0).all() and (rep[100:] == np.arange(100, 200)).all()
    use, rep = clustering_rows(firms, policy="exclude")
    assert not use[:100].any() and (rep[:100] == -1).all()
    use, _ = clustering_rows(firms, policy="keep")
    assert use.all()
    with pytest.raises(ParameterError, match="--hubs"):
        clustering_rows(firms, policy="drop")


def _hub_town(seed=0):
    """SYNTHETIC: 60 firms spread over a town centre and an accountant's postcode with 300 firms."""
    rng = np.random.default_rng(seed)
    town = rng.normal(0, 200, (60, 2)) + np.array([435000, 387000])
    hub = np.repeat(np.array([[440000.0, 390000.0]]), 300, axis=0)  # 5.8 km away, one point
    xy = np.r_[town, hub]
    pcs = [f"S1 {i}AA" for i in range(60)] + ["S11 9PA"] * 300
    return pd.DataFrame({"firm_id": [f"F{i}" for i in range(360)], "easting": xy[:, 0], "northing": xy[:, 1],
                         "postcode": pcs, "postcode_companies": companies_at_postcode(pd.Series(pcs)),
                         "subsector": "design", "subsectors": "design"})


def test_hub_policies_change_what_is_clustered():
    firms = _hub_town()
    keep = detect_microclusters(firms, eps=500, min_firms=50, stability_reps=0, hubs="keep")
    down = detect_microclusters(firms, eps=500, min_firms=50, stability_reps=0, hubs="downweight")
    excl = detect_microclusters(firms, eps=500, min_firms=50, stability_reps=0, hubs="exclude")
    # kept whole, the single postcode is a "microcluster" of 300 firms; capped at 15 it is too small
    assert sorted(keep.microclusters["n_firms"]) == [60, 300]
    assert down.microclusters["n_firms"].tolist() == [60]
    assert excl.microclusters["n_firms"].tolist() == [60]
    assert down.firms["is_hub"].sum() == 300
    assert (down.firms.loc[down.firms["is_hub"], "hub_role"].value_counts().to_dict()
            == {"downweighted": 285, "clustered": 15})
    assert (excl.firms.loc[excl.firms["is_hub"], "hub_role"] == "excluded").all()
    assert keep.microclusters.set_index("n_firms").loc[300, "n_hub_firms"] == 300


def test_hub_sensitivity_reported_by_sweep():
    res = detect_microclusters(_hub_town(), eps=500, min_firms=50, stability_reps=0, sweep=True)
    t = res.hub_sensitivity.set_index("hubs")
    assert t.loc["keep", "n_microclusters"] == 2 and t.loc["exclude", "n_microclusters"] == 1
    assert t.loc["keep", "largest"] == 300 and t.loc["downweight", "firms_clustered"] == 60
    assert list(res.methods["method"]) == ["split", "dbscan", "hdbscan"]


def _city(seed=1):
    """SYNTHETIC: three dense quarters 2.5 km apart joined by a dense corridor (a chained 'city')."""
    rng = np.random.default_rng(seed)
    q = [rng.normal(0, 120, (150, 2)) + np.array(c) for c in ([0, 0], [2500, 0], [5000, 0])]
    corridor = np.c_[rng.uniform(0, 5000, 600), rng.normal(0, 30, 600)]
    return np.r_[(*q, corridor)] + np.array([430000.0, 380000.0])


def test_split_leaves_within_the_bound_and_hierarchy_consistent():
    X = _city()
    top, _ = dbscan(X, 1000, 50)
    assert top.max() == 0 and extent_km2(X[top == 0]) > 1.0  # one chained cluster
    h = split_dbscan(X, eps=1000, min_firms=50, max_extent_km2=1.0)
    nodes = h.nodes.set_index("cluster_id")
    leaves = nodes[nodes["is_leaf"]]
    assert len(leaves) >= 3
    assert ((leaves["extent_km2"] <= 1.0) | leaves["over_extent_bound"]).all()
    # each child is inside its parent; each firm is in at most one leaf
    for cid, row in nodes.iterrows():
        if row["parent_id"]:
            kid = set(h.members[list(nodes.index).index(cid)].tolist())
            par = set(h.members[list(nodes.index).index(row["parent_id"])].tolist())
            assert kid <= par and row["eps_m"] == nodes.loc[row["parent_id"], "eps_m"] / 2
    counts = np.bincount(h.leaf[h.leaf >= 0])
    assert counts[counts > 0].sum() == (h.leaf >= 0).sum()


def test_split_with_a_large_bound_is_exact_dbscan():
    X = _city()
    lab = cluster_points(X, method="split", eps=400, min_firms=30, stability_reps=0, max_extent_km2=1e9)
    ref, core = dbscan(X, 400, 30)
    np.testing.assert_array_equal(lab.labels, ref)
    np.testing.assert_array_equal(lab.core, core)


def test_split_that_cannot_split_is_flagged_not_dropped():
    rng = np.random.default_rng(3)  # SYNTHETIC: an even spread, 80 firms over 3 km x 3 km
    X = rng.uniform(0, 3000, (80, 2)) + 400000
    h = split_dbscan(X, eps=1500, min_firms=50, max_extent_km2=1.0)
    assert h.nodes["is_leaf"].all() and h.nodes["over_extent_bound"].all()
    assert (h.leaf >= 0).sum() == (dbscan(X, 1500, 50)[0] >= 0).sum()


def test_compare_methods_side_by_side():
    t = compare_methods(_city(), eps=1000, min_firms=50, max_extent_km2=1.0).set_index("method")
    assert t.loc["dbscan", "n_microclusters"] == 1
    assert t.loc["split", "n_microclusters"] >= 3
    assert t.loc["split", "extent_km2_max"] < t.loc["dbscan", "extent_km2_max"]


def test_real_south_yorkshire_hubs_and_compact_default(sy_creative):
    firms, _ = sy_creative
    firms = firms[firms["company_status"].str.startswith("Active")]
    # S11 9PA registers 1,602 companies in the file (data checked by hand with value_counts)
    s11 = firms[firms["postcode"] == "S11 9PA"]
    assert len(s11) and (s11["postcode_companies"] >= 1500).all() and hub_mask(s11).all()
    res = detect_microclusters(firms, stability_reps=0)  # defaults: split, hubs down-weighted
    mc = res.microclusters
    assert ((mc["extent_km2"] <= 5.0) | mc["over_extent_bound"]).all()
    assert not (mc["top_postcode"] == "S11 9PA").any() or mc["n_firms"].max() < 800
    exact = detect_microclusters(firms, method="dbscan", hubs="keep", stability_reps=0).microclusters
    assert exact["area_km2"].max() > 10 > mc["area_km2"].max()  # DBSCAN chains; split does not


def test_split_stability_does_not_depend_on_how_parents_are_scheduled(monkeypatch):
    """Small parents run their draws several at once (one thread each), large ones with threaded draws:
    either way each parent's draws come from its own seed, so the stabilities are equal (SYNTHETIC)."""
    from creative_clusters.microclusters import stability  # methods takes the threshold from it when it draws

    rng = np.random.default_rng(4)
    scatter = rng.uniform(0, 30000, (200, 2)) + np.array([430000.0, 370000.0])
    X = np.r_[_city(1), _city(2) + np.array([20000.0, 0]), scatter]

    def run(threshold):
        monkeypatch.setattr(stability, "THREADED_MIN_POINTS", threshold)
        lab = cluster_points(X, method="split", eps=1000, min_firms=50, stability_reps=6, max_extent_km2=1.0)
        return lab.firm_stability, lab.stability, lab.nodes

    f_pool, s_pool, nodes = run(10**9)  # every parent "small": parents in a pool, draws serial
    f_thr, s_thr, _ = run(0)  # every parent "large": one at a time, draws in threads
    assert (~nodes["is_leaf"]).sum() >= 3  # several parents to schedule
    np.testing.assert_array_equal(f_pool, f_thr)
    np.testing.assert_array_equal(s_pool, s_thr)
    assert np.isfinite(s_pool).all() and 0 < np.nanmean(f_pool) <= 1
