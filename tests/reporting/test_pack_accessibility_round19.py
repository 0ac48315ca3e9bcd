"""Accessibility of the HTML evidence pack (WCAG 2.2 AA, as the UK public sector must publish to).

Was (axe-core 4 on Sheffield's pack, and the contrast of pack.css worked out): no ``<main>`` landmark and
no way past the contents list (2.4.1 Bypass Blocks, 1.3.1); a table or figure that scrolls sideways (a
wide table on any screen, every table and chart on a phone's) could not be scrolled by keyboard (2.1.1);
the "no data" badge's orange text was 3.9:1 on white (1.4.3 asks 4.5:1); the contents links were 15 px
targets closer than 24 px to each other (2.5.8); no focus style of its own.
"""

from __future__ import annotations

import re
from importlib import resources

import pytest

from creative_clusters.reporting.context import build_context
from creative_clusters.reporting.figure_render import TEXT_ONLY
from creative_clusters.reporting.render_html import render_html
from creative_clusters.workflows import evidence as E


def _css() -> str:
    return resources.files("creative_clusters.reporting").joinpath("static/pack.css").read_text(encoding="utf-8")


def _luminance(hex_colour: str) -> float:
    h = hex_colour.lstrip("#")
    if len(h) == 3:
        h = "".join(c * 2 for c in h)
    rgb = [int(h[i:i + 2], 16) / 255 for i in (0, 2, 4)]
    lin = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in rgb]
    return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]


def contrast(a: str, b: str) -> float:
    """WCAG 2 contrast ratio of two ``#rgb``/``#rrggbb`` colours.

    >>> round(contrast("#000", "#fff"), 1)
    21.0
    """
    hi, lo = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def test_every_text_colour_of_the_stylesheet_reads_on_white():
    css = _css()
    variables = dict(re.findall(r"--([\w-]+):\s*(#[0-9A-Fa-f]{3,6})\b", css))
    colours = re.findall(r"(?<![-\w])color:\s*(var\(--[\w-]+\)|#[0-9A-Fa-f]{3,6})", css)
    assert colours, "the premise: the stylesheet sets text colours"
    for c in colours:
        value = variables[c[6:-1]] if c.startswith("var(") else c
        assert contrast(value, "#ffffff") >= 4.5, (c, value)


def test_contents_links_are_large_enough_targets_and_skip_link_stays_off_paper():
    css = _css()
    assert re.search(r"nav li a \{[^}]*min-height: 24px", css)
    print_rules = css[css.index("@media print"):]
    assert re.search(r"\.skip[^{]*\{\s*display: none", print_rules)
    assert ":focus-visible" in css


@pytest.mark.realdata
def test_pack_has_main_landmark_skip_link_and_keyboard_scrollable_wide_tables(nd):
    ctx = build_context(E.gather_inputs(nd, E.resolve_evidence_place(nd, "Sheffield"), png=TEXT_ONLY))
    html = render_html(ctx)
    assert html.count("<main>") == 1 and html.count("</main>") == 1
    main = html[html.index("<main>"):html.index("</main>")]
    assert main.count("<section") == html.count("<section") == len(ctx["sections"])  # every section inside
    skip = re.search(r'<a class="skip" href="#([\w-]+)">', html)
    assert skip and html.index(skip.group(0)) < html.index("<nav")
    assert f'id="{skip.group(1)}"' in main
    # a wide table scrolls sideways on any screen, every table and figure on a phone's: each takes the focus
    tables = re.findall(r'<div class="tbl( wide)?[^"]*"([^>]*)><table>\s*<caption id="([\w-]+)">', html)
    assert any(w for w, _a, _c in tables), "the premise: Sheffield's pack has a wide table"
    assert len(tables) == html.count("<table>")
    for _wide, attrs, caption_id in tables:
        assert 'tabindex="0"' in attrs and 'role="region"' in attrs and f'aria-labelledby="{caption_id}"' in attrs
    assert html.count("<figure") == html.count('<figure tabindex="0">') > 0
    ids = re.findall(r'\bid="([^"]+)"', html)
    assert len(ids) == len(set(ids)), "ids are unique"
