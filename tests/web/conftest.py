"""Fixtures for the web app: an app on the full real warehouse, and a live server."""

from __future__ import annotations

import os
import shutil
import socket
import threading
import time

import pytest

#: Debian's Chromium (``.ci/run`` installs it), driven headless by Playwright in the browser tests.
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--no-first-run"]


@pytest.fixture(scope="session")
def web_app(full_home):
    """The app on the session's warehouse (no background index: tests ask for what they need).

    ``testserver`` (the host name in-process clients such as schemathesis send) is allowed
    besides the loopback names.
    """
    from creative_clusters.web.app import LOOPBACK_HOSTS, create_app

    return create_app(full_home, allowed_hosts=[*LOOPBACK_HOSTS, "testserver"], precompute=False, watch=None)


@pytest.fixture(scope="session")
def client(web_app):
    from fastapi.testclient import TestClient

    with TestClient(web_app, base_url="http://127.0.0.1") as c:
        yield c


def serve_in_thread(app):
    """Run ``app`` under uvicorn on a free loopback port; returns (base URL, server, thread)."""
    import uvicorn

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    for _ in range(400):
        if server.started:
            break
        time.sleep(0.05)
    return f"http://127.0.0.1:{port}", server, thread


@pytest.fixture(scope="session")
def live_server(web_app):
    """The app under uvicorn on a free loopback port, for the browser tests.

    The national tables behind the benchmark are read first, as a running server has them.
    """
    web_app.state.service.current.national()
    base, server, thread = serve_in_thread(web_app)
    yield base
    server.should_exit = True
    thread.join(timeout=120)


@pytest.fixture(scope="module")
def browser(live_server):
    """Chromium launched once per browser-test module (missing: a failure under CI, a skip elsewhere)."""
    sync_api = pytest.importorskip("playwright.sync_api")
    if CHROMIUM is None:
        if os.environ.get("CI"):
            pytest.fail("chromium not installed; .ci/run installs Debian's chromium")
        pytest.skip("chromium not installed")
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield b
        b.close()


@pytest.fixture()
def open_page(browser, live_server):
    """``go(hash, width=, height=, before=)``: a new page at ``hash`` once the map is drawn (closed after)."""
    pages = []

    def go(hash_="", *, width=1280, height=800, before=None):
        context = browser.new_context(viewport={"width": width, "height": height})
        page = context.new_page()
        page.errors = []
        page.on("pageerror", lambda e: page.errors.append(str(e)))
        if before is not None:
            before(page)
        page.goto(live_server + "/" + hash_)
        page.wait_for_selector("body[data-map-ready='true']", timeout=60000)
        pages.append(page)
        return page

    yield go
    for p in pages:
        p.context.close()
