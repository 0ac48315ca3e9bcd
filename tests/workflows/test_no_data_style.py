"""One no-data style for every map: the exported maps, the evidence pack's maps and the web map.

Was: the exported maps drew a place without a value flat grey (0.85) labelled
"no data" ("no class" on a categorical map), the pack's maps hatched it in
another grey, and the web map drew it white with a dashed legend swatch
labelled "no data / suppressed". Now all read ``creative_clusters._map_style.NO_DATA`` (the pack's
style against it: tests/web/test_api_round12.py).
"""

from __future__ import annotations

import re

import geopandas as gpd
import numpy as np
import pytest
from PIL import Image
from shapely.geometry import box

from creative_clusters.workflows.cluster_maps import NO_DATA, choropleth


def _rgb(hex_colour: str) -> tuple[int, int, int]:
    return tuple(int(hex_colour[i:i + 2], 16) for i in (1, 3, 5))  # type: ignore[return-value]


def _strip(values):
    return gpd.GeoDataFrame({"v": values}, geometry=[box(i * 5000, 0, i * 5000 + 5000, 40000)
                                                     for i in range(len(values))], crs=27700)


@pytest.mark.parametrize("values", [[1.0, 2.0, np.nan, 4.0, np.nan, 6.0],
                                    ["stable", "", "emerging", "", "declining", "stable"]],
                         ids=["numeric", "categorical"])
def test_the_exported_map_hatches_places_without_a_value(tmp_path, values):
    choropleth(_strip(values), "v", title="SYNTHETIC", source="synthetic", method="m", png=tmp_path / "m.png",
               svg=tmp_path / "m.svg", cluster=None)
    pixels = {tuple(p[:3]) for p in np.asarray(Image.open(tmp_path / "m.png").convert("RGB")).reshape(-1, 3)}
    assert _rgb(NO_DATA.fill) in pixels  # the style's grey between the hatch lines
    svg = (tmp_path / "m.svg").read_text()
    patterns = re.findall(r"<pattern.*?</pattern>", svg, flags=re.S)
    assert patterns and all(NO_DATA.hatch_colour.lower() in p.lower() for p in patterns)  # hatched in its colour
    assert re.search(rf"<!-- {re.escape(NO_DATA.label)}( \(2\))? -->", svg)  # the legend entry, in its words

