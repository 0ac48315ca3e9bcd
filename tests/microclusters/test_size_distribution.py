"""size_distribution: the microclusters' size statistics, computed once (CLI line and run.json)."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from creative_clusters.errors import SchemaError
from creative_clusters.microclusters.describe import size_distribution


def _table() -> pd.DataFrame:
    # hand-worked: firms sorted 10, 40, 50, 100, 300 -> median 50; p90 at position 0.9 * 4 = 3.6 ->
    # 100 + 0.6 * (300 - 100) = 220; area sorted 0.2, 1, 3, 10, 25 -> median 3, p90 10 + 0.6 * 15 = 19;
    # over 10 km²: only 25 (10 itself is not over)
    return pd.DataFrame({"microcluster_id": [f"MC000{i}" for i in range(1, 6)],
                         "n_firms": [100, 10, 300, 50, 40], "area_km2": [10.0, 0.2, 25.0, 3.0, 1.0]})


def test_size_distribution_on_a_hand_worked_table() -> None:
    d = size_distribution(_table())
    assert d == pytest.approx({"n_microclusters": 5, "firms_median": 50.0, "firms_p90": 220.0, "firms_max": 300,
                               "area_km2_median": 3.0, "area_km2_p90": 19.0, "area_km2_max": 25.0,
                               "n_over_10_km2": 1})
    assert isinstance(d["firms_max"], int) and isinstance(d["n_over_10_km2"], int)
    json.dumps(d)  # plain numbers: run.json stores it


def test_size_distribution_of_no_microclusters() -> None:
    assert size_distribution(_table().iloc[:0]) == {"n_microclusters": 0, "n_over_10_km2": 0}


def test_size_distribution_names_missing_columns() -> None:
    with pytest.raises(SchemaError, match="area_km2"):
        size_distribution(_table().drop(columns="area_km2"))


def test_cli_prints_the_distribution_unchanged() -> None:
    from creative_clusters.cli.microclusters import _distribution

    assert _distribution(_table()) == ("firms per microcluster: median 50, p90 220, max 300; "
                                       "area km²: median 3.00, p90 19.00, max 25.00; hull area over 10 km²: 1")
    assert _distribution(_table().iloc[:0]) == "no microclusters"


def test_run_json_stores_the_distribution(tmp_path) -> None:
    from creative_clusters.microclusters.outputs import detect_microclusters, write_outputs
    from tests.microclusters.test_microcluster_outputs import synthetic_firms

    res = detect_microclusters(synthetic_firms(), eps=500, min_firms=50, stability_reps=0)
    out = write_outputs(res, tmp_path / "out", parallel=False)
    run = json.loads((out / "run.json").read_text())
    assert run["size_distribution"] == size_distribution(res.microclusters)
    assert run["size_distribution"]["n_microclusters"] == len(res.microclusters) == 2
