"""Ranks of places: one definition for every output.

Rank 1 is the largest value; ties share the best rank ("min" method, as
league tables do); missing values get no rank and do not count in ``of``;
a count that cannot carry a rank (a published 0, a sub-sector's handful)
gets none (:func:`supported_rank`). Percentiles have one definition too:
:func:`creative_clusters.benchmarking.percentiles.percentile_rank` (the
mid-rank, as ``scipy.stats.percentileofscore(kind="mean")``).

Bases differ on one point: a place published as 0 enterprises (0 to 2) still
counts in the ``of`` of a rank here, while the benchmark's LQ percentiles leave
it out of their base (:mod:`creative_clusters.benchmarking.percentiles`), which
names the places left out.
"""

from __future__ import annotations

import pandas as pd

__all__ = ["MIN_RANK_COUNT", "rank_descending", "supported_rank", "tied_others"]

#: Fewest units (enterprises) behind the rank of one sub-sector's count or LQ: below it, with counts
#: rounded to 5, a rank orders rounding noise and ties with many places (the same floor as any claim,
#: ``indicators.lq.MIN_CLAIM_COUNT``).
MIN_RANK_COUNT = 10


def rank_descending(values: pd.Series) -> pd.Series:
    """Rank of each value, 1 = largest; ties share the best rank; NaN stays unranked.

    Examples
    --------
    >>> rank_descending(pd.Series([5.0, 9.0, 5.0, float("nan")])).tolist()
    [2.0, 1.0, 2.0, nan]
    """
    v = pd.to_numeric(values, errors="coerce").astype(float)
    return v.rank(method="min", ascending=False, na_option="keep")


def supported_rank(values: pd.Series, counts: pd.Series, *, min_count: float = 0.0) -> pd.Series:
    """:func:`rank_descending` of ``values``, withheld (NaN) where the count behind a value cannot carry a rank.

    A rank is withheld where the place's count is missing, not above 0 (a
    published 0 means 0 to 2 units: never a rank) or under ``min_count``
    (:data:`MIN_RANK_COUNT` for one sub-sector; 0 for all creative
    industries, whose total is ranked unless it is a published zero). The
    other places' ranks are unchanged, and every place with a value still
    counts in "rank r of n", so a withheld rank changes no one else's.

    Parameters
    ----------
    values : pandas.Series
        What is ranked (a count or an LQ), indexed by place.
    counts : pandas.Series
        The count behind each value (the same index).
    min_count : float
        The floor; 0 for a total of all creative industries.

    Examples
    --------
    >>> v = pd.Series({"a": 2.5, "b": 1.2, "c": 0.0, "d": 0.9})
    >>> n = pd.Series({"a": 5, "b": 40, "c": 0, "d": 12})
    >>> supported_rank(v, n).tolist()
    [1.0, 2.0, nan, 3.0]
    >>> supported_rank(v, n, min_count=MIN_RANK_COUNT).tolist()
    [nan, 2.0, nan, 3.0]
    """
    c = pd.to_numeric(counts.reindex(values.index), errors="coerce").astype(float)
    ok = (c > 0) & (c >= min_count)
    return rank_descending(values).where(ok)


def tied_others(ranks: pd.Series) -> pd.Series:
    """How many other places share each place's rank (0 for a unique rank; NaN stays NaN): the tie a sentence
    says as "joint 3rd" (ties share the best rank, so places with the same rank hold the same value).

    Examples
    --------
    >>> tied_others(rank_descending(pd.Series([5.0, 9.0, 5.0, 5.0, float("nan")]))).tolist()
    [2.0, 0.0, 2.0, 2.0, nan]
    """
    r = pd.to_numeric(ranks, errors="coerce").astype(float)
    return (r.map(r.value_counts()) - 1).where(r.notna())
