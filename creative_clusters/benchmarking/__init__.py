"""Benchmarking: the growth-potential framework, peers and percentiles (pure functions)."""

from creative_clusters.benchmarking.framework import (
    Framework,
    indicator_table,
    indicator_values,
    load_framework,
)
from creative_clusters.benchmarking.peers import choose_peers, peer_features
from creative_clusters.benchmarking.percentiles import (
    composite_score,
    percentile_rank,
    percentiles,
    sensitivity,
)

__all__ = [
    "Framework",
    "choose_peers",
    "composite_score",
    "indicator_table",
    "indicator_values",
    "load_framework",
    "peer_features",
    "percentile_rank",
    "percentiles",
    "sensitivity",
]
