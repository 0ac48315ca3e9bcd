"""JSON API on the real reference data: validation, places, profiles, indicators, probes."""

from __future__ import annotations

import pytest


def test_openapi_schema_lists_the_endpoints(client):
    paths = client.get("/openapi.json").json()["paths"]
    for p in ("/api/places", "/api/places/{code}/profile", "/api/indicators", "/api/clusters",
              "/api/microclusters", "/api/corridors", "/api/research"):
        assert p in paths


@pytest.mark.parametrize("q,code", [("Sheffield", "E08000019"), ("Bristol", "E06000023"), ("sheffeld", "E08000019")])
def test_search_finds_places(client, q, code):
    res = client.get("/api/places", params={"q": q}).json()["results"]
    assert code in [r["code"] for r in res[:3]]


def test_profile_of_westminster_has_published_total(client):
    prof = client.get("/api/places/E09000033/profile").json()
    assert prof["creative_enterprises"]["total"]["value"] == 10350
    assert prof["place"]["name"] == "Westminster"


def test_unknown_place_is_404_with_suggestions(client):
    r = client.get("/api/places/E99999999/profile")
    assert r.status_code == 404
    assert "suggestions" in r.json()


def test_indicators_cover_every_english_lad(client):
    res = client.get("/api/indicators", params={"level": "lad", "subsector": "all", "measure": "business_count"}).json()
    eng = [r for r in res["rows"] if r["geo_code"].startswith("E")]
    assert len(eng) == 296
    assert sum(r["value"] for r in eng) == 246790


@pytest.mark.parametrize("params", [
    {"level": "lad; DROP TABLE observations"},
    {"measure": "' OR 1=1 --"},
    {"subsector": "../../etc/passwd"},
    {"year": "1900"},
])
def test_bad_parameters_are_4xx(client, params):
    r = client.get("/api/indicators", params=params)
    assert 400 <= r.status_code < 500


@pytest.mark.parametrize("path", [
    "/static/..%2F..%2Fwarehouse.py", "/static/../app.py", "/static/vendor/..%2F..%2Fpackage.json",
    "/api/places/..%2F..%2Fetc%2Fpasswd/profile", "/static/%2Fetc%2Fpasswd",
])
def test_path_traversal_probes_do_not_reach_files(client, path):
    r = client.get(path)
    assert r.status_code in (404, 422)
    assert "import" not in r.text[:200]


def test_cors_is_off_by_default(client):
    r = client.get("/api/meta", headers={"Origin": "https://example.org"})
    assert "access-control-allow-origin" not in {k.lower() for k in r.headers}


def test_evidence_pack_download_is_self_contained_html(client):
    r = client.get("/api/places/E06000043/evidence.html")  # Brighton and Hove
    assert r.status_code == 200
    assert "Brighton and Hove" in r.text
    assert "<script src=" not in r.text
    r2 = client.get("/api/places/E06000043/evidence.html")
    assert r2.text == r.text  # cached, deterministic


def test_corridors_layer_has_london_supercluster(client):
    fc = client.get("/api/corridors").json()
    assert fc["type"] == "FeatureCollection" and fc["features"]
    london = [f for f in fc["features"] if "Westminster" in f["properties"]["member_names"]]
    assert len(london) == 1  # methods.md §4: the London supercluster
    assert "Camden" in london[0]["properties"]["member_names"]


def test_microclusters_layer_is_geojson_even_when_not_loaded(client):
    for url in ("/api/microclusters", "/api/microclusters/firms"):
        fc = client.get(url).json()
        assert fc["type"] == "FeatureCollection"


def test_clusters_endpoint_lists_brighton_under_threshold_rule(client):
    res = client.get("/api/clusters", params={"method": "threshold"}).json()
    codes = {c["geo_code"] for c in res["clusters"]}
    assert "E06000043" in codes  # Brighton: a named cluster in Nesta 2016 (methods.md §16 case 7)
    assert "E09000033" in codes


def test_profile_carries_benchmark_percentiles_with_gaps(client):
    bench = client.get("/api/places/E06000043/profile").json()["benchmark"]
    dims = {b["dimension"] for b in bench}
    assert len(dims) == 5  # the five growth-potential dimensions
    scored = [b for b in bench if b["percentile"] is not None]
    gaps = [b for b in bench if b["value"] is None]
    assert scored and all(0 <= b["percentile"] <= 100 for b in scored)
    assert gaps and all(b["percentile"] is None for b in gaps)  # gaps are never scored as zero
    lq = next(b for b in bench if b["label"] == "Creative business location quotient")
    assert lq["percentile"] > 90  # Brighton: a named cluster (methods.md §16)
