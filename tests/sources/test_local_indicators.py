"""Tests for the Explore Local Statistics context indicators (``local_indicators``).

Known values were read off the files by hand and are cross-checked against a
second, independent parse with the ``csv`` module. Bad-input tests use small
SYNTHETIC files in ``tmp_path``.
"""

from __future__ import annotations

import csv
import json
import math
from pathlib import Path

import pytest

from creative_clusters._schema import validate_observations
from creative_clusters.errors import ImportFormatError
from creative_clusters.sources import local_indicators as li
from creative_clusters.sources.els_layout import CHANGES_FILE, TOPO_FILE
from creative_clusters.warehouse import Warehouse
from tests.sources._helpers import assert_rejects, unreadable_cases, write_files

MEASURES = {
    "employment_rate_pct",
    "economically_inactive_pct",
    "engaged_with_the_arts_pct",
    "visited_a_heritage_site_pct",
    "visited_a_museum_or_gallery_pct",
    "visited_a_public_library_pct",
    "gross_value_added_per_filled_job_gbp",
    "gross_value_added_per_hour_worked_gbp",
    "museums_per_100k",
}

# --------------------------------------------------------------------- real data


@pytest.fixture(scope="module")
def result(data_root: Path):
    return li.read_local_indicators(data_root)


@pytest.fixture(scope="module")
def obs(result):
    return validate_observations(result.observations, source="local_indicators")


def _one(obs, code, measure, period):
    r = obs[
        (obs["geo_code"] == code)
        & (obs["measure"] == measure)
        & (obs["period"] == period)
    ]
    assert len(r) == 1, (code, measure, period, len(r))
    return r.iloc[0]


def _csv_value(
    root: Path, name: str, code: str, indicator: str, period: str, col: str
) -> str:
    with open(root / "local_indicators" / name, encoding="utf-8-sig", newline="") as fh:
        rows = [
            r
            for r in csv.DictReader(fh)
            if r["areacd"] == code
            and r["indicator"] == indicator
            and r["period"] == period
        ]
    assert len(rows) == 1
    return rows[0][col]


# (file, code, indicator, ELS period, column, our measure, our period, value read by hand)
KNOWN = [
    (
        "employment-rate.csv",
        "E09000033",
        "Employment rate",
        "2018-01-01/P1Y",
        "observation",
        "employment_rate_pct",
        "2018",
        68.2,
    ),
    (
        "employment-rate.csv",
        "E09000033",
        "Employment rate",
        "2018-01-01/P1Y",
        "lci_95",
        "employment_rate_pct_lci95",
        "2018",
        63.6,
    ),
    (
        "employment-rate.csv",
        "E09000033",
        "Employment rate",
        "2018-01-01/P1Y",
        "uci_95",
        "employment_rate_pct_uci95",
        "2018",
        72.8,
    ),
    (
        "gross-value-added.csv",
        "E06000002",
        "Gross value added per hour worked",
        "2023-01-01/P1Y",
        "observation",
        "gross_value_added_per_hour_worked_gbp",
        "2023",
        34.11,
    ),
    (
        "museums.csv",
        "E09000033",
        "museums",
        "2021-09-30",
        "observation",
        "museums_per_100k",
        "2021-09-30",
        21.05,
    ),
    (
        "engagement-with-culture-and-heritage.csv",
        "E09000007",
        "Visited a museum or gallery",
        "2023-04-01/P1Y",
        "observation",
        "visited_a_museum_or_gallery_pct",
        "2023/24",
        70.0,
    ),
    (
        "engagement-with-culture-and-heritage.csv",
        "E09000007",
        "Visited a museum or gallery",
        "2023-04-01/P1Y",
        "uci_95",
        "visited_a_museum_or_gallery_pct_uci95",
        "2023/24",
        75.0,
    ),
]


@pytest.mark.parametrize("case", KNOWN, ids=[f"{k[6]}-{k[1]}-{k[5]}" for k in KNOWN])
def test_known_values(data_root: Path, obs, case):
    name, code, ind, period, col, measure, our_period, hand = case
    assert float(_csv_value(data_root, name, code, ind, period, col)) == pytest.approx(
        hand
    )
    assert _one(obs, code, measure, our_period)["value"] == pytest.approx(hand)


def test_measure_names(obs, result):
    base = {m for m in obs["measure"] if not m.endswith(("_lci95", "_uci95"))}
    assert base == MEASURES
    table = result.tables["local_indicator_measures"]
    assert set(table["measure"]) == MEASURES
    gva = table[table["measure"] == "gross_value_added_per_filled_job_gbp"].iloc[0]
    assert gva["label"] == "Gross value added per job filled"  # from the JSON metadata
    assert gva["source_org"] == "Office for National Statistics"


def test_confidence_limits_become_measures(obs):
    with_ci = {m[: -len("_lci95")] for m in obs["measure"] if m.endswith("_lci95")}
    assert with_ci == {
        "employment_rate_pct",
        "economically_inactive_pct",
        "engaged_with_the_arts_pct",
        "visited_a_heritage_site_pct",
        "visited_a_museum_or_gallery_pct",
        "visited_a_public_library_pct",
    }
    key = ["geo_code", "period", "status"]
    v = obs[obs["measure"] == "engaged_with_the_arts_pct"].set_index(key)["value"]
    lo = obs[obs["measure"] == "engaged_with_the_arts_pct_lci95"].set_index(key)[
        "value"
    ]
    hi = obs[obs["measure"] == "engaged_with_the_arts_pct_uci95"].set_index(key)[
        "value"
    ]
    assert len(v) == len(lo) == len(hi) > 0
    ok = (lo <= v.reindex(lo.index)) & (v.reindex(hi.index) <= hi)
    # As published, six ITL1 rows have uci_95 == lci_95 below the estimate; every
    # other area (all LADs) has lci <= estimate <= uci.
    bad = sorted(ok[~ok].index.get_level_values("geo_code"))
    assert bad == ["TLC", "TLE", "TLF", "TLG", "TLI", "TLJ"]


def test_lad_coverage(obs):
    lad = obs[obs["geo_type"] == "lad"].groupby("measure")["geo_code"].nunique()
    assert lad["employment_rate_pct"] == 350  # GB: no Northern Ireland (APS)
    assert lad["engaged_with_the_arts_pct"] == 296  # England only
    assert lad["gross_value_added_per_hour_worked_gbp"] == 361  # UK, LAD 2023 set
    assert lad["museums_per_100k"] == 380  # mixed old and new codes
    emp = obs[(obs["measure"] == "employment_rate_pct") & (obs["geo_type"] == "lad")]
    assert not emp["geo_code"].str.startswith("N09").any()
    assert set(emp["geo_vintage"]) == {"2023"}


def test_flags(obs):
    # status 'x' → suppressed, NaN
    r = _one(obs, "E09000001", "employment_rate_pct", "2023")
    assert r["disclosure_flag"] == "suppressed" and math.isnan(r["value"])
    # status 'u' with no value → low-reliability, NaN
    r = _one(obs, "E09000001", "employment_rate_pct", "2022")
    assert r["disclosure_flag"] == "low-reliability" and math.isnan(r["value"])
    # notes 'unreliable' with a value → low-reliability, value kept
    r = _one(obs, "E09000001", "employment_rate_pct", "2018")
    assert r["disclosure_flag"] == "low-reliability" and r["value"] == 76.0
    # 'Data not available' (NI GVA per job 2023) → suppressed
    r = _one(obs, "N09000003", "gross_value_added_per_filled_job_gbp", "2023")
    assert r["disclosure_flag"] == "suppressed" and math.isnan(r["value"])
    assert not (obs["disclosure_flag"].eq("suppressed") & obs["value"].notna()).any()


def test_repeated_area_under_two_labels_is_merged(obs):
    """Greater Manchester is listed as a combined authority and as an ITL2 area."""
    gm = obs[
        (obs["geo_code"] == "E47000001")
        & (obs["measure"] == "engaged_with_the_arts_pct")
    ]
    assert gm["value"].tolist() == [88.0]
    assert gm["geo_type"].tolist() == ["cauth"]


# ------------------------------------------------------------- synthetic root
# SYNTHETIC values, hand-typed.

TOPO = {
    "type": "Topology",
    "arcs": [],
    "objects": {
        "ltla": {
            "type": "GeometryCollection",
            "geometries": [
                {"type": None, "properties": {"areacd": "E09000033"}},
                {"type": None, "properties": {"areacd": "E06000002"}},
            ],
        }
    },
}
CHANGES = "oldcd,oldnm,newcd,newnm,type,start\nE08000016,Barnsley,E08000038,Barnsley,new_code,2025\n"
HEAD = "areacd,areanm,geography,indicator,period,observation,measure,unit,lci_95,uci_95,status,notes\n"
EMP = HEAD + (
    "E09000033,Westminster,Local Authority District,Employment rate,2020-01-01/P1Y,70.1,Percentage,%,66.0,74.2,,\n"
    "E06000002,Middlesbrough,County or Unitary Authority,Employment rate,2020-01-01/P1Y,65.0,Percentage,%,,,,\n"
)
ONE = (
    HEAD
    + "E09000033,Westminster,Local Authority District,{ind},2020-01-01/P1Y,1.5,Percentage,%,,,,\n"
)
META = json.dumps({"ess-beta-metadata": {"shared": {"sourceOrg": "Synthetic"}}})


def make_root(tmp: Path, **override: str | bytes) -> Path:
    files: dict[str, str | bytes] = {TOPO_FILE: json.dumps(TOPO), CHANGES_FILE: CHANGES}
    for rel, meta in li.FILES.items():
        files[rel] = EMP if "employment" in rel else ONE.format(ind=Path(rel).stem)
        if meta:
            files[meta] = META
    files.update(override)
    return write_files(tmp, files)


EMP_FILE = "local_indicators/employment-rate.csv"


def test_synthetic_root(tmp_path: Path):
    o = li.read_local_indicators(make_root(tmp_path)).observations
    assert set(o["measure"]) == {
        "employment_rate_pct",
        "employment_rate_pct_lci95",
        "employment_rate_pct_uci95",
        "engagement_with_culture_and_heritage_pct",
        "gross_value_added_pct",
        "museums_pct",
    }
    assert len(o) == 2 + 2 + 3


_BAD = {
    "wrong_header": (EMP.replace("lci_95", "lower"), 1, None),
    # a cut line: fewer fields than the header, reported for the row (was: a column)
    "truncated": (EMP + "E09000033,Westminster,Local Author", 4, None),
    "text_in_numeric_ci": (EMP.replace(",66.0,", ",sixty-six,"), 2, "lci_95"),
    "unknown_code": (EMP.replace("E06000002", "E99000002"), 3, "areacd"),
    "unknown_unit": (
        EMP.replace("Percentage,%,,", "Percentage,parsecs,,"),
        3,
        "indicator",
    ),
    "duplicate_row": (EMP + EMP.splitlines()[1] + "\n", 4, None),
    **unreadable_cases(EMP.replace("Westminster", "Westminst\u00e9r")),
}


@pytest.mark.parametrize("case", sorted(_BAD))
def test_bad_file(tmp_path: Path, case: str):
    text, row, column = _BAD[case]
    root = make_root(tmp_path, **{EMP_FILE: text})
    assert_rejects(li.read_local_indicators, root, "employment-rate.csv", row, column)


def test_bad_metadata_json(tmp_path: Path):
    root = make_root(tmp_path, **{"local_indicators/museums.json": "{oops"})
    with pytest.raises(ImportFormatError, match=r"museums\.json"):
        li.read_local_indicators(root)


def test_failed_import_leaves_warehouse_unchanged(tmp_path: Path):
    root = make_root(tmp_path / "data")
    with Warehouse(tmp_path / "home") as wh:
        wh.import_datasets(li.DATASETS, root)
        before = int(wh.query("SELECT count(*) AS n FROM observations")["n"][0])
        assert before == 7
        assert wh.has_table("local_indicator_measures")
        (root / EMP_FILE).write_text(EMP.replace(",70.1,", ",high,"), encoding="utf-8")
        with pytest.raises(ImportFormatError):
            wh.import_datasets(li.DATASETS, root)
        assert int(wh.query("SELECT count(*) AS n FROM observations")["n"][0]) == before
