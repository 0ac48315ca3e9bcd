"""One rule for published zeros in UK ranking bases, and every base that differs from the headline one said
(audit round 16, finding 10; percentiles worked out by hand from the raw files)."""

from __future__ import annotations

import math

import pytest

from creative_clusters.reporting.context import build_context
from creative_clusters.reporting.figure_render import TEXT_ONLY
from creative_clusters.workflows import evidence as E
from tests._raw_series import read_raw

pytestmark = pytest.mark.realdata


def _rows(nd, place):
    ctx = build_context(E.gather_inputs(nd, E.resolve_evidence_place(nd, place), png=TEXT_ONLY))
    table = next(s for s in ctx["sections"] if s["id"] == "benchmark")["tables"][0]
    return {r[1]: dict(zip(table["columns"], r, strict=True)) for r in table["rows"]}


def test_glasgow_uk_lq_percentile_leaves_out_the_published_zero(nd, data_root):
    series, _nation, active = read_raw(data_root)
    c24 = series.xs(2024, level="Year")
    lads = [n for n in c24.index if n in active.index]
    ref = c24[lads].sum() / active[lads].sum()
    lq = {n: c24[n] / active[n] / ref for n in lads}
    assert lq["Isles of Scilly"] == 0
    base = [v for v in lq.values() if v > 0]  # a published 0 has no LQ to rank (0 to 2 firms)
    x = lq["Glasgow City"]
    pct = 100 * (sum(v < x for v in base) + 0.5 * sum(v == x for v in base)) / len(base)
    r = _rows(nd, "Glasgow City")["Creative business location quotient"]
    assert r["UK places with data"] == len(base) == 360
    assert math.isclose(r["Percentile in the UK"], pct, abs_tol=1e-9)
    assert "Isles of Scilly is published as 0 creative enterprises" in r["Note"]
    # a count stays in its base: a published 0 is below any positive rounded count
    assert _rows(nd, "Glasgow City")["Creative enterprises (count)"]["UK places with data"] == 361


def test_survival_base_names_the_places_without_a_value(nd):
    r = _rows(nd, "Glasgow City")["Three-year business survival rate (%)"]
    assert r["UK places with data"] == 357
    assert "UK base: the 357 of 361 local authorities with a value" in r["Note"]
    for name in ("Cumberland", "Westmorland and Furness", "North Yorkshire", "Somerset"):
        assert name in r["Note"]
