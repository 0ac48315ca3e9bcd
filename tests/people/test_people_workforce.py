"""Hand-worked checks: occupation bounds, self-employment, the SE-inclusive LQ, the trident."""

from __future__ import annotations

import math

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from creative_clusters.errors import ParameterError, SchemaError, UnknownCodeError
from creative_clusters.people.occupations import (
    WHOLE_MINOR_GROUPS,
    check_soc2020_codes,
    creative_minor_groups,
    creative_occupation_bounds,
    minor_group_table,
    self_employment,
)
from creative_clusters.people.selfemployed_lq import (
    estimate_creative_self_employed,
    se_inclusive_lq,
    self_employment_propensity,
)
from creative_clusters.people.trident import creative_intensity, creative_trident


def test_minor_groups_cover_every_creative_unit_group():
    from creative_clusters.classifications.soc import creative_soc_codes

    units = sorted(u for us in creative_minor_groups().values() for u in us)
    assert units == creative_soc_codes("SOC2020")
    assert set(creative_minor_groups()) == {"113", "125", "213", "214", "245", "247", "249", "341", "342",
                                            "355", "531", "544"}
    t = minor_group_table()
    assert set(t.loc[t["coverage"] == "whole", "minor_group"]) == WHOLE_MINOR_GROUPS


def test_occupation_bounds_hand_worked():
    # synthetic: place A has 341 (whole) 12, 213 (partial) 30, 531 (partial) 8, 111 (not creative) 50
    t = pd.DataFrame({"geo_code": ["A"] * 5 + ["B"] * 2,
                      "occupation_code": ["341", "213", "531", "111", "_T", "342", "921"],
                      "value": [12.0, 30.0, 8.0, 50.0, 101.0, 5.0, 45.0]})
    r = creative_occupation_bounds(t).set_index("geo_code")
    assert r.loc["A", "lower"] == 12.0
    assert r.loc["A", "upper"] == 50.0
    assert r.loc["A", "total"] == 101.0  # the published _T wins over the sum (perturbation)
    assert r.loc["B", "lower"] == r.loc["B", "upper"] == 5.0
    assert r.loc["B", "total"] == 50.0
    assert math.isclose(r.loc["B", "upper_pct"], 10.0)


@pytest.mark.parametrize("code", ["2136", "999", "41", "1A1"])
def test_occupation_codes_outside_soc2020_minor_raise(code):
    with pytest.raises(UnknownCodeError, match="not SOC 2020"):
        creative_occupation_bounds(pd.DataFrame({"geo_code": ["A"], "occupation_code": [code], "value": [1.0]}))


def test_unit_codes_checked_against_soc2020_minor_groups():
    check_soc2020_codes(pd.Series(["3411", "2134"]), level="unit")
    with pytest.raises(UnknownCodeError, match="SOC 2010"):
        check_soc2020_codes(pd.Series(["3411", "9999"]), level="unit")


def test_self_employment_hand_worked():
    t = pd.DataFrame({"geo_code": ["A"] * 6, "status": [
        "in_employment_employee_full_time", "in_employment_employee_part_time",
        "in_employment_self_employed_with_employees_full_time",
        "in_employment_self_employed_without_employees_part_time",
        "student_in_employment_self_employed_without_employees_full_time", "inactive_retired"],
        "value": [60.0, 20.0, 4.0, 10.0, 6.0, 99.0]})
    r = self_employment(t).iloc[0]
    assert (r["employees"], r["self_employed_with_employees"], r["self_employed_without_employees"]) == (80, 4, 16)
    assert r["in_employment"] == 100 and r["self_employed_pct"] == 20.0


def test_self_employment_wrong_table_raises():
    with pytest.raises(SchemaError, match="economic-activity"):
        self_employment(pd.DataFrame({"geo_code": ["A"], "status": ["female"], "value": [1.0]}))


def test_se_inclusive_lq_hand_worked():
    # A: 10/100 creative enterprises; adds 10 creative of 20 self-employed.
    # reference: creative 40/200; with SE 50/220.
    t = pd.DataFrame({"geo_code": ["A", "B"], "creative": [10.0, 30.0], "total": [100.0, 100.0],
                      "creative_se": [10.0, 0.0], "total_se": [20.0, 0.0]})
    r = se_inclusive_lq(t).set_index("geo_code")
    assert math.isclose(r.loc["A", "lq"], (10 / 100) / (40 / 200))
    assert math.isclose(r.loc["A", "lq_se"], (20 / 120) / (50 / 220))
    assert math.isclose(r.loc["B", "gap"], (30 / 100) / (50 / 220) - 1.5)


def test_se_inclusive_lq_explicit_reference_and_bad_input():
    t = pd.DataFrame({"geo_code": ["A"], "creative": [5.0], "total": [50.0], "creative_se": [5.0],
                      "total_se": [10.0]})
    ref = {"creative": 100.0, "total": 2000.0, "creative_se": 50.0, "total_se": 500.0}
    r = se_inclusive_lq(t, reference=ref).iloc[0]
    assert math.isclose(r["lq"], 2.0) and math.isclose(r["lq_se"], (10 / 60) / (150 / 2500))
    with pytest.raises(SchemaError, match="exceeds"):
        se_inclusive_lq(t.assign(creative=60.0))
    with pytest.raises(SchemaError, match="needs columns"):
        se_inclusive_lq(t.drop(columns="total_se"))


counts = st.integers(min_value=0, max_value=10**7).map(float)  # counts of people or firms


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(counts, counts), min_size=1, max_size=8))
def test_se_inclusive_lq_equals_ordinary_lq_without_self_employment(rows):
    rows = [(min(c, t), max(c, t) + 1.0) for c, t in rows]
    t = pd.DataFrame({"geo_code": [f"P{i}" for i in range(len(rows))],
                      "creative": [r[0] for r in rows], "total": [r[1] for r in rows],
                      "creative_se": 0.0, "total_se": 0.0})
    if t["creative"].sum() == 0:
        t.loc[0, "creative"] = 0.5
    r = se_inclusive_lq(t)
    assert all(math.isclose(a, b, rel_tol=1e-12) for a, b in zip(r["lq"], r["lq_se"], strict=True))
    assert (r["gap"].abs() < 1e-9).all()


def test_estimate_creative_self_employed():
    s = pd.Series([100.0, 100.0])
    est = estimate_creative_self_employed(s, pd.Series([0.05, 0.6]), propensity=3.0)
    assert est.round(6).tolist() == [15.0, 100.0]  # capped at all self-employed
    with pytest.raises(ParameterError, match="fraction"):
        estimate_creative_self_employed(s, pd.Series([5.0, 6.0]))
    assert self_employment_propensity(40, 100, 20, 200) == 4.0


def test_trident_hand_worked():
    # synthetic SIC x SOC table
    t = pd.DataFrame({
        "industry_code": ["5911", "5911", "6201", "6201", "4711", "4711", "8610"],
        "occupation_code": ["3416", "4159", "2134", "2131", "3421", "7111", "2231"],
        "value": [10.0, 5.0, 20.0, 15.0, 3.0, 40.0, 7.0]})
    r = creative_trident(t).set_index("segment")["value"]
    assert r["creative_in_ci"] == 30.0  # 3416 in 5911 + 2134 in 6201
    assert r["creative_outside_ci"] == 3.0  # 3421 designers in retail
    assert r["noncreative_in_ci"] == 20.0  # 4159 in 5911 + 2131 (IT project managers) in 6201
    assert r["other"] == 47.0
    assert r["creative_economy"] == 53.0
    ci = creative_intensity(t).set_index("industry_code")
    assert math.isclose(ci.loc["5911", "intensity_pct"], 200 / 3)
    assert not ci.loc["4711", "creative_intensive"]


def test_trident_bad_input():
    t = pd.DataFrame({"industry_code": ["59"], "occupation_code": ["3416"], "value": [1.0]})
    with pytest.raises(SchemaError, match="4-digit SIC"):
        creative_trident(t)
    with pytest.raises(UnknownCodeError):
        creative_trident(t.assign(industry_code="5911", occupation_code="0000"))
    with pytest.raises(SchemaError, match="suppressed"):
        creative_trident(t.assign(industry_code="5911", value=float("nan")))


def test_wrong_geography_and_mixed_vintages_rejected():
    from creative_clusters.people.checks import check_people_table

    ok = pd.DataFrame({"geo_type": ["lad", "lad"], "period": ["2021-03-21"] * 2})
    check_people_table(ok, what="TS060")
    with pytest.raises(SchemaError, match=r"1 row\(s\) are at geography \['nuts2'\]"):
        check_people_table(ok.assign(geo_type=["lad", "nuts2"]), what="TS060")
    with pytest.raises(SchemaError, match="several periods"):
        check_people_table(ok.assign(period=["2011-03-27", "2021-03-21"]), what="TS060")
