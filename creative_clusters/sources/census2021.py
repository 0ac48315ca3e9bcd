"""Importer for the `census2021` reference data (not yet written)."""

from __future__ import annotations

from creative_clusters.sources._base import DatasetSpec

DATASETS: list[DatasetSpec] = []
