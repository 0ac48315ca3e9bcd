"""The profile's count line for a place published as 0: "0 to 2 enterprises", as its share line and the pack's
headline say, not "0 enterprises" (UK Business Counts round to 5; real bundle: the Isles of Scilly)."""

from __future__ import annotations

import pytest

from creative_clusters.workflows.places import resolve_place
from creative_clusters.workflows.profile import build_profile, profile_text

pytestmark = pytest.mark.realdata


def _count_line(wh, query: str) -> str:
    text = profile_text(build_profile(wh, resolve_place(wh, query)))
    return next(ln for ln in text.splitlines() if ln.startswith("Creative enterprises:"))


def test_a_published_zero_reads_0_to_2(wh):
    line = _count_line(wh, "Isles of Scilly")
    assert line.startswith("Creative enterprises: 0 to 2 enterprises (published as 0")
    assert ": 0 enterprises" not in line


def test_a_counted_place_keeps_its_count(wh):
    line = _count_line(wh, "Sheffield")
    assert "0 to 2" not in line and "published as 0" not in line
