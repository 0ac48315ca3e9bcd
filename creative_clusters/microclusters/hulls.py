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

from typing import Any

import numpy as np
import shapely
from shapely.geometry.base import BaseGeometry

__all__ = ["DEFAULT_HULL_RATIO", "MIN_BUFFER_M", "boundary"]

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
    mp: Any = shapely.multipoints(np.unique(np.asarray(points, float), axis=0))
    hull: Any = shapely.concave_hull(mp, ratio=ratio)
    if hull.geom_type == "Polygon" and hull.is_valid and hull.area > 0:
        return hull, "concave"
    hull = mp.convex_hull
    if hull.geom_type == "Polygon" and hull.area > 0:
        return hull, "convex"
    return hull.buffer(MIN_BUFFER_M), "buffer"
