"""Helpers for the evidence pack's national tables: one LAD vintage, LAD areas,
microcluster ranks, and the key of the on-disk cache of national tables.

Used by :mod:`creative_clusters.workflows.evidence`; pure functions on
DataFrames except :func:`cache_key`, which reads file sizes and times.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pandas as pd

from creative_clusters.benchmarking.framework import lad_column
from creative_clusters.geography.lookups import to_lad_vintage
from creative_clusters.kinds import LAD_VINTAGE

__all__ = ["CACHE_DIR", "LAD_VINTAGE", "cache_key", "lad_areas_km2", "micro_in_place", "n_qualifying",
           "rank_microclusters", "to_lad_vintage"]


CACHE_DIR = "cache"


def cache_key(home: Path, framework: str, year: Any, detect_clusters: bool) -> str | None:
    """A digest of everything the national tables depend on: the warehouse files (name, size,
    mtime), the geometry layers, this package's source files and the arguments."""
    import hashlib

    db = home / "warehouse.duckdb"
    if not db.exists():
        return None
    h = hashlib.sha256(repr((framework, None if year is None else str(year), detect_clusters)).encode())
    pkg = Path(__file__).resolve().parents[1]
    files = [db, home / "warehouse.duckdb.wal"]
    geo = home / "geometry"
    if geo.is_dir():
        files += sorted(geo.rglob("*"))
    files += sorted(pkg.rglob("*.py")) + sorted(pkg.rglob("*.yaml"))
    for f in files:
        try:
            st = f.stat()
        except OSError:
            continue
        h.update(f"{f}|{st.st_size}|{st.st_mtime_ns}\n".encode())
    return h.hexdigest()[:24]


def lad_areas_km2(geometry: Any) -> pd.Series:
    """Area in km² of each polygon (by ``geo_code``), measured in EPSG:27700 (British National Grid)."""
    g = geometry.to_crs("EPSG:27700") if geometry.crs is not None else geometry
    area = pd.Series(g.geometry.area.to_numpy() / 1e6, index=g["geo_code"].astype(str).to_numpy())
    return area.groupby(level=0).sum()


def rank_microclusters(table: pd.DataFrame | None) -> pd.DataFrame | None:
    """Add ``national_rank`` (1 = largest, ties share the better rank) over the whole table.

    The size is ``n_firms_hub_weighted`` (registered-office hubs count as at
    most ``--hub-cap`` firms, as when the clusters were found;
    :func:`~creative_clusters.microclusters.hubs.hub_weights`), or
    ``n_firms`` in a table without it (runs before that column, or the
    distributed command's). Every microcluster meeting the minimum size is
    larger than every one that does not, so the rank of a listed
    microcluster is the same whether or not the set-aside small ones are
    counted.

    Examples
    --------
    >>> t = pd.DataFrame({"microcluster_id": ["a", "b", "c"], "n_firms": [60, 90, 60]})
    >>> rank_microclusters(t)["national_rank"].tolist()
    [2, 1, 2]
    >>> t["n_firms_hub_weighted"] = [60.0, 55.0, 58.0]  # b's 90 firms include 35 beyond a hub's cap
    >>> rank_microclusters(t)["national_rank"].tolist()
    [1, 3, 2]
    """
    if table is None or "national_rank" in table.columns:
        return table
    size = next((c for c in ("n_firms_hub_weighted", "n_firms") if c in table.columns), None)
    if size is None:
        return table
    out = table.copy()
    out["national_rank"] = pd.to_numeric(out[size], errors="coerce").rank(
        ascending=False, method="min").astype("Int64")
    return out


def full_size(table: pd.DataFrame) -> tuple[pd.DataFrame, int]:
    """The microclusters that meet the run's minimum size, and how many did not.

    A DBSCAN cluster can end below ``--min-firms`` when its border firms went
    to a neighbouring cluster; packs and the ``anchors`` command report only
    the full-size ones (all rows when there is no ``meets_min_firms`` column).

    Examples
    --------
    >>> t = pd.DataFrame({"microcluster_id": ["MC0001", "MC0002"], "meets_min_firms": [True, False]})
    >>> kept, n_small = full_size(t)
    >>> list(kept["microcluster_id"]), n_small
    (['MC0001'], 1)
    """
    if "meets_min_firms" not in table.columns:
        return table, 0
    keep = table["meets_min_firms"].astype("boolean").fillna(False).astype(bool)
    return table[keep], int((~keep).sum())


def n_qualifying(table: pd.DataFrame | None) -> int | None:
    return None if table is None else len(full_size(table)[0])


def micro_in_place(table: pd.DataFrame | None, members: Iterable[str]) -> pd.DataFrame | None:
    """Microclusters whose (2023) LAD is in the place; ``lad23_code`` preferred over ``lad_code``."""
    if table is None:
        return None
    col = "lad23_code" if "lad23_code" in table.columns else lad_column(table)
    if col is None:
        return None
    return table[table[col].astype(str).isin(set(members))].reset_index(drop=True)
