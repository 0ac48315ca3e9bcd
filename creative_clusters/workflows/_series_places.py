"""Place tables from the 2010–2025 series for the size-and-specialisation detectors (private).

Public names are re-exported by :mod:`creative_clusters.workflows.trajectory`.

The threshold, strong and hotspot detectors need, for every place tested, a
size (creative enterprises) and a business LQ. The SIC-level table
(``creative_enterprises_sic``) has both for England only. The series (kind
``creative_enterprises_series``) has creative enterprises for every UK local
authority, and Business Demography (kinds ``business_demography`` and
``business_demography_history``) has active enterprises for every UK LAD in
the years it covers, so every UK place gets a business LQ in those years:
against the UK, and against its own nation (the UK LQ divided by the nation's
UK LQ: the same formula with the nation as the reference).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from creative_clusters.errors import ClusterToolkitError, ParameterError
from creative_clusters.indicators.lq_over_time import lq_series
from creative_clusters.indicators.trajectory import sum_members
from creative_clusters.warehouse import Warehouse
from creative_clusters.workflows._trajectory_data import (
    NATIONS,
    TrajectoryData,
    _level_series,
    level_groups,
    load_trajectory_data,
)
from creative_clusters.workflows._trajectory_table import rank_base, trajectory_table

__all__ = ["DETECTION_LEVELS", "SCALE_LEVELS", "detection_years", "nation_code", "series_group_row",
           "series_place_table", "series_route_for_year"]

#: Levels the detectors can test from the series (whole 2023 LADs summed; TTWAs of England and Wales).
DETECTION_LEVELS: tuple[str, ...] = ("lad", "utla", "cauth", "rgn", "ttwa")

#: Levels the series' scale table is built for: the detection levels and the nations (a nation's
#: business LQ is against the UK only; against itself it would be 1).
SCALE_LEVELS: tuple[str, ...] = (*DETECTION_LEVELS, "ctry")

_NATION_WORDS: dict[str, str] = {
    "england": "E92000001", "scotland": "S92000003", "wales": "W92000004", "cymru": "W92000004",
    "northern ireland": "N92000002", "northern-ireland": "N92000002", "ni": "N92000002",
}


def nation_code(name: str) -> str:
    """The GSS code of a UK nation from its name or code.

    Examples
    --------
    >>> nation_code("Scotland"), nation_code("northern-ireland"), nation_code("W92000004")
    ('S92000003', 'N92000002', 'W92000004')
    """
    key = str(name).strip().lower().replace("_", " ")
    codes = {code for code, _n in NATIONS.values()}
    if key.upper() in codes:
        return key.upper()
    if key in _NATION_WORDS:
        return _NATION_WORDS[key]
    raise ParameterError(f"{name!r} is not a UK nation; use England, Scotland, Wales or Northern Ireland "
                         f"(or a code: {', '.join(sorted(codes))}).")


def detection_years(data: TrajectoryData) -> tuple[list[str], list[str]]:
    """``(years with a denominator, years without)`` among the series' years."""
    active = set(data.active["period"].astype(str)) if len(data.active) else set()
    years = data.years
    return [y for y in years if y in active], [y for y in years if y not in active]


def _lq_of_year(data: TrajectoryData, level: str, year: str,
                groups: dict[str, tuple[str, ...]] | None = None) -> pd.DataFrame:
    """The business LQ against the UK of every place of ``level`` (or of ``groups``) in ``year``, with its
    denominator."""
    creative = data.series[data.series["period"] == year].assign(measure="enterprises")
    active = data.active[data.active["period"].astype(str) == year]
    if level == "lad" and groups is None:
        return lq_series(creative, active)
    groups = groups if groups is not None else level_groups(data, level)
    num = _level_series(data, groups, level)
    num = num[num["period"] == year][["geo_code", "period", "value"]].assign(
        dataset=data.source.id, measure="enterprises")
    den = sum_members(active, groups).assign(dataset="+".join(sorted(set(active["dataset"]))),
                                             measure="active_enterprises")
    ref = pd.DataFrame({"period": [year], "creative": [float(creative["value"].sum())],
                        "active": [float(active["value"].sum())]})
    return lq_series(num, den, reference=ref)


def series_place_table(
    wh: Warehouse | None = None,
    level: str = "lad",
    *,
    year: str | int | None = None,
    nation: str | None = None,
    data: TrajectoryData | None = None,
) -> tuple[pd.DataFrame, dict[str, Any]]:
    """Every UK place (or one nation's) with creative enterprises and business LQs, for the detectors.

    The table the threshold, strong and hotspot detectors run on outside
    England (:func:`creative_clusters.workflows.detection.run_method` takes it as
    it takes :func:`~creative_clusters.workflows.detection.place_table`'s).

    Parameters
    ----------
    wh : Warehouse, optional
        Read with :func:`load_trajectory_data` unless ``data`` is given.
    level : str
        One of :data:`SCALE_LEVELS` (``ctry``: the nations, LQ against the UK; their nation LQs are NaN).
    year : str or int, optional
        A year of the series that has an active-enterprise denominator; by
        default the latest such year (``meta["notes"]`` says when the series
        goes further).
    nation : str, optional
        ``None``: every UK place, business LQ against the UK. A nation (name or
        code): that nation's places only, business LQ against the nation, so
        the detectors' quartiles and size floor are the nation's too.

    Returns
    -------
    table : pandas.DataFrame
        ``geo_code, geo_name, nation, nation_name, industry_code`` (``_T``), ``businesses``,
        ``creative_businesses``, ``active_enterprises``, ``business_lq`` with
        ``lq_lower``/``lq_upper`` (the benchmark's: UK, or the nation),
        ``business_lq_uk``, ``business_lq_nation`` (each with ``_lower``/``_upper``),
        ``rank_uk, n_uk, rank_base, rank_nation, n_nation`` (by size; ``rank_base`` what ``rank_uk``
        ranks among, e.g. "England and Wales" for TTWAs), ``tied_uk, tied_nation`` (how many other
        places share each rank), ``small_count``,
        ``disclosure_flag``, ``outlier_flag``, ``note``, ``caveat``, ``period``.
    meta : dict
        ``lq``, ``size``, ``measure``, ``level``, ``period``, ``benchmark``
        (``"UK"`` or the nation's name), ``source`` (source line) and ``notes``
        (tuple of plain sentences for the user).

    Raises
    ------
    ParameterError
        An unknown level or nation, a year outside the series, or a year with no
        denominator (the message lists the years that have one).
    """
    if data is None:
        if wh is None:
            raise ParameterError("series_place_table() needs a warehouse or data=.")
        data = load_trajectory_data(wh)
    if level not in SCALE_LEVELS:
        raise ParameterError(f"level must be one of {list(SCALE_LEVELS)} for detection from the series; "
                             f"got {level!r}.")
    with_den, without = detection_years(data)
    den_names = ", ".join(r.id for r in data.active_sources) or "no Business Demography dataset"
    notes: list[str] = []
    if not with_den:
        raise ParameterError(f"no year of the series {data.source.id} has an active-enterprise denominator "
                             f"({den_names}), so there is no business LQ to detect clusters with; import Business "
                             "Demography, or use --method trajectory.")
    span = f"{with_den[0]}–{with_den[-1]}" if len(with_den) > 1 else with_den[0]
    if year is None:
        y = with_den[-1]
        later = [v for v in without if v > y]
        if later:
            notes.append(f"The series runs to {later[-1]}, but active enterprises (the LQ denominator, {den_names}) "
                         f"end in {y}: clusters are detected for {y}, the latest year with a business LQ.")
    else:
        y = str(year)
        if y not in data.years:
            raise ParameterError(f"the series {data.source.id} covers {data.years[0]}–{data.years[-1]}; "
                                 f"no year {y}.")
        if y not in with_den:
            raise ParameterError(
                f"{y} has creative enterprises in the series but no active-enterprise denominator ({den_names} "
                f"cover {span}), so there is no business LQ for {y} and threshold, strong and hotspot clusters "
                f"cannot be detected outside England; use a year in {span}, or --method trajectory for {y}.")
    t = trajectory_table(level=level, data=data, years=[y])
    lq = _lq_of_year(data, level, y).set_index("geo_code")
    nat = _lq_of_year(data, "ctry", y) if level != "ctry" else None
    nat_lq = nat.set_index("geo_code")["lq"] if nat is not None else pd.Series(dtype=float)
    codes = t["geo_code"]
    scale = t["nation"].map(nat_lq).astype(float).to_numpy()
    out = pd.DataFrame({
        "geo_code": codes, "geo_name": t["geo_name"], "nation": t["nation"],
        "nation_name": t["nation"].map(data.names).fillna(t["nation"]), "industry_code": "_T",
        "businesses": t["value"].astype(float), "creative_businesses": t["value"].astype(float),
        "active_enterprises": codes.map(lq["area_total"]).astype(float),
        "business_lq_uk": codes.map(lq["lq"]).astype(float),
        "business_lq_uk_lower": codes.map(lq["lq_lower"]).astype(float),
        "business_lq_uk_upper": codes.map(lq["lq_upper"]).astype(float),
        "rank_uk": t["rank_uk"], "n_uk": t["n_uk"], "rank_base": rank_base(t), "rank_nation": t["rank_nation"],
        "n_nation": t["n_nation"], "tied_uk": t["tied_uk"], "tied_nation": t["tied_nation"],
        "small_count": codes.map(lq["small_count"]).fillna(False).astype(bool),
        "disclosure_flag": t["disclosure_flag"],
        "outlier_flag": [" ".join(x for x in (a, b) if x) for a, b in zip(t["outlier_flag"], t["lq_flag"],
                                                                         strict=True)],
        "note": [" ".join(x for x in (a, b) if x) for a, b in zip(t["outlier_note"], t["lq_note"], strict=True)],
        "period": y,
    })
    with np.errstate(invalid="ignore", divide="ignore"):
        for suffix in ("", "_lower", "_upper"):
            out[f"business_lq_nation{suffix}"] = out[f"business_lq_uk{suffix}"].to_numpy() / scale
    if nation is None:
        bench, lq_col = "UK", "business_lq_uk"
    else:
        code = nation_code(nation)
        bench, lq_col = data.names.get(code, code), "business_lq_nation"
        out = out[out["nation"] == code].reset_index(drop=True)
        if out.empty:
            raise ParameterError(f"no place of level {level!r} lies in {bench}"
                                 + (" (TTWAs cover England and Wales only)" if level == "ttwa" else "") + ".")
    out.insert(6, "business_lq", out[lq_col])
    out.insert(7, "lq_lower", out[f"{lq_col}_lower"])
    out.insert(8, "lq_upper", out[f"{lq_col}_upper"])
    out["caveat"] = "; ".join(_caveats(data, level, y, bench))
    src = data.source
    meta: dict[str, Any] = {
        "lq": "business_lq", "size": "businesses", "measure": "businesses", "level": level, "period": y,
        "benchmark": bench, "notes": tuple(notes),
        "source": (f"{src.title or src.id} ({src.publisher}), {y}; active enterprises: "
                   f"{', '.join(r.title or r.id for r in data.active_sources)}; business LQ against {bench}"),
    }
    return out.sort_values("geo_code").reset_index(drop=True), meta


def series_group_row(data: TrajectoryData, code: str, members: Sequence[str]) -> dict[str, Any] | None:
    """A group of whole LADs as a row of :func:`series_place_table`: its creative enterprises and business LQs.

    For a place the scale table is not built for (a user's group, e.g. the ten
    LADs of the Cardiff Capital Region), in the latest year of the series with an
    active-enterprise denominator: the members' creative enterprises and active
    enterprises summed, the LQ against the UK by the same formula and reference
    as every place's (:func:`~creative_clusters.indicators.lq_over_time.lq_series`
    with the UK's totals), and, when every member is in one nation, against that
    nation (the UK LQ over the nation's, as the table's). No ranks: a group is not
    a place of any level. None when a member has no series or no year has a
    denominator.
    """
    with_den, _without = detection_years(data)
    known = set(data.series["geo_code"].astype(str))
    if not with_den or not members or not set(members) <= known:
        return None
    y = with_den[-1]
    lq = _lq_of_year(data, "custom", y, groups={code: tuple(members)}).set_index("geo_code")
    if code not in lq.index:
        return None
    r = lq.loc[code]
    letters = {m[0] for m in members}
    nation, nation_name = (NATIONS[next(iter(letters))] if len(letters) == 1 and next(iter(letters)) in NATIONS
                           else ("", ""))
    row: dict[str, Any] = {
        "geo_code": code, "nation": nation, "nation_name": nation_name, "industry_code": "_T",
        "businesses": float(r["value"]), "creative_businesses": float(r["value"]),
        "active_enterprises": float(r["area_total"]),
        "business_lq_uk": float(r["lq"]), "business_lq_uk_lower": float(r["lq_lower"]),
        "business_lq_uk_upper": float(r["lq_upper"]),
        "rank_uk": None, "n_uk": None, "rank_nation": None, "n_nation": None, "tied_uk": 0, "tied_nation": 0,
        "small_count": bool(r["small_count"]), "period": y,
    }
    scale = (_lq_of_year(data, "ctry", y).set_index("geo_code")["lq"].get(nation) if nation else None)
    for suffix in ("", "_lower", "_upper"):
        row[f"business_lq_nation{suffix}"] = (row[f"business_lq_uk{suffix}"] / float(scale)
                                              if scale is not None and float(scale) > 0 else None)
    return row


def _caveats(data: TrajectoryData, level: str, year: str, bench: str) -> Sequence[str]:
    out = [
        f"creative enterprises from the {data.years[0]}–{data.years[-1]} series (UK Business Counts, March "
        "snapshot, rounded to 5; all creative industries, no sub-sectors) over active enterprises of all "
        "industries (Business Demography, "
        f"any activity during {year}): two sources, so the LQ is indicative",
        f"business LQ against {bench}" + ("" if bench == "UK" else "; business_lq_uk gives the UK benchmark"),
    ]
    if level == "ttwa":
        out.append("TTWAs of England and Wales only, LAD-approximated (each LAD wholly in the TTWA holding most "
                   "of its LSOAs)")
    return out


def series_route_for_year(wh: Warehouse, year: int | str) -> str:
    """What the annual series offers, offline, for ``year`` when the SIC-level table lacks it ("" if nothing).

    For the ``map``/``clusters`` error on a year of England's SIC-level counts
    the warehouse lacks: the series (all creative industries, no sub-sectors)
    detects clusters for the years with an active-enterprise denominator, and
    the trajectory classes cover every year of the series.
    """
    try:
        data = load_trajectory_data(wh)
    except ClusterToolkitError:
        return ""
    with_den, _without = detection_years(data)
    y = str(year)
    span = f"{with_den[0]}–{with_den[-1]}" if len(with_den) > 1 else (with_den[0] if with_den else "")
    from creative_clusters.clusters.trajectory import load_trajectory_rules

    first = int(data.years[0]) + load_trajectory_rules().min_window_years  # first year with trajectory classes
    traj = (f"--method trajectory works for {first}–{data.years[-1]}" if first <= int(data.years[-1]) else "")
    series = f"the {data.years[0]}–{data.years[-1]} series"  # as imported: a newer year extends it
    if y in with_den:
        return (f"Offline, {series} (all creative industries, no sub-sectors) has {y}: add "
                "--scope england-series (England's places, LQ against England) or --scope uk (every UK place), "
                f"which work for {span}" + (f"; {traj}." if traj else "."))
    if y in data.years and int(y) >= first:
        return (f"Offline, {traj} ({series}); --scope england-series or uk work for {span} only, the "
                "years with a business LQ.")
    if y in data.years and span:
        return (f"Offline, --scope england-series or uk ({series}) work for {span}, the years with a "
                "business LQ" + (f", and {traj}." if traj else "."))
    return ""
