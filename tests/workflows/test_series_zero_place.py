"""A place the series publishes as 0 in every year is never ranked and is said to be possibly uncovered.

Was: the Isles of Scilly (0 in every year 2010-2025, while Business Demography
counts active enterprises there) was ranked 296th of 296 and 361st of 361 in
every year of its series table, and nothing said its zeros may be a coverage
gap. Real bundle.
"""

from __future__ import annotations

import pytest

from creative_clusters.workflows import evidence as E
from creative_clusters.workflows.places import resolve_place
from creative_clusters.workflows.trajectory import load_trajectory_data, place_trajectory
from tests.reporting._helpers import pack_context

pytestmark = pytest.mark.realdata


def test_an_all_zero_series_has_no_rank_in_any_year_and_says_why(wh):
    data = load_trajectory_data(wh)
    t = place_trajectory(wh, resolve_place(wh, "Isles of Scilly"), data=data)
    assert all(y.value == 0 for y in t.series)
    assert all(y.rank_uk is None and y.rank_nation is None for y in t.series)
    assert any("in every year" in n and "coverage gap" in n for n in t.notes)
    # the zero still counts among the places ranked: Cornwall's rank is out of all 361 LADs
    c = place_trajectory(wh, resolve_place(wh, "Cornwall"), data=data)
    assert c.series[-1].rank_uk is not None and c.window("ten_year").n_uk == 361
    assert not any("in every year" in n for n in c.notes)


def test_the_pack_carries_the_coverage_note(full_home):
    nd = E.load_national(full_home)
    ctx = pack_context(nd, "Isles of Scilly")
    text = " ".join(str(x) for s in ctx["sections"] for t in s["tables"] for x in t["notes"])
    text += " ".join(x for s in ctx["sections"] for x in s["sentences"] + s.get("notes", []))
    assert "published as 0 (0 to 2 enterprises) in every year" in text
