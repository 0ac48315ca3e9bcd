"""Growth between periods: absolute, percentage, CAGR and ratio of period means.

docs/methods.md §14.3: growth is the ratio of period means (Nesta's Creative
Nation compares the mean of 2011–14 with the mean of 2015–16 to damp noise)
or the compound annual growth rate; "clustering growth" is the change in LQ.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from creative_clusters.errors import ParameterError, SchemaError
from creative_clusters.indicators._checks import (
    check_columns,
    check_not_empty,
    check_numeric_non_negative,
    check_unique_keys,
    flag_rank,
    worst_flag,
)

__all__ = ["change_pct", "growth", "index_numbers", "period_mean_growth"]


def change_pct(start: Any, end: Any) -> Any:
    """Percentage change from ``start`` to ``end``: ``100·(end − start)/start``; NaN unless ``start`` > 0.

    The one formula of :func:`growth` (its ``change_pct`` column), for a pair of
    values (floats) or arrays of them, so a sentence is handed the figure, never
    computes it.

    Examples
    --------
    >>> change_pct(100.0, 121.0), change_pct(0.0, 5.0)
    (21.0, nan)
    >>> change_pct(np.array([50.0, 200.0]), np.array([75.0, 150.0])).tolist()
    [50.0, -25.0]
    """
    a = np.asarray(start, dtype="float64")
    b = np.asarray(end, dtype="float64")
    with np.errstate(divide="ignore", invalid="ignore"):
        out = np.where(a > 0, 100 * (b - a) / a, np.nan)
    return float(out) if out.ndim == 0 else out


def index_numbers(values: Sequence[float] | np.ndarray, base: float = 100.0) -> np.ndarray:
    """A series as index numbers: each value over the first, times ``base`` (the first value = ``base``).

    A series whose first value is 0 has no index: every value is NaN.

    Examples
    --------
    >>> index_numbers([80.0, 100.0, 120.0]).tolist()
    [100.0, 125.0, 150.0]
    >>> index_numbers([0.0, 5.0]).tolist()
    [nan, nan]
    """
    v = np.asarray(values, dtype="float64")
    return v / v[0] * base if v[0] else v * np.nan


def _years(start: str, end: str, years: float | None) -> float:
    if years is not None:
        if years <= 0:
            raise ParameterError(f"The 'years' parameter must be > 0. Got {years!r} instead.")
        return float(years)
    try:
        n = float(int(str(end)[:4]) - int(str(start)[:4]))
    except ValueError:
        raise ParameterError(
            f"growth() cannot tell how many years lie between periods {start!r} and {end!r}; "
            "pass years=."
        ) from None
    if n <= 0:
        raise ParameterError(f"growth(): end period {end!r} must come after start {start!r}.")
    return n


def _wide(table: pd.DataFrame, keys: list[str], period: str, value: str,
          flag: str, periods: Sequence[str], caller: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    check_columns(table, [*keys, period, value], caller=caller,
                  hint="Give your own column names with geo=, industry=, value= and period=.")
    check_not_empty(table, caller=caller)
    check_unique_keys(table, [*keys, period], caller=caller)
    frame = table[[*keys, period]].copy()
    frame[period] = frame[period].astype(str)
    frame["_v"] = check_numeric_non_negative(table, value, caller=caller)
    frame["_r"] = flag_rank(table[flag].astype(object)) if flag in table.columns else 0
    present = set(frame[period])
    absent = [p for p in periods if p not in present]
    if absent:
        raise SchemaError(
            f"{caller}: period(s) {absent} are not in the table; it has {sorted(present)}."
        )
    frame = frame[frame[period].isin(list(periods))]
    vals = frame.pivot_table(index=keys, columns=period, values="_v", aggfunc="first", dropna=False)
    ranks = frame.pivot_table(index=keys, columns=period, values="_r", aggfunc="max")
    return vals.reindex(columns=list(periods)), ranks.reindex(columns=list(periods))


def growth(
    table: pd.DataFrame,
    /,
    *,
    start: str,
    end: str,
    geo: str = "geo_code",
    industry: str | None = "industry_code",
    value: str = "value",
    period: str = "period",
    flag: str = "disclosure_flag",
    years: float | None = None,
) -> pd.DataFrame:
    """Change between two periods for each area (× industry).

    Returns one row per key with ``start_value``, ``end_value``, ``change``,
    ``change_pct`` (100·change/start), ``cagr`` (``(end/start)^(1/years) − 1``)
    and ``disclosure_flag`` (worst of the two). Areas missing a period or with
    a zero start get NaN percentages, never infinities.

    Examples
    --------
    >>> t = pd.DataFrame({"geo_code": ["A", "A"], "period": ["2015", "2017"],
    ...                   "value": [100, 121]})
    >>> g = growth(t, start="2015", end="2017", industry=None)
    >>> float(g["change"][0]), float(g["change_pct"][0]), round(float(g["cagr"][0]), 6)
    (21.0, 21.0, 0.1)
    """
    caller = "growth()"
    keys = [geo] + ([industry] if industry else [])
    start, end = str(start), str(end)
    n = _years(start, end, years)
    vals, ranks = _wide(table, keys, period, value, flag, [start, end], caller)
    a, b = vals[start], vals[end]
    out = vals.index.to_frame(index=False)
    out["start_value"] = a.to_numpy()
    out["end_value"] = b.to_numpy()
    out["change"] = (b - a).to_numpy()
    with np.errstate(divide="ignore", invalid="ignore"):
        pos = (a > 0).to_numpy()
        out["change_pct"] = change_pct(a.to_numpy(), b.to_numpy())
        out["cagr"] = np.where(pos, (b.to_numpy() / a.to_numpy()) ** (1 / n) - 1, np.nan)
    r = ranks.fillna(3).to_numpy(dtype="int64")
    r = np.where(vals.isna().to_numpy(), 3, r)
    out["disclosure_flag"] = worst_flag(*r.T)
    out["period_start"], out["period_end"] = start, end
    return out


def period_mean_growth(
    table: pd.DataFrame,
    /,
    *,
    base: Sequence[str],
    current: Sequence[str],
    geo: str = "geo_code",
    industry: str | None = "industry_code",
    value: str = "value",
    period: str = "period",
    flag: str = "disclosure_flag",
) -> pd.DataFrame:
    """Growth as the ratio of two period means (Nesta, *Creative Nation*).

    ``growth_ratio = mean(current) / mean(base)``; ``growth_pct`` is
    ``100·(ratio − 1)``. A mean with a missing (suppressed) year is NaN: the
    mean of the published years would silently change what is averaged.

    Examples
    --------
    >>> t = pd.DataFrame({"geo_code": ["A"] * 4, "period": ["2011", "2012", "2015", "2016"],
    ...                   "value": [90, 110, 150, 170]})
    >>> g = period_mean_growth(t, base=["2011", "2012"], current=["2015", "2016"], industry=None)
    >>> float(g["growth_ratio"][0])
    1.6
    """
    caller = "period_mean_growth()"
    base = [str(p) for p in base]
    current = [str(p) for p in current]
    if not base or not current:
        raise ParameterError("period_mean_growth() needs at least one base and one current period.")
    if set(base) & set(current):
        raise ParameterError(
            f"period_mean_growth(): base {base} and current {current} periods overlap."
        )
    keys = [geo] + ([industry] if industry else [])
    vals, ranks = _wide(table, keys, period, value, flag, base + current, caller)
    mb = vals[base].mean(axis=1, skipna=False)
    mc = vals[current].mean(axis=1, skipna=False)
    out = vals.index.to_frame(index=False)
    out["base_mean"] = mb.to_numpy()
    out["current_mean"] = mc.to_numpy()
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.where(mb.to_numpy() > 0, mc.to_numpy() / mb.to_numpy(), np.nan)
    out["growth_ratio"] = ratio
    out["growth_pct"] = 100 * (ratio - 1)
    r = np.where(vals.isna().to_numpy(), 3, ranks.fillna(3).to_numpy(dtype="int64"))
    out["disclosure_flag"] = worst_flag(*r.T)
    return out
