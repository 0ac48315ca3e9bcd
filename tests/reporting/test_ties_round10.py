"""Round 10 (h1, item 2): a rank or percentile shared with other places says so ("joint", "tied with"), and a
tie that reaches out of the top (bottom) fifth is no strength (weakness). Hand-worked ties, made-up numbers."""

from __future__ import annotations

import pandas as pd
import pytest

from creative_clusters.benchmarking.nations import nation_percentiles
from creative_clusters.benchmarking.percentiles import percentile_rank, percentiles, tie_span
from creative_clusters.indicators.ranking import rank_descending, tied_others
from creative_clusters.reporting.findings import percentile_finding
from creative_clusters.reporting.sentences_benchmark import percentile_sentence
from creative_clusters.reporting.sentences_scale import peer_rank_sentence, rank_sentence


def _values(n=40, tie=3, at=100.0):
    # n places, the first `tie` of them sharing the best value `at`, the others 1..n-tie
    return pd.DataFrame({"x": [at] * tie + [float(i) for i in range(1, n - tie + 1)]},
                        index=[f"P{i}" for i in range(n)])


def test_the_producer_counts_the_places_tied_with_the_place():
    v = _values()
    t = percentiles(v, place="P0", peers=["P1", "P5"]).iloc[0]
    assert t["tied_all"] == 2 and t["tied_peers"] == 1  # P1 and P2 share it; among the peers only P1
    assert t["pct_all"] == percentile_rank(v["x"], 100.0) == pytest.approx(100 * (37 + 1.5) / 40)
    assert percentiles(v, place="P5", peers=[]).iloc[0]["tied_all"] == 0


def test_tie_span_is_where_the_ties_members_would_be_were_it_broken():
    # 3 of 40 tied at the top, at 100 * (37 + 1.5) / 40 = 96.25: broken, at 100 * (37 + 0.5) / 40 = 93.75 to
    # 100 * (39 + 0.5) / 40 = 98.75
    assert tie_span(percentile_rank(_values()["x"], 100.0), 2, 40) == pytest.approx((93.75, 98.75))


def test_a_small_tie_at_the_top_is_a_strength_said_as_joint():
    f = percentile_finding("X", "Survival (%)", pct=96.25, n=40, value=100.0, unit="%", additive=False,
                           source="s", tied=2)
    assert f.kind == "strength" and "tied with 2 others on the same value" in f.claim


def test_a_tie_reaching_out_of_the_top_fifth_is_not_a_strength():
    # 12 of 40 share the best value: mid-rank 85th percentile, but broken the tie runs from 71.25 to 98.75
    v = _values(tie=12)
    pct = percentile_rank(v["x"], 100.0)
    assert pct == pytest.approx(85.0)
    f = percentile_finding("X", "Survival (%)", pct=pct, n=40, value=100.0, unit="%", additive=False, source="s",
                           tied=11)
    assert f.kind == "inconclusive"
    assert "tied with 11 others" in f.claim and "from the 71st to the 99th percentile" in f.claim
    # the same at the bottom: a weakness whose tie reaches the 29th
    g = percentile_finding("X", "Birth rate (%)", pct=15.0, n=40, value=0.0, unit="%", additive=False, source="s",
                           tied=11)
    assert g.kind == "inconclusive"
    # a pair tied just inside the band: broken, its members are at the 80th (79.9 and 80.2), still a strength
    h = percentile_finding("X", "Museums", pct=80.07, n=296, value=9.0, unit="", additive=False, source="s", tied=1)
    assert h.kind == "strength" and "tied with 1 other on the same value" in h.claim


def test_sentences_say_joint():
    assert "ranks joint 3rd of 296" in rank_sentence("X", 3, 296, "creative enterprises",
                                                                        "English local authorities", tied=2)
    assert "ranks joint 1st of 11" in peer_rank_sentence("X", 1, 10, "LQ", tied=1)
    s = percentile_sentence("X", "Business death rate", 12.5, 296, 40.0, 11, tied=4, tied_peers=1)
    assert "296 places, tied with 4 others on the same value" in s
    assert "10 peers, tied with 1 peer on the same value" in s
    # no tie, the words unchanged
    assert rank_sentence("X", 3, 296, "c", "a") == "X ranks 3rd of 296 a for c."


def test_ranks_shared_by_ties():
    r = rank_descending(pd.Series({"a": 5.0, "b": 9.0, "c": 5.0, "d": 1.0}))
    assert tied_others(r).to_dict() == {"a": 1.0, "b": 0.0, "c": 1.0, "d": 0.0}


def test_a_uk_percentile_carries_its_tie():
    codes = [f"{n}0{i}" for n in "EWSN" for i in range(8)]
    vals = {"E": [0, 1, 2, 3, 4, 5, 7, 7], "W": [7, 1, 2, 3, 4, 5, 6, 0], "S": [i + 0.1 for i in range(8)],
            "N": [i + 0.2 for i in range(8)]}
    uk = pd.DataFrame({"x": [float(vals[c[0]][int(c[2])]) for c in codes]}, index=codes)
    t = nation_percentiles(uk.loc[[c for c in codes if c[0] == "W"]], "W00", uk=uk).iloc[0]
    assert t["tied_uk"] == 2 and t["tied_all"] == 0  # E06 and E07 share 7.0 across the UK; none within Wales
