"""Location quotients: hand-worked values, interval coverage, flags, bad input."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from creative_clusters.errors import SchemaError, UnknownCodeError
from creative_clusters.indicators import aggregate_counts, location_quotient, poisson_lq_interval, shares


def four_rows(**extra):
    t = pd.DataFrame({"geo_code": ["A", "A", "B", "B"], "industry_code": ["ci", "other"] * 2,
                      "value": [30.0, 70.0, 10.0, 90.0]})
    return t.assign(**extra)


def test_hand_worked_four_rows():
    # A: 30/100 over 40/200 = 1.5; B: 10/100 over 40/200 = 0.5; other: .7/.8, .9/.8
    out = location_quotient(four_rows())
    np.testing.assert_allclose(out["lq"], [1.5, 0.875, 0.5, 1.125])
    np.testing.assert_allclose(out["area_total"], [100, 100, 100, 100])
    np.testing.assert_allclose(out["industry_total"], [40, 160, 40, 160])
    assert out["grand_total"].eq(200).all()


def test_total_rows_are_area_totals():
    t = pd.DataFrame({"geo_code": ["A", "A", "B", "B"], "industry_code": ["ci", "_T"] * 2,
                      "value": [30.0, 100.0, 10.0, 100.0]})
    out = location_quotient(t)
    assert out["industry_code"].tolist() == ["ci", "ci"]
    np.testing.assert_allclose(out["lq"], [1.5, 0.5])


def test_input_not_mutated():
    t = four_rows()
    before = t.copy()
    location_quotient(t)
    pd.testing.assert_frame_equal(t, before)


def test_garwood_interval_known_values():
    # Exact Poisson 95% limits for x = 20 are 12.22 and 30.89 (standard tables).
    lo, hi = poisson_lq_interval(np.array([20.0, 0.0]), np.array([1.0, 1.0]))
    np.testing.assert_allclose([lo[0], hi[0]], [12.217, 30.889], atol=1e-3)
    assert lo[1] == 0 and hi[1] == pytest.approx(3.689, abs=1e-3)


@pytest.mark.parametrize("mean_count", [15, 40, 120])
def test_interval_coverage_by_simulation(mean_count):
    """Poisson counts with a known true LQ: the 95% interval covers it ~95% of the time."""
    rng = np.random.default_rng(12345)
    reps = 2000
    area_total = 1000.0
    ref_share = 0.02  # reference share treated as fixed (a large national base)
    true_lq = mean_count / (area_total * ref_share)
    x = rng.poisson(mean_count, size=reps).astype(float)
    lo, hi = poisson_lq_interval(x, np.full(reps, area_total * ref_share))
    coverage = np.mean((lo <= true_lq) & (true_lq <= hi))
    # Garwood is exact (conservative): coverage in [0.94, 0.985] for moderate counts.
    assert 0.94 <= coverage <= 0.985, coverage


def test_interval_coverage_through_location_quotient():
    """The same simulation through location_quotient, one replicate per period."""
    rng = np.random.default_rng(7)
    reps, mu = 1500, 30
    periods = np.repeat(np.arange(reps).astype(str), 2)
    target = rng.poisson(mu, reps).astype(float)
    # a huge second area fixes the reference share at ~mu_ref/total_ref
    big = rng.poisson(200_000, reps).astype(float)
    t = pd.DataFrame({"geo_code": np.tile(["A", "B"], reps), "industry_code": "ci",
                      "period": periods, "value": np.column_stack([target, big]).ravel()})
    den = pd.DataFrame({"geo_code": ["A", "B"], "value": [1000.0, 10_000_000.0]})
    out = location_quotient(t, denominator=den)
    a = out[out["geo_code"] == "A"]
    true = (mu / 1000.0) / ((mu + 200_000) / 10_001_000.0)
    cover = np.mean((a["lq_lower"] <= true) & (true <= a["lq_upper"]))
    assert 0.93 <= cover <= 0.99, cover


def test_small_count_flag_configurable():
    out = location_quotient(four_rows())
    assert out["small_count"].tolist() == [False, False, False, False]
    out = location_quotient(four_rows(), min_count=50)
    assert out["small_count"].tolist() == [True, False, True, False]


def test_suppressed_input_is_nan_and_flagged_never_zero():
    t = four_rows(disclosure_flag=["suppressed", "as-published", "rounded", "as-published"])
    t.loc[0, "value"] = np.nan
    with pytest.warns(UserWarning, match="suppressed"):
        out = location_quotient(t)
    # area A's total is unknown: both A rows NaN and flagged suppressed
    assert out.loc[:1, "lq"].isna().all()
    assert out.loc[:1, "disclosure_flag"].tolist() == ["suppressed", "suppressed"]
    # B is computed from the areas with known totals only (B alone): LQ 1
    np.testing.assert_allclose(out.loc[2:, "lq"], [1.0, 1.0])
    assert out.loc[2, "disclosure_flag"] == "rounded"


def test_suppressed_cell_with_known_total_warns_and_is_nan():
    t = pd.DataFrame({"geo_code": ["A", "A", "B", "B"], "industry_code": ["ci", "_T"] * 2,
                      "value": [np.nan, 100.0, 10.0, 100.0],
                      "disclosure_flag": ["suppressed", "as-published", "as-published", "as-published"]})
    with pytest.warns(UserWarning, match="left out of the industry totals"):
        out = location_quotient(t)
    assert np.isnan(out["lq"].iloc[0]) and out["disclosure_flag"].iloc[0] == "suppressed"
    assert out["lq"].iloc[1] == pytest.approx((10 / 100) / (10 / 200))


def test_rounded_inputs_carry_flag():
    t = four_rows(disclosure_flag=["rounded", "as-published", "as-published", "low-reliability"])
    out = location_quotient(t)
    # a row is flagged with the worst flag of its count and its area total
    assert out["disclosure_flag"].tolist() == ["rounded", "rounded", "low-reliability", "low-reliability"]


def creative_and_denominator():
    num = pd.DataFrame({"dataset": "business_counts_2025", "geo_code": ["A", "B", "C"],
                        "industry_code": "_T", "period": "2025", "value": [50.0, 10.0, 40.0],
                        "disclosure_flag": "rounded"})
    den = pd.DataFrame({"dataset": "business_demography_2024", "geo_code": ["A", "B", "C"],
                        "period": "2024", "value": [500.0, 250.0, 250.0],
                        "disclosure_flag": "as-published"})
    return num, den


def test_mixed_source_denominator_needs_consent_and_carries_caveat():
    num, den = creative_and_denominator()
    with pytest.raises(SchemaError, match="allow_mixed_sources"):
        location_quotient(num, denominator=den)
    out = location_quotient(num, denominator=den, allow_mixed_sources=True)
    # reference share 100/1000: A = .1/.1 = 1, B = .04/.1, C = .16/.1
    np.testing.assert_allclose(out["lq"], [1.0, 0.4, 1.6])
    cav = out["caveat"].iloc[0]
    assert "mixed-source denominator" in cav
    assert "business_counts_2025" in cav and "business_demography_2024" in cav
    assert "2025" in cav and "2024" in cav


def test_same_source_denominator_has_empty_caveat():
    num, den = creative_and_denominator()
    den = den.assign(dataset="business_counts_2025", period="2025")
    out = location_quotient(num, denominator=den)
    assert out["caveat"].eq("").all()


def test_denominator_missing_place_warns():
    num, den = creative_and_denominator()
    with pytest.warns(UserWarning, match="no total"):
        out = location_quotient(num, denominator=den.iloc[:2], allow_mixed_sources=True)
    assert np.isnan(out["lq"].iloc[2])
    assert out["disclosure_flag"].iloc[2] == "suppressed"


@pytest.mark.parametrize(
    ("mutate", "match"),
    [
        (lambda t: t.drop(columns="value"), r"needs column\(s\) \['value'\]"),
        (lambda t: t.assign(value=[-1.0, 2, 3, 4]), "negative"),
        (lambda t: pd.concat([t, t.iloc[:1]]), "share the same"),
        (lambda t: t.assign(geo_vintage=["2021", "2023", "2023", "2023"]), "mixes boundary vintages"),
        (lambda t: t.iloc[:0], "no rows"),
        (lambda t: t.assign(value=["1", "x", "3", "4"]), "expects numbers"),
        (lambda t: t.assign(measure=["enterprises", "employment"] * 2), "mixes measures"),
    ],
)
def test_bad_input_raises_clear_errors(mutate, match):
    with pytest.raises(SchemaError, match=match):
        location_quotient(mutate(four_rows()))


def test_custom_column_names():
    t = four_rows().rename(columns={"geo_code": "ttwa", "industry_code": "sic", "value": "jobs"})
    out = location_quotient(t, geo="ttwa", industry="sic", value="jobs")
    np.testing.assert_allclose(out["lq"], [1.5, 0.875, 0.5, 1.125])


def test_shares_suppressed_group_is_nan():
    t = four_rows()
    t.loc[1, "value"] = np.nan
    s = shares(t)
    assert s.loc[:1, "share"].isna().all()
    np.testing.assert_allclose(s.loc[2:, "share"], [0.1, 0.9])


def test_aggregate_counts_sums_and_propagates():
    t = pd.DataFrame({"geo_code": ["a", "b", "c", "a"], "industry_code": ["x", "x", "x", "y"],
                      "value": [1.0, np.nan, 4.0, 2.0],
                      "disclosure_flag": ["rounded", "suppressed", "as-published", "as-published"]})
    out = aggregate_counts(t, {"a": "R1", "b": "R1", "c": "R2"})
    got = out.set_index(["geo_code", "industry_code"])
    assert np.isnan(got.loc[("R1", "x"), "value"])  # a suppressed part is never 0
    assert got.loc[("R1", "x"), "disclosure_flag"] == "suppressed"
    assert got.loc[("R2", "x"), "value"] == 4.0
    assert got.loc[("R1", "y"), "value"] == 2.0


def test_aggregate_counts_unknown_codes():
    t = four_rows()
    with pytest.raises(UnknownCodeError, match="not in the mapping"):
        aggregate_counts(t, {"A": "R"})
    with pytest.warns(UserWarning, match="left out"):
        out = aggregate_counts(t, {"A": "R"}, unknown="warn")
    assert out["value"].sum() == 100


counts = st.lists(st.integers(1, 10_000), min_size=6, max_size=6)


@settings(max_examples=25, deadline=None)
@given(values=counts, k=st.integers(1, 1000))
def test_lq_scale_free_and_weighted_mean_is_one(values, k):
    t = pd.DataFrame({"geo_code": ["a"] * 3 + ["b"] * 3, "industry_code": ["59", "60", "90"] * 2,
                      "value": np.array(values, dtype=float)})
    lq = location_quotient(t)
    scaled = location_quotient(t.assign(value=t["value"] * k))
    np.testing.assert_allclose(lq["lq"], scaled["lq"], rtol=1e-12)
    weight = lq["area_total"] / lq["grand_total"]
    np.testing.assert_allclose((lq["lq"] * weight).groupby(lq["industry_code"]).sum(), 1.0, rtol=1e-12)


@settings(max_examples=20, deadline=None)
@given(values=st.lists(st.integers(0, 5000), min_size=8, max_size=8).filter(
    lambda v: sum(v[::2]) > 0 and all(a + b > 0 for a, b in zip(v[::2], v[1::2], strict=True))))
def test_aggregate_then_lq_equals_lq_of_summed_counts(values):
    t = pd.DataFrame({"geo_code": np.repeat(["a", "b", "c", "d"], 2), "industry_code": ["ci", "other"] * 4,
                      "value": np.array(values, dtype=float)})
    mapping = {"a": "R1", "b": "R1", "c": "R2", "d": "R2"}
    via_agg = location_quotient(aggregate_counts(t, mapping)).set_index(["geo_code", "industry_code"])["lq"]
    manual = (t.assign(geo_code=t["geo_code"].map(mapping))
              .groupby(["geo_code", "industry_code"], as_index=False)["value"].sum())
    direct = location_quotient(manual).set_index(["geo_code", "industry_code"])["lq"]
    pd.testing.assert_series_equal(via_agg.sort_index(), direct.sort_index())
    # ratios are never averaged plainly: the region's LQ is its small areas' LQs weighted by their totals
    small = location_quotient(t)
    small["region"] = small["geo_code"].map(mapping)
    weighted = (small["lq"] * small["area_total"]).groupby([small["region"], small["industry_code"]]).sum() \
        / small.groupby(["region", "industry_code"])["area_total"].sum()
    np.testing.assert_allclose(direct.sort_index().to_numpy(), weighted.sort_index().to_numpy(), rtol=1e-12)


def test_region_lq_is_not_the_average_of_its_areas_lqs():
    # hand-worked, creative share nationally 100/300 = 1/3:
    # a 10/100 -> LQ 0.3, b 40/50 -> 2.4; region R1 50/150 -> 1.0 (the plain average would be 1.35)
    # c 25/50 -> 1.5, d 25/100 -> 0.75; region R2 50/150 -> 1.0 (the plain average would be 1.125)
    t = pd.DataFrame({"geo_code": np.repeat(["a", "b", "c", "d"], 2), "industry_code": ["ci", "other"] * 4,
                      "value": [10.0, 90, 40, 10, 25, 25, 25, 75]})
    mapping = {"a": "R1", "b": "R1", "c": "R2", "d": "R2"}
    small = location_quotient(t).query("industry_code == 'ci'").set_index("geo_code")["lq"]
    np.testing.assert_allclose(small[["a", "b", "c", "d"]], [0.3, 2.4, 1.5, 0.75])
    region = location_quotient(aggregate_counts(t, mapping)).query("industry_code == 'ci'").set_index("geo_code")
    np.testing.assert_allclose(region.loc[["R1", "R2"], "lq"], [1.0, 1.0])
    plain_average = small.groupby(small.index.map(mapping)).mean()
    np.testing.assert_allclose(plain_average[["R1", "R2"]], [1.35, 1.125])
    assert not np.allclose(region.loc[["R1", "R2"], "lq"], plain_average[["R1", "R2"]])


def test_no_warnings_on_clean_input():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        location_quotient(four_rows())
