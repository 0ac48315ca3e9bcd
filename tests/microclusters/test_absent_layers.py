"""A warehouse without a geometry layer is said so in the notes; any other error reading a layer raises.

``build_run_record`` (the LAD count of the national test), ``attach_areas``
(area names) and the ``microclusters`` command (LAD boundaries on the map)
each read a layer that may not be imported; only the warehouse's own
"not in the warehouse" error means that.
"""

from __future__ import annotations

import json
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from creative_clusters.cli import app
from creative_clusters.errors import WarehouseError
from creative_clusters.microclusters.outputs import attach_areas, detect_microclusters
from creative_clusters.microclusters.runs import build_run_record
from creative_clusters.warehouse import Warehouse


class _Warehouse:
    """A stand-in warehouse whose geometry layers fail with ``error``."""

    def __init__(self, error: Exception) -> None:
        self.error = error

    def has_table(self, name: str) -> bool:
        return False

    def geometry_layers(self) -> list[str]:
        return []

    def read_geometry(self, name: str) -> pd.DataFrame:
        raise self.error


def _absent(name: str = "lad_2023") -> WarehouseError:
    return WarehouseError(f"geometry layer {name!r} is not in the warehouse")


def _firms() -> pd.DataFrame:
    """SYNTHETIC: 60 firms around Sheffield city centre (BNG metres)."""
    xy = np.random.default_rng(2).normal(0, 100, (60, 2)) + np.array([435300, 387200])
    return pd.DataFrame({"easting": xy[:, 0], "northing": xy[:, 1], "subsector": "design",
                         "subsectors": "design", "lad_code": "E08000019"})


def _result(tmp_path: Path) -> tuple[SimpleNamespace, SimpleNamespace, Path]:
    firm_file = tmp_path / "SYNTHETIC_firms.csv"
    firm_file.write_text("synthetic\n")
    result = SimpleNamespace(params={"method": "split", "eps_m": 1000.0}, microclusters=pd.DataFrame(),
                             firms=_firms(), notes=[])
    return result, SimpleNamespace(synthetic=True), firm_file


def test_run_record_without_a_lad_layer_notes_why_the_scope_is_partial(tmp_path):
    result, report, firm_file = _result(tmp_path)
    rec = build_run_record(result, report, firm_file, warehouse=_Warehouse(_absent()))
    assert rec.scope == "partial"
    assert len(result.notes) == 1 and "scope left partial" in result.notes[0]
    assert "'lad_2023' is not in the warehouse" in result.notes[0]


def test_run_record_raises_an_unexpected_error(tmp_path):
    result, report, firm_file = _result(tmp_path)
    with pytest.raises(RuntimeError, match="corrupt parquet"):
        build_run_record(result, report, firm_file, warehouse=_Warehouse(RuntimeError("corrupt parquet")))


def test_attach_areas_notes_an_absent_layer_and_why():
    res = attach_areas(detect_microclusters(_firms(), eps=300, min_firms=50, stability_reps=0),
                       _Warehouse(_absent()))
    lad = [n for n in res.notes if n.startswith("lad23_code")]
    assert len(lad) == 1 and "'lad_2023' is not in the warehouse" in lad[0]
    assert res.microclusters["lad23_code"].isna().all()


def test_attach_areas_raises_an_unexpected_error():
    res = detect_microclusters(_firms(), eps=300, min_firms=50, stability_reps=0)
    with pytest.raises(RuntimeError, match="corrupt parquet"):
        attach_areas(res, _Warehouse(RuntimeError("corrupt parquet")))


def _cli(tmp_path: Path) -> object:
    firm_file = tmp_path / "SYNTHETIC_firms.csv"
    _firms().drop(columns="lad_code").assign(name=[f"F{i}" for i in range(60)]).to_csv(firm_file, index=False)
    return CliRunner().invoke(app, ["microclusters", str(firm_file), "--out", str(tmp_path / "out"),
                                    "--home", str(tmp_path / "home"), "--eps", "300", "--stability-reps", "0"])


def test_cli_without_lad_boundaries_says_so(tmp_path):
    r = _cli(tmp_path)  # a new, empty warehouse: no geometry layers
    assert r.exit_code == 0, r.output
    assert "Note: map drawn without LAD boundaries: geometry layer 'lad_2023' is not in the warehouse" in r.output
    assert "Note: run scope left partial" in r.output
    notes = json.loads((tmp_path / "out" / "run.json").read_text())["notes"]
    assert any(n.startswith("map drawn without LAD boundaries") for n in notes)


def test_cli_raises_an_unexpected_error_reading_the_lad_layer(tmp_path, monkeypatch):
    from creative_clusters.microclusters import outputs

    monkeypatch.setattr(outputs, "attach_areas", lambda result, wh: result)  # the command's own read is tested

    def broken(self, name):
        raise RuntimeError("corrupt parquet")

    monkeypatch.setattr(Warehouse, "read_geometry", broken)
    r = _cli(tmp_path)
    assert isinstance(r.exception, RuntimeError) and "corrupt parquet" in str(r.exception)
    assert not (tmp_path / "out").exists()
