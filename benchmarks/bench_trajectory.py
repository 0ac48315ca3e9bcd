"""Benchmark: trajectory indicators and classes for every place, level and year (real data).

Scope (issue 11): the 2010–2025 creative-enterprise series for all 361 UK LADs
and the places built from them (UTLAs, combined authorities, regions, TTWAs,
nations, the UK) × every year: counts, ranks in the UK and the nation, LQ over
time (2017–2024 denominators), outlier flags and trajectory classes. Target:
under 10 s on this 2-core machine. Reference in the same run: the same
computation for a single year (the latest), so the ratio says what the other
15 years cost. Loading the data from the warehouse is reported apart, as is
the one-off scipy import.

Usage::

    .venv/bin/python benchmarks/bench_trajectory.py --data ../shared/data
    .venv/bin/python benchmarks/bench_trajectory.py --home DIR   # already imported
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

NEEDED = ("geography_boundaries", "geography_lookups", "business_counts_series", "business_demography_2024",
          "business_demography_2017_2022")


def run(home: Path, repeats: int) -> None:
    t0 = time.perf_counter()
    from creative_clusters.indicators.lq import poisson_lq_interval
    from creative_clusters.warehouse import Warehouse
    from creative_clusters.workflows.trajectory import LEVELS, load_trajectory_data, trajectory_table

    poisson_lq_interval(1.0, 1.0)  # the one-off scipy.stats import
    t_import = time.perf_counter() - t0
    with Warehouse(home, read_only=True) as wh:
        t0 = time.perf_counter()
        data = load_trajectory_data(wh)
        t_load = time.perf_counter() - t0
    latest = data.years[-1]

    def all_years() -> int:
        return sum(len(trajectory_table(level=lvl, data=data, cache=False)) for lvl in LEVELS)

    def one_year() -> int:
        return sum(len(trajectory_table(level=lvl, data=data, years=[latest], cache=False)) for lvl in LEVELS)

    best_all = best_one = float("inf")
    rows_all = rows_one = 0
    for _ in range(repeats):
        t0 = time.perf_counter()
        rows_all = all_years()
        best_all = min(best_all, time.perf_counter() - t0)
        t0 = time.perf_counter()
        rows_one = one_year()
        best_one = min(best_one, time.perf_counter() - t0)
    n_lad = data.series["geo_code"].nunique()
    print(f"series: {data.source.id} (vintage {data.source.vintage}), {n_lad} LADs × {len(data.years)} years "
          f"{data.years[0]}–{latest}; LQ years {sorted(data.active['period'].unique())}")
    print(f"one-off imports (scipy.stats): {t_import:.2f} s; loading from the warehouse: {t_load:.2f} s (not counted)")
    print(f"all levels {list(LEVELS)} × all years: {rows_all:,} place-years in {best_all:.2f} s "
          f"(best of {repeats}; target < 10 s)")
    print(f"reference, the same for {latest} only: {rows_one:,} place-years in {best_one:.2f} s")
    print(f"ratio all years / one year: {best_all / best_one:.2f}×  (16× the place-years)")
    print(f"all years including loading: {best_all + t_load:.2f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", help="reference-data directory (imports the needed datasets into a temp home)")
    parser.add_argument("--home", help="an already-imported warehouse home")
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    if args.home:
        run(Path(args.home), args.repeats)
        return
    data = Path(args.data or os.environ.get("CREATIVE_CLUSTERS_DATA") or Path(__file__).parents[1] / "../shared/data")
    if not (data / "README.md").exists():
        sys.exit(f"reference data not found at {data}; pass --data DIR or --home DIR")
    from creative_clusters.sources.registry import get_dataset
    from creative_clusters.warehouse import Warehouse

    with tempfile.TemporaryDirectory() as tmp:
        t0 = time.perf_counter()
        with Warehouse(tmp) as wh:
            wh.import_datasets([get_dataset(d) for d in NEEDED], data)
        print(f"(imported {len(NEEDED)} datasets in {time.perf_counter() - t0:.1f} s, not counted)")
        run(Path(tmp), args.repeats)


if __name__ == "__main__":
    main()
