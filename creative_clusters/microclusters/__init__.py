"""Microclusters: density-based clusters of creative firm points (methods.md §3).

Firm files are read, filtered to creative firms and geocoded in the I/O layer
(:mod:`creative_clusters.sources.firm_files`, :mod:`creative_clusters.sources.companies_house`,
:mod:`creative_clusters.sources.postcodes`); this package takes the located firms as a table.

- :mod:`.dbscan` is an exact grid DBSCAN (same result as scikit-learn, much faster);
- :mod:`.hierarchy` splits clusters wider than a neighbourhood (the default method),
  :mod:`.methods` runs split / dbscan / hdbscan alike, :mod:`.hubs` handles
  registered-office hubs;
- :mod:`.describe`, :mod:`.hulls`, :mod:`.stability`, :mod:`.sweep` describe and test the clusters;
- :mod:`.outputs` runs the pipeline and writes files; :mod:`.runs` stores each
  run as its own warehouse version with provenance and coverage
  (:func:`current_run` is what packs, maps and the web read).
"""

from creative_clusters.microclusters.dbscan import GridDBSCAN, dbscan
from creative_clusters.microclusters.hierarchy import split_dbscan
from creative_clusters.microclusters.methods import cluster_points
from creative_clusters.microclusters.outputs import (
    attach_areas,
    detect_microclusters,
    warehouse_spec,
    write_outputs,
)
from creative_clusters.microclusters.runs import current_run, list_runs

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
