"""Microclusters: density-based clusters of creative firm points (docs/methods.md §3).

Firm files are read, filtered to creative firms and geocoded in the I/O layer
(:mod:`creative_clusters.sources.firm_files`, :mod:`creative_clusters.sources.companies_house`,
:mod:`creative_clusters.sources.postcodes`); this package takes the located firms as a table.

- :mod:`.dbscan` is an exact grid DBSCAN (same result as scikit-learn, much faster);
- :mod:`.hierarchy` splits clusters wider than a neighbourhood (the default method),
  :mod:`.methods` runs split / dbscan / hdbscan alike, :mod:`.hubs` handles
  registered-office hubs, :mod:`.engine` runs them in a forked child whose
  kernels load while the caller reads its firms;
- :mod:`.describe`, :mod:`.hulls`, :mod:`.stability`, :mod:`.sweep` describe and test the clusters;
- :mod:`.outputs` runs the pipeline and writes files; :mod:`.runs` stores each
  run as its own warehouse version with provenance and coverage
  (:func:`current_run` is what packs, maps and the web read).

Every name is imported when first used: reading a run's provenance
(:mod:`.runs`, as every evidence pack does) loads neither numba (0.4 s) nor
shapely. The function ``dbscan`` shadows the module of that name: when the
import system binds the submodule ``dbscan`` to this package (after its first
import, from anywhere), the package keeps the function instead.
"""

from __future__ import annotations

import sys
import types
from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from creative_clusters.microclusters.dbscan import GridDBSCAN, dbscan

__all__ = [
    "GridDBSCAN",
    "attach_areas",
    "cluster_points",
    "current_run",
    "dbscan",
    "detect_microclusters",
    "list_runs",
    "split_dbscan",
    "warehouse_spec",
    "write_outputs",
]

_WHERE = {
    "dbscan": "dbscan",
    "GridDBSCAN": "dbscan",
    "split_dbscan": "hierarchy",
    "cluster_points": "methods",
    "attach_areas": "outputs",
    "detect_microclusters": "outputs",
    "warehouse_spec": "outputs",
    "write_outputs": "outputs",
    "current_run": "runs",
    "list_runs": "runs",
}


def __getattr__(name: str) -> Any:
    if name in _WHERE:
        return getattr(import_module(f"creative_clusters.microclusters.{_WHERE[name]}"), name)
    raise AttributeError(f"module 'creative_clusters.microclusters' has no attribute {name!r}")


class _Package(types.ModuleType):
    """This package's module type: the submodule ``dbscan``, once imported, is bound as its function."""

    def __setattr__(self, name: str, value: Any) -> None:
        if name == "dbscan" and isinstance(value, types.ModuleType):
            value = value.dbscan
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _Package
