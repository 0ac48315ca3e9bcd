"""One contract over every detector: fit returns self, labels aligned, input and params untouched, stable repr."""

from __future__ import annotations

import copy

import numpy as np
import pandas as pd
import pytest

from creative_clusters.clusters import (
    ClusterDetector,
    Corridors,
    HotspotClusters,
    NotFittedError,
    StrongClusters,
    ThresholdClusters,
    TrajectoryClasses,
    load_esda,
)

load_esda()
from libpysal.weights import W  # noqa: E402

IDS = [f"E{i:02d}" for i in range(12)]
_rng = np.random.default_rng(0)
# Synthetic place table with every column any detector reads; a non-default index.
TABLE = pd.DataFrame({
    "geo_code": IDS,
    "geo_name": [f"Place {i}" for i in range(12)],
    "lq": _rng.gamma(2, 0.5, 12),
    "employment_lq": _rng.gamma(2, 0.5, 12),
    "business_lq": _rng.gamma(2, 0.5, 12),
    "employment": _rng.integers(100, 10_000, 12).astype(float),
    "establishments": _rng.integers(10, 1_000, 12).astype(float),
    "x": np.arange(12) * 8_000.0,
    "y": np.zeros(12),
    "mass": _rng.integers(10, 1_000, 12).astype(float),
    "cluster": [True, True, False, True, True, True, False, False, True, True, False, True],
    "cagr": _rng.normal(0.01, 0.02, 12),
    "relative_cagr_pp": _rng.normal(0.0, 2.0, 12),
    "start_value": _rng.integers(10, 1_000, 12).astype(float),
    "end_value": _rng.integers(10, 1_000, 12).astype(float),
}, index=pd.RangeIndex(100, 112))
CHAIN = W({a: [b for b in (IDS[i - 1] if i else None, IDS[i + 1] if i < 11 else None) if b]
           for i, a in enumerate(IDS)}, id_order=IDS, silence_warnings=True)

DETECTORS = [
    ThresholdClusters(min_size=500),
    StrongClusters(),
    HotspotClusters(CHAIN, permutations=99, seed=0),
    Corridors(min_size=100),
    TrajectoryClasses(),
]


@pytest.mark.parametrize("detector", DETECTORS, ids=lambda d: type(d).__name__)
def test_detector_contract(detector):
    assert isinstance(detector, ClusterDetector)
    with pytest.raises(NotFittedError):
        copy.copy(detector)._check_fitted()
    before = TABLE.copy()
    params = detector.get_params()
    params_copy = {k: v for k, v in params.items() if k != "connectivity"}
    first_repr = repr(detector)
    assert detector.fit(TABLE) is detector  # fit returns self
    assert detector.labels_.index.equals(TABLE.index)  # aligned with the input rows
    assert len(detector.labels_) == len(TABLE)
    pd.testing.assert_frame_equal(TABLE, before)  # input untouched
    after = detector.get_params()
    assert after.keys() == params.keys()
    for k, v in params_copy.items():
        assert after[k] == v  # params stored unchanged
    if "connectivity" in params:
        assert after["connectivity"] is params["connectivity"]
    assert repr(detector) == first_repr  # stable repr (no memory addresses)
    assert repr(detector).startswith(type(detector).__name__ + "(")
    assert "0x" not in repr(detector)
    # refitting gives the same labels (seeded)
    again = detector.fit(TABLE).labels_
    pd.testing.assert_series_equal(again, detector.labels_)
    assert detector.fit_predict(TABLE).equals(detector.labels_)
