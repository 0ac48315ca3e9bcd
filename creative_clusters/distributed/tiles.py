"""Spatial tiles with a halo: which tile owns a point, which tiles see it as halo.

A :class:`Tiling` cuts the plane into columns at ``x_cuts`` and each column
into rows at its own ``y_cuts`` (a two-level k-d split), so every point is
*owned* by exactly one tile: column ``i`` owns ``x_cuts[i-1] <= x <
x_cuts[i]`` (the outer columns reach to infinity), and likewise for rows.

A tile's *halo* is every point it does not own that lies within a distance
``h`` of its rectangle along both axes (a closed test). With ``h >= eps``
(plus a rounding margin, :func:`halo_width`) every point within ``eps`` of a
point a tile owns is in that tile's owned points or its halo — so the tile
can decide exactly which of its own points are DBSCAN core points, and see
every cross-border neighbour. Extra halo points never change a result; a
missing one would, so the margin errs on the generous side.

Examples
--------
>>> import numpy as np
>>> t = Tiling(x_cuts=np.array([10.0]), y_cuts=(np.array([]), np.array([5.0])))
>>> t.n_tiles
3
>>> owner_tiles(t, np.array([0.0, 10.0, 10.0]), np.array([0.0, 4.0, 5.0])).tolist()
[0, 1, 2]
>>> idx, tile = halo_pairs(t, np.array([9.5, 10.5]), np.array([0.0, 0.0]), 1.0)
>>> sorted(zip(idx.tolist(), tile.tolist()))
[(0, 1), (1, 0)]
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from creative_clusters.errors import ParameterError

__all__ = ["Tiling", "halo_pairs", "halo_width", "make_tiling", "owner_tiles", "split_points"]


@dataclass(frozen=True)
class Tiling:
    """Columns cut at ``x_cuts``; column ``i`` cut into rows at ``y_cuts[i]``.

    Parameters
    ----------
    x_cuts : numpy.ndarray
        Sorted inner column boundaries (``len(y_cuts) - 1`` of them).
    y_cuts : tuple of numpy.ndarray
        Sorted inner row boundaries of each column.

    Tiles are numbered column by column, bottom row first.
    """

    x_cuts: np.ndarray
    y_cuts: tuple[np.ndarray, ...]

    def __post_init__(self) -> None:
        x = np.asarray(self.x_cuts, dtype=np.float64)
        ys = tuple(np.asarray(c, dtype=np.float64) for c in self.y_cuts)
        if len(ys) != len(x) + 1:
            raise ParameterError(f"a tiling with {len(x)} column cut(s) needs {len(x) + 1} lists of "
                                 f"row cuts; got {len(ys)}")
        for name, c in [("x_cuts", x), *((f"y_cuts[{i}]", c) for i, c in enumerate(ys))]:
            if c.ndim != 1 or not np.isfinite(c).all() or (np.diff(c) < 0).any():
                raise ParameterError(f"{name} must be a sorted 1-D array of finite numbers; got {c!r}")
        object.__setattr__(self, "x_cuts", x)
        object.__setattr__(self, "y_cuts", ys)

    @property
    def n_tiles(self) -> int:
        """Number of tiles (some may hold no points)."""
        return sum(len(c) + 1 for c in self.y_cuts)

    @property
    def first_tile(self) -> np.ndarray:
        """Tile number of each column's bottom row (length ``n_columns + 1``)."""
        return np.r_[0, np.cumsum([len(c) + 1 for c in self.y_cuts])].astype(np.int64)

    def bounds(self, tile: int) -> tuple[float, float, float, float]:
        """``(xmin, xmax, ymin, ymax)`` of ``tile`` (infinite at the outside)."""
        col = int(np.searchsorted(self.first_tile, tile, side="right")) - 1
        row = tile - int(self.first_tile[col])
        xe = np.r_[-np.inf, self.x_cuts, np.inf]
        ye = np.r_[-np.inf, self.y_cuts[col], np.inf]
        return float(xe[col]), float(xe[col + 1]), float(ye[row]), float(ye[row + 1])


def halo_width(eps: float, x: np.ndarray, y: np.ndarray) -> float:
    """``eps`` widened by a margin far above floating-point rounding of the coordinates.

    A neighbour test ``dx*dx + dy*dy <= eps*eps`` that passes in floating
    point can have ``|dx|`` a few ulps above ``eps``; the margin (a relative
    1e-9 of ``eps`` plus 64 ulps of the largest coordinate) covers that and
    the rounding of ``cut ± h``.
    """
    scale = max(float(np.abs(x).max(initial=0.0)), float(np.abs(y).max(initial=0.0)), abs(eps))
    return float(eps * (1.0 + 1e-9) + 64.0 * np.spacing(scale))


def owner_tiles(tiling: Tiling, x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Tile number owning each point (half-open cells, so exactly one each)."""
    x = np.asarray(x, dtype=np.float64)
    y = np.asarray(y, dtype=np.float64)
    col = np.searchsorted(tiling.x_cuts, x, side="right")
    out = np.empty(len(x), dtype=np.int64)
    first = tiling.first_tile
    for c, cuts in enumerate(tiling.y_cuts):
        m = col == c
        if m.any():
            out[m] = first[c] + np.searchsorted(cuts, y[m], side="right")
    return out


def halo_pairs(tiling: Tiling, x: np.ndarray, y: np.ndarray, h: float) -> tuple[np.ndarray, np.ndarray]:
    """``(point index, tile)`` for every tile whose halo of width ``h`` holds the point.

    A point is in tile ``T``'s halo when ``T`` does not own it and it lies in
    ``T``'s rectangle widened by ``h`` on every side (closed bounds).
    """
    x = np.asarray(x, dtype=np.float64)
    y = np.asarray(y, dtype=np.float64)
    owner = owner_tiles(tiling, x, y)
    xe = np.r_[-np.inf, tiling.x_cuts, np.inf]
    first = tiling.first_tile
    idx_parts, tile_parts = [], []
    for c, cuts in enumerate(tiling.y_cuts):
        sel = np.flatnonzero((x >= xe[c] - h) & (x <= xe[c + 1] + h))
        if not len(sel):
            continue
        ys = y[sel]
        # rows r with ye[r] - h <= y <= ye[r+1] + h, ye = [-inf, cuts..., inf]
        lo = np.searchsorted(cuts, ys - h, side="left")     # first row whose top >= y - h
        hi = np.searchsorted(cuts, ys + h, side="right")    # last row whose bottom <= y + h
        n = hi - lo + 1
        idx = np.repeat(sel, n)
        offs = np.arange(n.sum()) - np.repeat(np.cumsum(n) - n, n)
        tile = first[c] + np.repeat(lo, n) + offs
        keep = tile != owner[idx]
        idx_parts.append(idx[keep])
        tile_parts.append(tile[keep])
    if not idx_parts:
        return np.empty(0, dtype=np.int64), np.empty(0, dtype=np.int64)
    return np.concatenate(idx_parts).astype(np.int64), np.concatenate(tile_parts).astype(np.int64)


def split_points(tiling: Tiling, gid: np.ndarray, x: np.ndarray, y: np.ndarray, h: float
                 ) -> dict[int, dict[str, np.ndarray]]:
    """Cut one batch of points into per-tile pieces (owned points and halo points).

    Returns ``{tile: {"gid", "x", "y", "owned", "band"}}`` for every tile
    that gets at least one point. ``band`` marks owned points that also sit in
    some other tile's halo (the only ones the merge needs to hear about).
    """
    gid = np.asarray(gid, dtype=np.int64)
    owner = owner_tiles(tiling, x, y)
    hidx, htile = halo_pairs(tiling, x, y, h)
    band = np.zeros(len(gid), dtype=bool)
    band[hidx] = True
    all_idx = np.r_[np.arange(len(gid)), hidx]
    all_tile = np.r_[owner, htile]
    owned = np.r_[np.ones(len(gid), bool), np.zeros(len(hidx), bool)]
    order = np.argsort(all_tile, kind="stable")
    all_idx, all_tile, owned = all_idx[order], all_tile[order], owned[order]
    starts = np.flatnonzero(np.r_[True, all_tile[1:] != all_tile[:-1]]) if len(all_tile) else np.empty(0, np.int64)
    ends = np.r_[starts[1:], len(all_tile)].astype(np.int64) if len(all_tile) else np.empty(0, np.int64)
    out: dict[int, dict[str, np.ndarray]] = {}
    for a, b in zip(starts, ends, strict=True):
        i = all_idx[a:b]
        out[int(all_tile[a])] = {"gid": gid[i], "x": x[i], "y": y[i], "owned": owned[a:b],
                                 "band": band[i] & owned[a:b]}
    return out


def make_tiling(x: np.ndarray, y: np.ndarray, n_tiles: int) -> Tiling:
    """A k-d tiling with about ``n_tiles`` tiles of roughly equal point counts.

    ``x``/``y`` may be a sample of the points: column cuts are quantiles of
    ``x``, each column's row cuts quantiles of the ``y`` it holds. Repeated
    quantiles (many points at one coordinate) are merged, so fewer tiles can
    come back.

    Examples
    --------
    >>> import numpy as np
    >>> rng = np.random.default_rng(0)
    >>> t = make_tiling(rng.uniform(0, 1, 1000), rng.uniform(0, 1, 1000), 4)
    >>> t.n_tiles, len(t.x_cuts)
    (4, 1)
    """
    if int(n_tiles) != n_tiles or n_tiles < 1:
        raise ParameterError(f"n_tiles must be a whole number >= 1; got {n_tiles!r}")
    x = np.asarray(x, dtype=np.float64)
    y = np.asarray(y, dtype=np.float64)
    if not len(x):
        return Tiling(np.empty(0), (np.empty(0),))
    ncol = max(1, round(float(np.sqrt(n_tiles))))
    nrow = max(1, round(n_tiles / ncol))
    x_cuts = np.unique(np.quantile(x, np.arange(1, ncol) / ncol)) if ncol > 1 else np.empty(0)
    col = np.searchsorted(x_cuts, x, side="right")
    y_cuts = []
    for c in range(len(x_cuts) + 1):
        yc = y[col == c]
        y_cuts.append(np.unique(np.quantile(yc, np.arange(1, nrow) / nrow)) if len(yc) and nrow > 1
                      else np.empty(0))
    return Tiling(x_cuts, tuple(y_cuts))
