"""After a partial Nomis import, the library's warnings reach the terminal as plain notes (review D, M6).

`clusters --year 2024` printed Python ``UserWarning`` lines with file names and
source code, four times; size-band rows were summed into the class totals, so
a suppressed size band made Westminster's creative total "suppressed" in the
profile. The import is the hand-made fixture ``ukbc_enterprises_2024.csv``
(Nomis layout, not real figures) with one GSS code changed, its rows repeated
for every other English LAD (a table that lacks some is refused since audit
a3), into a copy of the session's full warehouse.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from creative_clusters.cli import app
from creative_clusters.warehouse import Warehouse
from creative_clusters.workflows.business_counts import lad_business_counts

FIXTURE = Path(__file__).resolve().parents[1] / "data" / "nomis" / "ukbc_enterprises_2024.csv"


@pytest.fixture(scope="module")
def partial_home(full_home: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    home = tmp_path_factory.mktemp("partial") / "home"
    shutil.copytree(full_home, home)
    fixture = pd.read_csv(FIXTURE, dtype=str, keep_default_na=False)
    frame = fixture.copy()
    frame.loc[0, "GEOGRAPHY_CODE"] = "E09999999"
    # every other English LAD gets the fixture's rows: a table that lacks some LADs is refused (audit a3)
    with Warehouse(home, read_only=True) as wh:
        h = wh.table("lad_hierarchy")
    lads = sorted(set(h.loc[(h["vintage"].astype(str) == "2023") & h["lad_code"].str.startswith("E"), "lad_code"]))
    frame = pd.concat([frame, *(fixture.assign(GEOGRAPHY_CODE=c, GEOGRAPHY_NAME=c)
                                for c in lads if c != "E09000033")], ignore_index=True)
    frame["RECORD_OFFSET"] = [str(i) for i in range(len(frame))]
    frame["RECORD_COUNT"] = str(len(frame))
    csv = home.parent / "bad_geo.csv"
    frame.to_csv(csv, index=False)
    res = CliRunner().invoke(app, ["data", "import-nomis", str(csv), "--nomis-dataset",
                                   "business_counts_enterprises", "--home", str(home)])
    assert res.exit_code == 0, res.output
    return home


def test_clusters_prints_each_warning_once_in_plain_words(partial_home):
    res = CliRunner().invoke(app, ["clusters", "--year", "2024", "--home", str(partial_home)])
    assert res.exit_code == 0, res.output
    assert "UserWarning" not in res.output and "business_counts.py" not in res.output
    assert "location_quotient()" not in res.output
    notes = [ln for ln in res.stderr.splitlines() if ln.startswith("Note:")]
    assert len(notes) == len(set(notes))
    no_total = [n for n in notes if "no active-enterprise total" in n]
    assert len(no_total) == 1 and "E09999999" in no_total[0]
    assert any("absent from the file (missing, not suppressed)" in n for n in notes)


def test_size_bands_are_not_summed_into_class_totals(partial_home):
    with Warehouse(partial_home, read_only=True) as wh:
        counts = lad_business_counts(wh, year=2024)
    west = counts[counts["geo_code"] == "E09000033"].set_index("industry_code")
    # the fixture's Westminster rows: 7111 total 305 (its small size band is suppressed); 5911 moved away
    assert west.loc["architecture", "value"] == 305.0
    assert west.loc["architecture", "disclosure_flag"] != "suppressed"
    assert west.loc["_T", "value"] == 305.0


def test_profile_says_absent_not_suppressed(partial_home):
    res = CliRunner().invoke(app, ["profile", "Westminster", "--year", "2024", "--home", str(partial_home)])
    assert res.exit_code == 0, res.output
    assert "UserWarning" not in res.output
    assert "Creative enterprises: not available (suppressed)" not in res.stdout
    assert "absent from the file (missing, not suppressed)" in res.output
