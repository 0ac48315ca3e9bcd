"""Sixth review of the packs as a bid writer reads them (issue 12): each test failed before its fix.

Real bundle; expected values come from the source files through the warehouse.
"""

from __future__ import annotations

import pytest

from creative_clusters.workflows import evidence as E
from tests.reporting._helpers import pack_context, section

pytestmark = pytest.mark.realdata


@pytest.fixture(scope="module")
def nd(full_home):
    return E.load_national(full_home)


def test_travel_to_work_area_peers_are_not_read_as_local_authorities(nd):
    # was: the Reading TTWA's peers listed "Leeds 2,890" and "Milton Keynes 1,865": the LADs of those names
    # have other counts (Leeds LAD 3,000-odd), so a reader compared the wrong places
    ctx = pack_context(nd, "ttwa:Reading")
    t = next(t for t in section(ctx, "benchmark")["tables"] if t["title"].startswith("Peer places"))
    lad_names = {n for c, n in nd.names.items() if str(c)[:3] in ("E06", "E07", "E08", "E09")}
    assert any(r[1].endswith(" (travel-to-work area)") for r in t["rows"])
    for code, name, *_ in t["rows"]:
        assert code.startswith("E30")
        bare = name.removesuffix(" (travel-to-work area)")
        assert (bare in lad_names) == name.endswith(" (travel-to-work area)"), name


def test_a_break_before_the_window_does_not_silence_its_finding(nd):
    # was: "Growth in active enterprises ... 14th percentile, but Cambridge travel-to-work area's count of
    # active enterprises breaks in 2019 ... Do not cite this rank": the 2019 break is the step from 2018
    # (East Hertfordshire 13,050 to 10,790), before the 2019-2024 window
    ctx = pack_context(nd, "ttwa:Cambridge")
    breaks = [r[0] for t in section(ctx, "growth")["tables"] for r in t["rows"]
              if f"Break in the LQ denominator in {r[0]}" in str(r[-1])]
    assert "2019" in breaks  # the premise, from the pack's own table
    rows = section(ctx, "summary")["tables"][0]["rows"]
    growth = next(r for r in rows if r[1].startswith("Growth in active enterprises"))
    assert "breaks in 2019" not in growth[1] and growth[0] != "Inconclusive"
