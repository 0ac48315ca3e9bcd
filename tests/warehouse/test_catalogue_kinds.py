"""The catalogue decides which dataset serves a kind: latest vintage by default, any on request."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from creative_clusters import kinds
from creative_clusters._schema import OBS_COLUMNS
from creative_clusters.errors import WarehouseError
from creative_clusters.sources._base import DatasetSpec, ImportResult
from creative_clusters.warehouse import Warehouse


def _obs(dataset: str, period: str, value: float) -> pd.DataFrame:
    row = dict.fromkeys(OBS_COLUMNS, "")
    row.update(dataset=dataset, dataset_vintage=period, geo_code="E09000033", geo_type="lad",
               geo_vintage="2023", industry_scheme="DCMS_CI", industry_code="_T",
               occupation_scheme="", occupation_code="", status="", period=period,
               measure="enterprises", value=value, disclosure_flag="rounded")
    return pd.DataFrame([row])


def _spec(ds: str, vintage: str, period: str, value: float, kind: str = "test_kind") -> DatasetSpec:
    return DatasetSpec(id=ds, title=f"TEST fixture {ds}", publisher="tests", licence="n/a",
                       source_url="", vintage=vintage, files=(), kind=kind,
                       reader=lambda _root: ImportResult(observations=_obs(ds, period, value)))


@pytest.fixture()
def wh(tmp_path: Path):
    w = Warehouse(tmp_path / "home")
    yield w
    w.close()


def test_latest_vintage_serves_by_default_and_any_on_request(wh: Warehouse, tmp_path: Path) -> None:
    wh.import_datasets([_spec("t_2024", "2024", "2024", 10.0), _spec("t_2025", "2025", "2025", 20.0)], tmp_path)
    assert wh.find_dataset("test_kind").id == "t_2025"
    assert wh.find_dataset("test_kind", vintage="2024").id == "t_2024"
    assert wh.find_dataset("test_kind", period="2024").id == "t_2024"
    assert wh.find_dataset("test_kind", period="2019") is None
    assert wh.find_dataset("other_kind") is None
    assert [e.id for e in wh.catalogue_entries("test_kind")] == ["t_2024", "t_2025"]


def test_a_later_import_takes_over_and_removal_falls_back(wh: Warehouse, tmp_path: Path) -> None:
    wh.import_datasets([_spec("t_2025", "2025", "2025", 20.0)], tmp_path)
    v1 = wh.version()
    wh.import_datasets([_spec("t_2026", "2026-03", "2026", 30.0)], tmp_path)
    assert wh.find_dataset("test_kind").id == "t_2026"
    assert wh.version() != v1
    wh.con.execute("DELETE FROM catalogue WHERE id = 't_2026'")
    assert wh.find_dataset("test_kind").id == "t_2025"


def test_missing_period_error_lists_what_there_is(wh: Warehouse, tmp_path: Path) -> None:
    wh.import_datasets([_spec("t_2025", "2025", "2025", 20.0)], tmp_path)
    with pytest.raises(WarehouseError, match=r"years available: 2025 \(from t_2025 \(vintage 2025\)\)"):
        wh.require_dataset("test_kind", period="2019")
    with pytest.raises(WarehouseError, match="has no dataset of"):
        wh.require_dataset(kinds.CREATIVE_ENTERPRISES_SIC)


def test_every_registered_importer_declares_a_registered_kind() -> None:
    from creative_clusters.sources.registry import all_datasets

    for spec in all_datasets():
        if spec.kind:
            assert spec.kind in kinds.KINDS, spec.id
    declared = {s.kind for s in all_datasets() if s.kind}
    assert {kinds.CREATIVE_ENTERPRISES_SIC, kinds.ACTIVE_ENTERPRISES, kinds.CENSUS_INDUSTRY,
            kinds.DEPRIVATION_ENGLAND} <= declared


def test_real_catalogue_records_kinds(full_warehouse: Warehouse) -> None:
    ref = full_warehouse.require_dataset(kinds.CREATIVE_ENTERPRISES_SIC)
    assert ref.kind == kinds.CREATIVE_ENTERPRISES_SIC and ref.checksum
    imd = full_warehouse.require_dataset(kinds.DEPRIVATION_ENGLAND)
    assert imd.vintage >= "2025"  # IMD 2025 is preferred over IMD 2019 when both are imported
    bd = full_warehouse.require_dataset(kinds.ACTIVE_ENTERPRISES)
    assert full_warehouse.latest_period(bd.id, measure="active_enterprises") == "2024"
