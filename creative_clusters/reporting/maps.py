"""The pack's maps: the place among its neighbours (shaded by LQ) and the place's microclusters."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import pandas as pd

from creative_clusters._map_style import NO_DATA
from creative_clusters.reporting.figure_render import TEXT_ONLY, _new_figure, _render, _text_only, halo
from creative_clusters.reporting.figure_style import LQ_CMAP, OKABE_ITO, pack_style
from creative_clusters.reporting.figure_worker import drawn_by_worker
from creative_clusters.reporting.map_furniture import MAP_BOX_WITH_BAR, _colour_bar, _map_foot, _scale_bar
from creative_clusters.reporting.map_labels import _area_labels
from creative_clusters.reporting.pack_types import Figure

__all__ = ["MAP_MARGIN_M", "NO_VALUE_STYLE", "microcluster_map_figure", "place_map_figure"]


#: How a map draws an area that has no value (never a colour of the LQ scale: its white is LQ 1): the
#: package's one no-data style (:data:`creative_clusters._map_style.NO_DATA`, also on the exported and web maps).
NO_VALUE_STYLE: dict[str, Any] = {"facecolor": NO_DATA.fill, "edgecolor": NO_DATA.hatch_colour, "hatch": NO_DATA.hatch,
                                  "lw": 0.4}


@drawn_by_worker
def place_map_figure(geometry, place_codes: Sequence[str], *, place: str, code_col: str = "geo_code",
                     value_col: str | None = None, png: bool | str = True,
                     source: str = "", reference: str = "England", neighbour_codes: Sequence[str] | None = None,
                     no_value: str | Callable[[list[str]], str] = "no value") -> Figure:
    """Map of the place (outlined) among its neighbours, labelled, with a scale bar and a source line.

    With ``value_col`` (a location quotient against ``reference``) the areas are
    shaded on a diverging scale centred on 1 (purple below, orange above, white
    at the reference's level), so an LQ below 1 never looks like a concentration.
    An area without a value is hatched grey, never a colour of the scale, and the
    legend says why (``no_value``, or ``no_value(codes)`` of the areas drawn without one: "no value: the
    counts by SIC class cover only England").

    With ``neighbour_codes`` the view is framed on the place and those
    neighbours, and every other area of ``geometry`` that shows within it is
    drawn too (an area left out was a white hole that read as LQ 1: Slough on
    the Reading travel-to-work area's map); without, every area of ``geometry``
    frames the view.
    """
    from matplotlib.colors import TwoSlopeNorm

    title = f"{place} and neighbouring areas"
    crs = getattr(geometry, "crs", None)
    g = geometry.to_crs("EPSG:27700") if crs is not None and crs != "EPSG:27700" else geometry
    codes = g[code_col].astype(str)
    inside = codes.isin([str(c) for c in place_codes])
    framed = (inside | codes.isin([str(c) for c in neighbour_codes]) if neighbour_codes is not None
              else pd.Series(True, index=g.index))
    x0, y0, x1, y1 = _map_view(g[framed].total_bounds, g[inside].total_bounds)
    in_view = framed | _in_box(g, (x0, y0, x1, y1))
    g, inside, framed = g[in_view], inside[in_view], framed[in_view]
    shaded = bool(value_col and value_col in g.columns and g[value_col].notna().any())
    blank = (g[value_col].isna() if value_col and value_col in g.columns
             else pd.Series(bool(value_col), index=g.index))  # areas drawn in the no-value style
    what = (value_col[:1].lower() + value_col[1:]) if value_col else ""
    n_near, n_more = int((framed & ~inside).sum()), int((~framed).sum())
    n_blank = int(blank.sum())
    if callable(no_value):
        no_value = no_value([str(c) for c in g.loc[blank, code_col]]) if n_blank else ""
    alt = (f"Map of {place} (outlined in black)" + (
        f" and {n_near} neighbouring local authorit{'y' if n_near == 1 else 'ies'}" if n_near else
        ", which has no neighbouring local authority")
           + (f", with {n_more} more area{'s' if n_more != 1 else ''} in the frame" if n_more else "") + (
        f", shaded by {what} on a scale centred on 1 (the level of {reference}): orange above, purple below"
        if shaded else "")
           + (f"; no {what} for these areas, so none is shaded" if value_col and not shaded else "")
           + (f"; hatched grey: {n_blank} area{'s' if n_blank != 1 else ''} with {no_value}"
              if value_col and n_blank else "") + ".")
    if png == TEXT_ONLY:
        return _text_only(title, alt)
    with pack_style():
        fig, ax = _new_figure((6.5, 6.5))
        if shaded:
            ax.set_position(MAP_BOX_WITH_BAR)  # room for the colour bar on the right
            v = g[value_col].astype(float)
            half = max(abs(float(v.max()) - 1.0), abs(1.0 - float(v.min())), 0.05)
            norm = TwoSlopeNorm(vcenter=1.0, vmin=max(1.0 - half, 0.0), vmax=1.0 + half)
            g[~blank].plot(ax=ax, column=value_col, cmap=LQ_CMAP, norm=norm, edgecolor="#777777", lw=0.4)
        elif not value_col:
            g.plot(ax=ax, color="#dddddd", edgecolor="white", lw=0.4)
        if blank.any():
            g[blank].plot(ax=ax, **NO_VALUE_STYLE)
        g[inside].boundary.plot(ax=ax, color=OKABE_ITO[7], lw=2)
        ax.set_xlim(x0, x1)
        ax.set_ylim(y0, y1)
        ax.set_axis_off()
        ax.set_aspect("equal")
        scale = _scale_bar(ax)
        key: list[str] = []
        if "geo_name" in g.columns:  # named where each area shows within the view, clear of the scale bar
            from shapely.geometry import box as view_box

            shown = g.assign(geometry=g.geometry.intersection(view_box(x0, y0, x1, y1)))
            keep = ~shown.geometry.is_empty
            _area_labels(fig, ax, shown[keep], inside[keep],
                         halo(), avoid=scale,
                         first=_namesakes(shown[keep], inside[keep], place), second=framed[keep], key=key)
        ax.set_title(title, y=1.0)  # a fixed position: skips matplotlib's costly automatic title placement
        ax.apply_aspect()
        below = ax.get_position().y0 - 0.01  # the top of what goes under the map, in figure coordinates
        if shaded:
            below = min(below, _colour_bar(fig, ax, LQ_CMAP, norm, f"{value_col} (1 = {reference})") - 0.01)
        handles = []
        if value_col and blank.any():  # what the hatching means, under the map (the colour bar has no room)
            from matplotlib.patches import Patch

            handles.append(Patch(**{k: v for k, v in NO_VALUE_STYLE.items() if k != "lw"}, label=no_value))
        _map_foot(fig, below, key=key, handles=handles, source=source)
        if key:  # the areas named by number in the key, for a reader who cannot see the figure
            alt = f"{alt[:-1]}; numbered on the map: {'; '.join(key)}."
        return _render(fig, title, alt, png)


def _in_box(g: Any, bounds: tuple[float, float, float, float]) -> Any:
    """True for each area of ``g`` that reaches into the box ``bounds`` (x0, y0, x1, y1)."""
    from shapely.geometry import box as view_box

    b = g.geometry.bounds
    x0, y0, x1, y1 = bounds
    near = (b["minx"] < x1) & (b["maxx"] > x0) & (b["miny"] < y1) & (b["maxy"] > y0)
    out = pd.Series(False, index=g.index)
    if near.any():
        out[near] = g.geometry[near].intersects(view_box(*bounds))
    return out


def _namesakes(g: Any, inside: Any, place: str) -> Any:
    """True for the place's own areas named like the place: Reading in the Reading travel-to-work area.

    >>> import geopandas as gpd
    >>> from shapely.geometry import box
    >>> g = gpd.GeoDataFrame({"geo_name": ["Wokingham", "Reading", "Reading"]}, geometry=[box(0, 0, 1, 1)] * 3)
    >>> _namesakes(g, pd.Series([True, True, False]), "Reading travel-to-work area").tolist()
    [False, True, False]
    """
    names = g["geo_name"].astype(str)
    return inside.astype(bool) & names.map(lambda n: place == n or place.startswith(n + " "))


#: Around the place a map shows at least this much (metres), or 60% of the place's own extent if more.
MAP_MARGIN_M = 8000.0


def _map_view(everything: Any, place: Any) -> tuple[float, float, float, float]:
    """The extent a neighbour map shows: the place and a margin around it (``MAP_MARGIN_M``, or 60% of the
    place's larger side), within the extent of everything drawn. A large neighbour (North Yorkshire beside
    Middlesbrough) no longer fills the frame and shrinks the place to a sliver.

    Examples
    --------
    >>> _map_view((0, 0, 200_000, 200_000), (100_000, 100_000, 110_000, 110_000))
    (92000.0, 92000.0, 118000.0, 118000.0)
    >>> _map_view((95_000, 0, 200_000, 200_000), (100_000, 100_000, 110_000, 110_000))[0]
    95000.0
    """
    ex0, ey0, ex1, ey1 = (float(v) for v in everything)
    px0, py0, px1, py1 = (float(v) for v in place)
    m = max(MAP_MARGIN_M, 0.6 * max(px1 - px0, py1 - py0))
    return max(px0 - m, ex0), max(py0 - m, ey0), min(px1 + m, ex1), min(py1 + m, ey1)


def _largest_words(mc: Any, points: str = "firms") -> str:
    """The biggest microcluster of the map, said the way the section says it: by firms (its area given), and
    the largest in area only when that is another one (the text calls the one with most firms "the largest").
    ``points`` names what the run counts ("firms", "premises")."""
    area = mc.area / 1e6
    if "n_firms" not in mc.columns:
        return f"; the largest in area covers {float(area.max()):.1f} km²"
    top = int(mc["n_firms"].to_numpy().argmax())
    out = f"; the one with most {points} covers {float(area.iloc[top]):.1f} km²"
    big = int(area.to_numpy().argmax())
    if big != top:
        out += f", the largest in area {float(area.iloc[big]):.1f} km²"
    return out


@drawn_by_worker
def microcluster_map_figure(lad_geometry, hulls, *, place: str, png: bool | str = True, source: str = "",
                            points: str = "firms",
                            what: tuple[str, str] = ("creative microcluster", "creative microclusters")) -> Figure:
    """Map of the place's microcluster hulls over its LAD boundary (both drawn in EPSG:27700), with a scale
    bar, a legend of what is drawn and the source line under it (as the place map has).

    Parameters
    ----------
    lad_geometry : GeoDataFrame
        The place's LAD polygon(s), any CRS.
    hulls : GeoDataFrame
        The microcluster polygons (EPSG:27700), with ``microcluster_id`` and ``n_firms`` when available.
    place : str
        The place's name.
    png : bool or str
        Draw the PNG too (``True``), later (``"defer"``), not (``False``), or nothing but the text
        (``TEXT_ONLY``).
    source : str
        The source line: the boundaries and the microcluster run the hulls come from.
    points, what : str, (str, str)
        What the run counts ("firms", "premises") and what its groups are called (singular, plural): a run
        that took every business of a list as creative draws clusters of business premises, not creative ones.

    Returns
    -------
    Figure
        The title, alt text, SVG and PNG.
    """
    title = f"{what[1][:1].upper()}{what[1][1:]} in {place}"
    lad = lad_geometry.to_crs("EPSG:27700") if lad_geometry.crs is not None else lad_geometry
    mc = hulls.to_crs("EPSG:27700") if hulls.crs is not None else hulls
    n = len(mc)
    firms = int(mc["n_firms"].sum()) if "n_firms" in mc.columns and n else None
    alt = (f"Map of {place}'s boundary with {n} {what[0] if n == 1 else what[1]} drawn as "
           "shaded outlines" + (f", holding {firms:,} {points} between them" if firms is not None else "")
           + (_largest_words(mc, points) if n else "") + ".")
    if png == TEXT_ONLY:
        return _text_only(title, alt)
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    with pack_style():
        fig, ax = _new_figure((6, 6))
        lad.plot(ax=ax, color="#f2f2f2", edgecolor="#555555", lw=0.8)
        handles: list[Any] = [Patch(facecolor="#f2f2f2", edgecolor="#555555", lw=0.8, label=f"{place} boundary")]
        if n:
            mc.plot(ax=ax, color=OKABE_ITO[5], edgecolor=OKABE_ITO[7], lw=0.6, alpha=0.8)
            # mark centroids too: hulls are often too small to see at LAD scale
            c = mc.geometry.centroid
            ax.scatter(c.x, c.y, s=18, facecolor="none", edgecolor=OKABE_ITO[4], lw=1.0, zorder=3)
            handles += [Patch(facecolor=OKABE_ITO[5], edgecolor=OKABE_ITO[7], lw=0.6, alpha=0.8,
                              label=f"Microcluster (area of its {points})"),
                        Line2D([], [], ls="", marker="o", markersize=18 ** 0.5, markerfacecolor="none",
                               markeredgecolor=OKABE_ITO[4], markeredgewidth=1.0,
                               label="Microcluster centre")]
        ax.set_axis_off()
        ax.set_aspect("equal")
        _scale_bar(ax)
        ax.set_title(title, y=1.0)  # a fixed position: skips matplotlib's costly automatic title placement
        ax.apply_aspect()
        _map_foot(fig, ax.get_position().y0 - 0.01, handles=handles, source=source)
        return _render(fig, title, alt, png)
