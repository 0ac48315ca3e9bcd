"""Small pure calculations the evidence pack needs: LQs with intervals, ranks,
aggregation of member places.

The cluster-detection layer (:mod:`creative_clusters.indicators`) owns the
general indicators; these are the few the pack computes on its own inputs so
that it works whichever of those modules exist.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd
from scipy.special import gammaincinv  # chi2.ppf(q, 2k)/2 == gammaincinv(k, q); scipy.stats costs ~1 s to import

__all__ = ["lq_with_interval", "national_rank", "poisson_interval"]


def poisson_interval(count: float, level: float = 0.95) -> tuple[float, float]:
    """Exact (Garwood) interval for a Poisson count.

    Examples
    --------
    >>> lo, hi = poisson_interval(10)
    >>> round(lo, 2), round(hi, 2)
    (4.8, 18.39)
    """
    if count is None or np.isnan(count):
        return float("nan"), float("nan")
    a = 1 - level
    lo = 0.0 if count <= 0 else gammaincinv(count, a / 2)
    hi = gammaincinv(count + 1, 1 - a / 2)
    return float(lo), float(hi)


def lq_with_interval(
    count: float, base: float, ref_count: float, ref_base: float, level: float = 0.95
) -> dict[str, float]:
    """Location quotient ``(count/base)/(ref_count/ref_base)`` and an interval.

    The interval treats ``count`` as Poisson and the denominators as fixed
    (Garwood exact limits), so it is widest for small counts; with counts
    rounded to 5 it understates the uncertainty slightly.

    Examples
    --------
    >>> r = lq_with_interval(20, 1000, 2000, 200000)
    >>> r["lq"], r["lo"] < 2 < r["hi"]
    (2.0, True)
    """
    if not (base and ref_count and ref_base) or any(
        pd.isna(v) for v in (count, base, ref_count, ref_base)
    ):
        return {"lq": float("nan"), "lo": float("nan"), "hi": float("nan")}
    scale = (1.0 / base) / (ref_count / ref_base)
    lo, hi = poisson_interval(count, level)
    return {"lq": float(count * scale), "lo": lo * scale, "hi": hi * scale}


def national_rank(values: pd.Series, code: str, *, ascending: bool = False) -> tuple[int | None, int]:
    """Rank of ``code`` in ``values`` (1 = largest unless ``ascending``) and the number ranked.

    Examples
    --------
    >>> national_rank(pd.Series({"a": 5, "b": 9, "c": 1}), "a")
    (2, 3)
    """
    v = values.dropna()
    if code not in v.index:
        return None, len(v)
    r = v.rank(ascending=ascending, method="min")
    return int(r[code]), len(v)


def sum_members(values: pd.DataFrame | pd.Series, members: Iterable[str]):
    """Sum rows of ``values`` over member codes (NaN only when every member is NaN)."""
    members = [m for m in members if m in values.index]
    sub = values.loc[members]
    return sub.sum(min_count=1) if isinstance(values, pd.Series) else sub.sum(min_count=1)
