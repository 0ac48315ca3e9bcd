"""Tests for the BRES/IDBR NUTS2 importers.

Synthetic inputs below are hand-typed and labelled as such; real-data checks
use the published figures in the data README (GB BRES total 29-31 million).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from creative_clusters.errors import ImportFormatError
from creative_clusters.sources import bres_nuts2 as bn
from creative_clusters.warehouse import Warehouse
from tests.sources._helpers import assert_rejects

HEADER = ",year,geo_type,geo_nm,geo_cd,SIC4,value,cluster_name"
LOOKUP = (
    "clust,sic_4,descr,category,name,cluster\n"
    "0,0161,Support activities for crop production,primary,agri,primary_agri\n"
    "1,5911,Motion picture production,services,entertainment,services_entertainment\n"
)


def _year_rows(year: str, values: tuple[int, int, int, int]) -> list[str]:
    """Synthetic (hand-made) rows: 2 areas x 2 classes."""
    cells = [
        ("Greater Manchester", "UKD3", "0161"),
        ("Greater Manchester", "UKD3", "5911"),
        ("Inner London - West", "UKI3", "0161"),
        ("Inner London - West", "UKI3", "5911"),
    ]
    return [
        f"{i},{year},nuts 2013 level 2,{nm},{cd},{sic},{v},x"
        for i, ((nm, cd, sic), v) in enumerate(zip(cells, values, strict=True))
    ]


def make_root(tmp_path: Path) -> Path:
    """A fake data root with synthetic BRES and IDBR files."""
    root = tmp_path / "data"
    folder = root / "bres_nuts2"
    folder.mkdir(parents=True)
    (folder / "sic_4_industry_segment_lookup.csv").write_text(LOOKUP)
    for k, year in enumerate(bn.BRES_YEARS):
        rows = _year_rows(year, (5, 2250, 0, 10000 + 1000 * k))
        (folder / f"nomis_BRES_{year}_TYPE450.csv").write_text(
            "\n".join([HEADER, *rows]) + "\n"
        )
    for year in bn.IDBR_YEARS:
        rows = _year_rows(year, (10, 35, 5, 1250))
        (folder / f"nomis_IDBR_{year}_TYPE450.csv").write_text(
            "\n".join([HEADER, *rows]) + "\n"
        )
    return root


# ---------------------------------------------------------------- known values
def test_synthetic_bres_known_values(tmp_path: Path) -> None:
    res = bn.read_bres_nuts2(make_root(tmp_path))
    obs = res.observations
    assert len(obs) == 16
    by_year = obs.groupby("period")["value"].sum()
    # hand-worked: 5 + 2250 + 0 + (10000 + 1000k)
    assert by_year.to_dict() == {
        "2015": 12255.0,
        "2016": 13255.0,
        "2017": 14255.0,
        "2018": 15255.0,
    }
    assert set(obs["industry_code"]) == {"0161", "5911"}
    assert set(obs["disclosure_flag"]) == {"rounded"}
    assert set(obs["geo_type"]) == {"nuts2"} and set(obs["geo_vintage"]) == {"2013"}
    assert set(obs["measure"]) == {"employment"}
    seg = res.tables["nesta_sic4_segments"]
    assert seg.loc[seg["sic4"] == "0161", "segment"].item() == "primary_agri"


def test_synthetic_idbr_areas_table(tmp_path: Path) -> None:
    res = bn.read_idbr_nuts2(make_root(tmp_path))
    areas = res.tables["nuts2_areas"]
    assert areas.to_dict("list") == {
        "nuts2_code": ["UKD3", "UKI3"],
        "nuts2_name": ["Greater Manchester", "Inner London - West"],
        "country": ["England", "England"],
    }
    assert set(res.observations["measure"]) == {"local_units"}


def test_nuts2_2013_list_has_40_uk_39_gb() -> None:
    assert len(bn.NUTS2_2013) == 40
    assert len([c for c in bn.NUTS2_2013 if not c.startswith("UKN")]) == 39


# ---------------------------------------------------------------- bad input
def _corrupt(root: Path, name: str, how: str) -> Path:
    path = root / "bres_nuts2" / name
    lines = path.read_text().splitlines()
    if how == "header":
        lines[0] = lines[0].replace("value", "val")
    elif how == "ragged":
        lines[2] = lines[2] + ",extra"
    elif how == "truncated":
        lines[3] = lines[3].split(",UKI3")[0] if "UKI3" in lines[3] else lines[3][:30]
    elif how == "text":
        lines[2] = lines[2].replace(",2250,", ",n/a,")
    elif how == "unknown":
        lines[3] = lines[3].replace("UKI3", "UKZ9")
    elif how == "duplicate":
        lines.append(lines[1].replace("0,", "9,", 1))
    if how == "encoding":
        text = "\n".join(lines).replace("Greater Manchester", "Gwynedd Môn") + "\n"
        path.write_bytes(text.encode("latin-1"))
    elif how == "empty":
        path.write_bytes(b"")
    else:
        path.write_text("\n".join(lines) + "\n")
    return path


@pytest.mark.parametrize(
    ("how", "row", "column"),
    [
        ("header", 1, None),
        ("ragged", 3, None),
        ("truncated", 4, None),  # a cut line: fewer fields than the header (the row, not a column)
        ("text", 3, "value"),
        ("unknown", 4, "geo_cd"),
        ("duplicate", 6, None),
        ("encoding", None, None),
        ("empty", None, None),
    ],
)
def test_bad_input_names_file_row_column(
    tmp_path: Path, how: str, row: int | None, column: str | None
) -> None:
    root = make_root(tmp_path)
    path = _corrupt(root, "nomis_BRES_2016_TYPE450.csv", how)
    assert_rejects(bn.read_bres_nuts2, root, path.name, row, column)


def test_unknown_sic_class_is_rejected(tmp_path: Path) -> None:
    root = make_root(tmp_path)
    path = root / "bres_nuts2" / "nomis_IDBR_2017_TYPE450.csv"
    path.write_text(path.read_text().replace(",5911,", ",5999,", 1))
    with pytest.raises(ImportFormatError, match="segment lookup") as info:
        bn.read_idbr_nuts2(root)
    assert info.value.row == 3 and info.value.column == "SIC4"


def test_year_must_match_file_name(tmp_path: Path) -> None:
    root = make_root(tmp_path)
    path = root / "bres_nuts2" / "nomis_BRES_2017_TYPE450.csv"
    path.write_text(path.read_text().replace(",2017,", ",2016,"))
    with pytest.raises(ImportFormatError, match="2017") as info:
        bn.read_bres_nuts2(root)
    assert info.value.column == "year"


def test_leading_zero_lost_is_rejected(tmp_path: Path) -> None:
    """A spreadsheet round-trip that turned '0161' into '161' must not pass."""
    root = make_root(tmp_path)
    path = root / "bres_nuts2" / "nomis_BRES_2015_TYPE450.csv"
    path.write_text(path.read_text().replace(",0161,", ",161,"))
    with pytest.raises(ImportFormatError, match="leading zero"):
        bn.read_bres_nuts2(root)


def test_failed_import_leaves_warehouse_unchanged(tmp_path: Path) -> None:
    root = make_root(tmp_path)
    with Warehouse(tmp_path / "home") as wh:
        wh.import_datasets(bn.DATASETS, root)
        before = wh.query("SELECT * FROM observations ORDER BY ALL")
        cat_before = wh.query("SELECT id, checksum FROM catalogue ORDER BY id")
        seg_before = wh.table("nesta_sic4_segments")
        _corrupt(root, "nomis_BRES_2018_TYPE450.csv", "text")
        with pytest.raises(ImportFormatError):
            wh.import_datasets(bn.DATASETS, root)
        pd.testing.assert_frame_equal(
            wh.query("SELECT * FROM observations ORDER BY ALL"), before
        )
        pd.testing.assert_frame_equal(
            wh.query("SELECT id, checksum FROM catalogue ORDER BY id"), cat_before
        )
        pd.testing.assert_frame_equal(wh.table("nesta_sic4_segments"), seg_before)
    assert len(before) == 16 + 12


# ---------------------------------------------------------------- real data
@pytest.fixture(scope="module")
def bres(data_root: Path):
    return bn.read_bres_nuts2(data_root)


@pytest.fixture(scope="module")
def idbr(data_root: Path):
    return bn.read_idbr_nuts2(data_root)


@pytest.mark.realdata
def test_real_gb_bres_total_within_published_range(bres) -> None:
    totals = bres.observations.groupby("period")["value"].sum()
    assert list(totals.index) == ["2015", "2016", "2017", "2018"]
    for year, total in totals.items():
        assert 29_000_000 <= total <= 31_000_000, (year, total)


@pytest.mark.realdata
def test_real_525_classes_4char_codes_with_leading_zeros(bres, idbr) -> None:
    for res in (bres, idbr):
        obs = res.observations
        per_year = obs.groupby("period")["industry_code"].nunique()
        assert set(per_year) == {525}
        codes = obs["industry_code"]
        assert codes.str.fullmatch(r"\d{4}").all()
        assert {"0161", "0610", "5911", "9102"} <= set(codes)
        assert codes.str.startswith("0").any()
    assert len(bres.tables["nesta_sic4_segments"]) == 525


@pytest.mark.realdata
def test_real_area_counts_gb_for_bres_uk_for_idbr(bres, idbr) -> None:
    # NUTS 2013 level 2: 40 areas in the UK, 39 in Great Britain (no UKN0).
    b = bres.observations.groupby("period")["geo_code"].nunique()
    i = idbr.observations.groupby("period")["geo_code"].nunique()
    assert set(b) == {39}
    assert set(i) == {40}
    assert "UKN0" not in set(bres.observations["geo_code"])
    assert "UKN0" in set(idbr.observations["geo_code"])
    areas = idbr.tables["nuts2_areas"]
    assert len(areas) == 40
    assert areas.set_index("nuts2_code")["nuts2_name"].to_dict() == bn.NUTS2_2013


@pytest.mark.realdata
def test_real_values_are_rounded_multiples_of_five(bres, idbr) -> None:
    for res in (bres, idbr):
        obs = res.observations
        assert (obs["value"] % 5 == 0).all()
        assert set(obs["disclosure_flag"]) == {"rounded"}
        assert obs["value"].min() == 0


@pytest.mark.realdata
def test_real_bres_values_follow_nomis_relaxed_rounding_bands(bres) -> None:
    """Nomis article 1103: relaxed bases 5 (1-49), 25 (50-249), 50 (250-499), 100 (500-999), 250 (1,000-2,499),
    500 (2,500-4,999), 1,000 (5,000+). Every positive value is a multiple of its band's base, and in each band
    some value is not a multiple of twice it (the rounding is not coarser than the table says). The table
    before round 21 had no 250 and 2,500 bands: it said 25 and 250 there, where every value is a multiple of 50
    and 500, so the second check failed on it."""
    from creative_clusters._counts import BRES_ROUNDING, rounding_half_step

    v = bres.observations["value"].to_numpy(float)
    v = v[v > 0]
    low = 0.0
    for below, base in BRES_ROUNDING:
        band = v[(v >= low) & (v < below)]
        assert len(band) > 100, (low, below)
        assert (band % base == 0).all(), (low, below, base)
        assert (band % (2 * base) != 0).any(), (low, below, base)
        assert {rounding_half_step(x) for x in band[:50]} == {base / 2}
        low = below
