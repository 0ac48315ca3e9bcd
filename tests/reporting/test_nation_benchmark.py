"""Section 4 for LADs outside England: percentiles among the LADs of their own nation (real bundle)."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from creative_clusters.benchmarking.percentiles import percentile_table
from creative_clusters.reporting.context import build_context
from creative_clusters.reporting.figure_render import TEXT_ONLY
from creative_clusters.reporting.lint import lint_pack
from creative_clusters.workflows import evidence as E

pytestmark = pytest.mark.realdata



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
    div = next(r for r in table["rows"] if r[1].startswith("Creative sub-sectors specialised"))
    assert div[2] is None and div[3] is None and "English local authorities only" in div[8] and "Wales's" not in div[8]
    # the creative scale is ranked on the UK-wide annual series instead (tests/reporting/test_nation_scale.py)
    lq = next(r for r in table["rows"] if r[1] == "Creative business location quotient")
    assert lq[3] is not None and lq[4] == n and "annual series" in lq[8]


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


@pytest.mark.parametrize("place", ["Cardiff", "Glasgow City", "Belfast"])
def test_devolved_lad_is_ranked_across_the_uk_where_the_data_reach_all_four_nations(nd, place):
    """Cardiff's summary had one finding: its percentiles were taken among the 22 Welsh LADs only, a base too
    small for findings, although Business Demography and the annual series cover every UK LAD."""
    pl, ctx, sec = _benchmark(nd, place)
    assert not lint_pack(ctx)
    table = next(t for t in sec["tables"] if "within" in t["title"])
    col = table["columns"].index("Percentile in the UK")
    # independent check: the birth rate's percentile among every UK LAD, by hand from England's base and the
    # other nations' rows
    uk = pd.concat([nd.indicators, nd.nation_indicators])
    want = percentile_table(uk[["birth_rate"]], {"birth_rate": "higher"}).loc[pl.code, "birth_rate"]
    row = next(r for r in table["rows"] if r[1] == "Business birth rate (%)")
    assert row[col] == pytest.approx(want) and row[col + 1] == uk["birth_rate"].notna().sum() > 350
    # an indicator whose data stop at England and Wales (Census 2021) is not ranked across the UK
    census = next(r for r in table["rows"] if r[1].startswith("Residents in employment in creative industry"))
    assert census[col] is None or pd.isna(census[col])
    # the web's benchmark (workflows.benchmark) serves the same UK percentiles: one producer
    from creative_clusters.workflows.benchmark import place_benchmark

    web = place_benchmark(nd, place).table.set_index("label")
    assert web.loc["Business birth rate (%)", "pct_uk"] == pytest.approx(want)


def test_devolved_findings_rest_on_the_uk_base(nd):
    """With a UK base of 361 LADs, Cardiff's summary carries percentile findings, each naming that base."""
    from creative_clusters.reporting.findings import MIN_PLACES

    _pl, ctx, _sec = _benchmark(nd, "Cardiff")
    ranked = [f for k in ("strength", "weakness") for f in ctx["sections"][0]["findings"][k]
              if "percentile" in f["claim"]]
    assert ranked, "no percentile finding for Cardiff"
    for f in ranked:
        assert "local authorities of the UK" in f["claim"] and f["numbers"]["places"] >= MIN_PLACES


def test_devolved_cities_are_tested_as_clusters_on_the_uk_series(nd, full_warehouse):
    """Cardiff's pack said "not assessed as a cluster" although the threshold rule runs on the UK-wide series
    (``clusters --scope uk``). Nesta (2016, docs/methods.md) names Edinburgh, Glasgow, Cardiff and Belfast among its
    47 creative clusters; the pack now tests each on the series, and its verdict is the CLI's, gated by the LQ's
    interval as in England."""
    from creative_clusters import kinds
    from creative_clusters.workflows import detection
    from creative_clusters.workflows._series_places import series_place_table

    table, _meta = series_place_table(full_warehouse, "lad")
    floor = detection.resolve_min_size(table, "businesses")
    flagged, _det = detection.detect(table, method="threshold", min_size=floor)
    flagged = flagged.set_index("geo_code")
    for place in ("Cardiff", "City of Edinburgh", "Glasgow City", "Belfast"):
        pl, ctx, _sec = _benchmark(nd, place)
        r = flagged.loc[pl.code]
        assert bool(r["cluster"]), place  # the rule's point-estimate test, as the CLI runs it
        summary = ctx["sections"][0]
        claims = [(k, f["claim"]) for k, v in summary["findings"].items() for f in v]
        detected = [c for k, c in claims if k == "strength" and kinds.SERIES_THRESHOLD_RULE in c]
        doubtful = [c for k, c in claims if k == "inconclusive" and kinds.SERIES_THRESHOLD_RULE in c]
        if r["lq_lower"] > 1:
            assert detected and not doubtful, place
        else:  # Glasgow: LQ against the UK about 1.01, its interval reaching below 1
            assert doubtful and not detected, place
        text = " ".join(summary["sentences"])
        assert "not assessed as a cluster" not in text
        if detected:  # the methods define the rule, the summary gives it in brief
            methods = " ".join(next(s for s in ctx["sections"] if s["id"] == "sources")["methods"])
            assert ("against the UK is at least 1.0 on its point estimate and which has at least "
                    f"{math.ceil(floor):,}") in methods
            assert f"the {len(table)} UK local authorities" in methods
            assert (f"the threshold rule asks for a business LQ against the UK of at least 1.0 and at least "
                    f"{math.ceil(floor):,} creative enterprises") in text
