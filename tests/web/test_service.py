"""The server never locks the user's warehouse, notices new versions, keeps its index, survives errors."""

from __future__ import annotations

import shutil

import httpx
import pytest

from tests.web.conftest import serve_in_thread


@pytest.fixture()
def own_home(full_home, tmp_path):
    """A private copy of the session warehouse (these tests write to it)."""
    home = tmp_path / "home"
    shutil.copytree(full_home, home, ignore=shutil.ignore_patterns("cache"))
    return home


def test_commands_can_write_the_warehouse_while_the_server_runs(own_home):
    """`data import` / `microclusters` open the warehouse for writing: that must work beside `serve`."""
    from fastapi.testclient import TestClient

    from creative_clusters.warehouse import Warehouse
    from creative_clusters.web.app import create_app

    app = create_app(own_home, precompute=False, watch=None)
    service = app.state.service
    with TestClient(app, base_url="http://127.0.0.1") as c:
        before = c.get("/api/version").json()["version"]
        assert c.get("/api/meta").json()["version"] == before
        with Warehouse(own_home) as wh:  # the writer's connection: refused if serve held the file
            wh.con.execute("CREATE TABLE ref_web_probe AS SELECT 1 AS x")
            # as `data import` and `microclusters` do, the catalogue records the write
            wh.con.execute("UPDATE catalogue SET imported_at = 'web probe' WHERE id = (SELECT min(id) FROM catalogue)")
        assert service.watcher.poll()  # the change is seen once the writer is done
        after = c.get("/api/version").json()["version"]
        assert after != before
        assert c.get("/api/meta").json()["version"] == after
        assert service.current.snap.warehouse().has_table("web_probe")
    service.close()


def test_a_writer_in_progress_is_never_snapshotted(own_home):
    """Another process writing (as `data import` does) holds the file: the watcher waits for it."""
    import subprocess
    import sys

    from creative_clusters.web.snapshot import Snapshot, WarehouseWatcher

    snap = Snapshot.take(own_home)
    seen = []
    watcher = WarehouseWatcher(own_home, snap.stamp, seen.append, interval=0.01)
    code = ("import sys; from creative_clusters.warehouse import Warehouse; wh = Warehouse(sys.argv[1]); "
            "wh.con.execute('CREATE TABLE ref_web_probe2 AS SELECT 1 AS x'); wh.con.execute('CHECKPOINT'); "
            "print('ready', flush=True); sys.stdin.readline(); wh.close()")
    writer = subprocess.Popen([sys.executable, "-c", code, str(own_home)], stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, text=True)
    try:
        assert writer.stdout.readline().strip() == "ready"
        assert not watcher.poll()  # the writer still holds it
        assert "in use" in (watcher.last_error or "")
    finally:
        writer.communicate("\n", timeout=60)
    assert watcher.poll() and len(seen) == 1
    assert seen[0].warehouse().has_table("web_probe2")
    snap.close()
    seen[0].close()


def test_profile_index_is_saved_per_warehouse_version_and_reused(own_home):
    from creative_clusters.web.service import Version
    from creative_clusters.web.snapshot import Snapshot

    index_dir = own_home / "cache" / "web"
    v = Version(Snapshot.take(own_home), index_dir)
    v.build_index(["E09000033", "E06000043"])
    assert v.index_ready.is_set() and v.index_done == 2
    saved = list(index_dir.glob("profiles-*.jsonl.gz"))
    assert len(saved) == 1
    body = v.profile("E09000033").body
    v.close()
    again = Version(Snapshot.take(own_home), index_dir)
    assert not again.index_ready.is_set()  # only two places were built: the rest is still to do
    assert again.cached(("profile", "E09000033")).body == body
    assert again.profile_key("e09000033") == ("profile", "E09000033")
    again.close()


def test_an_unexpected_error_is_a_json_500_and_the_connection_stays_usable(full_home, monkeypatch):
    from creative_clusters.web.app import create_app
    from creative_clusters.web.service import Version

    app = create_app(full_home, precompute=False, watch=None)

    def boom(self, *a, **k):
        raise RuntimeError("simulated failure")

    monkeypatch.setattr(Version, "labels", boom)
    base, server, thread = serve_in_thread(app)
    try:  # a cold /api/meta reads the warehouse: on a loaded machine that passed httpx's default 5 s timeout
        with httpx.Client(base_url=base, timeout=120) as c:
            r = c.get("/api/labels/lad")
            assert r.status_code == 500 and "internal error" in r.json()["detail"]
            assert "simulated" not in r.text
            assert r.headers["x-content-type-options"] == "nosniff"
            assert c.get("/api/meta").status_code == 200  # same keep-alive connection
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        app.state.service.close()


def test_a_planted_or_broken_index_file_is_ignored_never_run(own_home, tmp_path):
    import gzip
    import pickle

    from creative_clusters.web.responses import read_index
    from creative_clusters.web.service import Version
    from creative_clusters.web.snapshot import Snapshot

    index_dir = own_home / "cache" / "web"
    v = Version(Snapshot.take(own_home), index_dir)
    target = v.index_file
    v.close()
    # a pickle that would run code if it were unpickled
    marker = tmp_path / "ran"
    payload = pickle.dumps(type("Evil", (), {"__reduce__": lambda self: (marker.touch, ())})())
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(gzip.compress(payload))
    again = Version(Snapshot.take(own_home), index_dir)
    assert not marker.exists() and again.index_done == 0 and not again.index_ready.is_set()
    again.close()
    target.write_bytes(gzip.compress(b'{"format": "something else"}\n'))
    with pytest.raises(ValueError, match="line 1"):
        read_index(target)


def test_the_server_index_builds_every_layer_then_freezes_the_heap(own_home, monkeypatch):
    """Issue 15 (p99): boundaries of every level and detail and the label points are built before the index
    is ready (the first zoom waited up to 1.5 s), and the long-lived objects are then hidden from the cyclic
    collector (full collections of 200-400 ms stalled the event loop). A loaded complete index skips the
    profiles but still builds the layers."""
    import gc

    from creative_clusters.web.service import LEVELS, Version
    from creative_clusters.web.snapshot import Snapshot

    index_dir = own_home / "cache" / "web"
    v = Version(Snapshot.take(own_home), index_dir)
    monkeypatch.setattr(v, "map_codes", lambda: ["E09000033", "E06000043"])
    try:
        v.build_index()
        assert v.index_ready.is_set() and gc.get_freeze_count() > 0
        built = {k for k in v._cache if k[0] in ("geometry", "labels")}
        assert built == {("geometry", lv, d) for lv in LEVELS for d in ("low", "high")} | {
            ("labels", lv) for lv in LEVELS}
        v.close()
        again = Version(Snapshot.take(own_home), index_dir)
        assert not again.index_ready.is_set() and again.index_done == 2
        again.build_index()
        assert again.index_ready.is_set() and again.cached(("geometry", "ttwa", "high")) is not None
        again.close()
    finally:
        gc.unfreeze()


def test_national_tables_are_read_once_by_threads_asking_together(full_home, monkeypatch):
    """Requests arriving together wait for one read of the national tables (per year), never read them twice."""
    import threading
    import time

    import creative_clusters.workflows.pack_data as pack_data
    from creative_clusters.web.app import create_app

    calls: list[str | None] = []

    def slow_load(home, *, framework=None, year=None, **kw):
        calls.append(year)
        time.sleep(0.3)  # long enough for the other threads to arrive while it reads
        return object()

    monkeypatch.setattr(pack_data, "load_national", slow_load)
    version = create_app(full_home, precompute=False, watch=None).state.service.current
    got: list[object] = []
    threads = [threading.Thread(target=lambda y=y: got.append(version.national(y))) for y in (None,) * 4 + (2024,) * 4]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(calls, key=str) == ["2024", None]  # one read each
    assert len(got) == 8 and len({id(g) for g in got}) == 2 and version.national() is version.national()
