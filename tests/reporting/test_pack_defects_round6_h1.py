"""Sixth review of the packs (colours, museum years, map labels and gaps, neighbours beyond England): each test
failed before its fix.

The synthetic tests draw made-up areas; the others read the real bundle, with expected values from the source
files through the warehouse.
"""

from __future__ import annotations

import re

import geopandas as gpd
import matplotlib
import numpy as np
import pandas as pd
import pytest
from matplotlib.colors import to_hex, to_rgb
from shapely.geometry import box

from creative_clusters.reporting import charts, figure_style, maps
from tests.reporting._helpers import pack_context, section


def _texts(svg: str) -> list[str]:
    return [t.strip() for t in re.findall(r"<text[^>]*>([^<]*)</text>", svg)]


def _bar_fills(svg: str) -> list[str]:
    return re.findall(r'<path d="M [^"]*"[^>]*style="fill: (#[0-9a-f]{6})[;"]', svg)


def _map(sec):
    return next(f for f in sec["figures"] if f["title"].endswith("and neighbouring areas"))


def _capture(monkeypatch) -> list:
    """Keep each figure drawn (its matplotlib Figure) instead of rendering it."""
    seen: list = []

    def keep(fig, title, alt, png):
        seen.append(fig)
        return {"title": title, "alt": alt, "svg": "", "png_base64": ""}

    for drawer in (charts, maps):  # each calls the _render it imported
        monkeypatch.setattr(drawer, "_render", keep)
    return seen


# --------------------------------------------------------------- 1. the bars speak the map's colours
def test_lq_bar_colours_are_the_maps_colours_for_the_same_meaning() -> None:
    # was: bars "95% interval below 1" in Okabe-Ito orange, "above 1" in blue, beside a map whose orange
    # meant above 1 and purple below: West Yorkshire's chart was all orange with every LQ below 1
    cmap = matplotlib.colormaps[figure_style.LQ_CMAP]
    assert to_hex(cmap(0.8)) == figure_style.LQ_ABOVE and to_hex(cmap(0.2)) == figure_style.LQ_BELOW
    r, _g, b = to_rgb(figure_style.LQ_ABOVE)
    assert r > b  # orange, the map's "above"
    r, _g, b = to_rgb(figure_style.LQ_BELOW)
    assert b > r  # purple, the map's "below"
    assert figure_style.LQ_INCLUDES_ONE not in {to_hex(cmap(x)) for x in np.linspace(0, 1, 256)}  # grey: off the scale
    f = charts.lq_bar_figure(["A", "B"], [0.5, 0.7], [0.4, 0.6], [0.6, 0.8], place="X", png=False)
    fills = _bar_fills(f["svg"])
    assert figure_style.LQ_BELOW in fills and figure_style.LQ_ABOVE not in fills


def test_the_map_uses_the_shared_scale(monkeypatch) -> None:
    seen = _capture(monkeypatch)
    g = gpd.GeoDataFrame({"geo_code": ["A", "B"], "geo_name": ["Ay", "Bee"], "LQ": [0.5, 1.5]},
                         geometry=[box(0, 0, 1000, 1000), box(1000, 0, 2000, 1000)], crs="EPSG:27700")
    maps.place_map_figure(g, ["A"], place="Ay", value_col="LQ", png=False)
    cmaps = {c.get_cmap().name for c in seen[0].axes[0].collections if c.get_array() is not None}
    assert cmaps == {figure_style.LQ_CMAP}


# --------------------------------------------------------------- 3. every area in the frame drawn, gaps said
def _ring(values: dict[str, float | None]) -> gpd.GeoDataFrame:
    """A place A, its neighbour B, and C: in the frame, not a neighbour (a hole, as Slough for Reading)."""
    shapes = {"A": box(0, 0, 4000, 4000), "B": box(4000, 0, 8000, 8000), "C": box(0, 5000, 3000, 8000),
              "Far": box(90_000, 90_000, 91_000, 91_000)}
    return gpd.GeoDataFrame({"geo_code": list(shapes), "geo_name": [f"Area {c}" for c in shapes],
                             "LQ": [values.get(c) for c in shapes]}, geometry=list(shapes.values()),
                            crs="EPSG:27700")


def test_an_area_in_the_frame_beyond_the_neighbours_is_drawn_and_shaded(monkeypatch) -> None:
    # was: only the place and its neighbours were drawn: Slough, inside the Reading TTWA map's frame, was a
    # white hole, which on the diverging scale reads as an LQ of 1
    seen = _capture(monkeypatch)
    f = maps.place_map_figure(_ring({"A": 1.4, "B": 0.7, "C": 1.2, "Far": 0.9}), ["A"], place="Area A",
                                 value_col="LQ", png=False, neighbour_codes=["B"])
    shaded = next(c for c in seen[0].axes[0].collections if c.get_array() is not None)
    assert sorted(np.round(np.asarray(shaded.get_array(), float), 2)) == [0.7, 1.2, 1.4]  # C drawn, Far not
    assert "1 neighbouring local authority, with 1 more area in the frame" in f["alt"]


def test_an_area_without_a_value_is_hatched_with_a_legend_entry_never_a_colour_of_the_scale(monkeypatch) -> None:
    # was: Scottish Borders on the North East's map was a pale grey with no legend entry (and one left out
    # was white, the scale's colour for LQ 1)
    seen = _capture(monkeypatch)
    f = maps.place_map_figure(_ring({"A": 1.4, "B": 0.7}), ["A"], place="Area A", value_col="LQ", png=False,
                                 neighbour_codes=["B"], no_value=lambda codes: f"no value: {','.join(codes)}")
    fig = seen[0]
    hatched = [c for c in fig.axes[0].collections if c.get_hatch()]
    assert len(hatched) == 1 and len(hatched[0].get_paths()) == 1
    face = to_hex(hatched[0].get_facecolor()[0])
    assert face == maps.NO_VALUE_STYLE["facecolor"]
    assert face not in {to_hex(matplotlib.colormaps[figure_style.LQ_CMAP](x)) for x in np.linspace(0, 1, 256)}
    legend_texts = [t.get_text() for lg in fig.legends for t in lg.get_texts()]
    assert legend_texts == ["no value: C"]  # the reason is given the codes drawn without a value
    assert "hatched grey: 1 area with no value: C" in f["alt"]


def test_the_place_named_after_an_area_keeps_that_areas_label(monkeypatch) -> None:
    # was: the Reading TTWA's map named Wokingham and Bracknell Forest, and dropped Reading under Wokingham's
    # label: the larger areas were named first
    seen = _capture(monkeypatch)
    big = box(0, -20_000, 10_000, 20_000)
    small = box(10_000, -1500, 14_000, 1500)  # Reading beside the larger Wokingham, whose long name reaches over it
    g = gpd.GeoDataFrame({"geo_code": ["W", "R"], "geo_name": ["Wokingham District Long Name", "Reading"]},
                         geometry=[big, small], crs="EPSG:27700")
    maps.place_map_figure(g, ["W", "R"], place="Reading travel-to-work area", png=False)
    labels = [t.get_text() for t in seen[0].axes[0].texts]
    # both of the place's own kept: Reading on the map; Wokingham's long name, wider than this narrow frame
    # (labels stay inside the frame since round 7), as a number on the map and its name in the key under it
    key = " ".join(t.get_text() for t in seen[0].texts)
    assert "Reading" in labels
    assert "Wokingham District Long Name" in labels or ("1" in labels and "1 Wokingham District Long Name" in key)


def test_no_value_words_come_from_where_the_values_reach() -> None:
    from creative_clusters.reporting.section_scale_areas import no_value_words

    lq = pd.Series({"E08000035": 0.9, "E06000057": 0.6})
    assert no_value_words(lq, ["S12000026"], "the counts by SIC class") == \
        "no value: the counts by SIC class cover only England"
    assert no_value_words(pd.Series({"E1": 1.0, "W1": 0.8}), ["S1"], "the annual series") == \
        "no value: the annual series cover only England and Wales"
    assert no_value_words(pd.Series({"E1": 1.0, "E2": None}), ["E2"], "the annual series") == \
        "no value: not published in the annual series"


# --------------------------------------------------------------- the real packs (``nd``: tests/conftest.py)
@pytest.mark.realdata
def test_west_yorkshire_bars_below_one_are_the_maps_purple(nd):
    ctx = pack_context(nd, "West Yorkshire")
    sec = section(ctx, "scale")
    lq_table = next(t for t in sec["tables"] if "LQ 95% high" in t["columns"])
    lq, hi = lq_table["columns"].index("Business LQ"), lq_table["columns"].index("LQ 95% high")
    assert all(r[lq] < 1 for r in lq_table["rows"])  # the premise: every LQ below 1
    bars = next(f for f in sec["figures"] if f["title"].startswith("Creative business location quotients"))
    fills = _bar_fills(bars["svg"])
    assert figure_style.LQ_ABOVE not in fills  # no bar in the map's "above 1" orange
    assert (figure_style.LQ_BELOW in fills) == any(r[hi] < 1 for r in lq_table["rows"]
                                                   if r[0] != "All creative industries")
    assert "orange above, purple below" in _map(sec)["alt"]


@pytest.mark.realdata
def test_reading_ttwa_map_names_reading_and_draws_slough(nd, monkeypatch):
    seen = _capture(monkeypatch)
    ctx = pack_context(nd, "ttwa:Reading")
    m = _map(section(ctx, "scale"))
    ax = next(f.axes[0] for f in seen if f.axes[0].get_title().endswith("and neighbouring areas"))
    labels = [t.get_text() for t in ax.texts]
    assert "Reading" in labels  # the borough the TTWA is named after
    assert "Slough" in labels  # drawn (and shaded: every English LAD has an LQ), not a white hole
    assert "more areas in the frame" in m["alt"] and "no value" not in m["alt"]
    assert not [c for c in ax.collections if c.get_hatch()]  # every area drawn has its value


@pytest.mark.realdata
def test_north_east_map_says_why_scottish_areas_have_no_value(nd):
    ctx = pack_context(nd, "North East")
    m = _map(section(ctx, "scale"))
    key = "no value: the counts by SIC class cover only England"
    assert key in _texts(m["svg"]) and key in m["alt"]


@pytest.mark.realdata
def test_a_neighbour_beyond_england_shows_the_annual_series_count(nd, full_warehouse):
    # was: "S12000026 | Scottish Borders | – | – | not assessed" though the annual series counts it
    obs = full_warehouse.observations(dataset="business_counts_series", geo_code="S12000026")
    last = obs["period"].max()
    expected = float(obs.loc[obs["period"] == last, "value"].iloc[0])
    ctx = pack_context(nd, "North East")
    t = next(t for t in section(ctx, "connections")["tables"] if t["title"].startswith("Neighbouring"))
    row = next(r for r in t["rows"] if r[0] == "S12000026")
    # tested by the rules run on the UK-wide series (the Scottish Borders are no cluster under them)
    assert row[2] == expected and row[3] is None and row[4] == "none"
    note = next(n for n in t["notes"] if "annual series" in n)
    assert "Scottish Borders" in note and f"({last}," in note and "no LQ against England" in note
    assert "business_counts_series" in section(ctx, "connections")["sources"]
    english = [r for r in t["rows"] if r[0].startswith("E")]
    assert english and all(r[2] is not None and r[3] is not None for r in english)  # the SIC table's, as before


def test_docs_say_what_neighbours_beyond_england_show() -> None:
    from pathlib import Path

    text = " ".join((Path(__file__).resolve().parents[2] / "docs" / "evidence.md").read_text().split())
    assert "neighbours outside England's counts by SIC class" in text
    assert "hatched" in text and "the map's own colours" in text
