"""Benchmark: a full ``data import`` of the reference bundle.

Runs the import in a fresh child process (fresh warehouse in a temporary
directory) and prints wall time and peak resident memory.
Target (issue 2): under 60 s and under 2 GB on a 2-core machine.

Usage::

    .venv/bin/python benchmarks/bench_import.py [--data DIR] [--repeat N]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

CHILD = r"""
import json, resource, sys, time
from creative_clusters.sources.registry import all_datasets
from creative_clusters.warehouse import Warehouse
t0 = time.perf_counter()
with Warehouse(sys.argv[2]) as wh:
    reports = wh.import_datasets(all_datasets(), sys.argv[1])
wall = time.perf_counter() - t0
peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({"wall_s": wall, "peak_mb": peak_kb / 1024,
                  "datasets": len(reports), "rows": sum(r.rows for r in reports)}))
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    default = os.environ.get("CREATIVE_CLUSTERS_DATA") or str(
        Path(__file__).resolve().parents[1].parent / "shared" / "data"
    )
    parser.add_argument("--data", default=default)
    parser.add_argument("--repeat", type=int, default=1)
    args = parser.parse_args()
    results = []
    for _ in range(args.repeat):
        with tempfile.TemporaryDirectory() as home:
            out = subprocess.run(
                [sys.executable, "-c", CHILD, args.data, home],
                check=True, capture_output=True, text=True,
            )
            results.append(json.loads(out.stdout.strip().splitlines()[-1]))
    best = min(results, key=lambda r: r["wall_s"])
    print(f"full import of {args.data}: {best['datasets']} datasets, {best['rows']:,} observations")
    print(f"wall time  {best['wall_s']:.1f} s   (target < 60 s; ratio to target {best['wall_s'] / 60:.2f})")
    print(f"peak RSS   {best['peak_mb']:.0f} MB  (target < 2048 MB; ratio to target {best['peak_mb'] / 2048:.2f})")


if __name__ == "__main__":
    main()
