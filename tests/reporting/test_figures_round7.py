"""Round 7 of the visual review: the figures as printed in the PDF.

- the place map's colour bar stays within the map's height, clear of the source line under it (Orkney p4);
- a region's map keeps every label inside its frame, apart from the others and off the scale bar, and names
  each of the place's own areas and its neighbours, in a numbered key when a name finds no room (North East);
- the microcluster map has a scale bar, a legend of what it draws and a source line (Sheffield p18);
- the benchmark dot plot and the LQ bar chart are drawn at the size they print: no text under 7 pt at the
  PDF's text width (180 mm) and 175 mm height cap (Sheffield p13: 5.2 pt).
"""

from __future__ import annotations

import re
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
from shapely.geometry import Point, box

from creative_clusters.reporting import charts, figure_render, map_labels, maps

#: The PDF's text width (A4 less two 15 mm margins) and the height its figures are capped at, in points.
TEXT_WIDTH_PT = 180 / 25.4 * 72
MAX_HEIGHT_PT = 175 / 25.4 * 72


def _extents(fig: Any, artists: list[Any]) -> np.ndarray:
    r = fig.canvas.get_renderer()
    return np.array([a.get_window_extent(r).extents for a in artists]).reshape(-1, 4)


def _printed(svg: str) -> tuple[float, float, float]:
    """Width and height (pt) of a figure's SVG and the scale the PDF prints it at (max-width 100% of the
    text width, max-height 175 mm)."""
    m = re.search(r'<svg[^>]*width="([\d.]+)pt"[^>]*height="([\d.]+)pt"', svg)
    assert m
    w, h = float(m.group(1)), float(m.group(2))
    return w, h, min(1.0, TEXT_WIDTH_PT / w, MAX_HEIGHT_PT / h)


def _smallest_font(svg: str) -> float:
    sizes = [float(x) for x in re.findall(r"font-size:\s*([\d.]+)px", svg)]
    assert sizes
    return min(sizes)


# ----------------------------------------------------------------------------------------------- place map
def test_colour_bar_fits_the_map_and_stays_above_the_source_line(drawn: dict[str, Any]) -> None:
    """Orkney's wide, short map: the colour bar (sized on the square figure) reached below the map and
    printed over the source line."""
    g = gpd.GeoDataFrame({"geo_code": ["A", "B"], "geo_name": ["Ay", "Bee"], "LQ": [0.5, 1.4]},
                         geometry=[box(0, 0, 40_000, 12_000), box(40_000, 0, 80_000, 12_000)], crs="EPSG:27700")
    source = "Boundaries: ONS, local authority districts, generalised; contains OS data © Crown copyright."
    maps.place_map_figure(g, ["A"], place="Ay", value_col="LQ", png=False, source=source)
    fig = drawn["fig"]
    ax = fig.axes[0]
    r = fig.canvas.get_renderer()
    fig.canvas.draw()
    m = ax.get_window_extent(r)
    from matplotlib.image import BboxImage

    (scale,) = [a for a in fig.artists if isinstance(a, BboxImage)]  # the bar's colours
    bar = scale.get_window_extent(r)  # the bar itself: no taller than the map, within its height
    assert bar.y0 >= m.y0 - 0.5 and bar.y1 <= m.y1 + 0.5
    src = next(t for t in fig.texts if t.get_text().startswith("Boundaries"))
    s = src.get_window_extent(r)
    # the bar, its tick labels and its label (the texts right of the map)
    beside = [t.get_window_extent(r) for t in fig.texts if t.get_window_extent(r).x0 > m.x1]
    assert any("LQ" in t.get_text() for t in fig.texts if t.get_window_extent(r).x0 > m.x1)
    assert min([bar.y0, *(b.y0 for b in beside)]) > s.y1, "the colour bar (or its label) reaches the source line"
    assert m.y0 > s.y1


def _region(long_east: str = "Redcar and Cleveland") -> tuple[gpd.GeoDataFrame, list[str], list[str]]:
    """A region of one large area, a tight cluster of small boroughs (Tyneside) and a long-named area at the
    frame's right edge, with two neighbours."""
    own = [("N1", "Northumberland", box(0, 40_000, 60_000, 100_000)),
           ("D1", "County Durham", box(0, 0, 50_000, 40_000)),
           ("E1", long_east, box(50_000, 0, 60_000, 12_000)),
           ("H1", "Hartlepool", box(50_000, 12_000, 60_000, 20_000)),
           ("M1", "Middlesbrough", box(46_000, 0, 50_000, 4_000))]
    tyne = ["North Tyneside", "Newcastle upon Tyne", "Gateshead", "South Tyneside", "Sunderland"]
    own += [(f"T{k}", n, box(50_000 + 2_000 * k, 30_000, 52_000 + 2_000 * k, 34_000)) for k, n in enumerate(tyne)]
    near = [("C1", "Cumberland", box(-30_000, 0, 0, 100_000)), ("Y1", "North Yorkshire", box(0, -40_000, 60_000, 0))]
    rows = own + near
    g = gpd.GeoDataFrame({"geo_code": [c for c, _, _ in rows], "geo_name": [n for _, n, _ in rows],
                          "LQ": np.linspace(0.4, 1.3, len(rows))},
                         geometry=[s for _, _, s in rows], crs="EPSG:27700")
    return g, [c for c, _, _ in own], [c for c, _, _ in near]


def test_region_labels_stay_in_the_frame_apart_and_every_area_is_named(drawn: dict[str, Any]) -> None:
    """North East: its boroughs' labels crowded and touched, "Redcar and Cleveland" ran past the frame,
    Darlington and Middlesbrough went unnamed and the scale bar sat on labels."""
    g, own, near = _region()
    maps.place_map_figure(g, own, place="North East", value_col="LQ", png=False, neighbour_codes=near,
                             source="Boundaries: ONS.")
    fig = drawn["fig"]
    ax = fig.axes[0]
    fig.canvas.draw()
    frame = ax.get_window_extent()
    scale = [t for t in ax.texts if t.get_text().endswith(" km")]
    labels = [t for t in ax.texts if t not in scale]
    boxes = _extents(fig, labels)
    # inside the frame
    assert (boxes[:, 0] >= frame.x0 - 0.5).all() and (boxes[:, 2] <= frame.x1 + 0.5).all()
    assert (boxes[:, 1] >= frame.y0 - 0.5).all() and (boxes[:, 3] <= frame.y1 + 0.5).all()
    # apart: at least the labels' gap between any two (2 pixels let "County Durham" run into "Hartlepool")
    gap = map_labels.LABEL_GAP_PT * fig.dpi / 72 - 0.01
    for i in range(len(boxes)):
        for j in range(i + 1, len(boxes)):
            a, b = boxes[i], boxes[j]
            apart = a[2] + gap <= b[0] or b[2] + gap <= a[0] or a[3] + gap <= b[1] or b[3] + gap <= a[1]
            assert apart, (labels[i].get_text(), labels[j].get_text())
    # off the scale bar: its line and its label
    bar = _extents(fig, [ln for ln in ax.lines if ln.get_linewidth() == 2.5] + scale)
    for a in boxes:
        for b in bar:
            assert a[2] <= b[0] or b[2] <= a[0] or a[3] <= b[1] or b[3] <= a[1]
    # every one of the region's areas and its neighbours named: on the map, or by number in the key under it
    on_map = {t.get_text() for t in labels}
    key = " ".join(t.get_text() for t in fig.texts)
    for name in g["geo_name"]:
        assert name in on_map or name in key, name
    for t in labels:  # each number on the map is in the key
        if t.get_text().isdigit():
            assert re.search(rf"(^|\s){t.get_text()} \w", key)


def test_area_labels_without_a_key_behave_as_before() -> None:
    """Without a key (the function's other callers and tests) a crowded name is still left out, not numbered."""
    from matplotlib import patheffects

    g = gpd.GeoDataFrame({"geo_name": ["Own", "Tiny neighbour with a long name"]},
                         geometry=[box(0, 0, 10_000, 10_000), box(4_000, 4_000, 6_000, 6_000)], crs="EPSG:27700")
    fig, ax = figure_render._new_figure((4, 4))
    g.plot(ax=ax)
    ax.set_aspect("equal")
    halo = patheffects.withStroke(linewidth=2, foreground="white")
    assert map_labels._area_labels(fig, ax, g, pd.Series([True, False]), halo) == 1
    assert [t.get_text() for t in ax.texts] == ["Own"]


# ----------------------------------------------------------------------------------------- microcluster map
def test_microcluster_map_has_a_scale_bar_a_legend_and_a_source_line(drawn: dict[str, Any]) -> None:
    """Sheffield p18: no scale bar, no source line, nothing to say what the orange shapes and blue circles are."""
    lad = gpd.GeoDataFrame({"geo_code": ["E1"]}, geometry=[Point(0, 0).buffer(12_000)], crs="EPSG:27700")
    hulls = gpd.GeoDataFrame({"microcluster_id": ["A", "B"], "n_firms": [300, 60]},
                             geometry=[Point(0, 0).buffer(500), Point(3000, 0).buffer(900)], crs="EPSG:27700")
    source = ("Boundaries: ONS, local authority districts (December 2023), generalised; contains OS data © Crown "
              "copyright and database right. Microclusters: microcluster run of 2026-01-05 on firms.csv (run r1).")
    f = maps.microcluster_map_figure(lad, hulls, place="Alphaville", png=False, source=source)
    fig = drawn["fig"]
    ax = fig.axes[0]
    fig.canvas.draw()
    r = fig.canvas.get_renderer()
    assert any(re.fullmatch(r"\d+ km", t.get_text()) for t in ax.texts)
    (legend,) = fig.legends
    words = [t.get_text() for t in legend.get_texts()]
    assert any("Microcluster (" in w for w in words) and any("centre" in w for w in words)
    assert any("Alphaville" in w for w in words)
    src = [t for t in fig.texts if "Crown" in t.get_text()]
    assert len(src) == 1 and "run r1" in src[0].get_text().replace("\n", " ")
    # under the map and its legend, not on them
    assert src[0].get_window_extent(r).y1 < legend.get_window_extent(r).y0 < ax.get_window_extent(r).y0
    assert "Crown" in f["svg"]


def test_section_passes_the_run_to_the_microcluster_map_source() -> None:
    from creative_clusters.reporting.section_microclusters import microcluster_map_source

    line = microcluster_map_source({"created_at": "2026-01-05T10:00:00", "firm_file": "firms.csv.gz",
                                    "run_id": "abc"})
    assert "© Crown copyright" in line and "2026-01-05" in line and "firms.csv.gz" in line and "abc" in line
    assert "Crown copyright" in microcluster_map_source(None)


# ------------------------------------------------------------------------------------------- print sizes
def _benchmark_table() -> pd.DataFrame:
    from creative_clusters.benchmarking import load_framework

    labels = [i.label for i in load_framework().indicators]
    n = len(labels)
    ok = np.arange(n) % 3 != 2
    return pd.DataFrame({"label": labels, "status": np.where(ok, "ok", "gap"),
                         "pct_all": np.where(ok, np.linspace(5, 95, n), np.nan),
                         "pct_peers": np.where(ok, np.linspace(90, 10, n), np.nan)})


def test_benchmark_dot_plot_prints_its_text_at_7pt_or_more() -> None:
    """Sheffield p13: the dot plot (513 x 667 pt) was scaled to 74% by the PDF's 175 mm cap and its labels
    printed at 5.2-5.5 pt, the plot filling three quarters of the text width."""
    table = _benchmark_table()
    assert len(table) >= 20
    svg = charts.percentile_figure(table, place="Alphaville", png=False)["svg"]
    w, h, scale = _printed(svg)
    assert _smallest_font(svg) * scale >= 7.0, (w, h, scale)
    assert w >= 0.9 * TEXT_WIDTH_PT  # the text's width, not three quarters of it


def test_benchmark_dot_plot_rows_do_not_run_into_each_other(drawn: dict[str, Any]) -> None:
    charts.percentile_figure(_benchmark_table(), place="Alphaville", png=False)
    fig = drawn["fig"]
    ax = fig.axes[0]
    fig.canvas.draw()
    labels = [t for t in ax.texts if t.get_transform() is not ax.transData]
    boxes = _extents(fig, labels)
    boxes = boxes[np.argsort(-boxes[:, 1])]
    assert (boxes[:-1, 1] > boxes[1:, 3]).all()  # each label wholly above the next


def test_lq_bar_chart_prints_its_text_at_7pt_or_more() -> None:
    """The LQ bar chart (585 pt wide with its labels) printed at 87%: its 7 pt notes at 6.1 pt."""
    labels = ["Advertising and marketing", "Architecture", "Crafts", "Design and designer fashion",
              "Film, TV, video, radio and photography", "IT, software and computer services", "Publishing",
              "Museums, galleries and libraries", "Music, performing and visual arts"]
    lq = [1.2, 0.8, 0.0, 1.0, 1.6, 1.1, 0.9, 0.7, 1.3]
    lo = [1.0, 0.6, 0.0, 0.8, 1.3, 1.0, 0.7, 0.5, 1.1]
    hi = [1.4, 1.0, 42.7, 1.2, 1.9, 1.2, 1.1, 0.9, 1.5]  # crafts' interval cut at the axis: a 7 pt note
    svg = charts.lq_bar_figure(labels, lq, lo, hi, place="Bournemouth, Christchurch and Poole", png=False)["svg"]
    w, h, scale = _printed(svg)
    assert _smallest_font(svg) * scale >= 7.0, (w, h, scale)


def test_trend_chart_prints_its_text_at_7pt_or_more() -> None:
    periods = [str(y) for y in range(2010, 2026)]
    svg = charts.trend_figure(periods, {"Alphaville": list(range(100, 116)), "England": list(range(200, 216))},
                               what="Creative enterprises", place="Alphaville", png=False)["svg"]
    w, h, scale = _printed(svg)
    assert _smallest_font(svg) * scale >= 7.0, (w, h, scale)


def test_areas_named_by_number_on_the_map_are_named_in_its_alt_text(drawn: dict[str, Any]) -> None:
    """A reader who cannot see the map met only "and 6 neighbouring local authorities": the names the key
    under the map gives by number (Tyneside's boroughs) were nowhere in the alt text."""
    g, own, near = _region()
    out = maps.place_map_figure(g, own, place="North East", value_col="LQ", png=False, neighbour_codes=near,
                                   source="Boundaries: ONS.")
    fig = drawn["fig"]
    on_map = {t.get_text() for t in fig.axes[0].texts}
    numbered = [n for n in g["geo_name"] if n not in on_map]
    assert numbered  # the tight cluster of boroughs cannot all be labelled
    assert "numbered on the map:" in out["alt"] and all(n in out["alt"] for n in numbered), out["alt"]
