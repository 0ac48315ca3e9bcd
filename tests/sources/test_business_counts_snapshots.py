"""UK Business Counts by SIC class: each snapshot year found in the data folder is its own dataset.

All values here are SYNTHETIC, hand-typed for the tests (the small files of
``test_business_counts``, relabelled as a later year with changed counts); no
real release is imitated. The later year is 2099 so it is never mistaken for
a real one.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from creative_clusters import kinds
from creative_clusters.cli import app
from creative_clusters.errors import DataSourceError, ImportFormatError
from creative_clusters.sources import business_counts as bc
from creative_clusters.sources.registry import all_datasets, get_dataset
from creative_clusters.warehouse import Warehouse
from tests.sources._helpers import write_files
from tests.sources.test_business_counts import CODES, FACT, LADS, TOTALS

runner = CliRunner()
LATER = "2099"  # SYNTHETIC test year

# SYNTHETIC: the hand-typed snapshot with Westminster's architecture count 630 -> 700 (the codes file and the
# LA total follow), so the later snapshot's figures differ from the bundle-year ones
FACT_LATER = FACT.replace(",630\n", ",700\n")
CODES_LATER = CODES.replace(",630\n", ",700\n")
TOTALS_LATER = TOTALS.replace("Westminster,655", "Westminster,725")


def _later_files(fact: str = FACT_LATER, codes: str = CODES_LATER, totals: str = TOTALS_LATER) -> dict[str, str]:
    f, c, t = (f"business_counts/business_counts_fact_long_{LATER}.csv",
               f"business_counts/business_counts_fact_long_{LATER}_with_codes.csv",
               f"business_counts/business_counts_la_totals_{LATER}.csv")
    return {f: fact, c: codes, t: totals}


def _root(tmp: Path, *, bundle: bool = True, **later: str) -> Path:
    files = {bc.LAD_FILE: LADS}
    if bundle:
        files.update({bc.FACT_FILE: FACT, bc.CODES_FILE: CODES, bc.TOTALS_FILE: TOTALS})
    files.update(_later_files(**later))
    return write_files(tmp / "SYNTHETIC_TEST_data", files)


def test_years_are_discovered_from_the_file_names(tmp_path: Path):
    root = _root(tmp_path)
    assert bc.snapshot_years(root) == ["2025", LATER]
    found = {s.id: s for s in all_datasets(root) if s.kind == kinds.CREATIVE_ENTERPRISES_SIC}
    assert sorted(found) == ["business_counts_2025", f"business_counts_{LATER}"]
    assert found[f"business_counts_{LATER}"].vintage == LATER
    assert found[f"business_counts_{LATER}"].files[0] == f"business_counts/business_counts_fact_long_{LATER}.csv"
    # the id of the bundle's year is kept (tests, caches and docs name it)
    assert found["business_counts_2025"].id == bc.DATASET_ID


def test_each_snapshot_is_read_with_its_own_year(tmp_path: Path):
    root = _root(tmp_path)
    later = bc.read_business_counts(root, LATER)
    o = later.observations
    assert set(o["dataset"]) == {f"business_counts_{LATER}"}
    assert set(o["period"]) == {LATER} and set(o["dataset_vintage"]) == {LATER}
    assert later.vintage == LATER and later.title.endswith(f"March {LATER}")
    w = o[(o["geo_code"] == "E09000033") & (o["industry_code"] == "7111")]
    assert w["value"].tolist() == [700.0]
    # without a year: the latest in the folder
    assert set(bc.read_business_counts(root).observations["period"]) == {LATER}
    assert set(bc.read_business_counts(root, "2025").observations["period"]) == {"2025"}


def test_warehouse_serves_the_latest_snapshot_and_keeps_both(tmp_path: Path):
    root = _root(tmp_path)
    with Warehouse(tmp_path / "home") as wh:
        wh.import_datasets([get_dataset("business_counts_2025", root),
                            get_dataset(f"business_counts_{LATER}", root)], root)
        assert sorted(wh.datasets()["id"]) == ["business_counts_2025", f"business_counts_{LATER}"]
        ref = wh.require_dataset(kinds.CREATIVE_ENTERPRISES_SIC)
        assert (ref.id, ref.vintage) == (f"business_counts_{LATER}", LATER)
        # Westminster's class rows: 700 + 25 in the later snapshot, 630 + 25 in 2025
        got = wh.observations(dataset=ref.id, geo_code="E09000033", industry_scheme="SIC2007")
        assert got["value"].sum() == 725
        old = wh.require_dataset(kinds.CREATIVE_ENTERPRISES_SIC, period="2025")
        assert old.id == "business_counts_2025"


def test_year_column_disagreeing_with_the_file_name_is_an_error(tmp_path: Path):
    # a totals file whose rows say 2025 although its name says 2099
    totals = ("Region,Enterprise Count,Region_1,Year\nWestminster,725,London,2099\n"
              '"Bristol, City of",105,South West,2025\n')
    root = _root(tmp_path, totals=totals)
    with pytest.raises(ImportFormatError) as info:
        bc.read_business_counts(root, LATER)
    err = info.value
    assert err.row == 3 and err.column == "Year"
    assert f"la_totals_{LATER}.csv" in str(err) and "says 2099" in str(err) and "'2025'" in str(err)
    # agreeing years (in any wording) are read
    ok = totals.replace(",2025\n", ",March 2099\n")
    root = _root(tmp_path / "ok", totals=ok)
    assert set(bc.read_business_counts(root, LATER).observations["period"]) == {LATER}


def test_incomplete_snapshot_names_the_missing_file(tmp_path: Path):
    root = _root(tmp_path, bundle=False)
    (root / f"business_counts/business_counts_la_totals_{LATER}.csv").unlink()
    with Warehouse(tmp_path / "home") as wh, pytest.raises(DataSourceError, match=f"la_totals_{LATER}.csv"):
        wh.import_datasets([get_dataset(f"business_counts_{LATER}", root)], root)


def test_cli_only_the_bundle_year_in_a_later_only_folder_names_what_is_there(tmp_path: Path):
    root = _root(tmp_path, bundle=False)
    home = tmp_path / "home"
    res = runner.invoke(app, ["data", "import", str(root), "--only", "business_counts_2025", "--home", str(home)])
    assert res.exit_code == 1
    assert f"business_counts_{LATER}" in res.stderr and "Traceback" not in res.output
    res = runner.invoke(app, ["data", "import", str(root), "--only", f"business_counts_{LATER}",
                              "--home", str(home)])
    assert res.exit_code == 0, res.output
    with Warehouse(home, read_only=True) as wh:
        assert wh.datasets()["id"].tolist() == [f"business_counts_{LATER}"]


def test_cli_imports_both_snapshots_and_status_shows_both(tmp_path: Path):
    root = _root(tmp_path)
    home = tmp_path / "home"
    res = runner.invoke(app, ["data", "import", str(root), "--only", "business_counts_2025",
                              "--only", f"business_counts_{LATER}", "--home", str(home)])
    assert res.exit_code == 0, res.output
    res = runner.invoke(app, ["data", "status", "--json", "--home", str(home)])
    got = {r["id"]: r["vintage"] for r in json.loads(res.stdout)}
    assert got == {"business_counts_2025": "2025", f"business_counts_{LATER}": LATER}
    ids = [s.id for s in all_datasets(root)]
    assert "business_counts_2025" in ids and f"business_counts_{LATER}" in ids
