"""``--scheduler local|ADDRESS`` → a ``distributed.Client`` (or none at all).

- no scheduler: nothing changes, everything runs in this process;
- ``local``: a ``LocalCluster`` of worker *processes* sized to this machine
  (one single-threaded worker per core, memory split evenly), closed on exit;
- anything else: the address of a running scheduler (``tcp://host:8786``),
  e.g. one started by dask-jobqueue on SLURM or dask-kubernetes
  (``docs/distributed.md``).

Examples
--------
>>> with connect(None) as client:
...     print(client)
None
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from creative_clusters.errors import DataSourceError, ParameterError

__all__ = ["INSTALL_HINT", "connect", "kernel_threads", "require_distributed"]

INSTALL_HINT = "pip install 'creative-clusters[distributed]'"


def require_distributed() -> Any:
    """Import ``distributed`` or raise ImportError naming the install command."""
    try:
        import distributed
    except ImportError as exc:  # pragma: no cover - the dev extra installs it
        raise ImportError(f"--scheduler needs Dask's distributed scheduler; install it with: {INSTALL_HINT}"
                          ) from exc
    return distributed


@contextmanager
def connect(scheduler: str | None, *, n_workers: int | None = None, threads_per_worker: int = 1,
            memory_limit: str | int = "auto", timeout: float = 20.0) -> Iterator[Any]:
    """A ``distributed.Client`` for ``scheduler`` (``None``, ``"local"`` or an address).

    Parameters
    ----------
    scheduler : str or None
        ``None`` yields ``None`` (run here); ``"local"`` starts a
        ``LocalCluster``; otherwise the scheduler's address.
    n_workers : int, optional
        Worker processes of a local cluster (default: one per core).
    threads_per_worker : int
        Threads of each local worker.
    memory_limit : str or int
        Per-worker memory limit of a local cluster (``"4GB"``; ``"auto"`` splits
        the machine's memory evenly).
    timeout : float
        Seconds to wait for a remote scheduler.

    Raises
    ------
    DataSourceError
        The scheduler cannot be reached.
    """
    if scheduler is None:
        yield None
        return
    scheduler = str(scheduler).strip()
    if not scheduler:
        raise ParameterError("--scheduler needs 'local' or a scheduler address such as tcp://host:8786")
    distributed = require_distributed()
    if scheduler == "local":
        n = int(n_workers or os.cpu_count() or 1)
        cluster = distributed.LocalCluster(n_workers=n, threads_per_worker=int(threads_per_worker),
                                           processes=True, memory_limit=memory_limit, dashboard_address=":0")
        try:
            with distributed.Client(cluster) as client:
                yield client
        finally:
            cluster.close()
        return
    try:
        client = distributed.Client(scheduler, timeout=timeout)
    except (OSError, TimeoutError, ValueError) as exc:
        raise DataSourceError(f"could not reach the Dask scheduler at {scheduler!r} within {timeout:g} s ({exc}). "
                              "Start one (`dask scheduler`, dask-jobqueue or dask-kubernetes, see "
                              "docs/distributed.md) or use --scheduler local.") from None
    try:
        yield client
    finally:
        client.close()


def kernel_threads(client: Any) -> int:
    """numba threads per task so that a host's Dask threads share its cores, not oversubscribe them.

    For each host: its cores divided by the Dask threads of all its workers
    (at least 1); the smallest over hosts.
    """
    info = client.scheduler_info(n_workers=-1)["workers"] if _takes_n_workers(client) else \
        client.scheduler_info()["workers"]
    cores = client.run(os.cpu_count)
    per_host: dict[str, list[int]] = {}
    for addr, w in info.items():
        host = str(w.get("host", addr))
        per_host.setdefault(host, [0, 0])
        per_host[host][0] += int(w.get("nthreads", 1))
        per_host[host][1] = max(per_host[host][1], int(cores.get(addr) or 1))
    if not per_host:
        return 1
    return max(1, min(c // max(t, 1) for t, c in per_host.values()))


def _takes_n_workers(client: Any) -> bool:
    import inspect

    try:
        return "n_workers" in inspect.signature(client.scheduler_info).parameters
    except (TypeError, ValueError):
        return False
