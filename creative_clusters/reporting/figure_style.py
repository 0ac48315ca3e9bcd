"""The look of every pack figure: the colour palettes and matplotlib's settings.

Accessible by default: the Okabe-Ito colour-blind-safe palette for lines and
marks, and one diverging scale for every LQ (the maps' shading and the bars'
colours cannot disagree). matplotlib is imported on the first figure
(:func:`pack_style`), not with this module: a process that has its figures
drawn elsewhere (``reporting.figure_worker``) never pays for it.
"""

from __future__ import annotations

import functools
from typing import Any

__all__ = ["LQ_ABOVE", "LQ_BELOW", "LQ_CMAP", "LQ_INCLUDES_ONE", "OKABE_ITO", "pack_style"]

#: Okabe & Ito (2008) colour-blind-safe palette.
OKABE_ITO = ("#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00", "#CC79A7", "#000000")

#: The diverging scale of every LQ map, centred on 1: purple below, white at 1, orange above (ColorBrewer PuOr).
LQ_CMAP = "PuOr_r"


def _lq_scale_colour(at: float) -> str:
    """The colour of :data:`LQ_CMAP` at ``at`` (0 to 1), as hex.

    >>> _lq_scale_colour(0.8) == LQ_ABOVE and _lq_scale_colour(0.2) == LQ_BELOW
    True
    """
    import matplotlib
    from matplotlib.colors import to_hex

    return str(to_hex(matplotlib.colormaps[LQ_CMAP](at)))


#: What an LQ bar's colour means, in the map's own colours (one definition: the bars and the map cannot
#: disagree): above 1 is the scale's orange, below 1 its purple, each as far from the scale's white centre
#: (``_lq_scale_colour(0.8)`` and ``(0.2)``, written out so that this module needs no matplotlib; tested
#: equal); an interval that includes 1 is a grey that is not on the scale.
LQ_ABOVE = "#e08214"
LQ_BELOW = "#8073ac"
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


def pack_style() -> Any:
    """matplotlib's settings for a pack figure, as a context manager (``with pack_style(): ...``).

    Imports matplotlib on first use and selects its Agg backend (geopandas'
    plotting imports pyplot: never an interactive backend).
    """
    import matplotlib

    _select_agg()
    return matplotlib.rc_context(_RC)


@functools.cache
def _select_agg() -> None:
    """Select Agg once per process (``get_backend()`` would import pyplot to find the default backend)."""
    import matplotlib

    matplotlib.use("Agg")
