"""Hypothesis strategies shared by the distributed tests: points, eps and tilings with exact ties."""

from __future__ import annotations

import numpy as np
from hypothesis import strategies as st

from creative_clusters.distributed.tiles import Tiling


@st.composite
def integer_points(draw, max_n: int = 120, span: int = 24):
    """Points on an integer grid (many exact-distance ties), with duplicates (dense tiles)."""
    n = draw(st.integers(1, max_n))
    xs = draw(st.lists(st.integers(0, span), min_size=n, max_size=n))
    ys = draw(st.lists(st.integers(0, span), min_size=n, max_size=n))
    X = np.c_[xs, ys].astype(np.float64)
    # a dense spot: copies of one point
    k = draw(st.integers(0, 30))
    if k:
        X = np.r_[X, np.repeat(X[:1], k, axis=0)]
    order = draw(st.permutations(range(len(X))))
    return X[list(order)]


@st.composite
def tilings(draw, lo: float, hi: float, step: float = 0.5, max_cuts: int = 5):
    """A random k-d tiling whose cuts sit on the grid (so on points, and eps apart across cuts)."""
    grid = st.integers(int(lo / step) - 2, int(hi / step) + 2).map(lambda v: v * step)
    x_cuts = sorted(draw(st.lists(grid, max_size=max_cuts)))
    y_cuts = tuple(np.array(sorted(draw(st.lists(grid, max_size=max_cuts)))) for _ in range(len(x_cuts) + 1))
    return Tiling(np.array(x_cuts, dtype=np.float64), y_cuts)


eps_values = st.sampled_from([1.0, 1.5, 2.0, 3.0, 5.0])
min_samples_values = st.integers(1, 8)
