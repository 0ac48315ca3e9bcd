"""A group of one nation's LADs outside England is benchmarked beside that nation's LADs (real bundle).

Was: the ten LADs of the Cardiff Capital Region (a user's group) and the Cardiff travel-to-work area had no
section 4 at all ("no percentiles here"), while a single Welsh LAD is ranked among Wales's 22. Now the group
is one row beside them, as a combined authority is beside England's LADs: its counts summed, its business LQ
from its own summed counts (section 2's), ranked among 23 places. Worked by hand from the raw files.
"""

from __future__ import annotations

import pytest
from scipy.stats import percentileofscore

from creative_clusters.reporting.context import build_context
from creative_clusters.reporting.figure_render import TEXT_ONLY
from creative_clusters.reporting.lint import lint_pack
from creative_clusters.workflows import evidence as E
from tests._raw_series import CCR, read_raw

pytestmark = pytest.mark.realdata


@pytest.fixture(scope="module")
def raw(data_root):
    series, nation, active = read_raw(data_root)
    return {y: series.xs(y, level="Year") for y in (2024, 2025)}, nation, active


def _ctx(nd):
    pl = E.resolve_evidence_place(nd, None, name="Cardiff Capital Region", places=CCR)
    return pl, build_context(E.gather_inputs(nd, pl, png=TEXT_ONLY, workforce=E._workforce(nd, pl)))


def test_a_welsh_group_is_ranked_beside_the_lads_of_wales(nd, raw):
    by_year, nation, active = raw
    welsh = nation[nation == "Wales"].index
    assert len(welsh) == 22
    _pl, ctx = _ctx(nd)
    assert not lint_pack(ctx)
    sec = next(s for s in ctx["sections"] if s["id"] == "benchmark")
    # round 16: automatic peers outside England are chosen for single local authorities only (a group is matched
    # on the sub-sector mix, imported for England only), so the section says it has none and why, and that
    # --peers names them
    assert sec["status"] == "partial" and sec["missing"] == ["No peers: the peer rule in Sources and methods says why."]
    table = next(t for t in sec["tables"] if "within Wales" in t["title"])
    rows = {r[1]: r for r in table["rows"]}
    # the count: its members' 2025 series summed, shown but not ranked: a total over ten LADs is not
    # comparable with single ones (England's rule for its groups)
    count = by_year[2025][CCR].sum()
    row = rows["Creative enterprises (count)"]
    assert row[2] == count and row[3] is None and row[5] is None
    assert "Not ranked: a total over 10 local authorities" in row[8]
    # the business LQ: the group's own (summed counts, 2024), not a mean of its members' LQs
    c24 = by_year[2024]
    uk_share = c24.sum() / active.reindex(c24.index).sum()
    lq = c24[CCR].sum() / active[CCR].sum() / uk_share
    lqs = c24[welsh] / active[welsh] / uk_share
    row = rows["Creative business location quotient"]
    assert row[2] == pytest.approx(lq, rel=1e-9)
    assert row[3] == pytest.approx(percentileofscore([*lqs, lq], lq, kind="mean"))
    heads = {h["label"]: h["raw"] for h in ctx["headline"]}
    assert heads["Creative business location quotient (UK = 1)"] == pytest.approx(row[2])  # section 2's
    assert row[4] == 23 and "recomputed from summed counts" in row[8].lower()
    text = " ".join(sec["sentences"])
    assert "of 23 places (22 local authorities of Wales and Cardiff Capital Region; 100 = best)" in text
    assert "as one area (10 local authorities" in text and "UK's 361 local authorities" in text
    assert "its nation" not in " ".join(str(r[8]) for r in table["rows"])
    assert "two sources and years" not in row[8]  # the England caveat of the LQ is replaced, not appended to


def test_a_welsh_ttwa_is_ranked_beside_the_lads_of_wales(nd):
    pl = E.resolve_evidence_place(nd, "ttwa:Cardiff")
    ctx = build_context(E.gather_inputs(nd, pl, png=TEXT_ONLY, workforce=E._workforce(nd, pl)))
    assert not lint_pack(ctx)
    sec = next(s for s in ctx["sections"] if s["id"] == "benchmark")
    table = next(t for t in sec["tables"] if "within Wales" in t["title"])
    rows = {r[1]: r for r in table["rows"]}
    assert rows["Creative enterprises (count)"][4] == 23 and len(pl.members) > 1


def test_a_ttwa_of_one_lad_stands_in_for_it_not_beside_it(nd):
    """Bridgend's TTWA is the LAD of Bridgend: ranked among Wales's 22, never tied with itself (review)."""
    pl = E.resolve_evidence_place(nd, "ttwa:W22000003")
    assert len(pl.members) == 1
    ctx = build_context(E.gather_inputs(nd, pl, png=TEXT_ONLY, workforce=E._workforce(nd, pl)))
    assert not lint_pack(ctx)
    sec = next(s for s in ctx["sections"] if s["id"] == "benchmark")
    table = next(t for t in sec["tables"] if "within Wales" in t["title"])
    rows = {r[1]: r for r in table["rows"]}
    assert rows["Creative enterprises (count)"][4] == 22 and rows["Business birth rate (%)"][6] == 361
    assert "local authorities: counts summed" not in " ".join(sec["sentences"])


def test_the_web_benchmark_of_a_welsh_ttwa_says_groups_are_in_the_pack(nd):
    from creative_clusters.workflows.benchmark import place_benchmark

    res = place_benchmark(nd, "ttwa:Cardiff")
    assert res.table is None and "single local authorities" in res.note


def test_a_group_across_nations_is_not_ranked_within_one(nd):
    """Not within Wales nor within England alone: among the local authorities of both (its own base; see
    tests/reporting/test_cross_nation_group.py)."""
    pl = E.resolve_evidence_place(nd, None, name="Bristol and Cardiff", places=["Bristol", "Cardiff"])
    ctx = build_context(E.gather_inputs(nd, pl, png=TEXT_ONLY, workforce=E._workforce(nd, pl)))
    sec = next(s for s in ctx["sections"] if s["id"] == "benchmark")
    titles = [t["title"] for t in sec["tables"]]
    assert not any("within Wales and across" in t or "within England and across" in t for t in titles)
    assert any("within England and Wales" in t for t in titles)
