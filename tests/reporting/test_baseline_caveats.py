"""The baselines table carries the findings' caveats: no bare rank the findings hold inconclusive, no bare zero
(real bundle)."""

from __future__ import annotations

import pytest

from creative_clusters.reporting.context import build_context
from creative_clusters.reporting.figure_render import TEXT_ONLY
from creative_clusters.workflows import evidence as E

pytestmark = pytest.mark.realdata



def _summary(nd, place):
    ctx = build_context(E.gather_inputs(nd, E.resolve_evidence_place(nd, place), png=TEXT_ONLY))
    summary = ctx["sections"][0]
    table = next(t for t in summary["tables"] if t["title"].startswith("Baselines"))
    return summary, {r[0]: r for r in table["rows"]}


def test_a_rank_the_findings_hold_inconclusive_is_flagged_in_the_baselines(nd):
    """The Isles of Scilly's baselines showed "99th percentile of 296" for its death rate (10 deaths of 170 firms)
    and for museums per 100,000 (2 museums) beside findings that call both ranks inconclusive."""
    summary, rows = _summary(nd, "Isles of Scilly")
    # every inconclusive finding (the Key findings table), not only the summary's first four: with the birth
    # rate's rounding doubt (round 10) the Isles of Scilly has five
    key = next(t for t in summary["tables"] if t["title"].startswith("Key findings"))
    unsure = [r[1] for r in key["rows"] if r[0] == "Inconclusive"]
    assert any(c.startswith("Museums per 100,000 people:") for c in unsure)  # the premise
    for label, r in rows.items():
        said_unsure = any(c.startswith((f"{label}:", f"{label} (lower is better):")) for c in unsure)
        if "percentile" in str(r[4]):
            assert ("inconclusive" in str(r[4])) == said_unsure, label
    assert "inconclusive" in rows["Museums per 100,000 people"][4]


def test_a_published_zero_is_shown_as_zero_to_two(nd):
    """A count of 0 in UK Business Counts is rounded to 5 (0 to 2 firms); the baselines said "0" and "0.00% of
    England"."""
    _summary_sec, rows = _summary(nd, "Isles of Scilly")
    zero = [r for r in rows.values() if r[2] == "enterprises" and r[1] == 0]
    assert zero  # the premise: the Isles of Scilly's creative counts are published as 0
    for r in zero:
        assert r[4].startswith("published as 0: 0 to 2 enterprises") and "% of England" not in r[4]
    _s, sheffield = _summary(nd, "Sheffield")
    assert all(not str(r[4]).startswith("published as 0") for r in sheffield.values())


def test_an_lq_on_a_published_zero_is_an_upper_bound_not_zero(nd):
    """The Isles of Scilly's baselines gave 'Creative business location quotient | 0.00' beside '0 to 2
    enterprises': with 2 enterprises the LQ would be about 0.1."""
    _s, rows = _summary(nd, "Isles of Scilly")
    lq = rows["Creative business location quotient"]
    assert lq[1] is None and "published as 0 (0 to 2 enterprises), so the LQ is below 0.22" in lq[4]
