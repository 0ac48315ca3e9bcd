"""Tests for the anchor-institution importers (HE providers, museums).

Synthetic inputs are hand-made and labelled as such. Real-data checks use the
counts in the data README (166 HE providers, 4,141 museums).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from creative_clusters.errors import ImportFormatError
from creative_clusters.sources import anchors as an
from creative_clusters.warehouse import Warehouse
from tests.sources._helpers import assert_rejects

HEI_HEADER = ",".join(f'"{c}"' for c in an._HEI_COLUMNS)


def _hei_row(ukprn: str, name: str, view: str, lat: str, lon: str) -> str:
    cells = [
        ukprn,
        name,
        view,
        view,
        "",
        "",
        "",
        "",
        "",
        "Town",
        "AB1 2CD",
        "",
        "",
        "",
        lon,
        lat,
        "400000",
        "300000",
        "",
        "0001",
    ]
    return ",".join(f'"{c}"' for c in cells)


SYN_HEI = [  # synthetic rows
    _hei_row(
        "10000001",
        "ROYAL NORTHERN COLLEGE OF MUSIC",
        "Royal Northern College of Music",
        "53.468",
        "-2.239",
    ),
    _hei_row(
        "10000002",
        "UNIVERSITY OF SHEFFIELD",
        "University of Sheffield",
        "53.381",
        "-1.488",
    ),
    _hei_row(
        "10000003",
        "FALMOUTH UNIVERSITY",
        "University College Falmouth",
        "50.149",
        "-5.071",
    ),
]

MUSEUM_HEADER = (
    "museum_id,museum_name,postcode,latitude,longitude,admin_area_1,accreditation,"
    "governance_type,governance_subtype,subject_matter,year_opened_low,"
    "year_opened_high,year_closed_low,year_closed_high"
)
SYN_MUSEUMS = [  # synthetic rows
    "mm.t.1,Open Museum,M1 1AA,53.48,-2.24,England,Accredited,Independent,"
    "Not for profit,Arts,1975,1980,na,na",
    "mm.t.2,Closed Museum,S1 1AA,53.38,-1.47,England,Unaccredited,Government,"
    "Local Authority,Local Histories,1960,1960,2007,2017",
    "mm.t.3,Late Closer,CF10 1AA,51.48,-3.18,Wales,Unaccredited,Independent,"
    "Private,Transport,1990,1990,2021,2021",
]


def make_root(tmp_path: Path) -> Path:
    root = tmp_path / "data"
    (root / "anchors").mkdir(parents=True)
    (root / an.HEI_FILE).write_text("\n".join([HEI_HEADER, *SYN_HEI]) + "\n")
    (root / an.MUSEUMS_FILE).write_text("\n".join([MUSEUM_HEADER, *SYN_MUSEUMS]) + "\n")
    return root


# ---------------------------------------------------------------- known values
def test_synthetic_hei(tmp_path: Path) -> None:
    hei = an.read_anchors_hei(make_root(tmp_path)).tables["hei"]
    assert hei["ukprn"].tolist() == ["10000001", "10000002", "10000003"]
    assert hei["creative_specialist"].tolist() == [True, False, True]
    assert hei["latitude"].dtype == "float64" and hei["easting"].iloc[0] == 400000.0
    assert "provider_name" in hei.columns and "hesa_id" in hei.columns


def test_synthetic_museum_years_and_open_flag(tmp_path: Path) -> None:
    m = an.read_anchors_museums(make_root(tmp_path)).tables["museums"]
    assert m["year_opened"].tolist() == ["1975–1980", "1960", "1990"]  # a range where the project is unsure
    assert m["year_opened_high"].tolist() == [1980, 1960, 1990]
    assert m["year_closed"].isna().tolist() == [True, False, False]
    assert m["year_closed"].iloc[1] == "2007–2017" and m["year_closed_low"].iloc[1] == 2007
    # open in 2021: still open; closed by 2017; closed during 2021 -> not "definitely"
    assert m["open_2021"].tolist() == [True, False, False]
    assert an.open_in_year(m, 2000).tolist() == [True, True, True]
    assert an.open_in_year(m, 1977).tolist() == [False, True, False]
    assert m["accredited"].tolist() == [True, False, False]
    assert m["name"].tolist() == ["Open Museum", "Closed Museum", "Late Closer"]
    assert m["governance"].tolist() == [
        "Independent: Not for profit",
        "Government: Local Authority",
        "Independent: Private",
    ]


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("1975", (1975, 1975)),
        ("1975:1980", (1975, 1980)),
        ("na", (None, None)),
        ("", (None, None)),
        (" 2001 ", (2001, 2001)),
    ],
)
def test_parse_year_range_known(cell: str, expected: tuple) -> None:
    assert an.parse_year_range(cell) == expected


@pytest.mark.parametrize("cell", ["1980:1975", "19755", "c. 1900", "1975-1980"])
def test_parse_year_range_rejects(cell: str) -> None:
    with pytest.raises(ValueError):
        an.parse_year_range(cell)


@given(st.integers(1000, 2100), st.integers(0, 80))
def test_parse_year_range_roundtrip(low: int, span: int) -> None:
    assert an.parse_year_range(f"{low}:{low + span}") == (low, low + span)


@pytest.mark.parametrize(
    ("name", "flag"),
    [
        ("University of the Arts, London", True),
        ("Royal College of Music", True),
        ("Guildhall School of Music and Drama", True),
        ("Ravensbourne Limited", True),
        ("Rose Bruford College", True),
        ("Glasgow School of Art", True),
        ("The Liverpool Institute for Performing Arts", True),
        ("University of Sheffield", False),
        ("University of Oxford", False),
        ("Imperial College of Science, Technology and Medicine", False),
        ("Heriot-Watt University", False),
        ("Royal Agricultural College", False),
        ("Martial University", False),  # 'art' only as a whole word
    ],
)
def test_creative_specialist_rule(name: str, flag: bool) -> None:
    assert an.is_creative_specialist(name) is flag


# ---------------------------------------------------------------- bad input
def _corrupt(path: Path, how: str, *, value_col: str, unknown: tuple[str, str]) -> None:
    lines = path.read_text().splitlines()
    header = lines[0].replace('"', "").split(",")
    k = header.index(value_col)
    if how == "header":
        lines[0] = lines[0].replace(value_col, value_col + "_X", 1)
    elif how == "ragged":
        lines[2] = lines[2] + ",extra"
    elif how == "truncated":
        lines[2] = ",".join(lines[2].split(",")[:3])
    elif how == "text":
        cells = lines[2].split(",")
        cells[k] = "north"
        lines[2] = ",".join(cells)
    elif how == "unknown":
        lines[2] = lines[2].replace(*unknown, 1)
    elif how == "duplicate":
        lines.append(lines[1])
    if how == "encoding":
        text = "\n".join(lines) + "\n"
        text = text.replace("Town", "Llanfair Môn").replace(
            "Open Museum", "Amgueddfa Môn"
        )
        path.write_bytes(text.encode("latin-1"))
    elif how == "empty":
        path.write_bytes(b"")
    else:
        path.write_text("\n".join(lines) + "\n")


CASES = [
    ("header", 1, None),
    ("ragged", 3, None),
    ("truncated", 3, None),
    ("text", 3, "value"),
    ("unknown", 3, "code"),
    ("duplicate", 5, "id"),
    ("encoding", None, None),
    ("empty", None, None),
]


@pytest.mark.parametrize(("how", "row", "column"), CASES)
def test_hei_bad_input(tmp_path: Path, how: str, row: int | None, column) -> None:
    root = make_root(tmp_path)
    path = root / an.HEI_FILE
    _corrupt(path, how, value_col="LATITUDE", unknown=('"10000002"', '"X0000002"'))
    expected_col = {"value": "LATITUDE", "code": "UKPRN", "id": "UKPRN"}.get(column)
    assert_rejects(an.read_anchors_hei, root, path.name, row, expected_col)


@pytest.mark.parametrize(("how", "row", "column"), CASES)
def test_museums_bad_input(tmp_path: Path, how: str, row: int | None, column) -> None:
    root = make_root(tmp_path)
    path = root / an.MUSEUMS_FILE
    _corrupt(path, how, value_col="latitude", unknown=("Unaccredited", "Pending"))
    expected_col = {"value": "latitude", "code": "accreditation", "id": "museum_id"}.get(column)
    assert_rejects(an.read_anchors_museums, root, path.name, row, expected_col)


def test_museum_bad_year_names_row_and_column(tmp_path: Path) -> None:
    root = make_root(tmp_path)
    path = root / an.MUSEUMS_FILE
    path.write_text(path.read_text().replace("1990,1990,2021", "1990,199O,2021"))
    with pytest.raises(ImportFormatError, match="199O") as info:
        an.read_anchors_museums(root)
    assert (info.value.row, info.value.column) == (4, "year_opened_high")


def test_coordinates_outside_uk_rejected(tmp_path: Path) -> None:
    root = make_root(tmp_path)
    path = root / an.MUSEUMS_FILE
    path.write_text(path.read_text().replace("53.48,-2.24", "-2.24,53.48"))
    with pytest.raises(ImportFormatError, match="UK latitude") as info:
        an.read_anchors_museums(root)
    assert info.value.row == 2


def test_failed_import_leaves_warehouse_unchanged(tmp_path: Path) -> None:
    root = make_root(tmp_path)
    with Warehouse(tmp_path / "home") as wh:
        wh.import_datasets(an.DATASETS, root)
        hei, museums = wh.table("hei"), wh.table("museums")
        cat = wh.query("SELECT id, checksum, attribution FROM catalogue ORDER BY id")
        path = root / an.MUSEUMS_FILE
        path.write_text(path.read_text().replace("Accredited", "Maybe"))
        with pytest.raises(ImportFormatError):
            wh.import_datasets(an.DATASETS, root)
        pd.testing.assert_frame_equal(wh.table("hei"), hei)
        pd.testing.assert_frame_equal(wh.table("museums"), museums)
        pd.testing.assert_frame_equal(
            wh.query("SELECT id, checksum, attribution FROM catalogue ORDER BY id"), cat
        )
    assert cat.set_index("id").loc["anchors_museums", "attribution"] == (
        an.MUSEUMS_ATTRIBUTION
    )


# ---------------------------------------------------------------- real data
@pytest.fixture(scope="module")
def hei(data_root: Path) -> pd.DataFrame:
    return an.read_anchors_hei(data_root).tables["hei"]


@pytest.fixture(scope="module")
def museums(data_root: Path) -> pd.DataFrame:
    return an.read_anchors_museums(data_root).tables["museums"]


@pytest.mark.realdata
def test_real_counts(hei: pd.DataFrame, museums: pd.DataFrame) -> None:
    assert len(hei) == 166  # README
    assert hei["ukprn"].is_unique
    assert len(museums) == 4141  # README
    assert museums["museum_id"].is_unique


@pytest.mark.realdata
def test_real_creative_specialists(hei: pd.DataFrame) -> None:
    flag = hei.set_index("view_name")["creative_specialist"]
    for name in (
        "University of the Arts, London",
        "Royal College of Music",
        "Royal Northern College of Music",
        "Glasgow School of Art",
        "Guildhall School of Music and Drama",
        "Rose Bruford College",
        "University College Falmouth",
        "Ravensbourne Limited",
    ):
        assert flag[name], name
    for name in (
        "University of Sheffield",
        "University of Oxford",
        "The University of Manchester",
        "Sheffield Hallam University",
        "Goldsmiths' College",
    ):
        assert not flag[name], name
    assert 15 <= int(flag.sum()) <= 30


@pytest.mark.realdata
def test_real_coordinates_within_uk(hei: pd.DataFrame, museums: pd.DataFrame) -> None:
    y0, y1, x0, x1 = an.UK_BOUNDS
    for t in (hei, museums):
        lat, lon = t["latitude"].dropna(), t["longitude"].dropna()
        assert len(lat) >= len(t) - 1
        assert lat.between(y0, y1).all() and lon.between(x0, x1).all()
    east = hei["easting"].dropna()
    assert east.between(0, 700_000).all()


@pytest.mark.realdata
def test_real_museum_years(museums: pd.DataFrame) -> None:
    assert (museums["year_opened_low"] <= museums["year_opened_high"]).all()
    closed = museums.dropna(subset=["year_closed_low"])
    assert (closed["year_closed_low"] <= closed["year_closed_high"]).all()
    # The project covers museums open at any time 1960-2021.
    assert museums["year_closed_high"].dropna().between(1960, 2021).all()
    assert museums["year_opened_high"].max() <= 2021
    assert set(museums["admin_area_1"]) == {
        "England",
        "Scotland",
        "Wales",
        "Northern Ireland",
    }
    assert museums["open_2021"].sum() == museums["year_closed"].isna().sum()


@pytest.mark.realdata
def test_renamed_providers_show_their_current_name(hei: pd.DataFrame) -> None:
    """Was: Cardiff's nearest provider shown as "University of Glamorgan" (the University of South Wales since
    2013) and Falmouth as "University College Falmouth": the list's display name, not its registered one."""
    by = hei.assign(key=hei["ukprn"].astype(str)).set_index("key")
    name, view = by["name"], by["view_name"]
    assert name["10007793"] == "University of South Wales/Prifysgol de Cymru"
    assert view["10007793"].startswith("University of Glamorgan")
    assert name["10008640"] == "Falmouth University"
    assert name["10007154"] == view["10007154"]  # unchanged where the provider was not renamed
