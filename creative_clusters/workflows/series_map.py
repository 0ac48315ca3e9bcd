"""One value per place from the creative-enterprise series, for the web map over time.

The series (kind :data:`creative_clusters.kinds.CREATIVE_ENTERPRISES_SERIES`)
covers every UK local authority in every year it has, so these measures colour
Scotland, Wales and Northern Ireland as well as England. The values come from
:mod:`creative_clusters.workflows.trajectory` (counts, growth over a window,
trajectory classes, the business location quotient against the UK); nothing is
computed here that the trajectory layer does not already compute for the
profile, the pack and ``clusters``.

Examples
--------
>>> sorted(SERIES_MEASURES)
['series_businesses', 'series_growth', 'series_lq', 'trajectory_class']
>>> default_since(["2010", "2015", "2019", "2024", "2025"], "2025")
'2019'
>>> default_since(["2017", "2018"], "2018")
'2017'
>>> default_since(["2025"], "2025") is None
True
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from creative_clusters.errors import ParameterError
from creative_clusters.indicators.trajectory import standard_windows
from creative_clusters.kinds import LAD_VINTAGE
from creative_clusters.warehouse import Warehouse
from creative_clusters.workflows._trajectory_table import rank_base
from creative_clusters.workflows.placestats import published_zero_lq_note
from creative_clusters.workflows.trajectory import (
    LQ_CAVEAT,
    TrajectoryData,
    cluster_table,
    growth_table,
    load_trajectory_data,
    trajectory_table,
)

__all__ = ["SERIES_MEASURES", "default_since", "lq_years", "series_map_indicator"]

#: The series measures: label and kind (``count``, ``change`` in per cent, ``ratio`` for an LQ, ``category``).
SERIES_MEASURES: dict[str, tuple[str, str]] = {
    "series_businesses": ("Creative enterprises, all UK (annual series)", "count"),
    "series_growth": ("Change in creative enterprises since the start year (%)", "change"),
    "series_lq": ("Business location quotient against the UK, all UK (annual series)", "ratio"),
    "trajectory_class": ("Trajectory (established / emerging / stable / declining)", "category"),
}

_ROUNDED = "enterprises rounded to 5 by ONS; small counts and their changes are uncertain"
def lq_years(wh: Warehouse) -> list[int]:
    """Years of the series that have a business LQ (those with a count of all active enterprises too).

    Empty when the warehouse holds no active-enterprise counts (ONS Business Demography).
    """
    return [int(y) for y in _lq_years(load_trajectory_data(wh))]


def _lq_years(data: TrajectoryData) -> list[str]:
    have = set(data.active["period"].astype(str)) if not data.active.empty else set()
    return [y for y in data.years if y in have]


def default_since(years: list[str], end: str) -> str | None:
    """The start year the growth measure uses when none is asked for.

    The pre-/post-pandemic window of :func:`~creative_clusters.indicators.trajectory.standard_windows`
    when the series has it, else its longest window; None when ``end`` is the first year.
    """
    upto = [y for y in years if int(y) <= int(end)]
    if len(upto) < 2:
        return None
    wins = standard_windows(upto)
    chosen = next((w for w in wins if w.name == "since_2019"), wins[0])
    return chosen.start


def _flag(disclosure: pd.Series, *overrides: pd.Series) -> np.ndarray:
    """Each row's flag: the last of ``overrides`` that is set there, else its disclosure flag."""
    out = disclosure.fillna("").astype(str).to_numpy()
    for flags in overrides:
        f = flags.fillna("").astype(str).to_numpy()
        out = np.where(f != "", f, out)
    return out


def series_map_indicator(
    wh: Warehouse, *, level: str, measure: str, year: int | str | None = None, since: int | str | None = None,
) -> tuple[pd.DataFrame, str, list[str], dict[str, Any]]:
    """Return ``(table, source, caveats, period)`` for one series measure.

    ``table`` has ``geo_code, geo_name, value, flag`` and the measure's context
    columns (``nation``, ranks, start and end values, growth against the
    nation). ``period`` says which years served it: ``{"year": ..., "since": ...}``.

    Raises
    ------
    ParameterError
        For an unknown measure, a year outside the series, or a start year not
        before the end year (the message lists the years there are).
    """
    if measure not in SERIES_MEASURES:
        raise ParameterError(f"measure must be one of {sorted(SERIES_MEASURES)}; got {measure!r}")
    data = load_trajectory_data(wh)
    years = data.years
    y = str(year) if year is not None else years[-1]
    if y not in years:
        raise ParameterError(f"the series {data.source.id} covers {years[0]}–{years[-1]}; no year {y}")
    src = data.source
    source = f"{src.title or src.id} ({src.publisher})"
    caveats = [_ROUNDED]
    period: dict[str, Any] = {"year": int(y), "since": None}
    if measure == "series_businesses":
        t = trajectory_table(level=level, data=data, years=[y])
        out = pd.DataFrame({"geo_code": t["geo_code"], "geo_name": t["geo_name"], "value": t["value"],
                            "flag": _flag(t["disclosure_flag"], t["outlier_flag"]), "nation": t["nation"],
                            "rank_uk": t["rank_uk"], "n_uk": t["n_uk"], "rank_base": rank_base(t),
                            "rank_nation": t["rank_nation"],
                            "n_nation": t["n_nation"], "note": t["outlier_note"]})
        source += f", {y}"
    elif measure == "series_lq":
        have = _lq_years(data)
        if not have:
            raise ParameterError("the series LQ needs active enterprises of all industries (ONS Business Demography) "
                                 "beside the series; none are imported. Run `creative-clusters data import DIR` with "
                                 "the business demography file.")
        if year is None:
            y = have[-1]  # the latest year with a denominator, not the series' latest
        elif y not in have:
            raise ParameterError(f"the series LQ needs active enterprises of all industries for the year; years with "
                                 f"them: {', '.join(have)}; got {y}")
        t = trajectory_table(level=level, data=data, years=[y])
        # an outlying count makes its LQ suspect as much as a break in the denominator does
        flag = _flag(t["disclosure_flag"], t["lq_flag"], t["outlier_flag"])
        # a published 0 is 0 to 2 enterprises: no LQ, only its upper bound (the counts map's and profile's rule)
        zero = [published_zero_lq_note(n, hi) for n, hi in zip(t["value"], t["lq_upper"], strict=True)]
        notes = [" ".join(n for n in trio if n) for trio in zip(t["outlier_note"].fillna("").astype(str),
                                                                t["lq_note"].fillna("").astype(str),
                                                                (z or "" for z in zero), strict=True)]
        lq = t["lq"].astype(float).where(pd.Series([z is None for z in zero], index=t.index))
        out = pd.DataFrame({"geo_code": t["geo_code"], "geo_name": t["geo_name"], "value": lq,
                            "flag": flag, "nation": t["nation"], "lq_lower": t["lq_lower"],
                            "lq_upper": t["lq_upper"], "enterprises": t["value"], "note": notes})
        period["year"] = int(y)
        used = set(data.active.loc[data.active["period"].astype(str) == y, "dataset"].astype(str))
        dens = [r for r in data.active_sources if r.id in used] or list(data.active_sources)
        source += f", {y}; over active enterprises of all industries, {y}: " + "; ".join(
            f"{r.title or r.id} ({r.publisher})" for r in dens)
        caveats.extend([LQ_CAVEAT, "95% interval: exact Poisson limits on the count"])
    elif measure == "series_growth":
        a = str(since) if since is not None else default_since(years, y)
        if a is None:
            raise ParameterError(f"growth needs a start year before {y}; the series begins in {years[0]}")
        g = growth_table(level=level, start=a, end=y, data=data)
        out = pd.DataFrame({"geo_code": g["geo_code"], "geo_name": g["geo_name"], "value": g["change_pct"],
                            "flag": _flag(g["disclosure_flag"], g["outlier_flag"]), "nation": g["nation"],
                            "start_value": g["start_value"], "end_value": g["end_value"], "cagr": g["cagr"],
                            "nation_cagr": g["nation_cagr"], "relative_to_nation_pp": g["relative_to_nation_pp"],
                            "note": g["note"]})
        period["since"] = int(a)
        source += f", {a} and {y}"
        caveats.append(f"change {a}–{y} in per cent of {a}; a place with no enterprises in {a} has no change")
    else:
        c, meta = cluster_table(level=level, year=y, data=data)
        out = pd.DataFrame({"geo_code": c["geo_code"], "geo_name": c["geo_name"], "value": c["trajectory"],
                            "flag": _flag(c["disclosure_flag"], c["outlier_flag"]), "nation": c["nation"],
                            "cagr": c["cagr"], "relative_cagr_pp": c["relative_cagr_pp"], "window": c["window"],
                            "note": c["note"]})
        caveats.extend(str(c["caveat"].iloc[0]).split("; ")[1:] if len(c) else [])
        caveats.append(str(c["method"].iloc[0]) if len(c) else "trajectory classes")
        source = str(meta["source"])
    if level == "ttwa":
        caveats.append("TTWAs of England and Wales only, LAD-approximated")
    elif level != "lad":
        caveats.append(f"counts summed over member LADs ({LAD_VINTAGE} boundaries)")
    out = out.sort_values("geo_code").reset_index(drop=True)
    return out, source, list(dict.fromkeys(caveats)), period
