"""Turning a drawn pack figure into what the renderers embed: SVG for HTML/PDF, PNG for Word.

SVG output is deterministic (fixed ``svg.hashsalt``, no date metadata, text
kept as text, ids unique per figure). Every figure function returns a
:class:`~creative_clusters.reporting.pack_types.Figure` ``{title, alt, svg, png_base64}``.

Figures are made with matplotlib's object API (:class:`matplotlib.figure.Figure`
on an Agg canvas), never through ``pyplot``: no global figure registry to
close figures from, and nothing of pyplot's state on the pack's path.
"""

from __future__ import annotations

import base64
import hashlib
import io
import re
from typing import Any

from creative_clusters.reporting.figure_style import pack_style
from creative_clusters.reporting.pack_types import Figure, PackContext

__all__ = ["HALO_WIDTH", "TEXT_ONLY", "finish_pngs", "halo", "png_of", "warm_up"]


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
        with _halos_as_text(fig):
            fig.savefig(buf, format="svg", metadata={"Date": None, "Creator": None})
    finally:
        fig.canvas.mpl_disconnect(cid)
    import matplotlib

    pad = float(matplotlib.rcParams["savefig.pad_inches"])
    bb = box["bbox"].padded(pad)
    fig._cc_bbox = bb
    height = float(fig.get_size_inches()[1])
    x0, y0, w, h = 72 * bb.x0, 72 * (height - bb.y1), 72 * bb.width, 72 * bb.height
    return re.sub(r'<svg([^>]*?) width="[^"]*" height="[^"]*" viewBox="[^"]*"',
                  lambda m: (f'<svg{m.group(1)} width="{w:.6f}pt" height="{h:.6f}pt" '
                             f'viewBox="{x0:.6f} {y0:.6f} {w:.6f} {h:.6f}"'),
                  _HALO_GROUP.sub(_halo_behind, buf.getvalue()), count=1)


#: The halo round a map label (:func:`halo`'s stroke, in points): in the SVG, a white outlined copy of the
#: label's ``<text>`` under it (:func:`_halos_as_text`); in the PNG, matplotlib's path effect of that width.
HALO_WIDTH = 2.2


def halo() -> Any:
    """The white halo a map label is drawn with (``path_effects=[halo()]``).

    matplotlib writes a text with a path effect to SVG as the outlines of its
    glyphs, twice (the halo, then the letters): 13 area names were 180 kB of a
    map's 250 kB and a tenth of a second of the PDF's drawing, and the names
    were not text a reader could select or search. :func:`_tight_svg` writes
    each such label as text instead, with a white outlined copy beneath it: the
    same picture (the copy's stroke is the effect's).
    """
    from matplotlib import patheffects

    effect = patheffects.withStroke(linewidth=HALO_WIDTH, foreground="white")
    effect._cc_halo = True  # type: ignore[attr-defined]  # what _halos_as_text looks for
    return effect


_HALO_GID = "cc-halo-"
_HALO_GROUP = re.compile(r'(<g id="' + _HALO_GID + r'\d+">\s*)(<text\b[^>]*\bstyle=")([^"]*)("[^>]*>.*?</text>)',
                         re.S)


class _halos_as_text:
    """While the figure is saved as SVG, each text drawn with only :func:`halo` is drawn plain, in a group
    whose id marks it (``cc-halo-N``), for :func:`_halo_behind` to put the halo under it as text."""

    def __init__(self, fig: Any) -> None:
        self.texts = list(fig.findobj(_is_halo_text))

    def __enter__(self) -> None:
        self.saved = [(t.get_path_effects(), t.get_gid()) for t in self.texts]
        for n, t in enumerate(self.texts):
            t.set_path_effects([])
            t.set_gid(f"{_HALO_GID}{n}")

    def __exit__(self, *exc: object) -> None:
        for t, (effects, gid) in zip(self.texts, self.saved, strict=True):
            t.set_path_effects(effects)
            t.set_gid(gid)


def _is_halo_text(artist: Any) -> bool:
    from matplotlib.text import Text

    effects = artist.get_path_effects() if isinstance(artist, Text) else []
    return len(effects) == 1 and getattr(effects[0], "_cc_halo", False) and artist.get_gid() is None


def _halo_behind(m: re.Match[str]) -> str:
    """A halo-marked label's group with a white outlined copy of its ``<text>`` before (under) it.

    Examples
    --------
    >>> svg = '<g id="cc-halo-0">\\n <text style="font: 7.5px \\'DejaVu Sans\\'; fill: #111111" x="1">Leeds</text>'
    >>> under, over = re.findall(r'style="([^"]*)"', _HALO_GROUP.sub(_halo_behind, svg))
    >>> under
    "font: 7.5px 'DejaVu Sans'; fill: #ffffff; stroke: #ffffff; stroke-width: 2.2; stroke-linejoin: round"
    >>> over
    "font: 7.5px 'DejaVu Sans'; fill: #111111"
    """
    head, open_style, style, rest = m.groups()
    plain = re.sub(r";?\s*fill:\s*[^;]*", "", style).strip("; ")
    under = f"{plain}; fill: #ffffff; stroke: #ffffff; stroke-width: {HALO_WIDTH:g}; stroke-linejoin: round"
    return f"{head}{open_style}{under}{rest}{open_style}{style}{rest}"


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
    import matplotlib

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
                f["png_base64"] = png_of(fig)


def png_of(fig: Any) -> str:
    """The PNG (base64) of a figure kept by ``png="defer"``, drawn in the pack's style."""
    with pack_style():
        return _png(fig)


def warm_up() -> None:
    """Import what drawing a pack figure needs (matplotlib's figure, Agg canvas and SVG writer; the pack's
    chart and map modules) and install the text metrics: what the first figure of a process would pay."""
    import matplotlib.backends.backend_agg
    import matplotlib.backends.backend_svg
    import matplotlib.figure  # noqa: F401

    from creative_clusters.reporting import _text_metrics, charts, maps  # noqa: F401

    _text_metrics.install()


def _attr(s: str) -> str:
    return s.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;").replace(">", "&gt;")
