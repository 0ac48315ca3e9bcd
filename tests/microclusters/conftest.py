"""Fixtures of the microclusters tests: the real South Yorkshire file, read once."""

from __future__ import annotations

import warnings

import pytest

CH_FILE = "firms/companieshouse_southyorkshire_2024-11-01.csv.gz"


@pytest.fixture(scope="session")
def sy_raw(data_root):
    """The Companies House South Yorkshire extract as read by ``read_firm_file``."""
    from creative_clusters.sources.firm_files import read_firm_file

    return read_firm_file(data_root / CH_FILE)


@pytest.fixture(scope="session")
def sy_creative(sy_raw):
    """(firms, report) of its creative firms, all statuses."""
    from creative_clusters.sources.firm_files import prepare_firms

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return prepare_firms(sy_raw, status="all")
