"""Tiles: each point has exactly one owner; a tile's halo holds every neighbour of its points."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from creative_clusters.distributed.tiles import (
    Tiling,
    halo_pairs,
    halo_width,
    make_tiling,
    owner_tiles,
    split_points,
)
from creative_clusters.errors import ParameterError

from .strategies import eps_values, integer_points, tilings


def test_owner_is_half_open_and_tiles_numbered_by_column():
    t = Tiling(np.array([0.0]), (np.array([0.0]), np.array([-1.0, 1.0])))
    assert t.n_tiles == 5
    x = np.array([-1.0, -1.0, 0.0, 0.0, 0.0, 5.0])
    y = np.array([-1.0, 0.0, -1.5, -1.0, 1.0, 9.0])
    # a point on a cut belongs to the tile above/right of it
    assert owner_tiles(t, x, y).tolist() == [0, 1, 2, 3, 4, 4]
    assert t.bounds(3) == (0.0, np.inf, -1.0, 1.0)


def test_halo_is_closed_at_width_h():
    t = Tiling(np.array([10.0]), (np.array([]), np.array([])))
    idx, tile = halo_pairs(t, np.array([9.0, 8.999, 11.0, 11.001, 10.0]), np.zeros(5), 1.0)
    # 9.0 and 11.0 are exactly 1 from the cut (in), 8.999 and 11.001 just beyond (out);
    # 10.0 sits on the cut, owned by tile 1 and in tile 0's halo
    assert sorted(zip(idx.tolist(), tile.tolist(), strict=True)) == [(0, 1), (2, 0), (4, 0)]


def test_bad_tilings_are_refused_with_what_was_expected():
    with pytest.raises(ParameterError, match="needs 2 lists of row cuts"):
        Tiling(np.array([1.0]), (np.array([]),))
    with pytest.raises(ParameterError, match="sorted"):
        Tiling(np.array([2.0, 1.0]), (np.array([]),) * 3)
    with pytest.raises(ParameterError, match="n_tiles"):
        make_tiling(np.zeros(3), np.zeros(3), 0)


def test_make_tiling_balances_points():
    rng = np.random.default_rng(3)
    x, y = rng.normal(0, 1, 40_000), rng.normal(0, 5, 40_000)
    t = make_tiling(x, y, 16)
    counts = np.bincount(owner_tiles(t, x, y), minlength=t.n_tiles)
    assert t.n_tiles == 16
    assert counts.min() > 0.8 * 2500 and counts.max() < 1.2 * 2500


@settings(max_examples=150, deadline=None)
@given(X=integer_points(), eps=eps_values, data=st.data(), offset=st.sampled_from([0.0, 450_000.3]),
       scale=st.sampled_from([1.0, 0.1, 37.7]))
def test_every_neighbour_of_an_owned_point_is_in_the_tile(X, eps, data, offset, scale):
    """The completeness the exactness rests on, under the kernel's own distance test."""
    X = X * scale + offset
    eps = eps * scale
    tiling = data.draw(tilings(offset / scale - 1, offset / scale + 25).map(
        lambda t: Tiling(t.x_cuts * scale, tuple(c * scale for c in t.y_cuts))))
    h = halo_width(eps, X[:, 0], X[:, 1])
    owner = owner_tiles(tiling, X[:, 0], X[:, 1])
    assert ((owner >= 0) & (owner < tiling.n_tiles)).all()
    idx, tile = halo_pairs(tiling, X[:, 0], X[:, 1], h)
    seen = set(zip(idx.tolist(), tile.tolist(), strict=True)) | set(enumerate(owner.tolist()))
    dx = X[:, None, 0] - X[None, :, 0]
    dy = X[:, None, 1] - X[None, :, 1]
    near = dx * dx + dy * dy <= eps * eps
    for p, q in zip(*np.nonzero(near), strict=True):
        assert (int(q), int(owner[p])) in seen
    pieces = split_points(tiling, np.arange(len(X)), X[:, 0], X[:, 1], h)
    owned = np.concatenate([pc["gid"][pc["owned"]] for pc in pieces.values()])
    assert np.array_equal(np.sort(owned), np.arange(len(X)))
