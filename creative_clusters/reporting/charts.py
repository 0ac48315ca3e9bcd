"""The pack's charts: LQ bars by sub-sector, indexed trends and the benchmark's percentile dot plot.

Each chart is drawn at the size it prints in the PDF and returned as a
:class:`~creative_clusters.reporting.pack_types.Figure` (title, alt text, SVG, PNG).
"""

from __future__ import annotations

import textwrap
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from creative_clusters.indicators.growth import index_numbers
from creative_clusters.reporting.figure_render import TEXT_ONLY, _new_figure, _render, _text_only
from creative_clusters.reporting.figure_style import LQ_ABOVE, LQ_BELOW, LQ_INCLUDES_ONE, OKABE_ITO, pack_style
from creative_clusters.reporting.figure_worker import drawn_by_worker
from creative_clusters.reporting.pack_types import Figure

__all__ = ["lq_axis_limit", "lq_bar_figure", "percentile_figure", "trend_figure"]


def lq_axis_limit(lq: np.ndarray, hi: np.ndarray) -> float:
    """The right end of an LQ bar chart's axis: the widest interval, unless it would squash the bars.

    A sub-sector of a few firms in a small place has an interval reaching
    far above its LQ (Isles of Scilly, crafts: 0 to 42.7); drawn whole it
    leaves every other bar a sliver. The axis then stops at twice the
    larger of 1 and the largest LQ, and the cut intervals are labelled with
    their upper end.

    Examples
    --------
    >>> lq_axis_limit(np.array([0.8, 1.4]), np.array([1.1, 2.0]))
    2.0
    >>> lq_axis_limit(np.array([0.0, 1.5]), np.array([42.7, 2.4]))
    3.0
    """
    top = float(np.nanmax(hi, initial=1.0))
    bound = 2.0 * max(1.0, float(np.nanmax(lq, initial=0.0)))
    return max(bound if top > bound else top, 1.2)


@drawn_by_worker
def lq_bar_figure(labels: Sequence[str], lq: Sequence[float], lo: Sequence[float], hi: Sequence[float],
                  *, place: str, png: bool | str = True) -> Figure:
    """Horizontal bars of business LQ by sub-sector with 95% intervals and a line at 1."""
    title = f"Creative business location quotients by sub-sector, {place}"
    lq_a = np.asarray(lq, dtype=float)
    # a published 0 has no LQ, only its upper bound (drawn as its interval from 0)
    parts = [f"{lab}: {v:.2f}" if not np.isnan(v) else f"{lab}: published as 0, no LQ (below {h:.2f})"
             for lab, v, h in zip(labels, lq_a, np.asarray(hi, dtype=float), strict=True)
             if not (np.isnan(v) and np.isnan(h))]
    alt = (f"Bar chart of business location quotients for {place} by creative sub-sector, "
           "relative to England (1 = same concentration), coloured by whether the 95% interval lies above 1, "
           "below 1 or includes 1. " + "; ".join(parts) + ".")
    if png == TEXT_ONLY:
        return _text_only(title, alt)
    from matplotlib.transforms import blended_transform_factory

    with pack_style():
        # as wide as the PDF's text, labels included: 7 in of axes with the labels beyond was scaled to 87%
        # in print, its 8 pt legend printed at 7 pt and its 7 pt notes at 6
        fig, ax = _new_figure((PRINT_WIDTH_IN, 0.45 * max(len(labels), 3) + 1))
        y = np.arange(len(labels))[::-1]
        vals = np.nan_to_num(lq_a, nan=0.0)
        lo_a, hi_a = np.asarray(lo, float), np.asarray(hi, float)
        # coloured by what the interval supports, as the findings are: above, below, or not distinguishable
        kind = np.where(lo_a > 1, 0, np.where(hi_a < 1, 1, 2))
        palette = (LQ_ABOVE, LQ_BELOW, LQ_INCLUDES_ONE)  # the map's orange above 1, its purple below
        names = ("95% interval above 1", "95% interval below 1", "interval includes 1")
        for k in range(3):
            sel = kind == k
            if sel.any():
                # a dark edge: the paler fills (grey 1.9:1, orange 2.9:1 on white) then meet WCAG 1.4.11's 3:1
                ax.barh(y[sel], vals[sel], color=palette[k], label=names[k], edgecolor=BAR_EDGE, linewidth=0.6)
        hi_v = np.nan_to_num(hi_a, nan=0.0)
        right = lq_axis_limit(vals, hi_v)
        err_lo = np.clip(vals - np.nan_to_num(lo_a, nan=0.0), 0, None)
        err_hi = np.clip(np.minimum(hi_v, right) - vals, 0, None)
        ax.errorbar(vals, y, xerr=[err_lo, err_hi], fmt="none", ecolor=OKABE_ITO[7], capsize=2, lw=0.8)
        for yy, h in zip(y, hi_v, strict=True):  # an interval cut at the axis says where it ends
            if h > right:
                ax.annotate(f"to {h:.1f} \u2192", (right, yy), xytext=(-2, 3), textcoords="offset points",
                            ha="right", va="bottom", fontsize=7, color=OKABE_ITO[7])
        ax.set_xlim(0, right * 1.02)
        ax.axvline(1.0, color=OKABE_ITO[5], lw=1, ls="--")
        _fit_width(fig, ax, _category_labels(ax, y, list(labels)))
        # centred on the figure (on the axes, narrower than the three entries, it stood out past the right)
        ax.legend(frameon=False, fontsize=8, loc="upper center", bbox_to_anchor=(0.5, -0.16), ncol=3,
                  bbox_transform=blended_transform_factory(fig.transFigure, ax.transAxes))
        ax.set_xlabel("Location quotient (England = 1)")
        _chart_title(fig, ax, title)
        return _render(fig, title, alt, png)


@drawn_by_worker
def trend_figure(periods: Sequence[str], series: Mapping[str, Sequence[float]], *, what: str,
                 place: str, png: bool | str = True) -> Figure:
    """Lines indexed to the first period = 100, one per series (place first); the index numbers are
    :func:`creative_clusters.indicators.growth.index_numbers`."""
    title = f"{what}, {periods[0]} = 100"
    alt_bits = []
    for name, vals in series.items():
        last = index_numbers(vals)[-1]
        if not np.isnan(last):
            alt_bits.append(f"{name} {last:.1f} in {periods[-1]}")
    alt = (f"Line chart of {what.lower()} for {place}, indexed to {periods[0]} = 100: "
           + "; ".join(alt_bits) + ".")
    if png == TEXT_ONLY:
        return _text_only(title, alt)
    with pack_style():
        fig, ax = _new_figure((7, 3.2))
        x = np.arange(len(periods))
        for k, (name, vals) in enumerate(series.items()):
            ax.plot(x, index_numbers(vals), marker="o", color=OKABE_ITO[[4, 0, 2, 6][k % 4]],
                    ls=["-", "--", ":", "-."][k % 4], label=name)
        # at most 8 year labels (the latest always among them): 16 years side by side run together
        step = -(-len(periods) // 8)
        shown = list(range(len(periods) - 1, -1, -step))[::-1]
        _year_labels(ax, shown, [str(periods[i]) for i in shown])
        ax.set_ylabel(f"Index ({periods[0]} = 100)")
        ax.set_title(title, y=1.0)  # a fixed position: skips matplotlib's costly automatic title placement
        ax.legend(frameon=False)
        return _render(fig, title, alt, png)


@drawn_by_worker
def percentile_figure(table: pd.DataFrame, *, place: str, png: bool | str = True) -> Figure:
    """Dot plot of percentiles (all places, peers) per indicator; gaps marked 'no data'."""
    title = f"Growth-potential benchmark: percentiles, {place}"
    t = table.reset_index(drop=True)
    ok = t[t["status"] == "ok"]
    n_gap = len(t) - len(ok)
    alt = (f"Dot plot of {len(ok)} indicator{'s' if len(ok) != 1 else ''} for {place} as percentiles against "
           f"all places and against peers (100 = best); {n_gap} indicator{'s have' if n_gap != 1 else ' has'} "
           "no data. "
           + "; ".join(f"{r.label}: {_pct_text(r.pct_all)}" for r in ok.itertuples()) + ".")
    if png == TEXT_ONLY:
        return _text_only(title, alt)
    from matplotlib.transforms import blended_transform_factory

    with pack_style():
        # Designed at the size it prints (the PDF's text width, within its 175 mm height cap): drawn 6 in wide
        # with the labels beyond and 0.36 in a row, it was scaled to 74% and its 7.5 pt labels printed at 5.5 pt.
        # Labels wrap at 50 characters (a two-line label is rare), and a row is as tall as its label needs.
        labels = [_two_lines(str(x), 50) for x in t["label"]]
        half = np.array([lab.count("\n") + 1 for lab in labels]) * (PCT_FONT * 1.2 / 72) / 2  # inches
        pitch = np.maximum(PCT_ROW_IN, half[:-1] + half[1:] + 3 / 72)  # centre to centre, 3 pt between labels
        at = np.concatenate([[0.0], np.cumsum(pitch)])  # each row's distance below the first, in inches
        edge = max(float(half.max()), PCT_ROW_IN / 2)
        rows = float(at[-1]) + 2 * edge
        top, bottom = 0.3, 0.8  # the title; the percentile axis, its title and the legend
        height = rows + top + bottom
        fig, ax = _new_figure((PRINT_WIDTH_IN, height))
        ax.set_position((0.4, bottom / height, 0.55, rows / height))  # its left and width set by the labels
        y = at[-1] - at  # in inches, the first row at the top
        for yi, r in zip(y, t.itertuples(), strict=True):
            if r.status != "ok":
                ax.text(50, yi, "no data (gap)", va="center", ha="center", fontsize=PCT_FONT, color="#555555")
            elif _pct_text(r.pct_all) == _pct_text(getattr(r, "pct_peers", float("nan"))) == "not ranked":
                # a value but no rank (an area's total among single local authorities): said, not an empty row
                ax.text(50, yi, "not ranked", va="center", ha="center", fontsize=PCT_FONT, color="#555555")
        ax.scatter(t["pct_all"], y, color=OKABE_ITO[4], marker="o", label="All places", zorder=3)
        ax.scatter(t["pct_peers"], y, color=OKABE_ITO[0], marker="D", label="Peers", zorder=3)
        ax.axvline(50, color="#999999", lw=0.8, ls=":")
        ax.set_xlim(0, 100)
        ax.set_ylim(-edge, float(at[-1]) + edge)  # the first and last rows clear the axes
        _fit_width(fig, ax, _category_labels(ax, y, labels, fontsize=PCT_FONT))
        ax.set_xlabel("Percentile (100 = best)")
        _chart_title(fig, ax, title)
        ax.legend(frameon=False, loc="upper center", bbox_to_anchor=(0.5, (bottom - 0.48) / height), ncol=2,
                  bbox_transform=blended_transform_factory(fig.transFigure, fig.transFigure))
        return _render(fig, title, alt, png)


#: The outline of the LQ bars (and their legend keys): 12.6:1 on white, so each bar is told from the page by
#: more than its fill (the "includes 1" grey is 1.9:1, the "above 1" orange 2.9:1).
BAR_EDGE = "#333333"

#: A figure's width (inches) when it should print at its own size in the PDF: with savefig's padding its tight
#: SVG is at most about 7 in (504 pt), within the text width (A4 less 15 mm margins: 180 mm, 510 pt).
PRINT_WIDTH_IN = 6.8

#: The benchmark dot plot's label size (points) and least distance between its rows (inches).
PCT_FONT = 7.5
PCT_ROW_IN = 0.19


def _fit_width(fig: Any, ax: Any, labels: Sequence[Any], *, right: float = 0.2) -> None:
    """Set a horizontal chart's axes so its category labels and the axes fill the figure's width.

    Parameters
    ----------
    fig, ax : matplotlib Figure and Axes
        The chart.
    labels : sequence of matplotlib.text.Text
        The category labels left of the axes (:func:`_category_labels`).
    right : float
        Room (inches) kept right of the axes, for the last tick label.
    """
    renderer = fig.canvas.get_renderer()
    widest = max((t.get_window_extent(renderer).width for t in labels), default=0.0) / fig.dpi
    width = float(fig.get_size_inches()[0])
    pos = ax.get_position()
    left = (widest + CATEGORY_GAP_PT / 72 + 0.02) / width
    ax.set_position((left, pos.y0, 1 - left - right / width, pos.height))


def _category_labels(ax, y: Any, labels: Sequence[str], *, fontsize: float | None = None) -> list[Any]:
    """Label the categories of a horizontal chart at ``y`` (data) left of the axes, as plain text.

    Looks like ``ax.set_yticks(y, labels)`` without tick marks, at a fraction of
    its cost: matplotlib builds two lines and two texts per tick and lays every
    tick out again for the tight box (about 2 ms a tick; a 26-row benchmark plot
    spent a third of its time there). The labels count in the figure's tight box
    like tick labels do.
    """
    from matplotlib.transforms import ScaledTranslation

    ax.set_yticks([])
    ax.tick_params(axis="y", length=0)
    # x at the axes' left edge less a gap in points, y in data (so the labels follow the axes when moved)
    trans = ax.get_yaxis_transform() + ScaledTranslation(-CATEGORY_GAP_PT / 72, 0, ax.figure.dpi_scale_trans)
    return [ax.text(0, yi, lab, transform=trans, ha="right", va="center", fontsize=fontsize, clip_on=False)
            for yi, lab in zip(y, labels, strict=True)]


def _chart_title(fig: Any, ax: Any, title: str) -> None:
    """The title of a chart set by :func:`_fit_width`: centred on the figure, not on the axes (over narrower
    axes a long title stood out past the figure's right edge, and the figure printed smaller), and wrapped to
    the figure's width. A fixed position: skips matplotlib's costly automatic title placement.

    Parameters
    ----------
    fig, ax : matplotlib Figure and Axes
        The chart, its axes placed.
    title : str
        The title.
    """
    pos = ax.get_position()
    chars = int(float(fig.get_size_inches()[0]) * 72 / (0.6 * TITLE_PT))  # 0.6 em a character, at most
    ax.set_title("\n".join(textwrap.wrap(title, chars)), y=1.0, x=(0.5 - pos.x0) / pos.width)


#: A chart title's size (points), as ``axes.titlesize`` in the figures' settings.
TITLE_PT = 10.0


#: Space (points) between a category label and its chart's axes.
CATEGORY_GAP_PT = 4.0


def _year_labels(ax, x: Sequence[int], labels: Sequence[str]) -> None:
    """Label the years of a time axis at ``x`` (data) below the axes, as plain text with short tick marks.

    Looks like ``ax.set_xticks(x, labels)`` at a fraction of its cost (see
    :func:`_category_labels`); the years need no axis title.
    """
    ax.set_xticks([])
    trans = ax.get_xaxis_transform()  # x in data, y in axes fraction
    mx = np.repeat(np.asarray(x, dtype=float), 3)
    mx[2::3] = np.nan  # one line broken into a mark per year: one artist for every mark
    my = np.tile([0.0, -0.015, np.nan], len(x))
    ax.plot(mx, my, transform=trans, color="black", lw=0.8, clip_on=False)
    for xi, lab in zip(x, labels, strict=True):
        ax.text(xi, -0.03, lab, transform=trans, ha="center", va="top", clip_on=False)


def _two_lines(label: str, width: int = 34) -> str:
    """A label wrapped to ``width`` characters a line, widened as needed to stay on two lines.

    >>> _two_lines("Residents in employment in creative industry divisions (%, Census 2021)").count("\\n")
    1
    >>> _two_lines("Business birth rate (%)")
    'Business birth rate (%)'
    """
    lines = textwrap.wrap(label, width)
    while len(lines) > 2:
        width += 4
        lines = textwrap.wrap(label, width)
    return "\n".join(lines)


def _pct_text(v: float) -> str:
    """A percentile for alt text: 'not ranked' when there is none (never 'nan')."""
    return "not ranked" if v is None or (isinstance(v, float) and np.isnan(v)) else f"{v:.0f}"
