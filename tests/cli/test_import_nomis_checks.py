"""`data import-nomis` refuses a malformed DATE or GSS code and warns of codes the geography lacks.

Review D, H2: a DATE of ``20x4`` in one row became a dataset ``..._20x4`` with
vintage ``20x4``, and GEOGRAPHY_CODE ``E09999999`` was imported silently, both
with exit code 0. The file is the hand-made fixture ``ukbc_enterprises_2024.csv``
(Nomis CSV layout, not real figures) with one cell edited.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from creative_clusters.cli import app
from creative_clusters.errors import ImportFormatError, ParameterError
from creative_clusters.sources import nomis
from creative_clusters.sources._base import OGL, DatasetSpec, ImportResult
from creative_clusters.warehouse import Warehouse

FIXTURE = Path(__file__).resolve().parents[1] / "data" / "nomis" / "ukbc_enterprises_2024.csv"


def _edited(tmp_path: Path, column: str, value: str, row: int = 0) -> Path:
    """The fixture with one cell (data row ``row``, 0-based) replaced; saved as text, as Nomis sends it."""
    frame = pd.read_csv(FIXTURE, dtype=str, keep_default_na=False)
    frame.loc[row, column] = value
    if column == "DATE":
        frame.loc[row, ["DATE_NAME", "DATE_CODE"]] = value
    out = tmp_path / f"bad_{column.lower()}.csv"
    frame.to_csv(out, index=False)
    return out


def _home_with_areas(tmp_path: Path, codes: list[str]) -> Path:
    """A warehouse whose geography lists only ``codes`` (an ``areas`` table)."""
    areas = pd.DataFrame({"geo_code": codes, "geo_name": codes, "geo_type": "lad"})
    spec = DatasetSpec(id="geography_boundaries", title="test areas", publisher="test", licence=OGL,
                       source_url="", vintage="2025", files=(),
                       reader=lambda _root: ImportResult(tables={"areas": areas}))
    home = tmp_path / "home"
    with Warehouse(home) as wh:
        wh.import_datasets([spec], tmp_path)
    return home


def _import(csv: Path, home: Path):
    return CliRunner().invoke(app, ["data", "import-nomis", str(csv), "--nomis-dataset",
                                    "business_counts_enterprises", "--home", str(home)])


def test_a_bad_date_is_refused_naming_file_row_and_column_and_nothing_is_written(tmp_path):
    csv = _edited(tmp_path, "DATE", "20x4")
    home = _home_with_areas(tmp_path, ["E09000033"])
    res = _import(csv, home)
    assert res.exit_code == 1, res.output
    err = " ".join(res.stderr.split())
    assert "bad_date.csv" in err and "row 2" in err and "'DATE'" in err
    assert "expected a year (YYYY)" in err and "'20x4'" in err
    assert "Traceback" not in res.output
    with Warehouse(home, read_only=True) as wh:
        assert not [d for d in wh.datasets()["id"] if d.startswith("nomis_")]


def test_a_malformed_gss_code_is_refused(tmp_path):
    csv = _edited(tmp_path, "GEOGRAPHY_CODE", "E0900003", row=3)
    res = _import(csv, tmp_path / "home")
    assert res.exit_code == 1, res.output
    err = " ".join(res.stderr.split())
    assert "row 5" in err and "'GEOGRAPHY_CODE'" in err and "'E0900003'" in err and "GSS code" in err
    assert not (tmp_path / "home" / "warehouse.duckdb").exists()


def test_a_code_the_geography_lacks_is_named_with_its_row(tmp_path):
    csv = _edited(tmp_path, "GEOGRAPHY_CODE", "E09999999", row=1)
    home = _home_with_areas(tmp_path, ["E09000033"])
    res = _import(csv, home)
    assert res.exit_code == 0, res.output
    err = " ".join(res.stderr.split())
    assert "Warning:" in err and "row(s) 3: E09999999" in err and "not in the warehouse's geography" in err
    assert "E09000033" not in err
    assert "UserWarning" not in res.output


def test_known_codes_give_no_warning(tmp_path):
    home = _home_with_areas(tmp_path, ["E09000033"])
    res = _import(FIXTURE, home)
    assert res.exit_code == 0, res.output
    assert "Warning" not in res.stderr


def _with_dates(dates: str) -> bytes:
    frame = pd.read_csv(FIXTURE, dtype=str, keep_default_na=False)
    frame["DATE"] = dates
    return frame.to_csv(index=False).encode()


def test_parser_refuses_bad_dates_and_keeps_nomis_months():
    monthly = nomis.parse_table(_with_dates("2024-03"), dataset_id="t", nomis_dataset="business_counts_enterprises")
    assert set(monthly["period"]) == {"2024-03"}
    for bad in ("20x4", "2024-13", "24", "2024/03"):
        with pytest.raises(ImportFormatError, match=r"row 2, column 'DATE'.*expected a year"):
            nomis.parse_table(_with_dates(bad), dataset_id="t", nomis_dataset="business_counts_enterprises")


def test_no_dataset_id_is_made_from_a_malformed_vintage():
    assert nomis.warehouse_id("bres", "2023") == "nomis_bres_2023"
    with pytest.raises(ParameterError, match="not a year"):
        nomis.warehouse_id("bres", "20x4")


@pytest.mark.parametrize("as_json", [False, True])
def test_status_of_a_home_without_a_warehouse_is_an_error_as_in_every_command(tmp_path, as_json):
    """Review D, L6: `data status --home /nonexistent` said 'The warehouse ... is empty' with exit 0."""
    missing = tmp_path / "nohome"
    res = CliRunner().invoke(app, ["data", "status", "--home", str(missing), *(["--json"] if as_json else [])])
    other = CliRunner().invoke(app, ["profile", "Sheffield", "--home", str(missing)])
    assert res.exit_code == 1 and other.exit_code == 1
    err = " ".join(res.stderr.split())
    assert f"no warehouse at {missing}" in err and "creative-clusters data import DIR" in err
    assert "is empty" not in res.output and res.stdout == ""
    assert not missing.exists()
