"""Exact grid DBSCAN in metres: the same result as scikit-learn, in O(n log n).

The algorithm (after Gunawan 2013; de Berg, Gunawan & Roeloffzen 2017):

1. Points are bucketed into square cells of side ``s`` a hair under
   ``eps / sqrt(2)``, so any two points in one cell are within ``eps`` of each
   other (the margin absorbs floating-point rounding, see ``_cell_side``).
   Occupied cells are found by sorting integer cell keys; each cell's
   neighbour cells (the offsets whose nearest corners are within ``eps``:
   the 5 × 5 block minus its corners) are looked up by binary search, so no
   dense grid and no O(n²) memory are ever built.
2. Neighbour counting (numba, parallel over cells): a point in a cell that
   already holds ``min_samples`` points is core; otherwise its count starts
   at the cell's size and adds points of neighbour cells with
   ``dx*dx + dy*dy <= eps*eps``, stopping early at ``min_samples``. The point
   itself is counted, exactly as scikit-learn does.
3. Core points of one cell are always connected; two cells' core points are
   joined by union-find when any pair of their core points lies within
   ``eps`` (a search that stops at the first pair).
4. Labels and border points follow scikit-learn's rule exactly (see
   :func:`dbscan`).

Distances are compared as squared Euclidean distances ``dx*dx + dy*dy`` with
``eps*eps``: the same reduced distance and ``<=`` test that scikit-learn's
KD-tree and ball-tree use, so points at exactly ``eps`` are neighbours in both.

Examples
--------
>>> import numpy as np
>>> X = np.array([[0.0, 0.0], [3.0, 4.0], [6.0, 8.0], [100.0, 100.0]])
>>> labels, core = dbscan(X, eps=5.0, min_samples=2)
>>> labels.tolist(), core.tolist()
([0, 0, 0, -1], [True, True, True, False])
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numba as nb
import numpy as np
import numpy.typing as npt

from creative_clusters.errors import ParameterError

# Array types of the kernels (numba compiles from the runtime dtypes; these are for readers and mypy).
_I64 = npt.NDArray[np.int64]
_F64 = npt.NDArray[np.float64]
_Bool = npt.NDArray[np.bool_]

__all__ = ["PARALLEL_MIN_POINTS", "Grid", "GridDBSCAN", "build_grid", "dbscan", "dbscan_grid"]

_MAX_KEY = 2**62


def _check_params(eps: float, min_samples: int) -> tuple[float, int]:
    try:
        eps_f = float(eps)
    except (TypeError, ValueError):
        raise ParameterError(f"eps must be a number of metres; got {eps!r}") from None
    if not math.isfinite(eps_f) or eps_f <= 0:
        raise ParameterError(f"eps must be a positive distance in metres; got {eps!r}")
    if int(min_samples) != min_samples or min_samples < 1:
        raise ParameterError(f"min_samples must be a whole number >= 1; got {min_samples!r}")
    return eps_f, int(min_samples)


def _as_points(X: object) -> np.ndarray:
    arr = np.ascontiguousarray(np.asarray(X, dtype=np.float64))
    if arr.ndim != 2 or arr.shape[1] != 2:
        raise ParameterError(
            f"expected an (n, 2) array of easting/northing metres; got shape {arr.shape}"
        )
    if arr.size and not np.isfinite(arr).all():
        raise ParameterError("coordinates contain NaN or infinity; drop ungeocoded rows first")
    return arr


def _cell_side(eps: float, X: np.ndarray) -> float:
    """Cell side a little under eps/√2, the margin scaled to coordinate precision.

    Cell membership is computed as ``floor((x - xmin) / s)``; rounding there and
    in ``dx*dx + dy*dy`` is a few ulps of the coordinates. The relative margin
    keeps every same-cell pair strictly inside ``eps`` despite that rounding.
    """
    scale = float(np.abs(X).max()) if X.size else 0.0
    rel = 1e-7 + 64.0 * float(np.finfo(np.float64).eps) * (scale + eps) / eps
    rel = min(rel, 0.5)
    return eps / math.sqrt(2.0) * (1.0 - rel)


def _offsets(eps: float, s: float) -> np.ndarray:
    """Boolean table ``allowed[a + r, b + r]``: can cell offset (a, b) hold a point within eps?"""
    r = math.ceil(eps / s) + 1
    out = np.zeros((2 * r + 1, 2 * r + 1), dtype=np.bool_)
    for a in range(-r, r + 1):
        for b in range(-r, r + 1):
            ga, gb = max(abs(a) - 1, 0), max(abs(b) - 1, 0)
            out[a + r, b + r] = (ga * ga + gb * gb) * s * s <= eps * eps * (1.0 + 1e-9)
    return out


@nb.njit(cache=True)
def _bsearch(a: _I64, v: int) -> int:
    lo, hi = 0, a.shape[0]
    while lo < hi:
        mid = (lo + hi) >> 1
        if a[mid] < v:
            lo = mid + 1
        else:
            hi = mid
    return lo


@nb.njit(cache=True, inline="always")
def _rect_d2(px: float, py: float, x0: float, y0: float, side: float) -> tuple[float, float]:
    """Squared min and max distance from (px, py) to the square [x0, x0+side]²."""
    dx = max(x0 - px, 0.0, px - (x0 + side))
    dy = max(y0 - py, 0.0, py - (y0 + side))
    fx = max(abs(px - x0), abs(px - (x0 + side)))
    fy = max(abs(py - y0), abs(py - (y0 + side)))
    return dx * dx + dy * dy, fx * fx + fy * fy


@nb.njit(cache=True, inline="always")
def _near_core(px: float, py: float, d: int, xs: _F64, ys: _F64, ox: _F64, oy: _F64, side: float,
               cstart: _I64, cpts: _I64, eps2: float) -> bool:
    """True when a core point of cell ``d`` lies within eps of (px, py) (the cell's square is tested first)."""
    mn, _mx = _rect_d2(px, py, ox[d], oy[d], side)
    if mn > eps2 * (1.0 + 1e-9):
        return False
    for j in range(cstart[d], cstart[d + 1]):
        q = cpts[j]
        dx = px - xs[q]
        dy = py - ys[q]
        if dx * dx + dy * dy <= eps2:
            return True
    return False


@nb.njit(cache=True)
def _find(parent: _I64, i: int) -> int:
    root = i
    while parent[root] != root:
        root = parent[root]
    while parent[i] != root:
        nxt = parent[i]
        parent[i] = root
        i = nxt
    return root


@nb.njit(cache=True)
def _components(
    xs: _F64, ys: _F64, core: _Bool, start: _I64, nbr_ptr: _I64, nbr_idx: _I64,
    ox: _F64, oy: _F64, side: float, eps2: float,
) -> tuple[_I64, _I64, _I64]:
    """Union-find over cells holding core points; returns each cell's root (-1 = no core)."""
    n_cells = start.shape[0] - 1
    # core points of each cell, contiguous
    cstart = np.zeros(n_cells + 1, dtype=np.int64)
    for c in range(n_cells):
        k = 0
        for p in range(start[c], start[c + 1]):
            if core[p]:
                k += 1
        cstart[c + 1] = cstart[c] + k
    cpts = np.empty(cstart[n_cells], dtype=np.int64)
    for c in range(n_cells):
        k = cstart[c]
        for p in range(start[c], start[c + 1]):
            if core[p]:
                cpts[k] = p
                k += 1
    parent = np.arange(n_cells)
    for c in range(n_cells):
        if cstart[c + 1] == cstart[c]:
            continue
        for t in range(nbr_ptr[c], nbr_ptr[c + 1]):
            d = nbr_idx[t]
            if d < c or cstart[d + 1] == cstart[d]:
                continue
            rc = _find(parent, c)
            rd = _find(parent, d)
            if rc == rd:
                continue
            found = False
            for i in range(cstart[c], cstart[c + 1]):
                p = cpts[i]
                if _near_core(xs[p], ys[p], d, xs, ys, ox, oy, side, cstart, cpts, eps2):
                    found = True
                    break
            if found:
                if rc < rd:
                    parent[rd] = rc
                else:
                    parent[rc] = rd
    root = np.full(n_cells, -1, dtype=np.int64)
    for c in range(n_cells):
        if cstart[c + 1] > cstart[c]:
            root[c] = _find(parent, c)
    return root, cstart, cpts


@nb.njit(cache=True)
def _label_cells(root: _I64, start: _I64, core: _Bool, order: _I64) -> _I64:
    """Number components like scikit-learn: by the lowest input index of a core point."""
    n_cells = root.shape[0]
    big = np.iinfo(np.int64).max
    comp_min = np.full(n_cells, big, dtype=np.int64)
    for c in range(n_cells):
        r = root[c]
        if r < 0:
            continue
        for p in range(start[c], start[c + 1]):
            if core[p] and order[p] < comp_min[r]:
                comp_min[r] = order[p]
    roots = np.where(comp_min < big)[0]
    ranks = np.argsort(comp_min[roots])
    lab_of_root = np.full(n_cells, -1, dtype=np.int64)
    for k in range(ranks.shape[0]):
        lab_of_root[roots[ranks[k]]] = k
    cell_label = np.full(n_cells, -1, dtype=np.int64)
    for c in range(n_cells):
        if root[c] >= 0:
            cell_label[c] = lab_of_root[root[c]]
    return cell_label


def _kernels(parallel: bool) -> tuple[Any, Any, Any]:
    """Build the three per-cell kernels, threaded (``parallel=True``) or not.

    Both builds come from one source; ``parallel`` is a closure constant, so
    numba's on-disk cache keeps them apart. The serial build compiles in about
    half the time of the threaded one (parfors lowering is the expensive part
    of a first run), and on small inputs runs as fast.
    """

    @nb.njit(parallel=parallel, cache=True)
    def _neighbour_cells(
        cell_keys: _I64, cell_ix: _I64, cell_iy: _I64, allowed: _Bool, nx: int, ny: int, colstart: _I64,
    ) -> tuple[_I64, _I64]:
        """CSR lists of each occupied cell's occupied neighbour cells.

        ``allowed[a + r, b + r]`` says whether offset (a, b) can hold a point within
        eps. Cells are sorted by (column, row); ``colstart[x]`` is the first cell of
        column x. For each column offset, the cells within reach form a contiguous
        run: one binary search inside that column, then a scan. Neighbours go into
        a fixed-width int32 buffer (one slot per allowed offset), then compacted.
        """
        _parallel = parallel
        n_cells = cell_keys.shape[0]
        r = (allowed.shape[0] - 1) // 2
        bmax = np.zeros(2 * r + 1, dtype=np.int64)
        width = 0
        for a in range(-r, r + 1):
            for bb in range(-r, r + 1):
                if allowed[a + r, bb + r]:
                    bmax[a + r] = max(bmax[a + r], abs(bb))
                    if a != 0 or bb != 0:
                        width += 1
        buf = np.empty(n_cells * width, dtype=np.int32)
        cnt = np.zeros(n_cells, dtype=np.int64)
        for c in nb.prange(n_cells):
            k = 0
            iy = cell_iy[c]
            base = c * width
            for a in range(-r, r + 1):
                x = cell_ix[c] + a
                if x < 0 or x >= nx:
                    continue
                j0, j1 = colstart[x], colstart[x + 1]
                if j0 == j1:
                    continue
                m = bmax[a + r]
                lo = x * ny + max(iy - m, 0)
                hi = x * ny + min(iy + m, ny - 1)
                j = j0 + _bsearch(cell_keys[j0:j1], lo)
                while j < j1 and cell_keys[j] <= hi:
                    bb = cell_iy[j] - iy
                    if (a != 0 or bb != 0) and allowed[a + r, bb + r]:
                        buf[base + k] = j
                        k += 1
                    j += 1
            cnt[c] = k
        ptr = np.zeros(n_cells + 1, dtype=np.int64)
        for c in range(n_cells):
            ptr[c + 1] = ptr[c] + cnt[c]
        idx = np.empty(ptr[n_cells], dtype=np.int64)
        for c in nb.prange(n_cells):
            for k in range(cnt[c]):
                idx[ptr[c] + k] = buf[c * width + k]
        return ptr, idx

    @nb.njit(parallel=parallel, cache=True)
    def _core_mask(
        xs: _F64, ys: _F64, start: _I64, nbr_ptr: _I64, nbr_idx: _I64,
        ox: _F64, oy: _F64, side: float, eps2: float, min_samples: int,
    ) -> _Bool:
        _parallel = parallel
        n_cells = start.shape[0] - 1
        core = np.zeros(xs.shape[0], dtype=np.bool_)
        lo2 = eps2 * (1.0 + 1e-9)
        hi2 = eps2 * (1.0 - 1e-9)
        for c in nb.prange(n_cells):
            a, b = start[c], start[c + 1]
            size = b - a
            if size >= min_samples:
                for p in range(a, b):
                    core[p] = True
                continue
            # upper bound: every point of every neighbour cell
            total = size
            for t in range(nbr_ptr[c], nbr_ptr[c + 1]):
                d = nbr_idx[t]
                total += start[d + 1] - start[d]
            if total < min_samples:
                continue
            for p in range(a, b):
                cnt = size
                px, py = xs[p], ys[p]
                for t in range(nbr_ptr[c], nbr_ptr[c + 1]):
                    d = nbr_idx[t]
                    mn, mx = _rect_d2(px, py, ox[d], oy[d], side)
                    if mn > lo2:
                        continue
                    if mx < hi2:
                        cnt += start[d + 1] - start[d]
                    else:
                        for q in range(start[d], start[d + 1]):
                            dx = px - xs[q]
                            dy = py - ys[q]
                            if dx * dx + dy * dy <= eps2:
                                cnt += 1
                                if cnt >= min_samples:
                                    break
                    if cnt >= min_samples:
                        break
                core[p] = cnt >= min_samples
        return core

    @nb.njit(parallel=parallel, cache=True)
    def _assign(
        xs: _F64, ys: _F64, core: _Bool, start: _I64, nbr_ptr: _I64, nbr_idx: _I64, ox: _F64, oy: _F64,
        side: float, cell_label: _I64, cstart: _I64, cpts: _I64, eps2: float,
    ) -> _I64:
        _parallel = parallel
        n_cells = start.shape[0] - 1
        labels = np.full(xs.shape[0], -1, dtype=np.int64)
        for c in nb.prange(n_cells):
            own = cell_label[c]
            for p in range(start[c], start[c + 1]):
                if core[p]:
                    labels[p] = own
                    continue
                best = own  # a core point in the same cell is always within eps
                px, py = xs[p], ys[p]
                for t in range(nbr_ptr[c], nbr_ptr[c + 1]):
                    d = nbr_idx[t]
                    ld = cell_label[d]
                    if ld < 0 or (best >= 0 and ld >= best):
                        continue
                    if _near_core(px, py, d, xs, ys, ox, oy, side, cstart, cpts, eps2):
                        best = ld
                labels[p] = best
        return labels

    return _neighbour_cells, _core_mask, _assign


#: The threaded kernels (names kept for callers of the earlier module).
_neighbour_cells, _core_mask, _assign = _kernels(True)
#: The serial kernels, used below :data:`PARALLEL_MIN_POINTS` points.
_SERIAL = _kernels(False)


#: From this many points on, the threaded kernels are used (below it the serial
#: ones: same result, and a first run compiles only the serial build).
PARALLEL_MIN_POINTS = 1_000_000


@dataclass(frozen=True)
class Grid:
    """Points bucketed into cells of side a hair under ``eps/√2``, sorted by cell.

    Built once by :func:`build_grid` and reusable for any ``min_samples`` and
    any subset of the points (the stability draws use it that way). Arrays
    are in *cell order*: ``order[i]`` is the input row of sorted point ``i``;
    ``start[c]:start[c+1]`` are the points of cell ``c``; ``nbr_ptr``/
    ``nbr_idx`` list each cell's occupied neighbour cells (CSR).
    """

    eps: float
    order: np.ndarray
    xs: np.ndarray
    ys: np.ndarray
    start: np.ndarray
    nbr_ptr: np.ndarray
    nbr_idx: np.ndarray
    ox: np.ndarray
    oy: np.ndarray
    side: float
    parallel: bool

    @property
    def n(self) -> int:
        """Number of points."""
        return int(self.xs.shape[0])

    @property
    def eps2(self) -> float:
        """``eps`` squared (neighbours satisfy ``dx*dx + dy*dy <= eps2``)."""
        return self.eps * self.eps


def build_grid(X: object, eps: float, *, parallel: bool | None = None) -> Grid:
    """Sort points into the DBSCAN grid for radius ``eps`` (metres).

    Parameters
    ----------
    X : array-like, shape (n, 2)
        Easting/northing in metres; at least one point.
    eps : float
        Neighbourhood radius.
    parallel : bool, optional
        Use the threaded kernels; default: when there are at least
        :data:`PARALLEL_MIN_POINTS` points.

    Examples
    --------
    >>> g = build_grid(np.array([[0.0, 0.0], [3.0, 4.0], [100.0, 100.0]]), 5.0)
    >>> g.n, int(g.start.shape[0] - 1)  # three points in three cells
    (3, 3)
    """
    eps = _check_params(eps, 1)[0]
    X = _as_points(X)
    n = X.shape[0]
    if n == 0:
        raise ParameterError("build_grid needs at least one point")
    par = n >= PARALLEL_MIN_POINTS if parallel is None else bool(parallel)
    nb_cells = (_neighbour_cells if par else _SERIAL[0])
    s = _cell_side(eps, X)
    x0, y0 = X[:, 0].min(), X[:, 1].min()
    ix = np.floor((X[:, 0] - x0) / s).astype(np.int64)
    iy = np.floor((X[:, 1] - y0) / s).astype(np.int64)
    nx, ny = int(ix.max()) + 1, int(iy.max()) + 1
    if nx * ny >= _MAX_KEY:
        raise ParameterError(
            f"eps={eps} is too small for the extent of the points (more than 2^62 grid "
            "cells); use a larger eps or split the area"
        )
    key = ix * ny + iy
    del ix, iy
    order = np.argsort(key, kind="stable")
    key = key[order]
    xs = np.ascontiguousarray(X[order, 0])
    ys = np.ascontiguousarray(X[order, 1])
    first = np.flatnonzero(np.r_[True, key[1:] != key[:-1]])
    cell_keys = key[first]
    del key
    start = np.r_[first, n].astype(np.int64)
    cell_ix, cell_iy = cell_keys // ny, cell_keys % ny
    colstart = np.searchsorted(cell_ix, np.arange(nx + 1)).astype(np.int64)
    nbr_ptr, nbr_idx = nb_cells(cell_keys, cell_ix, cell_iy, _offsets(eps, s), nx, ny, colstart)
    # cell squares, widened by a relative 1e-6 so rounding in floor() cannot leave
    # a point outside its cell's square (used only for safe pruning bounds)
    pad = s * 1e-6 + 8.0 * np.finfo(np.float64).eps * (abs(x0) + abs(y0) + s * max(nx, ny))
    ox = x0 + cell_ix * s - pad
    oy = y0 + cell_iy * s - pad
    return Grid(eps, order, xs, ys, start, nbr_ptr, nbr_idx, ox, oy, s + 2.0 * pad, par)


def _number_components(root: np.ndarray, start: np.ndarray, core: np.ndarray,
                       order: np.ndarray) -> np.ndarray:
    """Label of each cell: components numbered by their lowest input index of a core point.

    scikit-learn numbers clusters in the order its expansion meets them, i.e.
    by the lowest input row of a core point; numpy does the numbering here
    (the sort compiled in numba would cost a second on a first run).
    """
    n_cells = root.shape[0]
    cell_of = np.repeat(np.arange(n_cells), np.diff(start))
    r = root[cell_of]
    ok = core & (r >= 0)
    big = np.iinfo(np.int64).max
    comp_min = np.full(n_cells, big, dtype=np.int64)
    np.minimum.at(comp_min, r[ok], order[ok])
    roots = np.flatnonzero(comp_min < big)
    lab_of_root = np.full(n_cells, -1, dtype=np.int64)
    lab_of_root[roots[np.argsort(comp_min[roots], kind="stable")]] = np.arange(len(roots))
    return np.where(root >= 0, lab_of_root[np.maximum(root, 0)], -1)


def dbscan_grid(grid: Grid, min_samples: int) -> tuple[np.ndarray, np.ndarray]:
    """:func:`dbscan` on a prepared :class:`Grid` (labels and core mask in input order).

    Examples
    --------
    >>> g = build_grid(np.array([[0.0, 0.0], [3.0, 4.0], [6.0, 8.0], [100.0, 100.0]]), 5.0)
    >>> [a.tolist() for a in dbscan_grid(g, 2)]
    [[0, 0, 0, -1], [True, True, True, False]]
    """
    min_samples = _check_params(grid.eps, min_samples)[1]
    _nc, core_mask, assign = (_neighbour_cells, _core_mask, _assign) if grid.parallel else _SERIAL
    g = grid
    core_s = core_mask(g.xs, g.ys, g.start, g.nbr_ptr, g.nbr_idx, g.ox, g.oy, g.side, g.eps2,
                       min_samples)
    root, cstart, cpts = _components(g.xs, g.ys, core_s, g.start, g.nbr_ptr, g.nbr_idx, g.ox, g.oy,
                                     g.side, g.eps2)
    cell_label = _number_components(root, g.start, core_s, g.order)
    labels_s = assign(g.xs, g.ys, core_s, g.start, g.nbr_ptr, g.nbr_idx, g.ox, g.oy, g.side,
                      cell_label, cstart, cpts, g.eps2)
    labels = np.empty(g.n, dtype=np.int64)
    labels[g.order] = labels_s
    core = np.empty(g.n, dtype=bool)
    core[g.order] = core_s
    return labels, core


def dbscan(X: object, eps: float, min_samples: int = 5) -> tuple[np.ndarray, np.ndarray]:
    """DBSCAN on 2-D points in metres, equal to ``sklearn.cluster.DBSCAN``.

    Parameters
    ----------
    X : array-like, shape (n, 2)
        Easting/northing in metres (any projected, metric CRS).
    eps : float
        Neighbourhood radius in metres; neighbours satisfy distance ``<= eps``.
    min_samples : int
        Points (the point itself included) within ``eps`` for a core point.

    Returns
    -------
    labels : numpy.ndarray of int64
        Cluster label per point, ``-1`` for noise.
    core : numpy.ndarray of bool
        True for core points.

    Notes
    -----
    Core points, the partition of core points and noise are the same as
    scikit-learn's for any input order. Labels are numbered as scikit-learn
    numbers them (by the lowest input index of a core point in the cluster),
    and a border point — within ``eps`` of core points of several clusters —
    takes the **lowest label** among them. That is exactly what scikit-learn's
    expansion does (it grows cluster 0 completely, then cluster 1, … and a
    border point keeps the first label that reaches it), so the whole label
    array equals scikit-learn's for the same input order. Like scikit-learn's,
    a border point's label can change if the rows are permuted; core points
    and noise cannot.

    Examples
    --------
    >>> import numpy as np
    >>> X = np.array([[0, 0], [0, 1], [0, 2], [0, 10], [0, 11], [0, 12], [5, 6]])
    >>> dbscan(X, eps=1.0, min_samples=3)[0].tolist()
    [0, 0, 0, 1, 1, 1, -1]
    """
    eps, min_samples = _check_params(eps, min_samples)
    X = _as_points(X)
    if X.shape[0] == 0:
        return np.empty(0, dtype=np.int64), np.empty(0, dtype=bool)
    return dbscan_grid(build_grid(X, eps), min_samples)


class GridDBSCAN:
    """Estimator wrapper of :func:`dbscan` (scikit-learn-style attributes).

    Parameters
    ----------
    eps : float
        Radius in metres (default 1,000).
    min_samples : int
        Minimum points within ``eps``, the point included (default 50).

    Attributes
    ----------
    labels_ : numpy.ndarray
        Cluster label per point, -1 for noise.
    core_sample_indices_ : numpy.ndarray
        Indices of core points.
    n_clusters_ : int
        Number of clusters.

    Examples
    --------
    >>> import numpy as np
    >>> GridDBSCAN(eps=2, min_samples=2).fit(np.array([[0, 0], [1, 1], [9, 9]])).labels_.tolist()
    [0, 0, -1]
    """

    def __init__(self, eps: float = 1000.0, min_samples: int = 50) -> None:
        self.eps = eps
        self.min_samples = min_samples

    def fit(self, X: object) -> GridDBSCAN:
        """Cluster ``X`` (n × 2, metres)."""
        labels, core = dbscan(X, self.eps, self.min_samples)
        self.labels_ = labels
        self.core_mask_ = core
        self.core_sample_indices_ = np.flatnonzero(core)
        self.n_clusters_ = int(labels.max()) + 1 if labels.size else 0
        return self

    def fit_predict(self, X: object) -> np.ndarray:
        """Cluster ``X`` and return the labels."""
        return self.fit(X).labels_
