"""A user's group of LADs outside England's counts by SIC class gets its scale and LQs from the series.

Was: the pack for the ten LADs of the Cardiff Capital Region (``evidence --name "Cardiff Capital Region"
--places ...``) had a count but no location quotient at all, in its headline or section 2, although the
series and Business Demography give every member's creative and active enterprises; the profile of the same
group showed an LQ from its trajectory. Worked by hand here from the two raw files (real bundle).
"""

from __future__ import annotations

import pytest

from creative_clusters.reporting.context import build_context
from creative_clusters.reporting.figure_render import TEXT_ONLY
from creative_clusters.workflows import evidence as E
from tests._raw_series import CCR, read_raw

pytestmark = pytest.mark.realdata


@pytest.fixture(scope="module")
def raw(data_root):
    series, nation, active = read_raw(data_root)
    return series.xs(2024, level="Year"), nation, active


def _pack(nd, name, members):
    pl = E.resolve_evidence_place(nd, None, name=name, places=members)
    return pl, build_context(E.gather_inputs(nd, pl, png=TEXT_ONLY, workforce=E._workforce(nd, pl)))


def test_a_welsh_group_has_its_lq_against_the_uk_and_wales_worked_by_hand(nd, raw):
    series, nation, active = raw
    assert set(CCR) <= set(series.index) and set(CCR) <= set(active.index)
    creative, act = series[CCR].sum(), active[CCR].sum()
    uk = (creative / act) / (series.sum() / active.reindex(series.index).sum())
    wales = nation.reindex(series.index) == "Wales"
    in_wales = (creative / act) / (series[wales].sum() / active.reindex(series.index)[wales].sum())
    pl, ctx = _pack(nd, "Cardiff Capital Region", CCR)
    heads = {h["label"]: h["raw"] for h in ctx["headline"]}
    assert heads["Creative business location quotient (UK = 1)"] == pytest.approx(uk, rel=1e-9)
    scale = next(s for s in ctx["sections"] if s["id"] == "scale")
    table = next(t for t in scale["tables"] if t["title"].endswith("(annual series)"))
    rows = {r[0]: r for r in table["rows"]}
    assert rows["the UK"][1] == pytest.approx(uk, rel=1e-9) and rows["the UK"][2] < uk < rows["the UK"][3]
    assert rows["Wales"][1] == pytest.approx(in_wales, rel=1e-9)
    assert f"when it had {creative:,.0f} creative enterprises" in " ".join(scale["sentences"])
    # the profile's LQ of the same group (its trajectory's latest LQ) is the same number: one producer
    from creative_clusters.workflows.trajectory import trajectory_statistics

    traj, _why = E.pack_trajectory(nd, pl)
    assert trajectory_statistics(traj)["business_lq_series"].value == pytest.approx(uk, rel=1e-9)


def test_a_group_across_nations_has_its_uk_lq_and_no_nation_lq(nd, raw):
    series, _nation, active = raw
    members = ["Bristol, City of", "Cardiff"]
    uk = (series[members].sum() / active[members].sum()) / (series.sum() / active.reindex(series.index).sum())
    _pl, ctx = _pack(nd, "Bristol and Cardiff", ["Bristol", "Cardiff"])
    scale = next(s for s in ctx["sections"] if s["id"] == "scale")
    table = next(t for t in scale["tables"] if t["title"].endswith("(annual series)"))
    assert [r[0] for r in table["rows"]] == ["the UK"]
    assert table["rows"][0][1] == pytest.approx(uk, rel=1e-9)


def test_an_english_group_keeps_its_lqs_from_the_counts_by_sic_class(nd):
    _pl, ctx = _pack(nd, "Thames Estuary", ["E06000034", "E06000033", "E06000035"])
    scale = next(s for s in ctx["sections"] if s["id"] == "scale")
    titles = [t["title"] for t in scale["tables"]]
    assert any("by sub-sector" in t for t in titles) and not any(t.endswith("(annual series)") for t in titles)
