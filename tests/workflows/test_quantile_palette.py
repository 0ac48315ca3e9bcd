"""One quantile palette for the exported maps and the web map (cluster_maps.QUANTILE_COLOURS).

Was: the exported maps drew quantile classes in matplotlib's YlOrRd while the
web map drew the same classes in its own teal-to-navy list, so one count had
two colours in two outputs; YlOrRd's lightest classes also fail the 3:1
contrast against white that the web palette was chosen for.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pytest
from PIL import Image
from shapely.geometry import box

from creative_clusters.workflows.cluster_maps import (
    QUANTILE_COLOURS,
    choropleth,
    quantile_classes,
    quantile_colours,
)


def _luminance(hex_colour: str) -> float:
    rgb = [int(hex_colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
    lin = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in rgb]
    return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]


@pytest.mark.parametrize("colour", QUANTILE_COLOURS)
def test_every_class_colour_stands_out_from_white(colour):
    """WCAG 1.4.11: graphical objects at least 3:1 against the white page and legend."""
    assert (1.05) / (_luminance(colour) + 0.05) >= 3.0


def test_classes_darken_in_order_and_the_payload_carries_them():
    lum = [_luminance(c) for c in QUANTILE_COLOURS]
    assert lum == sorted(lum, reverse=True)  # lightest first: a larger value is darker
    q = quantile_classes(np.arange(20.0))
    assert q["colours"] == quantile_colours(len(q["breaks"])) == list(QUANTILE_COLOURS[:len(q["breaks"])])
    assert quantile_colours(7)[5:] == [QUANTILE_COLOURS[-1]] * 2


def test_the_exported_map_fills_classes_in_the_same_colours(tmp_path):
    gdf = gpd.GeoDataFrame({"businesses": np.arange(20.0)},
                           geometry=[box(i * 1000, 0, i * 1000 + 1000, 20000) for i in range(20)], crs=27700)
    choropleth(gdf, "businesses", title="SYNTHETIC", source="synthetic", method="m", png=tmp_path / "m.png",
               svg=tmp_path / "m.svg", cluster=None)
    pixels = {tuple(p[:3]) for p in np.asarray(Image.open(tmp_path / "m.png").convert("RGB")).reshape(-1, 3)}
    for c in QUANTILE_COLOURS:
        assert tuple(int(c[i:i + 2], 16) for i in (1, 3, 5)) in pixels, c
