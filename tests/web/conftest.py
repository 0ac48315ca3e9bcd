"""Fixtures for the web app: an app on the full real warehouse, and a live server."""

from __future__ import annotations

import socket
import threading
import time

import pytest


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
