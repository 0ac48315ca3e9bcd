"""Map furniture: the scale bar, the colour bar of a shaded map, and what goes under a map (the key to
numbered areas, a legend, the source line)."""

from __future__ import annotations

import textwrap
from collections.abc import Sequence
from typing import Any

import numpy as np

__all__ = ["MAP_BOX_WITH_BAR", "colour_bar_ticks"]


def _scale_bar(ax, *, units_per_km: float = 1000.0) -> list[Any]:
    """A scale bar in the lower left (the axes are in metres, British National Grid).

    Parameters
    ----------
    ax : matplotlib.axes.Axes
        The map's axes, its limits set.
    units_per_km : float
        Data units in a kilometre.

    Returns
    -------
    list
        The bar (a line) and its label: what the map's labels keep clear of.
    """
    x0, x1 = ax.get_xlim()
    y0, y1 = ax.get_ylim()
    width_km = (x1 - x0) / units_per_km
    nice = [1, 2, 5, 10, 20, 25, 50, 100, 200]
    km = max([n for n in nice if n <= width_km / 4] or [1])
    bx, by = x0 + (x1 - x0) * 0.04, y0 + (y1 - y0) * 0.04
    (bar,) = ax.plot([bx, bx + km * units_per_km], [by, by], color="#000000", lw=2.5, solid_capstyle="butt")
    label = ax.text(bx + km * units_per_km / 2, by + (y1 - y0) * 0.015, f"{km} km", ha="center", va="bottom",
                    fontsize=8)
    return [bar, label]


#: Where a map's axes go when a colour bar stands to their right (figure fraction: left, bottom, width,
#: height): the box geopandas' ``legend=True`` left the map, so a shaded map keeps its size.
MAP_BOX_WITH_BAR = (0.125, 0.11, 0.62, 0.77)


def _colour_bar(fig: Any, ax: Any, cmap: str, norm: Any, label: str, *, shrink: float = 0.6) -> float:
    """A colour bar right of the map, no taller than the map as drawn; returns the bottom of what it covers.

    geopandas sized its bar against the axes' box before ``set_aspect('equal')`` shrank the map within it,
    so under a wide map (Orkney, Brighton) the bar reached below the map and printed over the source line.
    Here the bar is placed from the map's own extent (after ``apply_aspect``): ``shrink`` of the box's
    height at most, never more than the map's height, centred on the map.

    It looks like ``Figure.colorbar`` (the scale as an image in a black frame,
    ticks and their labels on the right, the label along the bar) but is drawn
    with the figure's own artists, not in an axes of its own: an axes' two
    axis objects, their ticks and its rasterised mesh took a third of a map's
    time (45 of 120 ms, measured on 25 LAD maps). The ticks are at round
    values (:class:`matplotlib.ticker.MaxNLocator`), with as many decimals as
    their step needs.

    Parameters
    ----------
    fig, ax : matplotlib Figure and Axes
        The map's figure and axes, the limits and aspect set.
    cmap : str
        The colour map's name.
    norm : matplotlib.colors.Normalize
        The scale the areas were shaded on.
    label : str
        What the bar shows.
    shrink : float
        The bar's largest height, as a fraction of the axes' box.

    Returns
    -------
    float
        The lowest point (figure fraction) of the bar, its ticks and its label: what goes under the map
        starts below it.
    """
    from matplotlib.font_manager import FontProperties
    from matplotlib.image import BboxImage
    from matplotlib.lines import Line2D
    from matplotlib.patches import Rectangle
    from matplotlib.transforms import Bbox, TransformedBbox

    ax.apply_aspect()
    pos = ax.get_position()
    width_in, height_in = (float(v) for v in fig.get_size_inches())
    height = min(pos.height, shrink * ax.get_position(original=True).height)
    bar_w = 0.15 / width_in  # 0.15 in wide, as geopandas' bar was
    x0, y0 = pos.x1 + 0.04, pos.y0 + (pos.height - height) / 2
    import matplotlib

    rc = matplotlib.rcParams
    scale = BboxImage(TransformedBbox(Bbox.from_bounds(x0, y0, bar_w, height), fig.transFigure), cmap=cmap,
                      norm=norm, interpolation="nearest", origin="lower")
    scale.set_data(np.linspace(float(norm.vmin), float(norm.vmax), 256)[:, None])
    fig.add_artist(scale)
    fig.add_artist(Rectangle((x0, y0), bar_w, height, transform=fig.transFigure, fill=False,
                             lw=rc["axes.linewidth"], edgecolor=rc["axes.edgecolor"]))
    ticks, decimals = colour_bar_ticks(float(norm.vmin), float(norm.vmax))
    length, pad = rc["ytick.major.size"] / 72 / width_in, rc["ytick.major.pad"] / 72 / width_in
    renderer = fig.canvas.get_renderer()
    widest = 0.0
    for t in ticks:
        y = y0 + height * (t - float(norm.vmin)) / (float(norm.vmax) - float(norm.vmin))
        fig.add_artist(Line2D([x0 + bar_w, x0 + bar_w + length], [y, y], transform=fig.transFigure,
                              color=rc["ytick.color"], lw=rc["ytick.major.width"]))
        text = fig.text(x0 + bar_w + length + pad, y, f"{t:.{decimals}f}", va="center", ha="left",
                        fontsize=rc["ytick.labelsize"], color=rc["ytick.labelcolor"]
                        if rc["ytick.labelcolor"] != "inherit" else rc["ytick.color"])
        widest = max(widest, float(text.get_window_extent(renderer).width) / fig.dpi / width_in)
    title = fig.text(x0 + bar_w + length + 2 * pad + widest, y0 + height / 2, label, rotation=90,
                     rotation_mode="anchor", va="top", ha="center", fontsize=rc["axes.labelsize"])
    box = title.get_window_extent(renderer)
    tick = 0.5 * FontProperties(size=rc["ytick.labelsize"]).get_size_in_points() / 72  # half a tick label
    lowest = min(float(box.y0) / fig.dpi, y0 * height_in - tick)
    return lowest / height_in


def colour_bar_ticks(vmin: float, vmax: float) -> tuple[list[float], int]:
    """Round tick values within ``[vmin, vmax]`` for a colour bar, and the decimals their step needs.

    Examples
    --------
    >>> colour_bar_ticks(0.35, 1.65)
    ([0.4, 0.6, 0.8, 1.0, 1.2, 1.4, 1.6], 1)
    >>> colour_bar_ticks(0.95, 1.05)[1]
    2
    """
    from matplotlib.ticker import MaxNLocator

    values = MaxNLocator(nbins=7, steps=[1, 2, 2.5, 5, 10]).tick_values(vmin, vmax)
    step = float(values[1] - values[0]) if len(values) > 1 else 1.0
    decimals = max(0, -int(np.floor(np.log10(step) + 1e-9))) if step < 1 else 0
    if step * 10**decimals % 1 > 1e-6:  # a step of 2.5 or 0.25 needs one more
        decimals += 1
    eps = 1e-9 * max(abs(vmin), abs(vmax), 1.0)
    return [round(float(v), decimals) for v in values if vmin - eps <= v <= vmax + eps], decimals


def _map_foot(fig: Any, below: float, *, key: Sequence[str] = (), handles: Sequence[Any] = (),
              source: str = "") -> None:
    """What goes under a map, from ``below`` (figure fraction) down: the key of numbered areas, a legend of
    what the symbols mean, then the source line, each 7.5 pt and wrapped to the figure's width.

    Parameters
    ----------
    fig : matplotlib.figure.Figure
        The map's figure.
    below : float
        The top of what goes under the map (figure fraction): below the map and its colour bar.
    key : sequence of str
        The entries of the key to the numbered areas (``"1 Darlington"``), or none.
    handles : sequence of matplotlib artists
        Legend entries (each with its label), or none.
    source : str
        The source line, or nothing.
    """
    inverse = fig.transFigure.inverted()
    chars = int(105 * float(fig.get_size_inches()[0]) / 6.5)  # 105 characters of 7.5 pt across 6.5 in

    def text(lines: list[str], **style: Any) -> float:
        t = fig.text(0.01, below, "\n".join(lines), fontsize=7.5, ha="left", va="top", **style)
        return float(t.get_window_extent(fig.canvas.get_renderer()).transformed(inverse).y0) - 0.008

    if key:  # numbers on the map, their names here: lines broken between entries, never inside a name
        below = text(_wrap_entries(list(key), chars), color="#111111")
    if handles:
        legend = fig.legend(handles=list(handles), loc="upper left", bbox_to_anchor=(0.01, below), frameon=False,
                            fontsize=7.5, handlelength=1.6, borderaxespad=0.0, borderpad=0.0,
                            ncol=min(len(handles), 3))
        below = float(legend.get_window_extent(fig.canvas.get_renderer()).transformed(inverse).y0) - 0.01
    if source:
        # a source line readable in print: 7.5 pt, wrapped to the map's width, directly under the map
        # (at the foot of a square figure it sat below a band of white as tall as the map was short)
        text(textwrap.wrap(source, chars), color="#444444")


def _wrap_entries(entries: Sequence[str], width: int) -> list[str]:
    """Entries of a key joined on lines of at most ``width`` characters (an entry longer alone on its line).

    >>> _wrap_entries(["1 Darlington", "2 Middlesbrough", "3 Hartlepool"], 30)
    ['1 Darlington\u20032 Middlesbrough', '3 Hartlepool']
    """
    lines: list[str] = []
    for e in entries:
        if lines and len(lines[-1]) + 1 + len(e) <= width:
            lines[-1] += "\u2003" + e
        else:
            lines.append(e)
    return lines
