"""The national tables are cached in the process by warehouse content, never as loadable files on disk."""

from __future__ import annotations

import shutil

import pandas as pd

from creative_clusters.sources._base import DatasetSpec, ImportResult
from creative_clusters.warehouse import Warehouse
from creative_clusters.workflows.evidence import load_national


def test_cache_is_reused_and_invalidated(synthetic_home, tmp_path):
    home = tmp_path / "home"
    shutil.copytree(synthetic_home, home, ignore=shutil.ignore_patterns("cache"))
    a = load_national(home)
    b = load_national(home)
    assert b is a  # the same warehouse content: reused
    # the cached tables equal a fresh read
    nd = load_national(home, cache=False)
    pd.testing.assert_frame_equal(nd.indicators, b.indicators)
    pd.testing.assert_frame_equal(nd.enterprises, b.enterprises)
    # nothing is written under the home folder (no pickle that another install could load as code)
    assert not any(p.suffix in (".pkl", ".pickle") for p in home.rglob("*"))
    # an import (any change of the catalogue) gives a new key
    with Warehouse(home) as wh:
        wh.import_datasets([DatasetSpec(id="touch", title="Synthetic touch", publisher="tests", licence="n/a",
                                        source_url="", vintage="1", files=(),
                                        reader=lambda _root: ImportResult())], tmp_path)
    c = load_national(home)
    assert c is not a
    pd.testing.assert_frame_equal(c.enterprises, a.enterprises)
