"""The dataset catalogue: every dataset the toolkit can import from files.

Each source module defines ``DATASETS: list[DatasetSpec]``; this module
collects them in a fixed order (geography and classifications first, since
other importers check codes against them).
"""

from __future__ import annotations

from importlib import import_module

from creative_clusters.errors import UnknownCodeError
from creative_clusters.sources._base import DatasetSpec

__all__ = ["all_datasets", "get_dataset"]

_MODULES = (
    "creative_clusters.sources.geography",
    "creative_clusters.sources.classifications",
    "creative_clusters.sources.business_counts",
    "creative_clusters.sources.business_counts_timeseries",
    "creative_clusters.sources.business_demography",
    "creative_clusters.sources.local_indicators",
    "creative_clusters.sources.deprivation",
    "creative_clusters.sources.bres_nuts2",
    "creative_clusters.sources.census2021",
    "creative_clusters.sources.anchors",
    "creative_clusters.sources.ons_adhoc",
    "creative_clusters.sources.firms",
)


def all_datasets() -> list[DatasetSpec]:
    """Every registered dataset, in import order.

    Examples
    --------
    >>> specs = all_datasets()
    >>> len({s.id for s in specs}) == len(specs)  # each id once
    True
    >>> next(s for s in specs if s.id == "business_counts_series").kind
    'creative_enterprises_series'
    """
    specs: list[DatasetSpec] = []
    seen: set[str] = set()
    for name in _MODULES:
        for spec in getattr(import_module(name), "DATASETS", []):
            if spec.id in seen:
                raise RuntimeError(f"dataset id {spec.id!r} registered twice ({name})")
            seen.add(spec.id)
            specs.append(spec)
    return specs


def get_dataset(dataset_id: str) -> DatasetSpec:
    """Look up one dataset by id; unknown ids list the known ones."""
    specs = {s.id: s for s in all_datasets()}
    if dataset_id not in specs:
        raise UnknownCodeError(
            f"unknown dataset {dataset_id!r}; known datasets: {sorted(specs)}"
        )
    return specs[dataset_id]
