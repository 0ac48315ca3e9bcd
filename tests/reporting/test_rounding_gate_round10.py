"""Round 10 (h1, item 1): a Business Demography rank that the rounding of its counts to 5 could move out of
its band is inconclusive, said as rounding, not as a survey interval.

The unit tests use made-up numbers; the real-data tests read the bundle through the warehouse, and their
expectations come from the source's counts, never from a pack's output.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from creative_clusters.benchmarking.percentiles import percentile_rank, percentiles
from creative_clusters.indicators.rounding import rounded_rate_interval
from creative_clusters.reporting._model import RateBase
from creative_clusters.reporting.findings import percentile_finding
from creative_clusters.workflows.evidence_stats import place_intervals, rounding_intervals
from tests.reporting._helpers import pack_context, section


def _births(pct, pct_range, interval=(7.56, 10.12)):
    return percentile_finding("X", "Business birth rate (%)", pct=pct, n=296, value=8.8, unit="%", additive=False,
                              source="s", rate_base=RateBase(15.0, 170.0, "business births", "active enterprises",
                                                             2.0),
                              interval=interval, pct_range=pct_range)


def test_a_weakness_whose_rounding_reaches_out_of_the_bottom_fifth_is_inconclusive():
    f = _births(15, (1.0, 42.0))
    assert f.kind == "inconclusive"
    assert "15 business births of 170 active enterprises, published rounded to 5, so 13 to 17 of 168 to 172" \
        in f.claim
    assert "7.6% to 10.1%" in f.claim and "1st to the 42nd percentile" in f.claim
    assert "survey" not in f.claim


def test_a_rank_that_holds_at_both_edges_of_the_rounding_stands():
    assert _births(15, (10.0, 19.0)).kind == "weakness"
    assert _births(90, (85.0, 95.0)).kind == "strength"
    assert _births(90, (75.0, 95.0)).kind == "inconclusive"
    # just under the 80th at the low edge: said as the 79th, not a printed 80th that would look inside the band
    assert "from the 79th to the 95th percentile" in _births(90, (79.9, 95.0)).claim


def test_the_rounding_intervals_are_ranked_by_the_one_percentile_producer():
    # five places' birth rates; the place's 15 of 170 may be 13 of 172 to 17 of 168
    counts = {"birth_rate": pd.DataFrame({"count": [15.0, 40.0], "of": [170.0, 400.0]}, index=["P", "Q"])}
    iv = place_intervals({}, ["P"], counts=counts)
    assert iv["birth_rate"] == pytest.approx(rounded_rate_interval(15, 170))
    v = pd.DataFrame({"birth_rate": [100 * 15 / 170, 8.0, 9.0, 9.5, 11.0]}, index=list("PABCD"))
    row = percentiles(v, place="P", peers=[], intervals=iv).iloc[0]
    lo, hi = iv["birth_rate"]
    s = v["birth_rate"].to_numpy()
    assert row["pct_all_min"] == percentile_rank(np.r_[lo, s[1:]], lo)
    assert row["pct_all_max"] == percentile_rank(np.r_[hi, s[1:]], hi)
    # a group of two: the summed counts, each sum within 4 of the truth
    both = rounding_intervals(counts, ["P", "Q"])["birth_rate"]
    assert both == pytest.approx((100 * 51 / 574, 100 * 59 / 566))


@pytest.mark.realdata
def test_the_isles_of_scilly_birth_rate_weakness_rests_on_rounding(nd):
    from creative_clusters.workflows import evidence as E

    d = nd.demography
    year = str(nd.indicator_periods["birth_rate"])[:4]
    here = d[(d["geo_code"] == "E06000053") & (d["period"].astype(str) == year) & (d["status"].fillna("") == "")]
    v = here.drop_duplicates("measure").set_index("measure")["value"].astype(float)
    active, births = v["active_enterprises"], round(v["birth_rate_pct"] * v["active_enterprises"] / 100)
    lo, hi = rounded_rate_interval(births, active)
    # the premise: the published rate ranks in the bottom fifth, its top edge would not
    ranked = nd.indicators["birth_rate"].dropna()
    assert percentile_rank(ranked, float(ranked["E06000053"])) <= 20
    at_hi = percentile_rank(pd.concat([ranked.drop("E06000053"), pd.Series([hi])]), hi)
    assert at_hi > 20
    inp = E.gather_inputs(nd, E.resolve_evidence_place(nd, "Isles of Scilly"), png=False)
    assert inp.rate_intervals["birth_rate"] == pytest.approx((lo, hi))
    summary = section(pack_context(nd, "Isles of Scilly"), "summary")
    key = next(t for t in summary["tables"] if t["title"].startswith("Key findings"))  # every finding
    plain = [r for r in key["rows"] if r[0] in ("Strength", "Weakness") and "birth rate" in r[1]]
    assert not plain
    claims = " ".join(r[1] for r in key["rows"] if r[0] == "Inconclusive")
    assert (f"{births:.0f} business births of {active:,.0f} active enterprises, published rounded to 5, so "
            f"{births - 2:.0f} to {births + 2:.0f}") in claims


@pytest.mark.realdata
@pytest.mark.parametrize("query", ["Manchester", "Birmingham"])
def test_a_large_place_keeps_its_findings(nd, query):
    import dataclasses

    from creative_clusters.reporting.context import build_context
    from creative_clusters.reporting.place_findings import DEMOGRAPHY_RATES
    from creative_clusters.workflows import evidence as E

    pl = E.resolve_evidence_place(nd, query)
    inp = E.gather_inputs(nd, pl, png=False, workforce=E._workforce(nd, pl))
    assert {"birth_rate", "death_rate"} <= set(inp.rate_intervals)  # the premise: its intervals are given
    lo, hi = inp.rate_intervals["birth_rate"]
    assert hi - lo < 0.2  # thousands of firms: rounding moves the rate by under a fifth of a point
    without = dataclasses.replace(inp, rate_intervals={k: v for k, v in inp.rate_intervals.items()
                                                       if k not in DEMOGRAPHY_RATES})

    def findings(i):
        f = section(build_context(i), "summary")["findings"]
        return {k: sorted(x["claim"] for x in v) for k, v in f.items()}

    assert findings(inp) == findings(without)


def test_a_baseline_flag_says_why_the_rank_is_inconclusive(nd):
    """The summary lists the first four inconclusive findings and the HTML has no table of them all: the Isles of
    Scilly's birth-rate row read "inconclusive, see Key findings" with nothing to see. Each flag gives the reason."""
    from tests.reporting._helpers import pack_context

    ctx = pack_context(nd, "Isles of Scilly")
    unsure = {f["indicator"]: f["uncertainty"] for f in ctx["sections"][0].get("findings", {}).get("inconclusive", [])}
    rows = [r for s in ctx["sections"] for t in s["tables"] if "aseline" in t["title"] for r in t["rows"]
            if "inconclusive" in str(r[4])]
    assert rows and all("see Key findings" not in str(r[4]) for r in rows)
    birth = next(r for r in rows if str(r[0]).startswith("Business birth rate"))
    assert "rounded to 5" in str(birth[4])
    assert all(u in " ".join(str(r[4]) for r in rows) for u in unsure.values())
