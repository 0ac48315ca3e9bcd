"""What the pack's figures say in their labels and alt text (found by reading the rendered pack)."""

from __future__ import annotations

import re

import geopandas as gpd
import numpy as np
from shapely.geometry import box

from creative_clusters.reporting import charts, figure_render, figure_style, map_labels, maps


def _xtick_labels(svg: str) -> list[str]:
    """The year labels of a trend figure's SVG (every text that is a year, in drawing order: left to right)."""
    return [t for t in re.findall(r"<text[^>]*>([^<]*)</text>", svg) if re.fullmatch(r"(19|20)\d\d", t)]


def test_trend_years_are_thinned_to_at_most_eight_and_keep_the_latest() -> None:
    """16 years side by side ran together ('2010201120122013…') in every pack."""
    periods = [str(y) for y in range(2010, 2026)]
    f = charts.trend_figure(periods, {"X": np.linspace(100, 150, 16)}, what="Creative enterprises", place="X",
                             png=False)
    years = [t for t in _xtick_labels(f["svg"]) if t.isdigit()]
    assert 2 <= len(years) <= 8 and years[-1] == "2025" and years == sorted(years)
    short = charts.trend_figure(periods[-5:], {"X": [1, 2, 3, 4, 5]}, what="W", place="X", png=False)
    assert [t for t in _xtick_labels(short["svg"]) if t.isdigit()] == periods[-5:]


def _areas(values: list[float | None]) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame({"geo_code": ["A", "B", "C"], "geo_name": ["Ay", "Bee", "Sea"],
                             "Creative business LQ": values},
                            geometry=[box(0, 0, 1000, 1000), box(1000, 0, 2000, 1000), box(0, 1000, 1000, 2000)],
                            crs="EPSG:27700")


def test_map_caption_names_the_colours_drawn_and_says_when_nothing_is_shaded() -> None:
    """The caption said 'orange above, blue below' over a purple-orange scale, and promised shading on
    maps (Cardiff) whose areas had no LQ at all."""
    f = maps.place_map_figure(_areas([0.8, 1.3, 1.0]), ["A"], place="Ay", value_col="Creative business LQ",
                                 png=False, source="Source: test.")
    assert "creative business LQ" in f["alt"] and "orange above, purple below" in f["alt"]
    assert "PuOr" not in f["alt"] and "blue" not in f["alt"]
    blank = maps.place_map_figure(_areas([None, None, None]), ["A"], place="Ay",
                                     value_col="Creative business LQ", png=False)
    assert "none is shaded" in blank["alt"] and "orange above" not in blank["alt"]


def test_source_line_is_wrapped_to_the_map() -> None:
    src = "Boundaries: ONS, local authority districts, generalised; contains OS data. " * 3
    f = maps.place_map_figure(_areas([0.8, 1.3, 1.0]), ["A"], place="Ay", png=False, source=src.strip())
    lines = [t for t in re.findall(r"<text[^>]*>([^<]*)</text>", f["svg"]) if "Boundaries" in t or "OS data" in t]
    assert len(lines) >= 2 and all(len(t) <= 105 for t in lines)


def test_lq_bars_are_coloured_by_what_their_interval_supports() -> None:
    """Two unexplained blues split the bars at LQ 1, so an inconclusive 1.04 looked like a specialisation."""
    f = charts.lq_bar_figure(["Crafts", "Architecture", "IT"], [2.1, 1.04, 0.8], [1.3, 0.85, 0.7],
                              [3.3, 1.25, 0.9], place="X", png=False)
    fills = re.findall(r'<path d="M [^"]*"[^>]*style="fill: (#[0-9a-f]{6})[;"]', f["svg"])
    # the map's colours for the same meaning (one definition): above 1 orange, below 1 purple, includes 1 grey
    kinds = (figure_style.LQ_ABOVE, figure_style.LQ_BELOW, figure_style.LQ_INCLUDES_ONE)
    bars = [c for c in fills if c in kinds]
    # drawn bottom-up: one bar of each kind, and a legend swatch for each
    assert set(bars) == set(kinds) and len(bars) == 6
    # Crafts, IT, Architecture
    assert bars[:3] == [figure_style.LQ_ABOVE, figure_style.LQ_BELOW, figure_style.LQ_INCLUDES_ONE]
    for label in ("95% interval above 1", "95% interval below 1", "interval includes 1"):
        assert label in f["svg"]
    assert "includes 1" in f["alt"]



def test_map_labels_that_would_overlap_are_left_out_the_places_own_kept() -> None:
    """Greater Manchester's map printed its boroughs' and neighbours' names on top of each other."""
    import pandas as pd
    from matplotlib import patheffects

    names = ["Own Place", "Neighbouring District One", "Neighbouring District Two", "Wide Neighbour Area"]

    def labels(geoms):
        g = gpd.GeoDataFrame({"geo_code": list("ABCD"), "geo_name": names}, geometry=geoms, crs="EPSG:27700")
        fig, ax = figure_render._new_figure((6.5, 6.5))
        g.plot(ax=ax)
        ax.set_axis_off()
        ax.set_aspect("equal")
        dropped = map_labels._area_labels(fig, ax, g, pd.Series([True, False, False, False]),
                                       patheffects.withStroke(linewidth=2.2, foreground="white"))
        drawn = [t.get_text() for t in ax.texts]
        boxes = [t.get_window_extent(fig.canvas.get_renderer()) for t in ax.texts]
        assert not any(a.overlaps(b) for i, a in enumerate(boxes) for b in boxes[i + 1:])
        return dropped, drawn

    # the two small neighbours sit on the place's own label: left out, not drawn over it
    dropped, drawn = labels([box(0, 0, 300, 300), box(300, 0, 600, 300), box(600, 0, 900, 300),
                             box(0, 3000, 30000, 30000)])
    assert drawn == ["Own Place", "Wide Neighbour Area"] and dropped == 2  # the place's own, then the largest
    # apart, every area keeps its name (a frame wide enough for the three names side by side: a label now
    # stays inside the frame, and slid in from the right edge "Two" ran into "One" in a 40 km frame)
    dropped, drawn = labels([box(0, 0, 300, 300), box(20000, 0, 20300, 300), box(40000, 0, 40300, 300),
                             box(0, 30000, 60000, 60000)])
    assert sorted(drawn) == sorted(names) and dropped == 0


def test_source_line_sits_under_a_wide_map_not_at_the_foot_of_a_square_figure() -> None:
    """Cardiff's and Greater Manchester's maps had a band of white as tall as the map was short between
    the map and its source line, because the line sat at the foot of a square figure."""
    wide = gpd.GeoDataFrame({"geo_code": ["A", "B"], "geo_name": ["Ay", "Bee"]},
                            geometry=[box(0, 0, 40000, 10000), box(40000, 0, 80000, 10000)], crs="EPSG:27700")
    f = maps.place_map_figure(wide, ["A"], place="Ay", png=False, source="Boundaries: ONS. Counts: ONS.")
    m = re.search(r'<svg[^>]*width="([\d.]+)pt"[^>]*height="([\d.]+)pt"', f["svg"])
    width, height = float(m.group(1)), float(m.group(2))
    assert "Boundaries: ONS." in f["svg"] and height / width < 0.6  # a 4:1 map: short, with its source under it


def test_a_large_neighbour_does_not_shrink_the_place_to_a_sliver(monkeypatch) -> None:
    """Middlesbrough's map was framed on North Yorkshire, 50 times its size, and the place was a sliver."""
    seen = {}

    def keep(fig, title, alt, png):
        seen["xlim"], seen["ylim"] = fig.axes[0].get_xlim(), fig.axes[0].get_ylim()
        return {"title": title, "alt": alt, "svg": "", "png_base64": ""}

    for drawer in (charts, maps):  # each calls the _render it imported
        monkeypatch.setattr(drawer, "_render", keep)
    g = gpd.GeoDataFrame({"geo_code": ["A", "B"], "geo_name": ["Small", "Huge"]},
                         geometry=[box(100_000, 100_000, 105_000, 105_000), box(0, 0, 100_000, 300_000)],
                         crs="EPSG:27700")
    maps.place_map_figure(g, ["A"], place="Small", png=False)
    (x0, x1), (y0, y1) = seen["xlim"], seen["ylim"]
    # the place and a margin of maps.MAP_MARGIN_M around it, not the neighbour's 300 km
    assert x1 - x0 <= 5_000 + 2 * maps.MAP_MARGIN_M + 1 and y1 - y0 <= 5_000 + 2 * maps.MAP_MARGIN_M + 1
    assert x0 <= 100_000 and x1 >= 105_000 and y0 <= 100_000 and y1 >= 105_000


def test_benchmark_dot_plot_labels_take_at_most_two_lines() -> None:
    """'Residents in employment in creative industry divisions (%, Census 2021)' wrapped onto three lines
    and ran into the label below it."""
    from creative_clusters.benchmarking import load_framework

    labels = [i.label for i in load_framework().indicators]
    assert max(len(x) for x in labels) > 2 * 34  # a label that three 34-character lines would take
    assert all(charts._two_lines(x).count("\n") <= 1 for x in labels)
    assert all(charts._two_lines(x).replace("\n", " ") == x for x in labels)  # nothing lost


def test_area_labels_keep_clear_of_the_scale_bar() -> None:
    """Lancashire's map printed 'Knowsley' across the scale bar's '25 km'."""
    import matplotlib.pyplot as plt
    import pandas as pd
    from matplotlib import patheffects

    fig, ax = plt.subplots()
    ax.set_xlim(0, 10_000)
    ax.set_ylim(0, 10_000)
    g = gpd.GeoDataFrame({"geo_name": ["Knowsley", "Faraway"]},
                         geometry=[box(400, 400, 1600, 1600), box(8000, 8000, 9000, 9000)], crs="EPSG:27700")
    scale = ax.text(1000, 1000, "25 km", ha="center", va="center")
    halo = patheffects.withStroke(linewidth=2, foreground="white")
    inside = pd.Series([False, False])
    assert map_labels._area_labels(fig, ax, g, inside, halo, avoid=[scale]) == 1
    assert [t.get_text() for t in ax.texts if t is not scale] == ["Faraway"]
    plt.close(fig)


def test_one_wide_lq_interval_does_not_squash_every_bar() -> None:
    """Isles of Scilly: crafts' interval reached 42.7 and every other bar of the chart was a sliver near 0."""
    f = charts.lq_bar_figure(["Crafts", "Architecture", "IT"], [0.0, 1.5, 0.6], [0.0, 0.3, 0.1],
                              [42.7, 4.4, 2.4], place="X", png=False)
    ticks = [float(t) for t in re.findall(r"<text[^>]*>\s*([0-9]+(?:\.[0-9]+)?)\s*</text>", f["svg"])]
    assert ticks and max(ticks) <= 3.1  # the axis ends at twice the largest LQ, not at 42.7
    assert "to 42.7 →" in f["svg"] and "to 4.4 →" in f["svg"]  # the cut intervals say where they end
    assert "to 2.4" not in f["svg"]  # an interval inside the axis is drawn whole, not labelled
