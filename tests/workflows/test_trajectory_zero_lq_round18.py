"""`clusters --method trajectory` (and its map and CSV) gives no LQ for a place published as 0, only its upper
bound (real bundle): it gave the Isles of Scilly a business LQ of 0.0 (95% interval 0.0 to 0.23) beside a count
of 0, while the profile, the pack and the place's own trajectory give none."""

from __future__ import annotations

import math

import pytest

from creative_clusters.workflows._trajectory_table import cluster_table

pytestmark = pytest.mark.realdata


def test_a_published_zero_has_no_trajectory_lq_only_its_upper_bound(full_warehouse):
    out, _meta = cluster_table(full_warehouse, "lad")
    scilly = out.set_index("geo_code").loc["E06000053"]
    assert scilly["businesses"] == 0  # the premise
    assert math.isnan(scilly["business_lq"]) and math.isnan(scilly["lq_lower"])
    assert 0 < scilly["lq_upper"] < 1
    assert "published as 0" in scilly["note"] and f"below {scilly['lq_upper']:.2f}" in scilly["note"]
    others = out[out["geo_code"] != "E06000053"]
    assert others["business_lq"].notna().all()  # every other UK LAD keeps its LQ
