"""Round 21's read of the packs, the faults found without the real data: each test failed before its fix."""

from __future__ import annotations

import re

import pandas as pd

from creative_clusters.reporting.charts import percentile_figure
from creative_clusters.reporting.growth_block import CAVEATS


def test_dot_plot_marks_an_unranked_indicator_as_not_ranked() -> None:
    # was: Greater Manchester's "Creative enterprises (count)" and "Higher-education providers in the place" rows
    # were empty in the PDF's figure (a total over 10 local authorities is not ranked among single ones), while
    # gaps said "no data (gap)": an empty row looked like a drawing fault
    t = pd.DataFrame({"label": ["Ranked", "A total", "A gap"], "status": ["ok", "ok", "gap"],
                      "pct_all": [50.0, float("nan"), float("nan")], "pct_peers": [40.0, float("nan"), float("nan")]})
    svg = percentile_figure(t, place="X", png=False)["svg"]
    drawn = re.findall(r">([^<>]+)</text>", svg)  # the figure's own text (its description is an aria-label)
    assert drawn.count("not ranked") == 1 and drawn.count("no data (gap)") == 1


def test_bres_rounding_note_says_its_bands_in_whole_numbers() -> None:
    # was: "BRES figures are rounded by Nomis in bands (to 5 below 50.0, to 25 up to 249, ..." under section 3's
    # shift-share table (Cardiff, Glasgow City, the Bristol travel-to-work area)
    note = next(c for c in CAVEATS if c.startswith("BRES figures are rounded"))
    assert "(to 5 below 50, " in note and not re.search(r"\d\.0\b", note)
