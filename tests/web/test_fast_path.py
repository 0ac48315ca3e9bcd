"""Answers already built are served on the event loop: no hop through the thread pool (issue 15, p99).

Only the route a request takes is checked here; how fast it is lives in
``benchmarks/bench_web.py``.
"""

from __future__ import annotations

import json

import numpy as np
import pytest


@pytest.fixture()
def hops(monkeypatch):
    """Count the requests the app hands to a worker thread."""
    import creative_clusters.web.app as app_module

    calls: list[object] = []
    real = app_module.run_in_threadpool

    async def counting(func, *args, **kwargs):
        calls.append(func)
        return await real(func, *args, **kwargs)

    monkeypatch.setattr(app_module, "run_in_threadpool", counting)
    return calls


@pytest.mark.parametrize("url,params", [
    ("/api/indicators", {"level": "cauth", "subsector": "music_arts", "measure": "business_share"}),
    ("/api/indicators", {"level": "rgn", "measure": "business_count", "format": "csv"}),
    ("/api/places", {"q": "  Sheffield   Hallam ", "limit": 7}),
    ("/api/places/E06000023/profile", {}),
])
def test_a_repeated_request_is_answered_without_a_worker_thread(client, hops, url, params):
    first = client.get(url, params=params)
    built = len(hops)
    again = client.get(url, params=params)
    assert first.status_code == again.status_code == 200
    assert again.content == first.content and again.headers["etag"] == first.headers["etag"]
    assert len(hops) == built  # the second answer came from the cache on the event loop


def test_the_default_year_and_the_latest_year_share_one_body(client, web_app, hops):
    v = web_app.state.service.current
    latest = v.years[-1]
    assert v.indicators_key("lad", "all", "business_lq", None) == v.indicators_key("lad", "all", "business_lq", latest)
    a = client.get("/api/indicators", params={"measure": "business_lq", "year": latest})
    n = len(hops)
    b = client.get("/api/indicators", params={"measure": "business_lq"})
    assert a.headers["etag"] == b.headers["etag"] and len(hops) == n


def test_search_text_is_looked_up_by_its_normalised_form(client, hops):
    a = client.get("/api/places", params={"q": "Leeds", "limit": 5})
    n = len(hops)
    b = client.get("/api/places", params={"q": "  leeDS ", "limit": 5})
    assert a.content == b.content and len(hops) == n


@pytest.mark.parametrize(("params", "status"), [
    ({"year": "1991"}, 404),  # a year the warehouse lacks: 404 naming its years (round 18)
    ({"measure": "series_businesses", "subsector": "film_tv"}, 422),
    ({"measure": "business_lq", "since": "2019"}, 422)])
def test_parameters_checked_on_the_event_loop_still_answer_422_with_the_reason(client, params, status):
    r = client.get("/api/indicators", params=params)
    assert r.status_code == status
    assert isinstance(r.json()["detail"], str) and r.json()["detail"]


def _points(n: int, seed: int = 0):
    from creative_clusters.web.layers import FirmPoints

    rng = np.random.default_rng(seed)
    return FirmPoints(np.round(rng.uniform(-2.0, -1.0, n), 5), np.round(rng.uniform(53.0, 54.0, n), 5),
                      np.array([f"MC{i % 7:04d}" for i in range(n)]), np.array(["Music, performing & visual arts"] * n))


def test_firm_points_answer_is_the_firms_inside_the_box():
    pts = _points(300)
    box = (-1.6, 53.3, -1.3, 53.5)
    fc = json.loads(pts.in_bbox(box))
    inside = {(x, y) for x, y in zip(pts.lon, pts.lat, strict=True)
              if box[0] <= x <= box[2] and box[1] <= y <= box[3]}
    assert {tuple(f["geometry"]["coordinates"]) for f in fc["features"]} == inside
    assert len(fc["features"]) == pts.count(box) and fc["total"] == 300 and fc["truncated"] is False
    assert fc["features"][0]["properties"]["subsector"] == "Music, performing & visual arts"


def test_firm_points_are_capped_and_say_so(monkeypatch):
    from creative_clusters.web import layers

    monkeypatch.setattr(layers, "MAX_FIRMS", 10)
    fc = json.loads(_points(100).in_bbox((-3, 52, 0, 55)))
    assert len(fc["features"]) == 10 and fc["truncated"] is True and fc["total"] == 100


def test_a_small_view_of_firms_is_built_at_once_a_large_one_in_a_thread(web_app, monkeypatch):
    from creative_clusters.web import service

    v = web_app.state.service.current
    monkeypatch.setattr(v, "_firms", _points(2000))
    small, large = (-1.52, 53.38, -1.48, 53.42), (-3.0, 52.0, 0.0, 55.0)
    assert v.firms_at_once(small) is not None
    assert v._firms.count(large) > service.FIRMS_AT_ONCE and v.firms_at_once(large) is None
    assert v.firms_at_once(small).body == v.firms(small).body
