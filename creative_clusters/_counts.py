"""Disclosure flags and the one way to sum counts (low module: everyone may import it).

A sum of published counts carries the most severe flag of its parts, and is
missing (NaN, ``suppressed``) when any part was suppressed: a suppressed cell
is never silently zero. ``indicators.aggregate_counts`` (codes to larger
units) and the geography roll-ups both sum through :func:`sum_by`.

Examples
--------
>>> t = pd.DataFrame({"g": ["a", "a", "b"], "value": [1.0, 2.0, np.nan],
...                   "disclosure_flag": ["rounded", "as-published", "suppressed"]})
>>> sum_by(t, ["g"]).values.tolist()
[['a', 3.0, 'rounded'], ['b', nan, 'suppressed']]
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from creative_clusters._schema import DISCLOSURE_FLAGS
from creative_clusters.errors import SchemaError

__all__ = ["BRES_OPEN_ACCESS_ROUNDING", "BRES_ROUNDING", "FLAG_ORDER", "flag_rank", "rounding_half_step", "sum_by",
           "worst_flag"]

#: Disclosure flags from least to most severe (the one order in the package).
FLAG_ORDER: tuple[str, ...] = ("as-published", "rounded", "low-reliability", "suppressed")
assert set(FLAG_ORDER) == set(DISCLOSURE_FLAGS)


def flag_rank(flags: pd.Series | np.ndarray | Sequence[str]) -> np.ndarray:
    """Severity rank of each flag (0 = as-published); an empty flag means as-published.

    Raises
    ------
    SchemaError
        For a flag that is not one of :data:`FLAG_ORDER` (it is never guessed).

    Examples
    --------
    >>> flag_rank(["rounded", "", "suppressed"]).tolist()
    [1, 0, 3]
    """
    arr = np.asarray(flags, dtype=object)
    blank = pd.isna(arr) | (arr == "")
    cat = pd.Categorical(np.where(blank, FLAG_ORDER[0], arr), categories=list(FLAG_ORDER))
    bad = cat.codes < 0
    if bad.any():
        ex = sorted({str(x) for x in arr[bad]})[:5]
        raise SchemaError(f"unknown disclosure flag(s) {ex}; expected one of {list(FLAG_ORDER)}. "
                          "Map the source's markers to these flags when importing.")
    return cat.codes.astype("int64")


def worst_flag(*ranks: np.ndarray) -> np.ndarray:
    """Combine several rank arrays into flag strings, keeping the most severe."""
    r = np.maximum.reduce([np.asarray(x, dtype="int64") for x in ranks])
    return np.asarray(FLAG_ORDER, dtype=object)[r]


def sum_by(table: pd.DataFrame, keys: Sequence[str], *, value: str = "value",
           flag: str = "disclosure_flag") -> pd.DataFrame:
    """Sum ``value`` within ``keys``; NaN if any part is NaN; the most severe flag of the parts.

    Returns the key columns, ``value`` and (when present) ``flag``, one row per
    key combination in order of first appearance.
    """
    work = table[list(keys)].copy()
    v = pd.to_numeric(table[value], errors="coerce").astype(float)
    work["_v"] = v.to_numpy()
    work["_nan"] = v.isna().to_numpy()
    has_flag = flag in table.columns
    if has_flag:
        work["_r"] = flag_rank(table[flag])
    g = work.groupby(list(keys), sort=False, dropna=False, observed=True)
    out = g["_v"].sum(min_count=1).rename(value).to_frame()
    nan = g["_nan"].any().to_numpy()
    out.loc[nan, value] = np.nan
    if has_flag:
        r = np.where(nan, 3, g["_r"].max().to_numpy())
        out[flag] = worst_flag(r)
    return out.reset_index()


#: BRES rounding on Nomis, public (open) access: (lowest value of the size band, relaxed base, strict base).
#: Source: Nomis, "Rounding of Business Register and Employment Survey estimates"
#: (https://www.nomisweb.co.uk/articles/1103.aspx): 1-49 to 5 (relaxed) or 10 (strict), 50-249 to 25/50,
#: 250-499 to 50/100, 500-999 to 100/200, 1,000-2,499 to 250/500, 2,500-4,999 to 500/1,000, 5,000+ to
#: 1,000/2,000. Relaxed rounding is for non-disclosive cells (at least 3 enterprises, no dominant contributor),
#: strict for the rest.
BRES_OPEN_ACCESS_ROUNDING: tuple[tuple[float, float, float], ...] = (
    (0.0, 5.0, 10.0), (50.0, 25.0, 50.0), (250.0, 50.0, 100.0), (500.0, 100.0, 200.0),
    (1_000.0, 250.0, 500.0), (2_500.0, 500.0, 1_000.0), (5_000.0, 1_000.0, 2_000.0),
)

#: The relaxed bases of :data:`BRES_OPEN_ACCESS_ROUNDING` as (values below, rounded to): the rounding of the
#: NUTS2 BRES files (``sources.bres_nuts2``; every value of 2015-2018 is a multiple of its band's relaxed base,
#: and in no band of all of twice it, which a test checks on the reference data).
BRES_ROUNDING: tuple[tuple[float, int], ...] = tuple(
    (below, int(relaxed)) for (_, relaxed, _), below in
    zip(BRES_OPEN_ACCESS_ROUNDING, [b[0] for b in BRES_OPEN_ACCESS_ROUNDING[1:]] + [float("inf")], strict=True))


def rounding_half_step(value: float, bands: Sequence[tuple[float, int]] = BRES_ROUNDING) -> float:
    """How far a published rounded cell can be from the true count: half its band's rounding step.

    Examples
    --------
    >>> [rounding_half_step(v) for v in (0, 45, 200, 275, 700, 2250, 3000, 12000)]
    [2.5, 2.5, 12.5, 25.0, 50.0, 125.0, 250.0, 500.0]
    """
    v = abs(float(value)) if value == value else 0.0
    return next(step for below, step in bands if v < below) / 2
