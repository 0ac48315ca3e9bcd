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


def test_real_national_tables_are_cached_on_disk(full_home, tmp_path, monkeypatch):
    """Every field of the real national tables (deprivation indices included) is stored, so a
    second process skips the warehouse read; the reloaded tables equal the fresh ones."""
    home = tmp_path / "home"
    shutil.copytree(full_home, home, ignore=shutil.ignore_patterns("cache"))
    a = load_national(home)
    root = home / "cache" / "evidence-national"
    keys = [p for p in root.iterdir() if p.is_dir() and not p.name.startswith(".")]
    assert len(keys) == 1 and (keys[0] / "manifest.json").exists(), "the national tables were not cached"
    from creative_clusters.workflows import pack_data

    pack_data._NATIONAL_CACHE.clear()

    def no_read(*_a: object, **_k: object) -> None:
        raise AssertionError("the cache on disk was not used: the warehouse was read again")

    monkeypatch.setattr(pack_data, "_load_national", no_read)
    b = load_national(home)
    assert b is not a
    assert b.lq is not None and b.lq.lq.equals(a.lq.lq)
    assert a.deprivation, "the reference data has deprivation indices"
    assert b.deprivation.keys() == a.deprivation.keys()
    for kind, (ds, vintage, rows) in a.deprivation.items():
        ds_b, vintage_b, rows_b = b.deprivation[kind]
        assert (ds_b, vintage_b) == (ds, vintage)
        pd.testing.assert_frame_equal(rows_b, rows)
    pd.testing.assert_series_equal(b.population, a.population)


def test_series_tables_are_cached_on_disk(full_home, tmp_path, monkeypatch):
    """The packs' trajectory data and level tables are kept beside the national tables: a second
    process reads them instead of the warehouse and builds the same pack, byte for byte."""
    from creative_clusters.workflows import _series_cache, pack_data
    from creative_clusters.workflows import _trajectory_data as tdata
    from creative_clusters.workflows import _trajectory_table as ttable
    from creative_clusters.workflows.evidence import build_pack

    home = tmp_path / "home"
    shutil.copytree(full_home, home, ignore=shutil.ignore_patterns("cache"))
    _, first = build_pack("Sheffield", home=home, out=tmp_path / "a", formats=("html", "xlsx"),
                          build_date="2025-01-01")
    folder = home / "cache" / _series_cache.ROOT
    keys = [p for p in folder.iterdir() if p.is_dir()]
    assert len(keys) == 1
    names = {p.name for p in keys[0].iterdir()}
    assert {"data", "trajectory-lad.parquet", "series-lad.parquet"} <= names
    assert any(n.startswith("nuts2-") for n in names)  # section 3's wider-area growth
    # the data come back as they were, catalogue entries and their tuples included
    nd = load_national(home)
    data = _series_cache.load_data(nd)
    assert data is not None and isinstance(data.active_sources, tuple) and isinstance(data.notes, tuple)
    assert data.source == nd.trajectory.source and data.active_sources == nd.trajectory.active_sources
    pd.testing.assert_frame_equal(data.series, nd.trajectory.series)
    # a "new process": empty in-process caches, and reading the series from the warehouse fails
    pack_data._NATIONAL_CACHE.clear()
    ttable._TABLES.clear()

    def no_read(*_a: object, **_k: object) -> None:
        raise AssertionError("the series cache on disk was not used: the warehouse was read again")

    monkeypatch.setattr(tdata, "_load", no_read)
    monkeypatch.setattr(ttable, "_trajectory_table", no_read)
    from creative_clusters.workflows import wider_area

    monkeypatch.setattr(wider_area, "wider_area_growth", no_read)
    _, second = build_pack("Sheffield", home=home, out=tmp_path / "b", formats=("html", "xlsx"),
                           build_date="2025-01-01")
    for a, b in zip(first, second, strict=True):
        assert a.read_bytes() == b.read_bytes(), a.name
