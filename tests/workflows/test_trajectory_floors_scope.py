"""Round 16 (h8): trajectory size floors come from the places classified together, and say so; maps say
what their LQ is against."""

from __future__ import annotations

import numpy as np
import pandas as pd

from creative_clusters.clusters.trajectory import TrajectoryClasses


def test_classifier_names_the_places_its_floor_comes_from_and_keeps_its_decimals() -> None:
    t = pd.DataFrame({"cagr": [0.02, 0.01, 0.0, 0.0], "relative_cagr_pp": [2.7, 0.0, 0.0, 0.0],
                      "start_value": [85.0, 120.0, 125.0, 300.0], "end_value": [105.0, 130.0, 125.0, 300.0],
                      "lq": [0.4, 0.5, 0.5, 0.5], "among": ["Scotland's 4 council areas"] * 4})
    det = TrajectoryClasses(floor_of="among").fit(t)
    floor = float(np.quantile(t["start_value"], 0.25))  # 113.75
    assert det.labels_.iloc[0] == "stable"
    assert (f"its base of 85 is below the floor of {floor:g} enterprises (the bottom quartile of Scotland's 4 "
            "council areas)") in det.reasons_.iloc[0]


def test_scope_scotland_takes_its_floors_from_scotlands_council_areas(full_warehouse) -> None:
    from creative_clusters.workflows.trajectory import cluster_table, trajectory_table

    t, meta = cluster_table(full_warehouse, "lad", nation="S92000003")
    assert set(t["nation"]) == {"S92000003"} and len(t) == 32
    # the floor computed independently: the bottom quartile of Scotland's counts at the window's start
    allyears = trajectory_table(full_warehouse, "lad")
    start = str(t["window"].iloc[0]).split("–")[0]
    base = allyears[(allyears["nation"] == "S92000003") & (allyears["period"] == start)]["value"]
    floor = float(base.quantile(0.25))
    assert len(base) == 32
    moray = t.set_index("geo_name").loc["Moray", "trajectory_reason"]
    assert f"below the floor of {floor:g} enterprises (the bottom quartile of Scotland's 32 council areas)" in moray
    assert "size floors among Scotland's 32 council areas" in t["method"].iloc[0]
    assert meta["floor_of"] == "Scotland's 32 council areas"
    # --scope uk (no nation): UK-wide floors, said so
    u, umeta = cluster_table(full_warehouse, "lad")
    assert umeta["floor_of"] == "the UK's 361 local authorities"
    uk_floor = float(allyears[allyears["period"] == start]["value"].quantile(0.25))
    assert f"the floor of {uk_floor:g} enterprises (the bottom quartile of the UK's 361 local authorities)" in \
        u.set_index("geo_name").loc["Moray", "trajectory_reason"]


def test_england_map_title_says_its_lq_is_against_england(full_warehouse) -> None:
    from creative_clusters.cli.clusters import _lq_map_title
    from creative_clusters.workflows.detection import place_table

    _, meta = place_table(full_warehouse, level="lad", statistics=False)
    assert meta["benchmark"] == "England"  # the SIC-level counts cover England's LADs only
    title = _lq_map_title(meta, "all creative industries", "lad", "2025")
    assert title.startswith("Creative business location quotient against England, ")
