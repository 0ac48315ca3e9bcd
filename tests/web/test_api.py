"""JSON API on the real reference data: validation, places, profiles, indicators, probes."""

from __future__ import annotations

import pytest


def test_openapi_schema_lists_the_endpoints(client):
    paths = client.get("/openapi.json").json()["paths"]
    for p in ("/api/places", "/api/places/{code}/profile", "/api/indicators", "/api/clusters", "/api/version",
              "/api/microclusters", "/api/microclusters/firms", "/api/corridors", "/api/research",
              "/api/geometry/{level}", "/api/labels/{level}"):
        assert p in paths


@pytest.mark.parametrize("q,code", [("Sheffield", ("E08000019", "E08000039")), ("Bristol", ("E06000023",)),
                                    ("sheffeld", ("E08000019", "E08000039"))])
def test_search_finds_places(client, q, code):
    res = client.get("/api/places", params={"q": q}).json()["results"]
    assert {r["code"] for r in res[:3]} & set(code)


def test_search_shows_each_name_and_type_once_with_a_plain_type(client):
    for q in ("Sheffield", "Glasgow"):
        res = client.get("/api/places", params={"q": q}).json()["results"]
        keys = [(r["name"], r["geo_type"]) for r in res]
        assert len(keys) == len(set(keys)), keys
        assert all(r["type_label"] and r["year"] for r in res)
    first = client.get("/api/places", params={"q": "Sheffield"}).json()["results"][0]
    assert first["type_label"] == "Local authority"


@pytest.mark.parametrize("q", ["!!!", "  ", "-", "%%"])
def test_punctuation_only_search_is_rejected(client, q):
    assert client.get("/api/places", params={"q": q}).status_code == 422
    assert client.get("/api/research", params={"text": q if q.strip() else "."}).status_code == 422


def test_profile_of_westminster_has_published_total(client):
    prof = client.get("/api/places/E09000033/profile").json()
    assert prof["creative_enterprises"]["total"]["value"] == 10350
    assert prof["place"]["name"] == "Westminster"


def test_profile_is_cached_by_resolved_place_not_by_text(client, web_app):
    a = client.get("/api/places/sheffield/profile")
    b = client.get("/api/places/SHEFFIELD/profile")
    assert a.status_code == b.status_code == 200
    assert a.headers["etag"] == b.headers["etag"]
    keys = [k for k in web_app.state.service.current._cache if k[0] == "profile"]
    assert len(keys) == len(set(keys))
    assert not any(k[1].lower() == "sheffield" for k in keys)


def test_unknown_place_is_404_with_suggestions(client):
    r = client.get("/api/places/E99999999/profile")
    assert r.status_code == 404
    assert "suggestions" in r.json()


def test_indicators_cover_every_english_lad(client):
    res = client.get("/api/indicators", params={"level": "lad", "subsector": "all", "measure": "business_count"}).json()
    eng = [r for r in res["rows"] if r["geo_code"].startswith("E")]
    assert len(eng) == 296
    assert sum(r["value"] for r in eng) == 246790


def test_year_is_a_real_parameter_checked_against_the_warehouse(client, full_warehouse):
    from creative_clusters.workflows.periods import business_count_years

    years = business_count_years(full_warehouse)
    assert client.get("/api/meta").json()["years"] == years
    latest = client.get("/api/indicators", params={"year": years[-1]}).json()
    default = client.get("/api/indicators").json()
    assert latest["rows"] == default["rows"] and latest["year"] == years[-1]
    missing = min(years) - 1
    r = client.get("/api/indicators", params={"year": missing})
    assert r.status_code == 404  # a year the warehouse lacks: 404 naming its years (round 18)
    assert str(years[-1]) in r.json()["detail"]


def test_csv_download_of_the_table(client):
    r = client.get("/api/indicators", params={"measure": "business_count", "format": "csv"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    assert "attachment" in r.headers["content-disposition"] and ".csv" in r.headers["content-disposition"]
    lines = r.text.splitlines()
    assert lines[0].startswith("geo_code,geo_name,business_count")
    assert sum(1 for x in lines if x.startswith("E0")) == 296
    assert "Open Government Licence" in lines[-1]


@pytest.mark.parametrize("params", [
    {"level": "lad; DROP TABLE observations"},
    {"measure": "' OR 1=1 --"},
    {"subsector": "../../etc/passwd"},
    {"year": "1900"},
    {"format": "xml"},
])
def test_bad_parameters_are_4xx(client, params):
    r = client.get("/api/indicators", params=params)
    assert 400 <= r.status_code < 500


def test_oversized_input_is_rejected_without_being_echoed(client):
    big = "x" * 60_000
    for url, params in (("/api/indicators", {"level": big}), ("/api/places", {"q": big}),
                        ("/api/research", {"text": big})):
        r = client.get(url, params=params)
        assert r.status_code == 422
        assert len(r.content) < 2000 and "xxxxxxxxxx" not in r.text


@pytest.mark.parametrize("path", [
    "/static/..%2F..%2Fwarehouse.py", "/static/../app.py", "/static/vendor/..%2F..%2Fpackage.json",
    "/api/places/..%2F..%2Fetc%2Fpasswd/profile", "/static/%2Fetc%2Fpasswd",
])
def test_path_traversal_probes_do_not_reach_files(client, path):
    r = client.get(path)
    assert r.status_code in (404, 422)
    assert "import" not in r.text[:200]


@pytest.mark.parametrize("host", ["evil.example", "127.0.0.1.nip.io", "attacker.test:8000"])
def test_unknown_host_headers_are_refused(client, host):
    assert client.get("/api/meta", headers={"Host": host}).status_code == 400


def test_other_hosts_can_be_allowed_for_a_deployment(full_home):
    from fastapi.testclient import TestClient

    from creative_clusters.web.app import create_app

    app = create_app(full_home, allowed_hosts=["maps.example.org"], precompute=False, watch=None)
    with TestClient(app, base_url="http://maps.example.org") as c:
        assert c.get("/api/meta").status_code == 200
        assert c.get("/api/meta", headers={"Host": "evil.example"}).status_code == 400


def test_security_headers_and_csp_without_inline_scripts(client):
    for url in ("/", "/api/meta", "/api/places/E09000033/profile"):
        h = client.get(url).headers
        assert h["x-content-type-options"] == "nosniff"
        csp = h["content-security-policy"]
        script = next(d for d in csp.split(";") if d.strip().startswith("script-src"))
        assert "unsafe-inline" not in script and "unsafe-eval" not in script
        assert "frame-ancestors 'none'" in csp


def test_page_has_no_inline_script(client):
    import re

    html = client.get("/").text
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html)  # every script is a file
    assert not re.search(r"\son[a-z]+\s*=", html)  # no inline event handlers


def test_docs_pages_that_need_a_cdn_are_off(client):
    assert client.get("/docs").status_code == 404
    assert client.get("/redoc").status_code == 404
    assert client.get("/openapi.json").status_code == 200


def test_responses_are_compressed_and_revalidated_with_etags(client):
    r = client.get("/api/geometry/lad", headers={"Accept-Encoding": "gzip"})
    assert r.headers["content-encoding"] == "gzip" and r.headers["etag"]
    assert "no-cache" in r.headers["cache-control"]
    again = client.get("/api/geometry/lad", headers={"If-None-Match": r.headers["etag"]})
    assert again.status_code == 304 and again.content == b""


def test_low_detail_boundaries_are_lighter_than_high_detail(client):
    low = client.get("/api/geometry/lad", params={"detail": "low"})
    high = client.get("/api/geometry/lad", params={"detail": "high"})
    assert len(low.content) < 0.8 * len(high.content)
    assert {f["properties"]["geo_code"] for f in low.json()["features"]} == {
        f["properties"]["geo_code"] for f in high.json()["features"]}


def test_labels_have_one_point_per_place(client):
    lab = client.get("/api/labels/lad").json()["labels"]
    geo = client.get("/api/geometry/lad").json()["features"]
    assert {x["code"] for x in lab} == {f["properties"]["geo_code"] for f in geo}
    assert all(-9 < x["lon"] < 3 and 49 < x["lat"] < 61 for x in lab)


def test_cors_is_off_by_default(client):
    r = client.get("/api/meta", headers={"Origin": "https://example.org"})
    assert "access-control-allow-origin" not in {k.lower() for k in r.headers}


def test_evidence_pack_download_is_self_contained_html_named_after_the_place(client):
    r = client.get("/api/places/E06000043/evidence.html")  # Brighton and Hove
    assert r.status_code == 200
    assert "Brighton and Hove" in r.text
    assert "<script src=" not in r.text
    assert 'filename="Brighton_and_Hove_E06000043.html"' in r.headers["content-disposition"]
    r2 = client.get("/api/places/E06000043/evidence.html")
    assert r2.text == r.text  # cached, deterministic


def test_greater_manchester_pack_downloads(client):
    """Issue 15: the pack of any GM district returned 500 (its workforce table had no formats)."""
    r = client.get("/api/places/E08000003/evidence.html")  # Manchester
    assert r.status_code == 200, r.text[:300]
    assert "Manchester" in r.text and "Self-employment-inclusive" in r.text
    assert "Manchester_E08000003.html" in r.headers["content-disposition"]


def test_corridors_layer_has_london_supercluster(client):
    fc = client.get("/api/corridors").json()
    assert fc["type"] == "FeatureCollection" and fc["features"]
    london = [f for f in fc["features"] if "Westminster" in f["properties"]["member_names"]]
    assert len(london) == 1  # docs/methods.md §4: the London supercluster
    assert "Camden" in london[0]["properties"]["member_names"]


def test_microclusters_layer_says_when_none_are_loaded(client):
    fc = client.get("/api/microclusters").json()
    assert fc["type"] == "FeatureCollection" and fc["features"] == []
    assert "creative-clusters microclusters" in fc["note"]
    pts = client.get("/api/microclusters/firms", params={"bbox": "-1.6,53.3,-1.3,53.5"}).json()
    assert pts["features"] == [] and pts["total"] == 0


@pytest.mark.parametrize("bbox", ["", "1,2,3", "a,b,c,d", "10,0,0,10", "-1,53,nan,54", "1" * 200])
def test_firm_points_need_a_valid_bounding_box(client, bbox):
    assert client.get("/api/microclusters/firms", params={"bbox": bbox}).status_code == 422


def test_clusters_endpoint_lists_brighton_under_threshold_rule(client):
    res = client.get("/api/clusters", params={"method": "threshold"}).json()
    codes = {c["geo_code"] for c in res["clusters"]}
    assert "E06000043" in codes  # Brighton: a named cluster in Nesta 2016 (docs/methods.md §16)
    assert "E09000033" in codes


def test_profile_carries_benchmark_percentiles_with_gaps(client):
    prof = client.get("/api/places/E06000043/profile").json()
    bench = prof["benchmark"]
    dims = {b["dimension"] for b in bench}
    assert len(dims) == 5  # the five growth-potential dimensions
    scored = [b for b in bench if b["percentile"] is not None]
    gaps = [b for b in bench if b["value"] is None]
    assert scored and all(0 <= b["percentile"] <= 100 for b in scored)
    assert gaps and all(b["percentile"] is None for b in gaps)  # gaps are never scored as zero
    lq = next(b for b in bench if b["label"] == "Creative business location quotient")
    assert lq["percentile"] > 90  # Brighton: a named cluster (docs/methods.md §16)
    assert "peer places" in prof["benchmark_note"]


def test_benchmark_of_an_area_of_several_lads_says_where_to_find_it(client):
    prof = client.get("/api/places/E47000001/profile").json()  # Greater Manchester CA
    assert prof["benchmark"] == [] and "evidence pack" in prof["benchmark_note"]


# ------------------------------------------------------------------ the annual series on the map (issue 11)
@pytest.fixture(scope="module")
def series_file(data_root):
    import pandas as pd

    f = pd.read_csv(data_root / "business_counts_timeseries" / "creative_enterprises_lad_2010_2025.csv")
    return {(r.Region, int(r.Year)): float(r._2) for r in f.itertuples()}, f["Region"].nunique()


def _rows(client, **params):
    r = client.get("/api/indicators", params=params)
    assert r.status_code == 200, r.text
    return r.json()


def test_series_years_and_measures_are_in_meta(client, full_warehouse):
    from creative_clusters.workflows.periods import series_years

    meta = client.get("/api/meta").json()
    assert meta["series_years"] == series_years(full_warehouse) and meta["series_years"][0] == 2010
    kinds = {m["id"]: m["years"] for m in meta["measures"]}
    assert kinds["series_businesses"] == kinds["series_growth"] == kinds["trajectory_class"] == "series"
    assert kinds["business_lq"] == "counts"


def test_series_count_colours_every_uk_lad_in_any_year_with_the_files_values(client, series_file):
    values, n_lads = series_file
    res = _rows(client, measure="series_businesses", year=2018)
    by_name = {r["geo_name"]: r for r in res["rows"]}
    assert len(res["rows"]) == n_lads == 361 and res["year"] == 2018
    assert all(r["value"] is not None for r in res["rows"])  # no grey LAD: Scilly is 0, not missing
    for name in ("Cardiff", "Glasgow City", "Belfast", "Bromsgrove", "Isles of Scilly"):
        assert by_name[name]["value"] == values[(name, 2018)]
    assert by_name["Isles of Scilly"]["value"] == 0
    assert by_name["Bromsgrove"]["flag"] == "outlier" and "2018" in by_name["Bromsgrove"]["note"]
    assert by_name["Cardiff"]["flag"] != "outlier"


def test_series_growth_over_a_window_equals_the_hand_computed_change(client, series_file):
    values, _ = series_file
    res = _rows(client, measure="series_growth", year=2025, since=2010)
    assert (res["since"], res["year"]) == (2010, 2025)
    by_name = {r["geo_name"]: r for r in res["rows"]}
    for name in ("Cardiff", "Glasgow City", "Belfast", "Sheffield"):
        a, b = values[(name, 2010)], values[(name, 2025)]
        assert by_name[name]["value"] == pytest.approx(100 * (b - a) / a)
        assert (by_name[name]["start_value"], by_name[name]["end_value"]) == (a, b)
    assert by_name["Isles of Scilly"]["value"] is None  # 0 to 0: no per-cent change, said not invented
    default = _rows(client, measure="series_growth")
    assert default["since"] == 2019 and default["year"] == 2025  # the pre-/post-pandemic window
    csv = client.get("/api/indicators", params={"measure": "series_growth", "since": 2015, "format": "csv"})
    assert csv.status_code == 200 and "2015-2025" in csv.headers["content-disposition"]
    assert csv.text.splitlines()[0] == "geo_code,geo_name,series_growth,flag,year,since,subsector"


def test_series_lq_against_the_uk_colours_every_uk_lad_with_the_hand_computed_lq(client, series_file, data_root):
    """The LQ of the annual series: (place's creative / its active enterprises) over the same ratio summed over
    the UK's LADs, worked here from the two raw files; only years with both, the latest by default."""
    import pandas as pd

    values, n_lads = series_file
    bd = pd.read_csv(data_root / "business_demography" / "business-demography.csv")
    lad = bd["areacd"].str[:3].isin(["E06", "E07", "E08", "E09", "W06", "S12", "N09"])  # unitaries are "County or UA"
    act = bd[lad & (bd["indicator"] == "Active businesses") & (bd["period"] == "2024-01-01/P1Y")]
    act = act.drop_duplicates("areacd").set_index("areanm")["observation"]
    assert len(act) == 361
    uk_share = sum(v for (name, y), v in values.items() if y == 2024) / act.sum()
    res = _rows(client, measure="series_lq")
    assert res["year"] == 2024 and res["kind"] == "ratio" and len(res["rows"]) == n_lads
    assert res["classes"]["reference"] == "the UK" and "the UK" in res["classes"]["middle_label"]
    by_name = {r["geo_name"]: r for r in res["rows"]}
    for name in ("Cardiff", "Glasgow City", "Belfast", "Sheffield", "Camden"):
        r = by_name[name]
        assert r["value"] == pytest.approx(values[(name, 2024)] / act[name] / uk_share, rel=1e-9)
        assert r["lq_lower"] < r["value"] < r["lq_upper"] and r["enterprises"] == values[(name, 2024)]
    assert {r["nation"][0] for r in res["rows"] if r["value"] is not None} == {"E", "W", "S", "N"}
    meta = {m["id"]: m for m in client.get("/api/meta").json()["measures"]}["series_lq"]
    assert meta["year_list"][-1] == 2024 and 2025 not in meta["year_list"] and "Business Demography" in \
        meta["years_note"]
    early = {r["geo_name"]: r for r in _rows(client, measure="series_lq", year=2018)["rows"]}
    assert early["Bromsgrove"]["flag"] == "outlier" and "1,360" in early["Bromsgrove"]["note"]
    r = client.get("/api/indicators", params={"measure": "series_lq", "year": 2025})
    assert r.status_code == 404 and "2024" in r.json()["detail"]  # a year the data lack: 404 (round 18)


def test_trajectory_classes_for_every_uk_lad(client):
    res = _rows(client, measure="trajectory_class", level="lad")
    assert len(res["rows"]) == 361
    assert {r["value"] for r in res["rows"]} <= {"established", "emerging", "stable", "declining", None, ""}
    assert {r["geo_code"][0] for r in res["rows"] if r["value"] == "established"} >= {"E"}


@pytest.mark.parametrize(("params", "status"), [
    ({"measure": "series_growth", "since": 2025, "year": 2025}, 422),
    ({"measure": "series_growth", "since": 2009}, 404),  # a year the series lacks: 404 (round 18)
    ({"measure": "series_businesses", "year": 2009}, 404),
    ({"measure": "series_businesses", "subsector": "music_arts"}, 422),
    ({"measure": "business_lq", "since": 2019}, 422),
    ({"measure": "series_businesses", "since": 2015}, 422),  # was: ignored (an audit, 7 December)
])
def test_series_parameters_are_checked(client, params, status):
    r = client.get("/api/indicators", params=params)
    assert r.status_code == status and r.json()["detail"]
