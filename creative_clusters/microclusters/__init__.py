"""Microclusters: density-based clusters of creative firm points (methods.md §3).

- :mod:`.firms` reads Companies House or plain firm lists and keeps creative firms;
- :mod:`.geocode` places postcodes in British National Grid metres (ONSPD);
- :mod:`.dbscan` is an exact grid DBSCAN (same result as scikit-learn, much faster);
- :mod:`.hulls`, :mod:`.stability`, :mod:`.sweep` describe and test the clusters;
- :mod:`.outputs` runs the pipeline and writes files / warehouse tables.
"""

from creative_clusters.microclusters.dbscan import GridDBSCAN, dbscan
from creative_clusters.microclusters.firms import load_creative_firms, prepare_firms, read_firm_file
from creative_clusters.microclusters.outputs import (
    attach_areas,
    detect_microclusters,
    warehouse_spec,
    write_outputs,
)

__all__ = [
    "GridDBSCAN",
    "attach_areas",
    "dbscan",
    "detect_microclusters",
    "load_creative_firms",
    "prepare_firms",
    "read_firm_file",
    "warehouse_spec",
    "write_outputs",
]
