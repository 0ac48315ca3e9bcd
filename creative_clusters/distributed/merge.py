"""The client-side merge: union-find over the tiles' local clusters, then global labels.

Nodes are the tiles' local clusters (tile ``t``'s cluster ``c`` is node
``offset[t] + c``). Each halo record ``(q, node)`` from a tile is matched with
``q``'s record in its owner tile (``band_*``):

- ``q`` is core → ``node`` and ``q``'s own node are one cluster (union);
- ``q`` is not core → ``node`` is a border candidate of ``q``.

Every core–core edge across a border shows up this way, because each end lies
in the halo of the other end's tile. Clusters are then numbered by the lowest
global id of a core point they hold — the order scikit-learn and the kernel
number them in — and each border point gets the lowest label among its
candidates.

Examples
--------
Two tiles, one cluster split by the border (tile 0's node 0 and tile 1's
node 0), and a border point (gid 7, not core, owned by tile 1) that tile 0's
cluster reaches:

>>> import numpy as np
>>> from creative_clusters.distributed._tile import TileSummary
>>> e = np.empty(0, np.int64)
>>> s0 = TileSummary(0, 3, np.array([2]), np.array([5]), np.array([True]), np.array([0]),
...                  np.array([6, 7]), np.array([0, 0]))
>>> s1 = TileSummary(1, 3, np.array([6]), np.array([6, 7]), np.array([True, False]),
...                  np.array([0, -1]), np.array([5]), np.array([0]))
>>> plan = merge_summaries([s0, s1])
>>> plan.n_clusters, plan.node_label[0].tolist(), plan.node_label[1].tolist()
(1, [0], [0])
>>> plan.remote[1]
(array([7]), array([0]))
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from creative_clusters.distributed._tile import NO_GID, TileSummary
from creative_clusters.errors import ClusterToolkitError

__all__ = ["MergePlan", "UnionFind", "merge_summaries"]


class UnionFind:
    """Disjoint sets over ``0..n-1`` with path halving and union by lower root.

    Examples
    --------
    >>> uf = UnionFind(4)
    >>> uf.union(0, 2); uf.union(3, 2)
    >>> [uf.find(i) for i in range(4)]
    [0, 1, 0, 0]
    """

    def __init__(self, n: int) -> None:
        self.parent = list(range(n))

    def find(self, i: int) -> int:
        """Root of ``i``'s set."""
        p = self.parent
        while p[i] != i:
            p[i] = p[p[i]]
            i = p[i]
        return i

    def union(self, a: int, b: int) -> None:
        """Join the sets of ``a`` and ``b`` (the lower root becomes the root)."""
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            if ra < rb:
                self.parent[rb] = ra
            else:
                self.parent[ra] = rb

    def roots(self) -> np.ndarray:
        """Root of every element."""
        return np.array([self.find(i) for i in range(len(self.parent))], dtype=np.int64)


@dataclass
class MergePlan:
    """Global labels of every tile's local clusters, and remote border candidates.

    ``node_label[t]`` maps tile ``t``'s local clusters to global labels;
    ``remote[t]`` is ``(gid, label)``: owned non-core points of tile ``t``
    reached by another tile's core points, with the lowest such label.
    """

    n_clusters: int
    node_label: dict[int, np.ndarray]
    remote: dict[int, tuple[np.ndarray, np.ndarray]]
    n_edges: int = 0
    n_nodes: int = 0
    stats: dict[str, int] = field(default_factory=dict)


def merge_summaries(summaries: Sequence[TileSummary]) -> MergePlan:
    """Union-find over local clusters; number clusters; resolve cross-border border points."""
    tiles = [s.tile for s in summaries]
    if len(set(tiles)) != len(tiles):
        raise ClusterToolkitError(f"internal error: tile summaries repeat a tile ({sorted(tiles)})")
    sizes = np.array([len(s.node_min) for s in summaries], dtype=np.int64)
    offset = np.r_[0, np.cumsum(sizes)].astype(np.int64)
    off = {s.tile: int(offset[i]) for i, s in enumerate(summaries)}
    n_nodes = int(offset[-1])
    node_min = np.concatenate([s.node_min for s in summaries]) if summaries else np.empty(0, np.int64)

    # owner records of band points
    b_gid = np.concatenate([s.band_gid for s in summaries]) if summaries else np.empty(0, np.int64)
    b_core = np.concatenate([s.band_core for s in summaries]) if summaries else np.empty(0, bool)
    b_node = np.concatenate([np.where(s.band_core, s.band_node + off[s.tile], -1) for s in summaries]
                            ) if summaries else np.empty(0, np.int64)
    b_tile = np.concatenate([np.full(len(s.band_gid), s.tile, np.int64) for s in summaries]
                            ) if summaries else np.empty(0, np.int64)
    order = np.argsort(b_gid, kind="stable")
    b_gid, b_core, b_node, b_tile = b_gid[order], b_core[order], b_node[order], b_tile[order]
    if len(b_gid) > 1 and (np.diff(b_gid) == 0).any():
        raise ClusterToolkitError("internal error: a point is owned by two tiles")

    # halo records
    e_gid = np.concatenate([s.em_gid for s in summaries]) if summaries else np.empty(0, np.int64)
    e_node = np.concatenate([s.em_node + off[s.tile] for s in summaries]) if summaries else np.empty(0, np.int64)
    at = np.searchsorted(b_gid, e_gid)
    found = (at < len(b_gid)) & (b_gid[np.minimum(at, max(len(b_gid) - 1, 0))] == e_gid) if len(b_gid) else \
        np.zeros(len(e_gid), bool)
    if not found.all():
        missing = e_gid[~found][:5].tolist()
        raise ClusterToolkitError(f"internal error: halo points {missing} have no owner record; the tiling "
                                  "and the halo disagree")
    is_core = b_core[at]
    a = e_node[is_core]
    b = b_node[at[is_core]]
    # distinct links between different nodes, one int64 key per pair (n_nodes is small)
    key = np.unique(np.minimum(a, b) * np.int64(max(n_nodes, 1)) + np.maximum(a, b)) if len(a) else a
    lo, hi = key // max(n_nodes, 1), key % max(n_nodes, 1)
    keep = lo != hi
    edges = np.c_[lo[keep], hi[keep]]

    uf = UnionFind(n_nodes)
    for u, v in edges.tolist():
        uf.union(u, v)
    root = uf.roots() if n_nodes else np.empty(0, np.int64)
    comp_min = np.full(n_nodes, NO_GID, dtype=np.int64)
    if n_nodes:
        np.minimum.at(comp_min, root, node_min)
    roots = np.flatnonzero((comp_min < NO_GID) & (np.arange(n_nodes) == root)) if n_nodes else root
    ranked = roots[np.argsort(comp_min[roots], kind="stable")]
    label_of_root = np.full(n_nodes, -1, dtype=np.int64)
    label_of_root[ranked] = np.arange(len(ranked))
    node_label = label_of_root[root] if n_nodes else root
    if n_nodes and (node_label < 0).any():
        raise ClusterToolkitError("internal error: a local cluster is joined to no core point")

    # border points reached from other tiles: the lowest label among the candidates
    nc = ~is_core
    r_gid = e_gid[nc]
    r_lab = node_label[e_node[nc]] if len(r_gid) else np.empty(0, np.int64)
    r_tile = b_tile[at[nc]]
    remote: dict[int, tuple[np.ndarray, np.ndarray]] = {}
    if len(r_gid):
        o = np.lexsort((r_lab, r_gid))
        r_gid, r_lab, r_tile = r_gid[o], r_lab[o], r_tile[o]
        first = np.r_[True, r_gid[1:] != r_gid[:-1]]
        r_gid, r_lab, r_tile = r_gid[first], r_lab[first], r_tile[first]
        for t in np.unique(r_tile).tolist():
            m = r_tile == t
            remote[int(t)] = (r_gid[m], r_lab[m])
    labels = {s.tile: node_label[off[s.tile]:off[s.tile] + len(s.node_min)] for s in summaries}
    return MergePlan(n_clusters=len(ranked), node_label=labels, remote=remote, n_edges=len(edges),
                     n_nodes=n_nodes, stats={"band_points": len(b_gid), "halo_records": len(e_gid)})
