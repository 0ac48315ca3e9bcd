"""Findings gates on hand-made (SYNTHETIC) numbers: no claim whose interval includes 1, no strength
from a count under 10, zeros never a strength (issue 12's examples)."""

from __future__ import annotations

import numpy as np
import pandas as pd
from hypothesis import given
from hypothesis import strategies as st

from creative_clusters.benchmarking.framework import load_framework
from creative_clusters.reporting import findings as F
from creative_clusters.reporting._model import EvidenceInputs, LQInterval, PackState, PlaceInfo
from creative_clusters.reporting.context import place_findings


def _inp() -> EvidenceInputs:
    return EvidenceInputs(place=PlaceInfo("E07000999", "Smallton"), framework=load_framework("growth_potential_v1"))


def test_issue_examples_are_not_strengths():
    # Greater Manchester Architecture LQ 1.04 (0.85-1.25); a TTWA's Crafts LQ 1.47 from 20 firms (0.90-2.28)
    for lq, lo, hi, n in ((1.04, 0.85, 1.25, 520), (1.47, 0.90, 2.28, 20)):
        f = F.specialisation_finding("X", "S", lq=lq, lo=lo, hi=hi, count=n, source="s")
        assert f.kind == "inconclusive" and "includes 1" in f.claim
    # a zero (0 to 2 firms) is context: never a strength, nor a warning against a strength nobody would claim
    zero = F.specialisation_finding("X", "Crafts", lq=0.0, lo=0.0, hi=0.4, count=0, source="s")
    assert zero.kind == "context" and "0 to 2" in zero.claim


@given(lq=st.floats(0.05, 5), width=st.floats(0.01, 3), count=st.floats(0, 5000))
def test_strength_only_when_interval_above_one_and_count_ten(lq, width, count):
    lo, hi = max(lq - width, 0.0), lq + width
    f = F.specialisation_finding("X", "S", lq=lq, lo=lo, hi=hi, count=count, source="s")
    if f.kind == "strength":
        assert lo > 1 and count >= F.MIN_STRENGTH_COUNT
    if f.kind == "weakness":
        assert hi < 1 and count >= F.MIN_STRENGTH_COUNT
    if count < F.MIN_STRENGTH_COUNT:  # too few to tell: a warning where an LQ above 1 invites a claim
        assert f.kind == ("context" if lq < 1 else "inconclusive")
    elif lo <= 1 <= hi:
        assert f.kind == "inconclusive"


def test_small_counts_never_strengths_in_the_benchmark():
    bench = pd.DataFrame({"indicator_id": ["hei_count", "birth_rate"],
                          "label": ["Higher-education providers in the place", "Business birth rate (%)"],
                          "status": ["ok", "ok"], "pct_all": [97.0, 91.0], "n_all": [296, 296],
                          "value": [2.0, 14.0], "pct_peers": [95.0, 40.0], "n_peers": [1, 1],
                          "dimension": ["innovation", "dynamism"], "direction": ["higher", "higher"]})
    st_ = PackState(benchmark=bench, creative_enterprises=45.0, lq_all=LQInterval(lq=1.3, lo=0.9, hi=1.7),
                    subsector_lq=[("Crafts", 4.0, 2.1, 7.0, 8.0), ("Design and designer fashion", 1.6, 1.2, 2.0, 49.0),
                                  ("Publishing", np.nan, np.nan, np.nan, np.nan)])
    found = place_findings(st_, _inp())
    strengths = {f.topic for f in found if f.kind == "strength"}
    assert strengths == {"Design and designer fashion specialisation", "Its standing on business birth rate (%)"}
    assert any(f.topic.startswith("Crafts") and f.kind == "inconclusive" for f in found)
