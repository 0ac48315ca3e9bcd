"""Boundary polygons: each cluster's distinct points, built as WKB multipoints, give the hull of all its points.

:func:`~creative_clusters.microclusters.hulls.boundaries` keeps each
cluster's distinct points (firms share postcode coordinates) and builds the
multipoints from WKB (:func:`~creative_clusters.microclusters.hulls._multipoints`)
instead of a shapely point per row: the polygons must be exactly those of
shapely's ``concave_hull`` (or the convex / buffer fallback) over every
firm of the cluster, repeats included (SYNTHETIC points).
"""

from __future__ import annotations

import numpy as np
import pytest
import shapely

from creative_clusters.microclusters.hulls import DEFAULT_HULL_RATIO, MIN_BUFFER_M, _multipoints, boundaries


def _reference(points: np.ndarray, labels: np.ndarray, k: int) -> list[shapely.Geometry]:
    """One cluster at a time, every point (repeats too) as shapely builds them, the fallbacks as documented."""
    out = []
    for c in range(k):
        mp = shapely.multipoints(points[labels == c])
        hull = shapely.concave_hull(mp, ratio=DEFAULT_HULL_RATIO)
        if not (shapely.get_type_id(hull) == 3 and hull.is_valid and hull.area > 0):
            hull = mp.convex_hull
            if not (shapely.get_type_id(hull) == 3 and hull.area > 0):
                hull = shapely.buffer(hull, MIN_BUFFER_M)  # (the function: 8 segments a quarter, as hulls uses)
        out.append(hull)
    return out


def _clusters(seed: int, k: int = 12) -> tuple[np.ndarray, np.ndarray]:
    """k clusters of firms on a few 'postcode' points each (many repeats), shuffled together, plus degenerate ones."""
    rng = np.random.default_rng(seed)
    pts, labs = [], []
    for c in range(k):
        sites = rng.normal(0, 300, (int(rng.integers(3, 40)), 2)).round() + rng.uniform(400000, 450000, 2)
        firms = sites[rng.integers(0, len(sites), int(rng.integers(20, 200)))]  # firms share their site's point
        pts.append(firms)
        labs.append(np.full(len(firms), c))
    pts.append(np.repeat([[401000.0, 401000.0]], 30, axis=0))  # one place only: buffer
    labs.append(np.full(30, k))
    line = np.c_[np.linspace(0, 500, 5), np.linspace(0, 500, 5)] + 402000.0  # one line: buffer
    pts.append(np.repeat(line, 4, axis=0))
    labs.append(np.full(20, k + 1))
    X, lab = np.concatenate(pts), np.concatenate(labs)
    order = rng.permutation(len(X))
    return X[order], lab[order]


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_boundaries_of_repeated_points_equal_the_hull_of_every_point(seed):
    X, lab = _clusters(seed)
    k = int(lab.max()) + 1
    polys, kinds = boundaries(X, lab, DEFAULT_HULL_RATIO, k)
    ref = _reference(X, lab, k)
    assert shapely.equals_exact(polys, np.array(ref, dtype=object), tolerance=0).all()
    assert kinds[-2:].tolist() == ["buffer", "buffer"] and "concave" in kinds.tolist()


def test_wkb_multipoints_equal_shapelys_constructor():
    rng = np.random.default_rng(5)
    X = rng.uniform(-1e6, 1e6, (500, 2))
    X[::7] = X[1::7][: len(X[::7])]  # some repeated points
    g = np.sort(rng.integers(0, 40, len(X)))
    g = np.searchsorted(np.unique(g), g)  # labels 0..k-1, each used
    k = int(g.max()) + 1
    ours = _multipoints(X, np.searchsorted(g, np.arange(k + 1)))
    theirs = shapely.multipoints(X, indices=g)
    assert shapely.to_wkb(ours).tolist() == shapely.to_wkb(theirs).tolist()
