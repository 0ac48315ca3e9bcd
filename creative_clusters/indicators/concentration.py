"""Concentration of an industry across places: Hoover, locational Gini, Krugman.

All three compare the industry's distribution over areas, ``s_ir = e_ir/E_i``,
with the distribution of all activity, ``x_r = E_r/E`` (notation of
docs/methods.md §14). They accept the same arguments as
:func:`~creative_clusters.indicators.lq.location_quotient` (``denominator=``,
``allow_mixed_sources=``), which builds the totals.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from creative_clusters.indicators.lq import location_quotient

__all__ = ["hoover_index", "krugman_dissimilarity", "locational_gini"]


def _lq(table: pd.DataFrame, geo: str, industry: str, value: str, period: str | None,
        kwargs: dict[str, Any]) -> tuple[pd.DataFrame, list[str]]:
    out = location_quotient(table, geo=geo, industry=industry, value=value, period=period, **kwargs)
    out = out[out["lq"].notna()].copy()
    out["_s"] = out[value].astype(float) / out["industry_total"]
    out["_x"] = out["area_total"] / out["grand_total"]
    per = [period] if period is not None and period in out.columns else []
    return out, per


def hoover_index(
    table: pd.DataFrame, /, *, geo: str = "geo_code", industry: str = "industry_code",
    value: str = "value", period: str | None = "period", **lq_kwargs: Any,
) -> pd.DataFrame:
    """Hoover (1936) concentration index of each industry, in [0, 1].

    ``H_i = ½ Σ_r |s_ir − x_r|``: the share of the industry that would have to
    move for it to be spread like all activity. 0 = spread like the economy.

    Examples
    --------
    >>> t = pd.DataFrame({"geo_code": ["A", "A", "B", "B"],
    ...                   "industry_code": ["ci", "other"] * 2, "value": [30, 70, 10, 90]})
    >>> hoover_index(t).round(3)["hoover"].tolist()
    [0.25, 0.062]
    """
    out, per = _lq(table, geo, industry, value, period, lq_kwargs)
    out["_d"] = (out["_s"] - out["_x"]).abs()
    res = out.groupby([*per, industry], sort=True)["_d"].sum().mul(0.5).rename("hoover")
    return res.reset_index()


def locational_gini(
    table: pd.DataFrame, /, *, geo: str = "geo_code", industry: str = "industry_code",
    value: str = "value", period: str | None = "period", **lq_kwargs: Any,
) -> pd.DataFrame:
    """Locational Gini (Krugman 1991) of each industry, in [0, 1).

    Areas are sorted by LQ; the Lorenz curve plots the cumulative share of all
    activity (x) against the cumulative share of the industry (s), and
    ``G = 1 − Σ_k (X_k − X_{k−1})(S_k + S_{k−1})``.

    Examples
    --------
    >>> t = pd.DataFrame({"geo_code": ["A", "A", "B", "B"],
    ...                   "industry_code": ["ci", "other"] * 2, "value": [30, 70, 10, 90]})
    >>> locational_gini(t).round(3)["locational_gini"].tolist()
    [0.25, 0.062]
    """
    out, per = _lq(table, geo, industry, value, period, lq_kwargs)
    rows = []
    for key, grp in out.groupby([*per, industry], sort=True):
        g = grp.sort_values("lq", kind="mergesort")
        x = np.concatenate([[0.0], np.cumsum(g["_x"].to_numpy())])
        s = np.concatenate([[0.0], np.cumsum(g["_s"].to_numpy())])
        x = x / x[-1] if x[-1] > 0 else x
        s = s / s[-1] if s[-1] > 0 else s
        gini = 1.0 - float(np.sum(np.diff(x) * (s[1:] + s[:-1])))
        rows.append((*(key if isinstance(key, tuple) else (key,)), gini))
    return pd.DataFrame(rows, columns=[*per, industry, "locational_gini"])


def krugman_dissimilarity(
    table: pd.DataFrame, /, *, geo: str = "geo_code", industry: str = "industry_code",
    value: str = "value", period: str | None = "period", **lq_kwargs: Any,
) -> pd.DataFrame:
    """Krugman dissimilarity of each area's industry mix from the reference, in [0, 2].

    ``K_r = Σ_i |e_ir/E_r − E_i/E|``. 0 = the same mix as the reference.
    With a denominator (a table of some industries only) the sum runs over
    the table's industries, so the index describes that part of the economy.

    Examples
    --------
    >>> t = pd.DataFrame({"geo_code": ["A", "A", "B", "B"],
    ...                   "industry_code": ["ci", "other"] * 2, "value": [30, 70, 10, 90]})
    >>> krugman_dissimilarity(t)["krugman"].round(3).tolist()
    [0.2, 0.2]
    """
    out, per = _lq(table, geo, industry, value, period, lq_kwargs)
    out["_d"] = (out["share"] - out["reference_share"]).abs()
    return out.groupby([*per, geo], sort=True)["_d"].sum().rename("krugman").reset_index()
