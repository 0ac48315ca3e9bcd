"""One cache of text sizes for every figure of a process (matplotlib keeps one per renderer).

matplotlib measures each text it lays out (width, height, descent) through
``matplotlib.text._get_text_metrics_with_cache``, which caches per renderer:
every figure, drawn on a new renderer, measures its texts again. The pack's
figures repeat the same texts from place to place (the benchmark's 27
indicator labels, the sub-sector names, axis titles, source lines), and
FreeType's layout of a label takes about half a millisecond: measured on 25
LAD packs, 0.9 s of the benchmark dot plots' 4 s went to it.

:func:`install` wraps that function so that a measurement made on one SVG or
Agg renderer serves every later renderer of the same kind, resolution and
text settings. The size of a text is a pure function of those (and of the
text and its font properties), so figures are byte for byte the same
(tested); other renderers, and TeX, go to matplotlib's own cache unchanged.
Where matplotlib no longer has the function (a future version), nothing is
installed and figures are only slower.

Examples
--------
>>> install()
True
>>> install()  # once per process
True
"""

from __future__ import annotations

from typing import Any

__all__ = ["install"]

#: Measurements kept (a pack has a few hundred texts); past this the cache starts again.
MAX_ENTRIES = 50_000

_state: dict[str, Any] = {"installed": False}


def install() -> bool:
    """Share measured text sizes across the process's SVG and Agg renderers; True if installed."""
    if _state["installed"]:
        return True
    import inspect

    import matplotlib
    import matplotlib.text as mtext
    from matplotlib.backends.backend_agg import RendererAgg
    from matplotlib.backends.backend_svg import RendererSVG

    own = getattr(mtext, "_get_text_metrics_with_cache", None)
    if own is None or list(inspect.signature(own).parameters) != ["renderer", "text", "fontprop", "ismath", "dpi"]:
        return False
    from matplotlib.backends.backend_mixed import MixedModeRenderer

    kinds = (RendererSVG, RendererAgg)
    sizes: dict[tuple[Any, ...], Any] = {}
    rc = matplotlib.rcParams

    def kind_of(renderer: Any) -> tuple[Any, ...] | None:
        """The renderer's kind and resolution, None for one not shared. ``savefig`` draws an SVG through a
        ``MixedModeRenderer``, which hands every text query to the SVG (or, rasterising, Agg) renderer it holds."""
        kind = type(renderer)
        if kind in kinds:
            return kind, getattr(renderer, "dpi", None)
        if kind is MixedModeRenderer:
            inner = renderer._renderer
            if type(inner) in kinds:
                return kind, renderer.dpi, type(inner), getattr(inner, "dpi", None)
        return None

    def shared(renderer: Any, text: str, fontprop: Any, ismath: Any, dpi: float) -> Any:
        kind = kind_of(renderer)
        if kind is None or ismath == "TeX":
            return own(renderer, text, fontprop, ismath, dpi)
        key = (kind, text, fontprop.copy(), ismath, dpi, rc["text.hinting"],
               rc["text.hinting_factor"], rc["text.kerning_factor"], rc["mathtext.fontset"])
        got = sizes.get(key)
        if got is None:
            if len(sizes) >= MAX_ENTRIES:
                sizes.clear()
            got = sizes[key] = own(renderer, text, fontprop, ismath, dpi)
        return got

    setattr(mtext, "_get_text_metrics_with_cache", shared)  # noqa: B010 (private in the stubs)
    _state.update(installed=True, own=own, sizes=sizes)
    _install_layouts(mtext, kind_of)
    return True


def _install_layouts(mtext: Any, kind_of: Any) -> None:
    """Share text layouts (``Text._get_layout``) across figures, as the sizes are.

    A layout is the text's box, its lines and their offsets relative to its anchor: a pure function of
    the text, its font properties, alignment, rotation, line spacing, the figure's dpi and the renderer's
    kind and resolution (the text's position is applied after, by the caller). matplotlib computes it
    again at every draw and every bounding-box query: a pack figure's texts are laid out about three
    times each (draw, tight box, label placement), each time looking the font up again and reading its
    tables (0.1 ms), and the same labels recur from place to place. Texts whose layout depends on
    anything else (wrapped to the figure, TeX, mathtext, rotated with their transform) go to
    matplotlib's own method; the layout returned is a fresh copy each time.
    """
    import matplotlib
    from matplotlib.transforms import Bbox

    own = getattr(mtext.Text, "_get_layout", None)
    if own is None or _state.get("own_layout") is not None:
        return
    # the private attributes read below are matplotlib 3.10's and 3.11's (tested byte for byte); any other
    # version keeps its own layout
    if tuple(int(x) for x in matplotlib.__version__.split(".")[:2]) not in ((3, 10), (3, 11)):
        return
    import inspect

    if list(inspect.signature(own).parameters) != ["self", "renderer"]:
        return
    layouts: dict[tuple[Any, ...], Any] = {}
    rc: Any = matplotlib.rcParams
    fonts = ("font.serif", "font.sans-serif", "font.cursive", "font.fantasy", "font.monospace")

    def layout(self: Any, renderer: Any) -> Any:
        kind = kind_of(renderer)
        text = self._text
        if kind is None or self._wrap or self._usetex or self._transform_rotates_text or "$" in text:
            return own(self, renderer)
        key = (kind, text, self._fontproperties.copy(),
               self.get_figure(root=True).dpi, self._linespacing, self._multialignment,
               self._horizontalalignment, self._verticalalignment, self._rotation, self._rotation_mode,
               self._parse_math, rc["text.hinting"], rc["text.hinting_factor"], rc["text.kerning_factor"],
               rc["mathtext.fontset"], tuple(tuple(rc[f]) for f in fonts))
        got = layouts.get(key)
        if got is None:
            if len(layouts) >= MAX_ENTRIES:
                layouts.clear()
            box, lines, corner = own(self, renderer)
            got = layouts[key] = (box.get_points().copy(), tuple(lines), corner)
        points, lines, corner = got
        return Bbox(points.copy()), list(lines), corner

    mtext.Text._get_layout = layout
    _state.update(own_layout=own, layouts=layouts)
