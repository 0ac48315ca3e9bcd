"""DBSCAN of a subset of a prepared grid, for the stability draws.

A stability draw keeps a random share of the firms and clusters them again.
Building the grid (sorting, neighbour-cell lists) is most of a DBSCAN run on
small inputs, and the grid of a subset is the grid of the whole with some
points switched off; so :func:`subset_components` reuses the whole set's
:class:`~creative_clusters.microclusters.dbscan.Grid` and takes an ``active``
mask instead of a new array.

It returns which *component* each active point joins (the partition), not
scikit-learn's label numbers: a stability draw only asks whether a firm is
clustered and with whom. Core points and noise are exactly DBSCAN's on the
subset (tested against :func:`~creative_clusters.microclusters.dbscan.dbscan`);
a border point within reach of two components joins one of them.
"""

from __future__ import annotations

from dataclasses import dataclass

import numba as nb
import numpy as np

from creative_clusters.errors import ParameterError
from creative_clusters.microclusters.dbscan import _SERIAL, Grid, _components, _find, _rect_d2

__all__ = ["SubsetClusterer", "draw_counts", "subset_components"]


@nb.njit(cache=True, nogil=True)
def _partial_counts(xs, ys, start, nbr_ptr, nbr_idx, ox, oy, side, eps2, maybe, limit):
    """Per possible core point in a cell of fewer than ``limit`` points: its neighbours (all points)
    in the neighbour cells the eps-disc cuts; -1 elsewhere (those points are counted directly).

    For the same points, also the neighbour cells the disc reaches,
    ``cells[ptr[p]:ptr[p + 1]]`` (nearest first as ``nbr_idx`` has them): the
    ``n_inside[p]`` cells wholly inside the disc, then the cells it cuts; and
    ``n_all[p]``, every point within eps (the point itself and its own cell
    included). A draw then needs no distances to decide most of them.
    """
    n = xs.shape[0]
    n_cells = start.shape[0] - 1
    out = np.full(n, -1, dtype=np.int32)
    ptr = np.zeros(n + 1, dtype=np.int64)
    lo2 = eps2 * (1.0 + 1e-9)
    hi2 = eps2 * (1.0 - 1e-9)
    for c in range(n_cells):
        a, b = start[c], start[c + 1]
        if b - a >= limit:
            continue
        for p in range(a, b):
            if not maybe[p]:
                continue
            k = 0
            for t in range(nbr_ptr[c], nbr_ptr[c + 1]):
                d = nbr_idx[t]
                mn, _mx = _rect_d2(xs[p], ys[p], ox[d], oy[d], side)
                if mn <= lo2:
                    k += 1
            ptr[p + 1] = k
    for i in range(n):
        ptr[i + 1] += ptr[i]
    cells = np.empty(ptr[n], dtype=np.int32)
    n_inside = np.zeros(n, dtype=np.int32)
    n_all = np.zeros(n, dtype=np.int32)
    for c in range(n_cells):
        a, b = start[c], start[c + 1]
        if b - a >= limit:
            continue
        for p in range(a, b):
            if not maybe[p]:
                continue
            px, py = xs[p], ys[p]
            j = ptr[p]
            total = b - a
            for t in range(nbr_ptr[c], nbr_ptr[c + 1]):
                d = nbr_idx[t]
                mn, mx = _rect_d2(px, py, ox[d], oy[d], side)
                if mn <= lo2 and mx < hi2:
                    cells[j] = d
                    j += 1
                    total += start[d + 1] - start[d]
            n_inside[p] = j - ptr[p]
            k = 0
            for t in range(nbr_ptr[c], nbr_ptr[c + 1]):
                d = nbr_idx[t]
                mn, mx = _rect_d2(px, py, ox[d], oy[d], side)
                if mn > lo2 or mx < hi2:
                    continue
                cells[j] = d
                j += 1
                for q in range(start[d], start[d + 1]):
                    dx = px - xs[q]
                    dy = py - ys[q]
                    if dx * dx + dy * dy <= eps2:
                        k += 1
            out[p] = k
            n_all[p] = total + k
    return out, ptr, cells, n_inside, n_all


@nb.njit(cache=True, nogil=True)
def _subset_core(xs, ys, active, acs, start, nbr_ptr, nbr_idx, ox, oy, side, eps2, m, maybe, pcount, inact,
                 ptr, cells, n_inside, n_all):
    """Core points among the active ones.

    ``pcount`` (from ``_partial_counts``; -1 where not computed) lets a point
    count the *inactive* points of the cells its disc cuts instead of the
    active ones: active neighbours there = ``pcount`` - inactive neighbours,
    and a draw keeps most points, so far fewer distances are computed.
    ``inact`` lists the inactive positions in ascending order (those of cell
    ``d`` are ``inact[start[d] - acs[start[d]]:start[d + 1] - acs[start[d + 1]]]``).
    For those points, ``ptr``/``cells``/``n_inside``/``n_all`` (from
    ``_partial_counts``) give the cells their disc reaches, so bounds come from
    each cell's inactive count without a distance.
    """
    n_cells = start.shape[0] - 1
    core = np.zeros(xs.shape[0], dtype=np.bool_)
    lo2 = eps2 * (1.0 + 1e-9)
    hi2 = eps2 * (1.0 - 1e-9)
    icell = np.empty(n_cells, dtype=np.int32)  # inactive points per cell
    for c in range(n_cells):
        icell[c] = start[c + 1] - start[c] - (acs[start[c + 1]] - acs[start[c]])
    for c in range(n_cells):
        a, b = start[c], start[c + 1]
        size = acs[b] - acs[a]
        if size == 0:
            continue
        if size >= m:
            for p in range(a, b):
                core[p] = active[p]
            continue
        total = size
        for t in range(nbr_ptr[c], nbr_ptr[c + 1]):
            d = nbr_idx[t]
            total += acs[start[d + 1]] - acs[start[d]]
        if total < m:
            continue
        for p in range(a, b):
            if not active[p] or not maybe[p]:
                continue
            if pcount[p] >= 0:
                # active neighbours are at most all of them less the inactive ones of the cells wholly
                # inside the disc (hi), and at least that less the inactive ones of the cells it cuts (lo)
                j0, j1 = ptr[p], ptr[p + 1]
                ji = j0 + n_inside[p]
                hi = n_all[p] - icell[c]
                for j in range(j0, ji):
                    hi -= icell[cells[j]]
                if hi < m:
                    continue
                lo = hi
                for j in range(ji, j1):
                    lo -= icell[cells[j]]
                if lo < m:  # each inactive point of a cut cell tightens one bound
                    for j in range(ji, j1):
                        d = cells[j]
                        for jj in range(start[d] - acs[start[d]], start[d + 1] - acs[start[d + 1]]):
                            q = inact[jj]
                            dx = xs[p] - xs[q]
                            dy = ys[p] - ys[q]
                            if dx * dx + dy * dy <= eps2:
                                hi -= 1
                            else:
                                lo += 1
                            if lo >= m or hi < m:
                                break
                        if lo >= m or hi < m:
                            break
                core[p] = lo >= m
                continue
            # (points of fuller cells) pass 1: cells wholly inside or outside the disc need no distances
            cnt = size
            partial = 0
            ipart = 0  # inactive points in the cells the disc cuts
            px, py = xs[p], ys[p]
            for t in range(nbr_ptr[c], nbr_ptr[c + 1]):
                d = nbr_idx[t]
                mn, mx = _rect_d2(px, py, ox[d], oy[d], side)
                if mn > lo2:
                    continue
                k = acs[start[d + 1]] - acs[start[d]]
                if mx < hi2:
                    cnt += k
                    if cnt >= m:
                        break
                else:
                    partial += k
                    ipart += start[d + 1] - start[d] - k
            if cnt >= m or cnt + partial < m:
                core[p] = cnt >= m
                continue
            # pass 2: count points of the cells the disc cuts, stopping once decided
            for t in range(nbr_ptr[c], nbr_ptr[c + 1]):
                d = nbr_idx[t]
                mn, mx = _rect_d2(px, py, ox[d], oy[d], side)
                if mn > lo2 or mx < hi2:
                    continue
                for q in range(start[d], start[d + 1]):
                    if active[q]:
                        partial -= 1
                        dx = px - xs[q]
                        dy = py - ys[q]
                        if dx * dx + dy * dy <= eps2:
                            cnt += 1
                        if cnt >= m or cnt + partial < m:
                            break
                if cnt >= m or cnt + partial < m:
                    break
            core[p] = cnt >= m
    return core


@nb.njit(cache=True, nogil=True)
def _active_counts(act):
    """``acs[i]``: active points before position ``i``; ``inact``: the inactive positions, ascending."""
    n = act.shape[0]
    acs = np.zeros(n + 1, dtype=np.int64)
    for i in range(n):
        acs[i + 1] = acs[i] + (1 if act[i] else 0)
    inact = np.empty(n - acs[n], dtype=np.int64)
    j = 0
    for i in range(n):
        if not act[i]:
            inact[j] = i
            j += 1
    return acs, inact


@nb.njit(cache=True, nogil=True)
def _witnesses(xs, ys, maybe, start, nbr_ptr, nbr_idx, ox, oy, side, eps2):
    """Per neighbour-cell pair ``t`` (cell ``c``, ``d = nbr_idx[t] > c``): a possible core point of ``c``
    (``wit[t, 0]``) and one of ``d`` (``wit[t, 1]``) within eps of each other, or -1 when there is none,
    and then no subset can join the two cells."""
    n_cells = start.shape[0] - 1
    wit = np.full((nbr_idx.shape[0], 2), -1, dtype=np.int32)
    lo2 = eps2 * (1.0 + 1e-9)
    for c in range(n_cells):
        for t in range(nbr_ptr[c], nbr_ptr[c + 1]):
            d = nbr_idx[t]
            if d < c:
                continue
            p, q = _close_pair(xs, ys, maybe, start, c, d, ox, oy, side, eps2, lo2)
            wit[t, 0] = p
            wit[t, 1] = q
    return wit


@nb.njit(cache=True, nogil=True)
def _close_pair(xs, ys, mask, start, c, d, ox, oy, side, eps2, lo2):
    """The first pair ``(p, q)``, ``p`` in cell ``c`` and ``q`` in cell ``d``, both in ``mask``, within eps of
    each other; ``(-1, -1)`` when there is none. Cell ``d``'s rectangle rules out most ``p`` at once."""
    for p in range(start[c], start[c + 1]):
        if not mask[p]:
            continue
        mn, _mx = _rect_d2(xs[p], ys[p], ox[d], oy[d], side)
        if mn > lo2:
            continue
        q = _near_in_cell(xs, ys, mask, start, d, xs[p], ys[p], eps2)
        if q >= 0:
            return p, q
    return -1, -1


@nb.njit(cache=True, nogil=True)
def _near_in_cell(xs, ys, mask, start, d, x, y, eps2):
    """The first point of cell ``d`` in ``mask`` within eps of ``(x, y)``, or -1."""
    for q in range(start[d], start[d + 1]):
        if mask[q]:
            dx = x - xs[q]
            dy = y - ys[q]
            if dx * dx + dy * dy <= eps2:
                return q
    return -1


@nb.njit(cache=True, nogil=True)
def _subset_join(xs, ys, active, core, start, nbr_ptr, nbr_idx, ox, oy, side, eps2, reach, wit):
    """Union-find over cells with core points, then each active point's component root.

    Only points with ``reach`` (within eps of a point that is core among all
    points) are looked up: no subset can give the others a core neighbour.
    Two cells are joined when ``wit`` (:func:`_witnesses`) says they can be, at
    once when its pair of points is core in the subset, else after a search.
    """
    n_cells = start.shape[0] - 1
    has = np.zeros(n_cells, dtype=np.bool_)
    for c in range(n_cells):
        for p in range(start[c], start[c + 1]):
            if core[p]:
                has[c] = True
                break
    parent = np.arange(n_cells)
    lo2 = eps2 * (1.0 + 1e-9)
    for c in range(n_cells):
        if not has[c]:
            continue
        for t in range(nbr_ptr[c], nbr_ptr[c + 1]):
            d = nbr_idx[t]
            if d < c or not has[d] or wit[t, 0] < 0:
                continue
            rc = _find(parent, c)
            rd = _find(parent, d)
            if rc == rd:
                continue
            found = core[wit[t, 0]] and core[wit[t, 1]]
            if not found:
                found = _close_pair(xs, ys, core, start, c, d, ox, oy, side, eps2, lo2)[0] >= 0
            if found:
                if rc < rd:
                    parent[rd] = rc
                else:
                    parent[rc] = rd
    comp = np.full(xs.shape[0], -1, dtype=np.int64)
    for c in range(n_cells):
        for p in range(start[c], start[c + 1]):
            if not active[p] or not reach[p]:
                continue
            if has[c]:
                comp[p] = _find(parent, c)  # a core point of the own cell is within eps
                continue
            for t in range(nbr_ptr[c], nbr_ptr[c + 1]):
                d = nbr_idx[t]
                if not has[d]:
                    continue
                mn, _mx = _rect_d2(xs[p], ys[p], ox[d], oy[d], side)
                if mn > lo2:
                    continue
                if _near_in_cell(xs, ys, core, start, d, xs[p], ys[p], eps2) >= 0:
                    comp[p] = _find(parent, d)
                    break
    return comp


#: Possible core points in cells of fewer than this many × ``min_samples`` points get their
#: cut-cell neighbour count at preparation (in fuller cells a draw rarely leaves a point short).
PARTIAL_COUNT_CELLS = 2


@dataclass(frozen=True)
class SubsetClusterer:
    """DBSCAN of any subset of a grid's points at one ``min_samples``, prepared once.

    Preparation (once per grid and ``min_samples``): each cell's neighbour
    cells are put nearest first, so counting stops sooner; and the points
    that are core in the *whole* set are marked: a point with fewer than
    ``min_samples`` neighbours among all points has fewer among any subset,
    so only those can be core in a draw. For those in cells of fewer than
    :data:`PARTIAL_COUNT_CELLS` × ``min_samples`` points, the number of all
    their neighbours in the cells their disc cuts is counted once, and the
    cells their disc reaches are listed, so a draw bounds their count from
    each cell's inactive points and only has to find which of its
    *inactive* points are among the neighbours when the bounds straddle
    ``min_samples``. Points not within eps of a possible core point
    (``reachable`` False) are never clustered; ``witnesses`` holds, for each
    pair of neighbour cells, two possible core points within eps of each
    other (or none: the cells are never joined), so most joins in a draw
    need no search.
    """

    grid: Grid
    min_samples: int
    nbr_idx: np.ndarray
    maybe_core: np.ndarray
    partial_count: np.ndarray
    reachable: np.ndarray
    witnesses: np.ndarray
    disc_ptr: np.ndarray
    disc_cells: np.ndarray
    n_inside: np.ndarray
    n_all: np.ndarray

    @classmethod
    def build(cls, grid: Grid, min_samples: int, *, partial_cells: int = PARTIAL_COUNT_CELLS) -> SubsetClusterer:
        """Prepare ``grid`` for subsets at ``min_samples`` (``partial_cells``: see :data:`PARTIAL_COUNT_CELLS`)."""
        g = grid
        row = np.repeat(np.arange(len(g.nbr_ptr) - 1), np.diff(g.nbr_ptr))
        d2 = (g.ox[g.nbr_idx] - g.ox[row]) ** 2 + (g.oy[g.nbr_idx] - g.oy[row]) ** 2
        nbr_idx = np.ascontiguousarray(g.nbr_idx[np.lexsort((d2, row))])
        core_mask = _SERIAL[1]
        maybe = core_mask(g.xs, g.ys, g.start, g.nbr_ptr, nbr_idx, g.ox, g.oy, g.side, g.eps2,
                          int(min_samples))
        pcount, disc_ptr, disc_cells, n_inside, n_all = _partial_counts(
            g.xs, g.ys, g.start, g.nbr_ptr, nbr_idx, g.ox, g.oy, g.side, g.eps2, maybe,
            int(partial_cells) * int(min_samples))
        # DBSCAN of all points with the possible core points as core: who is within eps of one
        root, cstart, cpts = _components(g.xs, g.ys, maybe, g.start, g.nbr_ptr, nbr_idx, g.ox, g.oy, g.side,
                                         g.eps2)
        reach = _SERIAL[2](g.xs, g.ys, maybe, g.start, g.nbr_ptr, nbr_idx, g.ox, g.oy, g.side, root, cstart, cpts,
                           g.eps2) >= 0
        wit = _witnesses(g.xs, g.ys, maybe, g.start, g.nbr_ptr, nbr_idx, g.ox, g.oy, g.side, g.eps2)
        return cls(g, int(min_samples), nbr_idx, maybe, pcount, reach, wit, disc_ptr, disc_cells, n_inside, n_all)

    def components_sorted(self, act: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """As calling the clusterer, with ``act`` and both results in the grid's cell order.

        ``act[i]`` says whether sorted point ``i`` (input row ``grid.order[i]``)
        takes part. The kernels release the GIL, so draws can run in threads.
        """
        g = self.grid
        act = np.asarray(act, dtype=bool)
        if act.shape != (g.n,):
            raise ParameterError(f"expected an active mask of {g.n} points; got shape {act.shape}")
        acs, inact = _active_counts(act)
        core_s = _subset_core(g.xs, g.ys, act, acs, g.start, g.nbr_ptr, self.nbr_idx, g.ox, g.oy,
                              g.side, g.eps2, self.min_samples, self.maybe_core, self.partial_count, inact,
                              self.disc_ptr, self.disc_cells, self.n_inside, self.n_all)
        comp_s = _subset_join(g.xs, g.ys, act, core_s, g.start, g.nbr_ptr, self.nbr_idx, g.ox, g.oy,
                              g.side, g.eps2, self.reachable, self.witnesses)
        return comp_s, core_s

    def __call__(self, active: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Component per input row (``-1``: noise or inactive) and core mask, input order."""
        g = self.grid
        comp_s, core_s = self.components_sorted(np.asarray(active, dtype=bool)[g.order])
        comp = np.empty(g.n, dtype=np.int64)
        comp[g.order] = comp_s
        core = np.empty(g.n, dtype=bool)
        core[g.order] = core_s
        return comp, core


@nb.njit(cache=True, nogil=True)
def _draw_counts(xs, ys, start, nbr_ptr, nbr_idx, ox, oy, side, eps2, m, maybe, pcount, reach, wit, disc_ptr,
                 disc_cells, n_inside, n_all, rank, idx, mem_ptr, mem_idx, drawn, clustered, left_out):
    """One stability draw in one call without the GIL: DBSCAN of the points ``rank[idx]`` (cell order),
    or, with ``left_out``, of every point but those.

    Adds 1 to ``drawn`` for each drawn point and to ``clustered`` for each
    drawn point in a cluster of the draw. Returns, per original cluster
    (whose points, in cell order, are ``mem_idx[mem_ptr[o]:mem_ptr[o + 1]]``),
    1.0 when at least half of its drawn points fall into one cluster of the
    draw, else 0.0 (0.0 when none of them was drawn).
    """
    n = xs.shape[0]
    if left_out:
        act = np.ones(n, dtype=np.bool_)
        for i in range(idx.shape[0]):
            act[rank[idx[i]]] = False
    else:
        act = np.zeros(n, dtype=np.bool_)
        for i in range(idx.shape[0]):
            act[rank[idx[i]]] = True
    acs, inact = _active_counts(act)
    core = _subset_core(xs, ys, act, acs, start, nbr_ptr, nbr_idx, ox, oy, side, eps2, m, maybe, pcount, inact,
                        disc_ptr, disc_cells, n_inside, n_all)
    comp = _subset_join(xs, ys, act, core, start, nbr_ptr, nbr_idx, ox, oy, side, eps2, reach, wit)
    for i in range(n):
        if act[i]:
            drawn[i] += 1
            if comp[i] >= 0:
                clustered[i] += 1
    k = mem_ptr.shape[0] - 1
    rec = np.zeros(k)
    cnt = np.zeros(start.shape[0] - 1, dtype=np.int64)  # component ids are cell indices
    for o in range(k):
        sampled = 0
        best = 0
        for j in range(mem_ptr[o], mem_ptr[o + 1]):
            p = mem_idx[j]
            if act[p]:
                sampled += 1
                d = comp[p]
                if d >= 0:
                    cnt[d] += 1
                    if cnt[d] > best:
                        best = cnt[d]
        for j in range(mem_ptr[o], mem_ptr[o + 1]):
            p = mem_idx[j]
            if act[p] and comp[p] >= 0:
                cnt[comp[p]] = 0
        if sampled > 0 and best >= 0.5 * sampled:
            rec[o] = 1.0
    return rec


def draw_counts(clusterer: SubsetClusterer, rank: np.ndarray, idx: np.ndarray, mem_ptr: np.ndarray,
                mem_idx: np.ndarray, drawn: np.ndarray, clustered: np.ndarray, *,
                left_out: bool = False) -> np.ndarray:
    """One stability draw of ``clusterer``'s grid (see ``_draw_counts``): input rows ``idx`` drawn
    (``left_out=True``: every row but ``idx``; a draw of 80% names the fifth it leaves out).

    ``rank[i]`` is the cell-order position of input row ``i``; ``drawn`` and
    ``clustered`` (cell order, int32: one count per draw) are added to in place. Returns the
    per-cluster 0/1 "recovered" vector. One numba call that releases the GIL.
    """
    g = clusterer.grid
    return _draw_counts(g.xs, g.ys, g.start, g.nbr_ptr, clusterer.nbr_idx, g.ox, g.oy, g.side, g.eps2,
                        clusterer.min_samples, clusterer.maybe_core, clusterer.partial_count,
                        clusterer.reachable, clusterer.witnesses, clusterer.disc_ptr, clusterer.disc_cells,
                        clusterer.n_inside, clusterer.n_all, rank, np.asarray(idx, dtype=np.int64),
                        mem_ptr, mem_idx, drawn, clustered, bool(left_out))


def subset_components(grid: Grid, active: np.ndarray, min_samples: int) -> tuple[np.ndarray, np.ndarray]:
    """DBSCAN of the active points of ``grid``: component per point and core mask.

    Parameters
    ----------
    grid : Grid
        From :func:`~creative_clusters.microclusters.dbscan.build_grid` on all points.
    active : numpy.ndarray of bool, shape (n,)
        Which input rows take part (input order).
    min_samples : int
        As in DBSCAN, counted among active points only.

    Returns
    -------
    component : numpy.ndarray of int64
        Per input row, an id shared by the points of one cluster (``-1``:
        noise or not active). Ids are not consecutive.
    core : numpy.ndarray of bool
        Core points of the subset (input order).

    Examples
    --------
    >>> from creative_clusters.microclusters.dbscan import build_grid
    >>> X = np.array([[0.0, 0], [1, 0], [2, 0], [50, 0], [51, 0]])
    >>> comp, core = subset_components(build_grid(X, 1.0), np.array([1, 1, 1, 1, 0], bool), 2)
    >>> (comp >= 0).tolist(), core.tolist()
    ([True, True, True, False, False], [True, True, True, False, False])
    """
    return SubsetClusterer.build(grid, min_samples)(active)
