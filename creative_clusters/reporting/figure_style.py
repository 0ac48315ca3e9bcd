"""The look of every pack figure: the colour palettes and matplotlib's settings.

Accessible by default: the Okabe-Ito colour-blind-safe palette for lines and
marks, and one diverging scale for every LQ (the maps' shading and the bars'
colours cannot disagree). Importing this module selects matplotlib's Agg
backend (geopandas' plotting imports pyplot: never an interactive backend).
"""

from __future__ import annotations

from typing import Any

import matplotlib

matplotlib.use("Agg")  # geopandas' plotting imports pyplot: never an interactive backend

__all__ = ["LQ_ABOVE", "LQ_BELOW", "LQ_CMAP", "LQ_INCLUDES_ONE", "OKABE_ITO"]

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
