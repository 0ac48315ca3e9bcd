"""A published 0 (0 to 2 enterprises, counts rounded to 5) has no location quotient anywhere in the pack, only
its upper bound: the profile's and the map's rule (real bundle: the Isles of Scilly is published as 0 in every
creative class).

The pack's headline said "no LQ is given, only its upper bound" while section 2 said "Creative businesses are
0.00 times as concentrated in the Isles of Scilly as in England (95% interval 0.00 to 0.22)", the sub-sector
chart's text read "Advertising and marketing: 0.00; …", the tables printed 0.00 under "Business LQ" and
"LQ 95% low", and the headline share read "0.00%".
"""

from __future__ import annotations

import math

import pytest

from creative_clusters.reporting.context import build_context
from creative_clusters.reporting.figure_render import TEXT_ONLY
from creative_clusters.workflows import evidence as E

pytestmark = pytest.mark.realdata

SCILLY = "E06000053"


@pytest.fixture(scope="module")
def ctx(nd):
    return build_context(E.gather_inputs(nd, E.resolve_evidence_place(nd, SCILLY), png=TEXT_ONLY))


def _blank(v):
    return v is None or (isinstance(v, float) and math.isnan(v))


def _texts(ctx):
    for sec in ctx["sections"]:
        yield from sec.get("sentences", [])
        for f in sec.get("figures", []):
            yield f["alt"]


def test_the_business_lq_tables_give_no_lq_for_a_published_zero(nd):
    lq = nd.lq
    assert (lq.count.loc[SCILLY] == 0).all()  # the premise
    assert lq.lq.loc[SCILLY].isna().all() and lq.lo.loc[SCILLY].isna().all()
    assert (lq.hi.loc[SCILLY] > 0).all()  # the upper bound stands
    # a place with counts keeps its LQs
    assert lq.lq.loc["E08000019"].notna().all()


def test_the_pack_never_states_an_lq_of_zero_for_a_published_zero(ctx):
    said = list(_texts(ctx))
    assert not [s for s in said if "0.00 times as concentrated" in s]
    assert not [s for s in said if ": 0.00;" in s or ": 0.00." in s], "chart text lists LQs of 0.00"
    bound = [s for s in said if s.startswith("No location quotient is given for the Isles of Scilly")]
    assert bound and "only known to be below 0.22" in bound[0]
    chart = next(s for s in said if s.startswith("Bar chart of business location quotients"))
    assert "Crafts: published as 0, no LQ (below " in chart


def test_the_sub_sector_table_leaves_the_lq_and_its_low_end_blank(ctx):
    scale = next(s for s in ctx["sections"] if any(t["title"].startswith("Creative enterprises and business "
                                                                          "location quotients by sub-sector")
                                                   for t in s["tables"]))
    table = next(t for t in scale["tables"] if "by sub-sector" in t["title"])
    cols = {h: i for i, h in enumerate(table["columns"])}
    for row in table["rows"]:
        assert row[cols["Enterprises"]] == 0
        assert _blank(row[cols["Business LQ"]]) and _blank(row[cols["LQ 95% low"]])
        assert row[cols["LQ 95% high"]] > 0


def test_the_headline_share_and_benchmark_value_are_not_zero_figures(ctx):
    share = next(h for h in ctx["headline"] if h["label"] == "Share of England's creative enterprises")
    assert share["value"] == "under 0.01%" and "0 to 2" in share["note"]
    bench = next(t for s in ctx["sections"] for t in s["tables"] if t["title"].startswith("Growth-potential"))
    cols = {h: i for i, h in enumerate(bench["columns"])}
    row = next(r for r in bench["rows"] if r[cols["Indicator"]] == "Creative business location quotient")
    assert _blank(row[cols["Value"]]) and "Published as 0" in row[cols["Note"]]
