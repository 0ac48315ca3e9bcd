"""Round 16 of the web API: what the map, the errors, the pack names and the version watcher say.

Was: the Isles of Scilly's business LQ came as 0.0 in class 0 on the map ("below 0.67") while its profile
says no LQ is given for a published 0; a 404 showed the server's private snapshot folder and told web users
to run CLI commands; a Film-focused pack had the all-industries pack's file name; /favicon.ico was a 404 on
every page load; a ``touch`` of warehouse.duckdb was a new version (banner, profile index rebuilt).
"""

from __future__ import annotations

import os
import shutil

import pytest

pytestmark = pytest.mark.usefixtures("data_root")

SCILLY = "E06000053"


def _row(client, code, **params):
    r = client.get("/api/indicators", params={"measure": "business_lq", **params})
    assert r.status_code == 200
    [row] = [x for x in r.json()["rows"] if x["geo_code"] == code]
    return row


def test_a_published_zero_has_no_lq_on_the_map_and_the_profiles_reason(client):
    prof = client.get(f"/api/places/{SCILLY}/profile").json()["statistics"]
    lq = prof["figures"]["business_lq"]
    assert lq["value"] is None  # the profile gives none
    row = _row(client, SCILLY)
    assert row["value"] is None and row["class"] is None  # was 0.0, class 0 ("below 0.67")
    assert row["note"] == lq["notes"][0]
    assert "published as 0" in row["note"] and "no LQ is given" in row["note"]
    # a sub-sector's published 0: the same rule and words as the profile's sub-sector table
    subs = {s.get("id") or s.get("subsector"): s for s in prof["subsectors"]}
    film = _row(client, SCILLY, subsector="film_tv")
    assert film["value"] is None and film["class"] is None
    assert film["note"] in [s["business_lq"]["notes"][0] for s in subs.values() if s["business_lq"]["notes"]]
    # a place with enterprises keeps its LQ and has no note
    sheffield = _row(client, "E08000019")
    assert sheffield["value"] > 0 and sheffield["note"] is None


def test_errors_never_show_the_servers_folders_and_say_who_runs_a_command(client, full_home):
    r = client.get("/api/places/Sheffield/evidence.xlsx", params={"year": 2019})
    assert r.status_code == 404
    detail = r.json()["detail"]
    snapshot = client.app.state.service.current.snap.root
    assert str(snapshot) not in detail and "creative-clusters-web-" not in detail and str(full_home) not in detail
    assert "2025" in detail  # still says which years there are
    assert "ask whoever runs this server" in detail


def test_a_focused_pack_is_named_after_its_focus(client):
    r = client.get("/api/places/Sheffield/evidence.xlsx", params={"subsector": "film"})
    assert r.status_code == 200
    assert r.headers["content-disposition"] == 'attachment; filename="Sheffield_E08000019_film_tv.xlsx"'


def test_the_favicon_is_served_with_a_long_cache(client):
    r = client.get("/favicon.ico")
    assert r.status_code == 200
    assert r.headers["content-type"] == "image/x-icon"
    assert r.content[:4] == b"\x00\x00\x01\x00"
    assert "max-age=604800" in r.headers["cache-control"]


def test_touching_the_warehouse_is_no_new_version(full_home, tmp_path):
    from fastapi.testclient import TestClient

    from creative_clusters.warehouse import Warehouse
    from creative_clusters.web.app import create_app

    home = tmp_path / "home"
    shutil.copytree(full_home, home, ignore=shutil.ignore_patterns("cache"))
    app = create_app(home, precompute=False, watch=None)
    service = app.state.service
    with TestClient(app, base_url="http://127.0.0.1") as c:
        before = c.get("/api/version").json()["version"]
        db = home / "warehouse.duckdb"
        st = db.stat()
        os.utime(db, ns=(st.st_atime_ns, st.st_mtime_ns + 5_000_000_000))  # `touch`
        assert not service.watcher.poll()
        assert c.get("/api/version").json()["version"] == before
        assert service.current.version == before
        with Warehouse(home, read_only=True) as wh:
            assert before == wh.version()[:12]  # the content's version
        with Warehouse(home) as wh:  # a write the catalogue records, as an import does
            wh.con.execute("UPDATE catalogue SET imported_at = 'probe' WHERE id = (SELECT min(id) FROM catalogue)")
        assert service.watcher.poll()
        assert c.get("/api/version").json()["version"] != before
    service.close()
