"""Round 11 (h1, item 3): a percentile printed in a gated claim never crosses the threshold the claim used.

A survey interval whose worse end is at the 79.9th percentile fails the strength gate (80th or above); the
claim used to print that end as "the 80th", as if it met it. Made-up values only; the ordinal suffixes are
checked against a rule written out here, not against the function's own output.
"""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from creative_clusters.reporting.findings import (
    NATION_EFFECT_PCT,
    STRONG_PCT,
    WEAK_PCT,
    nation_effect_finding,
    percentile_finding,
)
from creative_clusters.reporting.formatting import ordinal, pct_ordinal


def _employment(pct: float, pct_range: tuple[float, float]):
    """A survey estimate (Orkney-like): 32 council areas, its 95% interval spanning pct_range."""
    return percentile_finding("Orkney", "Employment rate (%)", pct=pct, n=32, value=88.3, unit="%", additive=False,
                              source="s", base="council areas of Scotland", interval=(75.2, 100.0),
                              pct_range=pct_range)


def test_a_worse_end_at_79_9_fails_the_gate_and_is_not_said_as_the_80th():
    f = _employment(98.0, (79.9, 98.0))
    assert f is not None and f.kind == "inconclusive"
    assert "reaches from the 79th to the 98th percentile" in f.claim
    assert "80th" not in f.claim


def test_a_worse_end_at_80_0_meets_the_gate_and_the_strength_stands():
    f = _employment(98.0, (80.0, 98.0))
    assert f is not None and f.kind == "strength"


def test_a_weakness_whose_better_end_is_just_over_the_20th_is_not_said_as_the_20th():
    f = _employment(5.0, (5.0, 20.2))
    assert f is not None and f.kind == "inconclusive"
    assert "reaches from the 5th to the 21st percentile" in f.claim
    assert _employment(5.0, (5.0, 20.0)).kind == "weakness"


def test_the_nation_effect_does_not_round_a_place_below_the_median_up_to_it():
    found = percentile_finding("Belfast", "Growth (%)", pct=95, n=360, value=38.0, unit="%", additive=False,
                               source="s", base="local authorities of the UK")
    g = nation_effect_finding(found, "Belfast", "Northern Ireland", pct_nation=49.7, n_nation=11)
    assert "within Northern Ireland it is at the 49th percentile of 11" in g.claim


def _suffix_by_hand(n: int) -> str:
    """English ordinal suffix, spelled out case by case."""
    last_two, last = n % 100, n % 10
    if last_two in (11, 12, 13):
        return "th"
    return {1: "st", 2: "nd", 3: "rd"}.get(last, "th")


@pytest.mark.parametrize(("n", "word"), [(1, "1st"), (2, "2nd"), (3, "3rd"), (4, "4th"), (11, "11th"),
                                         (12, "12th"), (13, "13th"), (21, "21st"), (22, "22nd"), (23, "23rd"),
                                         (101, "101st"), (111, "111th"), (112, "112th")])
def test_ordinal_suffixes(n, word):
    assert ordinal(n) == word


@given(st.integers(min_value=1, max_value=100_000))
def test_ordinal_suffix_property(n):
    assert ordinal(n) == f"{n}{_suffix_by_hand(n)}"


@given(st.floats(min_value=0.0, max_value=100.0, allow_nan=False),
       st.sampled_from([STRONG_PCT, NATION_EFFECT_PCT, 50.0, 90.0, 10.0]))
def test_a_percentile_that_fails_an_at_least_gate_never_prints_as_meeting_it(p, edge):
    word = pct_ordinal(p, at_least=edge)
    printed = int(word[:-2])
    assert word == f"{printed}{_suffix_by_hand(printed)}"
    assert 1 <= printed <= 99
    if p < edge:
        assert printed < edge, (p, edge, word)
    elif p >= edge:
        assert printed >= min(edge, 99), (p, edge, word)  # one that meets it keeps its usual rounding
        assert word == pct_ordinal(p)


@given(st.floats(min_value=0.0, max_value=100.0, allow_nan=False),
       st.sampled_from([WEAK_PCT, NATION_EFFECT_PCT, 10.0]))
def test_a_percentile_that_fails_an_at_most_gate_never_prints_as_meeting_it(p, edge):
    word = pct_ordinal(p, at_most=edge)
    printed = int(word[:-2])
    if p > edge:
        assert printed > edge, (p, edge, word)
    else:
        assert printed <= edge and word == pct_ordinal(p)
