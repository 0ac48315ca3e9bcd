"""Round 21: the benchmark's dot plot says why a row holding a value has no dot (failed before its fix)."""

from __future__ import annotations

import re

import pandas as pd

from creative_clusters.reporting.charts import percentile_figure


def test_dot_plot_marks_an_unranked_indicator_as_not_ranked() -> None:
    # was: Greater Manchester's "Creative enterprises (count)" and "Higher-education providers in the place" rows
    # were empty in the PDF's figure (a total over 10 local authorities is not ranked among single ones), while
    # gaps said "no data (gap)": an empty row looked like a drawing fault
    t = pd.DataFrame({"label": ["Ranked", "A total", "A gap"], "status": ["ok", "ok", "gap"],
                      "pct_all": [50.0, float("nan"), float("nan")], "pct_peers": [40.0, float("nan"), float("nan")]})
    svg = percentile_figure(t, place="X", png=False)["svg"]
    drawn = re.findall(r">([^<>]+)</text>", svg)  # the figure's own text (its description is an aria-label)
    assert drawn.count("not ranked") == 1 and drawn.count("no data (gap)") == 1
