"""The forked clustering engine gives cluster_points' own result, makes a failed child good, and cleans up."""

from __future__ import annotations

import os

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from creative_clusters.cli import app
from creative_clusters.microclusters import methods, stability
from creative_clusters.microclusters.engine import ClusterEngine
from creative_clusters.microclusters.methods import cluster_points

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="the engine forks")


def _points(seed: int = 0) -> np.ndarray:
    """SYNTHETIC: three dense spots (one wide enough to split) and scattered points, BNG metres."""
    rng = np.random.default_rng(seed)
    return np.r_[rng.normal(0, 120, (90, 2)), rng.normal(0, 900, (400, 2)) + 6000,
                 rng.normal(0, 100, (70, 2)) + np.array([3000, -4000]), rng.uniform(-9000, 9000, (150, 2))] + 400_000


KW = {"eps": 400.0, "min_firms": 20, "stability_reps": 5, "seed": 7, "max_extent_km2": 2.0}


def _same(a: methods.Labelling, b: methods.Labelling) -> None:
    for name in ("labels", "core", "ids", "top", "firm_stability", "stability"):
        np.testing.assert_array_equal(getattr(a, name), getattr(b, name), err_msg=name)
    pd.testing.assert_frame_equal(a.nodes, b.nodes)
    assert a.notes == b.notes


@pytest.mark.parametrize("method", ["dbscan", "split"])
@pytest.mark.parametrize("background", [True, False])
def test_engine_equals_cluster_points(method, background):
    X = _points()
    engine = ClusterEngine.start(method)
    assert engine is not None
    try:
        lab = engine.cluster_points(X, method=method, background=background, **KW)
        assert (lab.pending is not None) == background  # the draws arrive later in the background
        lab.wait()
    finally:
        engine.stop()
    ref = cluster_points(X, method=method, **KW)
    assert np.isfinite(ref.stability).all() and len(ref.ids) >= 2
    _same(lab, ref)


@pytest.mark.parametrize("where", ["labels", "draws"])
def test_a_failed_child_is_made_good_here(monkeypatch, where):
    """The child fails (in the clustering, or in its stability draws): the result is computed here, the same."""
    parent = os.getpid()
    X = _points(1)
    ref = cluster_points(X, method="dbscan", **KW)
    # methods imports the draws (and numba) when it first clusters, from the stability module
    where_from = methods if where == "labels" else stability
    name = "cluster_points" if where == "labels" else "bootstrap_stability"
    real = getattr(where_from, name)

    def fails_in_the_child(*args, **kwargs):
        if os.getpid() != parent:
            raise RuntimeError("SYNTHETIC failure in the child")
        return real(*args, **kwargs)

    monkeypatch.setattr(where_from, name, fails_in_the_child)
    engine = ClusterEngine.start("dbscan")
    assert engine is not None
    lab = engine.cluster_points(X, method="dbscan", background=True, **KW).wait()
    _same(lab, ref)
    assert engine.pid is None  # reaped


def test_stop_ends_an_unused_child():
    engine = ClusterEngine.start("split")
    assert engine is not None
    pid = engine.pid
    engine.stop()
    assert engine.pid is None
    with pytest.raises(ChildProcessError):  # already reaped: no zombie left
        os.waitpid(pid, os.WNOHANG)
    engine.stop()  # twice is fine


def test_no_engine_without_fork_or_for_hdbscan(monkeypatch):
    assert ClusterEngine.start("hdbscan") is None
    monkeypatch.delattr(os, "fork")
    assert ClusterEngine.start("dbscan") is None


def test_cli_outputs_with_and_without_the_engine_are_the_same(tmp_path, monkeypatch):
    X = _points(2)
    p = tmp_path / "firms.csv"  # SYNTHETIC plain list with BNG coordinates
    pd.DataFrame({"name": "x", "easting": X[:, 0], "northing": X[:, 1], "subsector": "design"}).to_csv(
        p, index=False)
    args = ["microclusters", str(p), "--eps", "500", "--method", "dbscan", "--stability-reps", "4", "--no-load"]
    started = []
    real_start = ClusterEngine.start.__func__

    def start(cls, method):
        engine = real_start(cls, method)
        started.append(engine is not None)
        return engine

    monkeypatch.setattr(ClusterEngine, "start", classmethod(start))
    r = CliRunner().invoke(app, [*args, "--out", str(tmp_path / "engine")])
    assert r.exit_code == 0, r.output
    monkeypatch.setattr(ClusterEngine, "start", classmethod(lambda cls, method: None))
    r = CliRunner().invoke(app, [*args, "--out", str(tmp_path / "here")])
    assert r.exit_code == 0, r.output
    assert started == [True]
    for name in ("microclusters.csv", "microcluster_firms.csv", "microcluster_hierarchy.csv"):
        assert (tmp_path / "engine" / name).read_bytes() == (tmp_path / "here" / name).read_bytes(), name


def test_steps_run_while_the_child_is_busy_and_stop_once_the_labels_are_in():
    """The caller's steps run while the child still loads its kernels (the points go from a thread); once the
    labels are in, the steps left are skipped; the result is the same either way (SYNTHETIC)."""
    X = _points(2)
    ref = cluster_points(X, method="dbscan", **KW)
    seen = []
    engine = ClusterEngine.start("dbscan")
    assert engine is not None
    try:
        lab = engine.cluster_points(X, method="dbscan", background=True, meanwhile=[lambda: seen.append(1)],
                                    **KW).wait()
    finally:
        engine.stop()
    assert seen == [1]  # (the child was still starting: the labels could not be in yet)
    _same(lab, ref)

    engine = ClusterEngine.start("dbscan")
    assert engine is not None

    def until_labels() -> None:
        assert engine is not None
        while not engine.conn.poll(0.05):
            pass
        seen.append(2)

    try:
        lab = engine.cluster_points(X, method="dbscan", background=True,
                                    meanwhile=[until_labels, lambda: seen.append(3)], **KW).wait()
    finally:
        engine.stop()
    assert seen == [1, 2]  # the last step skipped: the labels were in
    _same(lab, ref)
