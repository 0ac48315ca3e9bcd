"""Caveats the map, table and CLI show are written for readers (web review round 7, items 9 and 10)."""

from __future__ import annotations

import re

from creative_clusters.clusters import HotspotClusters
from creative_clusters.workflows.map_data import map_indicator


def test_hotspot_caveat_names_islands_and_its_method_in_plain_words(full_warehouse):
    """Was: "HotspotClusters: 2 place(s) have no neighbours (islands, e.g. ['E06000046', 'E06000053']); they
    get no statistic. Use k-nearest-neighbour weights to connect them.; hotspot(Gi*+LISA on business_lq, …)"
    beside a map of local Moran quadrants."""
    table, _source, caveats = map_indicator(full_warehouse, level="lad", measure="hotspot_class", subsector="all")
    text = " ".join(caveats)
    for raw in ("HotspotClusters", "place(s)", "['", "k-nearest", "Gi*", "LISA", "business_lq"):
        assert raw not in text, raw
    islands = table.loc[table["value"] == "island", "geo_name"].tolist()
    assert sorted(islands) == ["Isle of Wight", "Isles of Scilly"]  # no land neighbour in England
    assert "Isle of Wight and Isles of Scilly have no neighbouring places (islands)" in text
    assert "local Moran's I" in text and not any(re.search(r"[.;]\s*[.;]", c) for c in caveats)


def test_the_library_still_warns_programmers_about_islands_unless_told_not_to():
    import itertools

    import numpy as np
    import pandas as pd
    import pytest
    from libpysal.weights import W

    ids = [f"P{i}" for i in range(6)]
    nb: dict[str, list[str]] = {i: [] for i in ids}
    for a, b in itertools.pairwise(ids[:5]):
        nb[a].append(b)
        nb[b].append(a)
    w = W(nb, id_order=ids, silence_warnings=True)
    t = pd.DataFrame({"geo_code": ids, "lq": np.linspace(0.5, 2, 6)})
    with pytest.warns(UserWarning, match="1 place has no neighbours"):
        HotspotClusters(w, permutations=99, seed=0).fit(t)
    import warnings

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        det = HotspotClusters(w, permutations=99, seed=0, warn_islands=False).fit(t)
    assert not any("neighbours" in str(x.message) for x in caught)
    assert det.islands_ == ["P5"] and det.labels_.iloc[5] == "island"
