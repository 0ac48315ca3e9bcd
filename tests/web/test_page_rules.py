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
