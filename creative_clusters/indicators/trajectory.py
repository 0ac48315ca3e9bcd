"""Trajectory indicators over a yearly series: growth windows, ranks, member sums.

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
- :func:`fall_from_peak`: how far the latest value is below the series' peak since a start period.
- :func:`sum_members`: aggregates (CA, region, nation, TTWA, user group) as the
  sum of their members, suppression and flags carried through.

Outliers and breaks are in :mod:`creative_clusters.indicators.outliers`
(:func:`~creative_clusters.indicators.outliers.outlier_flags`); the LQ over time
in :mod:`creative_clusters.indicators.lq_over_time`
(:func:`~creative_clusters.indicators.lq_over_time.lq_series`,
:func:`~creative_clusters.indicators.lq_over_time.lq_crossings`).
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
    check_years,
    flag_rank,
    worst_flag,
)
from creative_clusters.indicators.ranking import tied_others

__all__ = [
    "PRE_PANDEMIC_YEAR",
    "Window",
    "fall_from_peak",
    "rank_changes",
    "rank_table",
    "relative_cagr",
    "standard_windows",
    "sum_members",
    "window_changes",
]

#: Last full year before the pandemic: the base of the "since 2019" window.
PRE_PANDEMIC_YEAR = 2019

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
    years = check_years(periods)
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
    missing values are not ranked (NaN) and do not count in ``n_*``. A 0
    (a published 0 means 0 to 2 units) counts in ``n_*`` but gets no rank, as
    :func:`creative_clusters.indicators.ranking.supported_rank` rules for
    every output.

    Parameters
    ----------
    groups : mapping, optional
        Area code → group code (e.g. LAD → nation). Areas not in it get no
        group rank.

    Returns
    -------
    pandas.DataFrame
        ``geo``, ``period``, ``value``, ``rank_all``, ``n_all``, ``tied_all``,
        ``group``, ``rank_group``, ``n_group``, ``tied_group``. ``tied_*``: how many
        other areas share the area's rank (the same value; counts rounded to 5
        tie often), the tie a sentence says as "joint 5th"; 0 for a unique rank
        and for an area without a rank.

    Examples
    --------
    >>> t = pd.DataFrame({"geo_code": ["A", "B", "C"], "period": ["2025"] * 3, "value": [5.0, 9.0, 7.0]})
    >>> r = rank_table(t, groups={"A": "W", "B": "E", "C": "W"})
    >>> r[["geo_code", "rank_all", "rank_group", "n_group"]].values.tolist()
    [['A', 3, 2, 2], ['B', 1, 1, 1], ['C', 2, 1, 2]]
    >>> r = rank_table(t.assign(value=[7.0, 9.0, 7.0]), groups={"A": "W", "B": "E", "C": "W"})
    >>> r[["geo_code", "rank_all", "tied_all", "rank_group", "tied_group"]].values.tolist()
    [['A', 2, 1, 1, 1], ['B', 1, 0, 1, 0], ['C', 2, 1, 1, 1]]
    >>> z = rank_table(t.assign(value=[0.0, 9.0, 7.0]))
    >>> z["rank_all"].tolist(), z["n_all"].tolist()
    ([<NA>, 1, 2], [3, 3, 3])
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
    zero = ~(out[value] > 0)  # a published 0 is never a rank (it still counts among the n places)
    out.loc[zero, ["rank_all", "rank_group"]] = pd.NA
    # ties: the other areas of the same period (and group) holding the same rank (ties share the best rank)
    for rank, keys in (("rank_all", [period]), ("rank_group", [period, "group"])):
        tied = out.groupby(keys, observed=True)[rank].transform(tied_others)
        out[rank.replace("rank_", "tied_")] = tied.reindex(out.index).fillna(0).astype("int64")
    return out[[geo, period, value, "rank_all", "n_all", "tied_all", "group", "rank_group", "n_group",
                "tied_group"]]


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


def fall_from_peak(periods: Sequence[str | int], values: Sequence[float], *, since: str | int
                   ) -> tuple[str, float, float] | None:
    """The series' peak after ``since`` and how far the latest value is below it.

    A ten-year rise can hide a recent fall: Glasgow's creative enterprises went
    from 1,925 (2015) to 2,090 (2025), but peaked at 2,270 in 2020.

    Returns
    -------
    tuple or None
        ``(peak period, peak value, fall in %)`` when the peak comes after
        ``since`` and before the latest period and the latest value is below
        it; None otherwise (or without values).

    Examples
    --------
    >>> fall_from_peak([2015, 2020, 2021, 2025], [1925, 2270, 2115, 2090], since=2015)
    ('2020', 2270.0, 7.9)
    >>> fall_from_peak([2015, 2020, 2025], [100, 120, 130], since=2015) is None
    True
    """
    pts = [(str(p), float(v)) for p, v in zip(periods, values, strict=True)
           if v is not None and np.isfinite(float(v)) and str(p) > str(since)]
    if len(pts) < 2:
        return None
    peak_p, peak_v = max(pts[:-1], key=lambda x: x[1])
    last = pts[-1][1]
    if peak_v <= 0 or last >= peak_v:
        return None
    return peak_p, peak_v, round(100 * (1 - last / peak_v), 1)
