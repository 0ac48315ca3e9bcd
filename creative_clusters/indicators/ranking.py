"""Ranks and percentiles of places: one definition for every output.

Rank 1 is the largest value; ties share the best rank ("min" method, as
league tables do); missing values get no rank and do not count in ``of``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = ["percentile_rank", "rank_descending"]


def rank_descending(values: pd.Series) -> pd.Series:
    """Rank of each value, 1 = largest; ties share the best rank; NaN stays unranked.

    Examples
    --------
    >>> rank_descending(pd.Series([5.0, 9.0, 5.0, float("nan")])).tolist()
    [2.0, 1.0, 2.0, nan]
    """
    v = pd.to_numeric(values, errors="coerce").astype(float)
    return v.rank(method="min", ascending=False, na_option="keep")


def percentile_rank(values: pd.Series) -> pd.Series:
    """Percentile (0-100) of each value among the non-missing values: the share at or below it.

    Examples
    --------
    >>> percentile_rank(pd.Series([1.0, 2.0, 3.0, 4.0])).tolist()
    [25.0, 50.0, 75.0, 100.0]
    """
    v = pd.to_numeric(values, errors="coerce").astype(float)
    n = int(v.notna().sum())
    if n == 0:
        return pd.Series(np.nan, index=v.index)
    return 100.0 * v.rank(method="max", ascending=True, na_option="keep") / n
