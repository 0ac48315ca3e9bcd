"""The national tables are cached in the process by warehouse content, never as loadable files on disk."""

from __future__ import annotations

import shutil

import pandas as pd

from creative_clusters.sources._base import DatasetSpec, ImportResult
from creative_clusters.warehouse import Warehouse
from creative_clusters.workflows.pack_data import load_national


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
    # on disk: data only (Parquet and JSON), never a pickle another install could load as code
    cached = [p for p in (home / "cache").rglob("*") if p.is_file()]
    assert cached and {p.suffix for p in cached} <= {".parquet", ".json"}
    # a new process (an empty in-process cache) rebuilds the same tables from those files
    from creative_clusters.workflows import pack_data

    pack_data._NATIONAL_CACHE.clear()
    d = load_national(home)
    assert d is not a
    pd.testing.assert_frame_equal(d.enterprises, a.enterprises)
    pd.testing.assert_frame_equal(d.indicators, a.indicators)
    assert d.names == a.names and d.missing == a.missing
    # an import (any change of the catalogue) gives a new key
    with Warehouse(home) as wh:
        wh.import_datasets([DatasetSpec(id="touch", title="Synthetic touch", publisher="tests", licence="n/a",
                                        source_url="", vintage="1", files=(),
                                        reader=lambda _root: ImportResult())], tmp_path)
    c = load_national(home)
    assert c is not a and c is not d
    pd.testing.assert_frame_equal(c.enterprises, a.enterprises)
    assert len(list((home / "cache" / "evidence-national").iterdir())) == 1  # the old key is pruned
