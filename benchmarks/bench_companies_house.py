"""Benchmark: reading the national Companies House file layout (rows per second, peak memory).

One command::

    python benchmarks/bench_companies_house.py [--rows 5700000] [--zip]

Writes a SYNTHETIC file in the product's layout (all 55 columns,
``sources.companies_house.write_synthetic_product``: invented companies at
real GB postcodes, 7% with a creative SIC code first, about the national
file's 5.7 million rows) to a temporary folder, optionally zips it, then
reads it with ``read_companies_house`` in a fresh process and prints rows per
second, the creative rows kept and the process's peak memory (``VmHWM``).
For scale, pandas' ``read_csv`` of the same file's needed columns runs in
another process (skip with ``--no-pandas``).

Target (issue 13): the full file under 2 GB peak.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

HERE = Path(__file__).resolve().parent


def worker(kind: str, path: str) -> None:
    from creative_clusters.sources.companies_house import CH_COLUMNS, peak_rss_mb, read_companies_house

    t = time.perf_counter()
    if kind == "ours":
        out = read_companies_house(path)
        kept, rows = len(out), out.attrs["rows_read"]
    else:
        import pandas as pd

        head = pd.read_csv(path, nrows=0).columns
        use = [c for c in head if c.strip() in CH_COLUMNS]
        out = pd.read_csv(path, usecols=use, dtype=str)
        kept, rows = len(out), len(out)
    print(json.dumps({"secs": time.perf_counter() - t, "rows": rows, "kept": kept, "peak_mb": peak_rss_mb()}))


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, default=5_700_000)
    ap.add_argument("--zip", action="store_true", help="read the file zipped, as published")
    ap.add_argument("--no-pandas", action="store_true")
    ap.add_argument("--worker")
    ap.add_argument("--path")
    a = ap.parse_args(argv)
    if a.worker:
        worker(a.worker, a.path)
        return
    sys.path.insert(0, str(HERE))
    import synthetic_firms as sf

    from creative_clusters.sources.companies_house import write_synthetic_product

    tmp = Path(tempfile.mkdtemp(prefix="bench_ch_"))
    pcs = sf.postcode_points()["key"].to_numpy(object)
    pcs = [f"{k[:-3]} {k[-3:]}" for k in pcs]
    t = time.perf_counter()
    path = write_synthetic_product(tmp / "SYNTHETIC_BasicCompanyDataAsOneFile-2024-11-01.csv", a.rows,
                                   postcodes=__import__("numpy").array(pcs, dtype=object))
    print(f"SYNTHETIC product-layout file: {a.rows:,} rows, {path.stat().st_size / 1e9:.2f} GB, "
          f"written in {time.perf_counter() - t:.0f} s")
    src = path
    if a.zip:
        src = tmp / "SYNTHETIC_BasicCompanyDataAsOneFile-2024-11-01.zip"
        with zipfile.ZipFile(src, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as zf:
            zf.write(path, path.name)
        print(f"zipped: {src.stat().st_size / 1e9:.2f} GB")
    for kind in ("ours",) + (() if a.no_pandas or a.zip else ("pandas",)):
        p = subprocess.run([sys.executable, __file__, "--worker", kind, "--path", str(src)], capture_output=True,
                           text=True, check=False)
        if p.returncode:
            print(f"  {kind}: failed: {p.stderr.strip().splitlines()[-1:]}")
            continue
        r = json.loads(p.stdout.strip().splitlines()[-1])
        label = "read_companies_house" if kind == "ours" else "pandas read_csv (needed columns, no filter)"
        print(f"  {label}: {r['secs']:.1f} s, {r['rows'] / r['secs']:,.0f} rows/s, kept {r['kept']:,} rows, "
              f"peak {r['peak_mb']:,.0f} MB")
    print(f"files in {tmp} (delete when done)")


if __name__ == "__main__":
    main()
