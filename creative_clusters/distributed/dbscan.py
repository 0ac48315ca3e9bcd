"""Exact DBSCAN over spatial tiles, on a Dask cluster or in this process.

The steps (each tile's work runs on a worker; only small records reach the client):

1. **Batches.** The input arrives in batches (dask.dataframe partitions, or
   slices of an array). Each point's global id is its row number in the input.
2. **Tiling.** A k-d tiling with about ``n_tiles`` tiles of equal point counts
   is cut from a sample (:func:`.tiles.make_tiling`), unless one is given.
3. **Split.** Each batch is cut into per-tile pieces: owned points, and halo
   points within ``eps`` (plus a rounding margin) of another tile.
4. **Kernel.** Each tile runs :func:`creative_clusters.microclusters.dbscan`
   on its owned and halo points (:func:`._tile.cluster_tile`).
5. **Merge.** The client joins local clusters that share core points across
   borders with a union-find and numbers them (:func:`.merge.merge_summaries`).
6. **Labels.** Each tile maps its points to the global labels
   (:func:`._tile.finalise_tile`).

The labels are **identical** to ``dbscan(X, eps, min_samples)`` on the
whole input (and so to scikit-learn's ``DBSCAN``): the same core points, the
same clusters numbered by the lowest input row of a core point, and a border
point within ``eps`` of several clusters takes the lowest label among them.

Examples
--------
>>> import numpy as np
>>> from creative_clusters.distributed.tiles import Tiling
>>> X = np.array([[0.0, 0.0], [3.0, 4.0], [6.0, 8.0], [100.0, 100.0]])
>>> tiled = Tiling(np.array([3.0]), (np.array([]), np.array([])))
>>> labels, core = dbscan_points(X, 5.0, 2, tiling=tiled)
>>> labels.tolist(), core.tolist()
([0, 0, 0, -1], [True, True, True, False])
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

import numpy as np
import pandas as pd

from creative_clusters.distributed import _tile
from creative_clusters.distributed.merge import MergePlan, merge_summaries
from creative_clusters.distributed.tiles import Tiling, halo_width, make_tiling, split_points
from creative_clusters.errors import ParameterError

__all__ = ["SerialExecutor", "TiledRun", "check_params", "dbscan_points", "run_tiled"]

SAMPLE_PER_BATCH = 20_000


class Executor(Protocol):
    """The part of ``distributed.Client`` used here (``submit`` and ``gather``)."""

    def submit(self, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any: ...

    def gather(self, futures: Any) -> Any: ...


class SerialExecutor:
    """Runs every task at once in this process (same code path as a Dask client).

    Examples
    --------
    >>> ex = SerialExecutor()
    >>> ex.gather([ex.submit(sum, [1, 2])])
    [3]
    """

    def submit(self, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        kwargs.pop("pure", None)
        kwargs.pop("key", None)
        return fn(*args, **kwargs)

    def gather(self, futures: Any) -> Any:
        return futures


@dataclass
class TiledRun:
    """The outcome of :func:`run_tiled`: per-tile label frames (futures on a cluster) and facts."""

    labelled: list[Any]
    tiling: Tiling
    plan: MergePlan
    n_points: int
    halo: float
    timings: dict[str, float] = field(default_factory=dict)
    tile_stats: pd.DataFrame | None = None


def check_params(eps: float, min_samples: int) -> tuple[float, int]:
    """``eps`` as a positive finite float and ``min_samples`` as a whole number >= 1, or ParameterError."""
    try:
        eps_f = float(eps)
    except (TypeError, ValueError):
        raise ParameterError(f"eps must be a number of metres; got {eps!r}") from None
    if not np.isfinite(eps_f) or eps_f <= 0:
        raise ParameterError(f"eps must be a positive distance in metres; got {eps!r}")
    if int(min_samples) != min_samples or min_samples < 1:
        raise ParameterError(f"min_samples must be a whole number >= 1; got {min_samples!r}")
    return eps_f, int(min_samples)


def _batch_stats(batch: Any, xcol: str, ycol: str, k: int, seed: int) -> dict[str, Any]:
    """Length, largest |coordinate| and a uniform sample of one batch; checks the coordinates."""
    x = np.asarray(batch[xcol], dtype=np.float64)
    y = np.asarray(batch[ycol], dtype=np.float64)
    bad = ~(np.isfinite(x) & np.isfinite(y))
    if bad.any():
        raise ParameterError(f"{int(bad.sum())} point(s) have a missing or infinite {xcol!r}/{ycol!r} "
                             f"(first at batch row {int(np.flatnonzero(bad)[0])}); drop ungeocoded rows first")
    n = len(x)
    pick = np.random.default_rng(seed).choice(n, min(k, n), replace=False) if n else np.empty(0, int)
    scale = max(float(np.abs(x).max(initial=0.0)), float(np.abs(y).max(initial=0.0)))
    return {"n": n, "scale": scale, "sx": x[pick], "sy": y[pick]}


def _split_batch(batch: Any, offset: int, tiling: Tiling, h: float, xcol: str, ycol: str,
                 keep: Sequence[str]) -> dict[int, dict[str, Any]]:
    x = np.ascontiguousarray(np.asarray(batch[xcol], dtype=np.float64))
    y = np.ascontiguousarray(np.asarray(batch[ycol], dtype=np.float64))
    gid = offset + np.arange(len(x), dtype=np.int64)
    pieces: dict[int, dict[str, Any]] = split_points(tiling, gid, x, y, h)
    if keep and isinstance(batch, pd.DataFrame):
        for piece in pieces.values():
            rows = piece["gid"][piece["owned"]] - offset
            piece["extra"] = batch[list(keep)].iloc[rows].reset_index(drop=True)
    return pieces


def _piece(pieces: dict[int, dict[str, Any]], tile: int) -> dict[str, Any] | None:
    return pieces.get(tile)


def _tile_keys(pieces: dict[int, dict[str, Any]]) -> list[int]:
    return sorted(pieces)


def run_tiled(executor: Any, batches: Sequence[Any], eps: float, min_samples: int, *,
              xcol: str = "x", ycol: str = "y", keep: Sequence[str] = (), n_tiles: int | None = None,
              tiling: Tiling | None = None, seed: int = 0, kernel_threads: int | None = None,
              finish: Callable[..., Any] | None = None, finish_args: Sequence[Any] = (),
              release_input: bool = False, on_step: Callable[[str], None] | None = None) -> TiledRun:
    """Tiled exact DBSCAN over ``batches`` (DataFrames or futures of them) with ``executor``.

    Parameters
    ----------
    executor : distributed.Client or SerialExecutor
        Where the tasks run.
    batches : sequence
        Pandas DataFrames with columns ``xcol``/``ycol`` (metres), or futures
        of them on the cluster. Global ids follow the batches' order.
    eps, min_samples : float, int
        As :func:`creative_clusters.microclusters.dbscan`.
    keep : sequence of str
        Other columns carried through to the labelled output.
    n_tiles : int, optional
        Tiles to cut (default: about one per 250,000 points, at least 4).
    tiling : Tiling, optional
        Use this tiling instead (tests use random ones).
    seed : int
        Seed of the sample the tiling is cut from.
    kernel_threads : int, optional
        numba threads of each tile's kernel (default: numba's own, all cores;
        :func:`.cluster.kernel_threads` gives cores per Dask thread).
    finish : callable, optional
        Called on the worker as ``finish(frame, *finish_args)`` with each
        tile's labelled frame; ``labelled`` then holds what it returns (e.g.
        write the frame and return its row count), so no frame is kept.
    release_input : bool
        Empty the ``batches`` list once every batch is split, so the cluster
        can free the input while the tiles are finished.

    Returns
    -------
    TiledRun
        ``labelled`` holds one frame (or future) per non-empty tile with
        columns ``gid, x, y, label, core, tile`` and the ``keep`` columns
        (or ``finish``'s results).
    """
    eps, min_samples = check_params(eps, min_samples)
    say = on_step or (lambda s: None)
    timings: dict[str, float] = {}
    t = time.perf_counter()
    stats = executor.gather([executor.submit(_batch_stats, b, xcol, ycol, SAMPLE_PER_BATCH, seed + i, pure=False)
                             for i, b in enumerate(batches)])
    lengths = np.array([s["n"] for s in stats], dtype=np.int64)
    offsets = np.r_[0, np.cumsum(lengths)].astype(np.int64)
    n = int(offsets[-1])
    scale = max([s["scale"] for s in stats], default=0.0)
    if tiling is None:
        want = n_tiles or max(4, round(n / 250_000))
        sx = np.concatenate([s["sx"] for s in stats]) if stats else np.empty(0)
        sy = np.concatenate([s["sy"] for s in stats]) if stats else np.empty(0)
        tiling = make_tiling(sx, sy, want)
    h = halo_width(eps, np.array([scale]), np.array([0.0]))
    timings["scan"] = time.perf_counter() - t
    say(f"{n:,} points in {len(batches)} batch(es); {tiling.n_tiles} tiles, halo {h:g}")

    t = time.perf_counter()
    splits = [executor.submit(_split_batch, b, int(offsets[i]), tiling, h, xcol, ycol, tuple(keep), pure=False)
              for i, b in enumerate(batches)]
    keys = executor.gather([executor.submit(_tile_keys, s, pure=False) for s in splits])
    by_tile: dict[int, list[Any]] = {}
    for s, ks in zip(splits, keys, strict=True):
        for k in ks:
            by_tile.setdefault(k, []).append(executor.submit(_piece, s, k, pure=False))
    results = {k: executor.submit(_tile.cluster_tile, k, v, eps, min_samples, kernel_threads,
                                    pure=False)
               for k, v in sorted(by_tile.items())}
    gathered = executor.gather([executor.submit(_tile.summarise, r, pure=False) for r in results.values()])
    summaries = [g[0] for g in gathered]
    tile_stats = pd.DataFrame([g[1] for g in gathered])
    del splits, by_tile  # the pieces can go once every tile has its points
    if release_input and isinstance(batches, list):
        batches.clear()
    timings["split+kernel"] = time.perf_counter() - t
    say(f"clustered {len(results)} tile(s)")

    t = time.perf_counter()
    plan = merge_summaries(summaries)
    timings["merge"] = time.perf_counter() - t
    say(f"merged: {plan.n_clusters} cluster(s) from {plan.n_nodes} local cluster(s), "
        f"{plan.n_edges} cross-border link(s)")

    empty = np.empty(0, np.int64)
    labelled = [executor.submit(_finish, r, plan.node_label[k], *plan.remote.get(k, (empty, empty)), finish,
                                tuple(finish_args), pure=False) for k, r in results.items()]
    results.clear()  # each tile's state goes as soon as its final step is done
    return TiledRun(labelled=labelled, tiling=tiling, plan=plan, n_points=n, halo=h, timings=timings,
                    tile_stats=tile_stats)


def _finish(result: _tile.TileResult, node_label: np.ndarray, remote_gid: np.ndarray, remote_label: np.ndarray,
            finish: Callable[..., Any] | None, finish_args: tuple[Any, ...]) -> Any:
    frame = _tile.finalise_tile(result, node_label, remote_gid, remote_label)
    return frame if finish is None else finish(frame, *finish_args)


def _array_batches(X: np.ndarray, batch_size: int) -> list[pd.DataFrame]:
    return [pd.DataFrame({"x": X[i:i + batch_size, 0], "y": X[i:i + batch_size, 1]})
            for i in range(0, max(len(X), 1), batch_size)] if len(X) else []


def dbscan_points(X: object, eps: float, min_samples: int = 5, *, client: Any = None,
                  n_tiles: int | None = None, tiling: Tiling | None = None,
                  batch_size: int = 1_000_000, kernel_threads: int | None = None
                  ) -> tuple[np.ndarray, np.ndarray]:
    """Tiled DBSCAN of an in-memory (n, 2) array; the same result as the kernel.

    Parameters
    ----------
    X : array-like, shape (n, 2)
        Easting/northing in metres.
    eps, min_samples : float, int
        As :func:`creative_clusters.microclusters.dbscan`.
    client : distributed.Client, optional
        Run the tiles on this cluster; without one, everything runs here.
    n_tiles, tiling :
        As :func:`run_tiled`.
    batch_size : int
        Rows per batch sent to the cluster.
    kernel_threads : int, optional
        As :func:`run_tiled`.

    Returns
    -------
    labels : numpy.ndarray of int64
    core : numpy.ndarray of bool
    """
    arr = np.ascontiguousarray(np.asarray(X, dtype=np.float64))
    if arr.ndim != 2 or arr.shape[1] != 2:
        raise ParameterError(f"expected an (n, 2) array of easting/northing metres; got shape {arr.shape}")
    executor = client if client is not None else SerialExecutor()
    batches: list[Any] = _array_batches(arr, int(batch_size))
    if client is not None and batches:
        batches = client.scatter(batches)
    run = run_tiled(executor, batches, eps, min_samples, n_tiles=n_tiles, tiling=tiling,
                    kernel_threads=kernel_threads)
    frames = executor.gather(run.labelled)
    labels = np.full(len(arr), -1, dtype=np.int64)
    core = np.zeros(len(arr), dtype=bool)
    for f in frames:
        labels[f["gid"].to_numpy()] = f["label"].to_numpy()
        core[f["gid"].to_numpy()] = f["core"].to_numpy()
    return labels, core
