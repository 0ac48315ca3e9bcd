"""Benchmark: our grid DBSCAN vs scikit-learn's DBSCAN on SYNTHETIC firms.

One command::

    python benchmarks/bench_dbscan.py [--data DIR] [--eps 1000 250] [--skip-sklearn-1m] [--sklearn-5m]

Builds the SYNTHETIC point sets of ``benchmarks/synthetic_firms.py`` (real
postcode locations, invented firms): 50k (a random subset) and ≈245k England
creative firms placed by LAD × SIC as in UK Business Counts 2025, then 1M and
5M points at random GB postcodes. For 50k and 245k (and 1M unless
``--skip-sklearn-1m``, 5M with ``--sklearn-5m``), ours and scikit-learn's ``DBSCAN(eps, min_samples,
algorithm="auto")`` run on the same array, **each in its own subprocess**, so
each peak memory is that process's own high-water mark (``VmHWM``); the table shows wall
time of the fit, whole-process peak RSS and the peak above the baseline after
imports and loading the points, the time ratio, and whether core masks and
label arrays are identical. Ours alone at 1M and 5M. Ours is timed after a
warm-up call on 100 points (numba compiles once, cached on disk).

The fastest exact peer, the ``dbscan`` package (Wang, Gu & Shun, "Theoretically
efficient and practical parallel DBSCAN", SIGMOD 2020; PyPI ``dbscan``, the
``bench`` extra; multithreaded C++), runs on every set when it is installed,
and its labels are compared with ours the same way (its cluster numbering may
differ, so "partition" compares core sets and clusters as sets).

Targets (issue 4): ≥ 20× faster and ≤ ¼ of scikit-learn's peak memory at
245k; 5M points in < 60 s and < 4 GB peak.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent


def worker(impl: str, points: str, eps: float, min_samples: int, out: str) -> None:
    """Run one fit in this process; write labels/core to ``out`` and print JSON stats."""
    from peak_memory import peak_rss_mb  # this script's folder (sys.path[0] when run as a script)

    if impl == "ours":
        from creative_clusters.microclusters.dbscan import dbscan

        dbscan(np.random.default_rng(0).uniform(0, 5000, (100, 2)), eps, min_samples)  # warm-up
    elif impl == "wgs":
        from dbscan import DBSCAN as wgs_dbscan
    else:
        from sklearn.cluster import DBSCAN
    X = np.load(points)
    base = peak_rss_mb()
    t = time.perf_counter()
    if impl == "ours":
        labels, core = dbscan(X, eps, min_samples)
    elif impl == "wgs":
        labels, core = wgs_dbscan(np.ascontiguousarray(X), eps=eps, min_samples=min_samples)
        labels, core = np.asarray(labels, np.int64), np.asarray(core, bool)
    else:
        m = DBSCAN(eps=eps, min_samples=min_samples, algorithm="auto").fit(X)
        labels = m.labels_
        core = np.zeros(len(X), bool)
        core[m.core_sample_indices_] = True
    secs = time.perf_counter() - t
    peak = peak_rss_mb()
    np.savez(out, labels=labels, core=core)
    print(json.dumps({"secs": secs, "peak_mb": peak, "above_base_mb": peak - base,
                      "n_clusters": int(labels.max()) + 1}))


def run(impl: str, points: Path, eps: float, min_samples: int, tmp: Path) -> dict:
    out = tmp / f"{impl}_{points.stem}_{eps:g}.npz"
    cmd = [sys.executable, str(Path(__file__).resolve()), "--worker", impl, "--points", str(points),
           "--eps", str(eps), "--min-samples", str(min_samples), "--result", str(out)]
    p = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if p.returncode != 0:
        return {"error": (p.stderr.strip().splitlines() or ["failed"])[-1]}
    stats = json.loads(p.stdout.strip().splitlines()[-1])
    stats["result"] = str(out)
    return stats


def _partition(labels: np.ndarray, core: np.ndarray) -> set[frozenset[int]]:
    idx = np.flatnonzero(core)
    order = np.argsort(labels[idx], kind="stable")
    cut = np.flatnonzero(np.diff(labels[idx][order])) + 1
    return {frozenset(g.tolist()) for g in np.split(idx[order], cut)}


def same(a: dict, b: dict) -> str:
    ra, rb = np.load(a["result"]), np.load(b["result"])
    core = np.array_equal(ra["core"], rb["core"])
    lab = np.array_equal(ra["labels"], rb["labels"])
    part = core and _partition(ra["labels"], ra["core"]) == _partition(rb["labels"], rb["core"])
    noise = np.array_equal(ra["labels"] < 0, rb["labels"] < 0)
    return (f"core {'identical' if core else 'DIFFER'}, core partition {'identical' if part else 'DIFFER'}, "
            f"noise {'identical' if noise else 'DIFFER'}, labels {'identical' if lab else 'differ'}")


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description="Grid DBSCAN vs scikit-learn on SYNTHETIC firms")
    ap.add_argument("--data")
    ap.add_argument("--eps", type=float, nargs="+", default=[1000.0])
    ap.add_argument("--min-samples", type=int, default=50)
    ap.add_argument("--skip-sklearn-1m", action="store_true")
    ap.add_argument("--sklearn-5m", action="store_true", help="also run scikit-learn at 5M (slow, memory-hungry)")
    ap.add_argument("--worker")
    ap.add_argument("--points")
    ap.add_argument("--result")
    ap.add_argument("--keep", action="store_true", help="keep the scratch folder of generated files")
    a = ap.parse_args(argv)
    if a.worker:
        worker(a.worker, a.points, a.eps[0], a.min_samples, a.result)
        return
    try:
        import dbscan as _wgs  # noqa: F401
        peers = ["wgs"]
    except ImportError:
        peers = []
        print("the `dbscan` package (Wang, Gu & Shun) is not installed: pip install 'creative-clusters[bench]'")
    sys.path.insert(0, str(HERE))
    import synthetic_firms as sf
    from scratch import scratch_folder

    tmp = scratch_folder("bench_dbscan_", keep=a.keep)
    pc = sf.postcode_points()
    X, _ = sf.england_creative_firms(sf.data_root(a.data), postcodes=pc)
    rng = np.random.default_rng(50)
    sets = {
        "50k": X[np.sort(rng.choice(len(X), 50_000, replace=False))],
        f"{len(X) // 1000}k": X,
        "1M": sf.gb_postcode_firms(1_000_000, postcodes=pc),
        "5M": sf.gb_postcode_firms(5_000_000, postcodes=pc),
    }
    del pc
    paths = {}
    for name, arr in sets.items():
        paths[name] = tmp / f"synthetic_{name}.npy"
        np.save(paths[name], arr)
    del sets, X
    for eps in a.eps:
        _table(paths, eps, a, peers, tmp)


def _table(paths: dict, eps: float, a: argparse.Namespace, peers: list[str], tmp: Path) -> None:
    print(f"SYNTHETIC firms at real postcodes; eps {eps:g} m, min_samples {a.min_samples}; "
          f"python {sys.version.split()[0]}, {os.cpu_count()} CPUs, load {os.getloadavg()[0]:.1f}")
    hdr = f"{'set':>6} {'impl':>8} {'time s':>8} {'peak MB':>8} {'+base MB':>9} {'clusters':>8}"
    print(hdr)
    for name, path in paths.items():
        with_sk = name.endswith("k") or (name == "1M" and not a.skip_sklearn_1m) or (name == "5M" and a.sklearn_5m)
        res = {"ours": run("ours", path, eps, a.min_samples, tmp)}
        for peer in peers:
            res[peer] = run(peer, path, eps, a.min_samples, tmp)
        if with_sk:
            res["sklearn"] = run("sklearn", path, eps, a.min_samples, tmp)
        ours = res["ours"]
        for impl, r in res.items():
            if "error" in r:
                print(f"{name:>6} {impl:>8} failed: {r['error']}")
            else:
                print(f"{name:>6} {impl:>8} {r['secs']:8.2f} {r['peak_mb']:8.0f} "
                      f"{r['above_base_mb']:9.0f} {r['n_clusters']:8d}")
        for impl in ("sklearn", *peers):
            other = res.get(impl)
            if other and "error" not in other and "error" not in ours:
                print(f"{'':>6} vs {impl}: ours {other['secs'] / ours['secs']:.2f}x as fast; peak memory "
                      f"{ours['peak_mb'] / other['peak_mb']:.2f} of {impl}'s (above-baseline "
                      f"{ours['above_base_mb'] / max(other['above_base_mb'], 1e-9):.2f}); {same(ours, other)}")
        sys.stdout.flush()


if __name__ == "__main__":
    main()
