"""The reusable grid: serial and threaded kernels agree; subset DBSCAN equals DBSCAN of the subset."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from sklearn.cluster import DBSCAN

from creative_clusters.microclusters._resample import SubsetClusterer, subset_components
from creative_clusters.microclusters.dbscan import build_grid, dbscan, dbscan_grid

points = arrays(np.float64, st.tuples(st.integers(1, 150), st.just(2)),
                elements=st.integers(0, 30).map(float))


@settings(max_examples=40, deadline=None)
@given(X=points, eps=st.sampled_from([1.0, 2.0 ** 0.5, 3.0, 5.0]), m=st.integers(1, 8))
def test_serial_and_threaded_kernels_agree_with_sklearn(X, eps, m):
    ser = dbscan_grid(build_grid(X, eps, parallel=False), m)
    par = dbscan_grid(build_grid(X, eps, parallel=True), m)
    model = DBSCAN(eps=eps, min_samples=m).fit(X)
    for labels, core in (ser, par):
        np.testing.assert_array_equal(labels, model.labels_)
        np.testing.assert_array_equal(np.flatnonzero(core), model.core_sample_indices_)


def _core_partition(labels, core):
    groups: dict[int, set[int]] = {}
    for i in np.flatnonzero(core):
        groups.setdefault(int(labels[i]), set()).add(int(i))
    return {frozenset(g) for g in groups.values()}


@settings(max_examples=80, deadline=None)
@given(X=points, eps=st.sampled_from([1.0, 2.0, 3.0, 5.0]), m=st.integers(1, 6),
       keep=st.lists(st.booleans(), min_size=150, max_size=150), cells=st.sampled_from([None, 0, 1000]))
def test_subset_components_equal_dbscan_of_the_subset(X, eps, m, keep, cells):
    active = np.array(keep[: len(X)])
    if cells is None:
        comp, core = subset_components(build_grid(X, eps), active, m)
    else:  # every possible core point counted directly (0) or through its inactive neighbours (1000)
        comp, core = SubsetClusterer.build(build_grid(X, eps), m, partial_cells=cells)(active)
    idx = np.flatnonzero(active)
    assert not core[~active].any() and (comp[~active] == -1).all()
    if len(idx) == 0:
        return
    labels, sk_core = dbscan(X[idx], eps, m)
    np.testing.assert_array_equal(core[idx], sk_core)
    # same clusters of core points, same noise; border points join one of their clusters
    assert _core_partition(comp[idx], core[idx]) == _core_partition(labels, sk_core)
    np.testing.assert_array_equal(comp[idx] >= 0, labels >= 0)


def test_subset_clusterer_marks_only_possible_core_points():
    # a pair 1 m apart and a triple: at min_samples 3 only the triple can ever be core
    X = np.array([[0.0, 0], [1, 0], [10, 0], [10.5, 0], [11, 0]])
    sc = SubsetClusterer.build(build_grid(X, 1.0), 3)
    assert sorted(sc.grid.order[sc.maybe_core].tolist()) == [2, 3, 4]
    comp, core = sc(np.ones(5, bool))
    assert core.tolist() == [False, False, True, True, True]
    comp, core = sc(np.array([1, 1, 1, 0, 1], bool))  # the triple's middle dropped: 10 and 11 are 1 m apart
    assert not core.any() and (comp == -1).all()
