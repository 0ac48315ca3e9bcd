"""Benchmark: reading the national Companies House file layout (rows per second, peak memory).

One command::

    python benchmarks/bench_companies_house.py [--rows 5700000] [--zip] [--pandas-all-max-rows 1500000]

Writes a SYNTHETIC file in the product's layout (all 55 columns, header with
the published stray spaces, ``creative_clusters.testing.write_synthetic_product``:
invented companies ``SYNTHETIC COMPANY n`` at real GB postcodes, 7% with a
creative SIC code first, 90% Active; the national file has about 5.7 million
rows, about 2.7 GB) to a temporary folder, optionally zips it, then reads it
in fresh processes, one per reader:

- ``read_companies_house``: pyarrow's streaming CSV reader, only the needed
  columns, active creative rows kept (what ``microclusters`` does);
- ``pandas read_csv, needed columns``: ``usecols`` of the same columns, no
  filter (the careful pandas approach; its memory grows with the file);
- ``pandas read_csv, whole file``: every column as strings (the naive
  approach). Skipped above ``--pandas-all-max-rows`` because it needs many GB
  at national size on a shared machine.

Each line gives seconds, rows per second, rows kept, peak resident memory
(``VmHWM``) and the ratios against ``read_companies_house`` from the same run.
A ``baseline`` process (the same imports, no read) shows the interpreter's
own peak. Target (issue 13): the full file under 2 GB peak.
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
LABELS = {
    "baseline": "baseline (imports only, no read)",
    "ours": "read_companies_house (streaming, creative rows)",
    "pandas-usecols": "pandas read_csv, needed columns",
    "pandas-all": "pandas read_csv, whole file",
}


def worker(kind: str, path: str) -> None:
    """Run one reader in this process and print its figures as JSON."""
    import pandas as pd
    import pyarrow.csv  # noqa: F401  (the same imports in every process)
    from peak_memory import peak_rss_mb  # this script's folder (sys.path[0] when run as a script)

    from creative_clusters.sources.companies_house import CH_COLUMNS, read_companies_house

    t = time.perf_counter()
    if kind == "baseline":
        kept = rows = 0
    elif kind == "ours":
        out = read_companies_house(path)
        kept, rows = len(out), out.attrs["rows_read"]
    elif kind == "pandas-usecols":
        head = pd.read_csv(path, nrows=0).columns
        out = pd.read_csv(path, usecols=[c for c in head if c.strip() in CH_COLUMNS], dtype=str)
        kept = rows = len(out)
    elif kind == "pandas-all":
        out = pd.read_csv(path, dtype=str)
        kept = rows = len(out)
    else:
        raise SystemExit(f"unknown worker {kind!r}; expected one of {', '.join(LABELS)}")
    print(json.dumps({"secs": time.perf_counter() - t, "rows": rows, "kept": kept, "peak_mb": peak_rss_mb()}))


def run(kind: str, path: Path) -> dict[str, float] | None:
    """One reader in a fresh process (so each peak is its own)."""
    p = subprocess.run([sys.executable, __file__, "--worker", kind, "--path", str(path)], capture_output=True,
                       text=True, check=False)
    if p.returncode:
        print(f"  {LABELS[kind]}: failed: {(p.stderr.strip().splitlines() or ['?'])[-1]}")
        return None
    return json.loads(p.stdout.strip().splitlines()[-1])


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, default=5_700_000)
    ap.add_argument("--zip", action="store_true", help="read the file zipped, as published (our reader only)")
    ap.add_argument("--no-pandas", action="store_true", help="skip both pandas readers")
    ap.add_argument("--pandas-all-max-rows", type=int, default=1_500_000,
                    help="skip the whole-file pandas read above this many rows (memory)")
    ap.add_argument("--keep", action="store_true", help="keep the generated file")
    ap.add_argument("--worker")
    ap.add_argument("--path")
    a = ap.parse_args(argv)
    if a.worker:
        worker(a.worker, a.path)
        return
    sys.path.insert(0, str(HERE))
    import numpy as np
    import synthetic_firms as sf

    from creative_clusters.testing import write_synthetic_product

    tmp = Path(tempfile.mkdtemp(prefix="bench_ch_"))
    pcs = sf.postcode_points()["key"].to_numpy(object)
    pcs = np.array([f"{k[:-3]} {k[-3:]}" for k in pcs], dtype=object)
    t = time.perf_counter()
    path = write_synthetic_product(tmp / "SYNTHETIC_BasicCompanyDataAsOneFile-2024-11-01.csv", a.rows,
                                   postcodes=pcs)
    print(f"SYNTHETIC product-layout file: {a.rows:,} rows, {path.stat().st_size / 1e9:.2f} GB, "
          f"written in {time.perf_counter() - t:.0f} s")
    src = path
    if a.zip:
        src = tmp / "SYNTHETIC_BasicCompanyDataAsOneFile-2024-11-01.zip"
        with zipfile.ZipFile(src, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as zf:
            zf.write(path, path.name)
        print(f"zipped: {src.stat().st_size / 1e9:.2f} GB")
    kinds = ["baseline", "ours"]
    if not (a.no_pandas or a.zip):
        kinds.append("pandas-usecols")
        if a.rows <= a.pandas_all_max_rows:
            kinds.append("pandas-all")
        else:
            print(f"  {LABELS['pandas-all']}: skipped ({a.rows:,} rows > --pandas-all-max-rows "
                  f"{a.pandas_all_max_rows:,})")
    ours: dict[str, float] | None = None
    for kind in kinds:
        r = run(kind, src)
        if r is None:
            continue
        if kind == "baseline":
            print(f"  {LABELS[kind]}: peak {r['peak_mb']:,.0f} MB")
            continue
        ours = r if kind == "ours" else ours
        line = (f"  {LABELS[kind]}: {r['secs']:.1f} s, {r['rows'] / r['secs']:,.0f} rows/s, kept {r['kept']:,} "
                f"rows, peak {r['peak_mb']:,.0f} MB")
        if kind != "ours" and ours is not None:
            line += (f"; {r['secs'] / ours['secs']:.2f}x the time and {r['peak_mb'] / ours['peak_mb']:.2f}x the "
                     "peak of read_companies_house")
        print(line)
    if a.keep:
        print(f"files in {tmp} (delete when done)")
    else:
        for f in tmp.iterdir():
            f.unlink()
        tmp.rmdir()


if __name__ == "__main__":
    main()
