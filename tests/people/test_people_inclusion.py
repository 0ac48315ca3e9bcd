"""Hand-worked checks: deprivation ranks and deciles, creative activity by decile, job quality, composition."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from creative_clusters import kinds
from creative_clusters.errors import ParameterError, SchemaError, UnknownCodeError
from creative_clusters.people.inclusion import (
    creative_by_deprivation_decile,
    deprivation_deciles,
    imd_rank,
    job_quality_panel,
    workforce_composition,
    worst_flag,
)


def _imd() -> pd.DataFrame:
    return pd.DataFrame({
        "dataset": ["imd2019_england"] * 3 + ["imd2019_wales"],
        "geo_code": ["E1", "E2", "E3", "W06000015"],
        "geo_vintage": ["2019"] * 3 + ["2022"],
        "measure": ["imd_rank_of_average_score"] * 3 + ["imd_proportion_most_deprived_10pct"],
        "value": [3.0, 1.0, 2.0, 0.18]})


def test_imd_rank_hand_worked():
    r = imd_rank(_imd(), "E1", dataset="imd2019_england")
    assert (r["rank"], r["of"]) == (3, 3)


def test_devolved_indices_never_ranked_with_england():
    with pytest.raises(ParameterError, match="never ranked together"):
        imd_rank(_imd(), "W06000015", kind=kinds.DEPRIVATION_ENGLAND, dataset="imd2019_england")
    with pytest.raises(ParameterError, match="never ranked together"):
        imd_rank(_imd(), "E1", kind=kinds.DEPRIVATION_WALES, dataset="imd2019_wales")
    w = imd_rank(_imd(), "W06000015", kind=kinds.DEPRIVATION_WALES, dataset="imd2019_wales")
    assert w["rank"] is None and w["share_most_deprived_10pct"] == 0.18


def test_imd_rank_unknown_lad():
    with pytest.raises(UnknownCodeError, match="E9"):
        imd_rank(_imd(), "E9", dataset="imd2019_england")


def test_deciles_hand_worked():
    s = pd.DataFrame({"geo_code": [f"L{i:02d}" for i in range(20)], "value": np.arange(20.0)})
    d = deprivation_deciles(s).set_index("geo_code")
    assert d.loc["L19", "decile"] == 1 and d.loc["L18", "decile"] == 1  # highest scores most deprived
    assert d.loc["L00", "decile"] == 10
    assert d["decile"].value_counts().eq(2).all()
    with pytest.raises(ParameterError):
        deprivation_deciles(s.head(5))


def test_creative_by_decile_ratio_of_sums_and_set_aside_counts():
    dec = pd.DataFrame({"geo_code": ["A", "B", "C"], "decile": [1, 1, 10]})
    cre = pd.DataFrame({"geo_code": ["A", "B", "C", "Z"], "value": [10.0, 30.0, 50.0, 5.0]})
    tot = pd.DataFrame({"geo_code": ["A", "B", "C", "Y"], "value": [1000.0, 3000.0, 1000.0, 10.0]})
    out, rep = creative_by_deprivation_decile(cre, tot, dec)
    out = out.set_index("decile")
    assert out.loc[1, "rate"] == 10.0  # (10 + 30) / 4000 * 1000, not mean of rates
    assert out.loc[10, "rate"] == 50.0
    assert rep == {"lads_used": 3, "creative_without_decile_or_total": 1,
                   "total_without_creative_or_decile": 1, "deciles_without_data": 0}


def _jq() -> pd.DataFrame:
    rows = []
    for geo in ("L", "R"):
        for scheme, code, fav, unf, flag in (("DCMS_CI", "_T", 90.0, 10.0, "as-published"),
                                             ("SIC2007", "_T", 80.0, 20.0, "as-published"),
                                             ("DCMS_CI", "design", np.nan, 5.0, "low-reliability")):
            rows.append((geo, scheme, code, "2022", "jobs_permanent", fav, flag))
            rows.append((geo, scheme, code, "2022", "jobs_non_permanent", unf, "as-published"))
    return pd.DataFrame(rows, columns=["geo_code", "industry_scheme", "industry_code", "period", "measure",
                                       "value", "disclosure_flag"])


def test_job_quality_panel_against_all_industries_and_flags_kept():
    p = job_quality_panel(_jq())
    p = p[p["indicator"] == "permanent_job"].set_index(["geo_code", "industry_scheme", "industry_code"])
    assert p.loc[("L", "DCMS_CI", "_T"), "share_pct"] == 90.0
    assert p.loc[("L", "DCMS_CI", "_T"), "vs_all_industries_pp"] == 10.0
    d = p.loc[("R", "DCMS_CI", "design")]
    assert math.isnan(d["share_pct"]) and d["disclosure_flag"] == "low-reliability"


def test_workforce_composition_flags_and_reference():
    o = pd.DataFrame({
        "geo_code": ["L"] * 8, "industry_scheme": ["DCMS_CI"] * 4 + ["SIC2007"] * 4,
        "industry_code": ["total_excl_it_software"] * 4 + ["_T"] * 4, "period": ["2023"] * 8,
        "status": ["employment_type=employee", "employment_type=self_employed", "sex=female",
                   "disability=disabled"] * 2,
        "value": [60.0, 40.0, 45.0, np.nan, 80.0, 20.0, 50.0, 10.0],
        "disclosure_flag": ["as-published"] * 3 + ["suppressed"] + ["as-published"] * 4})
    r = workforce_composition(o).set_index(["industry_scheme", "status"])
    assert r.loc[("DCMS_CI", "sex=female"), "share_pct"] == 45.0
    assert r.loc[("DCMS_CI", "sex=female"), "vs_all_industries_pp"] == -5.0
    assert r.loc[("DCMS_CI", "employment_type=self_employed"), "share_pct"] == 40.0
    dis = r.loc[("DCMS_CI", "disability=disabled")]
    assert math.isnan(dis["share_pct"]) and dis["disclosure_flag"] == "suppressed"


def test_worst_flag_and_missing_columns():
    assert worst_flag(["rounded", "suppressed", "low-reliability"]) == "suppressed"
    with pytest.raises(SchemaError, match="needs columns"):
        job_quality_panel(pd.DataFrame({"geo_code": ["L"]}))
