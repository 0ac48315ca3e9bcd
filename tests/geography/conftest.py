"""Fixtures for the geography tests: one warehouse with only the geography datasets."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture(scope="session")
def geo_home(data_root: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A warehouse home with the five geography datasets imported (built once per session)."""
    from creative_clusters.sources.geography import DATASETS
    from creative_clusters.warehouse import Warehouse

    home = tmp_path_factory.mktemp("geo-home")
    with Warehouse(home) as wh:
        wh.import_datasets(DATASETS, data_root)
    return home


@pytest.fixture(scope="session")
def geo_wh(geo_home: Path):
    """A read-only connection to the geography warehouse."""
    from creative_clusters.warehouse import Warehouse

    wh = Warehouse(geo_home, read_only=True)
    yield wh
    wh.close()


@pytest.fixture(scope="session")
def areas(geo_wh):
    return geo_wh.table("areas")


@pytest.fixture(scope="session")
def hierarchy(geo_wh):
    return geo_wh.table("lad_hierarchy")
