"""The wider-area (NUTS2) figures are computed in workflows, typed, and only formatted by the pack."""

from __future__ import annotations

import pandas as pd
import pytest

from creative_clusters.reporting.growth_block import growth_block
from creative_clusters.workflows.wider_area import WiderAreaGrowth, employment_paths, wider_area


def _table() -> pd.DataFrame:
    """SYNTHETIC: area A publishing 10 -> 20 -> 15, other 90 -> 80 -> 85; area B publishing 40 each year."""
    rows = [("A", "5811", "2015", 10.0), ("A", "0111", "2015", 90.0), ("A", "5811", "2016", 20.0),
            ("A", "0111", "2016", 80.0), ("A", "5811", "2017", 15.0), ("A", "0111", "2017", 85.0),
            ("B", "5811", "2015", 40.0), ("B", "0111", "2015", 60.0), ("B", "5811", "2016", 40.0),
            ("B", "0111", "2016", 60.0), ("B", "5811", "2017", 40.0), ("B", "0111", "2017", 60.0)]
    return pd.DataFrame(rows, columns=["geo_code", "industry_code", "period", "value"])


def test_wider_area_is_typed_and_worked_by_hand():
    w = wider_area(_table(), ["A", "UKN0"])  # UKN0: not in BRES (Great Britain only), left out
    assert isinstance(w, WiderAreaGrowth) and w.codes == ("A",)
    r = w.rows.set_index("industry_code")
    # publishing in A: 10 -> 15, +50%; GB 50 -> 55, +10%; LQ 2015 = (10/100)/(50/200) = 0.4
    assert r.loc["_T", ["start_value", "end_value", "change"]].tolist() == [10.0, 15.0, 5.0]
    assert r.loc["_T", "change_pct"] == pytest.approx(50.0)
    assert r.loc["_T", "gb_change_pct"] == pytest.approx(10.0)
    assert r.loc["_T", "lq_start"] == pytest.approx(0.4)
    assert w.paths.loc["_T"].tolist() == [10.0, 20.0, 15.0]


def test_no_table_and_no_covered_area():
    assert wider_area(None, ["A"]) is None and wider_area(_table().iloc[0:0], ["A"]) is None
    none = wider_area(_table(), ["UKN0"])
    assert none == WiderAreaGrowth(codes=())
    assert "Great Britain only" in growth_block(none, ["UKN0"], place="Belfast")["missing"][0]


def test_cached_rows_and_paths_are_used_as_given():
    t = _table()
    fresh = wider_area(t, ["A"])
    paths = employment_paths(t, ["A"], start="2015", end="2017")
    cached = wider_area(t.iloc[0:1], ["A"], rows=fresh.rows, paths=paths)  # a one-row table: cache wins
    assert cached.rows is fresh.rows and cached.paths is paths


def test_the_block_states_the_producers_figures():
    w = wider_area(_table(), ["A"])
    b = growth_block(w, ["A"], place="Smallville", nuts2_names={"A": "Area A"})
    assert "rose by 50.0% between 2015 and 2017, from 10 to 15" in b["sentences"][0]
    assert b["rows"] is w.rows
