"""Round 21: a map's area names are text in its SVG (selectable, searchable, light), with the same white halo.

matplotlib writes a text drawn with a path effect (the labels' white halo) as the outlines of its glyphs,
twice: on Sheffield's map 13 names were 180 kB of 250 kB and a tenth of a second of the PDF's drawing. Now
each name is a ``<text>`` drawn twice, first as the white outline (the halo's stroke width), then in its
colour; the PNG (Word) keeps matplotlib's path effect.
"""

from __future__ import annotations

import re
from typing import Any

import geopandas as gpd
import numpy as np
import pytest
from shapely.geometry import box

from creative_clusters.reporting import figure_render, maps


def _areas() -> gpd.GeoDataFrame:
    names = ["Barnsley", "Sheffield", "Rotherham", "High Peak"]
    shapes = [box(0, 20_000, 30_000, 40_000), box(0, 0, 20_000, 20_000), box(20_000, 0, 40_000, 20_000),
              box(-30_000, 0, 0, 30_000)]
    return gpd.GeoDataFrame({"geo_code": ["B", "S", "R", "H"], "geo_name": names, "LQ": [0.8, 1.2, 0.9, 0.6]},
                            geometry=shapes, crs="EPSG:27700")


def test_area_names_are_text_under_a_white_outline_in_the_svg(drawn: dict[str, Any]) -> None:
    out = maps.place_map_figure(_areas(), ["S"], place="Sheffield", value_col="LQ", png=True,
                                neighbour_codes=["B", "R", "H"], source="Boundaries: ONS.")
    svg = out["svg"]
    texts = re.findall(r"<text\b([^>]*)>([^<]*)</text>", svg)
    for name in ("Barnsley", "Sheffield", "Rotherham", "High Peak"):
        styles = [attrs for attrs, body in texts if body == name]
        assert len(styles) == 2, name  # the halo, then the letters over it
        under, over = styles
        assert "stroke: #ffffff" in under and f"stroke-width: {figure_render.HALO_WIDTH:g}" in under
        assert "fill: #ffffff" in under
        assert "stroke" not in over and "fill: #111111" in over
    # no label drawn as glyph outlines: the only paths are the map's and its furniture's (before: 2 a name)
    assert not re.search(r'<g id="[^"]*text_\d+">\s*<path', svg)
    # the path effect is back on the figure for the PNG, which matplotlib draws with it
    fig = drawn["fig"]
    halos = [t for t in fig.axes[0].texts if t.get_path_effects()]
    assert {t.get_text() for t in halos} >= {"Barnsley", "Sheffield", "Rotherham", "High Peak"}
    assert all(t.get_gid() is None for t in halos)
    assert out["png_base64"]


def test_the_halo_copy_is_what_the_path_effect_draws(drawn: dict[str, Any]) -> None:
    """The white outline's width is the path effect's (in points, as the SVG's units), and a text drawn with
    any other path effect keeps matplotlib's way."""
    from matplotlib import patheffects

    from creative_clusters.reporting.figure_style import pack_style

    effect = figure_render.halo()
    assert effect._gc == {"linewidth": figure_render.HALO_WIDTH, "foreground": "white"}
    with pack_style():  # text kept as text (svg.fonttype "none")
        fig, ax = figure_render._new_figure((3, 2))
        ax.text(0.5, 0.5, "Halo", path_effects=[figure_render.halo()])
        ax.text(0.2, 0.2, "Shadow", path_effects=[patheffects.withSimplePatchShadow()])
        ax.text(0.2, 0.8, "Plain")
        svg = figure_render._tight_svg(fig)
    assert len(re.findall(r">Plain</text>", svg)) == 1
    assert len(re.findall(r">Halo</text>", svg)) == 2
    assert ">Shadow</text>" not in svg  # glyph outlines, as matplotlib writes it
    halo_style = re.search(r"<text style=\"([^\"]*)\"[^>]*>Halo</text>", svg).group(1)
    assert np.isclose(float(re.search(r"stroke-width: ([\d.]+)", halo_style).group(1)), 2.2)


@pytest.mark.realdata
@pytest.mark.parametrize(("query", "official", "common"), [
    ("Bristol", "Bristol, City of", "Bristol"),
    ("Shropshire", "Herefordshire, County of", "Herefordshire"),
])
def test_map_labels_use_the_names_people_use(nd: Any, query: str, official: str, common: str) -> None:
    """Once the labels were text, the pack linter's reading showed "Bristol, City of" on Bristol's map and
    "Herefordshire, County of" on Shropshire's: the register's names, which the pack's prose never uses."""
    from tests.reporting._helpers import pack_context

    ctx = pack_context(nd, query)
    svg = next(f["svg"] for s in ctx["sections"] for f in s.get("figures", [])
               if f["title"].endswith("and neighbouring areas"))
    labels = re.findall(r"<text\b[^>]*>([^<]*)</text>", svg)
    assert common in labels
    assert official not in labels
