"""Round 18 audit of ``evidence --all`` and the trajectory / four-nations commands (each test failed before its
fix). Expected values are worked from the series file in ``$CREATIVE_CLUSTERS_DATA`` (read here with pandas)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from creative_clusters.clusters.trajectory import TrajectoryClasses


@pytest.fixture(scope="module")
def series(data_root: Path) -> pd.DataFrame:
    t = pd.read_csv(data_root / "business_counts_timeseries" / "creative_enterprises_lad_2010_2025.csv")
    t.columns = ["name", "n", "region", "year", "nation"]
    return t


# ------------------------------------------------------------------ 2. a nation among the regions: against the UK

def test_a_nation_among_the_regions_is_compared_with_the_uk_not_itself(wh, series) -> None:
    # was: Northern Ireland "stable: CAGR +3.5% a year, level with its nation (within 0.05 points)",
    # relative_cagr_pp 0.0 (Scotland and Wales the same)
    from creative_clusters.workflows.trajectory import cluster_table

    t, _ = cluster_table(wh, "rgn")
    uk = series.groupby("year")["n"].sum()
    uk_cagr = (uk[2025] / uk[2015]) ** 0.1 - 1
    rows = t.set_index("geo_name")
    for name in ("Scotland", "Wales", "Northern Ireland"):
        s = series[series["nation"] == name].groupby("year")["n"].sum()
        cagr = (s[2025] / s[2015]) ** 0.1 - 1
        assert rows.loc[name, "relative_cagr_pp"] == pytest.approx(100 * (cagr - uk_cagr), abs=1e-9)
        assert abs(rows.loc[name, "relative_cagr_pp"]) > 0.05
        reason = rows.loc[name, "trajectory_reason"]
        assert "against the UK" in reason and "its nation" not in reason
    # an English region is still compared with England
    assert "against its nation" in rows.loc["London", "trajectory_reason"] \
        or "level with its nation" in rows.loc["London", "trajectory_reason"]


def test_the_classifier_names_each_rows_reference() -> None:
    t = pd.DataFrame({"cagr": [0.035, 0.035], "relative_cagr_pp": [3.1, 3.1], "start_value": [2430.0, 2430.0],
                      "end_value": [3435.0, 3435.0], "lq": [0.5, 0.5], "ref": ["uk", "nation"]})
    det = TrajectoryClasses(compare_with="ref").fit(t)
    assert "+3.1 points against the UK" in det.reasons_.iloc[0]
    assert "+3.1 points against its nation" in det.reasons_.iloc[1]
    with pytest.raises(Exception, match="'nation' or 'uk'"):
        TrajectoryClasses(compare_with="ref").fit(t.assign(ref="region"))


# ------------------------------------------------------------------ 9. a one-nation run says what it covers

def test_a_wales_only_run_does_not_say_all_uk_local_authorities(wh) -> None:
    from creative_clusters.workflows.trajectory import cluster_table

    t, _ = cluster_table(wh, "lad", nation="W92000004")
    assert len(t) == 22
    assert "all UK local authorities" not in t["caveat"].iloc[0]
    assert "Wales's local authorities only" in t["caveat"].iloc[0]
    u, _ = cluster_table(wh, "lad")
    assert "all UK local authorities" in u["caveat"].iloc[0]
