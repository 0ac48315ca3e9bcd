"""Benchmark the evidence pack.

Prints
1. one place, all four formats (HTML, PDF, DOCX, XLSX): target under 5 s;
2. ``--all`` for every English LAD with creative counts, HTML + XLSX, in
   parallel: target under 10 minutes on a 2-core machine.

Usage::

    python benchmarks/bench_evidence.py [--home DIR] [--place Sheffield] [--workers 2] [--limit N]

Without ``--home`` the reference data (``$CREATIVE_CLUSTERS_DATA`` or
``../shared/data``) is imported into a temporary warehouse first (not timed).
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from pathlib import Path


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--home", type=Path, default=None)
    ap.add_argument("--place", default="Sheffield")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--limit", type=int, default=None, help="only the first N LADs (then extrapolated)")
    ap.add_argument("--skip-all", action="store_true")
    args = ap.parse_args()

    from creative_clusters.workflows.evidence import build_all, build_pack, load_national

    home = args.home
    if home is None:
        from creative_clusters.sources.registry import all_datasets
        from creative_clusters.warehouse import Warehouse

        root = Path(os.environ.get("CREATIVE_CLUSTERS_DATA") or Path(__file__).resolve().parents[1].parent / "shared" / "data")
        home = Path(tempfile.mkdtemp(prefix="cc-bench-"))
        t = time.perf_counter()
        with Warehouse(home) as wh:
            wh.import_datasets(all_datasets(), root)
        print(f"(setup) imported the reference data in {time.perf_counter() - t:.1f} s")

    t = time.perf_counter()
    nd = load_national(home)
    t_load = time.perf_counter() - t
    print(f"load national tables (once per run): {t_load:.2f} s")

    import resource

    with tempfile.TemporaryDirectory() as out:
        build_pack(args.place, national=nd, out=out, formats=("html",))  # warm imports and fonts
    with tempfile.TemporaryDirectory() as out:
        c0 = time.process_time() + resource.getrusage(resource.RUSAGE_CHILDREN).ru_utime
        t = time.perf_counter()
        build_pack(args.place, national=nd, out=out, formats=("html", "pdf", "docx", "xlsx"),
                   build_date="2025-01-01")
        t_one = time.perf_counter() - t
        cpu = time.process_time() + resource.getrusage(resource.RUSAGE_CHILDREN).ru_utime - c0
    load = os.getloadavg()[0]
    print(f"one place ({args.place}), all four formats: {t_one:.2f} s wall, {cpu:.2f} s CPU "
          f"(target 5 s; ratio {t_one / 5:.2f}); with warehouse load {t_one + t_load:.2f} s; "
          f"machine load average {load:.1f} on {os.cpu_count()} cores")

    if args.skip_all:
        return
    n_all = len(nd.enterprises)
    with tempfile.TemporaryDirectory() as out:
        t = time.perf_counter()
        paths = build_all(out=out, formats=("html", "xlsx"), workers=args.workers, national=nd,
                          limit=args.limit, build_date="2025-01-01")
        t_all = time.perf_counter() - t
    n = len(paths) // 2
    est = t_all / max(n, 1) * n_all
    label = f"{n} of {n_all} LADs" if n < n_all else f"all {n_all} LADs"
    print(f"--all ({label}), HTML + XLSX, {args.workers} workers: {t_all:.1f} s "
          f"({t_all / max(n, 1):.2f} s per place; {'estimated ' if n < n_all else ''}"
          f"{est:.0f} s for all {n_all}; target 600 s; ratio {est / 600:.2f})")


if __name__ == "__main__":
    main()
