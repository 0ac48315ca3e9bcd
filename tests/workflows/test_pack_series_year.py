"""The pack's annual series ends in the series' own latest year, as the profile, web and clusters do.

Was: the pack pinned the series to the year of the counts by SIC class, so a
series imported with a newer year (2026 beside SIC-level 2025) still ended in
2025 in the pack while every other output showed 2026. Real bundle: the
SIC-level year is set back instead (a pack built when those counts were for
2020), so no year is invented.
"""

from __future__ import annotations

import copy

import pytest

from creative_clusters.warehouse import Warehouse
from creative_clusters.workflows import evidence as E
from creative_clusters.workflows.pack_series import pack_trajectory
from creative_clusters.workflows.places import resolve_place
from creative_clusters.workflows.placestats import place_statistics

pytestmark = pytest.mark.realdata


def test_the_series_ends_in_its_latest_year_whatever_the_sic_level_year(nd, full_home):
    older = copy.copy(nd)
    older.enterprises_period = "2020"  # counts by SIC class of an earlier year than the series' last
    older.trajectory = None
    pl = E.resolve_evidence_place(older, "Sheffield")
    traj, why = pack_trajectory(older, pl)
    assert traj is not None, why
    with Warehouse(full_home, read_only=True) as wh:
        prof = place_statistics(wh, resolve_place(wh, "Sheffield"))
    latest = prof.figures["creative_enterprises_series"]
    assert traj.series[-1].period == latest.period
    assert traj.series[-1].value == latest.value


def test_a_year_asked_for_ends_the_series_there(nd):
    asked = copy.copy(nd)
    asked.requested_year = "2020"
    asked.trajectory = None
    traj, why = pack_trajectory(asked, E.resolve_evidence_place(asked, "Sheffield"))
    assert traj is not None, why
    assert traj.series[-1].period == "2020"
