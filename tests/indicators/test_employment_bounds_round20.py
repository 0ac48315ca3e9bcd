"""Creative workplace employment per LAD from BRES (Nomis NM_189_1) with honest bounds: values worked by hand on a
SYNTHETIC recorded Nomis CSV (``tests/data/nomis/synthetic_round20_bres_lad_2024.csv``: invented numbers in the
API layout), read with the reader ``data import-nomis`` uses, and the bounds' invariants (Hypothesis).

Before round 20 no code read this kind: BRES by LAD was stored and no figure summed it.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from creative_clusters.classifications.dcms import creative_classes
from creative_clusters.indicators.employment_bounds import (
    cell_ranges,
    employment_lq,
    employment_sums,
    reference_totals,
    rounded_cell_range,
)
from creative_clusters.sources import nomis

FIXTURE = Path(__file__).parents[1] / "data" / "nomis" / "synthetic_round20_bres_lad_2024.csv"


@pytest.fixture(scope="module")
def table():
    obs = nomis.parse_table(FIXTURE.read_bytes(), dataset_id="nomis_bres_2024", nomis_dataset="bres")
    assert set(obs["measure"]) == {"employment"}
    sums = employment_sums(obs, creative=creative_classes())
    return employment_lq(sums, reference_totals(sums)).set_index("geo_code")


def test_rounded_cells_by_the_strict_open_access_bases():
    # 0 -> band 1-49, base 10; 150 -> band 50-249, base 50; 3,000 -> band 2,500-4,999, base 1,000;
    # 9,000 -> band 5,000+, base 2,000; 900 straddles 500-999 (base 200) and 1,000-2,499 (base 500)
    assert rounded_cell_range(0) == (0.0, 5.0)
    assert rounded_cell_range(150) == (125.0, 175.0)
    assert rounded_cell_range(3000) == (2500.0, 3500.0)
    assert rounded_cell_range(9000) == (8000.0, 10000.0)
    assert rounded_cell_range(900) == (800.0, 1150.0)
    lo, hi = cell_ranges(np.array([np.nan, 40.0]), np.array(["suppressed", "suppressed"], dtype=object))
    assert lo.tolist() == [0.0, 0.0] and np.isinf(hi).all()  # a suppressed cell: 0 up, no documented ceiling


def test_alphaville_worked_by_hand(table):
    a = table.loc["E09000090"]  # 5911: 3,000; 6201: 9,000; 7311: 150; 28 other classes published 0; total 60,000
    assert a["creative"] == 12_150
    assert a["creative_lower"] == 2_500 + 8_000 + 125  # 28 zeros add 0
    assert a["creative_upper"] == 3_500 + 10_000 + 175 + 28 * 5
    assert (a["total"], a["total_lower"], a["total_upper"]) == (60_000, 59_000, 61_000)
    assert a["classes_suppressed"] == 0 and a["flag"] == "rounded"
    # the comparator: all three LADs (creative 14,050 in [12,250, 17,165]; total 160,900 in [158,800, 163,150])
    assert a["employment_lq"] == pytest.approx((12_150 / 60_000) / (14_050 / 160_900))
    assert a["lq_lower"] == pytest.approx((10_625 / 61_000) / (17_165 / 158_800))
    assert a["lq_upper"] == pytest.approx((13_815 / 59_000) / (12_250 / 163_150))
    assert a["lq_lower"] > 1  # 1.61: specialised whatever the rounding hides


def test_a_suppressed_class_is_flagged_and_bounded_by_the_total(table):
    b = table.loc["E09000091"]  # 5911: 100; 6201: Q (suppressed, empty); total 900
    assert b["flag"] == "suppressed" and b["classes_suppressed"] == 1
    assert b["creative"] == 100  # the published cells only
    assert b["creative_lower"] == 75
    assert b["creative_upper"] == 1_150  # capped by the total's upper bound, not 100 + 5 * 29
    assert b["share_upper"] == 1.0
    assert b["lq_lower"] < 1 < b["lq_upper"]  # no claim either way


def test_lq_needs_the_all_industry_total():
    t = pd.DataFrame({"geo_code": ["A", "B"], "industry_code": ["5911", "5911"], "value": [100.0, 50.0],
                      "disclosure_flag": ["rounded", "rounded"]})
    s = employment_sums(t, creative=["5911"])
    out = employment_lq(s, reference_totals(s))
    assert s["flag"].eq("suppressed").all()  # no total: flagged, never a plain figure
    assert out["employment_lq"].isna().all() and out["share"].isna().all()


_cell = st.one_of(st.just(np.nan), st.integers(0, 60).map(lambda k: float(5 * k)),
                  st.integers(1, 200).map(lambda k: float(50 * k)), st.integers(5, 80).map(lambda k: float(1000 * k)))


@settings(max_examples=60, deadline=None)
@given(cells=st.lists(st.tuples(_cell, _cell, _cell), min_size=2, max_size=6),
       totals=st.lists(st.integers(1, 400).map(lambda k: float(500 * k)), min_size=6, max_size=6))
def test_bounds_contain_the_points(cells, totals):
    rows = []
    for i, (a, b, c) in enumerate(cells):
        g = f"G{i}"
        for code, v in (("5911", a), ("6201", b), ("7311", c)):
            rows.append((g, code, v, "suppressed" if np.isnan(v) else "rounded"))
        rows.append((g, "_T", max(totals[i], np.nansum([a, b, c, 0.0])), "rounded"))
    t = pd.DataFrame(rows, columns=["geo_code", "industry_code", "value", "disclosure_flag"])
    s = employment_sums(t, creative=["5911", "6201", "7311"])
    out = employment_lq(s, reference_totals(s))
    assert (out["creative_lower"] <= out["creative"]).all() and (out["creative"] <= out["creative_upper"]).all()
    assert (out["total_lower"] <= out["total"]).all() and (out["total"] <= out["total_upper"]).all()
    assert (out["share_lower"] <= out["share"] + 1e-12).all() and (out["share"] <= out["share_upper"] + 1e-12).all()
    ok = out["employment_lq"].notna()
    assert (out.loc[ok, "lq_lower"] <= out.loc[ok, "employment_lq"] * (1 + 1e-12)).all()
    assert (out.loc[ok, "employment_lq"] <= out.loc[ok, "lq_upper"] * (1 + 1e-12)).all()
    assert ((out["classes_suppressed"] > 0) <= (out["flag"] == "suppressed")).all()


@settings(max_examples=60, deadline=None)
@given(v=st.floats(0, 200_000, allow_nan=False))
def test_a_published_value_lies_in_its_own_range(v):
    p = float(round(v))
    lo, hi = rounded_cell_range(p)
    assert 0 <= lo <= p <= hi
