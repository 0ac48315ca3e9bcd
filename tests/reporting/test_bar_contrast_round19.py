"""The LQ bars meet WCAG 2.2's non-text contrast (1.4.11, 3:1 against the page): the "interval includes 1" grey
(#bbbbbb, 1.9:1 on white) and the "above 1" orange (#e08214, 2.9:1) were drawn without an outline, so those bars
were told from the white page by a fill under 3:1. Each bar now has a dark edge. SYNTHETIC LQs."""

from __future__ import annotations

import re

from creative_clusters.reporting.charts import BAR_EDGE, lq_bar_figure
from creative_clusters.reporting.figure_style import LQ_ABOVE, LQ_BELOW, LQ_INCLUDES_ONE


def _luminance(hex_colour: str) -> float:
    c = [int(hex_colour.lstrip("#")[i:i + 2], 16) / 255 for i in (0, 2, 4)]
    lin = [x / 12.92 if x <= 0.04045 else ((x + 0.055) / 1.055) ** 2.4 for x in c]
    return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]


def _contrast(a: str, b: str) -> float:
    hi, lo = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def test_the_premise_some_fills_alone_fall_short_of_3_to_1():
    assert min(_contrast(c, "#ffffff") for c in (LQ_ABOVE, LQ_BELOW, LQ_INCLUDES_ONE)) < 3


def test_every_bar_has_an_outline_of_at_least_3_to_1():
    assert _contrast(BAR_EDGE, "#ffffff") >= 3
    fig = lq_bar_figure(["Music", "Crafts", "Design"], [1.6, 0.9, 0.5], [1.3, 0.5, 0.4], [1.9, 1.4, 0.6],
                        place="X", png=False)
    svg = fig["svg"]
    fills = {c.lower() for c in (LQ_ABOVE, LQ_BELOW, LQ_INCLUDES_ONE)}
    bars = [p for p in re.findall(r'<path[^>]*style="([^"]*)"', svg)
            if re.search(r"fill:\s*(#[0-9a-f]{6})", p) and re.search(r"fill:\s*(#[0-9a-f]{6})", p).group(1) in fills]
    assert len(bars) >= 3, "three bars, one of each kind (and their legend keys)"
    assert all(f"stroke: {BAR_EDGE}" in p for p in bars), bars[:2]
