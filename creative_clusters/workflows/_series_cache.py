"""The packs' series tables on disk: trajectory data, one table per level, wider-area growth.

Every ``evidence`` command is a new process, and its first pack used to read
the creative-enterprise series from the warehouse and rank every place of the
pack's level (about 1 s of a 4-format pack) before drawing anything. These
tables depend only on the warehouse's content and this package's code, so
they are kept beside the national tables, under
``<home>/cache/evidence-series/<national cache key>/``: the
:class:`~creative_clusters.workflows.trajectory.TrajectoryData` as data (see
:mod:`creative_clusters.workflows._table_cache`), each level's table and each
NUTS2 area's employment growth (section 3's wider-area block) as Parquet,
written when first computed (atomically) and read by later processes.
Without a cache key (national tables read with ``cache=False``) nothing is
read or written.
"""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from creative_clusters.workflows import _table_cache

if TYPE_CHECKING:
    from creative_clusters.workflows._trajectory_data import TrajectoryData
    from creative_clusters.workflows.pack_data import NationalData

__all__ = ["load_data", "load_table", "save_data", "save_table"]

ROOT = "evidence-series"


def _folder(nd: NationalData) -> Path | None:
    if not nd.home or not nd.cache_key:
        return None
    return Path(nd.home) / "cache" / ROOT / nd.cache_key


def load_data(nd: NationalData) -> TrajectoryData | None:
    """The cached trajectory data of ``nd``'s warehouse version, or None."""
    from creative_clusters.workflows._trajectory_data import TrajectoryData

    folder = _folder(nd)
    return None if folder is None else _table_cache.load(folder, "data", TrajectoryData)


def save_data(nd: NationalData, data: TrajectoryData) -> None:
    """Keep ``data`` for later processes (older versions' folders are removed)."""
    folder = _folder(nd)
    if folder is None:
        return
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return
    _table_cache.prune(folder.parent, keep=folder.name)
    _table_cache.save(folder, "data", data)


def load_table(nd: NationalData, name: str) -> pd.DataFrame | None:
    """The cached table ``name`` (e.g. ``trajectory-lad``), or None."""
    folder = _folder(nd)
    path = None if folder is None else folder / f"{name}.parquet"
    if path is None or not path.exists():
        return None
    try:
        return pd.read_parquet(path)
    except (OSError, ValueError):  # unreadable: recompute
        return None


def save_table(nd: NationalData, name: str, table: pd.DataFrame) -> None:
    """Write ``table`` as ``name`` atomically (a failure to write only costs the next process time)."""
    from creative_clusters.reporting._io import atomic_write_bytes

    folder = _folder(nd)
    if folder is None:
        return
    with contextlib.suppress(OSError, ValueError, TypeError):
        atomic_write_bytes(folder / f"{name}.parquet", table.to_parquet())
