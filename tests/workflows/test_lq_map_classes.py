"""An exported LQ map's classes never hold LQs on both sides of 1.

Was: `map` drew the LQ on quantile classes, so Sheffield (LQ 0.89) and places at
1.19 shared the red class "0.87 - 1.20": the map could not be read as above or
below the benchmark. Synthetic boxes (labelled so) with LQs spread around 1.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pytest
from shapely.geometry import box

from creative_clusters.workflows.cluster_maps import LQ_CLASS_EDGES, choropleth, is_lq_measure


@pytest.mark.parametrize("value", ["business_lq", "employment_lq"])
def test_lq_classes_part_at_one(value, tmp_path, legend_labels):
    lqs = np.linspace(0.3, 2.6, 24)  # SYNTHETIC values
    gdf = gpd.GeoDataFrame({value: lqs}, geometry=[box(i, 0, i + 1, 1) for i in range(len(lqs))], crs=27700)
    labels = legend_labels
    scheme = choropleth(gdf, value, title="SYNTHETIC", source="synthetic", method="m", png=tmp_path / "m.png",
                        svg=tmp_path / "m.svg", cluster=None)
    assert scheme.startswith("diverging around 1")
    spans = [tuple(float(x) for x in lab.split(" – ")) for lab in labels]
    assert all(hi <= 1 or lo >= 1 or (lo >= 0.91 and hi <= 1.1) for lo, hi in spans)  # only "about 1" holds 1
    assert [hi for _, hi in spans][:-1] == list(LQ_CLASS_EDGES)
    assert spans[-1][1] == pytest.approx(2.6)


def test_a_count_keeps_quantile_classes(tmp_path):
    gdf = gpd.GeoDataFrame({"businesses": np.arange(20.0)}, geometry=[box(i, 0, i + 1, 1) for i in range(20)],
                           crs=27700)
    assert choropleth(gdf, "businesses", title="SYNTHETIC", source="synthetic", method="m", png=tmp_path / "m.png",
                      svg=tmp_path / "m.svg", cluster=None).startswith("quantiles")
    assert not is_lq_measure("businesses") and is_lq_measure("v", "business LQ")
