"""A nation's growth is compared with the UK's by the growth rule (audit round 16, finding 9; real bundle)."""

from __future__ import annotations

import pytest

from creative_clusters._text import fmt_signed
from creative_clusters.reporting.context import build_context
from creative_clusters.reporting.figure_render import TEXT_ONLY
from creative_clusters.reporting.formatting import fmt_int
from creative_clusters.workflows import evidence as E
from tests._raw_series import read_raw

pytestmark = pytest.mark.realdata


def _growth_findings(nd, place):
    ctx = build_context(E.gather_inputs(nd, E.resolve_evidence_place(nd, place), png=TEXT_ONLY))
    return [(kind, f) for kind, items in dict(ctx["sections"][0]["findings"]).items() for f in items
            if f["topic"].startswith("Growth of creative enterprises")]


def test_scotland_is_compared_with_the_uk(nd, data_root):
    series, nation, _active = read_raw(data_root)
    scot = [n for n, v in nation.items() if v == "Scotland"]
    s15, s25 = sum(series[(n, 2015)] for n in scot), sum(series[(n, 2025)] for n in scot)
    uk15 = series.xs(2015, level="Year").sum()
    uk25 = series.xs(2025, level="Year").sum()
    cagr, uk_cagr = (s25 / s15) ** 0.1 - 1, (uk25 / uk15) ** 0.1 - 1
    assert 100 * (cagr - uk_cagr) <= -1.0  # the rule's bar: at least a point a year slower
    found = _growth_findings(nd, "Scotland")
    assert len(found) == 1
    kind, f = found[0]
    assert f"Creative enterprises {fmt_int(s15)} to {fmt_int(s25)} (2015–2025)" in f["claim"]
    assert f"against the UK {fmt_signed(100 * uk_cagr, 1)}%" in f["claim"]
    # a nation's count is a sum of 32 counts each within 2 of the truth: the rule's rounding gate applies
    assert kind in ("weakness", "inconclusive")
    if kind == "inconclusive":
        assert "edges of rounding" in f["claim"]


def test_the_uk_is_not_compared_with_itself(nd):
    assert _growth_findings(nd, "United Kingdom") == []
