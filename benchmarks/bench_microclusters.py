"""Benchmark: ``creative-clusters microclusters`` end to end against scikit-learn's fit alone.

One command::

    python benchmarks/bench_microclusters.py [--data DIR] [--national 5000000] [--method dbscan] [--baseline DIR]

Compiles the package's bytecode first (of the baseline checkout too), as ``scripts/setup.sh``
does on install. Writes SYNTHETIC firm files (``benchmarks/synthetic_firm_files.py``: invented
firms at real postcodes, every row flagged ``synthetic``) to a temporary
folder (removed at the end; ``--keep`` keeps it), then runs, each in its own process so each peak memory (``VmHWM``) is
that process's own:

1. the CLI on ≈245k England creative firms with an **empty numba cache**
   (``NUMBA_CACHE_DIR`` pointed at a new folder): the first-run time;
2. the same command again (cache filled): the end-to-end time;
3. scikit-learn's ``DBSCAN(eps, min_samples).fit`` alone on the same points
   (already in memory as an array): the reference;
4. with ``--national N``: the CLI on N SYNTHETIC firms at random GB postcodes
   (after ``precompile()`` in the same numba cache, as ``scripts/setup.sh``
   runs it on install, so the threaded kernels are compiled, not timed);
5. with ``--home DIR`` (a warehouse, e.g. the reference data imported): the
   same command reading it (``--no-load``: area names, the area-cluster mark
   and the LAD lines of the map, as a user with a warehouse runs it),
   alternating with 2 and 3; runs 1-4 see no warehouse (an empty home);
6. with ``--baseline DIR`` (another checkout, e.g. ``git archive`` of an
   earlier commit): that checkout's CLI, alternating with 2 and 3, so
   before/after ratios come from one run.

The CLI runs are exact DBSCAN (``--method dbscan``), eps 1,000 m, min 50,
stability on (50 draws), ``--no-load`` (writing every output file). It prints
wall times (best of ``--repeat`` alternating runs of 2 and 3, so both meet
the same load from other work), CPU times, peak memory, the ratio of
scikit-learn's fit to our whole command, and the size distribution of the microclusters (firms, km²).
The clustering (with its stability draws), the firm GeoPackage and the PNG run in forked
children of the CLI process (``microclusters.engine``, ``outputs.OutputWriter``), all waited
for inside the timed command: their CPU time (summed) and peak RSS (the largest; it counts
pages shared with the parent) are printed beside the parent's.

For the national run it also prints the peak of the whole machine's memory
in use while the command ran (the parent and its forked children together;
other work on the machine counts too).

Targets (issue 13): end to end ≥ 2× faster than scikit-learn's fit alone at
245k and < 1 GB peak; 5M firms < 60 s and < 4 GB.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import threading
import time
from pathlib import Path

import numpy as np
import pandas as pd

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
# measure the checkout this file is in, not whichever copy the environment installed
sys.path.insert(0, str(ROOT))


def _vmhwm_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024.0
    return float("nan")


def worker_cli(args: list[str]) -> None:
    """Run the CLI in this process; print JSON {secs, peak_mb} on the last line."""
    from creative_clusters.cli import app

    t, c = time.perf_counter(), time.process_time()
    code = 0
    try:
        app(args)
    except SystemExit as exc:
        code = int(exc.code or 0)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)  # forked clustering engine, GeoPackage + PNG writers
    print(json.dumps({"secs": time.perf_counter() - t, "cpu": time.process_time() - c, "peak_mb": _vmhwm_mb(),
                      "child_cpu": kids.ru_utime + kids.ru_stime, "child_peak_mb": kids.ru_maxrss / 1024.0,
                      "exit": code}))


def worker_sklearn(points: str, eps: float, min_samples: int) -> None:
    """scikit-learn's fit on the saved points; print JSON {secs, peak_mb}."""
    from sklearn.cluster import DBSCAN

    X = np.load(points)
    t, c = time.perf_counter(), time.process_time()
    DBSCAN(eps=eps, min_samples=min_samples).fit(X)
    print(json.dumps({"secs": time.perf_counter() - t, "cpu": time.process_time() - c, "peak_mb": _vmhwm_mb()}))


def _memory_in_use_kb() -> int:
    """The whole machine's memory in use (MemTotal - MemAvailable), kB; 0 without /proc/meminfo."""
    try:
        info = dict(line.split(":", 1) for line in Path("/proc/meminfo").read_text().splitlines())
        return int(info["MemTotal"].split()[0]) - int(info["MemAvailable"].split()[0])
    except (OSError, KeyError, ValueError):
        return 0


def _run(argv: list[str], env: dict[str, str] | None = None, script: Path | None = None) -> dict:
    """Run this file (or ``script``) with ``argv`` in a new process; its JSON stats, wall time and machine memory.

    ``machine_mb`` is the peak of the whole machine's memory in use while the
    process ran, above its level just before (sampled every 0.2 s): the
    process and its forked children together, which their separate peaks
    (``VmHWM``, ``ru_maxrss``) do not add up to. Other work on the machine
    adds to it too.
    """
    base = peak = _memory_in_use_kb()
    t = time.perf_counter()
    with subprocess.Popen([sys.executable, str(script or Path(__file__).resolve()), *argv],
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                          env={**os.environ, **(env or {})}) as proc:
        box: dict[str, str] = {}
        reader = threading.Thread(target=lambda: box.update(zip(("out", "err"), proc.communicate(),
                                                                strict=True)))
        reader.start()
        while reader.is_alive():
            peak = max(peak, _memory_in_use_kb())
            reader.join(0.2)
    wall = time.perf_counter() - t
    p = subprocess.CompletedProcess(proc.args, proc.returncode, box.get("out", ""), box.get("err", ""))
    lines = p.stdout.strip().splitlines()
    try:
        stats = json.loads(lines[-1])
    except (IndexError, json.JSONDecodeError):
        return {"error": (p.stderr.strip().splitlines() or ["failed"])[-1], "wall": wall}
    stats["wall"] = wall  # includes interpreter start and imports
    stats["machine_mb"] = (peak - base) / 1024.0
    stats["stdout"] = "\n".join(lines[:-1])
    return stats


def _best(runs: list[dict]) -> dict:
    """The fastest successful run (least disturbed by other work on a shared machine), else the first."""
    ok = [r for r in runs if "error" not in r]
    return min(ok, key=lambda r: r["secs"]) if ok else runs[0]


def _sizes(out: Path) -> str:
    mc = pd.read_csv(out / "microclusters.csv")
    if mc.empty:
        return "no microclusters"
    q = [0.5, 0.9, 0.99, 1.0]
    a, f = mc["area_km2"].quantile(q), mc["n_firms"].quantile(q)
    return (f"{len(mc)} microclusters; firms median {f[0.5]:.0f}, p90 {f[0.9]:.0f}, p99 {f[0.99]:.0f}, "
            f"max {f[1.0]:.0f}; km² median {a[0.5]:.2f}, p90 {a[0.9]:.2f}, p99 {a[0.99]:.2f}, "
            f"max {a[1.0]:.1f}; over 10 km²: {(mc['area_km2'] > 10).sum()}")


def _is_summary(line: str) -> bool:
    """Whether ``line`` is the CLI's summary line (the count of microclusters, method, firms clustered).

    >>> _is_summary("8 microclusters of at least 50 creative firms (9 groups found, 1 below that floor) "
    ...             "(method dbscan, eps 1000 m, hubs downweight); 120 of 300 creative firms clustered")
    True
    >>> _is_summary("12 microclusters of at least 50 creative firms (method dbscan, eps 1000 m, hubs keep); ...")
    True
    >>> _is_summary("  MC0001: 93014 creative firms, Music, 12.00 km², E09000033 W1 stability 1.00")
    False
    """
    return " of at least " in line and "(method " in line


def main(argv: list[str] | None = None) -> None:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:2] == ["--worker", "precompile"]:
        from creative_clusters.microclusters.precompile import precompile

        precompile()
        print("{}")
        return
    if argv[:2] == ["--worker", "cli"]:
        # the CLI's own options (--eps, --method) must reach the CLI, not this parser
        worker_cli(argv[2:])
        return
    ap = argparse.ArgumentParser(description="microclusters end to end vs scikit-learn (SYNTHETIC firms)")
    ap.add_argument("--data")
    ap.add_argument("--eps", type=float, default=1000.0)
    ap.add_argument("--min-samples", type=int, default=50)
    ap.add_argument("--method", default="dbscan")
    ap.add_argument("--national", type=int, default=0, help="also run N SYNTHETIC GB firms (e.g. 5000000)")
    ap.add_argument("--repeat", type=int, default=3, help="alternating warm CLI / scikit-learn runs (best kept)")
    ap.add_argument("--baseline", type=Path, help="another checkout (e.g. an earlier commit) whose CLI runs "
                    "in the same alternation, for before/after ratios from one run")
    ap.add_argument("--home", type=Path, help="also run the CLI reading this warehouse (read-only)")
    ap.add_argument("--keep", action="store_true", help="keep the scratch folder of generated files")
    ap.add_argument("--worker", choices=["sklearn"])
    ap.add_argument("--points")
    a = ap.parse_args(argv)
    if a.worker == "sklearn":
        worker_sklearn(a.points, a.eps, a.min_samples)
        return
    sys.path.insert(0, str(HERE))
    import synthetic_firm_files as sff
    import synthetic_firms as sf
    from scratch import compile_bytecode, scratch_folder

    for checkout in (ROOT, a.baseline):  # as installed: scripts/setup.sh compiles the package's bytecode
        if checkout is not None:
            compile_bytecode(Path(checkout))
    tmp = scratch_folder("bench_microclusters_", keep=a.keep)
    pc = sf.postcode_points()
    path = sff.write_england_firm_csv(tmp, sf.data_root(a.data), postcodes=pc)
    pts = tmp / "points.npy"
    np.save(pts, pd.read_csv(path, usecols=["easting", "northing"]).to_numpy(float))
    big = sff.write_national_firm_csv(tmp, a.national, postcodes=pc) if a.national else None
    del pc
    n = len(np.load(pts))
    cli = ["microclusters", "--eps", f"{a.eps:g}", "--min-firms", str(a.min_samples), "--method",
           a.method, "--no-load"]
    print(f"SYNTHETIC firms at real postcodes: {n:,} (England, LAD × SIC as Business Counts 2025); "
          f"eps {a.eps:g} m, min {a.min_samples}, method {a.method}, stability on; "
          f"python {sys.version.split()[0]}, {os.cpu_count()} CPUs, load {os.getloadavg()[0]:.1f}")
    (tmp / "empty-home").mkdir()
    cache = {"NUMBA_CACHE_DIR": str(tmp / "numba-cache"), "CREATIVE_CLUSTERS_HOME": str(tmp / "empty-home")}
    cold = _run(["--worker", "cli", *cli, str(path), "--out", str(tmp / "out_cold")], cache)
    base_script = a.baseline.resolve() / "benchmarks" / "bench_microclusters.py" if a.baseline else None
    base_cache = {"NUMBA_CACHE_DIR": str(tmp / "numba-cache-baseline")}
    if base_script is not None:  # fill the baseline's own numba cache first
        _run(["--worker", "cli", *cli, str(path), "--out", str(tmp / "out_base")], base_cache, base_script)
    warms, sks, bases, homes = [], [], [], []
    for _ in range(a.repeat):  # alternate, so both see the same spells of load from other work
        if a.home is not None:
            homes.append(_run(["--worker", "cli", *cli, "--home", str(a.home.resolve()), str(path), "--out",
                               str(tmp / "out_home")], cache))
        if base_script is not None:
            bases.append(_run(["--worker", "cli", *cli, str(path), "--out", str(tmp / "out_base")], base_cache,
                              base_script))
        warms.append(_run(["--worker", "cli", *cli, str(path), "--out", str(tmp / "out")], cache))
        sks.append(_run(["--worker", "sklearn", "--points", str(pts), "--eps", str(a.eps), "--min-samples",
                         str(a.min_samples)]))
    warm, sk = _best(warms), _best(sks)
    print(f"  (best of {a.repeat} alternating runs; load after them {os.getloadavg()[0]:.1f})")
    for name, r, rs in (("CLI, empty numba cache", cold, [cold]), ("CLI, cache filled", warm, warms),
                        ("scikit-learn DBSCAN.fit only", sk, sks)):
        if "error" in r:
            print(f"  {name}: failed: {r['error']}")
        else:
            every = ", ".join(f"{x['secs']:.2f}" for x in rs if "secs" in x)
            kid = (f"; forked children (engine, writers): CPU {r['child_cpu']:.2f} s, peak RSS "
                   f"{r['child_peak_mb']:.0f} MB (pages shared with the parent counted)" if r.get("child_cpu") else "")
            print(f"  {name}: {r['secs']:.2f} s in process ({r['wall']:.2f} s with start-up; CPU "
                  f"{r['cpu']:.2f} s), peak {r['peak_mb']:.0f} MB" + kid
                  + (f"; all runs {every} s" if len(rs) > 1 else ""))
    if homes:
        h = _best(homes)
        if "error" in h:
            print(f"  with the warehouse {a.home}: failed: {h['error']}")
        else:
            every = ", ".join(f"{x['secs']:.2f}" for x in homes if "secs" in x)
            print(f"  CLI reading a warehouse (area names, area-cluster mark, LAD lines on the map): "
                  f"{h['secs']:.2f} s in process (CPU {h['cpu']:.2f} s, forked children "
                  f"{h.get('child_cpu', 0.0):.2f} s), peak {h['peak_mb']:.0f} MB; all runs {every} s"
                  + (f"; ratio to scikit-learn's fit {sk['secs'] / h['secs']:.2f}×" if "error" not in sk else ""))
    if bases:
        b = _best(bases)
        if "error" in b:
            print(f"  baseline {a.baseline}: failed: {b['error']}")
        elif "error" not in warm and "error" not in sk:
            every = ", ".join(f"{x['secs']:.2f}" for x in bases if "secs" in x)
            print(f"  baseline CLI ({a.baseline}), cache filled: {b['secs']:.2f} s in process (CPU {b['cpu']:.2f} s"
                  f"{', forked children ' + format(b['child_cpu'], '.2f') + ' s' if b.get('child_cpu') else ''}), "
                  f"peak {b['peak_mb']:.0f} MB; all runs {every} s")
            print(f"  baseline ratio: scikit-learn's fit alone / baseline command = {sk['secs'] / b['secs']:.2f}×; "
                  f"baseline / this checkout = {b['secs'] / warm['secs']:.2f}× (wall), "
                  f"{(b['cpu'] + b.get('child_cpu', 0.0)) / (warm['cpu'] + warm.get('child_cpu', 0.0)):.2f}× (CPU)")
    if "error" not in warm and "error" not in sk:
        said = [ln for ln in warm["stdout"].splitlines() if _is_summary(ln)]
        print("  CLI said: " + (said[0] if said else "(no summary line)"))
        print(f"  ratio: scikit-learn's fit alone / our whole command = {sk['secs'] / warm['secs']:.2f}× "
              f"(with start-up {sk['secs'] / warm['wall']:.2f}×; CPU time, forked children's included, "
              f"{sk['cpu'] / (warm['cpu'] + warm.get('child_cpu', 0.0)):.2f}×); "
              f"first-run extra {cold['secs'] - warm['secs']:.1f} s")
        print("  " + _sizes(tmp / "out"))
    if big is not None:
        _run(["--worker", "precompile"], cache)  # what setup.sh does on install: the threaded kernels too
        r = _run(["--worker", "cli", *cli, "--stability-reps", "50", str(big), "--out", str(tmp / "out_nat")],
                 cache)
        if "error" in r:
            print(f"  national {a.national:,}: failed: {r['error']}")
        else:
            print(f"  national {a.national:,} SYNTHETIC GB firms: {r['secs']:.1f} s "
                  f"({r['wall']:.1f} s with start-up; CPU {r['cpu']:.1f} s), peak {r['peak_mb']:.0f} MB; "
                  f"forked children: CPU {r.get('child_cpu', 0.0):.1f} s, "
                  f"peak RSS {r.get('child_peak_mb', 0.0):.0f} MB; "
                  f"whole machine's memory in use, peak above idle: {r['machine_mb']:.0f} MB")
            print("  " + _sizes(tmp / "out_nat"))


if __name__ == "__main__":
    main()
