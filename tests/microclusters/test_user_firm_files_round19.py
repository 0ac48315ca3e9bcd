"""Firm files as users bring them to ``creative-clusters microclusters``: the defects of the round-19 audit.

Each test names what the old code did. Every firm here is SYNTHETIC: made-up names at real Sheffield
postcodes or BNG coordinates, written to the test's folder.
"""

from __future__ import annotations

import gzip
from typing import ClassVar

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from creative_clusters.cli import app
from creative_clusters.errors import ImportFormatError
from creative_clusters.microclusters.runs import build_run_record, list_runs
from creative_clusters.sources import firm_files
from creative_clusters.sources.firm_files import prepare_firms, read_firm_file
from creative_clusters.warehouse import Warehouse

SHEFFIELD = "E08000019"


def _semicolon_bytes(n: int = 30) -> bytes:
    """A list as Excel saves "CSV" where the decimal mark is a comma: BOM, ``;`` between columns, CRLF."""
    rows = "".join(f"Café {i};S1 2BX;62012\r\n" for i in range(n))
    return b"\xef\xbb\xbf" + ("name;postcode;sic\r\n" + rows).encode("utf-8")


@pytest.mark.parametrize("name", ["firms.csv", "firms.csv.gz"])
def test_a_semicolon_separated_list_is_read(tmp_path, name):
    # was: "expected a firm name column (CompanyName or name); found ['name;postcode;sic']"
    path = tmp_path / name
    data = _semicolon_bytes()
    path.write_bytes(gzip.compress(data) if name.endswith(".gz") else data)
    raw = read_firm_file(path)
    assert list(raw.columns) == ["name", "postcode", "sic"]
    assert raw["name"].iloc[0] == "Café 0" and raw["postcode"].iloc[0] == "S1 2BX" and len(raw) == 30


def test_a_workbook_with_a_notes_sheet_first_reads_the_firm_sheet(tmp_path):
    # was: only the first sheet was read: "expected a firm name column (CompanyName or name); found ['About']"
    path = tmp_path / "firms.xlsx"
    with pd.ExcelWriter(path) as xw:
        pd.DataFrame({"About": ["Firms we work with", "Source: our CRM"]}).to_excel(xw, sheet_name="Notes",
                                                                                   index=False)
        pd.DataFrame({"name": ["A", "B"], "postcode": ["S1 2BX", "S3 8RY"], "sic": ["62012", "59111"]}).to_excel(
            xw, sheet_name="Firms", index=False)
    raw = read_firm_file(path)
    assert raw["name"].tolist() == ["A", "B"]
    assert raw.attrs["file"] == f"{path}, sheet 'Firms'"  # the report and every message name the sheet read
    _, rep = prepare_firms(raw.assign(easting="435000", northing="387000"))
    assert rep.sheet == "Firms" and rep.summary().startswith(f"{path}, sheet 'Firms' (plain list layout)")


def test_a_workbook_without_a_firm_sheet_names_its_sheets(tmp_path):
    path = tmp_path / "firms.xlsx"
    with pd.ExcelWriter(path) as xw:
        pd.DataFrame({"About": ["x"]}).to_excel(xw, sheet_name="Notes", index=False)
        pd.DataFrame({"Ref": ["1"], "Where": ["S1 2BX"]}).to_excel(xw, sheet_name="Data", index=False)
    with pytest.raises(ImportFormatError) as err:
        read_firm_file(path)
    msg = str(err.value)
    assert "sheet 'Notes'" in msg and "sheet 'Data'" in msg and "['Ref', 'Where']" in msg
    assert "Rename the column that holds the firm names 'name'" in msg


def test_a_workbook_with_two_firm_sheets_says_which_was_read(tmp_path):
    path = tmp_path / "firms.xlsx"
    with pd.ExcelWriter(path) as xw:
        for sheet in ("2024", "2025"):
            pd.DataFrame({"name": ["A"], "postcode": ["S1 2BX"]}).to_excel(xw, sheet_name=sheet, index=False)
    with pytest.warns(firm_files.OtherSheetsWarning, match="only the first, '2024', was read"):
        read_firm_file(path)


def test_a_business_column_is_a_name_column_and_the_error_lists_the_names_read(tmp_path):
    # was: 'Business' was not read as the firm name, and the error named only "CompanyName or name"
    path = tmp_path / "firms.csv"
    path.write_text("Business,Post Code,SIC\nStudio,S1 2BX,62012\n", encoding="utf-8")
    raw = read_firm_file(path)
    firms, _ = prepare_firms(raw.assign(easting="435000", northing="387000"))
    assert firms["name"].tolist() == ["Studio"]
    with pytest.raises(ImportFormatError) as err:
        prepare_firms(pd.DataFrame({"Label": ["Studio"], "sic": ["62012"]}))
    assert "'business name'" in str(err.value) and "Rename the column that holds the firm names 'name'" in str(
        err.value)


class _LadWarehouse:
    """The warehouse calls ``build_run_record`` makes: a LAD layer of one square around Sheffield centre."""

    def has_table(self, name: str) -> bool:
        return False

    def read_geometry(self, name: str):
        import geopandas as gpd
        from shapely.geometry import box

        return gpd.GeoDataFrame({"geo_code": [SHEFFIELD], "geo_name": ["Sheffield"]},
                                geometry=[box(425000, 377000, 445000, 397000)], crs="EPSG:27700")


@pytest.mark.parametrize("columns", [("easting", "northing"), ("lat", "lon")])
def test_a_list_of_coordinates_covers_the_lad_its_firms_are_in(tmp_path, columns):
    # was: firms located by their file's coordinates carry no LAD code, so the run covered 0 LADs: every pack
    # said "not covered" (Sheffield's too, beside the microcluster it showed) and data status "0 LADs"
    rng = np.random.default_rng(0)
    e, n = 435000 + rng.normal(0, 200, 30), 387000 + rng.normal(0, 200, 30)
    if columns == ("lat", "lon"):
        from pyproj import Transformer

        lon, lat = Transformer.from_crs(27700, 4326, always_xy=True).transform(e, n)
        raw = pd.DataFrame({"name": [f"F{i}" for i in range(30)], "lat": lat.astype(str), "lon": lon.astype(str),
                            "sic": "62012"})
    else:
        raw = pd.DataFrame({"name": [f"F{i}" for i in range(30)], "easting": e.astype(str),
                            "northing": n.astype(str), "sic": "62012"})
    path = tmp_path / "firms.csv"
    raw.to_csv(path, index=False)
    firms, rep = prepare_firms(raw)
    assert firms["lad_code"].isna().all()  # the list has no LAD column

    class Result:  # the fields build_run_record reads
        params: ClassVar[dict] = {"method": "split", "eps_m": 1000.0}
        microclusters = pd.DataFrame()
        notes: ClassVar[list] = []

    Result.firms = firms
    rec = build_run_record(Result, rep, path, warehouse=_LadWarehouse())
    assert rec.covered == (SHEFFIELD,)
    assert firms["lad_code"].isna().all()  # the firm table itself is left as it was


def test_all_creative_on_a_file_with_sic_codes_says_it_was_not_applied():
    # was: --all-creative on a file with SIC codes was silently ignored
    raw = pd.DataFrame({"name": ["A", "B"], "sic": ["62012", "47110"], "easting": ["435000"] * 2,
                        "northing": ["387000"] * 2})
    with pytest.warns(UserWarning, match="--all-creative .* was not applied: the file has SIC codes"):
        firms, _ = prepare_firms(raw, all_creative=True)
    assert firms["name"].tolist() == ["A"]


def _one_group(path):
    """SYNTHETIC plain list: one tight group of 60 firms at Sheffield centre (BNG metres)."""
    rng = np.random.default_rng(1)
    xy = rng.normal(0, 100, (60, 2)) + np.array([435300, 387200])
    pd.DataFrame({"name": [f"F{i}" for i in range(60)], "easting": xy[:, 0], "northing": xy[:, 1],
                  "subsector": "design"}).to_csv(path, index=False)
    return path


def test_the_catalogue_keeps_describing_a_run_made_current_again(tmp_path):
    # was: after `microclusters-runs --use RUN`, data status said only "coverage: run RUN made current" (no firm
    # file, microclusters, addresses or coverage), and the command's summary said "1 microclusters"
    home, runner = tmp_path / "home", CliRunner()
    first = _one_group(tmp_path / "first.csv")
    second = _one_group(tmp_path / "second.csv")
    second.write_text(second.read_text() + "extra,435300,387200,design\n")  # another file: another run
    outs = []
    for i, p in enumerate((first, second)):
        r = runner.invoke(app, ["microclusters", str(p), "--out", str(tmp_path / f"o{i}"), "--home", str(home),
                                "--stability-reps", "0", "--current"])
        assert r.exit_code == 0, r.output
        outs.append(r.output)
    assert "1 microcluster of at least 50 firms" in outs[0] and "1 microclusters" not in outs[0]
    with Warehouse(home, read_only=True) as wh:
        runs = list_runs(wh).set_index("firm_file")
    rid = runs.loc["first.csv", "run_id"]
    r = runner.invoke(app, ["microclusters-runs", "--use", rid, "--home", str(home)])
    assert r.exit_code == 0, r.output
    r = runner.invoke(app, ["data", "status", "--home", str(home)])
    assert r.exit_code == 0, r.output
    block = " ".join(r.output.split("microclusters  (", 1)[1].split("\n\n", 1)[0].split())
    assert f"run {rid} on first.csv: 1 microcluster of at least 50 firms from 60 creative firms" in block, block
    assert "made current with microclusters-runs --use" in block



def test_the_catalogue_describes_the_current_run_when_another_is_stored_beside_it(tmp_path):
    # was: a run stored as not current put its own description in the catalogue's coverage line ("run NEW: 1
    # microclusters ...; stored, not current"), beside the title, vintage and caveats of the current run
    home, runner = tmp_path / "home", CliRunner()
    first = _one_group(tmp_path / "first.csv")
    second = _one_group(tmp_path / "second.csv")
    second.write_text(second.read_text() + "extra,435300,387200,design\n")
    for i, (p, flag) in enumerate(((first, "--current"), (second, "--no-current"))):
        r = runner.invoke(app, ["microclusters", str(p), "--out", str(tmp_path / f"o{i}"), "--home", str(home),
                                "--stability-reps", "0", flag])
        assert r.exit_code == 0, r.output
    with Warehouse(home, read_only=True) as wh:
        runs = list_runs(wh).set_index("firm_file")
    r = runner.invoke(app, ["data", "status", "--home", str(home)])
    block = " ".join(r.output.split("microclusters  (", 1)[1].split("\n\n", 1)[0].split())
    assert f"coverage: current: run {runs.loc['first.csv', 'run_id']} on first.csv: 1 microcluster" in block, block
    assert (f"also stored, not current (--no-current): run {runs.loc['second.csv', 'run_id']} on second.csv"
            in block), block


def test_a_status_no_firm_has_is_named_with_the_statuses_the_file_holds(tmp_path):
    # was: "no firms with status 'active'; try --status all" (a list whose status column says Open/Closed), and
    # for the Companies House layout "no creative companies among 3 rows with status 'bogus'", as if the
    # companies were there but not creative
    plain = tmp_path / "firms.csv"
    plain.write_text("name,postcode,sic,status\nA,S1 2BX,62012,Open\nB,S1 2BX,62012,Closed\n", encoding="utf-8")
    with pytest.raises(ImportFormatError) as err:
        prepare_firms(read_firm_file(plain))
    assert "has status 'active'" in str(err.value) and "'Open' (1), 'Closed' (1)" in str(err.value)
    assert err.value.column == "status"
    ch = tmp_path / "ch.csv"
    ch.write_text('CompanyName,CompanyNumber,RegAddress.PostCode,CompanyStatus,SICCode.SicText_1\n'
                  'A,01,S1 2BX,Active,62012 - Software\nB,02,S1 2BX,Dissolved,62012 - Software\n', encoding="utf-8")
    with pytest.raises(ImportFormatError) as err:
        firm_files.load_creative_firms(ch, status="bogus")
    assert "no company of the 2 rows has status 'bogus'" in str(err.value)
    assert "'Dissolved' or 'Liquidation'" in str(err.value)


@pytest.mark.parametrize("layout", ["plain", "companies_house"])
def test_rows_without_a_sic_code_are_counted_apart_from_the_non_creative(tmp_path, layout):
    # was: "not creative: 3" for a shop and two firms with no SIC code (an empty cell, "None Supplied"): rows
    # that cannot be classified read as known not to be creative; and "SIC values that are not SIC codes: 0 rows
    # (0 of them left out, unclassified)" was printed when there were none
    path = tmp_path / "firms.csv"
    if layout == "plain":
        path.write_text("name,postcode,sic\nA,S1 2BX,62012\nShop,S1 2BX,47110\nB,S1 2BX,\nC,S1 2BX,None Supplied\n",
                        encoding="utf-8")
    else:
        path.write_text("CompanyName,CompanyNumber,RegAddress.PostCode,CompanyStatus,SICCode.SicText_1,"
                        "SICCode.SicText_2\nA,01,S1 2BX,Active,62012 - Software,\n"
                        "Shop,02,S1 2BX,Active,47110 - Retail,\n"
                        "B,03,S1 2BX,Active,,\nC,04,S1 2BX,Active,None Supplied,\n", encoding="utf-8")
    _, rep = firm_files.load_creative_firms(path)
    assert (rep.n_not_creative, rep.n_no_sic) == (3, 2)
    summary = rep.summary()
    assert "not creative: 3 (2 of them with no SIC code or sub-sector at all" in summary
    assert "not SIC codes: 0 rows" not in summary


def test_a_sic_code_written_as_a_decimal_number_is_read(tmp_path):
    # was: "62012.0" (how pandas writes a column of SIC numbers that has an empty cell, and how some spreadsheets
    # export them) was "a SIC value that is not a SIC code", and the firm left out, unclassified
    frame = pd.DataFrame({"name": ["A", "B", "C"], "postcode": ["S1 2BX"] * 3, "sic": [62012, 5911, None]})
    path = tmp_path / "firms.csv"
    frame.to_csv(path, index=False)
    assert "62012.0" in path.read_text()
    firms, rep = firm_files.load_creative_firms(path)
    assert firms["sic_codes"].tolist() == ["6201", "5911"] and rep.n_sic_unreadable == 0


def test_swapped_latitude_and_longitude_are_named_as_such(tmp_path):
    # was: "expected a postcode column or coordinates (easting/northing or lat/lon); found ['name', 'lat', 'lon',
    # 'sic']" for a list whose lat and lon columns were the wrong way round; a few swapped rows were "coordinates
    # that are not British National Grid metres ... expected a number with easting 0-700,000"
    path = tmp_path / "firms.csv"
    path.write_text("name,lat,lon,sic\nA,-1.4750,53.3797,62012\nB,-1.4687,53.3770,62012\n", encoding="utf-8")
    with pytest.raises(ImportFormatError) as err:
        firm_files.load_creative_firms(path)
    assert "the columns lat and lon look swapped" in str(err.value) and "row 2, lat/lon" in str(err.value)
    assert (err.value.row, err.value.column) == (2, "lat/lon")
    path.write_text("name,lat,lon,sic\nA,53.3797,-1.4750,62012\nB,-1.4687,53.3770,62012\n", encoding="utf-8")
    with pytest.warns(firm_files.MalformedFirmValuesWarning) as caught:
        firm_files.load_creative_firms(path)
    text = " ".join(str(w.message) for w in caught)
    assert "not a latitude and longitude in Great Britain" in text and "WGS84 latitude" in text
    assert "easting 0-700,000" not in text


def test_the_unlocated_warning_writes_counts_with_thousands_separators():
    # was: "13 of 11164 premises ... could not be located" (Brighton and Hove's list), beside "11,164 rows"
    n = 1200
    raw = pd.DataFrame({"name": [f"F{i}" for i in range(n)], "sic": "62012",
                        "easting": ["435000"] * (n - 1) + [""], "northing": ["387000"] * (n - 1) + [""]})
    with pytest.warns(firm_files.UnlocatedFirmsWarning, match="1 of 1,200 creative firms could not be located"):
        prepare_firms(raw)


def test_a_wrong_max_extent_is_refused_before_the_firm_file_is_read(tmp_path):
    # was: the firm file was read and located (its summary printed) before "--max-extent must be a positive area"
    r = CliRunner().invoke(app, ["microclusters", str(_one_group(tmp_path / "firms.csv")), "--out",
                                 str(tmp_path / "out"), "--no-load", "--max-extent", "-1",
                                 "--home", str(tmp_path / "home")])
    assert r.exit_code == 1 and "--max-extent must be a positive area in km²; got -1.0" in r.output
    assert "plain list layout" not in r.output and not (tmp_path / "out").exists()


def test_a_run_notes_the_firms_without_a_sic_code(tmp_path):
    # was: firms with no SIC code were only counted among "not creative" in the read summary; run.json kept
    # nothing of them
    import json

    path = _one_group(tmp_path / "firms.csv")
    frame = pd.read_csv(path).drop(columns="subsector").assign(sic="74100")
    frame.loc[:2, "sic"] = None
    frame.to_csv(path, index=False)
    r = CliRunner().invoke(app, ["microclusters", str(path), "--out", str(tmp_path / "out"), "--no-load",
                                 "--stability-reps", "0", "--home", str(tmp_path / "home")])
    assert r.exit_code == 0, r.output
    note = "3 firms of the file have no SIC code or sub-sector at all, so they are not known to be creative"
    assert note in r.output
    assert any(note in n for n in json.loads((tmp_path / "out" / "run.json").read_text())["notes"])


def test_a_list_with_numbered_sic_columns_reads_every_one():
    # was: neither "SIC 1" nor "SIC 2" was read as a SIC column ("expected a column of SIC 2007 codes"), and a
    # list with "sic" and "SIC code 2" read only the first, so a firm whose creative code was its second was left
    # out as not creative
    raw = pd.DataFrame({"name": ["A", "B", "C"], "SIC 1": ["47110", "62012", "47110"],
                        "SIC 2": ["59111", None, "01110"], "easting": ["435000"] * 3, "northing": ["387000"] * 3})
    firms, rep = prepare_firms(raw)
    assert firms["name"].tolist() == ["A", "B"] and firms["sic_codes"].tolist() == ["5911", "6201"]
    assert rep.n_not_creative == 1
    both = pd.DataFrame({"name": ["A", "B"], "sic": ["62012", "47110"], "SIC code 2": [None, "59111"],
                         "easting": ["435000"] * 2, "northing": ["387000"] * 2})
    assert prepare_firms(both)[0]["name"].tolist() == ["A", "B"]
