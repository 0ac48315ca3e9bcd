"""Trajectory indicators over a yearly series: growth windows, ranks, outliers, LQ over time.

Pure functions on long tables (one row per area × period, columns ``geo_code``,
``period``, ``value`` and optionally ``disclosure_flag``), as stored for the
dataset ``business_counts_series``. Nothing here reads the warehouse; the
workflows choose the dataset and the years from the catalogue.

- :func:`standard_windows`: the growth windows every output uses (whole
  series, last ten years, since 2019 pre-pandemic, last year), derived from the
  periods present.
- :func:`window_changes`: change, % change and CAGR per window (the formulas of
  :func:`creative_clusters.indicators.growth.growth`, vectorised over windows;
  the tests check the two agree).
- :func:`relative_cagr`: a place's CAGR minus its reference area's (its nation,
  the UK), in percentage points a year.
- :func:`rank_table`, :func:`rank_changes`: rank by size among all places and
  within a group (nation), and how it moved over each window.
- :func:`outlier_flags`: a robust (median-absolute-deviation) test on
  year-on-year log changes across all places; flags spikes and breaks and
  never alters a value.
- :func:`lq_series`, :func:`lq_crossings`: the LQ in every year that has a
  denominator (reusing :func:`creative_clusters.indicators.lq.location_quotient`)
  and the years a place crossed LQ 1.
- :func:`sum_members`: aggregates (CA, region, nation, TTWA, user group) as the
  sum of their members, suppression and flags carried through.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from creative_clusters._counts import sum_by
from creative_clusters.errors import ParameterError, SchemaError, UnknownCodeError
from creative_clusters.indicators._checks import (
    check_columns,
    check_not_empty,
    check_numeric_non_negative,
    check_unique_keys,
    flag_rank,
    worst_flag,
)
from creative_clusters.indicators.lq import location_quotient

__all__ = [
    "MAD_SCALE",
    "PRE_PANDEMIC_YEAR",
    "Window",
    "lq_crossings",
    "lq_series",
    "outlier_flags",
    "rank_changes",
    "rank_table",
    "relative_cagr",
    "standard_windows",
    "sum_members",
    "window_changes",
]

#: Last full year before the pandemic: the base of the "since 2019" window.
PRE_PANDEMIC_YEAR = 2019
#: Scale making the MAD a consistent estimator of the standard deviation
#: under normality (1 / Φ⁻¹(3/4)).
MAD_SCALE = 1.4826

_HINT = "Give your own column names with geo=, value= and period=."
#: The parameters of :func:`creative_clusters.indicators.ranking.rank_descending`.
_RANK = {"method": "min", "ascending": False, "na_option": "keep"}


@dataclass(frozen=True)
class Window:
    """A growth window between two years.

    Attributes
    ----------
    name : str
        ``full``, ``ten_year``, ``since_2019`` or ``last_year`` for the
        standard windows.
    start, end : str
        First and last period (years, as text).
    """

    name: str
    start: str
    end: str

    @property
    def label(self) -> str:
        """``"2010–2025"``, as outputs print it."""
        return f"{self.start}–{self.end}"

    @property
    def years(self) -> int:
        """Number of years between the ends."""
        return int(self.end) - int(self.start)


def _years_of(periods: Sequence[str | int]) -> list[int]:
    try:
        years = sorted({int(str(p)) for p in periods})
    except ValueError:
        raise ParameterError(
            f"trajectory windows need periods that are years such as '2019'; got {sorted(map(str, periods))[:5]}"
        ) from None
    if len(years) < 2:
        raise ParameterError(f"a trajectory needs at least two years; got {years}.")
    return years


def standard_windows(periods: Sequence[str | int]) -> list[Window]:
    """The growth windows every output reports, from the periods present.

    ``full`` (first → last year), ``ten_year`` (last − 10 → last),
    ``since_2019`` (:data:`PRE_PANDEMIC_YEAR` → last: before and after the
    pandemic) and ``last_year`` (last − 1 → last). A window whose start year is
    not in ``periods`` is left out; duplicates of an earlier window are too.

    Examples
    --------
    >>> [w.label for w in standard_windows(range(2010, 2026))]
    ['2010–2025', '2015–2025', '2019–2025', '2024–2025']
    >>> [w.label for w in standard_windows(["2017", "2018", "2019", "2020"])]  # 2019–2020 once
    ['2017–2020', '2019–2020']
    """
    years = _years_of(periods)
    last = years[-1]
    wanted = [
        ("full", years[0]),
        ("ten_year", last - 10),
        ("since_2019", PRE_PANDEMIC_YEAR),
        ("last_year", last - 1),
    ]
    out: list[Window] = []
    seen: set[int] = set()
    for name, start in wanted:
        if start in years and start < last and start not in seen:
            seen.add(start)
            out.append(Window(name, str(start), str(last)))
    return out


def window_changes(
    table: pd.DataFrame,
    /,
    windows: Sequence[Window] | None = None,
    *,
    geo: str = "geo_code",
    value: str = "value",
    period: str = "period",
    flag: str = "disclosure_flag",
) -> pd.DataFrame:
    """Change, % change and compound annual growth over each window.

    Parameters
    ----------
    table : pandas.DataFrame
        Long counts, one row per ``geo`` × ``period``.
    windows : sequence of Window, optional
        Default :func:`standard_windows` of the table's periods.

    Returns
    -------
    pandas.DataFrame
        One row per area × window: ``geo``, ``window``, ``label``,
        ``period_start``, ``period_end``, ``years``, ``start_value``,
        ``end_value``, ``change``, ``change_pct``, ``cagr`` (a fraction:
        ``(end/start)^(1/years) − 1``) and ``disclosure_flag``. A zero start
        gives NaN percentages, never infinities.

    Examples
    --------
    >>> t = pd.DataFrame({"geo_code": ["A"] * 3, "period": ["2023", "2024", "2025"],
    ...                   "value": [100.0, 110.0, 121.0]})
    >>> w = window_changes(t)
    >>> w[["window", "change", "cagr"]].round(4).values.tolist()
    [['full', 21.0, 0.1], ['last_year', 11.0, 0.1]]
    """
    caller = "window_changes()"
    check_columns(table, [geo, value, period], caller=caller, hint=_HINT)
    check_not_empty(table, caller=caller)
    check_unique_keys(table, [geo, period], caller=caller)
    per = table[period].astype(str)
    wins = list(windows) if windows is not None else standard_windows(per.unique().tolist())
    absent = sorted({p for w in wins for p in (w.start, w.end)} - set(per))
    if absent:
        raise SchemaError(f"{caller}: period(s) {absent} are not in the table; it has {sorted(set(per))}.")
    frame = pd.DataFrame({"g": table[geo].to_numpy(), "p": per.to_numpy(),
                          "v": check_numeric_non_negative(table, value, caller=caller),
                          "r": flag_rank(table[flag].astype(object)) if flag in table.columns else 0})
    vals = frame.pivot(index="g", columns="p", values="v")
    ranks = frame.pivot(index="g", columns="p", values="r")
    parts = []
    for w in wins:
        # The same formulas as indicators.growth.growth (tests check they agree).
        a, b = vals[w.start].to_numpy(), vals[w.end].to_numpy()
        with np.errstate(divide="ignore", invalid="ignore"):
            pos = a > 0
            pct = np.where(pos, 100 * (b - a) / a, np.nan)
            cagr = np.where(pos, (b / a) ** (1 / w.years) - 1, np.nan)
        r = np.maximum(ranks[w.start].fillna(3).to_numpy(), ranks[w.end].fillna(3).to_numpy()).astype("int64")
        r = np.where(np.isnan(a) | np.isnan(b), 3, r)
        parts.append(pd.DataFrame({
            geo: vals.index.to_numpy(), "window": w.name, "label": w.label, "period_start": w.start,
            "period_end": w.end, "years": w.years, "start_value": a, "end_value": b, "change": b - a,
            "change_pct": pct, "cagr": cagr, "disclosure_flag": worst_flag(r),
        }))
    return pd.concat(parts, ignore_index=True)


def relative_cagr(
    changes: pd.DataFrame,
    reference: pd.DataFrame,
    parent: Mapping[str, str],
    /,
    *,
    geo: str = "geo_code",
) -> pd.Series:
    """A place's CAGR minus its reference area's, in percentage points a year.

    Parameters
    ----------
    changes : pandas.DataFrame
        :func:`window_changes` of the places.
    reference : pandas.DataFrame
        :func:`window_changes` of the reference areas (nations, the UK).
    parent : mapping
        Place code → reference-area code.

    Returns
    -------
    pandas.Series
        Aligned with ``changes``; NaN where either CAGR is missing.

    Examples
    --------
    >>> ch = pd.DataFrame({"geo_code": ["A"], "window": ["full"], "cagr": [0.05]})
    >>> ref = pd.DataFrame({"geo_code": ["N"], "window": ["full"], "cagr": [0.02]})
    >>> relative_cagr(ch, ref, {"A": "N"}).round(6).tolist()
    [3.0]
    """
    check_columns(changes, [geo, "window", "cagr"], caller="relative_cagr()")
    check_columns(reference, [geo, "window", "cagr"], caller="relative_cagr() reference")
    ref = reference.set_index([geo, "window"])["cagr"]
    parents = changes[geo].astype(str).map(dict(parent))
    if parents.isna().any():
        ex = sorted(changes.loc[parents.isna(), geo].astype(str).unique())[:5]
        raise UnknownCodeError(f"relative_cagr(): no reference area for {ex}; add them to parent=.")
    idx = pd.MultiIndex.from_arrays([parents, changes["window"]])
    base = ref.reindex(idx).to_numpy(dtype="float64")
    return pd.Series(100.0 * (changes["cagr"].to_numpy(dtype="float64") - base), index=changes.index,
                     name="relative_cagr_pp")


def rank_table(
    table: pd.DataFrame,
    /,
    *,
    groups: Mapping[str, str] | None = None,
    geo: str = "geo_code",
    value: str = "value",
    period: str = "period",
) -> pd.DataFrame:
    """Rank every area by size in each period: among all areas and within its group.

    Rank 1 is the largest; ties share the best rank (``method="min"``);
    missing values are not ranked (NaN) and do not count in ``n_*``.

    Parameters
    ----------
    groups : mapping, optional
        Area code → group code (e.g. LAD → nation). Areas not in it get no
        group rank.

    Returns
    -------
    pandas.DataFrame
        ``geo``, ``period``, ``value``, ``rank_all``, ``n_all``, ``group``,
        ``rank_group``, ``n_group``.

    Examples
    --------
    >>> t = pd.DataFrame({"geo_code": ["A", "B", "C"], "period": ["2025"] * 3, "value": [5.0, 9.0, 7.0]})
    >>> r = rank_table(t, groups={"A": "W", "B": "E", "C": "W"})
    >>> r[["geo_code", "rank_all", "rank_group", "n_group"]].values.tolist()
    [['A', 3, 2, 2], ['B', 1, 1, 1], ['C', 2, 1, 2]]
    """
    caller = "rank_table()"
    check_columns(table, [geo, value, period], caller=caller, hint=_HINT)
    check_unique_keys(table, [geo, period], caller=caller)
    v = pd.Series(check_numeric_non_negative(table, value, caller=caller), index=table.index)
    out = pd.DataFrame({geo: table[geo].astype(str).to_numpy(), period: table[period].astype(str).to_numpy(),
                        value: v.to_numpy()})
    # indicators.ranking.rank_descending within each group (1 = largest, ties share the best rank,
    # NaN unranked), vectorised by GroupBy.rank with the same parameters; the tests check they agree
    by_p = out.groupby(period)[value]
    out["rank_all"] = by_p.rank(**_RANK).astype("Int64")
    out["n_all"] = by_p.transform("count").astype("int64")
    out["group"] = out[geo].map(dict(groups or {})).astype("string")
    by_g = out.groupby([period, "group"], dropna=True)[value]
    out["rank_group"] = by_g.rank(**_RANK).astype("Int64")
    out["n_group"] = by_g.transform("count").astype("Int64")
    return out


def rank_changes(ranks: pd.DataFrame, windows: Sequence[Window], /, *, geo: str = "geo_code",
                 period: str = "period") -> pd.DataFrame:
    """How each area's ranks moved over each window (positive = climbed).

    ``rank_all_change = rank_all(start) − rank_all(end)``, so an area that went
    from 12th to 9th has +3; likewise ``rank_group_change``.

    Examples
    --------
    >>> t = pd.DataFrame({"geo_code": ["A", "B"] * 2, "period": ["2024"] * 2 + ["2025"] * 2,
    ...                   "value": [5.0, 9.0, 10.0, 9.0]})
    >>> rc = rank_changes(rank_table(t), [Window("last_year", "2024", "2025")])
    >>> rc[["geo_code", "rank_all_start", "rank_all_end", "rank_all_change"]].values.tolist()
    [['A', 2, 1, 1], ['B', 1, 2, -1]]
    """
    check_columns(ranks, [geo, period, "rank_all", "rank_group", "n_all", "n_group"], caller="rank_changes()")
    r = ranks.set_index([geo, period])
    parts = []
    for w in windows:
        a = r.xs(w.start, level=period)
        b = r.xs(w.end, level=period)
        both = a.index.intersection(b.index)
        a, b = a.loc[both], b.loc[both]
        part = pd.DataFrame({
            geo: both.to_numpy(), "window": w.name, "label": w.label,
            "rank_all_start": a["rank_all"].to_numpy(), "rank_all_end": b["rank_all"].to_numpy(),
            "n_all": b["n_all"].to_numpy(),
            "rank_group_start": a["rank_group"].to_numpy(), "rank_group_end": b["rank_group"].to_numpy(),
            "n_group": b["n_group"].to_numpy(),
        })
        part["rank_all_change"] = part["rank_all_start"] - part["rank_all_end"]
        part["rank_group_change"] = part["rank_group_start"] - part["rank_group_end"]
        parts.append(part)
    return pd.concat(parts, ignore_index=True)


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
    years = _years_of(frame[period].unique().tolist())
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


def sum_members(
    table: pd.DataFrame,
    groups: Mapping[str, Sequence[str]],
    /,
    *,
    geo: str = "geo_code",
    value: str = "value",
    period: str = "period",
    flag: str = "disclosure_flag",
) -> pd.DataFrame:
    """Aggregate areas (CA, region, nation, TTWA, a bid's group) as the sum of their members.

    Groups may overlap (a LAD is in its region, nation and the UK). A member
    missing or suppressed in a year makes the group's value NaN for that year
    (never a silent partial sum); the flag is the most severe of the members'.

    Parameters
    ----------
    groups : mapping
        Group code → member area codes.

    Returns
    -------
    pandas.DataFrame
        ``geo`` (the group code), ``period``, ``value``, ``disclosure_flag``
        and ``n_members``.

    Raises
    ------
    UnknownCodeError
        When a member code has no row in any period.

    Examples
    --------
    >>> t = pd.DataFrame({"geo_code": ["a", "b", "c"], "period": ["2025"] * 3, "value": [1.0, 2.0, 4.0]})
    >>> sum_members(t, {"R1": ["a", "b"], "UK": ["a", "b", "c"]})[["geo_code", "value"]].values.tolist()
    [['R1', 3.0], ['UK', 7.0]]
    """
    caller = "sum_members()"
    check_columns(table, [geo, value, period], caller=caller, hint=_HINT)
    check_unique_keys(table, [geo, period], caller=caller)
    pairs = [(str(g), str(m)) for g, ms in groups.items() for m in dict.fromkeys(ms)]
    if not pairs:
        raise ParameterError("sum_members() needs at least one group with members.")
    member = pd.DataFrame(pairs, columns=["_group", geo])
    unknown = sorted(set(member[geo]) - set(table[geo].astype(str)))
    if unknown:
        raise UnknownCodeError(
            f"{caller}: {len(unknown)} member code(s) have no rows in the table, e.g. {unknown[:5]}; "
            "check the members' boundary vintage against the table's."
        )
    check_numeric_non_negative(table, value, caller=caller)
    t = pd.DataFrame({geo: table[geo].astype(str).to_numpy(), period: table[period].astype(str).to_numpy(),
                      value: pd.to_numeric(table[value]).astype(float).to_numpy()})
    if flag in table.columns:
        t["disclosure_flag"] = table[flag].to_numpy()
    # A member without a row in some year counts as missing there (never a partial sum).
    years = pd.DataFrame({period: sorted(t[period].unique())})
    full = member.merge(years, how="cross").merge(t, on=[geo, period], how="left")
    if "disclosure_flag" in full.columns:
        full["disclosure_flag"] = full["disclosure_flag"].where(full[value].notna(), "suppressed")
    out = sum_by(full.rename(columns={"_group": "_g"}), ["_g", period], value=value)
    out = out.rename(columns={"_g": geo})
    if "disclosure_flag" not in out.columns:
        out["disclosure_flag"] = np.where(out[value].isna(), "suppressed", "as-published")
    out["n_members"] = out[geo].map(member.groupby("_group").size()).astype("int64")
    return out.sort_values([geo, period]).reset_index(drop=True)[[geo, period, value, "disclosure_flag", "n_members"]]
