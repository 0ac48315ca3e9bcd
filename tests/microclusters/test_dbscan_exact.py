"""Grid DBSCAN equals scikit-learn's DBSCAN: core mask, core partition, noise, labels."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from sklearn.cluster import DBSCAN

from creative_clusters.errors import ParameterError
from creative_clusters.microclusters.dbscan import GridDBSCAN, dbscan


def _sk(X, eps, m, algorithm="auto"):
    model = DBSCAN(eps=eps, min_samples=m, algorithm=algorithm).fit(X)
    core = np.zeros(len(X), bool)
    core[model.core_sample_indices_] = True
    return model.labels_, core


def _partition(labels, mask):
    groups = {}
    for i in np.flatnonzero(mask):
        groups.setdefault(labels[i], set()).add(int(i))
    return {frozenset(g) for g in groups.values()}


def assert_same(X, eps, m, algorithm="auto"):
    labels, core = dbscan(X, eps, m)
    sk_labels, sk_core = _sk(X, eps, m, algorithm)
    np.testing.assert_array_equal(core, sk_core)
    assert _partition(labels, core) == _partition(sk_labels, sk_core)
    np.testing.assert_array_equal(labels == -1, sk_labels == -1)
    # border rule (lowest label among reachable clusters) reproduces sklearn's labels
    np.testing.assert_array_equal(labels, sk_labels)


def test_hand_worked_example():
    # 3-4-5 triangles: distances exactly 5
    X = np.array([[0, 0], [3, 4], [6, 8], [100, 100], [103, 104]], float)
    labels, core = dbscan(X, 5.0, 2)
    assert labels.tolist() == [0, 0, 0, 1, 1]
    labels, core = dbscan(X, 4.999, 2)
    assert labels.tolist() == [-1] * 5
    labels, core = dbscan(X, 5.0, 3)  # middle point has 3 (itself + 2) → core; ends are border
    assert core.tolist() == [False, True, False, False, False]
    assert labels.tolist() == [0, 0, 0, -1, -1]


def test_border_point_goes_to_lowest_label_like_sklearn():
    # two clusters; a border point B at (5, 0) exactly eps from a core point of each
    left = [[0, 0]] + [[-4, 0]] * 5
    right = [[10, 0]] + [[14, 0]] * 5
    X = np.array(right + left + [[5, 0]], float)  # right cluster found first → label 0
    labels, core = dbscan(X, 5.0, 6)
    assert core[0] and core[6] and not core[-1]
    assert labels[:6].tolist() == [0] * 6 and labels[6:12].tolist() == [1] * 6
    assert labels[-1] == 0
    assert_same(X, 5.0, 6)
    X2 = np.array(left + right + [[5, 0]], float)  # now the left cluster is 0
    assert dbscan(X2, 5.0, 6)[0][-1] == 0
    assert_same(X2, 5.0, 6)


@pytest.mark.parametrize("n", [0, 1, 2, 3])
def test_tiny_inputs(n):
    X = np.arange(2 * n, dtype=float).reshape(n, 2)
    if n == 0:
        labels, core = dbscan(X, 1.0, 1)
        assert labels.shape == (0,) and core.shape == (0,)
    else:
        for m in (1, 2, 3):
            assert_same(X, 1.5, m)


def test_duplicates_and_collinear():
    X = np.array([[5, 5]] * 60 + [[float(i), 0.0] for i in range(40)] + [[5, 5.5]] * 3)
    for eps, m in [(1.0, 3), (1.0, 2), (0.5, 50), (2.0, 5), (0.5, 61), (0.5, 64)]:
        assert_same(X, eps, m)


def test_exact_eps_on_integer_lattice():
    # every pair on the integer lattice is at sqrt(k) for integer k; eps = 5 and sqrt(2), sqrt(8)
    g = np.array([[x, y] for x in range(12) for y in range(12)], float)
    rng = np.random.default_rng(1)
    X = g[rng.random(len(g)) < 0.5]
    for eps, m in [(1.0, 3), (2.0 ** 0.5, 5), (5.0, 9), (8.0 ** 0.5, 6), (3.0, 4), (1.0, 5)]:
        assert_same(X, eps, m, "kd_tree")
        assert_same(X, eps, m, "auto")


def test_large_coordinates_bng_scale():
    # BNG-scale coordinates with exact-eps integer offsets (3-4-5 scaled by 200 m)
    base = np.array([431234.0, 387654.0])
    X = base + np.array([[0, 0], [600, 800], [1200, 1600], [0, 1], [600, 801], [1, 1]], float)
    for m in (2, 3, 4):
        assert_same(X, 1000.0, m, "kd_tree")


coords = arrays(np.float64, st.tuples(st.integers(1, 120), st.just(2)),
                elements=st.integers(0, 40).map(float))


@settings(max_examples=50, deadline=None)
@given(X=coords, eps=st.sampled_from([1.0, 2.0, 2.0 ** 0.5, 3.0, 5.0, 10.0]), m=st.integers(1, 8))
def test_hypothesis_integer_points(X, eps, m):
    assert_same(X, eps, m, "kd_tree")


@settings(max_examples=30, deadline=None)
@given(X=arrays(np.float64, st.tuples(st.integers(1, 200), st.just(2)),
                elements=st.floats(-1e4, 1e4, allow_nan=False, width=64)),
       eps=st.floats(1.0, 3000.0), m=st.integers(2, 10))
def test_hypothesis_real_points(X, eps, m):
    assert_same(X, eps, m)


def test_permutation_keeps_core_and_noise():
    rng = np.random.default_rng(3)
    X = np.r_[rng.normal(0, 30, (300, 2)), rng.normal(200, 30, (300, 2))].round()
    la, ca = dbscan(X, 20.0, 10)
    p = rng.permutation(len(X))
    lb, cb = dbscan(X[p], 20.0, 10)
    np.testing.assert_array_equal(ca[p], cb)
    assert _partition(la[p], ca[p]) == _partition(lb, cb)
    assert_same(X[p], 20.0, 10)


def test_estimator_attributes():
    X = np.array([[0, 0], [1, 0], [0, 1], [50, 50]], float)
    m = GridDBSCAN(eps=1.0, min_samples=3).fit(X)
    assert m.labels_.tolist() == [0, 0, 0, -1]
    assert m.core_sample_indices_.tolist() == [0]
    assert m.n_clusters_ == 1


@pytest.mark.parametrize("eps", [0, -1, float("nan"), float("inf")])
def test_bad_eps(eps):
    with pytest.raises(ParameterError, match="eps"):
        dbscan(np.zeros((3, 2)), eps, 2)


def test_bad_input_shape_and_nan():
    with pytest.raises(ParameterError, match=r"\(n, 2\)"):
        dbscan(np.zeros((3, 3)), 1.0, 2)
    with pytest.raises(ParameterError, match="NaN"):
        dbscan(np.array([[0.0, np.nan]]), 1.0, 2)


def test_real_south_yorkshire_creative_firms(sy_creative):
    firms, _ = sy_creative
    X = firms[["easting", "northing"]].to_numpy()
    for eps, m in [(1000.0, 50), (250.0, 10)]:
        assert_same(X, eps, m)
