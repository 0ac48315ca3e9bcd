"""Tiled DBSCAN = the single-machine kernel = scikit-learn, for random points and random tilings.

The claim is full identity of the label array (not only up to renumbering):
same core points, same clusters, numbered by the lowest input row of a core
point, and a border point within eps of several clusters takes the lowest
label — the kernel's and scikit-learn's rule.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.cluster import DBSCAN

from creative_clusters.distributed.dbscan import dbscan_points
from creative_clusters.distributed.tiles import Tiling
from creative_clusters.errors import ParameterError
from creative_clusters.microclusters.dbscan import dbscan

from .strategies import eps_values, integer_points, min_samples_values, tilings


def _sklearn(X, eps, m):
    model = DBSCAN(eps=eps, min_samples=m).fit(X)
    core = np.zeros(len(X), bool)
    core[model.core_sample_indices_] = True
    return model.labels_, core


def assert_identical(X, eps, m, **kw):
    labels, core = dbscan_points(X, eps, m, **kw)
    k_labels, k_core = dbscan(X, eps, m)
    np.testing.assert_array_equal(core, k_core)
    np.testing.assert_array_equal(labels, k_labels)
    return labels, core


def test_points_exactly_eps_apart_across_a_border_are_joined():
    # cut at x = 0: (-3, 0) and (2, 0) are exactly 5 apart, each core only with the other side's help
    X = np.array([[-3, 0], [-3, 0], [2, 0], [2, 0], [-8, 0], [7, 0]], float)
    tiling = Tiling(np.array([0.0]), (np.array([]), np.array([])))
    labels, core = assert_identical(X, 5.0, 4, tiling=tiling)
    assert labels.tolist() == [0, 0, 0, 0, 0, 0]
    assert core.tolist() == [True, True, True, True, False, False]
    labels, _ = assert_identical(X, 4.999, 2, tiling=tiling)
    assert labels.tolist() == [0, 0, 1, 1, -1, -1]


def test_border_point_takes_lowest_label_from_another_tile():
    # B at (5, 0) is owned by the right tile, whose own cluster has the higher label;
    # the left tile's cluster (lower label: lower input rows) reaches it across the cut
    left = [[0, 0]] + [[-4, 0]] * 5
    right = [[10, 0]] + [[14, 0]] * 5
    X = np.array(left + right + [[5, 0]], float)
    tiling = Tiling(np.array([4.0]), (np.array([]), np.array([])))
    labels, core = assert_identical(X, 5.0, 6, tiling=tiling)
    assert not core[-1] and labels[-1] == 0
    # and the other way round: rows swapped, so the right cluster is 0 and the border point joins it
    X2 = np.array(right + left + [[5, 0]], float)
    labels, _ = assert_identical(X2, 5.0, 6, tiling=tiling)
    assert labels[-1] == 0 and labels[0] == 0


@pytest.mark.parametrize("first", ["left", "right"])
def test_border_point_reached_from_two_other_tiles_takes_the_lowest(first):
    # B at (0, 0) sits alone in the middle tile; a core point of each outer cluster is exactly eps away
    left = [[-5, 0]] + [[-9, 0]] * 5
    right = [[5, 0]] + [[9, 0]] * 5
    rows = left + right if first == "left" else right + left
    X = np.array([*rows, [0, 0]], float)
    tiling = Tiling(np.array([-1.0, 1.0]), (np.array([]),) * 3)
    labels, core = assert_identical(X, 5.0, 6, tiling=tiling)
    assert not core[-1] and labels[-1] == 0
    assert sorted(set(labels.tolist())) == [0, 1]


def test_a_cluster_leaving_and_reentering_a_tile_is_one_cluster():
    # a U-shaped chain: its two arms lie in tile 0, joined only through tile 1
    arm1 = [[x, 0] for x in range(10)]
    bend = [[10, y] for y in range(11)]
    arm2 = [[x, 10] for x in range(9, -1, -1)]
    X = np.array(arm1 + bend + arm2, float)
    tiling = Tiling(np.array([9.5]), (np.array([]), np.array([])))
    labels, _ = assert_identical(X, 1.0, 2, tiling=tiling)
    assert set(labels.tolist()) == {0}


def test_many_small_tiles_and_empty_tiles():
    rng = np.random.default_rng(7)
    X = np.r_[rng.normal(0, 2, (400, 2)), rng.uniform(-30, 30, (200, 2))]
    cuts = np.linspace(-40, 40, 33)  # tiles much smaller than eps, many empty
    tiling = Tiling(cuts, tuple(cuts for _ in range(34)))
    assert_identical(X, 3.0, 6, tiling=tiling)


def test_default_tiling_and_batches():
    rng = np.random.default_rng(11)
    X = np.r_[rng.normal(0, 50, (3000, 2)), rng.uniform(-2000, 2000, (2000, 2))].round(1)
    assert_identical(X, 30.0, 8, n_tiles=12, batch_size=700)


def test_empty_input_and_bad_parameters():
    labels, core = dbscan_points(np.empty((0, 2)), 1.0, 2)
    assert labels.shape == (0,) and core.shape == (0,)
    with pytest.raises(ParameterError, match="positive distance"):
        dbscan_points(np.zeros((3, 2)), -1.0, 2)
    with pytest.raises(ParameterError, match=r"\(n, 2\)"):
        dbscan_points(np.zeros((3, 3)), 1.0, 2)
    with pytest.raises(ParameterError, match="missing or infinite"):
        dbscan_points(np.array([[0.0, np.nan]]), 1.0, 2)


@settings(max_examples=200, deadline=None)
@given(X=integer_points(), eps=eps_values, m=min_samples_values, data=st.data())
def test_hypothesis_integer_points_random_tilings_equal_kernel_and_sklearn(X, eps, m, data):
    tiling = data.draw(tilings(0, 24))
    labels, core = assert_identical(X, eps, m, tiling=tiling)
    sk_labels, sk_core = _sklearn(X, eps, m)
    np.testing.assert_array_equal(core, sk_core)
    np.testing.assert_array_equal(labels, sk_labels)


@settings(max_examples=80, deadline=None)
@given(X=integer_points(max_n=200, span=40), eps=eps_values, m=min_samples_values, data=st.data(),
       scale=st.sampled_from([0.1, 3.3, 1000.0]), offset=st.sampled_from([0.0, 431_234.5]))
def test_hypothesis_scaled_points_at_grid_offsets(X, eps, m, data, scale, offset):
    """Non-integer coordinates far from the origin (rounding near the cuts) and scaled eps."""
    t = data.draw(tilings(0, 40))
    tiling = Tiling(t.x_cuts * scale + offset, tuple(c * scale + offset for c in t.y_cuts))
    assert_identical(X * scale + offset, eps * scale, m, tiling=tiling)
