"""Location quotients over time: the creative LQ in every year with a denominator, and LQ-1 crossings.

:func:`lq_series` divides creative enterprises in year t by active enterprises
in year t (two different sources: the result says so) through
:func:`creative_clusters.indicators.lq.location_quotient`, the project's one LQ
formula; :func:`lq_crossings` finds the years a place crossed LQ 1.
"""

from __future__ import annotations

import pandas as pd

from creative_clusters.errors import ParameterError, SchemaError
from creative_clusters.indicators._checks import check_columns
from creative_clusters.indicators.lq import location_quotient

__all__ = ["NEAR_ONE", "lq_crossings", "lq_series"]

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


#: An LQ this close to 1 (or closer) shows as 1.00 at two decimals: too close to call a side.
NEAR_ONE = 0.005


def lq_crossings(lq_table: pd.DataFrame, /, *, geo: str = "geo_code", period: str = "period",
                 lq: str = "lq", near_one: float = 0.0, set_aside: str | None = None) -> pd.DataFrame:
    """Years in which an area's LQ crossed 1 (from below to ≥ 1, or back), and moves set aside.

    One rule for every reader (profile, web, evidence pack): a year whose LQ is
    within ``near_one`` of 1 is on neither side (it shows as 1.00), and a year
    marked in the boolean column ``set_aside`` (an outlier or a break in the
    series) is on neither side either. A crossing is a change of side between
    consecutive years that do have a side; it is dated by the first year on the
    new side. Every year-on-year move across 1 that is not counted for one of
    those reasons is returned too, with the reason in ``status``.

    Parameters
    ----------
    lq_table : pandas.DataFrame
        ``geo``, ``period``, ``lq`` and, if named, ``set_aside``.
    near_one : float, default 0
        Half-width of the band around 1 with no side (``NEAR_ONE`` = 0.005 is
        rounding to two decimals); 0 counts every move across 1.
    set_aside : str, optional
        Boolean column: years whose LQ cannot support a change of side.

    Returns
    -------
    pandas.DataFrame
        ``geo``, ``period``, ``direction`` (``"above"`` or ``"below"``),
        ``lq_before`` (last year on the old side; for a move set aside, the year
        before), ``lq_after`` and ``status``: ``"crossing"``, ``"near-one"``
        (a move to or from an LQ within ``near_one`` of 1) or ``"set-aside"``
        (a move into or out of a ``set_aside`` year).

    Examples
    --------
    >>> t = pd.DataFrame({"geo_code": ["A"] * 3, "period": ["2017", "2018", "2019"], "lq": [0.9, 1.05, 0.97]})
    >>> lq_crossings(t)[["period", "direction"]].values.tolist()
    [['2018', 'above'], ['2019', 'below']]
    >>> t = pd.DataFrame({"geo_code": ["A"] * 4, "period": ["2017", "2018", "2019", "2020"],
    ...                   "lq": [1.03, 0.998, 1.03, 0.9], "odd": [False, False, False, False]})
    >>> lq_crossings(t, near_one=NEAR_ONE)[["period", "status"]].values.tolist()
    [['2018', 'near-one'], ['2019', 'near-one'], ['2020', 'crossing']]
    """
    if near_one < 0:
        raise ParameterError(f"lq_crossings(): near_one must be 0 or more, got {near_one}; give e.g. NEAR_ONE "
                         f"({NEAR_ONE}, rounding to two decimals).")
    cols = [geo, period, lq] + ([set_aside] if set_aside else [])
    check_columns(lq_table, cols, caller="lq_crossings()")
    t = lq_table[cols].dropna(subset=[lq]).copy()
    t[period] = t[period].astype(str)
    t = t.sort_values([geo, period]).reset_index(drop=True)
    odd = t[set_aside].fillna(False).astype(bool) if set_aside else pd.Series(False, index=t.index)
    near = (t[lq] - 1.0).abs() <= near_one if near_one > 0 else pd.Series(False, index=t.index)
    rows: list[dict[str, object]] = []
    for code, g in t.groupby(geo, sort=False):
        vals, pers = g[lq].to_numpy(dtype=float), g[period].tolist()
        gn, go = near.loc[g.index].to_numpy(), odd.loc[g.index].to_numpy()
        side_prev: bool | None = None
        lq_prev = float("nan")
        for i in range(len(g)):
            if i and (vals[i] >= 1.0) != (vals[i - 1] >= 1.0):
                reason = ("set-aside" if go[i] or go[i - 1] else "near-one" if gn[i] or gn[i - 1] else "")
                if reason:
                    rows.append({geo: code, period: pers[i], "direction": "above" if vals[i] >= 1.0 else "below",
                                 "lq_before": vals[i - 1], "lq_after": vals[i], "status": reason})
            if go[i] or gn[i]:
                continue
            side = bool(vals[i] >= 1.0)
            if side_prev is not None and side != side_prev:
                rows.append({geo: code, period: pers[i], "direction": "above" if side else "below",
                             "lq_before": lq_prev, "lq_after": vals[i], "status": "crossing"})
            side_prev, lq_prev = side, vals[i]
    out = pd.DataFrame(rows, columns=[geo, period, "direction", "lq_before", "lq_after", "status"])
    return out.sort_values([geo, period], kind="stable").reset_index(drop=True)
