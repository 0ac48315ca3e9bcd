"""The on-disk cache of national tables: reused when nothing changed, rebuilt when the warehouse does."""

from __future__ import annotations

import os
import shutil

import pandas as pd

from creative_clusters.workflows.evidence import load_national


def test_cache_is_reused_and_invalidated(synthetic_home, tmp_path):
    home = tmp_path / "home"
    shutil.copytree(synthetic_home, home, ignore=shutil.ignore_patterns("cache"))
    a = load_national(home)
    files = list((home / "cache").glob("evidence-national-*.pkl"))
    assert len(files) == 1
    b = load_national(home)
    pd.testing.assert_frame_equal(a.enterprises, b.enterprises)
    assert b.names == a.names
    # the cached tables equal a fresh read
    nd = load_national(home, cache=False)
    pd.testing.assert_frame_equal(nd.indicators, b.indicators)
    # any change to the warehouse file gives a new key (as after `data import`)
    db = home / "warehouse.duckdb"
    st = db.stat()
    os.utime(db, ns=(st.st_atime_ns, st.st_mtime_ns + 10_000_000_000))
    load_national(home)
    new = list((home / "cache").glob("evidence-national-*.pkl"))
    assert len(new) == 1 and new != files
