"""Work done on a worker for one tile: the kernel, then what the merge needs to hear.

A tile holds the points it owns and its halo (every other point within the
halo width of its rectangle, :mod:`.tiles`). :func:`cluster_tile` runs the
single-machine kernel :func:`creative_clusters.microclusters.dbscan` on the
lot. Because every neighbour of an owned point is present, the kernel's core
flags of **owned** points are exact. Halo points lack some neighbours, so the
kernel may miss that one of them is core, but never wrongly calls one core
(neighbour counts only grow with more points): every point the kernel calls
core is truly core, and every local cluster is a set of truly connected core
points. The tile's local clusters are the merge's nodes.

What the tile reports (:class:`TileSummary`, small):

- ``node_min``: per local cluster, the lowest global id of an owned core
  point (clusters are numbered by it, as scikit-learn numbers them);
- ``band_*``: owned points that sit in another tile's halo, with their exact
  core flag and local cluster;
- ``em_gid``/``em_node``: for each halo point, the local clusters it touches:
  its own local cluster when the kernel calls it core, otherwise every local
  cluster with an owned core point within ``eps`` (fewer than
  ``min_samples`` such points, since it is not core here).

What it keeps for the last step: owned points, their core flags and local
clusters, and for each owned non-core point the local clusters of owned core
points within ``eps`` (its border candidates).

"Within ``eps``" is always ``dx*dx + dy*dy <= eps*eps`` in float64 — the
kernel's own test — after a k-d tree query with a slightly larger radius.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

__all__ = ["TileResult", "TileSummary", "cluster_tile", "finalise_tile", "summarise"]

NO_GID = np.iinfo(np.int64).max


@dataclass
class TileSummary:
    """What one tile sends to the client for the merge (small arrays)."""

    tile: int
    n_owned: int
    node_min: np.ndarray
    band_gid: np.ndarray
    band_core: np.ndarray
    band_node: np.ndarray
    em_gid: np.ndarray
    em_node: np.ndarray


@dataclass
class TileResult:
    """Everything a tile keeps on its worker between the kernel and the final labels."""

    tile: int
    gid: np.ndarray
    x: np.ndarray
    y: np.ndarray
    core: np.ndarray
    node: np.ndarray           # local cluster of owned core points, -1 otherwise
    cand_idx: np.ndarray       # owned non-core point (index into gid) ...
    cand_node: np.ndarray      # ... and a local cluster of an owned core point within eps
    summary: TileSummary
    extra: pd.DataFrame | None = None
    seconds: float = 0.0
    n_halo: int = 0
    notes: list[str] = field(default_factory=list)


def _pairs_within(qx: np.ndarray, qy: np.ndarray, tx: np.ndarray, ty: np.ndarray, eps: float
                  ) -> tuple[np.ndarray, np.ndarray]:
    """Index pairs (query, target) with ``dx*dx + dy*dy <= eps*eps`` exactly."""
    if not len(qx) or not len(tx):
        return np.empty(0, np.int64), np.empty(0, np.int64)
    from scipy.spatial import cKDTree

    r = eps * (1.0 + 1e-6)  # a superset; the exact test below decides
    tq = cKDTree(np.c_[qx, qy])
    tt = cKDTree(np.c_[tx, ty])
    m = tq.sparse_distance_matrix(tt, r, output_type="ndarray")
    i = m["i"].astype(np.int64)
    j = m["j"].astype(np.int64)
    dx = qx[i] - tx[j]
    dy = qy[i] - ty[j]
    ok = dx * dx + dy * dy <= eps * eps
    return i[ok], j[ok]


def _unique_pairs(a: np.ndarray, b: np.ndarray, n_b: int) -> tuple[np.ndarray, np.ndarray]:
    """Distinct ``(a, b)`` pairs, ``0 <= b < n_b`` (one int64 key per pair)."""
    if not len(a):
        return a, b
    key = np.unique(a.astype(np.int64) * np.int64(max(n_b, 1)) + b)
    return key // max(n_b, 1), key % max(n_b, 1)


def cluster_tile(tile: int, pieces: list[dict[str, Any]], eps: float, min_samples: int,
                 kernel_threads: int | None = None) -> TileResult:
    """Run the kernel on one tile (owned + halo points) and prepare the merge records.

    ``pieces`` are the per-batch pieces of this tile (``gid``, ``x``, ``y``,
    ``owned``, ``band`` arrays and an optional ``extra`` frame of owned rows).
    ``kernel_threads`` caps the kernel's numba threads in this task (several
    workers on one machine would otherwise each start one thread per core).
    """
    import time

    from creative_clusters.microclusters.dbscan import dbscan

    if kernel_threads is not None:
        import numba

        numba.set_num_threads(max(1, min(int(kernel_threads), int(numba.config.NUMBA_NUM_THREADS))))  # type: ignore[attr-defined]
    t0 = time.perf_counter()
    pieces = [p for p in pieces if p is not None and len(p["gid"])]
    gid = np.concatenate([p["gid"] for p in pieces]) if pieces else np.empty(0, np.int64)
    x = np.concatenate([p["x"] for p in pieces]) if pieces else np.empty(0)
    y = np.concatenate([p["y"] for p in pieces]) if pieces else np.empty(0)
    owned = np.concatenate([p["owned"] for p in pieces]) if pieces else np.empty(0, bool)
    band = np.concatenate([p["band"] for p in pieces]) if pieces else np.empty(0, bool)
    extras = [p["extra"] for p in pieces if p.get("extra") is not None]
    extra = pd.concat(extras, ignore_index=True) if extras else None

    if len(gid):
        labels, core = dbscan(np.c_[x, y], eps, min_samples)
    else:
        labels, core = np.empty(0, np.int64), np.empty(0, bool)
    n_nodes = int(labels.max()) + 1 if len(labels) else 0
    core_own = core & owned
    node_min = np.full(n_nodes, NO_GID, dtype=np.int64)
    np.minimum.at(node_min, labels[core_own], gid[core_own])

    # owned core points (targets) and the points the kernel did not call core but put in a
    # cluster (queries): one it left as noise has no core point, owned or not, within eps
    t_idx = np.flatnonzero(core_own)
    q_idx = np.flatnonzero(~core & (labels >= 0))
    qi, tj = _pairs_within(x[q_idx], y[q_idx], x[t_idx], y[t_idx], eps)
    q_pt, t_node = _unique_pairs(q_idx[qi], labels[t_idx[tj]], n_nodes)

    # halo records: locally core → its own local cluster; otherwise the clusters it touches
    halo_core = np.flatnonzero(~owned & core)
    from_nc = ~owned[q_pt]
    em_gid = np.r_[gid[halo_core], gid[q_pt[from_nc]]]
    em_node = np.r_[labels[halo_core], t_node[from_nc]]

    # owned points, in gid order
    own_idx = np.flatnonzero(owned)
    order = np.argsort(gid[own_idx], kind="stable")
    own_idx = own_idx[order]
    pos = np.full(len(gid), -1, dtype=np.int64)
    pos[own_idx] = np.arange(len(own_idx))
    if extra is not None:
        # extra rows follow the owned points in piece order; put them in gid order too
        extra = extra.iloc[order].reset_index(drop=True)
    o_core = core[own_idx]
    o_node = np.where(o_core, labels[own_idx], -1)
    cand = owned[q_pt]
    b = band[own_idx]
    summary = TileSummary(
        tile=int(tile), n_owned=len(own_idx), node_min=node_min,
        band_gid=gid[own_idx][b], band_core=o_core[b], band_node=o_node[b],
        em_gid=em_gid.astype(np.int64), em_node=em_node.astype(np.int64),
    )
    return TileResult(
        tile=int(tile), gid=gid[own_idx], x=x[own_idx], y=y[own_idx], core=o_core, node=o_node,
        cand_idx=pos[q_pt[cand]], cand_node=t_node[cand], summary=summary, extra=extra,
        seconds=time.perf_counter() - t0, n_halo=int((~owned).sum()),
    )


def summarise(result: TileResult) -> tuple[TileSummary, dict[str, Any]]:
    """The merge records of a tile and its statistics (runs on the worker; only this travels)."""
    stat = {"tile": result.tile, "owned": len(result.gid), "halo": result.n_halo,
            "core": int(result.core.sum()), "seconds": round(result.seconds, 3)}
    return result.summary, stat


def finalise_tile(result: TileResult, node_label: np.ndarray, remote_gid: np.ndarray,
                  remote_label: np.ndarray) -> pd.DataFrame:
    """Final labels of a tile's owned points, in global-id order.

    ``node_label`` maps the tile's local clusters to global labels;
    ``remote_gid``/``remote_label`` give, for owned non-core points near
    another tile's core points, the lowest global label among those.
    A core point takes its cluster's label; a non-core point the lowest
    label among its candidates (scikit-learn's rule), else -1 (noise).
    """
    n = len(result.gid)
    labels = np.full(n, -1, dtype=np.int64)
    if n:
        c = result.core
        labels[c] = node_label[result.node[c]]
        big = np.iinfo(np.int64).max
        best = np.full(n, big, dtype=np.int64)
        if len(result.cand_idx):
            np.minimum.at(best, result.cand_idx, node_label[result.cand_node])
        if len(remote_gid):
            at = np.searchsorted(result.gid, remote_gid)
            np.minimum.at(best, at, remote_label)
        nc = ~c & (best < big)
        labels[nc] = best[nc]
    out = pd.DataFrame({"gid": result.gid, "x": result.x, "y": result.y, "label": labels,
                        "core": result.core, "tile": np.full(n, result.tile, dtype=np.int32)})
    if result.extra is not None:
        for col in result.extra.columns:
            if col not in out.columns:
                out[col] = result.extra[col].to_numpy()
    return out
