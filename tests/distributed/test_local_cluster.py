"""The same identity on a real LocalCluster of two worker processes, and the file-to-file path."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from creative_clusters.distributed.cluster import connect, kernel_threads
from creative_clusters.distributed.dbscan import dbscan_points
from creative_clusters.distributed.points import microclusters_distributed
from creative_clusters.errors import DataSourceError, ParameterError, SchemaError
from creative_clusters.microclusters.dbscan import dbscan

from .strategies import eps_values, integer_points, min_samples_values, tilings


def test_the_cluster_has_two_worker_processes(dask_client):
    workers = dask_client.scheduler_info()["workers"]
    assert len(workers) == 2
    pids = set(dask_client.run(__import__("os").getpid).values())
    assert len(pids) == 2 and __import__("os").getpid() not in pids
    assert kernel_threads(dask_client) >= 1


# the client's heartbeat thread uses `random` while Hypothesis draws; harmless here
@pytest.mark.filterwarnings("ignore::hypothesis.errors.HypothesisDeprecationWarning")
@settings(max_examples=8, deadline=None)
@given(X=integer_points(max_n=150), eps=eps_values, m=min_samples_values, data=st.data())
def test_hypothesis_on_the_cluster_equals_the_kernel(dask_client, X, eps, m, data):
    tiling = data.draw(tilings(0, 24, max_cuts=3))
    labels, core = dbscan_points(X, eps, m, client=dask_client, tiling=tiling, batch_size=70, kernel_threads=1)
    k_labels, k_core = dbscan(X, eps, m)
    np.testing.assert_array_equal(core, k_core)
    np.testing.assert_array_equal(labels, k_labels)


def _synthetic_firms(n_dense=1500, n_sparse=1500, seed=5):
    """SYNTHETIC firms: two dense blobs and scattered noise in BNG-like metres."""
    rng = np.random.default_rng(seed)
    xy = np.r_[rng.normal((430_000, 387_000), 150, (n_dense, 2)),
               rng.uniform((420_000, 380_000), (440_000, 395_000), (n_sparse, 2)),
               rng.normal((436_000, 391_000), 100, (n_dense // 2, 2))].round(1)
    return pd.DataFrame({"firm_id": [f"SYN{i:05d}" for i in range(len(xy))],
                         "easting": xy[:, 0], "northing": xy[:, 1],
                         "subsector": rng.choice(["film_tv", "music_arts", "software_games"], len(xy)),
                         "sic": rng.choice(["0111", "5911", "6201"], len(xy))})


@pytest.mark.parametrize("fmt", ["csv", "parquet"])
def test_file_in_partitions_to_partitioned_parquet(dask_client, tmp_path, fmt):
    firms = _synthetic_firms()
    src = tmp_path / f"synthetic_firms.{fmt}"
    if fmt == "csv":
        firms.to_csv(src, index=False)
    else:
        firms.to_parquet(src, row_group_size=700, index=False)
    res = microclusters_distributed(src, tmp_path / "out", client=dask_client, eps=60.0, min_samples=12,
                                    n_tiles=6, blocksize=40_000, kernel_threads=1)
    parts = sorted((tmp_path / "out" / "points").glob("part-*.parquet"))
    assert len(parts) >= 4
    got = pd.read_parquet(tmp_path / "out" / "points").sort_values("gid").reset_index(drop=True)
    labels, core = dbscan(firms[["easting", "northing"]].to_numpy(), 60.0, 12)
    assert got["gid"].tolist() == list(range(len(firms)))
    np.testing.assert_array_equal(got["label"].to_numpy(), labels)
    np.testing.assert_array_equal(got["is_core"].to_numpy(), core)
    # other columns travel with their rows, codes keep their leading zeros
    assert got["firm_id"].tolist() == firms["firm_id"].tolist()
    assert got["sic"].astype(str).tolist() == firms["sic"].tolist()
    ids = got["microcluster_id"].to_numpy()
    assert ((ids == "") == (labels == -1)).all() and set(ids[labels == 0]) == {"MC0001"}
    # the summary adds up to the points
    s = pd.read_csv(tmp_path / "out" / "microclusters.csv")
    assert s["n_firms"].tolist() == np.bincount(labels[labels >= 0]).tolist()
    assert s["n_core"].sum() == core.sum()
    top = firms[labels == 0]["subsector"].value_counts()
    assert s.loc[0, "dominant_subsector"] == top.index[0]
    run = json.loads((tmp_path / "out" / "run.json").read_text())
    assert run["params"]["n_points"] == len(firms) and run["params"]["n_microclusters"] == labels.max() + 1
    assert any("SYNTHETIC" in n for n in run["notes"])
    assert res.params["n_noise"] == int((labels == -1).sum())


def test_bad_input_says_file_column_and_fix(dask_client, tmp_path):
    src = tmp_path / "synthetic_bad.csv"
    pd.DataFrame({"x": [1.0], "northing": [2.0]}).to_csv(src, index=False)
    with pytest.raises(SchemaError, match=r"synthetic_bad.csv: no column\(s\) \['easting'\].*"
                                          r"Name the columns .*'easting' and 'northing'"):
        microclusters_distributed(src, tmp_path / "out", client=dask_client, eps=1.0, min_samples=2)
    pd.DataFrame({"easting": [1.0, np.nan], "northing": [2.0, 3.0]}).to_csv(src, index=False)
    with pytest.raises(ParameterError, match="missing or infinite"):
        microclusters_distributed(src, tmp_path / "out", client=dask_client, eps=1.0, min_samples=2)
    assert not (tmp_path / "out").exists()  # nothing half-written


def test_unreachable_scheduler_is_a_clear_error():
    with pytest.raises(DataSourceError, match=r"could not reach the Dask scheduler.*--scheduler local"), \
            connect("tcp://127.0.0.1:9", timeout=1.0):
        pass


def test_parquet_is_read_one_partition_per_row_group(tmp_path):
    from creative_clusters.distributed.points import read_point_partitions

    _synthetic_firms().to_parquet(tmp_path / "synthetic.parquet", row_group_size=1000, index=False)
    assert read_point_partitions(tmp_path / "synthetic.parquet").npartitions == 4  # 3,750 rows
