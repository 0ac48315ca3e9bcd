"""The web benchmark and the evidence pack choose the same peers, so a place has one peer percentile.

Was: the web's benchmark chose its own nearest neighbours (7 London boroughs among Manchester's 10), the
pack its documented peers (same kind and nation, London left out unless the place is in it): Manchester's
LQ peer percentile read 22.7 on the web and 59.1 in the pack. Real bundle.
"""

from __future__ import annotations

import pytest

from creative_clusters.workflows import evidence as E
from creative_clusters.workflows.benchmark import place_benchmark

pytestmark = pytest.mark.realdata


@pytest.mark.parametrize("query", ["Manchester", "Sheffield"])
def test_the_web_benchmark_has_the_pack_peers_and_percentiles(nd, query):
    pl = E.resolve_evidence_place(nd, query)
    inp = E.gather_inputs(nd, pl, png=False)
    pack_peers = list(inp.peer_choice.codes)
    web = place_benchmark(nd, query)
    assert web.peers == [p for p in pack_peers if p in nd.indicators.index]
    assert not any(p.startswith("E09") for p in web.peers)  # London left out for a place outside it
    from tests.reporting._helpers import pack_context, section

    bench = next(t for t in section(pack_context(nd, query), "benchmark")["tables"]
                 if "Percentile: peers" in t["columns"])
    col, name = bench["columns"].index("Percentile: peers"), bench["columns"].index("Indicator")
    pack = {r[name]: r[col] for r in bench["rows"] if r[col] is not None and r[col] == r[col]}
    webp = dict(zip(web.table["label"], web.table["pct_peers"], strict=True))
    shared = [k for k in pack if k in webp]
    assert len(shared) >= 5
    for k in shared:
        assert webp[k] == pytest.approx(float(pack[k]), abs=0.051), k
