"""Round 16 (h5): a group's Business Demography rates are weighted by each rate's own base.

An auditor found combined-authority and custom-group three-year survival rates averaged over member councils
weighted by all active enterprises. ONS's survival rate is the cohort's survivors as a percentage of the
businesses born in the cohort's start year (``business-demography.json``: "as a proportion of businesses born
in the start year"), so the right weight is each council's births that year. Proof from the raw file: Wales's
22 councils weighted by births give ONS's published Wales figure (row W92000004, 47.6% for the 2021 cohort);
weighted by active enterprises they give 49.6%. The North East combined authority read 53.7%, above the UK's
53.5%; weighted by births it is 53.2%, below it.

The high-growth rate is a percentage of active enterprises with 10 or more employees (ONS), not of all active
enterprises: the profile's label said "share of active".
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from creative_clusters.sources.business_demography import business_demography_measure
from creative_clusters.workflows import evidence as E
from creative_clusters.workflows.evidence_stats import demography_values
from creative_clusters.workflows.places import resolve_place
from creative_clusters.workflows.profile import build_profile, profile_text

#: ONS Business Demography 2024 (released 2025-11-20), Wales (W92000004): three-year survival of businesses
#: born in 2021, as ONS publishes it (one decimal place).
WALES_SURVIVAL_2021 = 47.6
#: The North East Mayoral Combined Authority (E47000014, from 2024): its seven councils.
NORTH_EAST = ("E06000047", "E06000057", "E08000021", "E08000022", "E08000023", "E08000024", "E08000037")


def _raw(data_root: Path) -> pd.DataFrame:
    """``business-demography.csv`` as the warehouse's rows (geo_code, period, measure, status, value)."""
    raw = pd.read_csv(data_root / "business_demography" / "business-demography.csv")
    ms = [business_demography_measure(str(i)) for i in raw["indicator"]]
    return pd.DataFrame({"geo_code": raw["areacd"].astype(str), "period": raw["period"].astype(str).str[:4],
                         "measure": [m for m, _ in ms], "status": [s for _, s in ms],
                         "value": raw["observation"].astype(float)})


def _one(rows: pd.DataFrame, code: str, measure: str, status: str, period: str) -> float:
    r = rows[(rows["geo_code"] == code) & (rows["measure"] == measure) & (rows["status"] == status)
             & (rows["period"] == period)]
    assert len(r) == 1, (code, measure, period)
    return float(r["value"].iloc[0])


def _births_weighted_survival(rows: pd.DataFrame, members: tuple[str, ...], cohort: str) -> float:
    """By hand: each council's births in the cohort year (birth rate x active enterprises, the nearest whole
    number) times its survival rate, summed, over the summed births."""
    num = den = 0.0
    for c in members:
        births = round(_one(rows, c, "birth_rate_pct", "", cohort) * _one(rows, c, "active_enterprises", "", cohort)
                       / 100.0)
        num += births * _one(rows, c, "survival_rate_pct", "3-year", cohort)
        den += births
    return num / den


def test_wales_councils_reproduce_the_published_wales_survival(data_root):
    rows = _raw(data_root)
    wales = sorted(c for c in rows["geo_code"].unique() if c.startswith("W06"))
    assert len(wales) == 22
    v = demography_values(rows[rows["geo_code"].isin(wales)], "custom:all_wales_lads", wales)
    surv = v[("survival_rate_pct", "3-year")]
    assert round(float(surv["2021"]), 1) == WALES_SURVIVAL_2021  # 49.6 weighted by active enterprises
    for cohort in ("2019", "2020", "2021"):  # every cohort, to ONS's own ratio
        assert float(surv[cohort]) == pytest.approx(_one(rows, "W92000004", "survival_rate_pct", "3-year", cohort),
                                                    abs=1e-9), cohort
    # birth and death rates stay weighted by active enterprises: Wales's published rates too
    for m in ("birth_rate_pct", "death_rate_pct"):
        assert float(v[(m, "")]["2024"]) == pytest.approx(_one(rows, "W92000004", m, "", "2024"), abs=1e-9), m
    assert "births of the cohort's start year" in v.attrs["method"]


def test_north_east_survival_is_births_weighted_and_below_the_uk(data_root):
    rows = _raw(data_root)
    v = demography_values(rows[rows["geo_code"].isin(NORTH_EAST)], "E47000014", list(NORTH_EAST))
    got = float(v[("survival_rate_pct", "3-year")]["2021"])
    assert got == pytest.approx(_births_weighted_survival(rows, NORTH_EAST, "2021"), abs=1e-9)
    assert got < _one(rows, "K02000001", "survival_rate_pct", "3-year", "2021")  # below the UK's 53.5%


def test_high_growth_weighting_is_said_to_be_an_approximation(data_root):
    rows = _raw(data_root)
    v = demography_values(rows[rows["geo_code"].isin(NORTH_EAST)], "E47000014", list(NORTH_EAST))
    method = v.attrs["method"]
    assert "10 or more employees" in method and "approximation" in method


@pytest.mark.realdata
def test_the_pack_and_profile_of_the_north_east_use_the_births_weights(nd, wh, data_root):
    """The pack's section 3 value, its benchmark row and the profile: one births-weighted value."""
    rows = _raw(data_root)
    pl = E.resolve_evidence_place(nd, "E47000014")
    assert sorted(pl.members) == sorted(NORTH_EAST)
    want = _births_weighted_survival(rows, NORTH_EAST, "2021")
    inp = E.gather_inputs(nd, pl, png=False)
    assert float(inp.demography_place[("survival_rate_pct", "3-year")]["2021"]) == pytest.approx(want, abs=1e-9)
    assert nd.indicator_periods["survival_rate"] == "2021"
    assert float(inp.place_indicators.loc[pl.code, "survival_rate"]) == pytest.approx(want, abs=1e-9)
    assert "births" in inp.indicator_how["survival_rate"]
    prof = build_profile(wh, resolve_place(wh, "E47000014"))
    text = profile_text(prof)
    assert "share of active)" not in text
    assert "High-growth enterprises (share of those with 10+ employees)" in text
    assert "% of active enterprises with 10+ employees" in text


@pytest.mark.realdata
def test_a_custom_group_of_all_welsh_councils_is_wales(nd, data_root):
    rows = _raw(data_root)
    wales = sorted(c for c in rows["geo_code"].unique() if c.startswith("W06"))
    pl = E.resolve_evidence_place(nd, name="All Wales LADs", places=wales)
    inp = E.gather_inputs(nd, pl, png=False)
    got = float(inp.demography_place[("survival_rate_pct", "3-year")]["2021"])
    assert round(got, 1) == WALES_SURVIVAL_2021


def test_the_benchmark_row_weights_survival_by_births(data_root):
    """``place_indicator_row`` alone (a group's row where no demography frame overrides it): weighted by the
    members' births of the survival indicator's cohort year, it is Wales's published rate."""
    from creative_clusters.benchmarking import load_framework
    from creative_clusters.workflows.evidence_stats import place_indicator_row, rate_weights

    rows = _raw(data_root)
    wales = sorted(c for c in rows["geo_code"].unique() if c.startswith("W06"))
    surv = rows[(rows["measure"] == "survival_rate_pct") & (rows["status"] == "3-year") & (rows["period"] == "2021")
                & rows["geo_code"].isin(wales)].set_index("geo_code")["value"]
    values = pd.DataFrame({"survival_rate": surv})
    active = rows[(rows["measure"] == "active_enterprises") & (rows["period"] == "2024")].set_index("geo_code")["value"]
    row, how = place_indicator_row(load_framework(), values, code="custom:wales", geo_type="custom", members=wales,
                                   active=active, bases=rate_weights(rows, {"survival_rate": "2021"}))
    assert round(float(row["survival_rate"]), 1) == WALES_SURVIVAL_2021
    assert how["survival_rate"] == "mean of member areas weighted by the births of the cohort's start year"


def test_a_groups_gva_per_hour_is_said_to_be_an_approximation():
    """No hours worked nor GVA totals by local authority in the warehouse: a group's GVA per hour is its members'
    mean weighted by population, and the note says what that stands in for."""
    from creative_clusters.benchmarking import load_framework
    from creative_clusters.workflows.evidence_stats import place_indicator_row

    values = pd.DataFrame({"gva_per_hour": [30.0, 50.0]}, index=["A", "B"])
    row, how = place_indicator_row(load_framework(), values, code="G", geo_type="custom", members=["A", "B"],
                                   population=pd.Series({"A": 100.0, "B": 300.0}))
    assert float(row["gva_per_hour"]) == 45.0
    assert how["gva_per_hour"].startswith("mean of member areas weighted by population, an approximation")
    assert "total gross value added over its total hours worked" in how["gva_per_hour"]
