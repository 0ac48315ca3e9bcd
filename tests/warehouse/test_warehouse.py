"""Warehouse: atomic, idempotent imports; catalogue; verify; export round trip.

The datasets here are SYNTHETIC (hand-made in the test) unless a test uses the
``data_root`` fixture.
"""

from __future__ import annotations

import inspect
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import creative_clusters.warehouse as warehouse_module
from creative_clusters.errors import DataSourceError, SchemaError, WarehouseError
from creative_clusters.sources._base import DatasetSpec, ImportResult
from creative_clusters.warehouse import Warehouse


def _fail_on_write(monkeypatch, after: int) -> None:
    """Make the import fail inside its transaction, after ``after`` datasets were written.

    The catalogue checksum is computed once per dataset, after its rows and
    tables are written; the call for dataset number ``after`` (0-based) raises.
    """
    real = warehouse_module.file_sha256_combined
    calls = []

    def failing(files):
        calls.append(files)
        if len(calls) > after:
            raise RuntimeError(f"injected failure while writing dataset {len(calls) - 1}")
        return real(files)

    monkeypatch.setattr(warehouse_module, "file_sha256_combined", failing)


def _obs(dataset: str, values: list[float | None], flags: list[str]) -> pd.DataFrame:
    n = len(values)
    return pd.DataFrame(
        {
            "dataset": [dataset] * n,
            "dataset_vintage": ["2025"] * n,
            "geo_code": [f"E0600000{i}" for i in range(1, n + 1)],
            "geo_type": ["lad"] * n,
            "geo_vintage": ["2023"] * n,
            "industry_scheme": ["SIC2007"] * n,
            "industry_code": ["5911"] * n,
            "period": ["2025"] * n,
            "measure": ["enterprises"] * n,
            "value": [np.nan if v is None else v for v in values],
            "disclosure_flag": flags,
        }
    )


def _spec(dataset: str, frame: pd.DataFrame, files: tuple[str, ...] = ("a.csv",), **tables) -> DatasetSpec:
    return DatasetSpec(
        id=dataset, title=f"Synthetic {dataset}", publisher="test", licence="OGL",
        source_url="https://example.invalid", vintage="2025", files=files,
        reader=lambda root: ImportResult(observations=frame, tables=dict(tables), coverage="synthetic"),
    )


@pytest.fixture()
def root(tmp_path: Path) -> Path:
    r = tmp_path / "data"
    r.mkdir()
    (r / "a.csv").write_text("x\n1\n")
    (r / "b.csv").write_text("y\n2\n")
    return r


def _snapshot(wh: Warehouse) -> tuple:
    obs = wh.query("SELECT * FROM observations ORDER BY ALL")
    cat = wh.query("SELECT id, row_count, checksum FROM catalogue ORDER BY id")
    tabs = wh.query("SELECT table_name FROM information_schema.tables ORDER BY 1")
    return (obs.to_csv(), cat.to_csv(), tabs.to_csv())


def test_import_stores_rows_flags_and_catalogue(tmp_path, root):
    frame = _obs("ds_a", [5, None, 10], ["rounded", "suppressed", "rounded"])
    with Warehouse(tmp_path / "home") as wh:
        reports = wh.import_datasets([_spec("ds_a", frame)], root)
        assert reports[0].rows == 3
        got = wh.observations(dataset="ds_a").sort_values("geo_code")
        assert got["value"].isna().tolist() == [False, True, False]
        assert got["disclosure_flag"].tolist() == ["rounded", "suppressed", "rounded"]
        cat = wh.datasets()
        assert cat.loc[0, "row_count"] == 3
        assert len(cat.loc[0, "checksum"]) == 64


def test_reimport_is_idempotent(tmp_path, root):
    frame = _obs("ds_a", [5, 6], ["rounded", "rounded"])
    with Warehouse(tmp_path / "home") as wh:
        wh.import_datasets([_spec("ds_a", frame)], root)
        first = wh.query("SELECT * FROM observations ORDER BY ALL")
        wh.import_datasets([_spec("ds_a", frame)], root)
        second = wh.query("SELECT * FROM observations ORDER BY ALL")
    pd.testing.assert_frame_equal(first, second)


def test_failure_in_reader_leaves_warehouse_unchanged(tmp_path, root):
    good = _spec("ds_a", _obs("ds_a", [1, 2], ["rounded"] * 2), ref_things=pd.DataFrame({"a": [1]}))
    with Warehouse(tmp_path / "home") as wh:
        wh.import_datasets([good], root)
        before = _snapshot(wh)

        def broken(root):
            raise SchemaError("synthetic failure while reading")

        bad = DatasetSpec(id="ds_b", title="b", publisher="t", licence="OGL", source_url="",
                          vintage="1", files=("b.csv",), reader=broken)
        changed = _spec("ds_a", _obs("ds_a", [100, 200], ["rounded"] * 2))
        with pytest.raises(SchemaError, match="synthetic failure"):
            wh.import_datasets([changed, bad], root)
        assert _snapshot(wh) == before


def test_failure_midway_through_write_rolls_back(tmp_path, root, monkeypatch):
    a1 = _spec("ds_a", _obs("ds_a", [1, 2], ["rounded"] * 2))
    with Warehouse(tmp_path / "home") as wh:
        wh.import_datasets([a1], root)
        before = _snapshot(wh)
        a2 = _spec("ds_a", _obs("ds_a", [7, 8], ["rounded"] * 2), ref_new=pd.DataFrame({"x": [1]}))
        b = _spec("ds_b", _obs("ds_b", [3], ["rounded"]), files=("b.csv",))
        _fail_on_write(monkeypatch, after=1)  # ds_a written, then boom while writing ds_b
        with pytest.raises(RuntimeError, match="injected failure"):
            wh.import_datasets([a2, b], root)
        assert _snapshot(wh) == before
        assert not wh.has_table("ref_new")


def test_import_signature_has_no_test_hooks():
    params = inspect.signature(Warehouse.import_datasets).parameters
    assert [p for p in params if p.startswith("_")] == []


def test_failed_import_leaves_no_geometry_files(tmp_path, root, monkeypatch):
    gpd = pytest.importorskip("geopandas")
    from shapely.geometry import Point

    gdf = gpd.GeoDataFrame({"geo_code": ["x"]}, geometry=[Point(0, 0)], crs=4326)
    spec = DatasetSpec(
        id="ds_g", title="g", publisher="t", licence="OGL", source_url="", vintage="1",
        files=("a.csv",), reader=lambda r: ImportResult(geometries={"layer_x": gdf}),
    )
    with Warehouse(tmp_path / "home") as wh:
        with monkeypatch.context() as m:
            _fail_on_write(m, after=0)
            with pytest.raises(RuntimeError, match="injected failure"):
                wh.import_datasets([spec], root)
        assert not wh.geometry_path("layer_x").exists()
        assert list(wh.geometry_dir.iterdir()) == []
        wh.import_datasets([spec], root)
        assert wh.read_geometry("layer_x")["geo_code"].tolist() == ["x"]


def test_duplicate_keys_and_bad_flags_are_rejected(tmp_path, root):
    dup = pd.concat([_obs("ds_a", [1], ["rounded"])] * 2)
    with Warehouse(tmp_path / "home") as wh:
        with pytest.raises(SchemaError, match="share the same key"):
            wh.import_datasets([_spec("ds_a", dup)], root)
        with pytest.raises(SchemaError, match="unknown disclosure flag"):
            wh.import_datasets([_spec("ds_a", _obs("ds_a", [1], ["maybe"]))], root)
        with pytest.raises(SchemaError, match="suppressed cell"):
            wh.import_datasets([_spec("ds_a", _obs("ds_a", [0], ["suppressed"]))], root)
        assert wh.is_empty()


def test_missing_file_and_missing_dir(tmp_path, root):
    with Warehouse(tmp_path / "home") as wh:
        spec = _spec("ds_a", _obs("ds_a", [1], ["rounded"]), files=("nope.csv",))
        with pytest.raises(DataSourceError, match=r"nope\.csv"):
            wh.import_datasets([spec], root)
        with pytest.raises(DataSourceError, match=r"not a directory|does not exist"):
            wh.import_datasets([spec], tmp_path / "absent")


def test_verify_detects_changed_and_missing_files(tmp_path, root):
    with Warehouse(tmp_path / "home") as wh:
        wh.import_datasets([_spec("ds_a", _obs("ds_a", [1], ["rounded"]), files=("a.csv", "b.csv"))], root)
        assert set(wh.verify(root)["status"]) == {"ok"}
        (root / "a.csv").write_text("x\n2\n")
        (root / "b.csv").unlink()
        res = wh.verify(root).set_index("path")["status"]
        assert res["a.csv"] == "changed" and res["b.csv"] == "missing"


def test_read_only_refuses_writes_and_missing_warehouse(tmp_path, root):
    with pytest.raises(WarehouseError, match="data import"):
        Warehouse(tmp_path / "nohome", read_only=True)
    Warehouse(tmp_path / "home").close()
    with Warehouse(tmp_path / "home", read_only=True) as wh, pytest.raises(WarehouseError):
        wh.import_datasets([], root)


def test_observation_filters_are_bound_not_interpolated(tmp_path, root):
    with Warehouse(tmp_path / "home") as wh:
        wh.import_datasets([_spec("ds_a", _obs("ds_a", [1], ["rounded"]))], root)
        assert wh.observations(geo_code="x' OR '1'='1").empty
        with pytest.raises(WarehouseError, match="no column"):
            wh.observations(**{"geo_code; DROP TABLE observations": "x"})
        with pytest.raises(WarehouseError, match="not valid"):
            wh.table("x; DROP TABLE observations")


def test_verify_finds_files_imported_from_another_root(tmp_path, root):
    other = tmp_path / "elsewhere"
    other.mkdir()
    (other / "firms.csv").write_text("f\n1\n")
    with Warehouse(tmp_path / "home") as wh:
        wh.import_datasets([_spec("ds_a", _obs("ds_a", [1], ["rounded"]))], root)
        wh.import_datasets([_spec("ds_b", _obs("ds_b", [2], ["rounded"]), files=("firms.csv",))], other)
        res = wh.verify(root).set_index("path")["status"]
    assert res["a.csv"] == "ok" and res["firms.csv"] == "ok"


def test_warehouse_in_use_by_another_process_is_a_clear_error(tmp_path):
    import subprocess
    import sys
    import time

    home = tmp_path / "home"
    Warehouse(home).close()
    holder = subprocess.Popen(
        [sys.executable, "-c",
         "import duckdb, sys, time; c = duckdb.connect(sys.argv[1]); print('ok', flush=True); time.sleep(30)",
         str(home / "warehouse.duckdb")],
        stdout=subprocess.PIPE, text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "ok"
        with pytest.raises(WarehouseError, match="in use"):
            Warehouse(home)
    finally:
        holder.kill()
        holder.wait()
    time.sleep(0.1)
    Warehouse(home).close()  # free again
