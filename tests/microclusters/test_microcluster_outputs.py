"""Microcluster descriptions, hulls, stability, sweep, outputs and the CLI."""

from __future__ import annotations

import json
import os

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner

from creative_clusters.cli import app
from creative_clusters.errors import ParameterError
from creative_clusters.microclusters.hulls import boundary
from creative_clusters.microclusters.outputs import detect_microclusters, write_outputs
from creative_clusters.microclusters.stability import bootstrap_stability
from creative_clusters.microclusters.sweep import parameter_sweep


def synthetic_firms(seed=0):
    """SYNTHETIC: two tight groups (60 and 55 firms) and 40 scattered firms, BNG metres."""
    rng = np.random.default_rng(seed)
    a = rng.normal(0, 150, (60, 2)) + np.array([435000, 387000])
    b = rng.normal(0, 150, (55, 2)) + np.array([445000, 395000])
    c = rng.uniform(0, 20000, (40, 2)) + np.array([425000, 377000])
    xy = np.r_[a, b, c]
    sub = ["music_arts"] * 40 + ["film_tv"] * 20 + ["it_software"] * 55 + ["design"] * 40
    return pd.DataFrame({
        "firm_id": [f"F{i}" for i in range(len(xy))], "name": "x", "postcode": "S1 2BX",
        "subsector": sub, "subsectors": sub, "easting": xy[:, 0], "northing": xy[:, 1],
        "lad_code": ["E08000019"] * 60 + ["E08000016"] * 55 + [None] * 40,
    })


def test_describe_two_microclusters():
    res = detect_microclusters(synthetic_firms(), eps=500, min_firms=50, stability_reps=10)
    mc = res.microclusters.set_index("microcluster_id")
    assert list(mc.index) == ["MC0001", "MC0002"]
    assert mc.loc["MC0001", "n_firms"] >= 59 and mc.loc["MC0002", "n_firms"] >= 54
    assert mc.loc["MC0001", "dominant_subsector"] == "music_arts"
    assert mc.loc["MC0001", "lad_code"] == "E08000019"
    assert mc.loc["MC0002", "dominant_subsector"] == "it_software"
    mix = json.loads(mc.loc["MC0001", "subsector_mix"])
    assert abs(sum(mix.values()) - 1) < 1e-3
    assert abs(mc.loc["MC0001", "centroid_easting"] - 435000) < 100
    assert (mc["area_km2"] > 0).all()
    assert np.allclose(mc["density_per_km2"], mc["n_firms"] / mc["area_km2"], rtol=1e-2)
    # every clustered firm lies within (or on) its hull
    f = res.firms[res.firms.microcluster_id == "MC0001"]
    poly = mc.loc["MC0001", "geometry"]
    import shapely

    assert shapely.covers(poly.buffer(1e-6), shapely.points(f[["easting", "northing"]].to_numpy())).all()
    assert (mc["stability"] > 0.8).all()


def test_hull_fallbacks():
    poly, kind = boundary(np.array([[0, 0], [10, 0], [20, 0.0]]))
    assert kind == "buffer" and poly.area > 0
    poly, kind = boundary(np.array([[5, 5]] * 10, float))
    assert kind == "buffer"
    poly, kind = boundary(np.array([[0, 0], [10, 0], [0, 10.0]]))
    assert kind in ("concave", "convex") and abs(poly.area - 50) < 1e-9


def test_stability_noise_is_unstable_and_seeded():
    X = synthetic_firms()[["easting", "northing"]].to_numpy()
    from creative_clusters.microclusters.dbscan import dbscan

    lab, _ = dbscan(X, 500, 50)
    f1, _c1 = bootstrap_stability(X, lab, eps=500, min_samples=50, reps=8, seed=5)
    f2, _c2 = bootstrap_stability(X, lab, eps=500, min_samples=50, reps=8, seed=5)
    np.testing.assert_array_equal(f1, f2)
    assert np.nanmean(f1[115:]) < 0.1  # scattered firms rarely clustered
    assert np.nanmean(f1[:60]) > 0.8


def test_boundaries_equal_one_hull_per_cluster():
    """All clusters at once give each cluster's own concave hull of its distinct points (SYNTHETIC)."""
    import shapely

    from creative_clusters.microclusters.hulls import boundaries

    rng = np.random.default_rng(3)
    pts = np.round(rng.normal(0, 300, (600, 2)))  # rounded: repeated points, as firms at one postcode
    lab = rng.integers(0, 5, 600)
    lab[:3] = 5  # a cluster of three points on one spot: buffered
    pts[:3] = [10.0, 10.0]
    polys, kinds = boundaries(pts, lab, 0.3)
    for c in range(5):
        ref = shapely.concave_hull(shapely.multipoints(np.unique(pts[lab == c], axis=0)), ratio=0.3)
        assert kinds[c] == "concave" and shapely.equals_exact(polys[c], ref, 0)
    assert kinds[5] == "buffer" and polys[5].area > 7000
    with pytest.raises(ValueError, match="every label"):
        boundaries(pts[:2], np.array([0, 2]))
    poly, kind = boundary(np.empty((0, 2)))  # as before boundaries: an empty buffer
    assert kind == "buffer" and poly.is_empty


@pytest.mark.parametrize("frac", [0.8, 0.5])
def test_stability_equals_scikit_learn_on_each_draw(frac):
    """bootstrap_stability (one grid, draws named by the firms they leave out, numba kernels) equals a plain
    reference: each seeded draw keeps every firm but ``left_out_rows``, scikit-learn's DBSCAN clusters the
    kept firms at min_samples scaled by ``frac``, and both stabilities are counted as the module defines."""
    import math

    from sklearn.cluster import DBSCAN

    from creative_clusters.microclusters.dbscan import dbscan
    from creative_clusters.microclusters.stability import left_out_rows

    X = synthetic_firms()[["easting", "northing"]].to_numpy()
    eps, ms, reps, seed = 500.0, 20, 6, 9
    lab, _ = dbscan(X, eps, ms)
    n, k = len(X), int(lab.max()) + 1
    rng = np.random.default_rng(seed)
    m, take = max(2, math.floor(ms * frac)), max(1, int(n * frac))
    drawn, clustered, recovered = np.zeros(n), np.zeros(n), np.zeros(k)
    for _ in range(reps):
        keep = np.ones(n, dtype=bool)
        keep[left_out_rows(rng, n, take)] = False
        assert keep.sum() == take
        d = np.full(n, -1)
        d[keep] = DBSCAN(eps=eps, min_samples=m).fit(X[keep]).labels_
        drawn += keep
        clustered += keep & (d >= 0)
        for c in range(k):
            got = d[(lab == c) & keep]
            if len(got) and (got >= 0).any() and np.bincount(got[got >= 0]).max() >= 0.5 * len(got):
                recovered[c] += 1
    f, cs = bootstrap_stability(X, lab, eps=eps, min_samples=ms, reps=reps, frac=frac, seed=seed)
    np.testing.assert_allclose(f, np.where(drawn > 0, clustered / np.maximum(drawn, 1), np.nan))
    np.testing.assert_allclose(cs, recovered / reps)
    assert 0 < np.nanmean(f) < 1  # the draws are not all alike: the check could fail


@pytest.mark.parametrize("workers", [2, 3])
def test_stability_does_not_depend_on_threads(workers):
    X = synthetic_firms()[["easting", "northing"]].to_numpy()
    from creative_clusters.microclusters.dbscan import dbscan

    lab, _ = dbscan(X, 500, 50)
    f1, c1 = bootstrap_stability(X, lab, eps=500, min_samples=50, reps=7, seed=11, workers=1)
    f2, c2 = bootstrap_stability(X, lab, eps=500, min_samples=50, reps=7, seed=11, workers=workers)
    np.testing.assert_array_equal(f1, f2)
    np.testing.assert_array_equal(c1, c2)
    with pytest.raises(ParameterError, match="workers"):
        bootstrap_stability(X, lab, eps=500, min_samples=50, reps=2, workers=0)


def test_sweep_monotone_in_min_size():
    X = synthetic_firms()[["easting", "northing"]].to_numpy()
    t = parameter_sweep(X, eps_values=[500.0], min_values=[10, 50, 100])
    assert t["n_microclusters"].tolist()[1:] == [2, 0]
    assert t["share_clustered"].is_monotonic_decreasing


def test_hdbscan_option():
    res = detect_microclusters(synthetic_firms(), min_firms=30, method="hdbscan")
    assert len(res.microclusters) >= 2


@pytest.mark.parametrize("kw", [{"eps": 0}, {"eps": -5}, {"min_firms": 1}, {"method": "kmeans"}])
def test_bad_parameters(kw):
    with pytest.raises(ParameterError):
        detect_microclusters(synthetic_firms(), **kw)


def test_write_outputs_atomic(tmp_path):
    res = detect_microclusters(synthetic_firms(), eps=500, min_firms=50, stability_reps=3)
    out = write_outputs(res, tmp_path / "out")
    names = sorted(p.name for p in out.iterdir())
    assert names == ["microcluster_firms.csv", "microcluster_firms.gpkg", "microcluster_hierarchy.csv",
                     "microclusters.csv", "microclusters.geojson",
                     "microclusters.gpkg", "microclusters_map.png", "run.json"]
    import geopandas as gpd

    g = gpd.read_file(out / "microclusters.gpkg", layer="microclusters")
    assert len(g) == 2 and g.crs.to_epsg() == 27700

    def boom():
        raise RuntimeError("load failed")

    with pytest.raises(RuntimeError):
        write_outputs(res, tmp_path / "out2", before_commit=boom)
    assert not (tmp_path / "out2").exists()
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def _layers(folder):
    import geopandas as gpd

    return [gpd.read_file(folder / f"{name}.gpkg", layer=name) for name in ("microclusters", "microcluster_firms")]


@pytest.mark.parametrize("child", ["forked", "fails", "no fork"])
def test_geopackage_written_by_a_child_or_here_is_the_same(tmp_path, monkeypatch, child):
    """The GeoPackage and the PNG forked children write equal those written in-process; a failed child is
    made good."""
    from creative_clusters.microclusters import outputs

    res = detect_microclusters(synthetic_firms(), eps=500, min_firms=50, stability_reps=2)
    ref = write_outputs(res, tmp_path / "ref", parallel=False)
    if child == "fails":  # a child reported as failed: the parent writes the file again
        monkeypatch.setattr(outputs, "_wait", lambda pid: (os.waitpid(pid, 0), False)[1])
    elif child == "no fork":
        monkeypatch.delattr(os, "fork")
    out = write_outputs(res, tmp_path / "out")
    for a, b in zip(_layers(ref), _layers(out), strict=True):
        pd.testing.assert_frame_equal(pd.DataFrame(a.drop(columns="geometry")),
                                      pd.DataFrame(b.drop(columns="geometry")))
        assert a.geometry.geom_equals_exact(b.geometry, 0).all()
    assert sorted(p.name for p in out.iterdir()) == sorted(p.name for p in ref.iterdir())
    # the map, drawn by a second child (or here), is the same picture
    png = "microclusters_map.png"
    assert (out / png).read_bytes() == (ref / png).read_bytes() and (out / png).stat().st_size > 1000


@pytest.mark.parametrize("parallel", [True, False])
def test_firm_layer_started_before_the_description_is_the_same(tmp_path, monkeypatch, parallel):
    """From BACKGROUND_MAX_POINTS firms on, the firm table is final before the description: on_firms gets it
    then (stability filled in), and the firm layer written from it equals the one write_outputs writes."""
    from creative_clusters.microclusters import outputs

    monkeypatch.setattr(outputs, "BACKGROUND_MAX_POINTS", 10)  # the national path on a small file
    seen = []
    real_describe = outputs._describe

    def describe(*args, **kwargs):
        seen.append("describe")
        return real_describe(*args, **kwargs)

    monkeypatch.setattr(outputs, "_describe", describe)
    writer = outputs.OutputWriter(tmp_path / "early", parallel=parallel)

    def on_firms(firms):
        seen.append("firms")
        assert firms["stability"].notna().any()  # the draws are in
        writer.start_firm_layer(firms)

    res = detect_microclusters(synthetic_firms(), eps=500, min_firms=50, stability_reps=2, on_firms=on_firms)
    assert seen == ["firms", "describe"]
    early = writer.commit(res)
    ref = write_outputs(res, tmp_path / "ref", parallel=False)
    for a, b in zip(_layers(ref), _layers(early), strict=True):
        pd.testing.assert_frame_equal(pd.DataFrame(a.drop(columns="geometry")),
                                      pd.DataFrame(b.drop(columns="geometry")))
    # below the threshold the table is final when the draws finish, after the description: called then,
    # with the stability in; with a sweep (a column added at the end) not at all
    monkeypatch.setattr(outputs, "BACKGROUND_MAX_POINTS", 10**9)
    seen.clear()
    late = detect_microclusters(synthetic_firms(), eps=500, min_firms=50, stability_reps=2,
                                on_firms=lambda f: seen.append(("firms", f["stability"].notna().any(), f)))
    assert [s if isinstance(s, str) else s[:2] for s in seen] == ["describe", ("firms", True)]
    assert seen[1][2] is late.firms  # the result's own table: commit() keeps the child's layer
    seen.clear()
    detect_microclusters(synthetic_firms(), eps=500, min_firms=50, stability_reps=2, sweep=True,
                         on_firms=lambda f: seen.append("firms"))
    assert "firms" not in seen


def test_writer_started_then_abandoned_leaves_nothing(tmp_path):
    """A run that fails after the firm layer started (e.g. in the description) leaves no folder behind."""
    from creative_clusters.microclusters import outputs

    res = detect_microclusters(synthetic_firms(), eps=500, min_firms=50, stability_reps=2)
    writer = outputs.OutputWriter(tmp_path / "out")
    writer.start_firm_layer(res.firms)
    writer.abort()
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("method", ["dbscan", "split"])
def test_stability_in_background_equals_inline(method):
    from creative_clusters.microclusters.methods import cluster_points

    X = synthetic_firms()[["easting", "northing"]].to_numpy()
    a = cluster_points(X, method=method, eps=500, min_firms=20, stability_reps=4, seed=3)
    b = cluster_points(X, method=method, eps=500, min_firms=20, stability_reps=4, seed=3, background=True)
    b.wait()
    assert a.pending is None and b.pending is None
    np.testing.assert_array_equal(a.firm_stability, b.firm_stability)
    np.testing.assert_array_equal(a.stability, b.stability)


def test_firm_point_layer_equals_geopandas_writer(tmp_path):
    """The Arrow point layer (WKB built from the coordinates) reads back as geopandas' own writer's."""
    import geopandas as gpd

    from creative_clusters.microclusters.outputs import CRS, _write_point_layer

    res = detect_microclusters(synthetic_firms(), eps=500, min_firms=50, stability_reps=2)
    firms = res.firms.assign(company_status=None)  # an all-missing column (Arrow null type)
    ours, ref = tmp_path / "ours.gpkg", tmp_path / "ref.gpkg"
    _write_point_layer(firms, ours, "microcluster_firms")
    gpd.GeoDataFrame(firms, geometry=gpd.points_from_xy(firms.easting, firms.northing), crs=CRS).to_file(
        ref, layer="microcluster_firms", driver="GPKG", engine="pyogrio", use_arrow=True)
    a = gpd.read_file(ours, layer="microcluster_firms")
    b = gpd.read_file(ref, layer="microcluster_firms")
    pd.testing.assert_frame_equal(pd.DataFrame(a.drop(columns="geometry")),
                                  pd.DataFrame(b.drop(columns="geometry")))
    assert a.geometry.geom_equals_exact(b.geometry, 0).all() and a.crs == b.crs
    assert a.geometry.x.tolist() == firms["easting"].tolist()


def _csv(tmp_path):
    df = synthetic_firms()
    p = tmp_path / "firms.csv"  # SYNTHETIC plain list with BNG coordinates
    df[["name", "easting", "northing", "subsector"]].to_csv(p, index=False)
    return p


def test_cli_end_to_end_loads_warehouse(tmp_path):
    p = _csv(tmp_path)
    r = CliRunner().invoke(app, ["microclusters", str(p), "--eps", "500", "--out",
                                 str(tmp_path / "out"), "--home", str(tmp_path / "home"),
                                 "--stability-reps", "3", "--sweep"])
    assert r.exit_code == 0, r.output
    assert "2 microclusters" in r.output
    assert (tmp_path / "out" / "sweep.csv").exists()
    from creative_clusters.warehouse import Warehouse

    with Warehouse(tmp_path / "home", read_only=True) as wh:
        assert len(wh.table("microclusters")) == 2
        assert len(wh.table("microcluster_firms")) == 155
        assert len(wh.read_geometry("microclusters")) == 2
        assert wh.has_dataset("microclusters")


@pytest.mark.parametrize(
    "args,match",
    [(["--eps", "0"], "eps"), (["--min-firms", "1"], "min-firms"), (["--eps", "-3"], "eps")],
)
def test_cli_bad_parameters_write_nothing(tmp_path, args, match):
    p = _csv(tmp_path)
    r = CliRunner().invoke(app, ["microclusters", str(p), "--out", str(tmp_path / "out"),
                                 "--home", str(tmp_path / "home"), *args])
    assert r.exit_code == 1 and match in r.output
    assert not (tmp_path / "out").exists() and not (tmp_path / "home").exists()


def test_cli_no_creative_firms(tmp_path):
    p = tmp_path / "f.csv"
    p.write_text("name,sic,easting,northing\nA,4711,1,2\n")
    r = CliRunner().invoke(app, ["microclusters", str(p), "--out", str(tmp_path / "out"), "--no-load"])
    assert r.exit_code == 1 and "no creative firms" in r.output
    assert not (tmp_path / "out").exists()


def test_real_sheffield_microclusters(sy_creative):
    firms, _ = sy_creative
    firms = firms[firms["company_status"].str.startswith("Active")]
    res = detect_microclusters(firms, eps=1000, min_firms=50, stability_reps=0)
    mc = res.microclusters
    # the largest microcluster is central Sheffield (LAD 2023 code E08000019, S1 postcodes)
    top = mc.sort_values("n_firms").iloc[-1]
    assert top["lad_code"] == "E08000019" and "S1" in top["postcode_districts"].split(";")
    assert top.geometry.contains(
        __import__("shapely").Point(435300, 387200))  # Sheffield city centre (Town Hall area)
    # each firm in at most one microcluster; clustered firms counted in n_firms
    assert mc["n_firms"].sum() == (res.firms["microcluster_id"] != "").sum()


def test_attach_areas_from_warehouse_layers(full_warehouse):
    from creative_clusters.microclusters.outputs import attach_areas

    # SYNTHETIC firms around Sheffield city centre (BNG 435300, 387200)
    rng = np.random.default_rng(2)
    xy = rng.normal(0, 100, (60, 2)) + np.array([435300, 387200])
    firms = pd.DataFrame({"easting": xy[:, 0], "northing": xy[:, 1], "subsector": "design",
                          "subsectors": "design"})
    res = attach_areas(detect_microclusters(firms, eps=300, min_firms=50, stability_reps=0),
                       full_warehouse)
    row = res.microclusters.iloc[0]
    assert row["lad23_code"] == "E08000019"  # Sheffield, LAD 2023
    assert row["cauth_code"] == "E47000002"  # South Yorkshire MCA
    assert row["rgn_code"] == "E12000003"  # Yorkshire and The Humber
    assert "Sheffield" in str(row["ttwa_name"])


def test_attach_areas_uses_the_newest_combined_authorities(full_warehouse):
    """Combined authorities as they are now (the newest ``cauth_YYYY`` layer imported), as the rest of the
    product sums them: Hull and Lincoln joined combined authorities created in 2025 (Hull and East
    Yorkshire, E47000016; Greater Lincolnshire, E47000017), so a 2024 layer would leave them without one."""
    from creative_clusters.geography.boundaries import count_layer as area_layer
    from creative_clusters.microclusters.outputs import attach_areas

    layers = full_warehouse.geometry_layers()
    newest = max(n for n in layers if n.startswith("cauth_"))
    assert area_layer("cauth", layers) == newest and newest >= "cauth_2025"
    # SYNTHETIC firms around Hull and Lincoln city centres (BNG)
    rng = np.random.default_rng(3)
    xy = np.vstack([rng.normal(0, 100, (60, 2)) + np.array([509000, 428900]),
                    rng.normal(0, 100, (60, 2)) + np.array([497600, 371500])])
    firms = pd.DataFrame({"easting": xy[:, 0], "northing": xy[:, 1], "subsector": "design",
                          "subsectors": "design"})
    mc = attach_areas(detect_microclusters(firms, eps=300, min_firms=50, stability_reps=0),
                      full_warehouse).microclusters.sort_values("centroid_northing")
    assert mc["cauth_code"].tolist() == ["E47000017", "E47000016"]
    assert mc["lad23_code"].tolist() == ["E07000138", "E06000010"]  # Lincoln, Kingston upon Hull


def test_newest_layer_picks_the_latest_year():
    from creative_clusters.geography.boundaries import newest_layer

    assert newest_layer(["cauth_2019", "cauth_2025", "cauth_2024", "lad_2026"], "cauth") == "cauth_2025"
    assert newest_layer(["lad_2023", "lad_2030"], "lad") == "lad_2030"  # a newer import, no code change
    assert newest_layer([], "cauth", default="cauth_2023") == "cauth_2023"
    assert newest_layer(["cauth_x", "rgn"], "rgn") == "rgn"


@pytest.mark.parametrize("step", [None, 100.0])
def test_extents_of_all_clusters_equal_each_extent(monkeypatch, step):
    """hierarchy.extents_km2 (many clusters per shapely call, in groups; distinct points) equals extent_km2
    per cluster (all its points), also when firms share points (``step``: points snapped to a grid)."""
    from creative_clusters.microclusters import hierarchy

    rng = np.random.default_rng(8)
    X = rng.normal(0, 400, (500, 2))
    if step is not None:
        X = np.round(X / step) * step
        assert len(np.unique(X, axis=0)) < 250
    lab = rng.integers(-1, 9, 500)
    lab[lab == 4] = -1  # label 4 empty
    lab[:2] = 8  # cluster 8 of two points only (zero extent), with a few more below
    lab[lab == 8] = np.where(np.arange((lab == 8).sum()) < 2, 8, 7)
    order = np.argsort(lab, kind="stable")
    cut = np.searchsorted(lab[order], np.arange(10))
    ref = np.array([hierarchy.extent_km2(X[order[cut[c]:cut[c + 1]]]) for c in range(9)])
    monkeypatch.setattr(hierarchy, "EXTENT_CHUNK_POINTS", 60)  # several groups
    got = hierarchy.extents_km2(X, lab, 9)
    np.testing.assert_array_equal(got, ref)
    assert got[4] == 0 and got[8] == 0 and (got[[0, 1, 2, 3, 5, 6, 7]] > 0).all()


def test_abort_stops_a_running_firm_layer_child(tmp_path, monkeypatch):
    """After a failure or Ctrl-C the firm layer is not wanted: abort() terminates its child, not waits for it."""
    import time

    from creative_clusters.microclusters import outputs

    monkeypatch.setattr(outputs, "_write_point_layer", lambda *a: time.sleep(120))  # a child that would run on
    res = detect_microclusters(synthetic_firms(), eps=500, min_firms=50, stability_reps=2)
    writer = outputs.OutputWriter(tmp_path / "out")
    writer.start_firm_layer(res.firms)
    pid = writer._firm_child
    assert pid is not None
    started = time.monotonic()
    writer.abort()
    assert time.monotonic() - started < 60  # far below the child's 120 s: it was stopped
    with pytest.raises(ChildProcessError):
        os.waitpid(pid, os.WNOHANG)  # reaped
    assert list(tmp_path.iterdir()) == []


def test_abort_removes_the_folders_it_made_for_out(tmp_path):
    """A failed run to a new nested OUT leaves the file system as it was, and keeps folders that were there."""
    from creative_clusters.microclusters import outputs

    writer = outputs.OutputWriter(tmp_path / "a" / "b" / "out", parallel=False)
    assert (tmp_path / "a" / "b").is_dir()
    writer.abort()
    assert list(tmp_path.iterdir()) == []
    (tmp_path / "kept").mkdir()
    outputs.OutputWriter(tmp_path / "kept" / "new" / "out", parallel=False).abort()
    assert [p.name for p in tmp_path.iterdir()] == ["kept"] and list((tmp_path / "kept").iterdir()) == []


@given(st.lists(st.tuples(st.floats(0, 100), st.floats(0, 100)), min_size=1, max_size=40))
def test_map_labels_never_overlap_and_the_largest_is_always_drawn(points):
    # the national PNG had overlapping, unreadable labels over London; labels now give way to larger clusters'
    from creative_clusters.microclusters.outputs import label_positions

    x, y = np.array([p[0] for p in points]), np.array([p[1] for p in points])
    kept = label_positions(x, y, width=10.0, height=3.0)
    assert kept[0] == 0 and kept == sorted(kept)
    for a, i in enumerate(kept):
        for j in kept[:a]:
            assert abs(x[i] - x[j]) >= 10.0 or abs(y[i] - y[j]) >= 3.0
    for i in set(range(len(x))) - set(kept):  # each left out would have overlapped one drawn before it
        assert any(abs(x[i] - x[j]) < 10.0 and abs(y[i] - y[j]) < 3.0 for j in kept if j < i)


def test_firm_layer_starts_during_the_description_once_the_draws_are_in(monkeypatch):
    """Draws that finish while the clusters are described: on_firms is called then (between hull chunks),
    with the same table as at the end; the description and the firm table are unchanged (SYNTHETIC)."""
    from concurrent.futures import Future

    from creative_clusters.microclusters import describe as describe_module
    from creative_clusters.microclusters import hulls, outputs
    from creative_clusters.microclusters.methods import cluster_points

    monkeypatch.setattr(hulls, "HULL_CHUNK", 1)
    firms = synthetic_firms()
    ref = detect_microclusters(firms, eps=500, min_firms=50, stability_reps=3)
    seen = []
    real_describe = outputs._describe

    def describe(*args, **kwargs):
        seen.append("describe")
        out = real_describe(*args, **kwargs)
        seen.append("described")
        return out

    def clusterer(X, *, meanwhile=(), **kw):
        lab = cluster_points(X, **{**kw, "background": False})
        done: Future = Future()
        lab.pending, stab = done, (lab.firm_stability, lab.stability)
        lab.firm_stability, lab.stability = np.full(len(X), np.nan), np.full(len(lab.ids), np.nan)
        real_boundaries = hulls.boundaries

        def boundaries(*a, **k):  # the draws come in once the hulls are being taken
            done.set_result(stab)
            return real_boundaries(*a, **k)

        monkeypatch.setattr(describe_module, "boundaries", boundaries)
        return lab

    monkeypatch.setattr(outputs, "_describe", describe)
    res = detect_microclusters(firms, eps=500, min_firms=50, stability_reps=3, clusterer=clusterer,
                               on_firms=lambda f: seen.append(("firms", f["stability"].notna().any(), f)))
    assert [s if isinstance(s, str) else s[:2] for s in seen] == ["describe", ("firms", True), "described"]
    assert seen[1][2] is res.firms
    pd.testing.assert_frame_equal(res.firms, ref.firms)
    pd.testing.assert_frame_equal(pd.DataFrame(res.microclusters.drop(columns="geometry")),
                                  pd.DataFrame(ref.microclusters.drop(columns="geometry")))
    assert res.microclusters.geometry.geom_equals_exact(ref.microclusters.geometry, 0).all()
