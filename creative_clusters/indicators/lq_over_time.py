"""Location quotients over time: the creative LQ in every year with a denominator, and LQ-1 crossings.

:func:`lq_series` divides creative enterprises in year t by active enterprises
in year t (two different sources: the result says so) through
:func:`creative_clusters.indicators.lq.location_quotient`, the project's one LQ
formula; :func:`lq_crossings` finds the years a place crossed LQ 1.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from creative_clusters.errors import SchemaError
from creative_clusters.indicators._checks import check_columns
from creative_clusters.indicators.lq import location_quotient

__all__ = ["lq_crossings", "lq_series"]

_HINT = "Give your own column names with geo=, value= and period=."


def lq_series(
    creative: pd.DataFrame,
    active: pd.DataFrame,
    /,
    *,
    reference: pd.DataFrame | None = None,
    geo: str = "geo_code",
    value: str = "value",
    period: str = "period",
) -> pd.DataFrame:
    """Creative LQ in each year that has a denominator (creative ÷ active enterprises).

    ``LQ_rt = (c_rt / a_rt) / (Σ c_t / Σ a_t)`` over the areas present in year
    ``t`` of both tables, computed by
    :func:`~creative_clusters.indicators.lq.location_quotient` (one LQ formula
    in the project) with ``denominator=active`` and mixed sources allowed: the
    result's ``caveat`` column says the two come from different sources.

    Parameters
    ----------
    creative : pandas.DataFrame
        Creative counts by area × year (e.g. ``business_counts_series``).
    active : pandas.DataFrame
        All-industry active enterprises by area × year on the same boundaries
        (e.g. Business Demography harmonised to LAD 2023).
    reference : pandas.DataFrame, optional
        The reference area's totals by year (columns ``period``, ``creative``,
        ``active``; e.g. the UK) when the areas do not cover it (combined
        authorities, TTWAs in England only). The areas must not overlap: the
        rest of the reference is added as one complement area per year, so
        :func:`location_quotient`'s reference share is the reference's. By
        default the reference is the sum over the areas.

    Returns
    -------
    pandas.DataFrame
        The :func:`location_quotient` columns for the common years only.

    Raises
    ------
    SchemaError
        When the two tables share no year.

    Examples
    --------
    >>> c = pd.DataFrame({"geo_code": ["A", "B"] * 2, "period": ["2023"] * 2 + ["2024"] * 2,
    ...                   "value": [30.0, 10.0, 20.0, 20.0], "dataset": "series"})
    >>> a = pd.DataFrame({"geo_code": ["A", "B"] * 2, "period": ["2023"] * 2 + ["2024"] * 2,
    ...                   "value": [100.0, 100.0, 100.0, 100.0], "dataset": "demography"})
    >>> lq_series(c, a)[["geo_code", "period", "lq"]].round(3).values.tolist()
    [['A', '2023', 1.5], ['B', '2023', 0.5], ['A', '2024', 1.0], ['B', '2024', 1.0]]
    >>> uk = pd.DataFrame({"period": ["2023", "2024"], "creative": [80.0, 80.0], "active": [400.0, 400.0]})
    >>> lq_series(c[c.geo_code == "A"], a[a.geo_code == "A"], reference=uk)["lq"].round(3).tolist()
    [1.5, 1.0]
    """
    caller = "lq_series()"
    check_columns(creative, [geo, value, period], caller=caller, hint=_HINT)
    check_columns(active, [geo, value, period], caller=caller + " denominator", hint=_HINT)
    common = sorted(set(creative[period].astype(str)) & set(active[period].astype(str)))
    if not common:
        raise SchemaError(
            f"{caller}: the creative counts ({sorted(set(creative[period].astype(str)))}) and the denominator "
            f"({sorted(set(active[period].astype(str)))}) share no year; give a denominator for those years."
        )
    num = creative[creative[period].astype(str).isin(common)].copy()
    num[period] = num[period].astype(str)
    if "industry_code" not in num.columns:
        num["industry_code"] = "_T"
    den = active[active[period].astype(str).isin(common)].copy()
    den[period] = den[period].astype(str)
    den = den[den[geo].isin(set(num[geo]))]
    num = num[num[geo].isin(set(den[geo]))]
    if reference is not None:
        check_columns(reference, [period, "creative", "active"], caller=caller + " reference")
        ref = reference.assign(_p=reference[period].astype(str)).set_index("_p")
        rest_c = ref["creative"].reindex(common) - num.groupby(period)[value].sum().reindex(common).fillna(0)
        rest_a = ref["active"].reindex(common) - den.groupby(period)[value].sum().reindex(common).fillna(0)
        bad = (rest_c < -1e-9) | (rest_a < -1e-9) | rest_c.isna() | rest_a.isna()
        if bad.any():
            raise SchemaError(
                f"{caller}: in {list(rest_c.index[bad])} the areas add up to more than the reference (or the "
                "reference lacks the year); the areas must not overlap and must lie inside the reference."
            )
        rest = "_rest_of_reference"
        extra_n = pd.DataFrame({geo: rest, period: common, value: rest_c.clip(lower=0).to_numpy(),
                                "industry_code": "_T"})
        extra_d = pd.DataFrame({geo: rest, period: common, value: rest_a.clip(lower=0).to_numpy()})
        for col in ("dataset", "geo_vintage", "measure"):
            if col in num.columns:
                extra_n[col] = num[col].iloc[0]
            if col in den.columns:
                extra_d[col] = den[col].iloc[0]
        num = pd.concat([num, extra_n], ignore_index=True)
        den = pd.concat([den, extra_d], ignore_index=True)
        out = location_quotient(num, geo=geo, value=value, period=period, denominator=den,
                                allow_mixed_sources=True)
        return out[out[geo] != rest].reset_index(drop=True)
    return location_quotient(num, geo=geo, value=value, period=period, denominator=den,
                             allow_mixed_sources=True)


def lq_crossings(lq_table: pd.DataFrame, /, *, geo: str = "geo_code", period: str = "period",
                 lq: str = "lq") -> pd.DataFrame:
    """Years in which an area's LQ crossed 1 (from below to ≥ 1, or back).

    Returns
    -------
    pandas.DataFrame
        ``geo``, ``period`` (the first year on the new side), ``direction``
        (``"above"`` or ``"below"``), ``lq_before`` and ``lq_after``.

    Examples
    --------
    >>> t = pd.DataFrame({"geo_code": ["A"] * 3, "period": ["2017", "2018", "2019"], "lq": [0.9, 1.05, 0.97]})
    >>> lq_crossings(t)[["period", "direction"]].values.tolist()
    [['2018', 'above'], ['2019', 'below']]
    """
    check_columns(lq_table, [geo, period, lq], caller="lq_crossings()")
    t = lq_table[[geo, period, lq]].dropna(subset=[lq]).copy()
    t[period] = t[period].astype(str)
    t = t.sort_values([geo, period])
    before = t.groupby(geo)[lq].shift(1)
    above_now, above_before = t[lq] >= 1.0, before >= 1.0
    crossed = before.notna() & (above_now != above_before)
    out = t.loc[crossed, [geo, period]].copy()
    out["direction"] = np.where(above_now[crossed], "above", "below")
    out["lq_before"] = before[crossed].to_numpy()
    out["lq_after"] = t.loc[crossed, lq].to_numpy()
    return out.reset_index(drop=True)
