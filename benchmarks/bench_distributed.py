"""Benchmark: tiled DBSCAN on a Dask LocalCluster against the single-machine kernel (SYNTHETIC points).

One command::

    python benchmarks/bench_distributed.py [--data DIR] [--sizes 1000000 5000000 20000000]
        [--workers 2] [--memory 4GB] [--eps 1000] [--min-samples 50] [--check 5000000]

What it does, on whatever machine it runs on:

1. Builds SYNTHETIC point sets with ``benchmarks/synthetic_firms.py``: the
   ≈245k England creative firms placed by LAD × SIC as in UK Business Counts
   2025, and ``max(--sizes)`` points at random real GB postcodes (the national
   density pattern: dense cities, empty uplands). Every smaller size is the
   first rows of the largest. Each set is written as Parquet (row groups of
   500k, read back in partitions by dask.dataframe), named ``synthetic_*``.
2. Starts a LocalCluster of ``--workers`` single-threaded worker processes
   with ``--memory`` each, and runs the file-to-file path
   (:func:`creative_clusters.distributed.microclusters_distributed`) on each
   size, sampling every worker's resident memory every 0.5 s.
3. Runs the single-machine kernel on the ``--check`` subset (and on 245k) in a
   subprocess (``bench_dbscan.py``'s worker: fit time and peak RSS) and checks
   that the distributed labels and core flags are identical.
4. Overhead: on the 245k set, the distributed path (in-memory array and
   file-to-file) against the single-machine fit: the time ratio.

Nothing here runs in the test suite.
"""

from __future__ import annotations

import argparse
import os
import sys
import threading
import time
from pathlib import Path

import numpy as np
import pandas as pd

HERE = Path(__file__).resolve().parent


class MemoryWatch:
    """Peak resident memory of each worker, polled in a thread."""

    def __init__(self, client, every: float = 0.5) -> None:
        self.client = client
        self.every = every
        self.peak: dict[str, float] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    @staticmethod
    def _rss() -> float:
        import psutil

        return psutil.Process().memory_info().rss / 2**20

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                for w, mb in self.client.run(self._rss).items():
                    self.peak[w] = max(self.peak.get(w, 0.0), mb)
            except Exception:  # a worker restarting between polls: poll again
                pass
            self._stop.wait(self.every)

    def __enter__(self) -> MemoryWatch:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


def _write_parquet(X: np.ndarray, path: Path) -> Path:
    import pyarrow as pa
    import pyarrow.parquet as pq

    pq.write_table(pa.table({"easting": X[:, 0], "northing": X[:, 1]}), path, row_group_size=500_000)
    return path


def _labels(out: Path) -> tuple[np.ndarray, np.ndarray]:
    t = pd.read_parquet(out / "points", columns=["gid", "label", "is_core"]).sort_values("gid")
    return t["label"].to_numpy(), t["is_core"].to_numpy()


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description="Distributed (Dask) vs single-machine DBSCAN on SYNTHETIC points")
    ap.add_argument("--data")
    ap.add_argument("--sizes", type=int, nargs="+", default=[1_000_000, 5_000_000, 20_000_000])
    ap.add_argument("--check", type=int, default=5_000_000, help="size compared with the single-machine run")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--memory", default="4GB", help="memory limit per worker")
    ap.add_argument("--eps", type=float, default=1000.0)
    ap.add_argument("--min-samples", type=int, default=50)
    ap.add_argument("--tmp", help="folder for the synthetic sets and outputs (default: a new temp folder)")
    ap.add_argument("--keep", action="store_true", help="keep the scratch folder of generated files")
    a = ap.parse_args(argv)
    sys.path.insert(0, str(HERE))
    import bench_dbscan
    import synthetic_firms as sf
    from distributed import Client, LocalCluster
    from scratch import scratch_folder

    from creative_clusters.distributed.cluster import kernel_threads
    from creative_clusters.distributed.dbscan import dbscan_points
    from creative_clusters.distributed.points import microclusters_distributed

    tmp = Path(a.tmp) if a.tmp else scratch_folder("bench_distributed_", keep=a.keep)
    tmp.mkdir(parents=True, exist_ok=True)
    t = time.perf_counter()
    pc = sf.postcode_points()
    england, _ = sf.england_creative_firms(sf.data_root(a.data), postcodes=pc)
    big = sf.gb_postcode_firms(max(a.sizes), postcodes=pc)
    del pc
    eng_npy = tmp / f"synthetic_england_{len(england)}.npy"
    np.save(eng_npy, england)
    eng_pq = _write_parquet(england, tmp / f"synthetic_england_{len(england)}.parquet")
    sets = {n: _write_parquet(big[:n], tmp / f"synthetic_gb_{n}.parquet") for n in sorted(set(a.sizes))}
    check_npy = None
    if a.check:
        check_npy = tmp / f"synthetic_gb_{a.check}.npy"
        np.save(check_npy, big[:a.check])
    del big
    print(f"SYNTHETIC points at real postcodes (invented firms); eps {a.eps:g} m, min_samples {a.min_samples}; "
          f"python {sys.version.split()[0]}, {os.cpu_count()} CPUs; sets written in "
          f"{time.perf_counter() - t:.0f} s to {tmp}")

    t = time.perf_counter()
    cluster = LocalCluster(n_workers=a.workers, threads_per_worker=1, processes=True, memory_limit=a.memory,
                           dashboard_address=":0")
    client = Client(cluster)
    kt = kernel_threads(client)
    # warm-up: each worker loads the kernel (numba, cached on disk) before anything is timed
    dbscan_points(np.random.default_rng(0).uniform(0, 5000, (4000, 2)), a.eps, a.min_samples, client=client,
                  n_tiles=a.workers * 2, kernel_threads=kt)
    print(f"LocalCluster: {a.workers} worker processes x 1 thread, memory limit {a.memory} each, "
          f"{kt} numba thread(s) per task; started and warmed in {time.perf_counter() - t:.1f} s")
    print(f"{'set':>12} {'points':>11} {'time s':>8} {'tiles':>6} {'clusters':>8} {'peak MB/worker':>16}  phases (s)")
    results = {}
    for n, path in sets.items():
        out = tmp / f"out_synthetic_gb_{n}"
        with MemoryWatch(client) as mw:
            t = time.perf_counter()
            try:
                res = microclusters_distributed(path, out, client=client, eps=a.eps, min_samples=a.min_samples,
                                                category=None, kernel_threads=kt)
            except Exception as exc:  # report what does not complete, and go on
                print(f"{'gb':>12} {n:>11,} failed after {time.perf_counter() - t:.0f} s: "
                      f"{type(exc).__name__}: {exc}")
                continue
            secs = time.perf_counter() - t
        p = res.params
        peaks = "/".join(f"{v:.0f}" for v in mw.peak.values())
        print(f"{'gb':>12} {n:>11,} {secs:8.1f} {p['n_tiles_with_points']:>6} {p['n_microclusters']:>8} "
              f"{peaks:>16}  {p['timings_s']}")
        results[n] = {"secs": secs, "out": out}
        sys.stdout.flush()
    if len(results) > 1:
        ns = sorted(results)
        print("scaling: " + ", ".join(f"{n / 1e6:g}M {results[n]['secs'] / results[ns[0]]['secs']:.2f}x"
                                      for n in ns) + f" the time of {ns[0] / 1e6:g}M")

    if check_npy is not None and a.check in results:
        single = bench_dbscan.run("ours", check_npy, a.eps, a.min_samples, tmp)
        if "error" in single:
            print(f"single-machine kernel on {a.check:,}: failed: {single['error']}")
        else:
            r = np.load(single["result"])
            labels, core = _labels(results[a.check]["out"])
            same = np.array_equal(labels, r["labels"]) and np.array_equal(core, r["core"])
            print(f"check {a.check:,}: single-machine kernel {single['secs']:.1f} s, peak {single['peak_mb']:.0f} MB; "
                  f"distributed {results[a.check]['secs']:.1f} s "
                  f"(ratio {results[a.check]['secs'] / single['secs']:.2f}); labels and core flags "
                  f"{'IDENTICAL' if same else 'DIFFER'} ({int(labels.max()) + 1} clusters)")

    # overhead on the England-sized set
    single = bench_dbscan.run("ours", eng_npy, a.eps, a.min_samples, tmp)
    t = time.perf_counter()
    labels, core = dbscan_points(england, a.eps, a.min_samples, client=client, kernel_threads=kt)
    mem_secs = time.perf_counter() - t
    t = time.perf_counter()
    microclusters_distributed(eng_pq, tmp / "out_synthetic_england", client=client, eps=a.eps,
                              min_samples=a.min_samples, category=None, kernel_threads=kt)
    file_secs = time.perf_counter() - t
    if "error" in single:
        print(f"single-machine kernel on {len(england):,}: failed: {single['error']}")
    else:
        r = np.load(single["result"])
        same = np.array_equal(labels, r["labels"]) and np.array_equal(core, r["core"])
        print(f"overhead {len(england):,} England (SYNTHETIC): single-machine fit {single['secs']:.2f} s; "
              f"distributed in-memory {mem_secs:.2f} s (ratio {mem_secs / single['secs']:.1f}), "
              f"file to file {file_secs:.2f} s (ratio {file_secs / single['secs']:.1f}); labels "
              f"{'IDENTICAL' if same else 'DIFFER'}")
    client.close()
    cluster.close()


if __name__ == "__main__":
    main()
