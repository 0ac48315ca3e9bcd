"""Scale past one machine: microclusters and evidence packs on a Dask cluster.

- :mod:`.tiles` cuts the plane into tiles with a halo of ``eps``;
- :mod:`.dbscan` runs the single-machine kernel on each tile and returns
  labels identical to it (:func:`dbscan_points`, :func:`run_tiled`);
- :mod:`.merge` is the client-side union-find over the tiles' clusters;
- :mod:`.points` reads Parquet/CSV in partitions (dask.dataframe) and writes
  partitioned Parquet plus a summary (:func:`microclusters_distributed`);
- :mod:`.packs` builds evidence packs on the workers, collecting failures;
- :mod:`.cluster` turns ``--scheduler local|ADDRESS`` into a ``distributed.Client``.

Everything that needs Dask imports it when called; without the
``distributed`` extra the error names the install command.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

__all__ = [
    "SerialExecutor",
    "Tiling",
    "build_packs_distributed",
    "connect",
    "dbscan_points",
    "make_tiling",
    "merge_summaries",
    "microclusters_distributed",
    "run_tiled",
]

_WHERE = {
    "SerialExecutor": "dbscan",
    "dbscan_points": "dbscan",
    "run_tiled": "dbscan",
    "Tiling": "tiles",
    "make_tiling": "tiles",
    "merge_summaries": "merge",
    "microclusters_distributed": "points",
    "build_packs_distributed": "packs",
    "connect": "cluster",
}


def __getattr__(name: str) -> Any:
    if name in _WHERE:
        return getattr(import_module(f"creative_clusters.distributed.{_WHERE[name]}"), name)
    raise AttributeError(f"module 'creative_clusters.distributed' has no attribute {name!r}")
