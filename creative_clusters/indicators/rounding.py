"""Rates from counts published rounded to 5: how far the rounding alone can move them (pure functions).

ONS Business Demography publishes its counts (births, deaths, active
enterprises, survivors of a cohort) rounded to the nearest 5, and its rates
are those counts' ratios (the Isles of Scilly's birth rate of 8.82% is 15
births of 170 active enterprises). A published 15 is any whole number from 13
to 17: at most :data:`ROUNDING_ERROR` from the truth, and a sum of ``k``
rounded counts at most ``2k`` (:func:`rounding_error`).

The **rounding interval** of a rate ``c / b`` (count ``c`` among a base ``b``,
each within ``e_c`` and ``e_b`` of the truth) is the lowest and highest rate
consistent with the published counts:

    lo = max(c - e_c, 0) / (b + e_b)
    hi = min((c + e_c) / (b - e_b), 1)

times the rate's scale (100 for a percentage); the count is part of its base
(births are among the active enterprises, survivors among the cohort's
births), so no rate exceeds the scale, and a base that rounding could bring to
0 or below leaves the rate's upper end at the scale.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import pandas as pd

from creative_clusters.errors import ParameterError

__all__ = ["ROUNDING_ERROR", "cohort_counts", "rounded_rate_interval", "rounding_error"]

#: How far a count published rounded to the nearest 5 can be from the true one (15 is 13 to 17).
ROUNDING_ERROR = 2.0


def rounding_error(k: int = 1) -> float:
    """How far a sum of ``k`` counts, each published rounded to 5, can be from the true sum (``2k``).

    Examples
    --------
    >>> rounding_error(), rounding_error(3)
    (2.0, 6.0)
    """
    if k < 1:
        raise ParameterError(f"k must be the number of rounded counts summed (at least 1), got {k!r}")
    return ROUNDING_ERROR * k


def rounded_rate_interval(count: float, base: float, *, error: float = ROUNDING_ERROR,
                          base_error: float | None = None, scale: float = 100.0) -> tuple[float, float]:
    """The lowest and highest rate ``scale * count / base`` consistent with counts published rounded to 5.

    Parameters
    ----------
    count, base : float
        The published (rounded) count and its base (``count <= base``: the count is part of the base).
    error, base_error : float
        How far each can be from the truth (:func:`rounding_error`; ``base_error`` defaults to ``error``).
    scale : float
        100 for a percentage.

    Returns
    -------
    tuple of float
        ``(lo, hi)``, with ``lo <= scale * count / base <= hi``.

    Examples
    --------
    The Isles of Scilly's 15 business births of 170 active enterprises (8.82%): 13 of 172 to 17 of 168.

    >>> lo, hi = rounded_rate_interval(15, 170)
    >>> round(lo, 2), round(hi, 2)
    (7.56, 10.12)
    >>> rounded_rate_interval(10, 10)  # every firm of the cohort survived: up to 100, not beyond
    (66.66666666666667, 100.0)
    """
    base_error = error if base_error is None else base_error
    if any(not math.isfinite(x) for x in (count, base, error, base_error)) or min(count, error, base_error) < 0 \
            or base <= 0 or count > base:
        raise ParameterError(
            f"expected a count of at most its base, both finite and the base above 0, and errors of at least 0; "
            f"got count={count!r}, base={base!r}, error={error!r}, base_error={base_error!r}. Pass the published "
            "counts (e.g. births and active enterprises), not the rate.")
    lo = scale * max(count - error, 0.0) / (base + base_error)
    low_base = base - base_error
    hi = scale if low_base <= 0 else min(scale * (count + error) / low_base, scale)
    return lo, hi


def cohort_counts(demography: pd.DataFrame | None, members: Sequence[str], year: str) -> tuple[float, float] | None:
    """A three-year survival cohort's counts, summed over ``members``: its survivors and its births, from Business
    Demography's published rates (births: the birth rate times the active enterprises of the cohort's year;
    survivors: the survival rate times the births; each the nearest whole number, as ONS's rates are ratios of
    its rounded counts). None unless every member has the three values in ``year``.

    ``demography``: observations with ``geo_code, period, measure, status, value`` (measures
    ``active_enterprises``, ``birth_rate_pct`` and ``survival_rate_pct`` with status ``3-year``).

    Examples
    --------
    >>> d = pd.DataFrame({"geo_code": "E06000053", "period": "2021", "status": ["", "", "3-year"],
    ...                   "measure": ["active_enterprises", "birth_rate_pct", "survival_rate_pct"],
    ...                   "value": [165.0, 9.0909, 66.667]})
    >>> cohort_counts(d, ["E06000053"], "2021"), cohort_counts(d, ["E06000053", "X"], "2021")
    ((10.0, 15.0), None)
    """
    members = list(members)
    if demography is None or demography.empty or not members:
        return None
    d = demography[demography["geo_code"].isin(members) & (demography["period"].astype(str) == str(year))]
    status = d["status"].fillna("").astype(str)

    def per(measure: str, st: str = "") -> pd.Series:
        rows = d[(d["measure"] == measure) & (status == st)]
        return rows.drop_duplicates("geo_code").set_index("geo_code")["value"].astype(float)

    active, births_pct, surv = per("active_enterprises"), per("birth_rate_pct"), per("survival_rate_pct", "3-year")
    if not all(m in active.index and m in births_pct.index and m in surv.index for m in members):
        return None
    births = (active[members] * births_pct[members] / 100).round()
    survivors = (births * surv[members] / 100).round()
    return float(survivors.sum()), float(births.sum())
