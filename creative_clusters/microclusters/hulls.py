"""Boundary polygons of microclusters: concave hulls with a convex fallback.

Examples
--------
>>> import numpy as np
>>> pts = np.array([[0, 0], [10, 0], [10, 10], [0, 10], [5, 0]], dtype=float)
>>> poly, kind = boundary(pts)
>>> kind, poly.area
('concave', 100.0)
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import shapely
from shapely.geometry.base import BaseGeometry

__all__ = ["DEFAULT_HULL_RATIO", "MIN_BUFFER_M", "boundaries", "boundary"]

#: shapely ``concave_hull`` ratio: 0 = tightest, 1 = convex hull. 0.3 follows the
#: shape of a town-centre cluster without cutting deep notches between streets.
DEFAULT_HULL_RATIO = 0.3
#: Buffer (metres) around degenerate sets (all firms on one line or one postcode).
MIN_BUFFER_M = 50.0


def boundary(points: np.ndarray, ratio: float = DEFAULT_HULL_RATIO) -> tuple[BaseGeometry, str]:
    """A polygon around ``points`` (n × 2 metres) and how it was made.

    Returns ``(polygon, kind)`` with kind ``"concave"`` (shapely
    ``concave_hull``), ``"convex"`` (when the concave hull is not a valid
    polygon) or ``"buffer"`` (points on one line or at one place: a
    ``MIN_BUFFER_M`` buffer around their convex hull).
    """
    pts = np.asarray(points, float).reshape(-1, 2)
    if len(pts) == 0:  # nothing to surround: an empty polygon, as a buffer of nothing
        empty: Any = shapely.multipoints(pts)
        return empty.convex_hull.buffer(MIN_BUFFER_M), "buffer"
    polys, kinds = boundaries(pts, np.zeros(len(pts), dtype=np.int64), ratio)
    return polys[0], str(kinds[0])


#: Clusters per ``concave_hull`` call when :func:`boundaries` is given ``between``.
HULL_CHUNK = 64


def boundaries(points: np.ndarray, labels: np.ndarray, ratio: float = DEFAULT_HULL_RATIO,
               k: int | None = None, *, between: Callable[[], None] | None = None
               ) -> tuple[np.ndarray, np.ndarray]:
    """:func:`boundary` of the points of each label ``0 .. k-1``, all clusters at once.

    Each cluster's distinct points, in (easting, northing) order, go into one
    multipoint (built from WKB, :func:`_multipoints`; then shapely's vectorised
    ``concave_hull``, no Python loop over points). Every label in ``0 .. k-1``
    must have a point. With ``between`` (no arguments), the hulls are taken
    :data:`HULL_CHUNK` clusters at a time and ``between`` is called after
    each chunk (the caller's chance to start other work; the polygons are
    the same).

    Returns
    -------
    polygons : numpy.ndarray of shapely geometries, shape (k,)
    kinds : numpy.ndarray of str, shape (k,)
        ``"concave"``, ``"convex"`` or ``"buffer"`` as in :func:`boundary`.

    Examples
    --------
    >>> pts = np.array([[0, 0], [10, 0], [10, 10], [0, 10], [5, 5], [5, 5]], dtype=float)
    >>> polys, kinds = boundaries(pts, np.array([0, 0, 0, 0, 1, 1]))
    >>> kinds.tolist(), round(float(polys[0].area)), round(float(polys[1].area))
    (['concave', 'buffer'], 100, 7804)
    """
    pts = np.asarray(points, float)
    lab = np.asarray(labels, dtype=np.int64)
    if pts.ndim != 2 or pts.shape[1] != 2 or len(lab) != len(pts):
        raise ValueError(f"expected n × 2 points and n labels; got points {pts.shape}, labels {lab.shape}")
    k = int(lab.max()) + 1 if k is None and len(lab) else int(k or 0)
    if k == 0:
        return np.empty(0, dtype=object), np.empty(0, dtype=object)
    order = np.lexsort((pts[:, 1], pts[:, 0], lab))
    p, g = pts[order], lab[order]
    keep = np.r_[True, (g[1:] != g[:-1]) | (p[1:, 0] != p[:-1, 0]) | (p[1:, 1] != p[:-1, 1])]
    p, g = p[keep], g[keep]
    if not np.array_equal(np.unique(g), np.arange(k)):
        raise ValueError(f"every label 0..{k - 1} needs at least one point")
    mp = _multipoints(p, np.searchsorted(g, np.arange(k + 1)))
    if between is None:
        hull: Any = shapely.concave_hull(mp, ratio=ratio)
    else:
        parts = []
        for a in range(0, k, HULL_CHUNK):
            parts.append(shapely.concave_hull(mp[a:a + HULL_CHUNK], ratio=ratio))
            between()
        hull = np.concatenate(parts)
    kinds = np.full(k, "concave", dtype=object)
    ok = (shapely.get_type_id(hull) == 3) & shapely.is_valid(hull) & (shapely.area(hull) > 0)
    if not ok.all():
        bad = np.flatnonzero(~ok)
        conv = shapely.convex_hull(mp[bad])
        poly = (shapely.get_type_id(conv) == 3) & (shapely.area(conv) > 0)
        hull[bad] = np.where(poly, conv, shapely.buffer(conv, MIN_BUFFER_M))
        kinds[bad] = np.where(poly, "convex", "buffer")
    return hull, kinds


def _multipoints(points: np.ndarray, offsets: np.ndarray) -> Any:
    """Multipoint ``i`` of ``points[offsets[i]:offsets[i + 1]]`` for each ``i``, as a shapely array.

    The same geometries as ``shapely.multipoints(points, indices=...)``, made
    from little-endian WKB written with numpy: GEOS reads the coordinates
    without a shapely point per row first (100k points: 0.03 s against 0.13 s).

    Examples
    --------
    >>> mp = _multipoints(np.array([[0.0, 1.0], [2.0, 3.0], [4.0, 5.0]]), np.array([0, 2, 3]))
    >>> [g.wkt for g in mp]
    ['MULTIPOINT ((0 1), (2 3))', 'MULTIPOINT ((4 5))']
    """
    rec = np.empty(len(points), dtype=[("order", "u1"), ("type", "<u4"), ("x", "<f8"), ("y", "<f8")])
    rec["order"], rec["type"] = 1, 1  # little-endian wkbPoint
    rec["x"], rec["y"] = points[:, 0], points[:, 1]
    body, size = rec.tobytes(), rec.itemsize
    wkb = [b"\x01\x04\x00\x00\x00" + int(b - a).to_bytes(4, "little") + body[a * size:b * size]
           for a, b in zip(offsets[:-1].tolist(), offsets[1:].tolist(), strict=True)]  # wkbMultiPoint, count
    return shapely.from_wkb(np.array(wkb, dtype=object))
