"""Shift-share decomposition of change (classic Dunn form, docs/methods.md §14.4).

    Δe_ir = NS + IM + RS
    NS = e⁰_ir · g                 national share
    IM = e⁰_ir · (g_i − g)         industry mix
    RS = e⁰_ir · (g_ir − g_i)      competitive (regional) shift

with ``g`` the national all-industry growth rate, ``g_i`` the national growth
of industry *i* and ``g_ir`` its local growth. RS is computed as
``Δe − NS − IM``, which equals the formula whenever ``e⁰_ir > 0`` and keeps
the identity exact when ``e⁰_ir = 0`` (a new local industry).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from creative_clusters.errors import SchemaError
from creative_clusters.indicators._checks import check_columns, worst_flag
from creative_clusters.indicators.growth import _wide

__all__ = ["shift_share"]

TOTAL = "_T"


def shift_share(
    table: pd.DataFrame,
    /,
    *,
    start: str,
    end: str,
    geo: str = "geo_code",
    industry: str = "industry_code",
    value: str = "value",
    period: str = "period",
    flag: str = "disclosure_flag",
    national: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Decompose each area-industry change into NS, IM and RS.

    Parameters
    ----------
    table : pandas.DataFrame
        Long table with rows for both periods. By default the national totals
        are the table summed over areas, and ``g`` is the growth of all its
        industries together, so the table must cover the whole economy (e.g.
        BRES over every class). Rows with ``industry == "_T"`` are excluded
        from the decomposition and, if present, give ``g``.
    start, end : str
        The two periods.
    national : pandas.DataFrame, optional
        National totals with ``industry``, ``period`` and ``value`` columns
        (include an ``_T`` row for ``g``), when the table is not the whole
        economy.

    Returns
    -------
    pandas.DataFrame
        One row per area × industry: ``start_value``, ``end_value``, ``change``,
        ``national_growth`` (g), ``industry_growth`` (g_i), ``local_growth``
        (g_ir), ``national_share`` (NS), ``industry_mix`` (IM),
        ``competitive`` (RS) and ``disclosure_flag``.

    Examples
    --------
    >>> t = pd.DataFrame({
    ...     "geo_code": ["A", "A", "B", "B"] * 2,
    ...     "industry_code": ["ci", "other"] * 4,
    ...     "period": ["2015"] * 4 + ["2018"] * 4,
    ...     "value": [10, 90, 20, 80, 15, 99, 22, 84]})
    >>> s = shift_share(t, start="2015", end="2018")
    >>> s.loc[0, ["national_share", "industry_mix", "competitive"]].round(2).tolist()
    [1.0, 1.33, 2.67]
    """
    caller = "shift_share()"
    start, end = str(start), str(end)
    vals, ranks = _wide(table, [geo, industry], period, value, flag, [start, end], caller)
    if vals.isna().any(axis=None):
        n = int(vals.isna().any(axis=1).sum())
        raise SchemaError(
            f"{caller}: {n} area-industry row(s) lack a value in {start} or {end} "
            "(suppressed or absent). Shift-share needs both; drop or aggregate them first."
        )
    ind = vals.index.get_level_values(industry).astype(str)
    is_total = np.asarray(ind == TOTAL)
    if national is not None:
        check_columns(national, [industry, period, value], caller=caller + " national")
        nat = national.assign(_p=national[period].astype(str), _i=national[industry].astype(str))
        nat = nat.pivot_table(index="_i", columns="_p", values=value, aggfunc="sum")
        for p in (start, end):
            if p not in nat.columns:
                raise SchemaError(f"{caller}: national totals lack period {p!r}.")
        nat = nat[[start, end]]
        if TOTAL not in nat.index:
            raise SchemaError(f"{caller}: national totals need an {TOTAL!r} row for all industries.")
    else:
        body = vals[~is_total]
        nat = body.groupby(level=industry).sum()
        nat.index = nat.index.astype(str)
        nat.loc[TOTAL] = vals[is_total].sum() if is_total.any() else body.sum()
    g = nat.loc[TOTAL, end] / nat.loc[TOTAL, start] - 1
    body = vals[~is_total]
    r = ranks[~is_total]
    bind = body.index.get_level_values(industry).astype(str)
    unknown = sorted(set(bind) - set(nat.index))
    if unknown:
        raise SchemaError(f"{caller}: national totals lack industries {unknown[:5]}.")
    n0 = nat.loc[bind, start].to_numpy(dtype=float)
    n1 = nat.loc[bind, end].to_numpy(dtype=float)
    e0 = body[start].to_numpy(dtype=float)
    e1 = body[end].to_numpy(dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        gi = np.where(n0 > 0, n1 / n0 - 1, np.nan)
        gir = np.where(e0 > 0, e1 / e0 - 1, np.nan)
    change = e1 - e0
    ns = e0 * g
    im = e0 * np.nan_to_num(gi - g)
    rs = change - ns - im
    out = body.index.to_frame(index=False)
    out["start_value"], out["end_value"], out["change"] = e0, e1, change
    out["national_growth"] = g
    out["industry_growth"] = gi
    out["local_growth"] = gir
    out["national_share"] = ns
    out["industry_mix"] = im
    out["competitive"] = rs
    rr = r.fillna(3).to_numpy(dtype="int64")
    out["disclosure_flag"] = worst_flag(*rr.T)
    out["period_start"], out["period_end"] = start, end
    return out
