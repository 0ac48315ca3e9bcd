"""Charts and maps for the pack (matplotlib): SVG for HTML/PDF, PNG for Word.

Accessible by default: every figure has a title, axis labels and alt text,
and uses the Okabe-Ito colour-blind-safe palette. SVG output is
deterministic (fixed ``svg.hashsalt``, no date metadata, text kept as text).
Every function returns a dict ``{title, alt, svg, png_base64}``.

Figures are made with matplotlib's object API (:class:`matplotlib.figure.Figure`
on an Agg canvas), never through ``pyplot``: no global figure registry to
close figures from, and nothing of pyplot's state on the pack's path.
"""

from __future__ import annotations

import base64
import hashlib
import io
import re
import textwrap
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any

import matplotlib

matplotlib.use("Agg")  # geopandas' plotting imports pyplot: never an interactive backend
import numpy as np
import pandas as pd

from creative_clusters._map_style import NO_DATA
from creative_clusters.indicators.growth import index_numbers
from creative_clusters.reporting.pack_types import Figure, PackContext

__all__ = [
    "LQ_ABOVE",
    "LQ_BELOW",
    "LQ_CMAP",
    "LQ_INCLUDES_ONE",
    "OKABE_ITO",
    "finish_pngs",
    "lq_bar_figure",
    "microcluster_map_figure",
    "percentile_figure",
    "place_map_figure",
    "trend_figure",
]

#: Okabe & Ito (2008) colour-blind-safe palette.
OKABE_ITO = ("#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00", "#CC79A7", "#000000")

#: The diverging scale of every LQ map, centred on 1: purple below, white at 1, orange above (ColorBrewer PuOr).
LQ_CMAP = "PuOr_r"


def _lq_scale_colour(at: float) -> str:
    from matplotlib.colors import to_hex

    return str(to_hex(matplotlib.colormaps[LQ_CMAP](at)))


#: What an LQ bar's colour means, in the map's own colours (one definition: the bars and the map cannot
#: disagree): above 1 is the scale's orange, below 1 its purple, each as far from the scale's white centre;
#: an interval that includes 1 is a grey that is not on the scale.
LQ_ABOVE = _lq_scale_colour(0.8)
LQ_BELOW = _lq_scale_colour(0.2)
LQ_INCLUDES_ONE = "#bbbbbb"

_RC: dict[Any, Any] = {  # matplotlib types its keys as a Literal of rc names
    "svg.hashsalt": "creative-clusters",
    "svg.fonttype": "none",
    "font.family": "DejaVu Sans",
    "font.size": 9,
    "axes.titlesize": 10,  # TITLE_PT
    "axes.spines.top": False,
    "axes.spines.right": False,
}


#: ``png=TEXT_ONLY``: build the title and alt text only, draw nothing (the pack linter reads the text).
TEXT_ONLY = "text"


def _new_figure(figsize: tuple[float, float]) -> tuple[Any, Any]:
    """A figure (on its own Agg canvas, outside pyplot) and its one axes, drawn only when it is saved.

    The same figure as ``pyplot.subplots(figsize=figsize)`` (every default from
    the rcParams in force), without pyplot's figure manager and registry, so
    nothing has to be closed. geopandas' ``GeoDataFrame.plot`` ends with
    ``canvas.draw_idle()``, a full Agg draw of the figure that nothing here
    displays (about 0.1 s a map, twice per map): the canvas ignores it, so
    only ``savefig`` draws.

    Parameters
    ----------
    figsize : tuple of float
        Width and height in inches.

    Returns
    -------
    tuple
        The :class:`matplotlib.figure.Figure` and its :class:`matplotlib.axes.Axes`.
    """
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure as MplFigure

    from creative_clusters.reporting import _text_metrics

    _text_metrics.install()  # texts measured once per process, not once per figure
    fig = MplFigure(figsize=figsize)
    canvas = FigureCanvasAgg(fig)
    canvas.draw_idle = lambda *args, **kwargs: None  # type: ignore[method-assign]
    return fig, fig.subplots()


def _text_only(title: str, alt: str) -> Figure:
    return {"title": title, "alt": alt, "svg": "", "png_base64": ""}


def _tight_svg(fig) -> str:
    """The figure as SVG cropped to its tight bounding box, in one draw.

    ``savefig(bbox_inches="tight")`` draws a figure twice: once to measure it,
    once to write it (about 60% of a pack figure's time). Here the SVG is drawn
    once at full size; the tight box (matplotlib's own ``get_tightbbox``, with
    the ``savefig.pad_inches`` padding) is measured from that same draw, and the
    SVG's ``width``, ``height`` and ``viewBox`` are set to it: the same picture
    as matplotlib's tight SVG, every element at the same place relative to the
    box (tested). The box is kept on the figure (``_cc_bbox``) so the PNG
    is drawn once too, cropped to the same box.
    """
    box: dict[str, Any] = {}

    def measure(event: Any) -> None:
        box["bbox"] = fig.get_tightbbox(event.renderer)

    cid = fig.canvas.mpl_connect("draw_event", measure)
    try:
        buf = io.StringIO()
        fig.savefig(buf, format="svg", metadata={"Date": None, "Creator": None})
    finally:
        fig.canvas.mpl_disconnect(cid)
    pad = float(matplotlib.rcParams["savefig.pad_inches"])
    bb = box["bbox"].padded(pad)
    fig._cc_bbox = bb
    height = float(fig.get_size_inches()[1])
    x0, y0, w, h = 72 * bb.x0, 72 * (height - bb.y1), 72 * bb.width, 72 * bb.height
    return re.sub(r'<svg([^>]*?) width="[^"]*" height="[^"]*" viewBox="[^"]*"',
                  lambda m: (f'<svg{m.group(1)} width="{w:.6f}pt" height="{h:.6f}pt" '
                             f'viewBox="{x0:.6f} {y0:.6f} {w:.6f} {h:.6f}"'),
                  buf.getvalue(), count=1)


def _render(fig, title: str, alt: str, png: bool | str) -> Figure:
    svg = _tight_svg(fig)
    svg = re.sub(r"<\?xml[^>]*\?>\s*", "", svg)
    svg = re.sub(r"<!DOCTYPE[^>]*>\s*", "", svg)
    svg = _drop_metadata(svg)
    svg = _unique_ids(svg)
    # accessible name for inline SVG
    svg = re.sub(r"<svg ", '<svg role="img" aria-label="' + _attr(alt) + '" ', svg, count=1)
    if png == "defer":  # keep the figure; finish_pngs() draws the PNG later
        return {"title": title, "alt": alt, "svg": svg, "png_base64": "", "_fig": fig}
    png_b64 = _png(fig) if png else ""
    return {"title": title, "alt": alt, "svg": svg, "png_base64": png_b64}


def _unique_ids(svg: str) -> str:
    """``svg`` with every ``id`` (and every ``url(#…)`` / ``href="#…"`` pointing at one) prefixed per figure.

    matplotlib numbers its groups per figure (``figure_1``, ``axes_1``, ``text_1`` …) and names
    markers and clip paths by a hash of their content, so the figures of one HTML page would share
    ids: invalid HTML, and WeasyPrint warns of anchors defined twice. The prefix is a hash of the
    figure's own SVG, so it is deterministic and differs between figures.

    >>> svg = '<defs><path id="m1"/></defs><use xlink:href="#m1"/><g clip-path="url(#m1)"/><a href="#x"/>'
    >>> out = _unique_ids(svg)
    >>> p = re.search(r'id="(f[0-9a-f]{8}-)m1"', out).group(1)
    >>> out == svg.replace('id="m1"', f'id="{p}m1"').replace("#m1", f"#{p}m1")  # "#x" is not an id here: kept
    True
    """
    found = _id_attributes(svg)
    if not found:
        return svg
    ids = {m.group(1) for m in found}
    prefix = "f" + hashlib.sha1(svg.encode("utf-8")).hexdigest()[:8] + "-"
    parts, pos = [], 0
    for m in found:
        parts += [svg[pos:m.start(1)], prefix]
        pos = m.start(1)
    parts.append(svg[pos:])
    svg = "".join(parts)
    svg = _URL_REF.sub(lambda m: f"url(#{prefix}{m.group(1)})" if m.group(1) in ids else m.group(0), svg)
    return _HREF.sub(lambda m: f'href="#{prefix}{m.group(1)}"' if m.group(1) in ids else m.group(0), svg)


# Each pattern starts with a literal, so the scan of a large SVG (a map's is ~130 kB) jumps from one
# candidate to the next instead of trying every position (``\bid=`` or ``\s*<metadata>`` did: ~10 ms a map).
_ID_ATTR = re.compile(r'id="([^"]+)"')
_URL_REF = re.compile(r"url\(#([^)]+)\)")
_HREF = re.compile(r'href="#([^"]+)"')  # also ``xlink:href``: only the part after "#" changes
_METADATA = re.compile(r"<metadata>.*?</metadata>", re.S)


def _id_attributes(svg: str) -> list[re.Match[str]]:
    """The ``id="…"`` attributes of ``svg`` that ``re.finditer(r'\\bid="([^"]+)"', svg)`` finds, in order.

    ``id`` must start a word (not ``xid="…"``); a candidate that does not is
    skipped by one character, as the regular expression's own scan would.

    >>> [m.group(1) for m in _id_attributes('<g id="a"><g xid="b"><g data-id="c">')]
    ['a', 'c']
    """
    out = []
    m = _ID_ATTR.search(svg)
    while m is not None:
        i = m.start()
        if i and (svg[i - 1].isalnum() or svg[i - 1] == "_"):  # what \b sees as a word character
            m = _ID_ATTR.search(svg, i + 1)
            continue
        out.append(m)
        m = _ID_ATTR.search(svg, m.end())
    return out


def _drop_metadata(svg: str) -> str:
    """``svg`` without its ``<metadata>`` blocks and the whitespace before each, exactly as
    ``re.sub(r"\\s*<metadata>.*?</metadata>", "", svg, flags=re.S)``.

    >>> _drop_metadata('<svg>\\n  <metadata>x</metadata>\\n <g/>  <metadata>y\\n</metadata></svg>')
    '<svg>\\n <g/></svg>'
    """
    parts, pos = [], 0
    for m in _METADATA.finditer(svg):
        parts.append(svg[pos:m.start()].rstrip())
        pos = m.end()
    if not parts:
        return svg
    parts.append(svg[pos:])
    return "".join(parts)


def _png(fig) -> str:
    pbuf = io.BytesIO()
    # The tight box measured when the SVG was drawn (one draw, not two), else matplotlib's.
    # Agg hints its glyphs, so its text is up to about 1% wider than the SVG's measure:
    # the PNG gets the padding once more so a long label is never clipped.
    bbox = getattr(fig, "_cc_bbox", None)
    if bbox is not None:
        bbox = bbox.padded(float(matplotlib.rcParams["savefig.pad_inches"]))
    fig.savefig(pbuf, format="png", dpi=150, bbox_inches=bbox or "tight", metadata={"Software": None})
    return base64.b64encode(pbuf.getvalue()).decode("ascii")


def finish_pngs(ctx: PackContext, *, draw: bool = True) -> None:
    """Draw (or, with ``draw=False``, just close) the PNGs of figures built with ``png="defer"``.

    Lets a caller hand the SVG-only HTML to the PDF renderer first and draw the
    PNGs Word needs afterwards, from the same figures (so nothing is drawn twice).
    """
    for sec in ctx.get("sections", []):
        for f in sec.get("figures", []):
            fig = f.pop("_fig", None)  # dropped either way: no registry holds it
            if fig is not None and draw:
                with matplotlib.rc_context(_RC):
                    f["png_base64"] = _png(fig)


def _attr(s: str) -> str:
    return s.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;").replace(">", "&gt;")


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


def lq_bar_figure(labels: Sequence[str], lq: Sequence[float], lo: Sequence[float], hi: Sequence[float],
                  *, place: str, png: bool | str = True) -> Figure:
    """Horizontal bars of business LQ by sub-sector with 95% intervals and a line at 1."""
    title = f"Creative business location quotients by sub-sector, {place}"
    lq_a = np.asarray(lq, dtype=float)
    parts = [f"{lab}: {v:.2f}" for lab, v in zip(labels, lq_a, strict=True) if not np.isnan(v)]
    alt = (f"Bar chart of business location quotients for {place} by creative sub-sector, "
           "relative to England (1 = same concentration), coloured by whether the 95% interval lies above 1, "
           "below 1 or includes 1. " + "; ".join(parts) + ".")
    if png == TEXT_ONLY:
        return _text_only(title, alt)
    from matplotlib.transforms import blended_transform_factory

    with matplotlib.rc_context(_RC):
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
                ax.barh(y[sel], vals[sel], color=palette[k], label=names[k])
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
    with matplotlib.rc_context(_RC):
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

    with matplotlib.rc_context(_RC):
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


#: How a map draws an area that has no value (never a colour of the LQ scale: its white is LQ 1): the
#: package's one no-data style (:data:`creative_clusters._map_style.NO_DATA`, also on the exported and web maps).
NO_VALUE_STYLE: dict[str, Any] = {"facecolor": NO_DATA.fill, "edgecolor": NO_DATA.hatch_colour, "hatch": NO_DATA.hatch,
                                  "lw": 0.4}


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
    from matplotlib import patheffects
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
    with matplotlib.rc_context(_RC):
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
                         patheffects.withStroke(linewidth=2.2, foreground="white"), avoid=scale,
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


def _area_labels(fig, ax, g, inside, halo, avoid: Sequence[Any] = (), first: Any = None, second: Any = None,
                 key: list[str] | None = None) -> int:
    """Name the areas of a map, each label inside the map's frame and clear of the others.

    The place's own areas first (those in ``first`` before the rest: the area a travel-to-work area is named
    after), then those in ``second`` (its neighbours), then the others where the name fits inside the area,
    each group the larger before the smaller. A label is slid inside the frame where it would cross it
    ("Redcar and Cleveland" ran past the North East map's right edge) and keeps ``LABEL_GAP_PT`` from every
    other label and from ``avoid`` (the scale bar). A label that would overlap one already placed is left
    out (a combined authority's boroughs and their neighbours ran into each other), except that one of the
    place's own is first tried elsewhere within its area (Wokingham's label covered Reading, and Reading's
    was left out). With ``key`` (a list, filled here), one of the place's own areas or of ``second`` whose
    name finds no room gets a number on the map instead and its entry ``"3 Darlington"`` in ``key``, so it is
    named under the map rather than dropped; without, its label may touch the others as a last resort.

    Parameters
    ----------
    fig, ax : matplotlib Figure and Axes
        The map's figure and axes, the limits and aspect set.
    g : GeoDataFrame
        The areas drawn, with ``geo_name``.
    inside : pandas.Series of bool
        The place's own areas.
    halo : matplotlib.patheffects.AbstractPathEffect
        The white halo drawn round each label.
    avoid : sequence of matplotlib artists
        What the labels keep clear of, e.g. the scale bar and its label.
    first, second : array-like of bool, optional
        The place's areas named first; the areas always named (the neighbours; all when omitted).
    key : list of str, optional
        Filled with the entries of the numbered areas' key.

    Returns
    -------
    int
        How many areas were left out (neither labelled nor numbered).
    """
    from matplotlib.transforms import Bbox

    ax.apply_aspect()  # the final limits, so each label's extent is where it will be drawn
    renderer = fig.canvas.get_renderer()
    pts = g.representative_point()
    xs, ys = pts.x.to_numpy(float), pts.y.to_numpy(float)
    names, shapes = [str(n) for n in g["geo_name"]], list(g.geometry)
    area = g.geometry.area.to_numpy()
    own = inside.to_numpy(bool)
    lead = np.zeros(len(g), bool) if first is None else np.asarray(first, bool)
    near = np.ones(len(g), bool) if second is None else np.asarray(second, bool)
    linear = ax.transData.get_affine().get_matrix()[:2, :2]  # data -> display (the map's axes are linear)
    to_data = np.linalg.inv(linear)
    gap = LABEL_GAP_PT * fig.dpi / 72
    edge = fig.dpi / 72  # labels stay a point inside the frame
    frame = ax.get_window_extent().extents + np.array([edge, edge, -edge, -edge])
    # the extents (x0, y0, x1, y1) of what is placed, e.g. the scale bar and its label first
    placed = np.array([a.get_window_extent(renderer).extents for a in avoid], float).reshape(-1, 4)
    # with a key, each of the place's own areas keeps room for its number at its centre until it is named:
    # "Redcar and Cleveland" covered Middlesbrough, and Newcastle upon Tyne North Tyneside, leaving no room
    held = np.zeros((len(g), 4))
    if key is not None and own.any():
        half = 0.5 * (7.5 + 2 * BADGE_PAD * 7.5) * fig.dpi / 72
        held = np.tile(ax.transData.transform(np.column_stack([xs, ys])), 2) + np.array([-half, -half, half, half])
    holding = own.copy() if key is not None else np.zeros(len(g), bool)

    def place(text: str, i: int, spots: Iterator[tuple[tuple[float, float], float]], style: dict[str, Any],
              badge: bool = False) -> bool:
        nonlocal placed
        centre = (xs[i], ys[i])
        t = ax.annotate(text, centre, **style)
        at = np.asarray(t.get_window_extent(renderer).extents)  # measured once; elsewhere the same box, moved
        if badge:  # the circle round a number: a square as wide as the circle
            mid, half = (at[:2] + at[2:]) / 2, max(at[2] - at[0], at[3] - at[1]) / 2 + BADGE_PAD * style[
                "fontsize"] * fig.dpi / 72
            at = np.concatenate([mid - half, mid + half])
        origin = linear @ centre
        for xy, spot_gap in spots:
            d = linear @ xy - origin
            slide = _into_frame(at + np.array([d[0], d[1], d[0], d[1]]), frame)
            box = at + np.array([d[0] + slide[0], d[1] + slide[1], d[0] + slide[0], d[1] + slide[1]])
            others = np.vstack([placed, held[holding & (np.arange(len(g)) != i)]])
            hit = ((others[:, 0] <= box[2] + spot_gap) & (box[0] - spot_gap <= others[:, 2])  # Bbox.overlaps,
                   & (others[:, 1] <= box[3] + spot_gap) & (box[1] - spot_gap <= others[:, 3]))  # padded
            # with a key to number it instead, a label slid in from the frame's edge must still lie mostly on
            # its area ("Redcar and Cleveland", slid in whole, covered Middlesbrough)
            if not hit.any() and ((near[i] and (key is None or not slide.any()))
                                  or _fits(ax, Bbox.from_extents(*box), shapes[i])):
                d = d + slide
                placed = np.vstack([placed, box])
                holding[i] = False
                if d.any():
                    t.remove()
                    ax.annotate(text, tuple(np.asarray(centre) + to_data @ d), **style)
                return True
        t.remove()
        return False

    dropped, unmarked = 0, []
    for i in sorted(range(len(g)), key=lambda k: (not own[k], not lead[k], not near[k], -area[k])):
        centre = (xs[i], ys[i])
        if not near[i] and _too_small(ax, shapes[i], centre, names[i], 6.5):
            continue  # an area beyond the neighbours whose name could not sit on it: not measured, not named
        style = {"ha": "center", "va": "center", "fontsize": 7.5 if own[i] else 6.5,
                 "fontweight": "bold" if own[i] else "normal", "color": "#111111", "path_effects": [halo]}
        if place(names[i], i, _label_spots(shapes[i], centre, gap, touching=key is None) if own[i]
                 else iter([(centre, gap)]), style):
            continue
        if key is not None and near[i]:  # too crowded for its name: a number, named in the key under the map
            number = str(sum(e[0].isdigit() for e in key) + 1)
            badge = {**style, "path_effects": [], "bbox": {"boxstyle": f"circle,pad={BADGE_PAD}", "fc": "white",
                                                           "ec": "#111111", "lw": 0.6}}
            if place(number, i, _label_spots(shapes[i], centre, gap, touching=True), badge, badge=True):
                key.append(f"{number} {names[i]}")
            else:  # not even a number finds room: still named, under the map
                unmarked.append(names[i])
                holding[i] = False
            continue
        dropped += 1
    if unmarked and key is not None:
        key.append("too small to mark: " + ", ".join(unmarked))
    return dropped


#: Padding of the circle round an area's number, in ems of its font.
BADGE_PAD = 0.25


#: Space (points) kept around each map label: two names that touch read as one ("ReadingWokingham"), and
#: 2 pixels (1.4 pt, less than the labels' white halo) left "County Durham" running into "Hartlepool".
LABEL_GAP_PT = 4.0


def _into_frame(box: np.ndarray, frame: np.ndarray) -> np.ndarray:
    """The shift (display units) that brings the extent ``box`` (x0, y0, x1, y1) inside ``frame``; a box
    wider or taller than the frame is aligned on its left or bottom side.

    >>> _into_frame(np.array([90.0, 5, 110, 15]), np.array([0.0, 0, 100, 100])).tolist()
    [-10.0, 0.0]
    >>> _into_frame(np.array([-5.0, 95, 20, 105]), np.array([0.0, 0, 100, 100])).tolist()
    [5.0, -5.0]
    """
    lo = np.maximum(frame[:2] - box[:2], 0.0)
    hi = np.minimum(frame[2:] - box[2:], 0.0)
    return np.where(lo > 0, lo, hi)


def _too_small(ax: Any, shape: Any, centre: tuple[float, float], name: str, points: float) -> bool:
    """True when no label ``name`` at ``points``, centred on ``centre``, can pass :func:`_fits` on ``shape``:
    told from a short estimate of the label (0.45 em a character, one line high), so no text is measured. To
    lie half on the shape the label needs the shape at least half as wide and half as high as itself, and
    half its area; to lie within the frame its centre must be half its width from the frame's sides."""
    b = shape.bounds
    (x0, y0), (x1, y1), (cx, cy) = ax.transData.transform([b[:2], b[2:], centre])
    em = points * ax.figure.dpi / 72
    w, h = 0.45 * em * len(name), em
    frame = ax.get_window_extent()
    px2 = abs(float(np.linalg.det(ax.transData.get_affine().get_matrix()[:2, :2])))  # display px² per data unit²
    return (abs(x1 - x0) < 0.5 * w or abs(y1 - y0) < 0.5 * h or shape.area * px2 < 0.5 * w * h
            or cx - w / 2 < frame.x0 or cx + w / 2 > frame.x1 or cy - h / 2 < frame.y0 or cy + h / 2 > frame.y1)


def _fits(ax: Any, box: Any, shape: Any) -> bool:
    """True when the label extent ``box`` (display units) lies within the map's frame and mostly (at least
    half) on ``shape``: an area beyond the place's neighbours is named only where its name sits on it, so
    the frame's crowded edges do not fill up with names of areas cut by it."""
    from shapely.geometry import box as data_box

    if not ax.get_window_extent().contains(box.x0, box.y0) or not ax.get_window_extent().contains(box.x1, box.y1):
        return False
    (x0, y0), (x1, y1) = ax.transData.inverted().transform([(box.x0, box.y0), (box.x1, box.y1)])
    label = data_box(min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1))
    return bool(label.area > 0 and shape.intersection(label).area >= 0.5 * label.area)


def _label_spots(shape: Any, centre: tuple[float, float], gap: float,
                 touching: bool = True) -> Iterator[tuple[tuple[float, float], float]]:
    """Where one of the place's own names may go, and the gap (display units) it keeps from the others: its
    centre, then anywhere else in its area, ``gap`` apart from the rest; failing that, with ``touching``,
    the same places touching them (the other spots are worked out only when the centre will not do)."""
    yield centre, gap
    inner = _inner_points(shape)
    yield from ((xy, gap) for xy in inner)
    if touching:
        yield centre, 0.0
        yield from ((xy, 0.0) for xy in inner)


def _inner_points(shape: Any, n: int = 9) -> list[tuple[float, float]]:
    """Points inside ``shape`` on an ``n`` by ``n`` grid, the nearest its representative point first: where
    else a label of the area can go.

    >>> from shapely.geometry import box
    >>> pts = _inner_points(box(0, 0, 10, 2), n=3)
    >>> len(pts), pts[0]
    (9, (5.0, 1.0))
    """
    import shapely

    if shape.is_empty:
        return []
    x0, y0, x1, y1 = shape.bounds
    c = shape.representative_point()
    steps = (np.arange(n) + 0.5) / n
    xs, ys = (a.ravel() for a in np.meshgrid(x0 + (x1 - x0) * steps, y0 + (y1 - y0) * steps, indexing="ij"))
    keep = shapely.contains_xy(shape, xs, ys)
    xs, ys = xs[keep], ys[keep]
    order = np.lexsort((ys, xs, np.hypot(xs - c.x, ys - c.y)))
    return [(float(xs[k]), float(ys[k])) for k in order]


def _largest_words(mc: Any) -> str:
    """The biggest microcluster of the map, said the way the section says it: by firms (its area given), and
    the largest in area only when that is another one (the text calls the one with most firms "the largest")."""
    area = mc.area / 1e6
    if "n_firms" not in mc.columns:
        return f"; the largest in area covers {float(area.max()):.1f} km²"
    top = int(mc["n_firms"].to_numpy().argmax())
    out = f"; the one with most firms covers {float(area.iloc[top]):.1f} km²"
    big = int(area.to_numpy().argmax())
    if big != top:
        out += f", the largest in area {float(area.iloc[big]):.1f} km²"
    return out


def microcluster_map_figure(lad_geometry, hulls, *, place: str, png: bool | str = True, source: str = "") -> Figure:
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

    Returns
    -------
    Figure
        The title, alt text, SVG and PNG.
    """
    title = f"Creative microclusters in {place}"
    lad = lad_geometry.to_crs("EPSG:27700") if lad_geometry.crs is not None else lad_geometry
    mc = hulls.to_crs("EPSG:27700") if hulls.crs is not None else hulls
    n = len(mc)
    firms = int(mc["n_firms"].sum()) if "n_firms" in mc.columns and n else None
    alt = (f"Map of {place}'s boundary with {n} creative microcluster{'s' if n != 1 else ''} drawn as "
           "shaded outlines" + (f", holding {firms:,} firms between them" if firms is not None else "")
           + (_largest_words(mc) if n else "") + ".")
    if png == TEXT_ONLY:
        return _text_only(title, alt)
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    with matplotlib.rc_context(_RC):
        fig, ax = _new_figure((6, 6))
        lad.plot(ax=ax, color="#f2f2f2", edgecolor="#555555", lw=0.8)
        handles: list[Any] = [Patch(facecolor="#f2f2f2", edgecolor="#555555", lw=0.8, label=f"{place} boundary")]
        if n:
            mc.plot(ax=ax, color=OKABE_ITO[5], edgecolor=OKABE_ITO[7], lw=0.6, alpha=0.8)
            # mark centroids too: hulls are often too small to see at LAD scale
            c = mc.geometry.centroid
            ax.scatter(c.x, c.y, s=18, facecolor="none", edgecolor=OKABE_ITO[4], lw=1.0, zorder=3)
            handles += [Patch(facecolor=OKABE_ITO[5], edgecolor=OKABE_ITO[7], lw=0.6, alpha=0.8,
                              label="Microcluster (area of its firms)"),
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
