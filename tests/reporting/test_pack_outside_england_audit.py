"""Defects a bid writer found in packs outside England (7 December audit), each as it was and as it must be.

Real bundle: the values come from the pack's own tables or from the raw files, never from today's output.
"""

from __future__ import annotations

import pytest

from creative_clusters.reporting.context import build_context
from creative_clusters.reporting.figure_render import TEXT_ONLY
from creative_clusters.reporting.findings import NATION_EFFECT_PCT
from creative_clusters.workflows import evidence as E
from tests._raw_series import read_raw

pytestmark = pytest.mark.realdata


def _ctx(nd, query=None, **kw):
    pl = E.resolve_evidence_place(nd, query, **kw)
    return pl, build_context(E.gather_inputs(nd, pl, png=TEXT_ONLY, workforce=E._workforce(nd, pl)))


def _section(ctx, sid):
    return next(s for s in ctx["sections"] if s["id"] == sid)


def test_a_member_flagged_on_its_point_estimate_only_is_not_a_cluster_of_its_group(nd):
    # was: "2 are creative clusters under the Nesta-style threshold rule ... (City of Edinburgh and Glasgow City)"
    # while Glasgow City's own pack says its LQ interval includes 1: "Do not cite it as a detected cluster"
    c = nd.clusters
    glasgow = c[(c["geo_code"] == "S12000049") & c["is_cluster"].astype(bool) & (c["rule"] == "threshold")]
    assert len(glasgow) and float(glasgow["lq_lower"].min()) <= 1  # the premise: flagged on its point only
    _pl, ctx = _ctx(nd, name="Clyde", places=["Glasgow City", "Renfrewshire", "West Dunbartonshire"])
    text = " ".join(_section(ctx, "summary")["sentences"])
    rule = str(glasgow["method"].iloc[0])
    assert f"under the {rule} (Glasgow City)" not in text and "(Glasgow City)" not in text
    assert f"Glasgow City meets the {rule} on its point estimate only" in text


def test_a_specialisation_within_its_nation_below_the_uk_level_is_framed_as_such(nd, data_root):
    # was: Clyde "1.30 times Scotland's concentration ... lead with it" beside the weakness "0.91 times the UK's"
    series, _nation, active = read_raw(data_root)
    c24 = series.xs(2024, level="Year")
    members = ["Glasgow City", "Renfrewshire", "West Dunbartonshire"]
    uk_lq = c24[members].sum() / active[members].sum() / (c24.sum() / active.reindex(c24.index).sum())
    assert uk_lq < 1  # the premise, by hand
    _pl, ctx = _ctx(nd, name="Clyde", places=members)
    found = _section(ctx, "summary")["findings"]
    nation = [f for f in found["strength"] if "Scotland's concentration" in f["claim"]]
    assert len(nation) == 1
    assert "lead with it" not in nation[0]["so_what"]
    assert "never as a UK-level specialisation" in nation[0]["so_what"]
    assert any("the UK's concentration" in f["claim"] for f in found["weakness"])


def test_a_nuts2_area_outside_england_has_its_scale_and_benchmark(nd, data_root):
    # was: East Wales (UKL2) had an empty section 2 ("no creative enterprise counts") and no percentiles
    series, _nation, active = read_raw(data_root)
    pl, ctx = _ctx(nd, "East Wales")
    assert len(pl.members) > 1 and all(m.startswith("W") for m in pl.members)
    names = [nd.names[m] for m in pl.members]
    c24 = series.xs(2024, level="Year")
    lq = c24[names].sum() / active[names].sum() / (c24.sum() / active.reindex(c24.index).sum())
    heads = {h["label"]: h["raw"] for h in ctx["headline"]}
    assert heads["Creative business location quotient (UK = 1)"] == pytest.approx(lq, rel=1e-9)
    bench = _section(ctx, "benchmark")
    assert any("within Wales" in t["title"] for t in bench["tables"])
    wales = _section(_ctx(nd, "Wales")[1], "benchmark")
    why = " ".join(wales["missing"])
    assert "outside England, so there are no percentiles" not in why and "four nations" in why


def test_a_uk_rank_held_at_the_nations_median_is_the_nations(nd):
    # was: Belfast's "Growth in active enterprises: 89th percentile of 361" a strength, while it sits at
    # exactly the median of Northern Ireland's 11 councils (every one of which is high in the UK)
    _pl, ctx = _ctx(nd, "Belfast")
    table = _section(ctx, "benchmark")["tables"][0]
    rows = {r[1]: r for r in table["rows"]}
    row = rows["Growth in active enterprises, all industries (%)"]
    assert row[3] == NATION_EFFECT_PCT and row[5] >= 80  # the premise, from the pack's own table
    summary = _section(ctx, "summary")["tables"][0]["rows"]
    assert not any(r[0] == "Strength" and r[1].startswith("Growth in active enterprises") for r in summary)
    assert any(r[0] == "Inconclusive" and r[1].startswith("Growth in active enterprises") for r in summary)


def test_a_sub_sector_that_swings_is_not_cited_as_the_largest_rise(nd):
    # was: Cardiff's pack said East Wales's creative employment "swung ... not a trend", then "the largest
    # rise was in IT, software and computer services (+2,100, 78.8%)" from a path 2,665, 7,055, 14,185, 4,765
    _pl, ctx = _ctx(nd, "Cardiff")
    growth = _section(ctx, "growth")
    table = next(t for t in growth["tables"] if t["title"].startswith("Creative employment by year"))
    it = next(r for r in table["rows"] if r[0].startswith("IT, software"))
    path = [float(x) for x in it[1:]]
    assert max(path[1:-1]) > 2 * max(path[0], path[-1])  # the premise: a swing, from the pack's own table
    text = " ".join(growth["sentences"])
    assert "largest rise was in IT, software" not in text
    assert "IT, software and computer services" in text and "not cited as a rise or a fall" in text
