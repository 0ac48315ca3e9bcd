"""Compile the microcluster kernels ahead of time (numba's on-disk cache).

A fresh install's first ``microclusters`` run would otherwise spend 10–20 s
compiling the numba kernels. ``scripts/setup.sh`` calls :func:`precompile`
once after installing, on a few thousand generated points, so the kernels a
regional run uses (exact DBSCAN, the split method, their stability draws)
are in the cache before the first real run, and so are the threaded builds
of the DBSCAN kernels that runs of :data:`~.dbscan.PARALLEL_MIN_POINTS` firms
or more use (a national run otherwise compiled them for about 7 s). The generated points never leave
this function.
"""

from __future__ import annotations

import numpy as np

__all__ = ["precompile"]


def precompile(n: int = 3000, seed: int = 0) -> None:
    """Run each kernel once on ``n`` generated points so numba caches its machine code.

    Examples
    --------
    >>> precompile(n=400)
    """
    from creative_clusters.microclusters.dbscan import build_grid, dbscan_grid
    from creative_clusters.microclusters.methods import cluster_points

    rng = np.random.default_rng(seed)
    centres = rng.uniform(0, 50_000, size=(8, 2))
    X = (centres[rng.integers(0, len(centres), n)] + rng.normal(0, 600, size=(n, 2))).astype("float64")
    for method in ("dbscan", "split"):
        lab = cluster_points(X, method=method, eps=1000.0, min_firms=20, stability_reps=2)
        lab.wait()
    # the threaded builds (national runs): the same kernels compiled with parallel=True
    dbscan_grid(build_grid(X, 1000.0, parallel=True), 20)
