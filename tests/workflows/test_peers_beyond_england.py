"""User-named peers are honoured for any UK place, and automatic peers outside England are chosen on the annual
series (audit round 16, finding 4; real bundle)."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from creative_clusters.errors import ParameterError
from creative_clusters.reporting.context import build_context
from creative_clusters.reporting.figure_render import TEXT_ONLY
from creative_clusters.workflows import evidence as E
from tests._raw_series import read_raw

pytestmark = pytest.mark.realdata


def _ctx(nd, place, peers=None):
    return build_context(E.gather_inputs(nd, E.resolve_evidence_place(nd, place), png=TEXT_ONLY, peers=peers))


def _section(ctx, sid):
    return next(s for s in ctx["sections"] if s["id"] == sid)


def _peer_rule(ctx):
    return next(m for m in _section(ctx, "sources")["methods"] if m.startswith("Peers"))


def _peer_table(ctx):
    return next(t for t in _section(ctx, "benchmark")["tables"] if "peers" in t["title"])


def test_named_peers_of_a_scottish_place_are_honoured_on_the_series(nd, data_root):
    peers = ["S12000036", "W06000015", "N09000003", "E08000035"]
    ctx = _ctx(nd, "Glasgow City", peers)
    rule = _peer_rule(ctx)
    assert not rule.startswith("Peers: none")
    assert "named by the user (4)" in rule and "outside England" in rule and "sub-sector mix" in rule
    table = _peer_table(ctx)
    rows = {r[0]: dict(zip(table["columns"], r, strict=True)) for r in table["rows"]}
    assert list(rows) == ["S12000049", *peers]
    # the measures are the raw series' values: Cardiff's creative enterprises in 2025 and ten-year growth
    series, _nation, _active = read_raw(data_root)
    size_col = next(c for c in table["columns"] if c.startswith("Creative enterprises"))
    growth_col = next(c for c in table["columns"] if c.startswith("Growth"))
    assert rows["W06000015"][size_col] == series[("Cardiff", 2025)]
    assert math.isclose(rows["W06000015"][growth_col],
                        100 * (series[("Cardiff", 2025)] / series[("Cardiff", 2015)] - 1), rel_tol=1e-9)
    assert all(rows[p]["Distance (0 = identical)"] >= 0 for p in peers)


def test_an_english_place_may_name_peers_outside_england(nd):
    ctx = _ctx(nd, "Liverpool", ["S12000049", "W06000015"])  # failed: "have no creative counts to compare"
    rule = _peer_rule(ctx)
    assert "named by the user (2)" in rule and "Glasgow City and Cardiff are outside England" in rule
    assert [r[0] for r in _peer_table(ctx)["rows"]] == ["E08000012", "S12000049", "W06000015"]


def test_automatic_peers_outside_england_within_the_nation(nd):
    ctx = _ctx(nd, "Belfast")
    rule = _peer_rule(ctx)
    assert rule.startswith("Peers: the 5 local authorities of Northern Ireland most similar to Belfast")
    codes = [r[0] for r in _peer_table(ctx)["rows"]][1:]
    assert len(codes) == 5 and all(c.startswith("N09") for c in codes)


def test_a_named_code_that_is_not_a_local_authority_is_a_clear_error(nd):
    with pytest.raises(ParameterError, match="not local authority districts"):
        E.place_peers(nd, E.resolve_evidence_place(nd, "Glasgow City"), ["S12000036", "E47000004"])
    with pytest.raises(ParameterError, match="not local authority districts"):
        E.place_peers(nd, E.resolve_evidence_place(nd, "Liverpool"), ["W06000015", "XYZ"])


def test_series_peer_measures_exclude_a_published_zero(nd):
    pool = nd.peer_pools.get("series")
    if pool is None:
        E.place_peers(nd, E.resolve_evidence_place(nd, "Cardiff"), None)
        pool = nd.peer_pools["series"]
    assert pool.loc["E06000053", "size"] == 0 and pd.isna(pool.loc["E06000053", "growth"])
