"""Stability of microclusters under resampling (as esda's ADBSCAN draws samples).

Each of ``reps`` seeded draws keeps a random ``frac`` of the firms (without
replacement) and runs DBSCAN with the same ``eps`` and ``min_samples`` scaled
by ``frac`` (floored, at least 2), as esda's ``ADBSCAN`` does. A draw is
named by the firms it leaves out (:func:`left_out_rows`), which is cheaper to
draw at random than the 80% it keeps.

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
import os
import threading
from collections import deque
from concurrent.futures import Future, ThreadPoolExecutor

import numpy as np

from creative_clusters.errors import ParameterError
from creative_clusters.microclusters._resample import SubsetClusterer, draw_counts
from creative_clusters.microclusters.dbscan import Grid, build_grid

__all__ = ["MAX_WORKERS", "THREADED_MIN_POINTS", "bootstrap_stability", "left_out_rows", "stability_workers"]


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
    workers: int | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Per-firm and per-microcluster stability in [0, 1] (see module notes).

    ``grid`` is :func:`~.dbscan.build_grid` of ``X`` at ``eps`` when the caller
    has it already. ``workers`` threads run the draws (default: the CPUs this
    process may use, at most :data:`MAX_WORKERS`); the draws are taken from
    the seeded generator in the same order whatever the number of threads,
    and their counts are whole numbers summed, so the result does not depend
    on it.

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
    take = max(1, int(n * frac))
    if n == 0:
        return np.empty(0), np.empty(0)
    if grid is None:
        grid = build_grid(X, eps)
    draw = SubsetClusterer.build(grid, m)
    # everything per point runs in the grid's cell order; input order is restored at the end
    rank = np.empty(n, dtype=np.int64)
    rank[grid.order] = np.arange(n)
    lab_s = np.asarray(labels)[grid.order]
    mem_idx = np.argsort(lab_s, kind="stable")[int((lab_s < 0).sum()):]  # cell-order points of each cluster
    mem_ptr = np.searchsorted(lab_s[mem_idx], np.arange(k + 1)).astype(np.int64)
    # each thread adds into its own counts (whole numbers: the sum does not depend on who drew what)
    local = threading.local()
    counts: list[tuple[np.ndarray, np.ndarray]] = []
    lock = threading.Lock()

    def one(out: np.ndarray) -> np.ndarray:
        mine = getattr(local, "counts", None)
        if mine is None:
            mine = local.counts = (np.zeros(n, dtype=np.int32), np.zeros(n, dtype=np.int32))
            with lock:
                counts.append(mine)
        return draw_counts(draw, rank, out, mem_ptr, mem_idx, mine[0], mine[1], left_out=True)

    recovered = np.zeros(k)
    nw = stability_workers(workers, reps) if workers is not None or n >= THREADED_MIN_POINTS else 1
    if nw == 1:
        for _ in range(reps):
            recovered += one(left_out_rows(rng, n, take))
    else:
        with ThreadPoolExecutor(nw) as pool:
            pending: deque[Future[np.ndarray]] = deque()
            for _ in range(reps):
                pending.append(pool.submit(one, left_out_rows(rng, n, take)))
                if len(pending) >= nw:  # at most nw draws in memory at once
                    recovered += pending.popleft().result()
            while pending:
                recovered += pending.popleft().result()
    drawn = np.sum([c[0] for c in counts], axis=0, dtype=np.int64)
    clustered = np.sum([c[1] for c in counts], axis=0, dtype=np.int64)
    firm_s = np.where(drawn > 0, clustered / np.maximum(drawn, 1), np.nan)
    firm = np.empty(n)
    firm[grid.order] = firm_s
    return firm, recovered / reps


def left_out_rows(rng: np.random.Generator, n: int, take: int) -> np.ndarray:
    """The rows one draw leaves out: ``n - take`` of ``0 .. n-1``, uniformly at random without replacement.

    The draw keeps the other ``take`` rows: a uniform random subset of that
    size, as taking the first ``take`` of a permutation would give, but
    naming the fifth left out (numpy's partial shuffle) costs about a
    quarter of permuting every row (4.7M rows: 0.065 s against 0.23 s, fifty
    times a run).

    Examples
    --------
    >>> out = left_out_rows(np.random.default_rng(0), 10, 8)
    >>> len(out), len(set(out.tolist())), bool((out >= 0).all() and (out < 10).all())
    (2, 2, True)
    """
    return rng.choice(n, n - take, replace=False, shuffle=False)


#: Below this many firms the draws run one after the other in the calling thread by default: a draw
#: takes well under a millisecond there, less than handing it to a thread.
THREADED_MIN_POINTS = 20_000
#: Most threads :func:`bootstrap_stability` uses by default.
MAX_WORKERS = 4


def stability_workers(workers: int | None, reps: int) -> int:
    """Threads for ``reps`` draws: ``workers``, or the usable CPUs (at most :data:`MAX_WORKERS`)."""
    if workers is None:
        try:
            cpus = len(os.sched_getaffinity(0))
        except AttributeError:  # not on Linux
            cpus = os.cpu_count() or 1
        workers = min(cpus, MAX_WORKERS)
    if int(workers) < 1:
        raise ParameterError(f"workers must be >= 1; got {workers}")
    return max(1, min(int(workers), reps))
