"""Firm readers, creative filter and postcode geocoding."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from creative_clusters.classifications import dcms
from creative_clusters.errors import ImportFormatError
from creative_clusters.sources.firm_files import load_creative_firms, prepare_firms, read_firm_file
from creative_clusters.sources.postcodes import (
    geocode_postcodes,
    irish_grid_to_bng,
    load_postcode_directory,
    normalise_postcode,
)

CH_FILE = "firms/companieshouse_southyorkshire_2024-11-01.csv.gz"

# SYNTHETIC Companies House rows (hand-typed), official column layout
CH_HEADER = ("CompanyName,CompanyNumber,RegAddress.PostCode,CompanyStatus,IncorporationDate,"
             "SICCode.SicText_1,SICCode.SicText_2,SICCode.SicText_3,SICCode.SicText_4\n")


def _dir():
    return pd.DataFrame({
        "key": ["S12BX", "S11AA", "BT11AA", "S99ZZ"],
        "easting": [435000.0, 435732.0, 334316.0, np.nan],
        "northing": [387000.0, 387312.0, 374675.0, np.nan],
        "lad_code": ["E08000039", "E08000039", "N09000003", None],
        "terminated": [False, True, False, False],
    })


def test_normalise_postcode_forms():
    got = normalise_postcode(pd.Series(["s1 2bx", "S12BX", "  S1   2BX ", "sw1a1aa", "EC1A 1BB",
                                        "12345", None, "S1-2BX"]))
    assert got.tolist() == ["S1 2BX", "S1 2BX", "S1 2BX", "SW1A 1AA", "EC1A 1BB", None, None,
                            "S1 2BX"]


def test_geocode_statuses_and_irish_grid():
    with pytest.warns(UserWarning, match="Irish Grid"):
        g = geocode_postcodes(pd.Series(["s12bx", "S1 1AA", "BT1 1AA", "S9 9ZZ", "ZZ1 1ZZ", "x"]), _dir())
    assert g["geocode_status"].tolist() == ["matched", "terminated", "matched", "no_coordinates",
                                            "unmatched", "invalid"]
    assert g.loc[0, "easting"] == 435000.0
    # BT1 1AA (Belfast) moved from Irish Grid into BNG: not the raw Irish Grid numbers
    assert abs(g.loc[2, "easting"] - 146_778) < 50 and abs(g.loc[2, "northing"] - 530_104) < 50
    assert g.loc[1:, "easting"].drop(2).isna().all()


def test_irish_grid_transform_matches_lat_lon_route():
    from pyproj import Transformer

    e, n = 334316.0, 374675.0
    lon, lat = Transformer.from_crs(29903, 4326, always_xy=True).transform(e, n)
    want = Transformer.from_crs(4326, 27700, always_xy=True).transform(lon, lat)
    got = irish_grid_to_bng(np.array([e]), np.array([n]))
    assert abs(got[0][0] - want[0]) < 1 and abs(got[1][0] - want[1]) < 1


def test_companies_house_layout_multi_code_and_status(tmp_path):
    p = tmp_path / "ch.csv"
    p.write_text(CH_HEADER
                 + 'A LTD,001,S1 2BX,Active,01/01/2020,"59111 - Motion picture production",'
                   '"58110 - Book publishing","59112 - Video production",NA\n'
                 + 'B LTD,002,s12bx,Active - Proposal to Strike off,01/01/2020,"47110 - Retail",'
                   '"62012 - Business and domestic software development",NA,NA\n'
                 + 'C LTD,003,S1 2BX,Dissolved,01/01/2020,"90030 - Artistic creation",NA,NA,NA\n'
                 + 'D LTD,004,S1 2BX,Active,01/01/2020,"47110 - Retail",NA,NA,NA\n'
                 + 'E LTD,005,ZZ1 1ZZ,Active,01/01/2020,"74100 - specialised design activities",NA,NA,NA\n')
    with pytest.warns(UserWarning, match="could not be located"):
        firms, rep = prepare_firms(read_firm_file(p), directory=_dir())
    assert rep.layout == "Companies House"
    assert firms["firm_id"].tolist() == ["001", "002"]
    assert firms.loc[0, "sic_codes"] == "5911;5811"
    assert firms.loc[0, "subsectors"] == "film_tv;publishing"
    assert firms.loc[0, "subsector"] == "film_tv"
    assert firms.loc[1, "subsector"] == "it_software"
    assert rep.geocode_counts["unmatched"] == 1
    assert rep.failed_rows["source_row"].tolist() == [6]
    with pytest.warns(UserWarning, match="could not be located"):
        firms_all, _ = prepare_firms(read_firm_file(p), directory=_dir(), status="all")
    assert "003" in firms_all["firm_id"].tolist()


def test_plain_list_latlon_and_subsector(tmp_path):
    p = tmp_path / "plain.csv"  # SYNTHETIC
    p.write_text("Business name,Latitude,Longitude,Sector\nX,53.3811,-1.4701,Music\n"
                 "Y,53.38,-1.47,Bakery\nZ,,,games\n")
    with pytest.warns(UserWarning):
        firms, rep = load_creative_firms(p)
    assert firms["name"].tolist() == ["X"]
    assert firms.loc[0, "subsector"] == "music_arts"
    assert rep.coord_sources == {"file_latlon": 1}
    assert 430_000 < firms.loc[0, "easting"] < 440_000 and 380_000 < firms.loc[0, "northing"] < 395_000


def test_plain_excel_with_sic_and_easting(tmp_path):
    p = tmp_path / "firms.xlsx"  # SYNTHETIC
    pd.DataFrame({"name": ["A", "B"], "SIC": ["59.11", "4711"], "easting": [1, 2],
                  "northing": [3, 4]}).to_excel(p, index=False)
    firms, _rep = load_creative_firms(p)
    assert firms["name"].tolist() == ["A"] and firms.loc[0, "sic_codes"] == "5911"


@pytest.mark.parametrize(
    "name,content,match",
    [
        ("empty.csv", "", "empty"),
        ("header.csv", "name,postcode\n", "no firm rows"),
        ("firms.json", "{}", "unsupported file type"),
        ("binary.csv", "\x00\x01\x02garbage", "binary"),
        ("none.csv", "name,sic,easting,northing\nA,4711,1,2\n", "no creative firms"),
        ("nopc.csv", "name,sic\nA,5911\n", "postcode column or coordinates"),
    ],
)
def test_bad_files(tmp_path, name, content, match):
    p = tmp_path / name
    p.write_text(content)
    with pytest.raises(ImportFormatError, match=match):
        load_creative_firms(p)


def test_all_postcodes_unmatched(tmp_path):
    p = tmp_path / "bad.csv"
    p.write_text("name,postcode,sic\nA,ZZ1 1ZZ,5911\nB,nonsense,5911\n")
    with pytest.raises(ImportFormatError, match="none of the 2 creative firms could be located"):
        prepare_firms(read_firm_file(p), directory=_dir())


def test_packaged_directory_shape():
    d = load_postcode_directory(areas={"S"})
    assert len(d) > 300_000
    assert set(d.columns) == {"key", "easting", "northing", "lad_code", "terminated"}
    assert d["key"].str.startswith("S").all()


def test_real_file_published_counts(sy_raw, sy_creative):
    raw = sy_raw
    assert len(raw) == 75_740  # data README
    assert (raw["localauthority_name"] == "Sheffield").sum() == 33_752
    from creative_clusters.sources.firm_files import _sic_classes

    first = _sic_classes(raw["SICCode.SicText_1"])
    assert first.map(lambda c: isinstance(c, str) and dcms.is_creative_sic(c)).sum() == 5_860
    firms, rep = sy_creative
    # any of four codes creative ⊇ first code creative; each firm once
    assert rep.n_creative >= 5_860 and firms["firm_id"].is_unique
    assert rep.coord_sources == {"file_bng": len(firms)}


def test_real_file_xy_agrees_with_packaged_postcode_directory(sy_raw):
    raw = sy_raw.dropna(subset=["X", "Y", "Postcode"])
    raw = raw[raw["Postcode"].str.match(r"^(S|DN)\d")].sample(400, random_state=1)
    g = geocode_postcodes(raw["Postcode"], load_postcode_directory(areas={"S", "D"}))
    ok = g["geocode_status"] == "matched"
    assert ok.mean() > 0.95
    d = np.hypot(g.loc[ok, "easting"] - raw.loc[ok, "X"].astype(float),
                 g.loc[ok, "northing"] - raw.loc[ok, "Y"].astype(float))
    # Code-Point Open and ONSPD share the OS postcode unit grid reference
    assert (d < 50).mean() > 0.9


def test_firms_dataset_imports_into_warehouse(data_root, tmp_path):
    from creative_clusters.sources.firms import DATASETS
    from creative_clusters.warehouse import Warehouse

    with Warehouse(tmp_path / "home") as wh:
        wh.import_datasets(DATASETS, data_root)
        t = wh.table("firms_companies_house")
    # all statuses; at least the 5,860 firms whose first SIC is creative (data README)
    assert len(t) >= 5_860 and t["firm_id"].is_unique
    assert t["easting"].between(380_000, 480_000).all()


def test_user_supplied_onspd_csv_with_termination(tmp_path):
    onspd = tmp_path / "onspd.csv"  # SYNTHETIC directory rows in the ONSPD layout
    onspd.write_text("pcd,pcds,doterm,oseast1m,osnrth1m,oslaua\n"
                     "S1  2BX,S1 2BX,,435000,387000,E08000019\n"
                     "S1  1ZZ,S1 1ZZ,202001,435100,387100,E08000019\n")
    firms = tmp_path / "f.csv"
    firms.write_text("name,postcode,sic\nA,s1 2bx,5911\nB,S11ZZ,5911\n")
    with pytest.warns(UserWarning, match="1 of 2"):
        got, rep = load_creative_firms(firms, postcode_directory_path=onspd)
    assert got["postcode"].tolist() == ["S1 2BX"] and got.loc[0, "lad_code"] == "E08000019"
    assert rep.geocode_counts == {"matched": 1, "terminated": 1}
    assert rep.coord_sources == {"onspd_csv": 1}


@pytest.mark.parametrize("content", [
    "\ufeffname,postcode\nA,S1 1AA\n".encode(),
    b'name,postcode\n"A, Ltd","S1 1AA"\n"",NA\nnan,N/A\n',
    b"name , postcode\r\n A ,S1 \r\n\r\nB,S2\r\n",
    b"name,name\nA,B\n",  # repeated header: the C engine renames
])  # (a file that is not UTF-8 is read as Windows-1252: test_firm_file_audit_a3.py)
def test_fast_csv_reader_gives_the_c_engine_table(tmp_path, content):
    p = tmp_path / "firms.csv"
    p.write_bytes(content)
    ref = pd.read_csv(p, dtype=str, keep_default_na=False, na_values=["", "NA"], engine="c",
                      encoding="utf-8-sig", encoding_errors="replace")
    ref.columns = [str(c).strip() for c in ref.columns]
    pd.testing.assert_frame_equal(read_firm_file(p), ref)
