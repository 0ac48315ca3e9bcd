"""Down-weighted registered-office hubs count by their weight in a microcluster's size, mix and rank;
one meaning per column name across microclusters.csv, the hierarchy, sweep.csv and the methods table.

SYNTHETIC data throughout: two invented towns, one with a formation agent's postcode.
"""

from __future__ import annotations

import json

import numpy as np
import pandas as pd

from creative_clusters.microclusters.hubs import HUB_CAP
from creative_clusters.microclusters.outputs import detect_microclusters
from creative_clusters.reporting._national import rank_microclusters
from creative_clusters.sources.firm_files import companies_at_postcode


def _two_towns() -> pd.DataFrame:
    """SYNTHETIC. Town A: 60 design firms (a third also film_tv) and 200 it_software firms registered at
    one hub postcode in its middle; town B, 8 km away: 90 music_arts firms."""
    rng = np.random.default_rng(7)
    a = rng.normal(0, 150, (60, 2)) + np.array([435000.0, 387000.0])
    hub = np.repeat(np.array([[435010.0, 387010.0]]), 200, axis=0)
    b = rng.normal(0, 150, (90, 2)) + np.array([443000.0, 387000.0])
    xy = np.r_[a, hub, b]
    pcs = ([f"S1 {i}AA" for i in range(60)] + ["S63 5DB"] * 200 + [f"S2 {i}BB" for i in range(90)])
    sub = ["design"] * 60 + ["it_software"] * 200 + ["music_arts"] * 90
    subs = ["design;film_tv" if i % 3 == 0 else "design" for i in range(60)] + sub[60:]
    return pd.DataFrame({"firm_id": [f"F{i}" for i in range(len(xy))], "easting": xy[:, 0],
                         "northing": xy[:, 1], "postcode": pcs,
                         "postcode_companies": companies_at_postcode(pd.Series(pcs)),
                         "subsector": sub, "subsectors": subs})


def _by_town(mc: pd.DataFrame) -> pd.DataFrame:
    return mc.assign(town=np.where(mc["centroid_easting"] < 439000, "A", "B")).set_index("town")


def test_hub_firms_count_by_their_weight_in_size_share_and_subsector():
    res = detect_microclusters(_two_towns(), eps=500, min_firms=50, stability_reps=0, method="dbscan")
    mc = _by_town(res.microclusters)
    # every firm is still listed: the hub's 200 are re-attached to town A
    assert mc.loc["A", "n_firms"] == 260 and mc.loc["B", "n_firms"] == 90
    # but the hub counts as at most HUB_CAP firms, as when the clusters were found
    assert mc.loc["A", "n_firms_hub_weighted"] == 60 + HUB_CAP
    assert mc.loc["B", "n_firms_hub_weighted"] == 90
    assert mc.loc["A", "hub_firm_share"] == round(200 / 260, 4) and mc.loc["B", "hub_firm_share"] == 0
    # the sub-sector comes from the weighted firms: 60 design firms outweigh the hub's 15
    assert mc.loc["A", "dominant_subsector"] == "design"
    mix = json.loads(mc.loc["A", "subsector_mix"])
    # assignments: design 60, film_tv 20, it_software 15 (200 firms x 15/200)
    assert mix == {"design": round(60 / 95, 4), "film_tv": round(20 / 95, 4), "it_software": round(15 / 95, 4)}


def test_rank_is_by_the_hub_weighted_size():
    res = detect_microclusters(_two_towns(), eps=500, min_firms=50, stability_reps=0, method="dbscan")
    ranked = _by_town(rank_microclusters(res.microclusters))
    # town A has more firms listed (260 > 90) only because of the hub; by weight B (90) is larger than A (75)
    assert ranked.loc["B", "national_rank"] == 1 and ranked.loc["A", "national_rank"] == 2


def test_dominant_share_is_the_dominant_entry_of_the_mix():
    res = detect_microclusters(_two_towns(), eps=500, min_firms=50, stability_reps=0, hubs="keep",
                               method="dbscan")
    for _, row in res.microclusters.iterrows():
        mix = json.loads(row["subsector_mix"])
        assert row["dominant_subsector"] == max(mix, key=mix.__getitem__)
        assert row["dominant_share"] == mix[row["dominant_subsector"]]


def test_hierarchy_counts_points_not_firms():
    """The hierarchy counts the points the clustering saw; microclusters.csv's n_firms counts every firm
    (re-attached hub firms too): the two are named apart, and a leaf's points are its weighted size here
    (a hub's firms share one location)."""
    res = detect_microclusters(_two_towns(), eps=500, min_firms=50, stability_reps=0, method="split")
    assert "n_firms" not in res.hierarchy.columns
    points = res.hierarchy.set_index("cluster_id")["n_points"]
    mc = res.microclusters.set_index("microcluster_id")
    assert (points.loc[mc.index] == mc["n_firms_hub_weighted"]).all()
    assert (points.loc[mc.index] < mc["n_firms"]).any()


def test_sweep_and_methods_tables_count_alike():
    res = detect_microclusters(_two_towns(), eps=500, min_firms=50, stability_reps=0, method="dbscan",
                               sweep=True)
    sweep = res.sweep.set_index(["eps", "min_firms"]).loc[(500.0, 50)]
    meth = res.methods.set_index("method").loc["dbscan"]
    for col in ("n_microclusters", "firms_clustered", "firms_total", "share_clustered"):
        assert sweep[col] == meth[col], col
    assert sweep["firms_total"] == 350 and sweep["firms_clustered"] == 350
    assert sweep["largest"] == meth["firms_max"] == 260
    assert (res.sweep["share_clustered"] == res.sweep["share_clustered"].round(4)).all()
