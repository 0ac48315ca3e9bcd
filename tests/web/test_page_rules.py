"""The map page computes no statistic and copies no class rule: its class edges and colours come from the API.

A static reading of ``static/app.js``: the LQ classes live in
:mod:`creative_clusters.workflows.cluster_maps` (the exported maps' rule) and
reach the page through ``/api/meta`` and ``/api/indicators``; a copy in the
script would drift from them unnoticed.
"""

from __future__ import annotations

import itertools
import re
from pathlib import Path

import pytest

from creative_clusters.workflows.cluster_maps import LQ_CLASS_COLOURS, LQ_CLASS_EDGES

SCRIPT = (Path(__file__).resolve().parents[2] / "creative_clusters" / "web" / "static" / "app.js").read_text()
NUMBER = r"-?\d+(?:\.\d+)?"
ARRAY = re.compile(r"\[([^\[\]]*)\]")


def _spellings(x):
    """How a page could write the edge ``x``: 1.1, 1.10 (a two-decimal label)."""
    return {f"{x:g}", f"{x:.2f}"}


def test_no_array_of_numbers_in_the_page():
    """A list of three or more numbers is a class scale (LQ steps, change steps): the server sends those."""
    lists = [m.group(0) for m in ARRAY.finditer(SCRIPT)
             if len(re.findall(rf"(?<![\w.]){NUMBER}(?![\w.])", m.group(1))) >= 3
             and not re.search(r"[A-Za-z\"'`]", m.group(1))]
    assert lists == []


@pytest.mark.parametrize(("lo", "hi"), list(itertools.pairwise(LQ_CLASS_EDGES)))
def test_no_lq_class_written_as_a_range(lo, hi):
    """Neither the legend nor the help text writes an LQ class ("0.91–1.1") itself."""
    for a, b in itertools.product(_spellings(lo), _spellings(hi)):
        assert not re.search(rf"(?<![\d.]){re.escape(a)}\s*(?:–|-|to)\s*{re.escape(b)}(?![\d])", SCRIPT), (a, b)


@pytest.mark.parametrize("edge", LQ_CLASS_EDGES)
def test_no_value_compared_with_an_lq_edge(edge):
    for a in _spellings(edge):
        assert not re.search(rf"(?:===?|!==?|<=?|>=?)\s*{re.escape(a)}(?![\d])", SCRIPT), a


def test_no_list_of_the_lq_colours_in_the_page():
    """The LQ palette as a list is cluster_maps.LQ_CLASS_COLOURS, sent by the API (categories may reuse a colour)."""
    colours = {c.lower() for c in LQ_CLASS_COLOURS}
    for m in ARRAY.finditer(SCRIPT):
        found = {c.lower() for c in re.findall(r"#[0-9a-fA-F]{6}", m.group(1))}
        assert len(found & colours) < 3, m.group(0)[:120]


def _category_keys():
    from creative_clusters.workflows.cluster_maps import CATEGORY_CLASSES

    return [c for cats in CATEGORY_CLASSES.values() for c in cats]


@pytest.mark.parametrize("category", _category_keys(), ids=lambda c: c.value)
def test_no_category_is_given_a_colour_or_a_label_in_the_page(category):
    """Categorical classes (trajectory, hotspot, cluster) are drawn in the colours and labels the API sends.

    Was: ``CATEGORICAL = { HH: "#7f3b08", …, established: "#7f3b08", … }`` and ``CAT_LABEL`` in app.js, the
    trajectory classes purple/orange there but Okabe-Ito on the exported maps. The page's own UI colours
    (borders, outlines, the no-data fill) are not categories and may stay.
    """
    key = rf"(?:{re.escape(category.value)}|\"{re.escape(category.value)}\"|'{re.escape(category.value)}')"
    assert not re.search(rf"(?<![\w-]){key}\s*:\s*[\"'`]#[0-9a-fA-F]{{3,8}}", SCRIPT), category.value
    if category.label != category.value:  # a legend label of its own ("HH: high, neighbours high (hotspot)")
        assert category.label not in SCRIPT and category.label.split(":")[-1].strip() not in SCRIPT


def test_no_hex_colour_map_keyed_by_words_in_the_page():
    """No object literal of two or more ``word: "#colour"`` pairs (a category palette) in the script."""
    pair = r"(?:[A-Za-z_][\w]*|\"[^\"]+\"|'[^']+')\s*:\s*[\"']#[0-9a-fA-F]{3,8}[\"']"
    assert not re.search(rf"\{{[^{{}}]*{pair}\s*,\s*{pair}", SCRIPT)


def test_no_share_is_turned_into_a_per_cent_in_the_page():
    """The API sends per cents (``dominant_share_pct``, ``cagr_pct``); the page only formats them."""
    assert not re.search(r"(?<![\w.])100\s*\*|\*\s*100(?![\w.])", SCRIPT)
    assert not re.search(r"/\s*100(?![\w.])", SCRIPT)
    assert "dominant_share_pct" in SCRIPT and "cagr_pct" in SCRIPT


def test_no_list_of_the_quantile_colours_in_the_page():
    """Quantile classes are drawn in cluster_maps.QUANTILE_COLOURS, sent with the classes (was the page's own SEQ)."""
    from creative_clusters.workflows.cluster_maps import QUANTILE_COLOURS

    colours = {c.lower() for c in QUANTILE_COLOURS}
    for m in ARRAY.finditer(SCRIPT):
        found = {c.lower() for c in re.findall(r"#[0-9a-fA-F]{6}", m.group(1))}
        assert len(found & colours) < 2, m.group(0)[:120]


def test_no_hotspot_class_decides_the_outline_in_the_page():
    """Which places are outlined is each row's ``outlined`` (the detector's flag): was ``=== "HH"`` in app.js."""
    for category in _category_keys():
        assert not re.search(rf"[\"'`]{re.escape(category.value)}[\"'`]", SCRIPT), category.value
    assert "r.outlined" in SCRIPT


def test_the_outline_and_no_data_styles_are_not_written_in_the_page():
    """The outline colour and the no-data fill, hatch and words come from /api/meta (was: "#d7191c", white,
    "no data / suppressed" in app.js)."""
    from creative_clusters._map_style import NO_DATA
    from creative_clusters.workflows.cluster_maps import CLUSTER_OUTLINE

    for colour in (CLUSTER_OUTLINE, NO_DATA.fill, NO_DATA.hatch_colour):
        assert colour.lower() not in SCRIPT.lower(), colour
    assert NO_DATA.label not in SCRIPT
    assert "meta.no_data" in SCRIPT and "meta.cluster_outline" in SCRIPT
