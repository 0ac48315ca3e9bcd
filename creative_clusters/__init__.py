"""creative-clusters: turn official UK statistics into evidence about creative clusters.

Map, measure, benchmark, connect and explain creative clusters from ONS, Nomis
and DCMS statistics held in an embedded DuckDB warehouse.

The names below are the curated public API. They are imported lazily (on
first use), so ``import creative_clusters`` and the command line stay fast.

Examples
--------
>>> import creative_clusters as cc
>>> cc.resolve_subsector("games")
'IT, software and computer services'
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

from creative_clusters._version import __version__

_EXPORTS: dict[str, str] = {
    # warehouse and data
    "Warehouse": "creative_clusters.warehouse",
    "all_datasets": "creative_clusters.sources.registry",
    # classifications and places
    "DEFINITION_VERSION": "creative_clusters.classifications.dcms",
    "creative_classes": "creative_clusters.classifications.dcms",
    "resolve_subsector": "creative_clusters.classifications.dcms",
    "resolve_place": "creative_clusters.workflows.places",
    # indicators
    "location_quotient": "creative_clusters.indicators",
    "shares": "creative_clusters.indicators",
    "growth": "creative_clusters.indicators",
    "shift_share": "creative_clusters.indicators",
    "specialisation": "creative_clusters.indicators",
    "hoover_index": "creative_clusters.indicators",
    "krugman_dissimilarity": "creative_clusters.indicators",
    "locational_gini": "creative_clusters.indicators",
    "aggregate_counts": "creative_clusters.indicators",
    # detectors
    "ThresholdClusters": "creative_clusters.clusters",
    "StrongClusters": "creative_clusters.clusters",
    "HotspotClusters": "creative_clusters.clusters",
    "Corridors": "creative_clusters.clusters",
    "GridDBSCAN": "creative_clusters.microclusters",
    "dbscan": "creative_clusters.microclusters",
    # workflows
    "build_profile": "creative_clusters.workflows.profile",
    "build_pack": "creative_clusters.workflows.evidence",
}

__all__ = ["__version__", *sorted(_EXPORTS)]


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        value = getattr(import_module(_EXPORTS[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'creative_clusters' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(__all__)
