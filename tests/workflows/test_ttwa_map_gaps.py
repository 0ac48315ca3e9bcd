"""A TTWA map says why some English TTWAs have no value: no LAD has most of its LSOAs in them.

A reviewer counted 94 of 228 TTWA shapes without data on the web map, all under a legend reading
"no data / suppressed". Outside England the SIC-level counts do not reach; inside it, 31 small
TTWAs hold no whole LAD under the majority rule. The map's caveats now say so, with the count.
"""

from __future__ import annotations

import re

import pytest

from creative_clusters.geography.membership import lad_ttwa_assignment, ttwas_without_members
from creative_clusters.warehouse import Warehouse
from creative_clusters.workflows.map_data import map_indicator

pytestmark = pytest.mark.realdata


def test_ttwa_map_caveat_counts_the_ttwas_without_a_member(full_home):
    with Warehouse(full_home, read_only=True) as wh:
        table, _source, caveats = map_indicator(wh, level="ttwa", subsector="all", measure="business_lq")
        shapes = set(wh.read_geometry("ttwa_2011")["geo_code"].astype(str))
        overlap = wh.table("lad_ttwa_overlap")
    english = {c for c in shapes if c.startswith("E30")}
    blank = english - set(table["geo_code"])
    assert blank  # small English TTWAs inside larger LADs (Skipton, Falmouth...)
    note = next(c for c in caveats if "not the main TTWA of any of them" in c)
    n = int(re.search(r"(\d+) TTWAs reached by these LADs", note).group(1))
    # the stated count is the rule's own, and covers every blank English shape
    hollow = set(ttwas_without_members(overlap, lad_ttwa_assignment(overlap, lad_codes=None)))
    assert blank <= hollow and n >= len(blank)
    assert "show as no data" in note
