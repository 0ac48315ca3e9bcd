"""extent_km2's prefilter (points strictly inside the extreme-point octagon dropped) keeps the hull exactly."""

from __future__ import annotations

import numpy as np
import shapely
from hypothesis import given, settings
from hypothesis import strategies as st

from creative_clusters.microclusters import hierarchy
from creative_clusters.microclusters.hierarchy import _hull_candidates, extent_km2


def _unfiltered_km2(points: np.ndarray) -> float:
    return float(shapely.area(shapely.convex_hull(shapely.multipoints(points)))) / 1e6


@settings(max_examples=200, deadline=None)
@given(st.integers(3, 2000), st.sampled_from(["normal", "grid", "line", "uniform"]), st.integers(0, 2**32 - 1))
def test_prefiltered_hull_equals_the_hull_of_every_point(n, kind, seed):
    rng = np.random.default_rng(seed)
    if kind == "normal":  # a town centre, whole metres (firms at postcodes share points)
        pts = rng.normal(0, 800, (n, 2)).round(0) + 400_000
    elif kind == "grid":  # many duplicates and collinear points on the hull's edges
        pts = rng.integers(0, 12, (n, 2)) * 100.0 + 300_000
    elif kind == "line":  # degenerate: no area
        pts = np.c_[rng.uniform(0, 1000, n), np.full(n, 7.0)]
    else:
        pts = rng.uniform(0, 5000, (n, 2))
    kept = _hull_candidates(pts)
    assert len(kept) <= len(pts)
    assert _unfiltered_km2(kept) == _unfiltered_km2(pts)  # exactly: the same polygon


def test_extent_uses_the_prefilter_above_the_threshold(monkeypatch):
    rng = np.random.default_rng(3)
    pts = rng.normal(0, 800, (hierarchy.HULL_PREFILTER_POINTS * 4, 2)) + 400_000
    calls = []
    real = hierarchy._hull_candidates
    monkeypatch.setattr(hierarchy, "_hull_candidates", lambda p: calls.append(len(p)) or real(p))
    assert extent_km2(pts) == _unfiltered_km2(pts)
    assert calls == [len(pts)]


@settings(max_examples=100, deadline=None)
@given(st.integers(hierarchy.HULL_PREFILTER_POINTS + 1, 3000), st.integers(1, 12), st.booleans(),
       st.integers(0, 2**32 - 1))
def test_grouped_prefilter_keeps_every_clusters_hull(n, k, snap, seed):
    """extents_km2 (each cluster's octagon prefilter, then grouped hulls) equals each cluster's unfiltered hull."""
    rng = np.random.default_rng(seed)
    pts = rng.normal(0, 600, (n, 2)) + rng.integers(0, 5, (n, 1)) * 3000.0
    if snap:  # firms sharing postcode points
        pts = np.round(pts / 100.0) * 100.0
    lab = rng.integers(-1, k, n)
    got = hierarchy.extents_km2(pts, lab, k)
    want = [_unfiltered_km2(pts[lab == c]) if (lab == c).sum() >= 3 else 0.0 for c in range(k)]
    np.testing.assert_array_equal(got, want)


#: Nine distinct firm points (metres, relative to one corner; from a split cluster of 290 SYNTHETIC firms).
_NINE = np.array([[0.0, 635], [53, 447], [56, 450], [65, 383], [65, 386], [67, 321], [102, 271], [180, 243], [218, 0]])


def test_extent_of_repeated_points_is_the_hull_of_the_distinct_points():
    """Worked by hand: the hull of the nine points is (218, 0), (67, 321), (0, 635), (180, 243); the shoelace
    sum is 218·321 + 67·635 − 180·635 − 218·243 = −54,751, so the area is 27,375.5 m². Firms share
    postcodes, so points repeat: GEOS 3.14's hull of each point ten times gave 23,630 m², leaving part out."""
    for copies in (1, 10, 50):
        pts = np.repeat(_NINE, copies, axis=0)
        assert extent_km2(pts) == 0.0273755
        got = hierarchy.extents_km2(pts, np.zeros(len(pts), dtype=np.int64), 1)
        assert got.tolist() == [0.0273755]


@settings(max_examples=60, deadline=None)
@given(n=st.integers(3, 30), copies=st.integers(1, 40), seed=st.integers(0, 10**6))
def test_extent_does_not_depend_on_repeats(n, copies, seed):
    """The extent of points repeated any number of times equals that of the distinct points (SYNTHETIC)."""
    rng = np.random.default_rng(seed)
    pts = np.round(rng.uniform(0, 1000, (n, 2)))
    reps = np.repeat(pts, rng.integers(1, copies + 1, n), axis=0)
    assert extent_km2(rng.permutation(reps)) == extent_km2(np.unique(pts, axis=0))
