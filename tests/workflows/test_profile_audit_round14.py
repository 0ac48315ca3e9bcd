"""Profile defects found by a council analyst's audit (7 December), each as it was and as it must be (real bundle).

Values worked from the raw annual series, never copied from today's output.
"""

from __future__ import annotations

import pytest

from creative_clusters.workflows.places import resolve_place, user_group
from creative_clusters.workflows.profile import build_profile, profile_text
from tests._raw_series import read_raw

pytestmark = pytest.mark.realdata


def test_a_nations_rank_column_ranks_it_among_the_uks_nations(wh, data_root):
    # was: "rank in UK" over a column of "1st" for Scotland (its rank within itself); the headline said 2nd of 4
    series, nation, _active = read_raw(data_root)
    by_nation = series.rename(index=nation.to_dict(), level="Region").groupby(level=["Region", "Year"]).sum()
    text = profile_text(build_profile(wh, resolve_place(wh, "Scotland")))
    table = text[text.index("rank in UK"):].splitlines()[1:]
    seen = 0
    for line in table:
        parts = line.split()
        if len(parts) < 3 or not parts[0].isdigit():
            break
        year = int(parts[0])
        ranked = by_nation.xs(year, level="Year").sort_values(ascending=False)
        expected = list(ranked.index).index("Scotland") + 1
        assert parts[2] == {1: "1st", 2: "2nd", 3: "3rd", 4: "4th"}[expected], line
        seen += 1
    assert seen >= 10


def test_a_group_across_nations_has_no_count_of_one_member_as_its_own(wh, data_root):
    # was: "Creative enterprises: 2,680" and "Business location quotient: 1.37" for Bristol, Cardiff and Newport:
    # Bristol's figures alone (the counts by SIC class cover England only), beside the series' 4,295
    series, _nation, _active = read_raw(data_root)
    bristol = series[("Bristol, City of", 2025)]
    prof = build_profile(wh, user_group(wh, "Severn", ["Cardiff", "E06000023", "Newport"]))
    figs = prof["statistics"]["figures"]
    assert "creative_enterprises" not in figs and "business_lq" not in figs
    text = profile_text(prof)
    assert "covers 1 of the 3 local authorities of Severn" in text
    total = series.xs(2025, level="Year")[["Bristol, City of", "Cardiff", "Newport"]].sum()
    assert f"2025: {int(total):,} creative enterprises" in text and total > bristol

