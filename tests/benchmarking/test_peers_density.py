"""Peer choice with the density term, on hand-made (SYNTHETIC) features."""

from __future__ import annotations

import pandas as pd
import pytest

from creative_clusters.benchmarking.peers import business_density, choose_peers, peer_features


def test_density_separates_a_city_from_a_rural_county_of_equal_creative_size():
    # four places with identical creative size and structure; only density differs
    counts = pd.DataFrame({"film_tv": [100.0, 100.0, 100.0, 100.0], "design": [50.0, 50.0, 50.0, 50.0]},
                          index=["CITY", "TOWN", "RURAL", "CITY2"])
    dens = business_density(pd.Series({"CITY": 20000.0, "TOWN": 6000.0, "RURAL": 20000.0, "CITY2": 15000.0}),
                            pd.Series({"CITY": 400.0, "TOWN": 300.0, "RURAL": 3500.0, "CITY2": 250.0}))
    assert dens.to_dict() == pytest.approx({"CITY": 50.0, "TOWN": 20.0, "RURAL": 20000 / 3500, "CITY2": 60.0})
    f = peer_features(counts, dens)
    assert choose_peers(f, "CITY", k=3) == ["CITY2", "TOWN", "RURAL"]
    # without the density column all three tie and the order falls back to codes
    assert choose_peers(peer_features(counts), "CITY", k=3) == ["CITY2", "RURAL", "TOWN"]


def test_place_without_density_is_refused_clearly():
    counts = pd.DataFrame({"film_tv": [1.0, 2.0]}, index=["A", "B"])
    f = peer_features(counts, pd.Series({"B": 3.0}))
    from creative_clusters.errors import ParameterError

    with pytest.raises(ParameterError, match="lacks complete features"):
        choose_peers(f, "A", k=1)
