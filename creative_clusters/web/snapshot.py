"""A private, read-only snapshot of the user's warehouse for the web app.

Why a snapshot: DuckDB lets no process write a database file while another
process has it open, even read-only. If ``serve`` kept the user's warehouse
open, ``data import`` and ``microclusters`` would fail for as long as the map
runs. So the server copies ``warehouse.duckdb`` into a private temporary
directory (holding a read-only connection on the original only for the few
milliseconds of the copy, which also proves no writer is half-way through)
and reads the copy. Geometry layers are GeoParquet files that imports rename
into place atomically; the snapshot links to the live ``geometry/`` folder.

:class:`WarehouseWatcher` polls the files' sizes and modification times
(``stat`` only, no lock) and, when they change and the writer has finished,
reads the warehouse's content version (:meth:`Warehouse.version`, a hash of
the catalogue rows: one short query). Only when that changes does it take a
new snapshot with a new :attr:`Snapshot.version`; the page polls
``/api/version`` and offers to reload. A ``touch`` of the file, or a write
that leaves the catalogue as it was, is no new version (no banner, no
rebuilt profile index).

Reads are memoised per snapshot: a snapshot never changes, so the same query
returns the same table. Each thread gets its own DuckDB connection (a DuckDB
connection must not be shared between threads), so requests never queue
behind one lock.

Examples
--------
>>> import tempfile
>>> from creative_clusters.warehouse import Warehouse
>>> home = tempfile.mkdtemp()
>>> Warehouse(home).close()
>>> snap = Snapshot.take(home)
>>> len(snap.version), snap.warehouse().is_empty()
(12, True)
>>> snap.close()
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
import threading
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from creative_clusters.config import home_dir
from creative_clusters.errors import WarehouseError
from creative_clusters.warehouse import Warehouse

__all__ = ["Snapshot", "WarehouseWatcher", "content_version", "source_stamp"]

_FILES = ("warehouse.duckdb", "warehouse.duckdb.wal")
#: Reference tables handed out as one shared object (read-only lookups; the resolver indexes ``areas`` once).
_SHARED_TABLES = frozenset({"areas"})


def content_version(home: str | os.PathLike[str]) -> str:
    """The content version of the warehouse at ``home`` (:meth:`Warehouse.version`), 12 characters.

    Opens it read-only for one query; raises :class:`WarehouseError` while a writer holds it.
    """
    wh = Warehouse(home, read_only=True)
    try:
        return wh.version()[:12]
    finally:
        wh.close()


def source_stamp(home: str | os.PathLike[str]) -> tuple[tuple[str, int, int], ...]:
    """Sizes and modification times of the warehouse and geometry files (``stat`` only, no lock)."""
    root = Path(home)
    out: list[tuple[str, int, int]] = []
    for name in _FILES:
        with contextlib.suppress(OSError):
            st = (root / name).stat()
            out.append((name, st.st_size, st.st_mtime_ns))
    geo = root / "geometry"
    if geo.is_dir():
        for p in sorted(geo.glob("*.parquet")):
            with contextlib.suppress(OSError):
                st = p.stat()
                out.append(("geometry/" + p.name, st.st_size, st.st_mtime_ns))
    return tuple(out)


class _MemoWarehouse(Warehouse):
    """A read-only :class:`Warehouse` on a snapshot whose reads are memoised (shared across threads)."""

    def __init__(self, home: Path, memo: dict[Any, Any], memo_lock: threading.Lock) -> None:
        super().__init__(home, read_only=True)
        self._memo = memo
        self._memo_lock = memo_lock

    def query(self, sql: str, params: Sequence[Any] | dict[str, Any] | None = None) -> pd.DataFrame:
        key = ("q", sql, repr(params))
        hit = self._memo.get(key)
        if hit is None:
            hit = super().query(sql, params)
            with self._memo_lock:
                self._memo[key] = hit
        return hit.copy()

    def _memo_value(self, key: tuple[Any, ...], read: Callable[[], Any]) -> Any:
        """``read()`` once per snapshot for ``key`` (for immutable answers: flags, fingerprints)."""
        if key in self._memo:
            return self._memo[key]
        value = read()
        with self._memo_lock:
            self._memo[key] = value
        return value

    def has_table(self, name: str) -> bool:
        # asked on every search and place lookup (place_book); a query each time cost ~2 ms
        return bool(self._memo_value(("has", name), lambda: super(_MemoWarehouse, self).has_table(name)))

    def version(self) -> str:
        return str(self._memo_value(("version",), lambda: super(_MemoWarehouse, self).version()))

    def table(self, name: str) -> pd.DataFrame:
        # the area list is only looked up; one object per snapshot lets the resolver keep its name index
        if name in _SHARED_TABLES:
            key = ("t", name)
            hit = self._memo.get(key)
            if hit is None:
                hit = super().table(name)
                with self._memo_lock:
                    self._memo[key] = hit
            return hit
        return super().table(name)

    def read_geometry(self, name: str) -> Any:
        key = ("g", name)
        hit = self._memo.get(key)
        if hit is None:
            hit = super().read_geometry(name)
            with self._memo_lock:
                self._memo[key] = hit
        return hit.copy()


class Snapshot:
    """An immutable copy of the warehouse at one moment, identified by :attr:`version`."""

    def __init__(self, source: Path, root: Path, version: str, stamp: tuple[Any, ...]) -> None:
        self.source = source
        self.root = root
        self.version = version
        self.stamp = stamp
        self.taken_at = time.time()
        self._local = threading.local()
        self._memo: dict[Any, Any] = {}
        self._memo_lock = threading.Lock()
        self._all: list[Warehouse] = []
        self._closed = False

    @classmethod
    def take(cls, home: str | os.PathLike[str] | None = None, *, retries: int = 0,
             wait: float = 0.5) -> Snapshot:
        """Copy the warehouse at ``home`` into a private temporary directory.

        Raises
        ------
        WarehouseError
            When there is no warehouse, or a writer holds it for longer than
            ``retries`` × ``wait`` seconds.
        """
        src = home_dir(home)
        if not (src / "warehouse.duckdb").exists():
            raise WarehouseError(f"no warehouse at {src / 'warehouse.duckdb'}; run "
                                 "`creative-clusters data import DIR` first.")
        for attempt in range(retries + 1):
            try:
                return cls._copy(src)
            except WarehouseError:
                if attempt == retries:
                    raise
                time.sleep(wait)
        raise AssertionError("unreachable")

    @classmethod
    def _copy(cls, src: Path) -> Snapshot:
        root = Path(tempfile.mkdtemp(prefix="creative-clusters-web-"))
        try:
            # a read-only connection on the original for the duration of the copy: it fails
            # while a writer is active (so a half-written file is never copied) and keeps
            # writers out until the copy is complete
            guard = Warehouse(src, read_only=True)
            try:
                stamp = source_stamp(src)
                version = guard.version()[:12]  # the content's version: a touch of the file is not a new one
                for name in _FILES:
                    if (src / name).exists():
                        shutil.copy2(src / name, root / name)
            finally:
                guard.close()
            if (src / "geometry").is_dir():
                (root / "geometry").symlink_to((src / "geometry").resolve(), target_is_directory=True)
        except BaseException:
            shutil.rmtree(root, ignore_errors=True)
            raise
        return cls(src, root, version, stamp)

    def warehouse(self) -> Warehouse:
        """This thread's read-only connection to the snapshot (memoised reads)."""
        if self._closed:
            raise WarehouseError("this warehouse snapshot has been replaced by a newer one; retry the request")
        wh = getattr(self._local, "wh", None)
        if wh is None:
            wh = _MemoWarehouse(self.root, self._memo, self._memo_lock)
            self._local.wh = wh
            with self._memo_lock:
                self._all.append(wh)
        return wh

    def close(self) -> None:
        """Close every connection and delete the copy."""
        self._closed = True
        with self._memo_lock:
            for wh in self._all:
                with contextlib.suppress(Exception):
                    wh.close()
            self._all.clear()
            self._memo.clear()
        shutil.rmtree(self.root, ignore_errors=True)


class WarehouseWatcher:
    """Poll the user's warehouse and hand a new :class:`Snapshot` to ``on_change`` when it changes.

    Runs in a daemon thread; ``interval`` seconds between polls. A change is
    taken only once the files have stopped changing for one poll and no writer
    holds the database (so an import in progress is never snapshotted).
    """

    def __init__(self, home: Path, stamp: tuple[Any, ...], on_change: Callable[[Snapshot], None],
                 *, interval: float = 2.0, version: str | None = None) -> None:
        self.home = home
        self.stamp = stamp
        #: the content version served (:attr:`Snapshot.version`); files that change without it are no new version
        self.version = version
        self.on_change = on_change
        self.interval = interval
        self.last_error: str | None = None
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="warehouse-watcher", daemon=True)

    def start(self) -> None:
        """Start polling."""
        self._thread.start()

    def stop(self) -> None:
        """Stop polling (returns after the current poll)."""
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(timeout=10)

    def poll(self) -> bool:
        """One poll; True when a new snapshot was handed over."""
        now = source_stamp(self.home)
        if now == self.stamp or not now:
            return False
        time.sleep(min(self.interval, 0.5))
        if source_stamp(self.home) != now:
            return False  # still being written
        try:
            if self.version is not None and content_version(self.home) == self.version:
                self.stamp = now  # touched, or rewritten with the same catalogue: the same data
                self.last_error = None
                return False
            snap = Snapshot.take(self.home)
        except WarehouseError as exc:  # a writer holds it: try again at the next poll
            self.last_error = str(exc)
            return False
        self.stamp = snap.stamp
        if self.version is not None and snap.version == self.version:
            snap.close()  # changed back between the two reads: the same data
            self.last_error = None
            return False
        self.version = snap.version
        self.last_error = None
        self.on_change(snap)
        return True

    def _run(self) -> None:
        while not self._stop.wait(self.interval):
            try:
                self.poll()
            except OSError as exc:  # e.g. the temporary directory is full: keep serving the old snapshot
                self.last_error = str(exc)
