"""Section 7's table of neighbours shows creative enterprises and business LQs, so the section cites the datasets
they come from (the counts and the active enterprises they are divided by), as section 2 does; it cited none,
and the Excel annex's 7.1 sheet then named no source."""

from __future__ import annotations

import pytest

from creative_clusters.reporting.context import build_context
from creative_clusters.reporting.figure_render import TEXT_ONLY
from creative_clusters.workflows import evidence as E

pytestmark = pytest.mark.realdata


def _section(nd, place: str, sid: str):
    ctx = build_context(E.gather_inputs(nd, E.resolve_evidence_place(nd, place), png=TEXT_ONLY))
    return next(s for s in ctx["sections"] if s["id"] == sid)


@pytest.mark.parametrize("place", ["Sheffield", "Cardiff"])
def test_the_neighbours_table_cites_its_counts_and_denominator(nd, place):
    sec = _section(nd, place, "connections")
    assert sec["tables"] and "LQ" in " ".join(sec["tables"][0]["columns"])  # the premise: the table is there
    scale = _section(nd, place, "scale")
    counts = [s for s in scale["sources"] if s.startswith("business_counts")]
    demography = [s for s in scale["sources"] if s.startswith("business_demography")]
    assert counts and demography
    assert set(sec["sources"]) & set(counts), sec["sources"]
    assert set(sec["sources"]) & set(demography), sec["sources"]
