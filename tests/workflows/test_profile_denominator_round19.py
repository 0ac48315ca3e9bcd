"""A ratio of two datasets names both in the profile: the creative share of active enterprises and the business
LQ divide UK Business Counts by ONS Business Demography, but the line's tag named only the counts
("[business_counts_2025, 2025]"), so a user importing a newer counts table could not tell the denominator
stayed an older release."""

from __future__ import annotations

import pytest

from creative_clusters.workflows.places import resolve_place
from creative_clusters.workflows.profile import build_profile, profile_text

pytestmark = pytest.mark.realdata


def test_ratio_lines_name_the_denominator_dataset(wh):
    prof = build_profile(wh, resolve_place(wh, "Sheffield"))
    stats = prof["statistics"]["figures"]
    den = stats["creative_share_of_active"]["denominator_source"]["id"]
    assert den.startswith("business_demography")  # the premise: a second dataset divides
    lines = profile_text(prof).splitlines()
    share = next(ln for ln in lines if ln.startswith("Creative enterprises as a share of all active"))
    lq = next(ln for ln in lines if ln.startswith("Business location quotient:"))
    for ln in (share, lq):
        assert f"; over {den}, " in ln, ln
    assert prof["creative_share_of_active"].as_dict()["denominator"].startswith(den)
    # a figure of one dataset keeps its one-dataset tag
    count = next(ln for ln in lines if ln.startswith("Creative enterprises:"))
    assert "over" not in count
