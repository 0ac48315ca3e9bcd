"""The census a workforce figure comes from is read from the warehouse, never written into the code.

Each test works on a TEST COPY of the session's warehouse in ``tmp_path`` with
the census industry table (TS060) RELABELLED the way a user's newer import
would look: a catalogue vintage of 2031, or the table published on 2023 LAD
boundaries (North Yorkshire's seven 2021 districts summed into E06000065).
The relabelled figures are SYNTHETIC; nothing here is committed or published.
"""

from __future__ import annotations

import html
import re
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from creative_clusters import kinds
from creative_clusters.cli import app
from creative_clusters.warehouse import Warehouse
from creative_clusters.workflows.places import resolve_place
from creative_clusters.workflows.workforce_report import evidence_workforce, workforce_report

pytestmark = pytest.mark.realdata

#: North Yorkshire's 2021 districts, merged into the unitary E06000065 in April 2023.
NORTH_YORKSHIRE_2021 = [f"E0700016{i}" for i in range(3, 10)]
NORTH_YORKSHIRE = "E06000065"


def _copy_home(full_home: Path, dest: Path) -> Path:
    """A TEST COPY of the session's warehouse (database and geometry; no caches)."""
    dest.mkdir()
    shutil.copyfile(full_home / "warehouse.duckdb", dest / "warehouse.duckdb")
    if (full_home / "geometry").is_dir():
        shutil.copytree(full_home / "geometry", dest / "geometry")
    return dest


def _census_id(home: Path) -> str:
    with Warehouse(home, read_only=True) as wh:
        ref = wh.find_dataset(kinds.CENSUS_INDUSTRY)
        assert ref is not None
        return ref.id


def test_the_profile_text_names_the_census_by_its_catalogue_vintage(full_home: Path, tmp_path: Path):
    # was "Workforce (Census 2021, residence-based)" whatever census the warehouse held
    home = _copy_home(full_home, tmp_path / "TESTCOPY_home")
    census = _census_id(home)
    with Warehouse(home) as wh:
        wh.con.execute("UPDATE catalogue SET vintage = '2031' WHERE id = ?", [census])
    res = CliRunner().invoke(app, ["profile", "Sheffield", "--home", str(home)])
    assert res.exit_code == 0, res.output
    assert "Workforce (Census 2031, residence-based)" in res.output
    assert "Workforce (Census 2021" not in res.output


def test_the_workforce_report_takes_members_on_the_census_tables_own_lads(full_home: Path, tmp_path: Path):
    # was members on 2021 LADs whatever the table's boundaries: a census on 2023 LADs found none of North
    # Yorkshire's seven districts in it and reported the place as outside England and Wales
    home = _copy_home(full_home, tmp_path / "TESTCOPY_home")
    census = _census_id(home)
    with Warehouse(home) as wh:
        con = wh.con
        old = ", ".join(f"'{c}'" for c in NORTH_YORKSHIRE_2021)
        con.execute(
            "INSERT INTO observations SELECT dataset, dataset_vintage, ? AS geo_code, geo_type, geo_vintage, "
            "industry_scheme, industry_code, occupation_scheme, occupation_code, status, period, measure, "
            f"SUM(value) AS value, MIN(disclosure_flag) FROM observations WHERE dataset = ? AND geo_code IN ({old}) "
            "GROUP BY ALL", [NORTH_YORKSHIRE, census])
        con.execute(f"DELETE FROM observations WHERE dataset = ? AND geo_code IN ({old})", [census])
        con.execute("UPDATE observations SET geo_vintage = ? WHERE dataset = ? AND geo_type = 'lad'",
                    [kinds.LAD_VINTAGE, census])
    with Warehouse(home, read_only=True) as wh:
        rep = workforce_report(wh, resolve_place(wh, NORTH_YORKSHIRE))
    assert rep["place"]["member_lads"] == [NORTH_YORKSHIRE]
    assert not any("covers England and Wales LADs" in m for m in rep["missing"]), rep["missing"]
    res = rep["census_ts060"]
    assert res["residents_in_employment"]["value"] > 0
    assert res["division_sum"]["creative_residents"]["value"] > 0


def test_the_workforce_caveat_names_the_census_by_its_catalogue_vintage(full_home: Path, tmp_path: Path):
    home = _copy_home(full_home, tmp_path / "TESTCOPY_home")
    census = _census_id(home)
    with Warehouse(home) as wh:
        wh.con.execute("UPDATE catalogue SET vintage = '2031' WHERE id = ?", [census])
    with Warehouse(home, read_only=True) as wh:
        rep = workforce_report(wh, resolve_place(wh, "Sheffield"))
    caveats = rep["census_ts060"]["division_sum"]["creative_residents"]["caveats"]
    assert caveats[0].startswith("Census 2031 counts residents")


def test_the_evidence_pack_names_the_census_by_its_catalogue_vintage(full_home: Path, tmp_path: Path):
    # were "Residence vs workplace: Census 2021 counts people where they live" (the pack's caveats) and the
    # benchmark indicator "Residents in employment in creative industry divisions (%, Census 2021)", both written in
    home = _copy_home(full_home, tmp_path / "TESTCOPY_home")
    census = _census_id(home)
    with Warehouse(home) as wh:
        wh.con.execute("UPDATE catalogue SET vintage = '2031' WHERE id = ?", [census])
    out = tmp_path / "packs"
    res = CliRunner().invoke(app, ["evidence", "Sheffield", "--format", "html", "--out", str(out),
                                   "--home", str(home)])
    assert res.exit_code == 0, res.output
    (page,) = out.glob("*.html")
    text = re.sub(r"<[^>]+>", " ", html.unescape(page.read_text(encoding="utf-8")))
    text = " ".join(text.split())
    assert "Residence vs workplace: Census 2031 counts people where they live" in text
    assert "creative industry divisions (%, Census 2031)" in text
    assert "Census 2021 counts people where they live" not in text
    assert "(%, Census 2021)" not in text


def test_the_greater_manchester_census_figures_are_named_by_their_tables_date(full_home: Path, tmp_path: Path):
    # were "Census 2021" in the occupation and self-employment caveats and in the pack's sentences, written in
    home = _copy_home(full_home, tmp_path / "TESTCOPY_home")
    with Warehouse(home) as wh:
        ref = wh.find_dataset(kinds.CENSUS_GM_WORKFORCE)
        assert ref is not None
        wh.con.execute("UPDATE observations SET period = '2031-03-21' WHERE dataset = ?", [ref.id])
    with Warehouse(home, read_only=True) as wh:
        place = resolve_place(wh, "Manchester")
        rep = workforce_report(wh, place)
        pack = evidence_workforce(wh, list(place.members), code=place.code, name=place.name, geo_type="lad")
    assert rep["occupations"]["lower"]["caveats"][0].startswith("Census 2031, residents in employment")
    assert rep["self_employment_gm"]["self_employed"]["caveats"][0].startswith("Census 2031, residents aged 16+")
    said = " ".join(pack["sentences"])
    assert "creative occupations (Census 2031, SOC 2020 minor groups" in said
    assert "business registers mostly miss (Census 2031)" in said
    assert "Census 2021" not in said
