"""Tests for the Business Demography importers and the shared ELS reader.

Real-data checks use the figures in the data README; bad-input tests write
small SYNTHETIC files to ``tmp_path``.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from creative_clusters._schema import validate_observations
from creative_clusters.errors import ImportFormatError
from creative_clusters.sources import business_demography as bd
from creative_clusters.sources import els_layout as els
from creative_clusters.warehouse import Warehouse
from tests.sources._helpers import assert_rejects, unreadable_cases, write_files

MEASURES_2024 = {
    "active_enterprises",
    "birth_rate_pct",
    "death_rate_pct",
    "high_growth_rate_pct",
    "survival_rate_pct",
}

# --------------------------------------------------------------------- real data


@pytest.fixture(scope="module")
def obs(data_root: Path):
    res = bd.read_business_demography(data_root)
    return validate_observations(res.observations, source="business_demography_2024")


@pytest.fixture(scope="module")
def active(obs):
    return obs[obs["measure"] == "active_enterprises"]


def test_uk_2024_and_westminster(active):
    uk = active[(active["geo_code"] == "K02000001") & (active["period"] == "2024")]
    assert uk["value"].tolist() == [2_859_535]
    assert set(uk["geo_type"]) == {"uk"}
    w = active[(active["geo_code"] == "E09000033") & (active["period"] == "2024")]
    assert w["value"].tolist() == [58_370]


def test_lad_rows_sum_to_uk_every_year(active):
    lad = active[active["geo_type"] == "lad"].groupby("period")["value"].sum()
    uk = active[active["geo_code"] == "K02000001"].set_index("period")["value"]
    assert list(lad.index) == ["2019", "2020", "2021", "2022", "2023", "2024"]
    for year in lad.index:
        assert lad[year] == uk[year], year


def test_lad_counts_and_vintages(active):
    lad = active[active["geo_type"] == "lad"]
    counts = lad.groupby("period")["geo_code"].nunique().to_dict()
    assert counts == {
        "2019": 382,
        "2020": 379,
        "2021": 374,
        "2022": 374,
        "2023": 374,
        "2024": 361,
    }
    vint = lad.groupby("period")["geo_vintage"].unique().map(list).to_dict()
    assert vint == {
        "2019": ["2019"],
        "2020": ["2020"],
        "2021": ["2021"],
        "2022": ["2021"],
        "2023": ["2021"],
        "2024": ["2023"],
    }
    # 2024 is on the LAD 2023 set: every code is in the official LAD 2023 list.


def test_2024_lads_are_the_2023_set(data_root: Path, active):
    with open(
        data_root / "geography/ltla23.csv", encoding="utf-8-sig", newline=""
    ) as fh:
        lad23 = {r["areacd"] for r in csv.DictReader(fh)}
    lad = active[(active["geo_type"] == "lad") & (active["period"] == "2024")]
    assert set(lad["geo_code"]) == lad23


def test_lads_selected_by_code_not_label(data_root: Path, active):
    """E06 unitaries are labelled 'County or Unitary Authority' but are LADs."""
    mbro = active[(active["geo_code"] == "E06000002")]
    assert set(mbro["geo_type"]) == {"lad"}
    assert set(active.loc[active["geo_code"] == "E10000012", "geo_type"]) == {
        "utla"
    }  # Essex
    assert set(active.loc[active["geo_code"] == "E12000007", "geo_type"]) == {"rgn"}
    assert set(active.loc[active["geo_code"] == "E92000001", "geo_type"]) == {"ctry"}


def test_measures_status_and_flags(obs):
    assert set(obs["measure"]) == MEASURES_2024  # no CIs in this file
    surv = obs[obs["measure"] == "survival_rate_pct"]
    assert set(surv["status"]) == {"1-year", "2-year", "3-year", "4-year", "5-year"}
    assert set(surv.loc[surv["status"] == "5-year", "period"]) == {"2019"}
    assert set(obs.loc[obs["measure"] != "survival_rate_pct", "status"]) == {""}
    assert set(obs.loc[obs["measure"] == "active_enterprises", "disclosure_flag"]) == {
        "rounded"
    }
    rates = obs[obs["measure"].str.endswith("_pct")]
    assert set(rates["disclosure_flag"]) == {"as-published"}
    assert rates["value"].between(0, 100).all()
    assert set(obs["period"]) == {"2019", "2020", "2021", "2022", "2023", "2024"}


def test_uk_birth_rate_matches_independent_parse(data_root: Path, obs):
    with open(data_root / bd.BD_FILE, encoding="utf-8-sig", newline="") as fh:
        rows = [
            r
            for r in csv.DictReader(fh)
            if r["areacd"] == "K02000001" and r["indicator"] == "Business births"
        ]
    ref = {r["period"][:4]: float(r["observation"]) for r in rows}
    got = obs[(obs["geo_code"] == "K02000001") & (obs["measure"] == "birth_rate_pct")]
    assert dict(zip(got["period"], got["value"], strict=True)) == ref
    assert len(ref) == 6


def test_2017_2022_files(data_root: Path):
    res = bd.read_business_demography_2017_2022(data_root)
    o = validate_observations(res.observations, source="business_demography_2017_2022")
    assert set(o["measure"]) == set(bd.FIRM_FILES)
    per_year = (
        o[o["measure"] == "active_enterprises"].groupby("period")["geo_code"].nunique()
    )
    assert per_year.to_dict() == {str(y): 374 for y in range(2017, 2023)}
    assert set(o["geo_vintage"]) == {"2021"}
    # Independent parse of one file with the csv module.
    with open(
        data_root / bd.FIRM_FILES["births"], encoding="utf-8-sig", newline=""
    ) as fh:
        ref = {(r["code"], r["year"]): float(r["count"]) for r in csv.DictReader(fh)}
    b = o[o["measure"] == "births"]
    assert (
        dict(zip(zip(b["geo_code"], b["period"], strict=True), b["value"], strict=True))
        == ref
    )
    # 10+ employee enterprises are a subset of all active ones.
    piv = o.pivot_table(index=["geo_code", "period"], columns="measure", values="value")
    assert (piv["active_10plus_enterprises"] <= piv["active_enterprises"]).all()


def test_the_two_releases_broadly_agree(data_root: Path, active):
    """2022 LAD totals of the two releases are within 2% (revisions only)."""
    old = bd.read_business_demography_2017_2022(data_root).observations
    o22 = old[(old["measure"] == "active_enterprises") & (old["period"] == "2022")][
        "value"
    ].sum()
    n22 = active[(active["geo_type"] == "lad") & (active["period"] == "2022")][
        "value"
    ].sum()
    assert abs(o22 / n22 - 1) < 0.02


# ------------------------------------------------------------------ pure helpers


def test_period_parsing():
    assert els.parse_els_period("2024-01-01/P1Y") == "2024"
    assert els.parse_els_period("2019-04-01/P1Y") == "2019/20"
    assert els.parse_els_period("1999-04-01/P1Y") == "1999/00"
    with pytest.raises(ValueError, match="period"):
        els.parse_els_period("last year")


def test_geo_types():
    assert els.geo_type_of("K02000001") == "uk"
    assert els.geo_type_of("W06000015") == "lad"
    assert els.geo_type_of("E47000001") == "cauth"
    assert els.geo_type_of("E13000001") == "custom"
    assert els.geo_type_of("Z99000001") is None
    assert els.geo_type_of("E0600000") is None


def test_vintage_rule_on_mixed_sets():
    """Codes that never co-existed get their own last year in use."""
    hist = {"A": (2014, 2022), "B": (2023, 9999), "C": (2014, 9999)}
    import pandas as pd

    codes = pd.Series(["A", "B", "C"])
    per_row, group = els.lad_vintages(codes, hist, file="f", rows=pd.Series([2, 3, 4]))
    assert group == "2023"
    assert per_row.tolist() == ["2022", "2023", "2023"]
    per_row, group = els.lad_vintages(
        pd.Series(["B", "C"]), hist, file="f", rows=pd.Series([2, 3])
    )
    assert (group, per_row.tolist()) == ("2023", ["2023", "2023"])


# ------------------------------------------------------------- synthetic root
# SYNTHETIC values, hand-typed.

TOPO = {
    "type": "Topology",
    "arcs": [],
    "objects": {
        "ltla": {
            "type": "GeometryCollection",
            "geometries": [
                {
                    "type": None,
                    "properties": {"areacd": "E09000033", "areanm": "Westminster"},
                },
                {
                    "type": None,
                    "properties": {"areacd": "E06000002", "areanm": "Middlesbrough"},
                },
                {
                    "type": None,
                    "properties": {
                        "areacd": "E06000063",
                        "areanm": "Cumberland",
                        "start": 2023,
                    },
                },
            ],
        }
    },
}
CHANGES = "oldcd,oldnm,newcd,newnm,type,start\nE08000016,Barnsley,E08000038,Barnsley,new_code,2025\n"
HEAD = "areacd,areanm,geography,indicator,period,observation,measure,unit,lci_95,uci_95,status,notes\n"
BD = HEAD + (
    "K02000001,United Kingdom,Country,Active businesses,2024-01-01/P1Y,300,"
    "Number of enterprises,Number of enterprises,,,,\n"
    "E09000033,Westminster,Local Authority District,Active businesses,2024-01-01/P1Y,200,"
    "Number of enterprises,Number of enterprises,,,,\n"
    "E06000002,Middlesbrough,County or Unitary Authority,Active businesses,2024-01-01/P1Y,60,"
    "Number of enterprises,Number of enterprises,,,,\n"
    "E06000063,Cumberland,County or Unitary Authority,Active businesses,2024-01-01/P1Y,40,"
    "Number of enterprises,Number of enterprises,,,,\n"
    "E09000033,Westminster,Local Authority District,Two-year survival rate,2022-01-01/P1Y,51.5,Percentage,%,,,,\n"
    "E06000002,Middlesbrough,County or Unitary Authority,Business births,2024-01-01/P1Y,,Percentage,%,,,x,\n"
)
LONG = "code,region,year,count\nE09000033,Westminster,2022,200\nE06000002,Middlesbrough,2022,60\n"


def make_root(tmp: Path, **override: str | bytes) -> Path:
    files: dict[str, str | bytes] = {
        els.TOPO_FILE: json.dumps(TOPO),
        els.CHANGES_FILE: CHANGES,
        bd.BD_FILE: BD,
        bd.BD_JSON: "{}",
    }
    files.update(dict.fromkeys(bd.FIRM_FILES.values(), LONG))
    files.update(override)
    return write_files(tmp, files)


def test_synthetic_root(tmp_path: Path):
    o = bd.read_business_demography(make_root(tmp_path)).observations
    assert len(o) == 6
    surv = o[o["measure"] == "survival_rate_pct"]
    assert surv[["status", "period", "value"]].values.tolist() == [
        ["2-year", "2022", 51.5]
    ]
    sup = o[o["measure"] == "birth_rate_pct"]
    assert sup["disclosure_flag"].tolist() == ["suppressed"] and np.isnan(
        sup["value"].iloc[0]
    )
    assert set(o.loc[o["period"] == "2024", "geo_vintage"]) == {
        "2023"
    }  # Cumberland present


_BAD = {
    "wrong_header": (BD.replace("observation,", "value,", 1), 1, None),
    "truncated": (
        BD + "E09000033,Westminster,Local Authority District,Active bus",
        8,
        None,  # a cut line: fewer fields than the header, reported for the row (was: the first empty column)
    ),
    "ragged_extra_field": (BD + BD.splitlines()[1] + ",extra\n", 8, None),
    "text_in_numeric": (BD.replace(",200,", ",two hundred,"), 3, "observation"),
    "empty_value_without_marker": (
        BD.replace(",,Percentage,%,,,x,", ",,Percentage,%,,,,"),
        7,
        "observation",
    ),
    "unknown_code": (
        BD.replace(
            "E06000002,Middlesbrough,County or Unitary Authority,Active",
            "Q06000002,Middlesbrough,County or Unitary Authority,Active",
        ),
        4,
        "areacd",
    ),
    "unknown_lad_code": (
        BD.replace(
            "E06000002,Middlesbrough,County or Unitary Authority,Active",
            "E06000099,Nowhere,County or Unitary Authority,Active",
        ),
        4,
        "areacd",
    ),
    "unknown_indicator": (
        BD.replace("Two-year survival rate", "Happiness"),
        6,
        "indicator",
    ),
    "unknown_status": (BD.replace(",,,x,", ",,,zz,"), 7, "status"),
    "duplicate_row": (BD + BD.splitlines()[2] + "\n", 8, None),
    "conflicting_repeat": (
        BD
        + BD.splitlines()[2]
        .replace(",200,", ",205,")
        .replace("Local Authority District", "Other label")
        + "\n",
        8,
        None,
    ),
    **unreadable_cases(BD.replace("Westminster", "Westminst\u00e9r")),
}


@pytest.mark.parametrize("case", sorted(_BAD))
def test_bad_els_file(tmp_path: Path, case: str):
    text, row, column = _BAD[case]
    root = make_root(tmp_path, **{bd.BD_FILE: text})
    assert_rejects(bd.read_business_demography, root, "business-demography.csv", row, column)


_BAD_LONG = {
    "wrong_header": (LONG.replace("count", "n"), 1, None),
    "text_in_numeric": (LONG.replace(",200", ",lots"), 2, "count"),
    "unknown_code": (LONG.replace("E06000002", "E10000002"), 3, "code"),
    "duplicate_row": (LONG + "E09000033,Westminster,2022,200\n", 4, None),
    "truncated": (LONG + "E09000033,Westm", 4, None),
    **unreadable_cases(LONG.replace("Westminster", "Westminst\u00e9r")),
}


@pytest.mark.parametrize("case", sorted(_BAD_LONG))
def test_bad_firmdemography_file(tmp_path: Path, case: str):
    text, row, column = _BAD_LONG[case]
    rel = bd.FIRM_FILES["deaths"]
    root = make_root(tmp_path, **{rel: text})
    assert_rejects(bd.read_business_demography_2017_2022, root, "deaths_firmdemography_to_2022_LONG.csv", row, column)


def test_missing_topology_is_a_format_error(tmp_path: Path):
    root = make_root(tmp_path)
    (root / els.TOPO_FILE).write_text("{not json", encoding="utf-8")
    with pytest.raises(ImportFormatError, match=r"uk_topo\.json"):
        bd.read_business_demography(root)


def test_failed_import_leaves_warehouse_unchanged(tmp_path: Path):
    root = make_root(tmp_path / "data")
    with Warehouse(tmp_path / "home") as wh:
        wh.import_datasets(bd.DATASETS, root)
        before = int(wh.query("SELECT count(*) AS n FROM observations")["n"][0])
        assert before == 6 + 5 * 2
        (root / bd.FIRM_FILES["births"]).write_text(
            LONG.replace(",60", ",sixty"), encoding="utf-8"
        )
        with pytest.raises(ImportFormatError):
            wh.import_datasets(bd.DATASETS, root)
        assert int(wh.query("SELECT count(*) AS n FROM observations")["n"][0]) == before


@given(st.integers(min_value=1900, max_value=2099))
def test_period_parsing_property(year: int):
    assert els.parse_els_period(f"{year}-01-01/P1Y") == str(year)
    fy = els.parse_els_period(f"{year}-04-01/P1Y")
    assert fy[:4] == str(year) and int(fy[5:]) == (year + 1) % 100


def test_lad_history_completed_from_changes(tmp_path: Path):
    """A recode the topology lacks is added from changes.csv (SYNTHETIC files)."""
    root = make_root(tmp_path)
    topo = {
        "type": "Topology",
        "arcs": [],
        "objects": {
            "ltla": {
                "type": "GeometryCollection",
                "geometries": [{"type": None, "properties": {"areacd": "E08000016"}}],
            }
        },
    }
    (root / els.TOPO_FILE).write_text(json.dumps(topo), encoding="utf-8")
    hist = els.load_lad_history(root / els.TOPO_FILE, root / els.CHANGES_FILE)
    assert hist == {"E08000016": (2014, 2024), "E08000038": (2025, 9999)}


def test_real_lad_history(data_root: Path):
    hist = els.load_lad_history(data_root / els.TOPO_FILE, data_root / els.CHANGES_FILE)
    assert hist["S12000049"] == (2019, 9999)  # Glasgow City, from changes.csv
    assert hist["S12000046"][1] == 2018
    assert hist["E06000060"] == (2020, 9999)  # Buckinghamshire, from the topology
    assert hist["E07000004"][1] == 2019  # Aylesbury Vale


def test_bad_changes_file(tmp_path: Path):
    root = make_root(tmp_path, **{els.CHANGES_FILE: CHANGES.replace(",2025", ",soon")})
    with pytest.raises(ImportFormatError) as info:
        bd.read_business_demography(root)
    assert "changes.csv" in str(info.value)
    assert (info.value.row, info.value.column) == (2, "start")
