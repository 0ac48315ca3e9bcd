"""Clustering in a forked helper process that loads the numba kernels while the caller reads its firms.

A run's first numba call loads its kernels from numba's on-disk cache:
about 0.5 s at 245k firms, most of it numba's own start-up (its registries,
which import SciPy's linear algebra), as long as reading the firm file.
:meth:`ClusterEngine.start` forks a child at once that loads them (or, on an
empty cache, compiles them) while this process reads the file;
:meth:`ClusterEngine.cluster_points` then sends the child the points and
returns the :class:`~.methods.Labelling` as soon as the labels are known,
while the child goes on with the stability draws (as ``background=True``
does in a thread), so the draws run beside the description here. While
this process waits for the labels (the child may still be loading its
kernels), it runs the caller's ``meanwhile`` steps: at 245k firms,
factorising the firms' text columns for the description and importing
what the outputs are written with.

The results are :func:`~.methods.cluster_points`'s own (the child runs it;
tested equal). Where ``os.fork`` is missing :meth:`ClusterEngine.start`
returns None; if the child fails, the labels or the draws are computed in
this process instead.

Examples
--------
>>> import numpy as np
>>> from creative_clusters.microclusters.methods import cluster_points
>>> rng = np.random.default_rng(1)  # SYNTHETIC: one dense spot and scattered points
>>> X = np.r_[rng.normal(0, 80, (70, 2)), rng.uniform(-5000, 5000, (30, 2))] + 400000
>>> engine = ClusterEngine.start("dbscan")
>>> lab = (engine.cluster_points if engine else cluster_points)(X, method="dbscan", eps=300, min_firms=50,
...                                                              stability_reps=5, background=True).wait()
>>> ref = cluster_points(X, method="dbscan", eps=300, min_firms=50, stability_reps=5)
>>> bool((lab.labels == ref.labels).all() and (lab.stability == ref.stability).all())
True
"""

from __future__ import annotations

import contextlib
import os
import signal
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import Future
from multiprocessing.connection import Connection, Pipe
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    from creative_clusters.microclusters.methods import Labelling

__all__ = ["ClusterEngine"]

#: Methods the engine runs (HDBSCAN is scikit-learn's, with no numba kernels to load).
ENGINE_METHODS = ("split", "dbscan")


def _warm(method: str) -> None:
    """Load (or compile) the kernels ``method`` and its stability draws use, on a few generated points."""
    from creative_clusters.microclusters.methods import cluster_points

    rng = np.random.default_rng(0)
    X = np.r_[rng.normal(0.0, 200.0, (120, 2)), rng.uniform(-20_000.0, 20_000.0, (80, 2))] + 400_000.0
    cluster_points(X, method=method, eps=1000.0, min_firms=10, stability_reps=1, max_extent_km2=0.05).wait()


def _serve(conn: Connection, method: str) -> None:
    """The child: warm the kernels, then run one ``cluster_points`` job sent by the parent.

    Replies ``("labels", (Labelling, draws_follow))`` (stability NaN while
    draws are pending), then ``("stability", (firm, cluster))`` when draws
    follow; or ``("error", message)``.
    """
    from creative_clusters.microclusters.methods import cluster_points

    with contextlib.suppress(Exception):  # the real job reports its own errors
        _warm(method)
    try:
        X, kwargs = conn.recv()
    except EOFError:  # the parent did not need us
        return
    try:
        lab = cluster_points(X, **kwargs)
    except BaseException as exc:
        conn.send(("error", f"{type(exc).__name__}: {exc}"))
        raise
    pending, lab.pending = lab.pending, None
    conn.send(("labels", (lab, pending is not None)))
    if pending is not None:
        try:
            result = pending.result()
        except BaseException as exc:
            conn.send(("error", f"{type(exc).__name__}: {exc}"))
            raise
        conn.send(("stability", result))


class ClusterEngine:
    """A forked child that runs :func:`~.methods.cluster_points` once, its kernels loaded in advance.

    Use :meth:`start` (before reading the firms), then :meth:`cluster_points`
    once; :meth:`stop` ends the child if it is still running (always call
    it, e.g. in a ``finally``).
    """

    def __init__(self, pid: int, conn: Connection) -> None:
        self.pid: int | None = pid
        self.conn = conn
        self._stopping = False  # set by stop(): a closed pipe is then no failure to make good

    @classmethod
    def start(cls, method: str) -> ClusterEngine | None:
        """Fork the child for ``method``; None where ``os.fork`` is missing or fails, or for HDBSCAN."""
        fork = getattr(os, "fork", None)
        if fork is None or method not in ENGINE_METHODS:
            return None
        parent, child = Pipe()
        try:
            pid = fork()
        except OSError:
            parent.close()
            child.close()
            return None
        if pid == 0:  # pragma: no cover - the child's coverage is not collected
            code = 1
            try:
                parent.close()
                _serve(child, method)
                code = 0
            finally:
                os._exit(code)
        child.close()
        return cls(pid, parent)

    def cluster_points(self, X: np.ndarray, *, meanwhile: Sequence[Callable[[], None]] = (),
                       **kwargs: Any) -> Labelling:
        """:func:`~.methods.cluster_points` ``(X, **kwargs)`` run by the child (here if it fails).

        ``meanwhile`` are steps (no arguments) of work that does not need the
        labels, run here one after another while the child is busy: still
        loading its kernels (the points go to it from a thread meanwhile), or
        clustering. Once the labels are in, the remaining steps are skipped.
        With ``background=True`` the :class:`~.methods.Labelling` comes back
        with the labels, its draws pending until the child sends them
        (:meth:`~.methods.Labelling.wait`).
        """
        from creative_clusters.microclusters.methods import cluster_points

        X = np.ascontiguousarray(X, dtype=float)

        def send() -> None:  # blocks until the child reads (4 MB at 245k firms; the pipe holds 64 kB)
            with contextlib.suppress(OSError):  # the child has gone: recv below says so
                self.conn.send((X, kwargs))

        sender = threading.Thread(target=send, name="microcluster-engine-send", daemon=True)
        sender.start()
        try:
            for step in meanwhile:
                if self.conn.poll():  # the labels are in
                    break
                step()
        finally:
            sender.join()
        try:
            kind, lab = self.conn.recv()
        except (OSError, EOFError):
            kind, lab = "error", "the clustering process ended"
        if kind != "labels":
            self.stop()
            return cluster_points(X, **kwargs)
        lab, follows = lab
        if not follows:
            self.stop(kill=False)  # the child has sent everything and is leaving
            return lab
        fut: Future[tuple[np.ndarray, np.ndarray]] = Future()
        lab.pending = fut

        def receive() -> None:
            try:
                kind, result = self.conn.recv()
                if kind != "stability":
                    raise RuntimeError(result)
            except (OSError, EOFError, RuntimeError) as exc:
                if self._stopping:  # stopped on purpose (the run failed elsewhere): nothing to make good
                    fut.set_exception(exc)
                    return
                self.stop()
                try:  # the child failed in the draws: draw here (the same seeded draws)
                    again = cluster_points(X, **{**kwargs, "background": False})
                except BaseException as err:
                    fut.set_exception(err)
                    return
                result = (again.firm_stability, again.stability)
            else:
                self.stop(kill=False)  # the child has sent everything and is leaving
            fut.set_result(result)

        threading.Thread(target=receive, name="microcluster-engine", daemon=True).start()
        return lab

    def stop(self, *, kill: bool = True) -> None:
        """Reap the child, terminating it first with ``kill`` if it is still running; safe to call twice."""
        self._stopping = True
        pid, self.pid = self.pid, None
        with contextlib.suppress(OSError):
            self.conn.close()
        if pid is None:
            return
        with contextlib.suppress(ProcessLookupError, ChildProcessError):
            if kill and os.waitpid(pid, os.WNOHANG)[0] == 0:
                os.kill(pid, signal.SIGTERM)
            os.waitpid(pid, 0)
