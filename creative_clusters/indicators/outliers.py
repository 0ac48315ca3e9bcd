"""Outliers and breaks in a yearly series: a robust test that flags and never alters a value.

:func:`outlier_flags` applies a median-absolute-deviation test to the
year-on-year log changes of all places at once, with the year effect removed,
and calls a suspect single year an ``outlier`` and a level shift a ``break``
(rule and thresholds in its docstring; ``docs/trajectory.md`` gives the
reasoning). Pure: long table in, long table out.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from creative_clusters.errors import ParameterError
from creative_clusters.indicators._checks import (
    check_columns,
    check_not_empty,
    check_numeric_non_negative,
    check_unique_keys,
    check_years,
)

__all__ = ["MAD_SCALE", "outlier_flags", "relative_spike"]

#: Scale making the MAD a consistent estimator of the standard deviation
#: under normality (1 / Φ⁻¹(3/4)).
MAD_SCALE = 1.4826

_HINT = "Give your own column names with geo=, value= and period=."


def outlier_flags(
    table: pd.DataFrame,
    /,
    *,
    threshold: float = 8.0,
    min_abs_change: float = 50.0,
    pseudo_count: float = 5.0,
    geo: str = "geo_code",
    value: str = "value",
    period: str = "period",
) -> pd.DataFrame:
    """Flag implausible year-on-year jumps with a robust test; never alter a value.

    The rule, applied to all areas at once:

    1. ``d = log((v_t + c) / (v_{t-1} + c)) / gap`` for consecutive published
       years (``c = pseudo_count``, the rounding base, so 0 → 5 is finite and
       small counts move less; ``gap`` annualises a missing year);
    2. remove the year effect: ``r = d − median over areas of d`` for that year,
       so a national shock (2020–22) is not an outlier;
    3. robust z-score ``z = (r − median r) / (1.4826 · MAD r)``, the median and
       median absolute deviation taken over **every** area and year;
    4. a change is *extreme* when ``|z| ≥ threshold`` **and** the count moved by
       at least ``min_abs_change`` (at the default, ten times the rounding base:
       a smaller move in a small place cannot be told from rounding and churn);
    5. year ``t`` is an ``outlier`` (a spike: the value is suspect) when the
       changes into and out of ``t`` are both extreme with opposite signs, and a
       ``break`` (a level shift: say so, compare with care) when only the
       change into ``t`` is extreme and it is not the return from a spike.

    Defaults: ``threshold = 8`` (for a normal variable ``|z| ≥ 8`` has
    probability about 1e-15; year-on-year changes have heavier tails, so the
    bar is set well above the 3.5 of Iglewicz and Hoaglin's modified z-score).
    On the 2010–2025 creative-enterprise series (361 LADs) these defaults flag
    exactly one value, Bromsgrove 2018 (1,360 between 415 and 425, z ≈ 27 in and
    out), which the data README says is an extraction error.

    Returns
    -------
    pandas.DataFrame
        One row per input row (sorted by area and period): ``geo``, ``period``,
        ``value`` (unchanged), ``log_change``, ``robust_z``, ``flag``
        (``"outlier"``, ``"break"`` or ``""``) and ``note`` (a sentence for
        outputs, empty when not flagged).

    Examples
    --------
    >>> rows = [(g, str(y), 100.0 + 2 * (y - 2010) + i) for i, g in enumerate("ABCDEFGH")
    ...         for y in range(2010, 2016)]
    >>> t = pd.DataFrame(rows, columns=["geo_code", "period", "value"])
    >>> t.loc[(t.geo_code == "C") & (t.period == "2013"), "value"] = 400.0
    >>> f = outlier_flags(t)
    >>> f.loc[f.flag != "", ["geo_code", "period", "flag"]].values.tolist()
    [['C', '2013', 'outlier']]
    >>> float(f.loc[(f.geo_code == "C") & (f.period == "2013"), "value"].iloc[0])
    400.0
    """
    caller = "outlier_flags()"
    check_columns(table, [geo, value, period], caller=caller, hint=_HINT)
    check_not_empty(table, caller=caller)
    check_unique_keys(table, [geo, period], caller=caller)
    for name, x, lo in (("threshold", threshold, 0.0), ("min_abs_change", min_abs_change, -1e-12),
                        ("pseudo_count", pseudo_count, 0.0)):
        if not isinstance(x, (int, float)) or not x > lo:
            raise ParameterError(
                f"The {name!r} parameter of outlier_flags() must be a number > {max(lo, 0):g}. Got {x!r} instead."
            )
    vals = check_numeric_non_negative(table, value, caller=caller)
    frame = pd.DataFrame({geo: table[geo].astype(str).to_numpy(), period: table[period].astype(str).to_numpy(),
                          value: vals})
    years = check_years(frame[period].unique().tolist())
    wide = frame.pivot(index=geo, columns=period, values=value)
    wide = wide.reindex(columns=[str(y) for y in years])
    v = wide.to_numpy(dtype="float64")
    yr = np.asarray(years, dtype="float64")
    n_geo, n_yr = v.shape
    # Last published value and its year before each cell (skipping gaps).
    prev = np.full_like(v, np.nan)
    prev_year = np.full_like(v, np.nan)
    last_v = np.full(n_geo, np.nan)
    last_y = np.full(n_geo, np.nan)
    for j in range(n_yr):
        prev[:, j], prev_year[:, j] = last_v, last_y
        ok = ~np.isnan(v[:, j])
        last_v = np.where(ok, v[:, j], last_v)
        last_y = np.where(ok, yr[j], last_y)
    with np.errstate(invalid="ignore", divide="ignore"):
        d = np.log((v + pseudo_count) / (prev + pseudo_count)) / (yr[None, :] - prev_year)
    finite_d = pd.DataFrame(np.where(np.isfinite(d), d, np.nan))
    r = d - finite_d.median(axis=0, skipna=True).fillna(0.0).to_numpy()
    finite = r[np.isfinite(r)]
    z = np.full_like(v, np.nan)
    if finite.size:
        centre = np.median(finite)
        mad = MAD_SCALE * np.median(np.abs(finite - centre))
        if mad > 0:
            z = (r - centre) / mad
    moved = np.abs(v - prev) >= min_abs_change
    extreme = np.nan_to_num(np.abs(z), nan=0.0) >= threshold
    extreme &= moved
    # Out-change of t is the in-change of the next published year.
    ext_next = np.zeros_like(extreme)
    z_next = np.full_like(z, np.nan)
    for i in range(n_geo):
        idx = np.flatnonzero(~np.isnan(v[i]))
        ext_next[i, idx[:-1]] = extreme[i, idx[1:]]
        z_next[i, idx[:-1]] = z[i, idx[1:]]
    spike = extreme & ext_next & (np.sign(z) != np.sign(z_next))
    spike_return = np.zeros_like(spike)
    for i in range(n_geo):
        idx = np.flatnonzero(~np.isnan(v[i]))
        spike_return[i, idx[1:]] = spike[i, idx[:-1]]
    brk = extreme & ~spike & ~spike_return
    flag = np.where(spike, "outlier", np.where(brk, "break", ""))
    out = pd.DataFrame({
        geo: np.repeat(wide.index.to_numpy(), n_yr),
        period: np.tile(wide.columns.to_numpy(), n_geo),
        value: v.ravel(),
        "log_change": d.ravel(),
        "robust_z": z.ravel(),
        "flag": flag.ravel(),
    })
    nxt = np.full_like(v, np.nan)
    for i in range(n_geo):
        idx = np.flatnonzero(~np.isnan(v[i]))
        nxt[i, idx[:-1]] = v[i, idx[1:]]
    notes = np.full(v.shape, "", dtype=object)
    for i, j in zip(*np.nonzero(flag != ""), strict=True):
        y = years[j]
        if flag[i, j] == "outlier":
            notes[i, j] = (
                f"{v[i, j]:,.0f} in {y} against {prev[i, j]:,.0f} the year before and {nxt[i, j]:,.0f} the "
                f"year after (robust z {z[i, j]:+.1f} in, {z_next[i, j]:+.1f} out; threshold {threshold:g}): "
                "probably an error in the source; shown as published, so read growth and ranks that "
                "start or end in that year with care."
            )
        else:
            notes[i, j] = (
                f"{v[i, j]:,.0f} in {y} against {prev[i, j]:,.0f} the year before (robust z {z[i, j]:+.1f}; "
                f"threshold {threshold:g}): a break in the series; shown as published, compare across it "
                "with care."
            )
    out["note"] = notes.ravel()
    keep = ~np.isnan(v.ravel())
    return out.loc[keep].reset_index(drop=True)


def relative_spike(place: pd.Series, reference: pd.Series, period: str) -> float:
    """How far a place's rate in ``period`` stands above its usual level relative to a reference.

    The place's rate over the reference's in ``period``, divided by the median
    of that ratio in the other periods both have: 1 when the year is like the
    place's others, 1.3 when it is 30% higher than usual once the reference's
    own movement is taken out. NaN without the period or without another period.
    Used to tell a cohort born in a registration surge (many firms formed at
    one address and dissolved soon after) from the place's usual business births.

    Parameters
    ----------
    place, reference : pandas.Series
        Rates indexed by period (e.g. business birth rates by year).
    period : str
        The period to test.

    Examples
    --------
    Cardiff's business birth rates against the UK's (ONS Business Demography): 2021's 17.3% was 1.39 times the
    UK's 12.4%, against a median of 1.06 in its other years:

    >>> cardiff = pd.Series({"2019": 12.44, "2020": 12.14, "2021": 17.27, "2022": 15.28, "2023": 11.04,
    ...                      "2024": 11.95})
    >>> uk = pd.Series({"2019": 12.59, "2020": 11.49, "2021": 12.38, "2022": 11.52, "2023": 11.01, "2024": 11.10})
    >>> round(relative_spike(cardiff, uk, "2021"), 2)
    1.32
    >>> round(relative_spike(cardiff, uk, "2024"), 2)  # 1.077 over the median 1.057 of the others
    1.02
    """
    ratio = (pd.to_numeric(place, errors="coerce") / pd.to_numeric(reference, errors="coerce")).dropna()
    ratio.index = ratio.index.astype(str)
    if str(period) not in ratio.index:
        return float("nan")
    others = ratio.drop(str(period))
    others = others[others > 0]
    if others.empty:
        return float("nan")
    return float(ratio[str(period)] / others.median())
