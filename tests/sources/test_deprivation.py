"""Tests for the Indices of Deprivation importers.

Real-data checks use the README (Middlesbrough ranks 5th on IMD 2019 rank of
average score) and values read off the files by hand, cross-checked with the
``csv`` module. Bad-input tests use small SYNTHETIC files in ``tmp_path``.
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest

from creative_clusters._schema import validate_observations
from creative_clusters.errors import ImportFormatError
from creative_clusters.sources import deprivation as dep
from creative_clusters.sources import deprivation_layouts as layouts
from creative_clusters.warehouse import Warehouse
from tests.sources._helpers import assert_rejects, unreadable_cases, write_files

DOMAINS = "imd|income|employment|education|health|crime|barriers|housing|access|environment|idaci|idaopi"
STATS = (
    "average_score|rank_of_average_score|average_rank|rank_of_average_rank|"
    "proportion_most_deprived_10pct|rank_of_proportion_most_deprived_10pct|extent|"
    "rank_of_extent|local_concentration|rank_of_local_concentration|scale|rank_of_scale"
)
MEASURE = re.compile(rf"^({DOMAINS})_({STATS})$")

# --------------------------------------------------------------------- real data


@pytest.fixture(scope="module")
def all_obs(data_root: Path):
    out = {}
    for spec in dep.DATASETS:
        out[spec.id] = validate_observations(
            spec.reader(data_root).observations, source=spec.id
        )
    return out


def _val(o, code, measure, vintage):
    r = o[
        (o["geo_code"] == code)
        & (o["measure"] == measure)
        & (o["geo_vintage"] == vintage)
    ]
    assert len(r) == 1
    return float(r["value"].iloc[0])


def test_middlesbrough_rank_2019(all_obs):
    o = all_obs["imd2019_england"]
    assert _val(o, "E06000002", "imd_rank_of_average_score", "2019") == 5
    assert (
        _val(o, "E06000002", "imd_rank_of_proportion_most_deprived_10pct", "2019") == 1
    )
    # Unchanged boundaries: same average score on the 2023 set (file value 40.460345…).
    assert _val(o, "E06000002", "imd_average_score", "2023") == pytest.approx(
        40.46, abs=1e-3
    )


def test_imd2025_value_read_by_hand(data_root: Path, all_obs):
    o = all_obs["imd2025_england"]
    with open(
        data_root / "deprivation/imd2025_england_ltla24.csv", encoding="utf-8-sig"
    ) as fh:
        row = next(r for r in csv.DictReader(fh) if r["ltla24_code"] == "E06000002")
    assert float(row["imd_rank_of_average_score"]) == 2.0  # read by hand
    assert _val(o, "E06000002", "imd_rank_of_average_score", "2024") == 2
    assert _val(o, "E06000002", "imd_average_score", "2024") == pytest.approx(40.037)
    # IDACI comes only from the long file.
    assert _val(o, "E06000002", "idaci_rank_of_average_score", "2024") >= 1


def test_disagreeing_2025_files_keep_the_wide_file(data_root: Path, all_obs):
    o = all_obs["imd2025_england"]
    with open(
        data_root / "deprivation/imd2025_england_ltla24.csv", encoding="utf-8-sig"
    ) as fh:
        row = next(r for r in csv.DictReader(fh) if r["ltla24_code"] == "E06000062")
    assert _val(o, "E06000062", "income_average_rank", "2024") == float(
        row["income_average_rank"]
    )


def test_lad_counts_and_vintages(all_obs):
    e19 = all_obs["imd2019_england"]
    assert e19.groupby("geo_vintage")["geo_code"].nunique().to_dict() == {
        "2019": 317,
        "2022": 309,
        "2023": 296,
    }
    assert all_obs["imd2025_england"]["geo_code"].nunique() == 296
    assert set(all_obs["imd2025_england"]["geo_vintage"]) == {"2024"}
    assert all_obs["imd2019_wales"]["geo_code"].nunique() == 22
    assert all_obs["imd2020_scotland"]["geo_code"].nunique() == 32
    assert all_obs["imd2017_northern_ireland"]["geo_code"].nunique() == 11


def test_ranks_are_a_permutation(all_obs):
    o = all_obs["imd2019_england"]
    r = o[(o["measure"] == "imd_rank_of_average_score") & (o["geo_vintage"] == "2019")]
    assert sorted(r["value"].astype(int)) == list(range(1, 318))
    o = all_obs["imd2025_england"]
    r = o[o["measure"] == "imd_rank_of_average_score"]
    assert sorted(r["value"].astype(int)) == list(range(1, 297))


def test_nations_are_separate_and_measures_documented(all_obs):
    prefixes = {
        "imd2019_england": "E0",
        "imd2025_england": "E0",
        "imd2019_wales": "W06",
        "imd2020_scotland": "S12",
        "imd2017_northern_ireland": "N09",
    }
    for ds, prefix in prefixes.items():
        o = all_obs[ds]
        assert o["geo_code"].str.startswith(prefix).all(), ds
        assert set(o["geo_type"]) == {"lad"}
        bad = [m for m in set(o["measure"]) if not MEASURE.match(m)]
        assert bad == [], (ds, bad)
        share = o["measure"].str.match(
            rf"^({DOMAINS})_(proportion_most_deprived_10pct|extent)$"
        )
        assert share.any()
        assert o.loc[share, "value"].between(0, 1).all(), ds
    # Scotland and NI publish no scores.
    for ds in ("imd2020_scotland", "imd2017_northern_ireland"):
        assert not all_obs[ds]["measure"].str.contains("score").any()


def test_uk_lsoa_deciles(all_obs):
    o = all_obs["imd_uk_lsoa"]
    assert set(o["measure"]) == {"imd_uk_decile"}
    assert set(o["geo_type"]) == {"lsoa"}
    nation = o["geo_code"].str[0].replace({"9": "N"})
    assert nation.value_counts().to_dict() == {
        "E": 33_755,
        "S": 6_976,
        "W": 1_909,
        "N": 890,
    }
    share = o["value"].value_counts(normalize=True)
    assert sorted(share.index) == list(range(1, 11))
    assert share.between(0.099, 0.101).all()  # deciles of the UK composite
    assert o.groupby(nation)["geo_vintage"].unique().map(list).to_dict() == {
        "E": ["2021"],
        "N": ["2001"],
        "S": ["2011"],
        "W": ["2011"],
    }


# ------------------------------------------------------------------ pure helpers


@pytest.mark.parametrize(
    "col, measure",
    [
        ("imd_rank_of_average_rank", "imd_rank_of_average_rank"),
        ("imd25_local_concentration", "imd_local_concentration"),
        ("employment_scale", "employment_scale"),
        ("rank_of_employment_scale", "employment_rank_of_scale"),
        (
            "barriers_to_housing_and_services_rank_of_proportion_of_lso_as_in_most_deprived_10_percent_nationally",
            "barriers_rank_of_proportion_most_deprived_10pct",
        ),
        ("health_deprivation_and_disability_average_score", "health_average_score"),
    ],
)
def test_wide_column_names(col, measure):
    assert layouts.wide_column_measure(col) == measure


def test_unknown_domain():
    with pytest.raises(ValueError, match="domain"):
        layouts.domain_key("Happiness")


# ------------------------------------------------------------- synthetic root
# SYNTHETIC values, hand-typed.

WALES = ("ltla22_code,Score,Proportion,Extent,Housing_Score\n"
         "W06000001,18.2,0.02,0.1,20.0\nW06000002,16.8,0.03,0.05,33.7\n")
SCOT = "ltla24_code,Proportion,Extent\nS12000005,0.09,0.26\n"
NI = "lgd14_code,Proportion,Extent\nN09000001,0.01,0.08\n"
ENG = "{c},Score,Proportion,Extent\nE06000002,40.46,0.4884,0.571\nE06000001,35.037,0.3621,0.4973\n"
RANKS = (
    "lad19cd,lad19nm,index_domain,average_rank,rank_average_rank,average_score,"
    "rank_average_score,proportion_bottom_decile,rank_proportion_bottom_decile,year\n"
    "E06000002,Middlesbrough,Index of Multiple Deprivation,23729.1,16,40.46,5,0.4884,1,2019\n"
    "E06000001,Hartlepool,Index of Multiple Deprivation,22581.98,25,35.037,10,0.3621,10,2019\n"
)
WIDE25 = (
    "ltla24_code,ltla24_name,imd_average_score,imd_rank_of_average_score\n"
    "E06000002,Middlesbrough,40.037,2.0\n"
)
LONG25 = (
    "area_code,area_name,area_type,deprivation_data_year,index_domain,average_rank,"
    "rank_average_rank,average_score,rank_average_score,proportion_bottom_decile,"
    "rank_proportion_bottom_decile\n"
    "E06000002,Middlesbrough,LAD,2025,Index of Multiple Deprivation,23840.54,21,40.037,2,0.5,1\n"
)
LSOA = (
    "area_code,IMD_decile\nE01000001,8.0\nW01000001,1.0\nS01006506,3.0\n95GG12S1,10.0\n"
)


def make_root(tmp: Path, **override: str | bytes) -> Path:
    files: dict[str, str | bytes] = {
        "deprivation/imd2019_wales_ltla22.csv": WALES,
        "deprivation/imd2020_scotland_ltla24.csv": SCOT,
        "deprivation/imd2017_northern_ireland_lgd14.csv": NI,
        "deprivation/imd2019_england_ltla19.csv": ENG.format(c="ltla19_code"),
        "deprivation/imd2019_england_ltla22.csv": ENG.format(c="ltla22_code"),
        "deprivation/imd2019_england_ltla23.csv": ENG.format(c="ltla23_code"),
        "deprivation/IoD2019_lad19_ranks.csv": RANKS,
        "deprivation/imd2025_england_ltla24.csv": WIDE25,
        "deprivation/indices_of_deprivation_2025_lad.csv": LONG25,
        "deprivation/imd_uk_lsoa.csv": LSOA,
    }
    files.update(override)
    return write_files(tmp, files)


def test_synthetic_root_reads_every_dataset(tmp_path: Path):
    root = make_root(tmp_path)
    n = {s.id: len(s.reader(root).observations) for s in dep.DATASETS}
    assert n == {
        "imd2019_england": 3 * 3 * 2 + 2 * 4,
        "imd2025_england": 6,
        "imd2019_wales": 8,
        "imd2020_scotland": 2,
        "imd2017_northern_ireland": 2,
        "imd_uk_lsoa": 4,
    }
    o = dep.read_imd2019_england(root).observations
    assert _val(o, "E06000002", "imd_rank_of_average_score", "2019") == 5


WALES_FILE = "deprivation/imd2019_wales_ltla22.csv"
_BAD = {
    "wrong_header": (WALES.replace("ltla22_code", "code"), 1, None),
    "unexpected_column": (
        WALES.replace("Housing_Score", "Happiness_Score"),
        1,
        "Happiness_Score",
    ),
    # a cut line: fewer fields than the header, reported for the row (was: a column)
    "truncated": (WALES + "W06000003,12.0,0.0", 4, None),
    "ragged_extra_field": (WALES + "W06000003,1,0,0,1,9\n", 4, None),
    "text_in_numeric": (WALES.replace(",16.8,", ",high,"), 3, "Score"),
    "unknown_code": (WALES.replace("W06000002", "E06000002"), 3, "ltla22_code"),
    "duplicate_row": (WALES + "W06000001,18.2,0.02,0.1,20.0\n", 4, "ltla22_code"),
    **unreadable_cases(
        "ltla22_code,Score,Proportion,Extent\nW06000001,18.2,0.02,0.1\n".replace("Score", "Sc\u00f6re")
    ),
}


@pytest.mark.parametrize("case", sorted(_BAD))
def test_bad_nation_file(tmp_path: Path, case: str):
    text, row, column = _BAD[case]
    root = make_root(tmp_path, **{WALES_FILE: text})
    assert_rejects(dep.read_imd2019_wales, root, "imd2019_wales_ltla22.csv", row, column)


@pytest.mark.parametrize(
    "rel, text, reader, row, column",
    [
        (
            "deprivation/IoD2019_lad19_ranks.csv",
            RANKS.replace(
                "Index of Multiple Deprivation,23729", "Index of Happiness,23729"
            ),
            dep.read_imd2019_england,
            2,
            "index_domain",
        ),
        (
            "deprivation/IoD2019_lad19_ranks.csv",
            RANKS + RANKS.splitlines()[1] + "\n",
            dep.read_imd2019_england,
            4,
            None,
        ),
        (
            "deprivation/IoD2019_lad19_ranks.csv",
            RANKS.replace(",40.46,5,", ",41.46,5,"),
            dep.read_imd2019_england,
            None,
            None,
        ),  # disagrees with the ltla19 file
        (
            "deprivation/imd2025_england_ltla24.csv",
            WIDE25.replace("imd_average_score", "imd_mystery"),
            dep.read_imd2025_england,
            1,
            "imd_mystery",
        ),
        (
            "deprivation/indices_of_deprivation_2025_lad.csv",
            LONG25.replace(",2025,", ",2019,"),
            dep.read_imd2025_england,
            2,
            "deprivation_data_year",
        ),
        (
            "deprivation/imd_uk_lsoa.csv",
            LSOA.replace("8.0", "11.0"),
            dep.read_imd_uk_lsoa,
            2,
            "IMD_decile",
        ),
        (
            "deprivation/imd_uk_lsoa.csv",
            LSOA.replace("E01000001", "X01000001"),
            dep.read_imd_uk_lsoa,
            2,
            "area_code",
        ),
    ],
)
def test_bad_other_files(tmp_path: Path, rel, text, reader, row, column):
    root = make_root(tmp_path, **{rel: text})
    assert_rejects(reader, root, Path(rel).name, row, column)


def test_failed_import_leaves_warehouse_unchanged(tmp_path: Path):
    root = make_root(tmp_path / "data")
    with Warehouse(tmp_path / "home") as wh:
        wh.import_datasets(dep.DATASETS, root)
        before = int(wh.query("SELECT count(*) AS n FROM observations")["n"][0])
        assert before == 26 + 6 + 8 + 2 + 2 + 4
        (root / "deprivation/imd_uk_lsoa.csv").write_text(
            LSOA.replace("3.0", "three"), encoding="utf-8"
        )
        with pytest.raises(ImportFormatError):
            wh.import_datasets(dep.DATASETS, root)
        assert int(wh.query("SELECT count(*) AS n FROM observations")["n"][0]) == before


_WIDE_DOMAINS = {
    "imd": "imd",
    "income": "income",
    "employment": "employment",
    "education_skills_and_training": "education",
    "health_deprivation_and_disability": "health",
    "crime": "crime",
    "barriers_to_housing_and_services": "barriers",
    "living_environment": "environment",
}
_WIDE_SUFFIXES = {
    "average_rank": "average_rank",
    "rank_of_average_rank": "rank_of_average_rank",
    "average_score": "average_score",
    "rank_of_average_score": "rank_of_average_score",
    "proportion_of_lso_as_in_most_deprived_10_percent_nationally": (
        "proportion_most_deprived_10pct"
    ),
    "rank_of_proportion_of_lso_as_in_most_deprived_10_percent_nationally": (
        "rank_of_proportion_most_deprived_10pct"
    ),
}


@pytest.mark.parametrize("prefix", sorted(_WIDE_DOMAINS))
def test_every_wide_domain_statistic_combination(prefix):
    """Every domain × statistic column of the MHCLG layout maps to domain_stat."""
    for suffix, stat in _WIDE_SUFFIXES.items():
        col = f"{prefix}_{suffix}"
        assert layouts.wide_column_measure(col) == f"{_WIDE_DOMAINS[prefix]}_{stat}", col
        assert MEASURE.match(layouts.wide_column_measure(col))
