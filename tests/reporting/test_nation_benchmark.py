"""Section 4 for LADs outside England: percentiles among the LADs of their own nation (real bundle)."""

from __future__ import annotations

import pandas as pd
import pytest

from creative_clusters.benchmarking.percentiles import percentile_table
from creative_clusters.reporting.context import build_context
from creative_clusters.reporting.figures import TEXT_ONLY
from creative_clusters.reporting.lint import lint_pack
from creative_clusters.workflows import evidence as E

pytestmark = pytest.mark.realdata


@pytest.fixture(scope="module")
def nd(full_home):
    return E.load_national(full_home)


def _benchmark(nd, place):
    pl = E.resolve_evidence_place(nd, place)
    ctx = build_context(E.gather_inputs(nd, pl, png=TEXT_ONLY, workforce=E._workforce(nd, pl)))
    sec = next(s for s in ctx["sections"] if s["id"] == "benchmark")
    return pl, ctx, sec


@pytest.mark.parametrize(("place", "nation", "n"), [("Cardiff", "Wales", 22), ("Glasgow City", "Scotland", 32),
                                                     ("Belfast", "Northern Ireland", 11)])
def test_devolved_lad_is_ranked_within_its_nation(nd, place, nation, n):
    pl, ctx, sec = _benchmark(nd, place)
    assert not lint_pack(ctx)
    table = next(t for t in sec["tables"] if "within" in t["title"])
    assert nation in table["title"] and f"Percentile in {nation}" in table["columns"]
    assert f"the {n} local authorities of {nation}" in " ".join(sec["sentences"])
    # independent check: the business birth rate percentile among the nation's LADs, by hand from the table
    base = nd.nation_indicators
    base = base[base.index.str[:1] == pl.code[0]]
    assert len(base) == n
    want = percentile_table(base[["birth_rate"]], {"birth_rate": "higher"}).loc[pl.code, "birth_rate"]
    row = next(r for r in table["rows"] if r[1] == "Business birth rate (%)")
    assert row[3] == pytest.approx(want) and row[4] == base["birth_rate"].notna().sum()
    # indicators that rest on England-only data are said to be so, never scored as zero
    lq = next(r for r in table["rows"] if r[1] == "Creative business location quotient")
    assert lq[2] is None and lq[3] is None and "English local authorities only" in lq[6] and "Wales's" not in lq[6]


def test_english_places_keep_the_england_base(nd):
    _pl, _ctx, sec = _benchmark(nd, "Sheffield")
    assert not any("within" in t["title"] for t in sec["tables"])
    table = sec["tables"][0]
    assert max(r[5] for r in table["rows"] if r[5] is not None and not pd.isna(r[5])) <= 296


def test_devolved_summary_says_what_it_is(nd):
    _pl, ctx, _sec = _benchmark(nd, "Cardiff")
    summary = next(s for s in ctx["sections"] if s["id"] == "summary")
    text = " ".join(summary["sentences"])
    assert "specialisation in the creative industries as a whole (2024)" in text
    assert "below the England level" not in text


def test_a_place_outside_the_sic_counts_gets_its_count_and_lq_up_front(nd):
    """Cardiff's first page had one headline box although the UK-wide annual series gives its count."""
    from creative_clusters.reporting.context import build_context
    from creative_clusters.workflows.evidence import gather_inputs, resolve_evidence_place

    pl = resolve_evidence_place(nd, "Cardiff")
    ctx = build_context(gather_inputs(nd, pl, png=False))
    heads = {h["label"]: h["raw"] for h in ctx["headline"]}
    count = next(v for k, v in heads.items() if k.startswith("Creative enterprises (") and "annual series" in k)
    scale = next(s for s in ctx["sections"] if s["id"] == "scale")
    assert f"had {count:,.0f} creative enterprises" in " ".join(scale["sentences"])
    assert "Creative business location quotient (UK = 1)" in heads


def test_a_small_nation_base_is_explained_not_silently_dropped(nd):
    """Cardiff's summary had no weaknesses heading while section 4 showed 7th percentiles: the 22 Welsh
    authorities are below the findings' base of 30, and the summary now says so."""
    from creative_clusters.reporting.context import build_context
    from creative_clusters.reporting.findings import MIN_PLACES
    from creative_clusters.workflows.evidence import gather_inputs, resolve_evidence_place

    ctx = build_context(gather_inputs(nd, resolve_evidence_place(nd, "Cardiff"), png=False))
    rows = next(s for s in ctx["sections"] if s["id"] == "benchmark")["tables"][0]["rows"]
    n = max(r[4] for r in rows if isinstance(r[4], (int, float)))
    assert n < MIN_PLACES
    summary = " ".join(ctx["sections"][0]["sentences"])
    assert f"percentiles among the {n} local authorities of Wales are in section 4 but are not findings" in summary
