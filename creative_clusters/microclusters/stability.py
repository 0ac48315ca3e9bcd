"""Stability of microclusters under resampling (as esda's ADBSCAN draws samples).

Each of ``reps`` seeded draws keeps a random ``frac`` of the firms (without
replacement) and runs DBSCAN with the same ``eps`` and ``min_samples`` scaled
by ``frac`` (floored, at least 2), as esda's ``ADBSCAN`` does.

The draws reuse one grid of all the firms (:func:`~.dbscan.build_grid`) and
switch points off (:func:`~._resample.subset_components`) instead of
building a new grid per draw: the same core points and clusters, several
times cheaper.

- **firm stability**: of the draws that included the firm, the share in which
  it was clustered;
- **microcluster stability**: the share of draws in which at least half of
  the microcluster's sampled firms fall into one cluster of the draw.

Examples
--------
>>> import numpy as np
>>> rng = np.random.default_rng(0)
>>> X = np.r_[rng.normal(0, 50, (200, 2)), rng.uniform(-5000, 5000, (50, 2))]
>>> from creative_clusters.microclusters.dbscan import dbscan
>>> labels, _ = dbscan(X, 200, 20)
>>> fs, cs = bootstrap_stability(X, labels, eps=200, min_samples=20, reps=20, seed=1)
>>> float(cs[0]) >= 0.9
True
"""

from __future__ import annotations

import math

import numpy as np

from creative_clusters.errors import ParameterError
from creative_clusters.microclusters._resample import SubsetClusterer
from creative_clusters.microclusters.dbscan import Grid, build_grid

__all__ = ["bootstrap_stability"]


def bootstrap_stability(
    X: np.ndarray,
    labels: np.ndarray,
    *,
    eps: float,
    min_samples: int,
    reps: int = 50,
    frac: float = 0.8,
    seed: int = 20241101,
    grid: Grid | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Per-firm and per-microcluster stability in [0, 1] (see module notes).

    ``grid`` is :func:`~.dbscan.build_grid` of ``X`` at ``eps`` when the caller
    has it already.

    Returns
    -------
    firm_stability : numpy.ndarray, shape (n,)
        NaN for a firm never drawn.
    cluster_stability : numpy.ndarray, shape (n_clusters,)
        Indexed by the labels of ``labels``.
    """
    if not 0 < frac <= 1:
        raise ParameterError(f"frac must be in (0, 1]; got {frac}")
    if reps < 1:
        raise ParameterError(f"reps must be >= 1; got {reps}")
    X = np.asarray(X, float)
    labels = np.asarray(labels)
    n = len(X)
    k = int(labels.max()) + 1 if n else 0
    rng = np.random.default_rng(seed)
    m = max(2, math.floor(min_samples * frac))
    drawn = np.zeros(n)
    clustered = np.zeros(n)
    recovered = np.zeros(k)
    take = max(1, int(n * frac))
    if n == 0:
        return np.empty(0), np.empty(0)
    if grid is None:
        grid = build_grid(X, eps)
    draw = SubsetClusterer.build(grid, m)
    active = np.zeros(n, dtype=bool)
    for _ in range(reps):
        idx = rng.permutation(n)[:take]
        active[:] = False
        active[idx] = True
        comp, _core = draw(active)
        drawn += active
        clustered += comp >= 0
        orig = labels
        sel = active & (orig >= 0)
        if not sel.any():
            continue
        o, d = orig[sel], comp[sel]
        sampled = np.bincount(o, minlength=k)
        ok = d >= 0
        if ok.any():
            recovered += _recovered(o[ok], d[ok], sampled, k, grid.n)
    with np.errstate(invalid="ignore", divide="ignore"):
        firm = np.where(drawn > 0, clustered / np.maximum(drawn, 1), np.nan)
    return firm, recovered / reps


def _recovered(orig: np.ndarray, comp: np.ndarray, sampled: np.ndarray, k: int, n: int) -> np.ndarray:
    """1 for each original cluster whose sampled firms fall at least half into one draw cluster."""
    seen = np.bincount(comp, minlength=n) > 0  # component ids are cell indices < n
    rank = np.cumsum(seen) - 1
    dd = rank[comp]
    nd = int(dd.max()) + 1
    if k * nd <= 50_000_000:
        cnt = np.bincount(orig.astype(np.int64) * nd + dd, minlength=k * nd).reshape(k, nd)
        best = cnt.max(axis=1)
    else:  # very many clusters: sparse pairs
        uniq, c = np.unique(orig.astype(np.int64) * nd + dd, return_counts=True)
        best = np.zeros(k, dtype=np.int64)
        np.maximum.at(best, uniq // nd, c)
    return ((sampled > 0) & (best >= 0.5 * sampled)).astype(float)
