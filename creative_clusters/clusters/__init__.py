"""Cluster detectors: small estimators with ``fit(table) -> self`` and ``labels_``.

- :class:`ThresholdClusters`: Nesta's co-location rule (LQ thresholds + size).
- :class:`StrongClusters`: the US Cluster Mapping top-quartile rule.
- :class:`HotspotClusters`: Getis-Ord Gi* and LISA via esda, FDR-corrected.
- :class:`Corridors`: connected chains of detected clusters.
- :class:`TrajectoryClasses`: established / emerging / stable / declining (rules in YAML).
"""

from creative_clusters.clusters._base import ClusterDetector, NotFittedError
from creative_clusters.clusters.corridors import Corridors
from creative_clusters.clusters.hotspot import HotspotClusters, as_weights, load_esda
from creative_clusters.clusters.strong import StrongClusters
from creative_clusters.clusters.threshold import ThresholdClusters
from creative_clusters.clusters.trajectory import TrajectoryClasses, load_trajectory_rules

__all__ = [
    "ClusterDetector",
    "Corridors",
    "HotspotClusters",
    "NotFittedError",
    "StrongClusters",
    "ThresholdClusters",
    "TrajectoryClasses",
    "as_weights",
    "load_esda",
    "load_trajectory_rules",
]
