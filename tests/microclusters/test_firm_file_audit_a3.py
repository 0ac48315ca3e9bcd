"""Firm files as a user brings them (audit a3): unlocated firms written out, SIC codes outside SIC 2007,
files that are not UTF-8, zipped plain lists.

Every file here is invented (SYNTHETIC firms and a SYNTHETIC five-row stand-in for the SIC 2007 list);
nothing is copied from the reference data. The points are British National Grid metres in Sheffield.
"""

from __future__ import annotations

import gzip
import json
import warnings
import zipfile
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from creative_clusters.errors import ImportFormatError
from creative_clusters.sources.companies_house import read_companies_house
from creative_clusters.sources.firm_files import (
    MalformedFirmValuesWarning,
    NotUtf8FirmFileWarning,
    UnlocatedFirmsWarning,
    load_creative_firms,
    prepare_firms,
    read_firm_file,
)

_PLAIN = "name,easting,northing,sic\n"


def _load(path: Path) -> tuple[pd.DataFrame, object, list[warnings.WarningMessage]]:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        firms, rep = load_creative_firms(path)
    return firms, rep, caught


@pytest.fixture
def sic_list(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A SYNTHETIC reference-data folder whose SIC 2007 list has five subclasses (the real one has 729)."""
    root = tmp_path / "data"
    (root / "classifications").mkdir(parents=True)
    rows = [("59", "591", "59111", "J"), ("62", "620", "62012", "J"), ("47", "471", "47110", "G"),
            ("74", "741", "74100", "M"), ("90", "900", "90030", "R")]
    lines = ["SIC_2DIGIT_CODE,SIC_2DIGIT_NAME,SIC_3DIGIT_CODE,SIC_3DIGIT_NAME,SIC_5DIGIT_CODE,SIC_5DIGIT_NAME,"
             "SIC_2DIGIT_CODE_NUMERIC,SIC_SECTION_LETTER,SIC_SECTION_CODE,SIC_SECTION_NAME"]
    lines += [f"{d},{d} : x,{g},{g} : x,{s},{s} : x,{int(d)},{sec},{sec},x" for d, g, s, sec in rows]
    (root / "classifications" / "sic2007_hierarchy.csv").write_text("\n".join(lines) + "\n", encoding="latin-1")
    monkeypatch.setenv("CREATIVE_CLUSTERS_DATA", str(root))
    return root


# ------------------------------------------------------------------ 1. unlocated firms are named and written out


def test_the_unlocated_warning_names_the_first_rows(tmp_path: Path) -> None:
    # rows 3 and 5 have no coordinates and no postcode column to fall back on
    p = tmp_path / "SYNTHETIC_unlocated.csv"
    p.write_text(_PLAIN + "A,435000,387000,59111\nGhost One,,,62012\nB,435100,387100,59111\nGhost Two,,,90030\n")
    _, rep, caught = _load(p)
    msg = next(str(w.message) for w in caught if issubclass(w.category, UnlocatedFirmsWarning))
    assert "2 of 4" in msg
    assert "row 3, 'Ghost One', no postcode" in msg and "row 5, 'Ghost Two', no postcode" in msg
    assert rep.failed_rows["name"].tolist() == ["Ghost One", "Ghost Two"]


def test_the_run_writes_unlocated_firms_csv_and_names_it_in_run_json(tmp_path: Path) -> None:
    from creative_clusters.microclusters.outputs import UNLOCATED_CSV, OutputWriter, detect_microclusters

    rng = np.random.default_rng(3)
    xy = rng.normal(435000, 60, (30, 2))
    firms = pd.DataFrame({"firm_id": [str(i) for i in range(30)], "easting": xy[:, 0], "northing": xy[:, 1],
                          "subsector": ["design"] * 30})
    result = detect_microclusters(firms, eps=300, min_firms=10, stability_reps=0)
    result.unlocated = pd.DataFrame({"source_row": [4, 9], "name": ["Ghost One", "Ghost Two"],
                                     "postcode": ["ZZ99 9ZZ", None], "reason": ["unmatched", "no_postcode"]})
    out = OutputWriter(tmp_path / "out", parallel=False).commit(result)
    written = pd.read_csv(out / UNLOCATED_CSV, dtype=str, keep_default_na=False)
    assert written.columns.tolist() == ["source_row", "name", "postcode", "reason"]
    assert written.values.tolist() == [["4", "Ghost One", "ZZ99 9ZZ", "unmatched"],
                                       ["9", "Ghost Two", "", "no_postcode"]]
    assert json.loads((out / "run.json").read_text())["unlocated_firms"]["file"] == UNLOCATED_CSV
    assert json.loads((out / "run.json").read_text())["unlocated_firms"]["n"] == 2


def test_the_cli_writes_unlocated_firms_and_notes_the_encoding(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from typer.testing import CliRunner

    from creative_clusters.cli import app

    p = tmp_path / "SYNTHETIC_unlocated.csv"  # Windows-1252, as Excel saves it
    body = "".join(f"Café {i},{435000 + 10 * i},{387000 + 10 * i},59111\n" for i in range(4))
    p.write_bytes((_PLAIN + body + "Ghost,,,62012\n").encode("cp1252"))
    monkeypatch.setenv("CREATIVE_CLUSTERS_HOME", str(tmp_path / "home"))
    res = CliRunner().invoke(app, ["microclusters", str(p), "--out", str(tmp_path / "out"), "--min-firms", "2",
                                   "--stability-reps", "0", "--no-load"])
    assert res.exit_code == 0, res.output
    assert f"{tmp_path / 'out' / 'unlocated_firms.csv'} lists all of them" in res.output
    assert (tmp_path / "out" / "unlocated_firms.csv").read_text().splitlines()[1] == "6,Ghost,,no_postcode"
    notes = json.loads((tmp_path / "out" / "run.json").read_text())["notes"]
    assert any("unlocated_firms.csv lists them" in n for n in notes)
    assert any("read as Windows-1252" in n for n in notes)
    assert "Café 0" in (tmp_path / "out" / "microcluster_firms.csv").read_text(encoding="utf-8")


# ------------------------------------------------------------------ 2. SIC codes that are not SIC 2007 classes


def test_sic_2003_codes_are_counted_as_unknown_not_as_not_creative(sic_list: Path) -> None:
    # 92110 and 72220 are SIC 2003 (film production, software consultancy); 47110 is a SIC 2007 shop
    raw = pd.DataFrame({"name": ["Old Film", "Old Soft", "Film", "Shop"], "sic": ["92110", "72220", "59111", "47110"],
                        "easting": ["435000"] * 4, "northing": ["387000"] * 4})
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        firms, rep = prepare_firms(raw)
    assert firms["name"].tolist() == ["Film"]
    assert (rep.n_sic_unknown, rep.n_sic_unknown_dropped, rep.n_not_creative) == (2, 2, 1)
    assert rep.sic_unknown_rows["value"].tolist() == ["92110", "72220"]
    assert "SIC codes that are not SIC 2007 classes (SIC 2003?): 2 rows" in rep.summary()
    msg = next(str(w.message) for w in caught if issubclass(w.category, MalformedFirmValuesWarning))
    assert "row 2, sic: '92110'" in msg and "not a SIC 2007 class" in msg


def test_companies_house_own_codes_are_not_unknown(sic_list: Path) -> None:
    raw = pd.DataFrame({"name": ["Dormant", "Film"], "sic": ["99999", "59111"],
                        "easting": ["435000"] * 2, "northing": ["387000"] * 2})
    _, rep = prepare_firms(raw)
    assert (rep.n_sic_unknown, rep.n_not_creative) == (0, 1)


def test_without_the_sic_list_the_report_says_codes_were_not_checked(tmp_path: Path,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CREATIVE_CLUSTERS_DATA", str(tmp_path / "nothing"))
    raw = pd.DataFrame({"name": ["Old Film", "Film"], "sic": ["92110", "59111"],
                        "easting": ["435000"] * 2, "northing": ["387000"] * 2})
    _, rep = prepare_firms(raw)
    assert rep.sic_checked is False and rep.n_sic_unknown == 0
    assert "SIC codes not checked against SIC 2007" in rep.summary()


def test_the_national_reader_counts_unknown_codes_of_left_out_rows(tmp_path: Path, sic_list: Path) -> None:
    p = tmp_path / "SYNTHETIC_ch.csv"
    p.write_text("CompanyName,CompanyNumber,RegAddress.PostCode,CompanyStatus,SICCode.SicText_1,SICCode.SicText_2\n"
                 "A,1,S1 2BX,Active,59111 - Film,\n"
                 "B,2,S1 2BX,Active,92110 - Motion picture production,\n"
                 "C,3,S1 2BX,Active,47110 - Retail,\n"
                 "D,4,S1 2BX,Active,99999 - Dormant Company,\n"
                 "E,5,S1 2BX,Active,72220 - Software,59111 - Film\n")
    out = read_companies_house(p)
    assert out["CompanyName"].tolist() == ["A", "E"]
    assert out.attrs["rows_sic_unknown_dropped"] == 1
    assert out.attrs["sic_unknown_examples"] == [("SICCode.SicText_1", 3, "92110 - Motion picture production")]
    _, rep = prepare_firms(out.assign(easting="435000", northing="387000"))
    assert (rep.n_sic_unknown, rep.n_sic_unknown_dropped) == (2, 1)  # E's 72220 is counted, not dropped
    assert rep.n_not_creative == 2  # C (retail) and D (dormant), counted by the national reader


# ------------------------------------------------------------------ 3. firm files that are not UTF-8


def test_a_windows_1252_file_is_read_as_such_and_said_so(tmp_path: Path) -> None:
    p = tmp_path / "SYNTHETIC_cp1252.csv"
    p.write_bytes((_PLAIN + "Café Films,435000,387000,59111\nMüller Design,435100,387100,74100\n").encode("cp1252"))
    firms, rep, caught = _load(p)
    assert firms["name"].tolist() == ["Café Films", "Müller Design"]
    assert (rep.encoding, rep.encoding_line) == ("cp1252", 2)
    assert "read as Windows-1252" in rep.summary()
    assert any(issubclass(w.category, NotUtf8FirmFileWarning) for w in caught)


def test_a_gzipped_windows_1252_file_too(tmp_path: Path) -> None:
    p = tmp_path / "SYNTHETIC_cp1252.csv.gz"
    p.write_bytes(gzip.compress((_PLAIN + "A,435000,387000,59111\nCafé,435100,387100,74100\n").encode("cp1252")))
    df = read_firm_file(p)
    assert df["name"].tolist() == ["A", "Café"] and df.attrs["encoding_line"] == 3


def test_a_utf8_file_says_utf8(tmp_path: Path) -> None:
    p = tmp_path / "SYNTHETIC_utf8.csv"
    p.write_text(_PLAIN + "Café,435000,387000,59111\n", encoding="utf-8")
    assert read_firm_file(p).attrs["encoding"] == "utf-8"


def test_bytes_that_are_neither_utf8_nor_windows_1252_are_refused_with_the_line(tmp_path: Path) -> None:
    p = tmp_path / "SYNTHETIC_bad.csv"
    p.write_bytes(_PLAIN.encode() + b"A,435000,387000,59111\nB\x81,435000,387000,59111\n")  # 0x81: unused in cp1252
    with pytest.raises(ImportFormatError, match=r"line 3.*Re-save the file as UTF-8"):
        read_firm_file(p)


# ------------------------------------------------------------------ 4. zipped plain lists


def _zip(path: Path, members: dict[str, str]) -> Path:
    with zipfile.ZipFile(path, "w") as zf:
        for name, text in members.items():
            zf.writestr(name, text)
    return path


@pytest.mark.parametrize("name", ["SYNTHETIC_firms.zip", "SYNTHETIC_firms.csv.zip"])
def test_a_zip_of_one_plain_csv_is_read_as_that_csv(tmp_path: Path, name: str) -> None:
    p = _zip(tmp_path / name, {"firms.csv": _PLAIN + "A,435000,387000,59111\nShop,435000,387000,47110\n"})
    firms, rep, _ = _load(p)
    assert firms["name"].tolist() == ["A"] and rep.layout == "plain list"


def test_a_zip_of_several_plain_csvs_is_refused_naming_them(tmp_path: Path) -> None:
    p = _zip(tmp_path / "SYNTHETIC_two.csv.zip", {"a.csv": _PLAIN + "A,435000,387000,59111\n",
                                                  "b.csv": _PLAIN + "B,435000,387000,59111\n"})
    with pytest.raises(ImportFormatError, match=r"a\.csv, b\.csv.*not Companies House product parts"):
        load_creative_firms(p)
