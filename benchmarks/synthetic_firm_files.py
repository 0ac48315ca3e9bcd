"""SYNTHETIC firm *files* for the microcluster benchmarks (invented firms at real postcodes).

- :func:`write_england_firm_csv`: a plain firm list (``name, firm_id, postcode,
  sic, easting, northing, lad_code, synthetic``), one row per creative
  enterprise of every English LAD × creative SIC class in UK Business Counts
  2025, each at a random real postcode of its LAD (the placement of
  :func:`synthetic_firms.england_creative_firms`), with that class as its SIC
  code (``"59111 - ..."`` style). About 245k rows.
- :func:`write_national_firm_csv`: ``n`` firms at random real GB postcodes
  with random creative SIC codes (national density, 5 million in the
  benchmark), same layout.

Every file name starts with ``SYNTHETIC_`` and every row carries
``synthetic=1``; the microcluster reader sets the run's synthetic flag from
either. Nothing here is a real firm.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pandas as pd

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import synthetic_firms as sf  # noqa: E402


def _write(path: Path, pc: pd.DataFrame, idx: np.ndarray, sic: np.ndarray) -> Path:
    n = len(idx)
    ids = np.char.add("SYN", np.arange(n).astype(str))
    key = pc["key"].to_numpy(object)[idx].astype(str)
    postcode = np.char.add(np.char.add(np.char.rstrip(np.char.ljust(
        np.array([k[:-3] for k in key]), 4)), " "), np.array([k[-3:] for k in key]))
    df = pd.DataFrame({
        "name": np.char.add("Synthetic firm ", np.arange(n).astype(str)),
        "firm_id": ids,
        "postcode": postcode,
        "sic": np.char.add(sic.astype(str), "0 - synthetic"),
        "easting": pc["easting"].to_numpy()[idx],
        "northing": pc["northing"].to_numpy()[idx],
        "lad_code": pc["lad_code"].to_numpy(object)[idx],
        "synthetic": 1,
    })
    path.parent.mkdir(parents=True, exist_ok=True)
    df.to_csv(path, index=False)
    return path


def write_england_firm_csv(out_dir: Path, data: Path, *, seed: int = 2025,
                           postcodes: pd.DataFrame | None = None) -> Path:
    """SYNTHETIC ≈245k English creative firms by LAD × SIC (Business Counts 2025)."""
    counts = pd.read_csv(data / "business_counts" / "business_counts_fact_long_2025_with_codes.csv",
                         dtype={"lad23cd": str, "sic2007_4": str})
    changes = pd.read_csv(data / "geography" / "changes.csv", encoding="utf-8-sig", dtype=str)
    nc = changes["type"] == "new_code"
    recode = dict(zip(changes.loc[nc, "oldcd"], changes.loc[nc, "newcd"], strict=False))
    pc = sf.postcode_points() if postcodes is None else postcodes
    rows_of = {k: np.asarray(v) for k, v in pc.groupby("lad_code").indices.items()}
    rng = np.random.default_rng(seed)
    idx, sic = [], []
    for r in counts.itertuples():
        rows = rows_of.get(r.lad23cd)
        if rows is None:
            rows = rows_of.get(recode.get(r.lad23cd, r.lad23cd))
        if rows is None or r.enterprises == 0:
            continue
        idx.append(rows[rng.integers(0, len(rows), int(r.enterprises))])
        sic.append(np.full(int(r.enterprises), r.sic2007_4))
    return _write(out_dir / "SYNTHETIC_england_creative_firms.csv", pc, np.concatenate(idx),
                  np.concatenate(sic))


def write_national_firm_csv(out_dir: Path, n: int, *, seed: int = 2025,
                            postcodes: pd.DataFrame | None = None) -> Path:
    """SYNTHETIC ``n`` creative firms at random real GB postcodes."""
    from creative_clusters.classifications import dcms

    pc = sf.postcode_points() if postcodes is None else postcodes
    rng = np.random.default_rng(seed)
    idx = rng.integers(0, len(pc), n)
    sic = np.array(dcms.creative_classes())[rng.integers(0, 31, n)]
    return _write(out_dir / f"SYNTHETIC_gb_firms_{n}.csv", pc, idx, sic)
