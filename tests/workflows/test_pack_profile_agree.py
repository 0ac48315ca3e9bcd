"""The pack's headline and the profile (which the web serves) give the same figures: one producer.

The profile's figures are ``workflows.placestats.place_statistics``; the pack's
headline must be the same numbers (shares there are percents, here fractions).
A disagreement means a second computation crept into a renderer. Real bundle.
"""

from __future__ import annotations

import pytest

from creative_clusters.workflows.places import resolve_place
from creative_clusters.workflows.placestats import place_statistics
from tests.reporting._helpers import pack_context

pytestmark = pytest.mark.realdata

#: headline label (start) -> (profile figure, scale of the pack's number)
ENGLAND = {"Creative enterprises (March": ("creative_enterprises", 1.0),
           "Share of England's creative enterprises": ("share_of_national_creative", 100.0),
           "Creative business location quotient": ("business_lq", 1.0),
           "Rank among English local authorities": ("creative_enterprises", "rank"),
           "Residents in creative divisions": ("creative_resident_share", 100.0)}
SERIES = {"Creative enterprises (": ("creative_enterprises_series", 1.0),
          "Creative business location quotient (UK = 1)": ("business_lq_series", 1.0)}


@pytest.mark.parametrize(("query", "labels"), [("Sheffield", ENGLAND), ("Greater Manchester", ENGLAND),
                                               ("Isles of Scilly", ENGLAND), ("Glasgow City", SERIES),
                                               ("Cardiff", SERIES)])
def test_the_pack_headline_is_the_profile(nd, wh, query, labels):
    figs = place_statistics(wh, resolve_place(wh, query)).figures
    checked = 0
    for h in pack_context(nd, query)["headline"]:
        key = next((k for k in labels if h["label"].startswith(k)), None)
        if key is None:
            continue
        fid, scale = labels[key]
        f = figs[fid]
        if h["value"] == "0 to 2":  # a published 0 count: 0 to 2 enterprises, as the profile's 0 with its flag
            assert f.value == 0 and "raw" not in h and "published as 0" in h["note"], (query, h)
        elif h["value"].startswith("under ") and f.value == 0:  # a published 0's share: unknown, not 0.00%
            assert "raw" not in h and "0 to 2" in h["note"], (query, h)
        elif f.value is None:  # a published 0: neither gives an LQ, both its upper bound
            assert "raw" not in h and f.upper is not None and h["value"] == f"below {f.upper:.2f}", (query, h)
        elif scale == "rank":
            assert h["raw"] == f.rank, (query, h["label"])
        else:
            assert h["raw"] == pytest.approx(f.value * scale, rel=1e-12), (query, h["label"])
        checked += 1
    assert checked >= 2, query
