"""Shared fixtures: where the reference data is, and a warehouse built from it once."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from hypothesis import settings

ROOT = Path(__file__).resolve().parents[1]

# No time limit per Hypothesis example: speed is measured in benchmarks/, not in tests, and on a loaded
# 2-core machine the default 200 ms deadline failed correct code at random
settings.register_profile("creative-clusters", deadline=None)
settings.load_profile("creative-clusters")


def _data_root() -> Path:
    env = os.environ.get("CREATIVE_CLUSTERS_DATA")
    return Path(env) if env else (ROOT.parent / "shared" / "data")


DATA = _data_root()


@pytest.fixture(scope="session")
def data_root() -> Path:
    """The reference-data bundle (``../shared/data`` or ``$CREATIVE_CLUSTERS_DATA``).

    Missing data fails under CI (which always has it) and skips elsewhere.
    """
    if not (DATA / "README.md").exists():
        if os.environ.get("CI"):
            pytest.fail(f"reference data not found at {DATA}; CI must have ../shared/data")
        pytest.skip(f"reference data not found at {DATA}")
    return DATA


@pytest.fixture(scope="session")
def full_home(data_root: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A warehouse home with the whole reference bundle imported (built once per session)."""
    from creative_clusters.sources.registry import all_datasets
    from creative_clusters.warehouse import Warehouse

    home = tmp_path_factory.mktemp("full-home")
    with Warehouse(home) as wh:
        wh.import_datasets(all_datasets(), data_root)
    return home


@pytest.fixture()
def full_warehouse(full_home: Path):
    """A read-only connection to the session's full warehouse."""
    from creative_clusters.warehouse import Warehouse

    wh = Warehouse(full_home, read_only=True)
    yield wh
    wh.close()


@pytest.fixture(autouse=True)
def _no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    """No test may touch the network: refuse socket connections off loopback."""
    import socket

    real_connect = socket.socket.connect

    def guarded(self: socket.socket, address: object) -> object:
        host = address[0] if isinstance(address, tuple) else address
        if isinstance(host, str) and self.family in (socket.AF_INET, socket.AF_INET6) and not (
            host in ("localhost", "::1") or host.startswith("127.")
        ):
            raise OSError(f"tests may not touch the network (tried to connect to {host!r})")
        return real_connect(self, address)

    monkeypatch.setattr(socket.socket, "connect", guarded)


# --------------------------------------------------------------------------- session end
# Interpreter finalisation calls pthread_exit in any daemon thread that wakes up
# inside native code (DuckDB, Arrow, uvicorn's server thread left by a browser
# test). When that thread is in a C++ frame, the forced unwind reaches a
# ``noexcept`` destructor and the whole process aborts (exit 134) *after* every
# test passed. The suite therefore ends with ``os._exit(status)`` once pytest has
# printed its summary, naming any thread still alive so that the leak is visible.
def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    session.config.stash[_EXIT_STATUS] = int(exitstatus)


_EXIT_STATUS = pytest.StashKey[int]()


@pytest.hookimpl(trylast=True)
def pytest_unconfigure(config: pytest.Config) -> None:
    import sys
    import threading

    if hasattr(config, "workerinput") or _EXIT_STATUS not in config.stash:  # xdist workers end normally
        return
    alive = [t.name for t in threading.enumerate() if t is not threading.main_thread() and t.is_alive()]
    if alive:
        print(f"\nthreads still running at the end of the session: {', '.join(sorted(alive))}", file=sys.stderr)
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(config.stash[_EXIT_STATUS])


@pytest.fixture(scope="module")
def nd(full_home: Path) -> Any:
    """The national tables the evidence packs read, from the session's full warehouse (read only)."""
    from creative_clusters.workflows import evidence as E

    return E.load_national(full_home)


@pytest.fixture
def legend_labels(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The labels of every legend matplotlib draws during the test, in order (``Axes.legend`` spied on)."""
    import matplotlib.axes

    labels: list[str] = []
    real = matplotlib.axes.Axes.legend

    def spy(self: Any, *args: Any, handles: Any = (), **kw: Any) -> Any:
        labels.extend(h.get_label() for h in handles)
        return real(self, *args, handles=handles, **kw)

    monkeypatch.setattr(matplotlib.axes.Axes, "legend", spy)
    return labels
