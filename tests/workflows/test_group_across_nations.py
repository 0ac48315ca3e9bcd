"""A group of places that straddles England's SIC-level counts (issue review, 5 December).

Was: a Bristol + Cardiff group reported Bristol's 2,680 creative enterprises as the "sum of 2 member local
authorities' rounded counts" and Bristol's census residents alone (Cardiff's dropped though TS060 covers Wales);
the UK reported England's total as the sum of its 361 members. Since 7 December the SIC-level counts give such a
group no figure at all (a sum over part of it would describe that part); the census gives both members'.
"""

from __future__ import annotations

import pytest

from creative_clusters.workflows.places import resolve_place, user_group
from creative_clusters.workflows.placestats import place_statistics

pytestmark = pytest.mark.realdata


def test_a_group_across_nations_says_which_members_its_counts_cover(wh):
    bristol, cardiff = resolve_place(wh, "Bristol"), resolve_place(wh, "Cardiff")
    both = place_statistics(wh, user_group(wh, "EW", [bristol.code, cardiff.code]))
    alone = place_statistics(wh, bristol)
    # England's counts reach Bristol only: no count, share or LQ of part of the group passed off as the whole
    # (7 December: it used to be Bristol's 2,680 with a note; the UK-wide series covers both members)
    assert "creative_enterprises" in alone.figures
    assert not {"creative_enterprises", "business_lq", "creative_share_of_active"} & set(both.figures)
    assert any("covers 1 of the 2 local authorities" in m for m in both.missing)
    # the census covers England and Wales: both members' residents
    wales = place_statistics(wh, cardiff).figures["creative_residents"].value
    assert wales and both.figures["creative_residents"].value == pytest.approx(
        alone.figures["creative_residents"].value + wales)


def test_an_english_group_keeps_its_plain_sum_note(wh):
    group = place_statistics(wh, user_group(wh, "Thames Estuary", ["E06000034", "E06000033", "E06000035"]))
    notes = group.figures["creative_enterprises"].notes
    assert any(n == "sum of 3 member local authorities' rounded counts" for n in notes)
    assert not any("covers" in m and "of the 3 local authorities" in m for m in group.missing)


def test_a_groups_subsectors_are_its_members_sums_by_the_same_formulas(wh):
    # was: a group's sub-sector table was all dashes ("-") in `profile --name/--places`, with no reason
    members = [resolve_place(wh, q).code for q in ("Thurrock", "Southend-on-Sea", "Medway")]
    group = place_statistics(wh, user_group(wh, "TE", members))
    singles = [place_statistics(wh, resolve_place(wh, m)) for m in members]
    assert group.subsectors
    by_short = {s.short: s for s in group.subsectors}
    active = sum(s.figures["active_enterprises"].value for s in singles)
    for short, sub in by_short.items():
        parts = [next(x for x in s.subsectors if x.short == short).enterprises.value for s in singles]
        if any(p is None or p != p for p in parts):
            continue
        assert sub.enterprises.value == pytest.approx(sum(parts))
        # the LQ by hand: the group's share of active enterprises over England's, as every LAD's LQ is built
        one = singles[0]
        ref = next(x for x in one.subsectors if x.short == short)
        lad_share = ref.enterprises.value / one.figures["active_enterprises"].value
        england_share = lad_share / ref.business_lq.value if ref.business_lq.value else None
        if england_share:
            assert sub.business_lq.value == pytest.approx(sum(parts) / active / england_share, rel=1e-6)


def test_a_year_without_business_counts_keeps_the_census_and_says_only_what_is_missing(wh):
    # was: `profile Sheffield --year 2019` lost its Census 2021 workforce (not listed as missing) and said
    # "creative enterprises by sub-sector exist for England only" of an English place
    place = resolve_place(wh, "Sheffield")
    stats = place_statistics(wh, place, year=2019)
    assert stats.figures["creative_residents"].value == place_statistics(wh, place).figures["creative_residents"].value
    assert any("2019" in m for m in stats.missing)
    assert not any("exist for England only" in m for m in stats.missing)
