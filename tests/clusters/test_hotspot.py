"""HotspotClusters: identical to esda for the same inputs and seed; FDR; islands."""

from __future__ import annotations

import itertools
import warnings

import numpy as np
import pandas as pd
import pytest

from creative_clusters.clusters import HotspotClusters, load_esda
from creative_clusters.errors import ParameterError, UnknownCodeError

esda = load_esda()  # import esda the way the toolkit does (see load_esda's docstring)
from libpysal.graph import Graph  # noqa: E402
from libpysal.weights import W, lat2W  # noqa: E402


def grid_table(seed=3):
    rng = np.random.default_rng(seed)
    y = rng.gamma(2.0, 1.0, 64)
    y[[0, 1, 8, 9, 16, 17]] += 6  # a hot corner
    return pd.DataFrame({"geo_code": [f"P{i:02d}" for i in range(64)], "lq": y})


def grid_w():
    w = lat2W(8, 8)  # rook contiguity on an 8 x 8 lattice
    ids = [f"P{i:02d}" for i in range(64)]
    return W({ids[i]: [ids[j] for j in nb] for i, nb in w.neighbors.items()}, id_order=ids,
             silence_warnings=True)


@pytest.mark.parametrize("kind", ["W", "Graph"])
def test_statistics_and_pvalues_equal_esda(kind):
    table = grid_table()
    w = grid_w()
    conn = w if kind == "W" else Graph.from_W(w)
    det = HotspotClusters(conn, permutations=199, seed=42, fdr=False).fit(table)
    y = table["lq"].to_numpy()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        g = esda.G_Local(y, grid_w(), transform="B", star=True, permutations=199, seed=42, n_jobs=1)
        m = esda.Moran_Local(y, grid_w(), permutations=199, seed=42, n_jobs=1)
    r = det.results_
    np.testing.assert_array_equal(r["gi_star"].to_numpy(), g.Gs)
    np.testing.assert_array_equal(r["gi_z"].to_numpy(), g.Zs)
    np.testing.assert_array_equal(r["gi_p"].to_numpy(), g.p_sim)
    np.testing.assert_array_equal(r["lisa_i"].to_numpy(), m.Is)
    np.testing.assert_array_equal(r["lisa_p"].to_numpy(), m.p_sim)
    quad = np.array(["HH", "LH", "LL", "HL"], dtype=object)[m.q - 1]
    expect = np.where(m.p_sim < 0.05, quad, "ns")
    assert r["lisa_quadrant"].tolist() == expect.tolist()


def test_row_order_of_table_does_not_matter():
    table = grid_table()
    a = HotspotClusters(grid_w(), permutations=99, seed=1).fit(table).results_
    shuffled = table.sample(frac=1, random_state=0)
    b = HotspotClusters(grid_w(), permutations=99, seed=1).fit(shuffled).results_
    pd.testing.assert_frame_equal(a, b.loc[a.index])


def test_hot_corner_is_found_with_fdr():
    det = HotspotClusters(grid_w(), permutations=999, seed=0).fit(grid_table())
    hot = set(det.results_.index[det.results_["gi_label"] == "hot"])
    assert hot and hot <= {0, 1, 2, 8, 9, 10, 16, 17, 18, 24, 25}
    # FDR uses esda.fdr: significant iff p < fdr threshold
    p = det.results_["gi_p"].to_numpy()
    assert (det.results_["gi_label"] != "not significant").to_numpy().tolist() == (p < esda.fdr(p, 0.05)).tolist()


def test_islands_warn_not_crash():
    table = grid_table().iloc[:10].copy()
    ids = table["geo_code"].tolist()
    nb = {i: [] for i in ids}
    for a, b in itertools.pairwise(ids[:9]):  # a chain of nine, and one isolated place
        nb[a].append(b)
        nb[b].append(a)
    w = W(nb, id_order=ids, silence_warnings=True)
    with pytest.warns(UserWarning, match="no neighbours"):
        det = HotspotClusters(w, permutations=99, seed=0).fit(table)
    assert det.labels_.iloc[9] == "island"
    assert np.isnan(det.results_["gi_z"].iloc[9])
    assert det.islands_ == [ids[9]]


def test_nan_values_left_out_with_warning():
    table = grid_table()
    table.loc[5, "lq"] = np.nan
    with pytest.warns(UserWarning, match="no 'lq' value"):
        det = HotspotClusters(grid_w(), permutations=99, seed=0).fit(table)
    assert det.labels_.iloc[5] == "no data"


def test_unknown_places_and_bad_connectivity():
    table = grid_table().assign(geo_code=lambda d: d["geo_code"].str.replace("P00", "ZZ"))
    with pytest.raises(UnknownCodeError, match="not in the connectivity"):
        HotspotClusters(grid_w(), permutations=99).fit(table)
    with pytest.raises(ParameterError, match="libpysal W or Graph"):
        HotspotClusters({"a": ["b"]}, permutations=99).fit(grid_table())
    with pytest.raises(ParameterError, match="statistic"):
        HotspotClusters(grid_w(), statistic="gee").fit(grid_table())


def test_by_groups_are_run_separately():
    t = grid_table()
    two = pd.concat([t.assign(industry_code="film_tv"),
                     t.assign(industry_code="music_arts", lq=t["lq"][::-1].to_numpy())],
                    ignore_index=True)
    det = HotspotClusters(grid_w(), permutations=99, seed=2, by=["industry_code"]).fit(two)
    one = HotspotClusters(grid_w(), permutations=99, seed=2).fit(t)
    np.testing.assert_array_equal(det.results_["gi_z"].iloc[:64].to_numpy(), one.results_["gi_z"].to_numpy())
    assert det.labels_.index.equals(two.index)
