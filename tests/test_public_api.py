"""The curated public API: pinned, and every name resolves (httpx's test_exported_members)."""

from __future__ import annotations

import creative_clusters

EXPECTED = {
    "__version__", "Warehouse", "all_datasets", "DEFINITION_VERSION", "creative_classes",
    "resolve_subsector", "resolve_place", "location_quotient", "shares", "growth", "shift_share",
    "specialisation", "hoover_index", "krugman_dissimilarity", "locational_gini",
    "aggregate_counts", "ThresholdClusters", "StrongClusters", "HotspotClusters", "Corridors",
    "GridDBSCAN", "dbscan", "build_profile", "build_pack",
}


def test_all_is_pinned():
    assert set(creative_clusters.__all__) == EXPECTED


def test_every_public_name_resolves():
    for name in creative_clusters.__all__:
        assert getattr(creative_clusters, name) is not None, name


def test_estimators_follow_the_contract_names():
    for name in ("ThresholdClusters", "StrongClusters", "HotspotClusters", "Corridors"):
        cls = getattr(creative_clusters, name)
        assert hasattr(cls, "fit") and hasattr(cls, "fit_predict")
