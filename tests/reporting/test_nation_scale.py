"""The creative scale of a LAD outside England, ranked within its nation and across the UK (real bundle).

The framework's count of creative enterprises and business LQ read the counts by
SIC class, which cover England only. Outside England they are ranked on the
UK-wide annual series instead, for every LAD of each ranking (one source per
ranking), with the values the pack's sections 2 and 3 show. Everything here is
worked by hand from the two raw files: the series of creative enterprises by LAD
and ONS Business Demography's active enterprises.
"""

from __future__ import annotations

import pandas as pd
import pytest
from scipy.stats import percentileofscore

from creative_clusters.reporting.context import build_context
from creative_clusters.reporting.figure_render import TEXT_ONLY
from creative_clusters.workflows import evidence as E
from creative_clusters.workflows.benchmark import place_benchmark
from tests._raw_series import read_raw

pytestmark = pytest.mark.realdata


@pytest.fixture(scope="module")
def raw(data_root):
    """(series by name and year, its nation by name, active enterprises by name in 2024)."""
    return read_raw(data_root)


def _pct(values, x):
    """Percentile with ties shared (higher is better; 100 = best): ONS-style mid-rank, by scipy."""
    return percentileofscore(list(values), x, kind="mean")


@pytest.mark.parametrize(("place", "nation", "n"), [("Cardiff", "Wales", 22), ("Glasgow City", "Scotland", 32),
                                                     ("Belfast", "Northern Ireland", 11)])
def test_scale_is_ranked_on_the_series_within_the_nation_and_the_uk(nd, raw, place, nation, n):
    series, nations, active = raw
    latest = series.xs(2025, level="Year")
    assert len(latest) == 361
    res = place_benchmark(nd, place)
    t = res.table.set_index("indicator_id")
    count, lq = t.loc["creative_enterprises"], t.loc["creative_business_lq"]
    # the count: the series' latest year, as published
    assert count["value"] == latest[place]
    mine = latest[nations.reindex(latest.index) == nation]
    assert len(mine) == n and count["n_all"] == n
    assert count["pct_all"] == pytest.approx(_pct(mine, latest[place]))
    assert count["n_uk"] == 361 and count["pct_uk"] == pytest.approx(_pct(latest, latest[place]))
    # the LQ: creative over active enterprises in 2024 (the latest year with both), against the UK
    c24 = series.xs(2024, level="Year")
    assert len(active) == 361 and set(active.index) == set(c24.index)
    uk_share = c24.sum() / active.sum()
    lqs = c24 / active.reindex(c24.index) / uk_share
    assert lq["value"] == pytest.approx(lqs[place], rel=1e-9)
    assert lq["pct_all"] == pytest.approx(_pct(lqs[nations.reindex(lqs.index) == nation], lqs[place]))
    # a place published as 0 creative enterprises (0 to 2: the Isles of Scilly) has no LQ to rank (the rule in
    # benchmarking.percentiles): the UK base is the other 360
    ranked = lqs[c24 > 0]
    assert len(ranked) == 360 and lq["n_uk"] == 360
    assert lq["pct_uk"] == pytest.approx(_pct(ranked, lqs[place]))
    assert "annual series" in count["note"] and "Year: 2025." in count["note"]
    assert "Year: 2024." in lq["note"]
    # still not ranked: sub-sectors need the counts by SIC class
    div = t.loc["subsector_diversity"]
    assert pd.isna(div["pct_all"]) and "English local authorities only" in div["note"]


def test_the_pack_ranks_the_same_values_it_shows_in_its_scale_sections(nd):
    """One value per measure: section 4's count and LQ are the headline's (sections 2 and 3)."""
    pl = E.resolve_evidence_place(nd, "Cardiff")
    ctx = build_context(E.gather_inputs(nd, pl, png=TEXT_ONLY, workforce=E._workforce(nd, pl)))
    heads = {h["label"]: h["raw"] for h in ctx["headline"]}
    count = next(v for k, v in heads.items() if k.startswith("Creative enterprises (") and "annual series" in k)
    sec = next(s for s in ctx["sections"] if s["id"] == "benchmark")
    table = next(t for t in sec["tables"] if "within" in t["title"])
    rows = {r[1]: r for r in table["rows"]}
    assert rows["Creative enterprises (count)"][2] == count
    assert rows["Creative business location quotient"][2] == pytest.approx(
        heads["Creative business location quotient (UK = 1)"])
    assert "ranked on the UK-wide annual series" in " ".join(sec["sentences"])


def test_england_keeps_its_own_source(nd, raw, data_root):
    """An English LAD's own benchmark still reads the counts by SIC class (March 2025), not the series."""
    totals = pd.read_csv(data_root / "business_counts" / "business_counts_la_totals_2025.csv").set_index("Region")
    series, _nations, _active = raw
    t = place_benchmark(nd, "Sheffield").table.set_index("indicator_id")
    assert t.loc["creative_enterprises", "value"] == totals.loc["Sheffield", "Enterprise Count"]  # 1,610
    assert series[("Sheffield", 2025)] != totals.loc["Sheffield", "Enterprise Count"]  # the series: 1,605
    assert t.loc["creative_enterprises", "n_all"] == 296
