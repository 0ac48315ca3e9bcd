"""Neighbourhood-scale microclusters: DBSCAN that splits clusters too large to be "micro".

DBSCAN at one radius chains dense neighbourhoods into whole cities (on the
South Yorkshire firms at eps 1,000 m the largest cluster covers 65 km²; on
national-density points, London is one 1,450 km² cluster). Creative PEC's
microclusters are neighbourhood-scale groups of at least 50 creative
organisations. The rule here (method ``"split"``):

1. Run exact DBSCAN at ``eps`` with ``min_firms`` (level 0).
2. A cluster whose **extent** (area of the convex hull of its firms) is over
   ``max_extent_km2`` is clustered again, on its own firms, with ``eps``
   halved and the same ``min_firms``; its clusters become its children.
3. Repeat for each child until every cluster is within the bound or the
   radius would fall below ``min_eps``.

The **leaves** (clusters not split further) are the microclusters. A cluster
that is over the bound and cannot be split (the finer radius finds no
cluster of ``min_firms``, or the radius floor is reached) stays a leaf and is
flagged ``over_extent_bound``: a genuinely dense area larger than a
neighbourhood, reported as such, never silently cut. Firms of a split
cluster that fall in none of its children are clustered at the coarser scale
only: they keep their level-0 cluster id (``top_cluster_id``) and have no
leaf id.

Every node of the hierarchy (cluster → sub-clusters) is reported, so both
scales stay visible: ids are ``MC0001`` (level 0), ``MC0001-02`` (its second
child), ``MC0001-02-01`` and so on, numbered as DBSCAN numbers labels.

The default bound, 5 km², is the area of a disc of radius 1.26 km: about a
20-minute walk across, the scale of a town centre or an inner-city quarter.

Examples
--------
>>> import numpy as np
>>> rng = np.random.default_rng(0)  # SYNTHETIC: two dense spots 3 km apart, joined by a thin chain
>>> a, b = rng.normal(0, 100, (80, 2)), rng.normal(0, 100, (80, 2)) + [3000, 0]
>>> chain = np.c_[np.linspace(0, 3000, 200), np.zeros(200)]
>>> X = np.r_[a, b, chain] + 400000
>>> h = split_dbscan(X, eps=400, min_firms=40, max_extent_km2=0.5)
>>> for row in h.nodes[["cluster_id", "parent_id", "eps_m", "n_points", "is_leaf"]].values.tolist():
...     print(row)
['MC0001', '', 400.0, 360, False]
['MC0001-01', 'MC0001', 200.0, 110, True]
['MC0001-02', 'MC0001', 200.0, 112, True]
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import shapely

from creative_clusters.errors import ParameterError

__all__ = ["DEFAULT_MAX_EXTENT_KM2", "DEFAULT_MIN_EPS_M", "Hierarchy", "extent_km2", "split_dbscan"]

#: Clusters whose convex hull covers more than this are split (km²).
DEFAULT_MAX_EXTENT_KM2 = 5.0
#: The radius is never halved below this (metres): about a street block.
DEFAULT_MIN_EPS_M = 100.0


def extent_km2(points: np.ndarray) -> float:
    """Area of the convex hull of ``points`` (n × 2 metres) in km² (0 for a line or a point).

    The hull is taken of the distinct points: GEOS 3.14's convex hull of many
    copies of a few points can leave out part of the hull (nine points, each
    ten times, gave 23,630 m² for a hull of 27,375.5 m²), and firms at one
    postcode share a point.

    Examples
    --------
    >>> extent_km2(np.array([[0.0, 0], [1000, 0], [0, 1000], [1000, 1000], [500, 500]]))
    1.0
    """
    if len(points) < 3:
        return 0.0
    if len(points) > HULL_PREFILTER_POINTS:
        points = _hull_candidates(points)
    points = np.unique(np.asarray(points, float), axis=0)
    if len(points) < 3:
        return 0.0
    return float(shapely.area(shapely.convex_hull(shapely.multipoints(points)))) / 1e6


#: From this many points, :func:`extent_km2` first drops the points that cannot be hull vertices.
HULL_PREFILTER_POINTS = 256


def _hull_candidates(points: np.ndarray) -> np.ndarray:
    """The points not strictly inside the octagon of the extreme points (Akl and Toussaint, 1978).

    A point strictly inside the convex polygon spanned by the points of
    least and greatest x, y, x + y and x − y is inside the convex hull, so
    it cannot be one of its vertices: the hull of what is left is the hull of
    all the points (the same polygon from GEOS, which makes the same
    reduction itself after first making a geometry of every point; tested
    against the unfiltered hull). On a cluster of a million firms this takes
    the extent from about 0.8 s to 0.08 s.

    Examples
    --------
    >>> sq = np.array([[0.0, 0], [10, 0], [10, 10], [0, 10], [5, 5], [2, 3]])
    >>> _hull_candidates(sq).tolist()
    [[0.0, 0.0], [10.0, 0.0], [10.0, 10.0], [0.0, 10.0]]
    """
    x, y = points[:, 0], points[:, 1]
    s, d = x + y, x - y
    extreme = points[[x.argmin(), d.argmin(), y.argmin(), s.argmax(), x.argmax(), d.argmax(), y.argmax(),
                      s.argmin()]]
    octagon = shapely.convex_hull(shapely.multipoints(extreme))
    if shapely.get_type_id(octagon) != 3:  # a line or a point: nothing is strictly inside it
        return points
    return points[~shapely.contains_xy(octagon, x, y)]


#: :func:`extents_km2` makes the points of at most about this many firms into geometries at once.
EXTENT_CHUNK_POINTS = 1_000_000


def extents_km2(points: np.ndarray, labels: np.ndarray, k: int) -> np.ndarray:
    """:func:`extent_km2` of the points of each label ``0 .. k-1`` (label -1 ignored), vectorised.

    Each cluster's distinct points go into its multipoint in input order, as
    :func:`extent_km2` of that cluster's rows would take them, so the values
    are the same (tested); shapely builds and measures the hulls of many
    clusters per call (groups of about :data:`EXTENT_CHUNK_POINTS` points, to
    bound memory).

    Examples
    --------
    >>> X = np.array([[0.0, 0], [1000, 0], [0, 1000], [1000, 1000], [5, 5], [9, 9]])
    >>> extents_km2(X, np.array([0, 0, 0, 0, 1, 1]), 2).tolist()
    [1.0, 0.0]
    """
    lab = np.asarray(labels, dtype=np.int64)
    out = np.zeros(k)
    if k == 0:
        return out
    # firms at one postcode share a point: one copy of each distinct point per cluster (the first,
    # so input order is kept); GEOS takes the distinct points of a hull's input anyway, so the
    # areas are the same, with a third fewer points to make into geometries
    pts = np.asarray(points, float)
    sel = np.flatnonzero(lab >= 0)
    if len(sel) > HULL_PREFILTER_POINTS:  # only points that can be hull vertices (see _hull_candidates)
        sel = sel[_grouped_hull_candidates(pts[sel], lab[sel], k)]
    o = sel[np.lexsort((pts[sel, 1], pts[sel, 0], lab[sel]))]
    distinct = np.r_[True, (lab[o[1:]] != lab[o[:-1]]) | (pts[o[1:], 0] != pts[o[:-1], 0])
                     | (pts[o[1:], 1] != pts[o[:-1], 1])] if len(o) else np.empty(0, dtype=bool)
    lab = np.full(len(lab), -1, dtype=np.int64)
    lab[o[distinct]] = np.asarray(labels, dtype=np.int64)[o[distinct]]
    order = np.argsort(lab, kind="stable")
    bounds = np.searchsorted(lab[order], np.arange(k + 1))
    sizes = np.diff(bounds)
    big = np.flatnonzero(sizes >= 3)
    ends = np.cumsum(sizes[big])
    first = 0
    while first < len(big):
        last = max(int(np.searchsorted(ends, (ends[first - 1] if first else 0) + EXTENT_CHUNK_POINTS)), first + 1)
        group = big[first:last]
        rows = np.concatenate([order[bounds[c]:bounds[c + 1]] for c in group])
        which = np.repeat(np.arange(len(group)), sizes[group])
        hull = shapely.convex_hull(shapely.multipoints(pts[rows], indices=which))
        out[group] = shapely.area(hull) / 1e6
        first = last
    return out


def _grouped_hull_candidates(points: np.ndarray, labels: np.ndarray, k: int) -> np.ndarray:
    """:func:`_hull_candidates` of each label's points at once: a mask of the points to keep.

    Each label's octagon is spanned by one of its points of least and
    greatest x, y, x + y and x − y (any one, where several tie: the octagon
    is then still inside the label's hull); a point strictly inside its own
    label's octagon is dropped.

    Examples
    --------
    >>> sq = np.array([[0.0, 0], [10, 0], [10, 10], [0, 10], [5, 5], [50, 50], [60, 50], [55, 60]])
    >>> _grouped_hull_candidates(sq, np.array([0, 0, 0, 0, 0, 1, 1, 1]), 2).tolist()
    [True, True, True, True, False, True, True, True]
    """
    x, y = points[:, 0], points[:, 1]
    picks = []
    for key, better in ((x, np.minimum), (x, np.maximum), (y, np.minimum), (y, np.maximum),
                        (x + y, np.minimum), (x + y, np.maximum), (x - y, np.minimum), (x - y, np.maximum)):
        best = np.full(k, np.inf if better is np.minimum else -np.inf)
        better.at(best, labels, key)
        hit = np.flatnonzero(key == best[labels])
        pick = np.full(k, -1, dtype=np.int64)
        pick[labels[hit]] = hit  # one point reaching the extreme, per label
        picks.append(pick)
    pick = np.stack(picks, axis=1).ravel()  # label by label (shapely wants its indices sorted)
    group = np.repeat(np.arange(k), len(picks))
    ok = pick >= 0  # labels without points have none
    octagons = np.full(k, None, dtype=object)
    present = np.unique(group[ok])
    octagons[present] = shapely.convex_hull(shapely.multipoints(
        points[pick[ok]], indices=np.searchsorted(present, group[ok])))
    has = np.flatnonzero(shapely.get_type_id(octagons) == 3)  # polygons: lines and points drop nothing
    inside = np.zeros(len(points), dtype=bool)
    use = np.isin(labels, has)
    inside[use] = shapely.contains_xy(octagons[labels[use]], x[use], y[use])
    return ~inside


@dataclass
class Hierarchy:
    """Result of :func:`split_dbscan`.

    Attributes
    ----------
    leaf : numpy.ndarray of int64
        Per firm, the index (into ``nodes``) of its leaf cluster, -1 if none.
    top : numpy.ndarray of int64
        Per firm, the index of its level-0 cluster, -1 if noise at level 0.
    core : numpy.ndarray of bool
        Core at the level of its leaf (else at level 0).
    nodes : pandas.DataFrame
        One row per cluster at any level: ``cluster_id``, ``parent_id`` ("" at
        level 0), ``level``, ``eps_m``, ``n_points`` (points of ``X`` in
        the cluster: the firms that entered the clustering, so a hub's firms
        beyond ``--hub-cap`` are not among them; named apart from
        ``microclusters.csv``'s ``n_firms``, which counts them), ``extent_km2``,
        ``is_leaf``, ``over_extent_bound``, ``n_children``.
    members : list of numpy.ndarray
        Firm indices of each node.
    """

    leaf: np.ndarray
    top: np.ndarray
    core: np.ndarray
    nodes: pd.DataFrame
    members: list[np.ndarray]


def split_dbscan(
    X: np.ndarray,
    *,
    eps: float,
    min_firms: int,
    max_extent_km2: float = DEFAULT_MAX_EXTENT_KM2,
    min_eps: float = DEFAULT_MIN_EPS_M,
) -> Hierarchy:
    """DBSCAN, then split clusters over ``max_extent_km2`` at half the radius (module notes).

    Parameters
    ----------
    X : numpy.ndarray, shape (n, 2)
        Easting/northing in metres.
    eps : float
        Level-0 radius in metres.
    min_firms : int
        DBSCAN ``min_samples`` at every level (the firm itself counted).
    max_extent_km2 : float
        Clusters whose convex hull is larger are split.
    min_eps : float
        Radius floor in metres.

    Returns
    -------
    Hierarchy
    """
    from creative_clusters.microclusters.dbscan import dbscan  # numba: loaded when first clustered

    if not (np.isfinite(max_extent_km2) and max_extent_km2 > 0):
        raise ParameterError(f"--max-extent must be a positive area in km²; got {max_extent_km2}")
    if not (np.isfinite(min_eps) and min_eps > 0):
        raise ParameterError(f"min_eps must be a positive distance in metres; got {min_eps}")
    X = np.asarray(X, dtype=float)
    n = len(X)
    labels, core = dbscan(X, eps, min_firms)
    leaf = np.full(n, -1, dtype=np.int64)
    top = np.full(n, -1, dtype=np.int64)
    rows: list[dict[str, object]] = []
    members: list[np.ndarray] = []

    def add(ids: np.ndarray, extent: float, cid: str, parent: int, level: int, e: float) -> int:
        k = len(rows)
        rows.append({"cluster_id": cid, "parent_id": rows[parent]["cluster_id"] if parent >= 0 else "",
                     "level": level, "eps_m": float(e), "n_points": len(ids),
                     "extent_km2": round(float(extent), 4), "is_leaf": True,
                     "over_extent_bound": False, "n_children": 0})
        members.append(ids)
        return k

    # breadth-first over (node, radius); the extents of a level's clusters, or of a parent's children,
    # in one call (extents_km2: the same values as extent_km2 of each, tested)
    queue: list[tuple[int, float]] = []
    k0 = int(labels.max()) + 1 if n else 0
    order = np.argsort(labels, kind="stable")
    bounds = np.searchsorted(labels[order], np.arange(k0 + 1))
    ext0 = extents_km2(X, labels, k0)
    for c in range(k0):
        ids = order[bounds[c]:bounds[c + 1]]
        k = add(ids, ext0[c], f"MC{c + 1:04d}", -1, 0, eps)
        top[ids] = k
        leaf[ids] = k
        queue.append((k, eps))
    while queue:
        k, e = queue.pop(0)
        node = rows[k]
        if float(node["extent_km2"]) <= max_extent_km2:  # type: ignore[arg-type]
            continue
        half = e / 2.0
        ids = members[k]
        if half < min_eps:
            node["over_extent_bound"] = True
            continue
        sub, sub_core = dbscan(X[ids], half, min_firms)
        if sub.max(initial=-1) < 0:
            node["over_extent_bound"] = True
            continue
        node["is_leaf"] = False
        leaf[ids] = -1
        n_sub = int(sub.max()) + 1
        node["n_children"] = n_sub
        # each child's rows in the parent's order (a stable sort by child: one pass, not one per child)
        by_kid = np.argsort(sub, kind="stable")
        cut = np.searchsorted(sub[by_kid], np.arange(n_sub + 1))
        ext = extents_km2(X[ids], sub, n_sub)
        for j in range(n_sub):
            m = by_kid[cut[j]:cut[j + 1]]
            child = add(ids[m], ext[j], f"{node['cluster_id']}-{j + 1:02d}", k, int(node["level"]) + 1, half)  # type: ignore[call-overload]
            leaf[ids[m]] = child
            core[ids[m]] = sub_core[m]
            queue.append((child, half))
    nodes = pd.DataFrame(rows, columns=["cluster_id", "parent_id", "level", "eps_m", "n_points",
                                        "extent_km2", "is_leaf", "over_extent_bound", "n_children"])
    # depth-first order (parent then its children) reads as a tree
    if len(nodes):
        key = nodes["cluster_id"]
        perm = np.argsort(key.to_numpy(str), kind="stable")
        remap = np.empty(len(perm), dtype=np.int64)
        remap[perm] = np.arange(len(perm))
        nodes = nodes.iloc[perm].reset_index(drop=True)
        members = [members[i] for i in perm]
        leaf = np.where(leaf >= 0, remap[np.maximum(leaf, 0)], -1)
        top = np.where(top >= 0, remap[np.maximum(top, 0)], -1)
    return Hierarchy(leaf, top, core, nodes, members)
