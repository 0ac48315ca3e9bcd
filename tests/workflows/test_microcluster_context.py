"""Microclusters marked as inside/outside area-level clusters (real LAD data)."""

from __future__ import annotations

import pandas as pd

from creative_clusters.workflows.microcluster_context import mark_area_clusters


def test_marks_by_containing_lad(full_warehouse):
    mc = pd.DataFrame({"microcluster_id": ["A", "B", "C"],
                       # Westminster (London supercluster in the literature), Barnsley, Cardiff (no English counts)
                       "lad23_code": ["E09000033", "E08000016", "W06000015"]})
    out, note = mark_area_clusters(mc, full_warehouse)
    assert out["in_area_cluster"].tolist()[:2] == [True, False]
    assert out["in_area_cluster"].isna().tolist() == [False, False, True]
    assert "1 of 3" in note
    assert "microcluster_id" in out.columns and "in_area_cluster" not in mc.columns  # input untouched


def test_without_lad_column_it_says_why(full_warehouse):
    out, note = mark_area_clusters(pd.DataFrame({"microcluster_id": ["A"]}), full_warehouse)
    assert out["in_area_cluster"].isna().all()
    assert "lad23_code" in note


def test_business_columns_alone_give_the_threshold_rule_the_same_clusters(full_warehouse):
    # mark_area_clusters reads the place table without the place statistics (census, ranks):
    # the threshold rule must pick the same LADs as from the full table, which the cluster map uses
    from creative_clusters.workflows.detection import place_table, run_method

    full, meta = place_table(full_warehouse, level="lad")
    lean, lean_meta = place_table(full_warehouse, level="lad", statistics=False)
    assert len(lean.columns) < len(full.columns) and "x" not in lean.columns
    a, _ = run_method(full_warehouse, full, meta, method="threshold")
    b, _ = run_method(full_warehouse, lean, lean_meta, method="threshold")
    pairs = dict(zip(a["geo_code"], a["cluster"], strict=True))
    assert pairs == dict(zip(b["geo_code"], b["cluster"], strict=True))
    assert 0 < sum(pairs.values()) < len(pairs)


def test_the_note_counts_the_microclusters_of_the_headline(full_warehouse):
    """The run's headline counts the groups meeting the firm floor ("8 microclusters of at least 50 firms (9
    groups found, 1 below that floor)"); this note counted all 9 beside it."""
    mc = pd.DataFrame({"microcluster_id": ["A", "B", "C"], "lad23_code": ["E09000033", "E08000016", "E09000033"],
                       "meets_min_firms": [True, True, False]})
    out, note = mark_area_clusters(mc, full_warehouse)
    assert out["in_area_cluster"].tolist() == [True, False, True]
    assert note.startswith("1 of 2 microclusters lie in a LAD that is an area-level cluster")
    assert "(of the 1 smaller group below the firm floor, 1)" in note
