"""`data import DIR` (the reference-bundle layout): a new year's file, suppressed cells, short rows, companions, verify.

All files here are SYNTHETIC, hand-typed for the tests in ``tmp_path`` (the
small files of ``test_business_counts_timeseries`` and ``test_business_counts``);
no real figures. 2026 stands for "the next year".
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from creative_clusters.cli import app
from creative_clusters.errors import DataSourceError, ImportFormatError
from creative_clusters.indicators.trajectory import sum_members
from creative_clusters.sources import business_counts as bc
from creative_clusters.sources import business_counts_timeseries as bts
from creative_clusters.sources.registry import get_dataset
from creative_clusters.warehouse import Warehouse
from tests.sources._helpers import write_files
from tests.sources.test_business_counts import CODES, FACT, TOTALS
from tests.sources.test_business_counts import LADS as BC_LADS
from tests.sources.test_business_counts_timeseries import GOOD, HEAD, LADS

runner = CliRunner()
DIR = "business_counts_timeseries/"
#: SYNTHETIC: the three LADs of GOOD in 2026 only (what a user downloading "the new year" gets)
Y2026 = ("St. Helens,110,North West,2026,England\n\"Bristol, City of\",215,South West,2026,England\n"
         "Cardiff,5,Wales,2026,Wales\n")
UK = {"UK": ["E08000013", "E06000023", "W06000015"]}


def _series_root(tmp: Path, files: dict[str, str]) -> Path:
    return write_files(tmp, {bts.LAD_FILE: LADS, **{DIR + name: HEAD + body for name, body in files.items()}})


# ------------------------------------------------------------------ 1. a new year's file
def test_a_new_year_only_file_beside_the_series_is_refused_and_says_what_to_give(tmp_path: Path):
    # was: the 2026 file (last by name) was read alone, the series became "1 years 2026-2026", silently
    root = _series_root(tmp_path, {"creative_enterprises_lad_2024_2025.csv": GOOD,
                                   "creative_enterprises_lad_2026.csv": Y2026})
    with pytest.raises(ImportFormatError) as info:
        bts.read_business_counts_series(root)
    text = str(info.value)
    assert "creative_enterprises_lad_2026.csv" in text and "2026 only" in text
    assert "creative_enterprises_lad_2024_2025.csv holds 2024–2025" in text
    assert "would drop 2024–2025" in text
    assert "one file with 2024–2026" in text and "creative_enterprises_lad_2024_2026.csv" in text


def test_with_several_files_the_one_read_is_named(tmp_path: Path):
    # was: the last name in sort order was read without a word
    root = _series_root(tmp_path, {"creative_enterprises_lad_2024.csv": GOOD.split("St Helens")[0],
                                   "creative_enterprises_lad_2024_2025.csv": GOOD})
    with pytest.warns(UserWarning, match=r"2 files match .*: read creative_enterprises_lad_2024_2025\.csv"):
        res = bts.read_business_counts_series(root)
    assert sorted(res.observations["period"].unique()) == ["2024", "2025"]


def test_years_in_the_name_must_be_the_years_in_the_file(tmp_path: Path):
    # was: ..._2024_2026.csv holding 2024-2025 was read silently
    root = _series_root(tmp_path, {"creative_enterprises_lad_2024_2026.csv": GOOD})
    with pytest.raises(ImportFormatError) as info:
        bts.read_business_counts_series(root)
    err = info.value
    assert err.column == "Year" and "creative_enterprises_lad_2024_2026.csv" in str(err)
    assert "name says 2024–2026" in str(err) and "holds 2024–2025 (lacks 2026)" in str(err)
    assert "Rename it to creative_enterprises_lad_2024_2025.csv" in str(err)


def test_an_import_that_would_drop_years_the_warehouse_holds_is_refused(tmp_path: Path):
    full = _series_root(tmp_path / "full", {"creative_enterprises_lad_2024_2025.csv": GOOD})
    only = _series_root(tmp_path / "only", {"creative_enterprises_lad_2026.csv": Y2026})
    with Warehouse(tmp_path / "home") as wh:
        wh.import_datasets(list(bts.DATASETS), full)
        # was: the 2026-only file replaced 2024-2025
        with pytest.raises(DataSourceError) as info:
            wh.import_datasets(list(bts.DATASETS), only)
        assert "holds 2024–2025 in this warehouse" in str(info.value)
        assert "holds 2026 only" in str(info.value) and "would drop 2024–2025" in str(info.value)
        assert "one file with 2024–2026" in str(info.value)
        periods = sorted(wh.observations(dataset=bts.DATASET_ID)["period"].unique())
    assert periods == ["2024", "2025"]  # unchanged


# ------------------------------------------------------------------ 2. suppressed cells
def test_series_markers_and_empty_cells_are_nan_with_their_flag_and_never_sum_to_a_total(tmp_path: Path):
    # was: "expected a number but found '!'" (and "found nan" for an empty cell)
    body = (GOOD.replace('"Bristol, City of",210,', '"Bristol, City of",!,')
            .replace("Cardiff,300,", "Cardiff,*,").replace("St Helens,105,", "St Helens,,"))
    root = _series_root(tmp_path, {"creative_enterprises_lad_2024_2025.csv": body})
    o = bts.read_business_counts_series(root).observations
    cell = o.set_index(["geo_code", "period"])
    assert np.isnan(cell.loc[("E06000023", "2025"), "value"])
    assert cell.loc[("E06000023", "2025"), "disclosure_flag"] == "suppressed"
    assert np.isnan(cell.loc[("W06000015", "2024"), "value"])
    assert cell.loc[("W06000015", "2024"), "disclosure_flag"] == "low-reliability"
    assert cell.loc[("E08000013", "2025"), "disclosure_flag"] == "suppressed"  # the empty cell
    assert cell.loc[("E08000013", "2024")][["value", "disclosure_flag"]].tolist() == [100, "rounded"]
    # downstream: the national total of a year with a suppressed member is missing, never the partial sum
    total = sum_members(o, UK).set_index("period")
    assert np.isnan(total.loc["2025", "value"]) and total.loc["2025", "disclosure_flag"] == "suppressed"
    # one member suppressed in 2024 too (Cardiff's '*'): no year is summed as if it were 0
    assert total["value"].isna().all()


def test_series_other_text_names_the_accepted_markers(tmp_path: Path):
    root = _series_root(tmp_path, {"creative_enterprises_lad_2024_2025.csv": GOOD.replace(",200,", ",n/a,")})
    with pytest.raises(ImportFormatError) as info:
        bts.read_business_counts_series(root)
    assert info.value.row == 3 and info.value.column == "Enterprise Count"
    assert "suppression marker" in str(info.value) and "'n/a'" in str(info.value)
    assert all(m in str(info.value) for m in ("!", "*", "..", "[c]", "Q"))


def test_sic_file_markers_are_nan_with_their_flag_and_the_place_total_is_not_a_partial_sum(tmp_path: Path):
    # was: "expected a number but found '*'" / "found nan" for an empty cell
    fact = FACT.replace(",25\n", ",*\n").replace('Architectural activities,105\n', "Architectural activities,\n")
    codes = CODES.replace(",25\n", ",*\n").replace("Architectural activities,105\n", "Architectural activities,!\n")
    root = write_files(tmp_path, {bc.LAD_FILE: BC_LADS, bc.FACT_FILE: fact, bc.CODES_FILE: codes,
                                  bc.TOTALS_FILE: TOTALS})
    with pytest.warns(UserWarning, match="differs from the sum of class rows"):
        o = bc.read_business_counts(root).observations
    sic = o[o["industry_scheme"] == "SIC2007"].set_index(["geo_code", "industry_code"])
    assert np.isnan(sic.loc[("E09000033", "3212"), "value"])
    assert sic.loc[("E09000033", "3212"), "disclosure_flag"] == "low-reliability"
    assert np.isnan(sic.loc[("E06000023", "7111"), "value"])
    assert sic.loc[("E06000023", "7111"), "disclosure_flag"] == "suppressed"
    assert sic.loc[("E09000033", "7111"), "value"] == 630
    # downstream: Westminster's creative total over its classes is missing (a '*' class), not 630
    rows = o[o["industry_scheme"] == "SIC2007"].drop(columns="industry_code")
    w = rows[rows["geo_code"] == "E09000033"].assign(geo_code=["a", "b"])
    assert np.isnan(sum_members(w, {"Westminster": ["a", "b"]})["value"].item())


def test_sic_file_marker_on_one_side_only_is_a_disagreement_said_plainly(tmp_path: Path):
    fact = FACT.replace(",25\n", ",*\n")
    root = write_files(tmp_path, {bc.LAD_FILE: BC_LADS, bc.FACT_FILE: fact, bc.CODES_FILE: CODES,
                                  bc.TOTALS_FILE: TOTALS})
    with pytest.raises(ImportFormatError) as info:
        bc.read_business_counts(root)
    assert "is 25 here but a suppression marker or an empty cell (no value)" in str(info.value)
    assert "nan" not in str(info.value)


# ------------------------------------------------------------------ 3. messages
def test_a_row_with_a_missing_field_says_so(tmp_path: Path):
    # was: "column 'Nation': expected one of [...] but found nan"
    root = _series_root(tmp_path, {"creative_enterprises_lad_2024_2025.csv":
                                   GOOD.replace("Cardiff,300,Wales,2024,Wales", "Cardiff,300,Wales,2024")})
    with pytest.raises(ImportFormatError) as info:
        bts.read_business_counts_series(root)
    assert info.value.row == 4
    assert "has 4 field(s) but the header has 5" in str(info.value)


def test_a_new_snapshot_file_without_its_companions_names_them(tmp_path: Path):
    # was: "needs file '..._2026_with_codes.csv' ... Point `data import` at the reference-data directory"
    root = write_files(tmp_path, {bc.LAD_FILE: BC_LADS, "business_counts/business_counts_fact_long_2026.csv": FACT})
    with Warehouse(tmp_path / "home") as wh, pytest.raises(DataSourceError) as info:
        wh.import_datasets([get_dataset("business_counts_2026", root)], root)
    text = str(info.value)
    assert "Point `data import`" not in text
    assert "business_counts/business_counts_fact_long_2026_with_codes.csv" in text
    assert "business_counts/business_counts_la_totals_2026.csv" in text
    assert "or remove business_counts_fact_long_2026.csv" in text
    assert "ltla23" not in text  # shared with other datasets: not the user's to remove


def test_verify_a_copy_checks_the_files_in_the_copy(tmp_path: Path):
    # was: a file imported from a second folder (a new year's series) was checked there, not in the copy
    # given, and "All ... match" was said of a copy whose series had a row appended
    lads = BC_LADS + "E08000013,St. Helens\nW06000015,Cardiff\n"
    snapshot = {bc.LAD_FILE: lads, bc.FACT_FILE: FACT, bc.CODES_FILE: CODES, bc.TOTALS_FILE: TOTALS}
    series = DIR + "creative_enterprises_lad_2024_2026.csv"
    main = write_files(tmp_path / "data", snapshot)
    new = write_files(tmp_path / "data_new", {bc.LAD_FILE: lads, series: HEAD + GOOD + Y2026})
    copy = write_files(tmp_path / "data_new_mod", {**snapshot, series: HEAD + GOOD + Y2026
                                                   + "Cardiff,10,Wales,2026,Wales\n"})
    home = tmp_path / "home"
    with Warehouse(home) as wh:
        wh.import_datasets([get_dataset("business_counts_2025", main)], main)
        wh.import_datasets(list(bts.DATASETS), new)
    res = runner.invoke(app, ["data", "verify", str(copy), "--home", str(home)])
    assert res.exit_code == 1, res.output
    assert re.search(rf"^changed +business_counts_series +{series}$", res.stdout, re.M), res.stdout
    assert f"(6 checked in {copy})" in res.stderr
    res = runner.invoke(app, ["data", "verify", str(new), "--home", str(home)])
    assert res.exit_code == 0, res.output
    assert f"checked in {new}" in res.stderr and f"checked where they were imported from: {main}" in res.stderr
