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


def test_an_all_zero_place_gets_no_lq_of_zero_only_its_upper_bound(wh):
    """Was: the profile said the Isles of Scilly's zeros read as unknown, then showed its LQ as 0.00 (95% interval
    0.00-0.22) and 0.00 in every year 2017-2024: a figure that reads as "far below the benchmark"."""
    from creative_clusters.workflows.placestats import PUBLISHED_ZERO, place_statistics
    from creative_clusters.workflows.profile import build_profile, profile_text

    place = resolve_place(wh, "Isles of Scilly")
    t = place_trajectory(wh, place, data=load_trajectory_data(wh))
    assert all(y.lq is None and y.lq_lower is None for y in t.series)
    lq = place_statistics(wh, place).get("business_lq")
    assert lq is not None and lq.value is None and lq.lower is None and PUBLISHED_ZERO in lq.flags
    assert lq.upper is not None and 0 < lq.upper < 1  # the exact Poisson bound on a count of 0 stands
    text = profile_text(build_profile(wh, place))
    assert "0.00" not in text.split("Business demography")[0]
    assert f"below {lq.upper:.2f}" in text
    # a place with creative firms keeps its LQ and interval
    s = place_statistics(wh, resolve_place(wh, "Sheffield")).get("business_lq")
    assert s is not None and s.value is not None and s.lower is not None and PUBLISHED_ZERO not in s.flags


def test_the_profile_says_why_it_shows_two_counts_for_one_year(wh):
    """Was: `profile Sheffield` printed 1,610 creative enterprises (by SIC class) and, lower down, 1,605 for the
    same year (the annual series) with nothing to say why; only the pack reconciled them."""
    from creative_clusters.workflows.profile import build_profile, profile_text

    for name in ("Sheffield", "Isles of Scilly"):
        prof = build_profile(wh, resolve_place(wh, name))
        by_class = prof["statistics"]["figures"]["creative_enterprises"]
        t = prof["trajectory"]
        same_year = next(y for y in t.series if y.period == by_class["period"])
        text = profile_text(prof)
        if same_year.value != by_class["value"]:
            assert f"{by_class['value']:,.0f} creative enterprises by SIC class against {same_year.value:,.0f}" in text
            assert "rounded to 5" in prof["counts_note"]
        else:
            assert prof["counts_note"] == "" and "by SIC class against" not in text
    assert "by SIC class against" in profile_text(build_profile(wh, resolve_place(wh, "Sheffield")))
