"""The map's microcluster layer carries its run's provenance (``run``: firm file, checksum, what the points
are, the synthetic flag, coverage), and the page shows it under a microcluster's or firm's popup and names
premises as premises. The layer and its popup gave no firm file, address kind or SYNTHETIC flag, and said
"Firms" for a run on trading premises. SYNTHETIC inputs."""

from __future__ import annotations

import json
from pathlib import Path
from types import SimpleNamespace

import geopandas as gpd
import pytest
from shapely.geometry import Point

from creative_clusters.microclusters import runs
from creative_clusters.web import service

APP_JS = Path(service.__file__).with_name("static") / "app.js"


def _run(**kw) -> runs.RunRecord:
    base: dict = {"run_id": "r0123456789", "created_at": "2026-12-05T10:00", "firm_file": "premises.xlsx",
                  "firm_file_sha256": "ab" * 32, "rows_read": 100, "rows_status_kept": 100, "rows_creative": 90,
                  "rows_located": 80, "method": "split", "params": '{"eps_m": 500.0, "min_firms": 20}',
                  "software_version": "0", "synthetic": True, "address_kind": "trading",
                  "coverage_lads": "E06000043", "stray_lads": "", "coverage_rule": "", "scope": "partial",
                  "n_microclusters": 1, "firm_file_date": "2025-04"}
    base.update(kw)
    return runs.RunRecord(**base)


@pytest.fixture
def wh(tmp_path):
    layer = tmp_path / "microclusters.gpkg"
    layer.write_bytes(b"")
    hulls = gpd.GeoDataFrame({"microcluster_id": ["MC1"], "n_firms": [40], "dominant_share": [0.5]},
                             geometry=[Point(530_000, 105_000).buffer(300)], crs="EPSG:27700")
    return SimpleNamespace(geometry_path=lambda name: layer, read_geometry=lambda name: hulls.copy())


def test_the_layer_carries_the_current_runs_provenance(wh, monkeypatch):
    monkeypatch.setattr(runs, "current_run", lambda w: _run())
    fc = json.loads(service.overlay_body(wh, "microclusters").body)
    assert len(fc["features"]) == 1 and fc["features"][0]["properties"]["microcluster_id"] == "MC1"
    run = fc["run"]
    assert run["firm_file"] == "premises.xlsx" and run["firm_file_sha256"] == "ab" * 32
    assert run["synthetic"] is True and run["address_kind"] == "trading" and run["one"] == "premises"
    assert run["scope"] == "partial" and run["n_lads"] == 1
    assert run["note"].startswith("run r0123456789 on premises.xlsx") and run["note"].endswith("SYNTHETIC")


def test_a_layer_without_runs_has_no_run_member(wh, monkeypatch):
    monkeypatch.setattr(runs, "current_run", lambda w: None)
    assert "run" not in json.loads(service.overlay_body(wh, "microclusters").body)


def test_the_page_shows_the_run_and_names_premises():
    js = APP_JS.read_text(encoding="utf-8")
    assert "fc.run" in js and "function runLine()" in js
    assert "SYNTHETIC" in js and "microRun.firm_file" in js
    assert '"Premises"' in js  # the popup's count and title for a run on trading premises
