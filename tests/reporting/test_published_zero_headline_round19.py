"""A count published as 0 is 0 to 2 enterprises (UK Business Counts round to 5), so the pack's headline tile
says so; it printed "0" beside "rounded to 5", which reads as none (the Isles of Scilly, and the Penzance
travel-to-work area it stands for).
"""

from __future__ import annotations

import pytest

from creative_clusters.reporting.context import build_context
from creative_clusters.reporting.figure_render import TEXT_ONLY
from creative_clusters.workflows import evidence as E

pytestmark = pytest.mark.realdata


def _tile(nd, place: str) -> dict:
    ctx = build_context(E.gather_inputs(nd, E.resolve_evidence_place(nd, place), png=TEXT_ONLY))
    return next(h for h in ctx["headline"] if str(h["label"]).startswith("Creative enterprises (March"))


@pytest.mark.parametrize("place", ["E06000053", "ttwa:Penzance"])
def test_a_published_zero_count_tile_reads_0_to_2_not_0(nd, place):
    assert int(nd.lq.count.loc["E06000053"].sum()) == 0  # the premise: every creative class published as 0
    tile = _tile(nd, place)
    assert tile["value"] == "0 to 2"
    assert "published as 0" in tile["note"]
    assert "raw" not in tile  # the Excel annex writes the text, not a number 0


def test_a_counted_place_keeps_its_number(nd):
    tile = _tile(nd, "E08000019")  # Sheffield
    assert tile["format"] == "int" and tile["raw"] > 1000
    assert tile["value"] == f"{int(tile['raw']):,}"
