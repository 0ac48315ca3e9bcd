"""Microclusters of a point file too large for one machine: read in partitions, write in parts.

:func:`microclusters_distributed` reads Parquet or CSV with dask.dataframe
(each partition becomes a batch on the workers; nothing is gathered on the
client), runs the tiled exact DBSCAN (:mod:`.dbscan`) and writes, atomically:

- ``points/part-NNNNN.parquet``: one file per tile, every input column plus
  ``gid`` (input row number, from 0), ``label`` (-1 = noise), ``microcluster_id``
  (``MC0001``…, numbered as the single-machine command numbers them; "" = not
  clustered), ``is_core`` and ``tile``; read them all with
  ``pandas.read_parquet(out / "points")``;
- ``microclusters.csv``: one row per cluster (points, core points,
  ``meets_min_firms``, centroid, bounding box, and the dominant value of the
  ``--category`` column when it exists);
- ``run.json``: parameters, counts, tiling, timings and per-tile statistics.

Workers write the parts, so on a real cluster ``out`` must be on a file
system they share with the client (``docs/distributed.md``).
"""

from __future__ import annotations

import json
import shutil
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from creative_clusters._files import swap_folder, swap_target
from creative_clusters.distributed.dbscan import SerialExecutor, TiledRun, check_params, run_tiled
from creative_clusters.errors import ParameterError, SchemaError

__all__ = ["DistributedMicroclusters", "microclusters_distributed", "read_point_partitions"]

#: Output columns this run writes; input columns of these names are replaced.
RESERVED = ("gid", "label", "core", "tile", "microcluster_id", "is_core")


@dataclass
class DistributedMicroclusters:
    """What :func:`microclusters_distributed` wrote and found."""

    out: Path
    summary: pd.DataFrame
    params: dict[str, Any]
    notes: list[str] = field(default_factory=list)
    #: ``run.json``'s ``unlocated_firms`` (file, row count, columns) when firms could not be located
    unlocated_firms: dict[str, Any] | None = None


def _kind(path: Path) -> str:
    name = path.name.lower()
    if path.is_dir() or name.endswith((".parquet", ".pq", ".geoparquet")):
        return "parquet"
    if name.endswith((".csv", ".csv.gz", ".txt")):
        return "csv"
    raise ParameterError(f"{path}: expected a Parquet file or folder, or a CSV file (.csv, .csv.gz); "
                         "convert other formats first")


def read_point_partitions(path: str | Path, *, x: str = "easting", y: str = "northing",
                          columns: Sequence[str] | None = None, blocksize: str | int = "64MB") -> Any:
    """A dask DataFrame of the points in ``path`` (Parquet or CSV), read lazily in partitions.

    Parquet: one partition per row group (write large files with row groups of
    0.5–5 M rows); CSV: ``blocksize`` bytes per partition.

    ``x``/``y`` must exist (metres in a projected CRS) and become float64;
    other CSV columns are read as strings (so a code such as ``"0111"`` keeps
    its zero and partitions cannot disagree on a type).

    Raises
    ------
    SchemaError
        A coordinate column is missing (the message lists the columns found).
    """
    import dask.dataframe as dd

    path = Path(path)
    if not path.exists():
        raise ParameterError(f"{path} does not exist")
    kind = _kind(path)
    if kind == "parquet":
        import pyarrow.parquet as pq

        names = pq.ParquetDataset(str(path)).schema.names
    else:
        names = list(pd.read_csv(path, nrows=0).columns)
    missing = [c for c in (x, y) if c not in names]
    if missing:
        raise SchemaError(f"{path}: no column(s) {missing} for the point coordinates; the file has {names}. "
                          f"Name the columns holding the coordinates {x!r} and {y!r} (metres in a projected "
                          "CRS, e.g. British National Grid eastings and northings)")
    cols = list(dict.fromkeys([x, y, *(columns if columns is not None else names)]))
    unknown = [c for c in cols if c not in names]
    if unknown:
        raise SchemaError(f"{path}: no column(s) {unknown}; the file has {names}")
    if kind == "parquet":
        # one partition per row group: without this, dask reads a whole large file as one partition
        ddf = dd.read_parquet(str(path), columns=cols, split_row_groups=True)
    else:
        dtype = {c: ("float64" if c in (x, y) else "string") for c in cols}
        ddf = dd.read_csv(str(path), usecols=cols, dtype=dtype, blocksize=blocksize)
    return ddf


def _aggregate(frame: pd.DataFrame, category: str | None) -> pd.DataFrame:
    """Per-cluster partial sums of one tile (combined on the client)."""
    f = frame[frame["label"] >= 0]
    g = f.groupby("label")
    agg = pd.DataFrame({
        "n": g.size(), "n_core": g["core"].sum(), "sx": g["x"].sum(), "sy": g["y"].sum(),
        "xmin": g["x"].min(), "xmax": g["x"].max(), "ymin": g["y"].min(), "ymax": g["y"].max(),
    })
    if category and category in f.columns:
        counts = f.groupby(["label", category]).size()
        per: dict[int, dict[str, int]] = {}
        labs = counts.index.get_level_values(0).to_numpy()
        values = counts.index.get_level_values(1).astype(str).to_numpy()
        for lab, value, c in zip(labs.tolist(), values.tolist(), counts.to_numpy().tolist(), strict=True):
            per.setdefault(int(lab), {})[str(value)] = int(c)
        agg["category_counts"] = pd.Series(per, dtype=object).reindex(agg.index)
    return agg.reset_index()


def _write_part(frame: pd.DataFrame, path: str) -> int:
    out = frame.rename(columns={"core": "is_core"})
    lab = out["label"].to_numpy()
    out.insert(list(out.columns).index("label") + 1, "microcluster_id", _ids(lab).set_axis(out.index))
    out.to_parquet(path, index=False)
    return len(out)


def _ids(labels: np.ndarray) -> pd.Series:
    """``MC0001``… for labels 0, 1, … and "" for noise (the single-machine command's ids).

    Categorical (a string per distinct label, not per point), so Parquet stores a dictionary.

    >>> _ids(np.array([1, -1, 0, 1])).tolist()
    ['MC0002', '', 'MC0001', 'MC0002']
    """
    labels = np.asarray(labels, dtype=np.int64)
    top = int(labels.max(initial=-1))
    names = ["", *(f"MC{k + 1:04d}" for k in range(top + 1))]
    return pd.Series(pd.Categorical.from_codes(labels + 1, categories=pd.Index(names)))


def _summary(parts: list[pd.DataFrame], n_clusters: int, min_samples: int, category: str | None) -> pd.DataFrame:
    cols = ["microcluster_id", "n_firms", "n_core", "meets_min_firms", "centroid_easting", "centroid_northing",
            "xmin", "xmax", "ymin", "ymax"]
    a = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=["label"])
    if a.empty:
        return pd.DataFrame(columns=cols)
    g = a.groupby("label")
    s = pd.DataFrame({"n_firms": g["n"].sum(), "n_core": g["n_core"].sum(), "sx": g["sx"].sum(),
                      "sy": g["sy"].sum(), "xmin": g["xmin"].min(), "xmax": g["xmax"].max(),
                      "ymin": g["ymin"].min(), "ymax": g["ymax"].max()}).reindex(range(n_clusters))
    out = pd.DataFrame({
        "microcluster_id": np.asarray(_ids(np.arange(n_clusters)), dtype=object),
        "n_firms": s["n_firms"].astype("int64").to_numpy(),
        "n_core": s["n_core"].astype("int64").to_numpy(),
        "meets_min_firms": (s["n_firms"] >= min_samples).to_numpy(),
        "centroid_easting": (s["sx"] / s["n_firms"]).round(1).to_numpy(),
        "centroid_northing": (s["sy"] / s["n_firms"]).round(1).to_numpy(),
        "xmin": s["xmin"].to_numpy(), "xmax": s["xmax"].to_numpy(),
        "ymin": s["ymin"].to_numpy(), "ymax": s["ymax"].to_numpy(),
    })
    if "category_counts" in a.columns:
        merged: list[dict[str, int]] = [{} for _ in range(n_clusters)]
        for lab, d in zip(a["label"].tolist(), a["category_counts"].tolist(), strict=True):
            for k, v in (d if isinstance(d, dict) else {}).items():
                merged[lab][k] = merged[lab].get(k, 0) + v
        dom = [max(sorted(d), key=d.__getitem__) if d else "" for d in merged]
        out[f"dominant_{category}"] = dom
        out["dominant_share"] = [round(d[k] / n, 4) if d else np.nan
                                 for d, k, n in zip(merged, dom, out["n_firms"], strict=True)]
    return out


def _table_partitions(table: pd.DataFrame, x: str, y: str, columns: Sequence[str] | None, name: str) -> Any:
    """A dask DataFrame of an in-memory table of points (rows in order; text columns as strings)."""
    import dask.dataframe as dd

    names = [str(c) for c in table.columns]
    missing = [c for c in (x, y) if c not in names]
    if missing:
        raise SchemaError(f"{name}: no column(s) {missing} for the point coordinates; the table has {names}")
    cols = list(dict.fromkeys([x, y, *(columns if columns is not None else names)]))
    frame = table[cols].reset_index(drop=True)
    frame = frame.astype({c: ("float64" if c in (x, y) else "string") for c in cols
                          if c in (x, y) or frame[c].dtype == object})
    return dd.from_pandas(frame, npartitions=max(1, -(-len(frame) // 500_000)), sort=False)


def microclusters_distributed(source: str | Path | pd.DataFrame, out: str | Path, *, client: Any = None,
                              eps: float = 1000.0, min_samples: int = 50, x: str = "easting", y: str = "northing",
                              columns: Sequence[str] | None = None, category: str | None = "subsector",
                              n_tiles: int | None = None, blocksize: str | int = "64MB",
                              kernel_threads: int | None = None,
                              on_step: Callable[[str], None] | None = None, source_name: str | None = None,
                              unlocated: pd.DataFrame | None = None,
                              notes: Sequence[str] = (), hubs: str = "keep", hub_min_companies: int | None = None,
                              hub_cap: int | None = None,
                              before_write: Callable[[DistributedMicroclusters], None] | None = None,
                              ) -> DistributedMicroclusters:
    """Exact DBSCAN microclusters of a Parquet/CSV point file on a Dask cluster; partitioned output.

    Parameters
    ----------
    source : path or pandas.DataFrame
        Parquet file or folder, or CSV, with coordinate columns ``x``/``y``;
        or the located firms of a firm file read on the client (as the
        single-machine command reads it), named by ``source_name``.
    out : path
        Output folder: the run's files replace an earlier run's all at once; other files there are kept.
    client : distributed.Client, optional
        Where to run; without one, in this process (the same code path).
    eps, min_samples : float, int
        DBSCAN radius (metres) and minimum points, the point itself included.
    columns : sequence of str, optional
        Input columns carried to the output (default: all).
    category : str, optional
        Column whose dominant value each cluster reports, when present.
    n_tiles : int, optional
        Tiles (default: about one per 250,000 points, at least 4).
    blocksize : str or int
        CSV partition size.
    kernel_threads : int, optional
        numba threads per tile (default with a client: cores per Dask thread).
    source_name : str, optional
        The firm file a table came from (``run.json``'s ``source``).
    unlocated : pandas.DataFrame, optional
        Firms of that file that could not be located (the firm report's
        ``failed_rows``): written as ``unlocated_firms.csv`` with the
        single-machine run's columns, and counted in ``run.json``
        (``unlocated_firms``), by
        :func:`creative_clusters.microclusters.outputs.write_unlocated`.
    notes : sequence of str
        The caller's notes on the input (kept first in ``run.json``).
    hubs, hub_min_companies, hub_cap : str, int, int
        Registered-office hub policy (``"keep"``, ``"exclude"`` or ``"downweight"``) applied to a table
        ``source`` by :func:`~creative_clusters.microclusters.hubs.clustering_rows`, as the single-machine
        run applies it: only the rows it keeps are clustered on the cluster; the others take their
        representative's label (:func:`~creative_clusters.microclusters.methods.spread_values`), or none
        when excluded, and are written as ``points/part-hubs.parquet`` (``tile`` -1). ``gid`` is then the
        row of the table. A point file has no postcodes: a policy other than ``"keep"`` is not applied
        there, and a note says so.
    before_write : callable, optional
        Called with the result just before ``run.json`` is written (e.g. to add the run's provenance to
        its ``params``).

    Returns
    -------
    DistributedMicroclusters
    """
    from creative_clusters.distributed.cluster import kernel_threads as _kt
    from creative_clusters.microclusters.hubs import HUB_CAP, HUB_MIN_COMPANIES, clustering_rows

    eps, min_samples = check_params(eps, min_samples)
    hub_min = HUB_MIN_COMPANIES if hub_min_companies is None else hub_min_companies
    cap = HUB_CAP if hub_cap is None else hub_cap
    t0 = time.perf_counter()
    hub_notes: list[str] = []
    spread: tuple[pd.DataFrame, np.ndarray, np.ndarray] | None = None
    if isinstance(source, pd.DataFrame):
        label = Path(source_name or "<table>")
        use, rep = clustering_rows(source, policy=hubs, min_companies=hub_min, cap=cap)
        hub_notes = _hub_notes(source, use, rep, hubs, hub_min, cap)
        if not use.all():  # hub firms left out of the clustering: they take their representative's label
            spread = (source, use, rep)
        ddf = _table_partitions(source[use] if spread is not None else source, x, y, columns, str(label))
        source = label
    else:
        clustering_rows(pd.DataFrame({"postcode": []}), policy=hubs, min_companies=hub_min, cap=cap)  # validates
        if hubs != "keep":
            hub_notes = [f"hub policy {hubs} not applied: a point file (Parquet, or a CSV with easting and northing "
                         "columns) is clustered as it is, every point (as --hubs keep); hubs are found when a firm "
                         "file is read and located (a list with its coordinates in columns named x and y, say)"]
        source = Path(source)
        ddf = read_point_partitions(source, x=x, y=y, columns=columns, blocksize=blocksize)
    keep = [c for c in ddf.columns if c not in (x, y) and c not in RESERVED]
    dropped = [c for c in ddf.columns if c in RESERVED]
    delayed = ddf.to_delayed()
    out = swap_target(out)  # absolute, and not the folder the command runs in
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.tmp-", dir=out.parent))
    try:
        (tmp / "points").mkdir()
        if client is not None:
            executor: Any = client
            batches = client.compute(delayed)
            if kernel_threads is None:
                kernel_threads = _kt(client)
        else:
            executor = SerialExecutor()
            batches = [d.compute(scheduler="sync") for d in delayed]
        try:
            run = run_tiled(executor, batches, eps, min_samples, xcol=x, ycol=y, keep=keep, n_tiles=n_tiles,
                            kernel_threads=kernel_threads, finish=_write_tile,
                            finish_args=(str(tmp / "points"), x, y, category), release_input=True,
                            on_step=on_step)
            t = time.perf_counter()
            written = executor.gather(run.labelled)
        except ValueError as exc:
            if isinstance(exc, ParameterError | SchemaError):
                raise ParameterError(f"{source}: {exc}") from None
            raise SchemaError(f"{source}: column {x!r} or {y!r} holds a value that is not a number ({exc}); "
                              "coordinates must be metres") from None
        del batches
        extra = 0
        if spread is not None:
            part = _spread_hubs(tmp / "points", *spread, x=x, y=y, category=category)
            written.append(part)
            extra = part[0]
        result = _summarise_run(run, written, tmp, source=source, eps=eps, min_samples=min_samples,
                                category=category, write_seconds=time.perf_counter() - t, extra_points=extra)
        result.params.update({"hubs": hubs, "hub_min_companies": int(hub_min), "hub_cap": int(cap)})
        result.notes.extend(hub_notes)
        if dropped:
            result.notes.append(f"input column(s) {dropped} replaced by this run's own")
        result.notes[:0] = list(notes)
        result.params["seconds_total"] = round(time.perf_counter() - t0, 3)
        record: dict[str, Any] = {"params": result.params, "notes": result.notes}
        from creative_clusters.microclusters.outputs import (  # the single-machine run's writer and its files
            RUN_ENTRIES,
            write_unlocated,
        )

        entry = write_unlocated(unlocated, tmp)  # its file, columns and run.json entry
        if entry is not None:
            record["unlocated_firms"] = result.unlocated_firms = entry
        if before_write is not None:
            before_write(result)
        (tmp / "run.json").write_text(json.dumps(record, indent=2, default=str))
        swap_folder(tmp, out, owned=RUN_ENTRIES.__contains__)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    result.out = out
    return result


def _write_tile(frame: pd.DataFrame, folder: str, x: str, y: str, category: str | None
                ) -> tuple[int, pd.DataFrame]:
    """On the worker: write one tile's labelled points; return its row count and cluster partial sums."""
    n = _write_part(_rename_xy(frame, x, y), str(Path(folder) / f"part-{int(frame['tile'].iloc[0]):05d}.parquet")
                    ) if len(frame) else 0
    return n, _aggregate(frame, category)


def _hub_notes(table: pd.DataFrame, use: np.ndarray, rep: np.ndarray, policy: str, min_companies: int,
               cap: int) -> list[str]:
    """What the hub policy did to ``table`` (none when there are no hubs)."""
    from creative_clusters.microclusters.hubs import hub_mask

    hub = hub_mask(table, min_companies)
    if not hub.any():
        return []
    what = {"keep": "all clustered as they are",
            "exclude": "left out of the clustering (not clustered)",
            "downweight": f"each hub counts as at most {cap} firms; the others take its first firm's cluster"}
    return [f"registered-office hubs (postcodes with >= {min_companies} companies in the file): "
            f"{int(hub.sum()):,} firms at {table.loc[hub, 'postcode'].nunique():,} postcodes; policy {policy}: "
            f"{what[policy]} ({int((~use).sum()):,} not clustered themselves), as without --scheduler"]


def _spread_hubs(folder: Path, table: pd.DataFrame, use: np.ndarray, rep: np.ndarray, *, x: str, y: str,
                 category: str | None) -> tuple[int, pd.DataFrame]:
    """After a run on ``table[use]``: number the written parts' ``gid`` by ``table``'s rows, and write the rows
    left out (``~use``) as ``part-hubs.parquet``, each with its representative's label
    (:func:`~creative_clusters.microclusters.methods.spread_values`, the single-machine run's spreading; -1
    when excluded). Returns the rows written and their cluster partial sums (as :func:`_write_tile`)."""
    from creative_clusters.microclusters.methods import spread_values

    rows = np.flatnonzero(use)
    used_label = np.full(len(rows), -1, dtype=np.int64)
    columns: list[str] = []
    for path in sorted(folder.glob("part-*.parquet")):
        part = pd.read_parquet(path)
        gid = part["gid"].to_numpy(np.int64)
        used_label[gid] = part["label"].to_numpy(np.int64)
        part["gid"] = rows[gid]
        part.to_parquet(path, index=False)
        columns = columns or list(part.columns)
    left = ~use
    labels = spread_values(used_label.astype(float), use, rep, fill=-1.0).astype(np.int64)[left]
    frame = table.loc[left].reset_index(drop=True)
    frame = frame.astype({c: "string" for c in frame.columns if c not in (x, y) and frame[c].dtype == object})
    out = pd.DataFrame({"gid": np.flatnonzero(left), "x": frame[x].to_numpy(float), "y": frame[y].to_numpy(float),
                        "label": labels, "core": np.zeros(len(frame), dtype=bool),
                        "tile": np.full(len(frame), -1, dtype=np.int32)})
    for c in frame.columns:
        if c not in (x, y) and c not in RESERVED:
            out[c] = frame[c].to_numpy()
    n = _write_part(_rename_xy(out, x, y), str(folder / "part-hubs.parquet"))
    if columns:  # the tiles' column order
        written = pd.read_parquet(folder / "part-hubs.parquet")
        written[[c for c in columns if c in written.columns]].to_parquet(folder / "part-hubs.parquet", index=False)
    return n, _aggregate(out, category)


def _summarise_run(run: TiledRun, written: list[tuple[int, pd.DataFrame]], tmp: Path, *, source: Path, eps: float,
                   min_samples: int, category: str | None, write_seconds: float,
                   extra_points: int = 0) -> DistributedMicroclusters:
    n_rows = sum(w[0] for w in written)
    if n_rows != run.n_points + extra_points:
        raise SchemaError(f"internal error: wrote {n_rows} rows for {run.n_points + extra_points} input points")
    summary = _summary([w[1] for w in written], run.plan.n_clusters, min_samples, category)
    summary.to_csv(tmp / "microclusters.csv", index=False)
    n_clustered = int(summary["n_firms"].sum()) if len(summary) else 0
    ts = run.tile_stats if run.tile_stats is not None else pd.DataFrame()
    params = {
        "source": source.name, "eps_m": eps, "min_firms": min_samples, "method": "dbscan (tiled, exact)",
        "n_points": n_rows, "n_microclusters": run.plan.n_clusters, "n_clustered": n_clustered,
        "n_noise": n_rows - n_clustered, "n_tiles": int(run.tiling.n_tiles),
        "n_tiles_with_points": len(run.labelled), "halo_m": run.halo,
        "local_clusters": run.plan.n_nodes, "cross_border_links": run.plan.n_edges,
        "merge_records": run.plan.stats,
        "timings_s": {**{k: round(v, 3) for k, v in run.timings.items()},
                      "labels+write": round(write_seconds, 3)},
        "tiles": ts.to_dict("records"),
    }
    notes = ["Labels equal the single-machine run's (exact DBSCAN, --method dbscan, with the same hub policy) on "
             "the same rows in the same order; boundaries (hulls), stability and the sweep are not computed on the "
             "distributed path"]
    if "synthetic" in source.name.lower():
        notes.append("SYNTHETIC input (named so): not real firms")
    return DistributedMicroclusters(out=tmp, summary=summary, params=params, notes=notes)


def _rename_xy(frame: pd.DataFrame, x: str, y: str) -> pd.DataFrame:
    """Put the coordinates back under the input's column names (``gid`` first)."""
    f = frame.rename(columns={"x": x, "y": y})
    return f[["gid", *[c for c in f.columns if c != "gid"]]]
