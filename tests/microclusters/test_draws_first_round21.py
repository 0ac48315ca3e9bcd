"""From stability.THREADED_MIN_POINTS clustered firms on, the stability draws run before the description
(they use every core) and the firm GeoPackage is started before it: the same files as the old order."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from creative_clusters.microclusters import outputs
from creative_clusters.microclusters.stability import THREADED_MIN_POINTS


def _firms(n: int, seed: int = 5) -> pd.DataFrame:
    """SYNTHETIC: n firms, 80% in 40 tight groups, the rest scattered over 60 km (BNG metres)."""
    rng = np.random.default_rng(seed)
    k = int(n * 0.8)
    centres = rng.uniform(0, 60_000, (40, 2))
    xy = np.r_[centres[rng.integers(0, 40, k)] + rng.normal(0, 250, (k, 2)),
               rng.uniform(0, 60_000, (n - k, 2))] + np.array([400_000.0, 300_000.0])
    sub = np.array(["music_arts", "design", "film_tv", "it_software"])[rng.integers(0, 4, n)]
    return pd.DataFrame({"firm_id": [f"F{i}" for i in range(n)], "postcode": "S1 2BX", "subsector": sub,
                         "subsectors": sub, "easting": xy[:, 0], "northing": xy[:, 1],
                         "lad_code": "E08000019"})


def test_threshold_is_where_the_draws_are_threaded():
    """The constant is stability's threading threshold (not imported by outputs: that loads numba)."""
    assert outputs.BACKGROUND_MAX_POINTS == THREADED_MIN_POINTS


@pytest.mark.parametrize("parallel", [True, False])
def test_firm_layer_started_before_description_equals_old_order(tmp_path, monkeypatch, parallel):
    """At the default threshold a file of THREADED_MIN_POINTS firms takes the draws-first path (the firm
    layer starts before the description); its files read back equal to the old order's (draws beside
    the description, the firm layer started after them): every column of the firm layer, stability too."""
    import pyogrio

    firms = _firms(THREADED_MIN_POINTS + 500)
    seen: list[str] = []
    real_describe = outputs._describe

    def describe(*args, **kwargs):
        seen.append("describe")
        return real_describe(*args, **kwargs)

    monkeypatch.setattr(outputs, "_describe", describe)

    def run(name: str):
        writer = outputs.OutputWriter(tmp_path / name, parallel=parallel)

        def on_firms(f: pd.DataFrame) -> None:
            seen.append("firms")
            writer.start_firm_layer(f)

        res = outputs.detect_microclusters(firms, eps=300, min_firms=20, stability_reps=3, on_firms=on_firms)
        return writer.commit(res)

    new = run("new")
    assert seen == ["firms", "describe"]  # the draws were in before the description
    seen.clear()
    monkeypatch.setattr(outputs, "BACKGROUND_MAX_POINTS", 10**9)  # the old order at this size
    old = run("old")
    assert seen == ["describe", "firms"]
    a = pyogrio.read_dataframe(new / outputs.FIRM_GPKG)
    b = pyogrio.read_dataframe(old / outputs.FIRM_GPKG)
    assert len(a) == len(firms) and a["microcluster_id"].ne("").sum() > 10_000
    stab = a["stability"].dropna()  # (NaN: a firm left out of every one of the 3 draws)
    assert len(stab) > 0.9 * len(a) and stab.between(0, 1).all() and stab.nunique() > 2
    assert list(a.columns) == list(b.columns)
    pd.testing.assert_frame_equal(pd.DataFrame(a.drop(columns="geometry")),
                                  pd.DataFrame(b.drop(columns="geometry")))
    assert a.geometry.geom_equals_exact(b.geometry, 0).all() and a.crs == b.crs
    info = pyogrio.read_info(new / outputs.FIRM_GPKG)
    assert info["capabilities"]["fast_spatial_filter"]  # the R-tree is there
    for name in ("microclusters.csv", "microcluster_firms.csv"):
        assert (new / name).read_bytes() == (old / name).read_bytes()
