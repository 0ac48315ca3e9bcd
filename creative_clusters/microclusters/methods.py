"""The clustering methods behind ``microclusters --method``, with stability, side by side.

- ``"split"`` (the default): exact DBSCAN, then clusters wider than a
  neighbourhood are split at half the radius (:mod:`.hierarchy`); the leaves
  are the microclusters and the hierarchy is reported.
- ``"dbscan"``: exact DBSCAN at one radius (identical to scikit-learn's).
- ``"hdbscan"``: scikit-learn's HDBSCAN (``min_cluster_size`` = ``min_samples``
  = min firms; no radius).

:func:`cluster_points` returns the same :class:`Labelling` for each, so the
description, outputs and the method comparison (:func:`compare_methods`,
``--sweep``) treat them alike. The DBSCAN kernels and the draws (numba) are
imported when a method first runs, not with this module: the CLI's process
hands the clustering to a forked :mod:`.engine` child and never loads numba
(about 0.2 s of its start-up).

Examples
--------
>>> import numpy as np
>>> rng = np.random.default_rng(1)  # SYNTHETIC: one dense spot and scattered points
>>> X = np.r_[rng.normal(0, 80, (70, 2)), rng.uniform(-5000, 5000, (30, 2))] + 400000
>>> lab = cluster_points(X, method="dbscan", eps=300, min_firms=50, stability_reps=5)
>>> lab.ids.tolist(), int((lab.labels == 0).sum())
(['MC0001'], 70)
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from creative_clusters.errors import ParameterError
from creative_clusters.microclusters.describe import cluster_ids
from creative_clusters.microclusters.hierarchy import (
    DEFAULT_MAX_EXTENT_KM2,
    DEFAULT_MIN_EPS_M,
    Hierarchy,
    extents_km2,
    split_dbscan,
)

__all__ = ["DEFAULT_METHOD", "HDBSCAN_MAX_POINTS", "METHODS", "Labelling", "cluster_points",
           "compare_methods", "spread_labels"]

METHODS = ("split", "dbscan", "hdbscan")
DEFAULT_METHOD = "split"
#: ``compare_methods`` skips HDBSCAN above this many firms (its run time grows fast).
HDBSCAN_MAX_POINTS = 60_000

NODE_COLUMNS = ["cluster_id", "parent_id", "level", "eps_m", "n_points", "extent_km2", "is_leaf",
                "over_extent_bound", "n_children"]


@dataclass
class Labelling:
    """Cluster labels of one method run.

    ``labels`` index ``ids`` (-1: not in a microcluster); ``top`` is each
    firm's level-0 cluster id ("" if none; equal to its microcluster for
    one-level methods); ``nodes`` is the hierarchy (one row per cluster at
    any level; :data:`NODE_COLUMNS`), ``stability`` per microcluster.

    With ``cluster_points(..., background=True)`` the stability draws may
    still be running (``pending``): ``firm_stability`` and ``stability`` are
    NaN until :meth:`wait` returns.
    """

    labels: np.ndarray
    core: np.ndarray
    ids: np.ndarray
    top: np.ndarray
    firm_stability: np.ndarray
    stability: np.ndarray
    nodes: pd.DataFrame
    notes: list[str] = field(default_factory=list)
    pending: Future[tuple[np.ndarray, np.ndarray]] | None = None

    def wait(self) -> Labelling:
        """Wait for stability draws running in the background (if any) and fill in their results."""
        if self.pending is not None:
            self.firm_stability, self.stability = self.pending.result()
            self.pending = None
        return self


def _start(job: Callable[[], tuple[np.ndarray, np.ndarray]],
           background: bool) -> tuple[Future[tuple[np.ndarray, np.ndarray]] | None,
                                      tuple[np.ndarray, np.ndarray] | None]:
    """Run ``job`` now, or in a thread of its own when ``background`` (its future is returned then)."""
    if not background:
        return None, job()
    pool = ThreadPoolExecutor(1, thread_name_prefix="microcluster-stability")
    try:
        return pool.submit(job), None
    finally:
        pool.shutdown(wait=False)  # the thread ends with the job


def _flat_nodes(X: np.ndarray, labels: np.ndarray, ids: np.ndarray, eps: float) -> pd.DataFrame:
    order = np.argsort(labels, kind="stable")
    bounds = np.searchsorted(labels[order], np.arange(len(ids) + 1))
    ext = [round(float(e), 4) for e in extents_km2(X, labels, len(ids))]
    return pd.DataFrame({"cluster_id": ids, "parent_id": "", "level": 0, "eps_m": float(eps),
                         "n_points": np.diff(bounds), "extent_km2": ext, "is_leaf": True,
                         "over_extent_bound": False, "n_children": 0}, columns=NODE_COLUMNS)


def _hdbscan(X: np.ndarray, min_firms: int) -> tuple[np.ndarray, np.ndarray]:
    from sklearn.cluster import HDBSCAN

    if len(X) < max(int(min_firms), 2):  # no cluster of min_firms can form (and scikit-learn refuses the fit)
        return np.full(len(X), -1, dtype=np.int64), np.zeros(len(X))
    model = HDBSCAN(min_cluster_size=int(min_firms), min_samples=int(min_firms), copy=True).fit(X)
    return model.labels_.astype(np.int64), model.probabilities_


def cluster_points(
    X: np.ndarray,
    *,
    method: str = DEFAULT_METHOD,
    eps: float = 1000.0,
    min_firms: int = 50,
    stability_reps: int = 50,
    seed: int = 20241101,
    max_extent_km2: float = DEFAULT_MAX_EXTENT_KM2,
    min_eps: float = DEFAULT_MIN_EPS_M,
    background: bool = False,
) -> Labelling:
    """Run one method (module notes) with its stability.

    Stability (DBSCAN-based methods, ``stability_reps`` > 0): seeded draws of
    80% of the firms clustered again (:func:`~.stability.bootstrap_stability`).
    For ``"split"``, a level-0 microcluster is redrawn at level 0, and a
    sub-cluster among the firms of its parent at the sub-cluster's radius,
    the way it was found. HDBSCAN: the mean membership probability.

    ``background=True`` starts the stability draws in a thread and returns
    at once (the draws are numba kernels that release the GIL, so the caller
    can describe the clusters meanwhile); call :meth:`Labelling.wait` for
    their results, which are the same either way.
    """
    if method not in METHODS:
        raise ParameterError(f"--method must be one of {', '.join(METHODS)}; got {method!r}")
    X = np.asarray(X, dtype=float)
    n, m = len(X), int(min_firms)
    notes: list[str] = []
    if method == "hdbscan":
        labels, prob = _hdbscan(X, m)
        k = int(labels.max()) + 1 if n else 0
        ids = cluster_ids(k)
        sel = labels >= 0
        stab = np.bincount(labels[sel], weights=prob[sel], minlength=k) / np.maximum(
            np.bincount(labels[sel], minlength=k), 1)
        notes.append("HDBSCAN (scikit-learn): stability = mean membership probability")
        top = np.where(labels >= 0, ids[np.maximum(labels, 0)] if k else "", "").astype(object)
        return Labelling(labels, prob >= 1.0, ids, top, prob, stab, _flat_nodes(X, labels, ids, np.nan),
                         notes)
    if method == "dbscan":
        from creative_clusters.microclusters.dbscan import build_grid, dbscan, dbscan_grid
        from creative_clusters.microclusters.stability import bootstrap_stability

        # one grid serves the clustering and every stability draw
        grid = build_grid(X, eps) if n else None
        labels, core = dbscan_grid(grid, m) if grid is not None else dbscan(X, eps, m)
        k = int(labels.max()) + 1 if n else 0
        ids = cluster_ids(k)
        fstab, stab = np.full(n, np.nan), np.full(k, np.nan)
        pending = None
        if stability_reps:
            pending, done = _start(lambda: bootstrap_stability(X, labels, eps=eps, min_samples=m,
                                                               reps=stability_reps, seed=seed, grid=grid),
                                   background)
            if done is not None:
                fstab, stab = done
        top = np.where(labels >= 0, ids[np.maximum(labels, 0)] if k else "", "").astype(object)
        return Labelling(labels, core, ids, top, fstab, stab, _flat_nodes(X, labels, ids, eps), notes,
                         pending)

    h = split_dbscan(X, eps=eps, min_firms=m, max_extent_km2=max_extent_km2, min_eps=min_eps)
    nodes = h.nodes
    leaf_nodes = np.flatnonzero(nodes["is_leaf"].to_numpy(bool))
    dense = np.full(len(nodes), -1, dtype=np.int64)
    dense[leaf_nodes] = np.arange(len(leaf_nodes))
    # (np.where evaluates both branches: with no cluster at all there is nothing to index)
    labels = np.where(h.leaf >= 0, dense[np.maximum(h.leaf, 0)], -1) if len(nodes) else np.full(n, -1)
    ids = nodes["cluster_id"].to_numpy(object)[leaf_nodes]
    node_ids = nodes["cluster_id"].to_numpy(object)
    top = (np.where(h.top >= 0, node_ids[np.maximum(h.top, 0)], "") if len(nodes)
           else np.full(n, "")).astype(object)
    fstab, stab = np.full(n, np.nan), np.full(len(leaf_nodes), np.nan)
    pending = None
    if stability_reps:
        pending, done = _start(lambda: _split_stability(X, h, dense, stability_reps, m, eps, seed), background)
        if done is not None:
            fstab, stab = done
    n_over = int(nodes.loc[nodes["is_leaf"], "over_extent_bound"].sum())
    notes.append(f"split DBSCAN: clusters over {max_extent_km2:g} km² (convex hull) re-clustered at half "
                 f"the radius (floor {min_eps:g} m); {len(nodes)} clusters in the hierarchy, "
                 f"{len(leaf_nodes)} groups at its leaves (before the firm floor is applied), {n_over} "
                 "still over the bound (dense areas "
                 "that do not split at a finer radius)")
    return Labelling(labels, h.core, ids, top, fstab, stab, nodes, notes, pending)


def _split_stability(X: np.ndarray, h: Hierarchy, dense: np.ndarray, reps: int, m: int, eps: float,
                     seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Firm and microcluster stability of a split hierarchy (see :func:`cluster_points`)."""
    from creative_clusters.microclusters.stability import (
        THREADED_MIN_POINTS,
        bootstrap_stability,
        stability_workers,
    )

    nodes = h.nodes
    n = len(X)
    node_ids = nodes["cluster_id"].to_numpy(object)
    fstab = np.full(n, np.nan)
    stab = np.full(int((dense >= 0).sum()), np.nan)
    lvl0 = np.flatnonzero(nodes["level"].to_numpy() == 0)
    top_lab = np.full(n, -1, dtype=np.int64)
    for j, node in enumerate(lvl0):
        top_lab[h.members[node]] = j
    f0, s0 = bootstrap_stability(X, top_lab, eps=eps, min_samples=m, reps=reps, seed=seed)
    fstab[:] = f0
    for j, node in enumerate(lvl0):
        if dense[node] >= 0:
            stab[dense[node]] = s0[j]
    parent_of = nodes["parent_id"].to_numpy(object)
    child_of = np.full(n, -1, dtype=np.int64)
    jobs = []  # each parent: its node, children, members and their child (-1: none)
    for p in np.flatnonzero(~nodes["is_leaf"].to_numpy(bool)):
        kids = np.flatnonzero(parent_of == node_ids[p])
        members = h.members[p]
        for j, kid in enumerate(kids):
            child_of[h.members[kid]] = j
        jobs.append((int(p), kids, members, child_of[members]))
        child_of[members] = -1
    eps_of = nodes["eps_m"].to_numpy(float)

    def redraw(job: tuple[int, np.ndarray, np.ndarray, np.ndarray], workers: int | None
               ) -> tuple[np.ndarray, np.ndarray]:
        p, kids, members, local = job
        return bootstrap_stability(X[members], local, eps=float(eps_of[kids[0]]), min_samples=m, reps=reps,
                                   seed=seed + p, workers=workers)

    # a large parent's draws run in threads; small parents (most of a national hierarchy) each run their
    # draws in one thread, several parents at once. Each has its own seed: the same result either way.
    small = [i for i, job in enumerate(jobs) if len(job[2]) < THREADED_MIN_POINTS]
    results = {i: redraw(job, None) for i, job in enumerate(jobs) if len(job[2]) >= THREADED_MIN_POINTS}
    if small:
        with ThreadPoolExecutor(stability_workers(None, len(small))) as pool:
            results.update(zip(small, pool.map(lambda i: redraw(jobs[i], 1), small), strict=True))
    for i, (_p, kids, members, local) in enumerate(jobs):  # in node order: a deeper level overwrites
        fs, cs = results.pop(i)
        in_kid = local >= 0
        fstab[members[in_kid]] = fs[in_kid]
        for j, kid in enumerate(kids):
            if dense[kid] >= 0:
                stab[dense[kid]] = cs[j]
    return fstab, stab


def spread_labels(lab: Labelling, use: np.ndarray, rep: np.ndarray
            ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Labels of the clustered rows (``use``) given to every row: row ``i`` takes row ``rep[i]``'s.

    ``use``/``rep`` come from :func:`~.hubs.clustering_rows` (hub firms take
    their representative's cluster; excluded rows, ``rep == -1``, none).
    Returns labels, core mask, level-0 cluster ids and firm stability.
    """
    src = _source_rows(use, rep)
    ok = src >= 0
    labels = np.where(ok, lab.labels[np.maximum(src, 0)], -1)
    core = ok & use & lab.core[np.maximum(src, 0)]
    top = np.where(ok, lab.top[np.maximum(src, 0)], "").astype(object)
    return labels, core, top, spread_values(lab.firm_stability, use, rep)


def _source_rows(use: np.ndarray, rep: np.ndarray) -> np.ndarray:
    """For every row, the position among the clustered rows whose result it takes (-1: none)."""
    pos = np.full(len(use), -1, dtype=np.int64)
    pos[use] = np.arange(int(use.sum()))
    return np.where(rep >= 0, pos[np.maximum(rep, 0)], -1)


def spread_values(values: np.ndarray, use: np.ndarray, rep: np.ndarray, fill: float = np.nan) -> np.ndarray:
    """One per-clustered-row array (e.g. firm stability) given to every row, as :func:`spread_labels` does."""
    src = _source_rows(use, rep)
    return np.where(src >= 0, values[np.maximum(src, 0)], fill)


def compare_methods(
    X: np.ndarray,
    *,
    eps: float = 1000.0,
    min_firms: int = 50,
    max_extent_km2: float = DEFAULT_MAX_EXTENT_KM2,
    methods: tuple[str, ...] = METHODS,
    use: np.ndarray | None = None,
    rep: np.ndarray | None = None,
) -> pd.DataFrame:
    """One row per method: microclusters, firms clustered, and their size and extent distributions.

    Extent is the convex hull area (km²) of each microcluster's firms. HDBSCAN
    is skipped (row with a note) above :data:`HDBSCAN_MAX_POINTS` firms.
    ``use``/``rep`` apply a hub policy (:func:`~.hubs.clustering_rows`).
    Counts as :func:`~.sweep.parameter_sweep` does: ``firms_clustered`` are
    the firms given a microcluster (hub firms re-attached, as ``n_firms`` in
    ``microclusters.csv``), ``firms_total`` every firm of ``X``,
    ``share_clustered`` their ratio (4 decimals); ``firms_median`` and
    ``firms_max`` are of the microclusters' ``n_firms``.
    """
    if use is None or rep is None:
        use, rep = np.ones(len(X), dtype=bool), np.arange(len(X))
    rows = []
    for meth in methods:
        row: dict[str, object] = {"method": meth}
        if meth == "hdbscan" and int(use.sum()) > HDBSCAN_MAX_POINTS:
            row["note"] = f"skipped: more than {HDBSCAN_MAX_POINTS:,} firms"
            rows.append(row)
            continue
        lab = cluster_points(X[use], method=meth, eps=eps, min_firms=min_firms, stability_reps=0,
                             max_extent_km2=max_extent_km2)
        labels = spread_labels(lab, use, rep)[0]
        k = len(lab.ids)
        sizes = np.bincount(labels[labels >= 0], minlength=k).astype(float)
        ext = extents_km2(X, labels, k)
        row.update({
            "n_microclusters": k,
            "firms_clustered": int((labels >= 0).sum()),
            "firms_total": len(X),
            "share_clustered": round(float((labels >= 0).mean()), 4) if len(X) else np.nan,
            "firms_median": float(np.median(sizes)) if len(sizes) else np.nan,
            "firms_max": float(sizes.max()) if len(sizes) else np.nan,
            "extent_km2_median": round(float(np.median(ext)), 3) if len(ext) else np.nan,
            "extent_km2_p90": round(float(np.quantile(ext, 0.9)), 3) if len(ext) else np.nan,
            "extent_km2_max": round(float(ext.max()), 3) if len(ext) else np.nan,
            "over_10_km2": int((ext > 10).sum()),
            "note": "",
        })
        rows.append(row)
    return pd.DataFrame(rows)
