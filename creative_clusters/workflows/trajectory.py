"""Trajectories of creative enterprises, 2010–2025, for every UK place and level.

The one assembler of trajectory figures: it reads the warehouse (the latest
dataset of kind ``creative_enterprises_series``, and active enterprises of
kinds ``business_demography`` / ``business_demography_history`` as LQ
denominators), chains the pure functions of
:mod:`creative_clusters.indicators.trajectory` and the classifier
:class:`creative_clusters.clusters.TrajectoryClasses`, and returns typed
results and plain tables. ``cli``, ``web`` and ``reporting`` render these and
never compute a trend, rank or LQ themselves.

- :func:`load_trajectory_data`: the series, denominators on LAD 2023 codes,
  hierarchy, names and outlier flags (read once, reused).
- :func:`level_groups`: member LADs of every place of a level (LAD, CA,
  region, nation, UK, UTLA, TTWA).
- :func:`trajectory_table`: all places of a level × all years: count, ranks
  (UK and nation), LQ where a denominator exists, outlier flags, and the
  trajectory class with its growth inputs.
- :func:`place_trajectory`: one place's :class:`PlaceTrajectory` (the series,
  growth windows against its nation and the UK, ranks and rank change, LQ over
  time and crossings of 1, flags, notes, members named).
- :func:`trajectory_statistics`: the headline figures of a trajectory as typed
  :class:`~creative_clusters.results.Statistic` (for the place-statistics service).
- :func:`growth_table`: any window for every place of a level (map growth measure).
- :func:`series_place_table`: every UK place (or one nation's) with creative
  enterprises and business LQs against the UK and its nation in a year with a
  denominator, for the threshold, strong and hotspot detectors outside England.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Protocol

import numpy as np
import pandas as pd

from creative_clusters import kinds
from creative_clusters._text import fmt_signed, with_article
from creative_clusters.clusters.trajectory import TrajectoryRules, load_trajectory_rules
from creative_clusters.errors import ParameterError
from creative_clusters.geography.place import Place, sentence_name
from creative_clusters.indicators.lq_over_time import NEAR_ONE, lq_crossings, lq_series
from creative_clusters.indicators.trajectory import (
    standard_windows,
    sum_members,
    window_changes,
)
from creative_clusters.results import DatasetRef, Statistic
from creative_clusters.warehouse import Warehouse
from creative_clusters.workflows import gaps
from creative_clusters.workflows._series_places import (
    DETECTION_LEVELS,
    detection_years,
    nation_code,
    series_place_table,
)
from creative_clusters.workflows._trajectory_data import (
    LEVELS,
    NATIONS,
    UK_CODE,
    TrajectoryData,
    _nation_of,
    _reference_tables,
    level_groups,
    load_trajectory_data,
)
from creative_clusters.workflows._trajectory_table import (
    _class_window,
    _level_outliers,
    cluster_table,
    growth_table,
    rank_base,
    rules_mapping,
    trajectory_table,
)


class PlaceLike(Protocol):
    """What :func:`place_trajectory` reads of a place: a :class:`~creative_clusters.geography.place.Place`
    or the evidence pack's place (code, name, member LADs; ``geo_type`` or ``level`` when it has one)."""

    @property
    def code(self) -> str: ...

    @property
    def name(self) -> str: ...

    @property
    def members(self) -> Sequence[str]: ...


__all__ = [
    "DETECTION_LEVELS",
    "LEVELS",
    "LQ_CAVEAT",
    "NATIONS",
    "UK_CODE",
    "GrowthWindow",
    "PlaceLike",
    "PlaceTrajectory",
    "TrajectoryData",
    "YearValue",
    "cluster_table",
    "detection_years",
    "growth_table",
    "level_groups",
    "load_trajectory_data",
    "nation_code",
    "place_trajectory",
    "rules_mapping",
    "series_place_table",
    "trajectory_statistics",
    "trajectory_table",
    "until",
]

#: What the series LQ is and how far to trust it: one text for the profile, the pack and the web map.
LQ_CAVEAT = (
    "LQ over time: creative enterprises (UK Business Counts, March snapshot of year t) over active "
    "enterprises of all industries (ONS Business Demography, any activity during year t) against the UK. "
    "The two sources differ in coverage and timing, so the LQ is indicative; compare its movement rather "
    "than its level with other LQs."
)



@dataclass(frozen=True)
class YearValue:
    """One year of a place's series.

    ``value`` is the count as published (or the sum of its members'), never
    altered; ``flags`` carries ``rounded`` and ``outlier`` / ``break``, with the
    sentence in ``note``. ``tied_uk`` / ``tied_nation``: how many other places
    share ``rank_uk`` / ``rank_nation`` (the same count; 0 for a unique rank),
    which the words say as "joint 5th".
    """

    period: str
    value: float | None
    unit: str = "enterprises"
    flags: tuple[str, ...] = ()
    note: str = ""
    rank_uk: int | None = None
    rank_nation: int | None = None
    lq: float | None = None
    lq_lower: float | None = None
    lq_upper: float | None = None
    tied_uk: int = 0
    tied_nation: int = 0


@dataclass(frozen=True)
class GrowthWindow:
    """Change over one standard window, for the place and its comparators.

    ``cagr`` values are fractions a year; ``relative_to_nation_pp`` and
    ``relative_to_uk_pp`` are differences in percentage points a year. Rank
    changes are positive when the place climbed; ``tied_*``: how many other
    places share the rank at the window's start or end (said as "joint").
    """

    name: str
    label: str
    start: str
    end: str
    start_value: float | None
    end_value: float | None
    change: float | None
    change_pct: float | None
    cagr: float | None
    nation_cagr: float | None
    uk_cagr: float | None
    relative_to_nation_pp: float | None
    relative_to_uk_pp: float | None
    rank_uk_start: int | None = None
    rank_uk_end: int | None = None
    rank_uk_change: int | None = None
    rank_nation_start: int | None = None
    rank_nation_end: int | None = None
    rank_nation_change: int | None = None
    n_uk: int | None = None
    n_nation: int | None = None
    flags: tuple[str, ...] = ()
    sentence: str = ""
    tied_uk_start: int = 0
    tied_uk_end: int = 0
    tied_nation_start: int = 0
    tied_nation_end: int = 0


@dataclass(frozen=True)
class PlaceTrajectory:
    """A place's creative-enterprise trajectory, ready to render.

    Attributes
    ----------
    code, name, level, nation, nation_name : str
        The place; ``nation`` is the nation code its growth is compared with.
    members, member_names : tuple of str
        Member LADs (the place itself for a LAD).
    series : tuple of YearValue
        Every year, as published or summed, with ranks, LQ and flags.
    windows : tuple of GrowthWindow
        The standard windows (2010–25, 2015–25, 2019–25, last year).
    trajectory : str
        Class in the latest year (``established``, ``emerging``, ``stable``,
        ``declining`` or ``""``) and ``trajectory_reason`` in words; ``trajectory_window``
        the growth window it used, e.g. ``"2010–2015 (5 years; shorter than the usual 10, …)"``.
    lq_crossings : tuple of (period, direction, lq before, lq after)
        Years the LQ (point estimate) crossed 1; ``direction`` is ``above`` or ``below``.
        A year within 0.005 of 1 (1.00 at two decimals) or flagged as an outlier or a
        break has no side, so a move to or from it is not a crossing (one rule for the
        profile, the web and the evidence pack: ``indicators.lq_over_time.lq_crossings``).
    lq_crossings_set_aside : tuple of (period, reason, lq before, lq after)
        Year-on-year moves across 1 not counted as crossings; ``reason`` is
        ``near-one`` (to or from an LQ within 0.005 of 1) or ``outlier`` (into or
        out of a year flagged as an outlier or a break).
    source, denominator_sources : DatasetRef
        Where the counts and the LQ denominators came from (dataset, vintage).
    unit, rank_basis : str
    notes : tuple of str
        Outlier sentences, the LQ caveat, rules of the class, how members were chosen.
    """

    code: str
    name: str
    level: str
    nation: str
    nation_name: str
    members: tuple[str, ...]
    member_names: tuple[str, ...]
    series: tuple[YearValue, ...]
    windows: tuple[GrowthWindow, ...]
    trajectory: str
    trajectory_reason: str
    trajectory_year: str
    lq_crossings: tuple[tuple[str, str, float, float], ...]
    source: DatasetRef
    lq_crossings_set_aside: tuple[tuple[str, str, float, float], ...] = ()
    trajectory_window: str = ""
    denominator_sources: tuple[DatasetRef, ...] = ()
    unit: str = "enterprises"
    rank_basis: str = "creative enterprises, 1 = most, among places of the same level"
    notes: tuple[str, ...] = field(default_factory=tuple)
    #: The comparison area's count in each year of ``series`` (the place's nation; the UK for a nation),
    #: and its name; empty for the UK itself.
    comparison_series: tuple[float | None, ...] = ()
    comparison_name: str = ""
    #: What ``rank_uk`` ranks among: "the UK", or the nations the level's places cover ("England and Wales"
    #: for TTWAs, whose LAD lookup covers those two), read from the places ranked.
    rank_base: str = "the UK"
    #: Said when the series publishes the place as 0 in every year (a possible coverage gap; also in ``notes``).
    coverage_note: str = ""

    def value(self, period: str | int) -> float | None:
        """The count in ``period`` (``None`` if absent)."""
        for y in self.series:
            if y.period == str(period):
                return y.value
        return None

    def window(self, name: str) -> GrowthWindow | None:
        """The growth window called ``name`` (``full``, ``ten_year``, ``since_2019``, ``last_year``)."""
        return next((w for w in self.windows if w.name == name), None)



# ---------------------------------------------------------------- one place
def _opt(x: Any) -> float | None:
    try:
        v = float(x)
    except (TypeError, ValueError):
        return None
    return v if np.isfinite(v) else None


def _opt_int(x: Any) -> int | None:
    v = _opt(x)
    return None if v is None else int(v)


def _tied(rec: Any, base: str) -> int:
    """How many other places share the row's rank on ``base`` (``uk`` or ``nation``): 0 without a rank."""
    if _opt_int(rec.get(f"rank_{base}")) is None:
        return 0
    return _opt_int(rec.get(f"tied_{base}")) or 0


def _level_of(place: Any) -> str:
    t = str(getattr(place, "geo_type", None) or getattr(place, "level", None) or "custom")
    return t if t in LEVELS else "custom"


def place_trajectory(
    wh: Warehouse | None,
    place: Place | PlaceLike | str,
    *,
    data: TrajectoryData | None = None,
    year: str | int | None = None,
    rules: str | Path | Mapping[str, Any] | None = None,
) -> PlaceTrajectory:
    """One place's creative-enterprise trajectory with its comparisons, ranks, LQ and flags.

    Parameters
    ----------
    wh : Warehouse or None
        Needed unless ``place`` is resolved and ``data`` is given.
    place : Place or str
        A resolved place (:func:`creative_clusters.workflows.places.resolve_place` or
        :func:`~creative_clusters.workflows.places.user_group`) or what a user typed.
    data : TrajectoryData, optional
        Reuse data already loaded (e.g. for many places).
    year : str or int, optional
        The trajectory as of this year: the series up to it, windows and the
        class ending there (default: the series' last year).

    Returns
    -------
    PlaceTrajectory
        For a LAD, CA, region, nation, UK, UTLA, TTWA or user group (``custom``:
        the member sum, ranked among LADs of no level, so without ranks).
    """
    if wh is None and (data is None or isinstance(place, str)):
        raise ParameterError("place_trajectory() needs a warehouse to resolve a place name or read the series; "
                             "pass wh= or a resolved place and data=.")
    if isinstance(place, str):
        from creative_clusters.workflows.places import resolve_place

        assert wh is not None
        place = resolve_place(wh, place)
    if data is None:
        assert wh is not None
        data = load_trajectory_data(wh)
    data = until(data, year)
    rl = load_trajectory_rules(rules)
    level = _level_of(place)
    code, name = str(place.code), str(place.name)
    if level == "custom" or level not in LEVELS:
        members = tuple(place.members)
        if not members:
            raise ParameterError(f"{place.name} has no member LADs on {kinds.LAD_VINTAGE} codes, so no trajectory.")
        return _custom_trajectory(data, place, members, rl)
    table = trajectory_table(level=level, data=data, rules=rules)
    mine = table[table["geo_code"] == code]
    members_given = tuple(str(m) for m in (getattr(place, "members", ()) or ()))
    if mine.empty and level == "lad" and len(members_given) == 1:  # a newer code for the same LAD
        code = members_given[0]
        mine = table[table["geo_code"] == code]
    if mine.empty and level == "ttwa" and members_given:
        # a TTWA that holds no LAD's majority, approximated by the LAD its member rule names: that LAD's
        # series, unranked and unclassified (among TTWAs it would count the LAD twice)
        return _custom_trajectory(data, place, members_given, rl, reason=(
            "not classified: no local authority has most of its small areas in this travel-to-work area, so "
            "its figures are those of the local authority that stands in for it, which is classified in its "
            "own travel-to-work area"))
    if mine.empty and level == "cauth" and members_given and members_given != (code,):
        # a combined authority not in the current list (abolished or renamed since, e.g. North of Tyne): the
        # sum of its member local authorities, unranked and unclassified (as a TTWA that stands in for a LAD)
        return _custom_trajectory(data, place, members_given, rl, reason=(
            "not classified: " + gaps.former_ca_note(name, len(members_given))))
    if mine.empty:
        raise ParameterError(
            f"{place.name} ({place.code}) has no creative-enterprise series at level {level!r}; the series covers "
            f"the {data.series['geo_code'].nunique()} LADs of {kinds.LAD_VINTAGE} and places built from them."
        )
    groups = level_groups(data, level)
    members = groups[code]
    nation = str(mine["nation"].iloc[0])
    level_tab = table[["geo_code", "period", "value", "disclosure_flag"]]
    return _assemble(data, code, name, level, nation, members, mine, level_tab, rl, base=rank_base(table))


def as_of_year(data: TrajectoryData, year: str | int | None) -> str | None:
    """``year`` as the series' period label, None for the latest; a year the series lacks is an error.

    Raises
    ------
    ParameterError
        For a year outside the series, or its first year (no trend ends there),
        naming the years it covers, so that ``--year 2009`` is never answered
        with the whole series.
    """
    if year is None:
        return None
    if str(year) not in data.years[1:]:
        raise ParameterError(f"--year {year}: the creative enterprise series {data.source.id} covers "
                             f"{data.years[0]}–{data.years[-1]}; choose a year from {data.years[1]} to "
                             f"{data.years[-1]} (a trend needs two years; {data.years[0]}'s figures are in the "
                             "table of every later year).")
    return str(year)


def until(data: TrajectoryData, year: str | int | None) -> TrajectoryData:
    """The data as of ``year``: series and denominators up to it (flags as tested on the whole series).

    Raises
    ------
    ParameterError
        For a year outside the series.
    """
    if year is None or str(year) == data.years[-1]:
        return data
    y = str(year)
    if y not in data.years or y == data.years[0]:
        raise ParameterError(f"the series {data.source.id} covers {data.years[0]}–{data.years[-1]}; a trajectory "
                             f"needs a year after {data.years[0]} up to {data.years[-1]}, got {year!r}.")

    def keep(f: pd.DataFrame) -> pd.DataFrame:
        return f[f["period"].astype(str) <= y] if len(f) else f

    breaks = data.denominator_breaks
    return replace(data, series=keep(data.series), active=keep(data.active), outliers=keep(data.outliers),
                   denominator_breaks=None if breaks is None else keep(breaks))


def _custom_trajectory(data: TrajectoryData, place: PlaceLike, members: tuple[str, ...],
                       rules: TrajectoryRules, *,
                       reason: str = "user-defined groups are not classified: the size floors are quantiles of a "
                                     "level") -> PlaceTrajectory:
    known = set(data.series["geo_code"])
    missing = sorted(set(members) - known)
    if missing:
        raise ParameterError(f"{place.name}: member(s) {missing[:5]} have no creative-enterprise series on "
                             f"{kinds.LAD_VINTAGE} codes.")
    tab = sum_members(data.series, {place.code: members})
    # a group across nations is compared with the UK: its majority nation would be half the story
    nation = _nation_of(members) if len({str(m)[:1] for m in members}) == 1 else UK_CODE
    rows = tab.assign(geo_name=place.name, level="custom", nation=nation, rank_uk=np.nan, n_uk=np.nan,
                      rank_nation=np.nan, n_nation=np.nan)
    if not data.active.empty:
        den = sum_members(data.active, {place.code: members})
        den = den.assign(dataset="+".join(sorted(set(data.active["dataset"]))))
        ref = pd.DataFrame({"period": sorted(set(data.active["period"]))})
        ref["creative"] = ref["period"].map(data.series.groupby("period")["value"].sum())
        ref["active"] = ref["period"].map(data.active.groupby("period")["value"].sum())
        lq = lq_series(tab.assign(dataset=data.source.id, measure="enterprises"),
                       den.assign(measure="active_enterprises"), reference=ref)
        rows = rows.merge(lq[["geo_code", "period", "lq", "lq_lower", "lq_upper"]], on=["geo_code", "period"],
                          how="left")
    for denominator in (False, True):
        flags = _level_outliers(data, {place.code: members}, "custom", denominator=denominator)
        rows = rows.merge(flags, on=["geo_code", "period"], how="left")
    for c in ("outlier_flag", "outlier_note", "lq_flag", "lq_note"):
        rows[c] = rows[c].fillna("").astype(str) if c in rows else ""
    last = data.years[-1]
    w = _class_window(data.years, last, rules)
    rows["trajectory"] = ""
    rows["trajectory_reason"] = reason
    if w is not None:
        rows["window_start"] = w.start
    return _assemble(data, place.code, place.name, "custom", nation, members, rows,
                     rows[["geo_code", "period", "value", "disclosure_flag"]], rules)


def _sentence(name: str, w: GrowthWindow, nation_name: str) -> str:
    if w.cagr is None or w.start_value is None or w.end_value is None:
        return f"{name}: no growth figure for {w.label} (a zero or missing start)."
    verb = "grew" if (w.change or 0) > 0 else ("fell" if (w.change or 0) < 0 else "were unchanged")
    pct = (f" ({fmt_signed(w.change_pct, 1, '%')}, {fmt_signed(100 * w.cagr, 1, '%')} a year)"
           if w.change_pct is not None and w.change else "")
    comp = []
    if w.nation_cagr is not None and nation_name not in ("United Kingdom", name):
        comp.append(f"{nation_name} {fmt_signed(100 * w.nation_cagr, 1, '%')} a year")
    if w.uk_cagr is not None:
        comp.append(f"the UK {fmt_signed(100 * w.uk_cagr, 1, '%')} a year")
    tail = f", against {' and '.join(comp)}" if comp else ""
    return (f"Creative enterprises in {with_article(name)} {verb} from {w.start_value:,.0f} in {w.start} to "
            f"{w.end_value:,.0f} in {w.end}{pct}{tail} ({w.label}).")


def _assemble(data: TrajectoryData, code: str, name: str, level: str, nation: str, members: Sequence[str],
              rows: pd.DataFrame, level_tab: pd.DataFrame, rules: TrajectoryRules,
              base: str = "the UK") -> PlaceTrajectory:
    rows = rows.sort_values("period")
    series = []
    for rec in rows.to_dict("records"):
        flags = tuple(f for f in (str(rec.get("disclosure_flag") or ""), str(rec.get("outlier_flag") or ""),
                                  str(rec.get("lq_flag") or "") if _opt(rec.get("lq")) is not None else "") if f)
        note = " ".join(n for n in (str(rec.get("outlier_note") or ""),
                                    str(rec.get("lq_note") or "") if _opt(rec.get("lq")) is not None else "") if n)
        series.append(YearValue(
            period=str(rec["period"]), value=_opt(rec["value"]), flags=flags, note=note,
            rank_uk=_opt_int(rec.get("rank_uk")), rank_nation=_opt_int(rec.get("rank_nation")),
            lq=_opt(rec.get("lq")), lq_lower=_opt(rec.get("lq_lower")), lq_upper=_opt(rec.get("lq_upper")),
            tied_uk=_tied(rec, "uk"), tied_nation=_tied(rec, "nation"),
        ))
    ref_tab, ref_ch = _reference_tables(data)
    wins = standard_windows(data.years)
    ch = window_changes(level_tab[level_tab["geo_code"] == code], wins)
    by_year = rows.set_index("period")
    refc = ref_ch.set_index(["geo_code", "window"])["cagr"]
    nation_name = data.names.get(nation, nation) if nation != UK_CODE else "United Kingdom"
    outlier_years = {y.period for y in series if "outlier" in y.flags}

    def rank(col: str, year: str) -> int | None:
        return _opt_int(by_year.at[year, col]) if col in by_year.columns and year in by_year.index else None

    def tied(base: str, year: str) -> int:
        return _tied(by_year.loc[year], base) if year in by_year.index else 0

    windows = []
    for rec in ch.to_dict("records"):
        wname, a, b = rec["window"], str(rec["period_start"]), str(rec["period_end"])
        cagr = _opt(rec["cagr"])
        nat = _opt(refc.get((nation, wname)))
        uk = _opt(refc.get((UK_CODE, wname)))
        ua, ub, na, nb = rank("rank_uk", a), rank("rank_uk", b), rank("rank_nation", a), rank("rank_nation", b)
        gw = GrowthWindow(
            name=wname, label=rec["label"], start=a, end=b,
            start_value=_opt(rec["start_value"]), end_value=_opt(rec["end_value"]), change=_opt(rec["change"]),
            change_pct=_opt(rec["change_pct"]), cagr=cagr, nation_cagr=nat, uk_cagr=uk,
            relative_to_nation_pp=None if cagr is None or nat is None else 100 * (cagr - nat),
            relative_to_uk_pp=None if cagr is None or uk is None else 100 * (cagr - uk),
            rank_uk_start=ua, rank_uk_end=ub, rank_uk_change=None if ua is None or ub is None else ua - ub,
            rank_nation_start=na, rank_nation_end=nb,
            rank_nation_change=None if na is None or nb is None else na - nb,
            n_uk=rank("n_uk", b), n_nation=rank("n_nation", b),
            flags=("outlier",) if {a, b} & outlier_years else (),
            tied_uk_start=tied("uk", a), tied_uk_end=tied("uk", b), tied_nation_start=tied("nation", a),
            tied_nation_end=tied("nation", b),
        )
        windows.append(replace(gw, sentence=_sentence(sentence_name(name, level), gw, nation_name)))
    last = rows[rows["period"] == data.years[-1]]
    traj = str(last["trajectory"].iloc[0]) if len(last) and "trajectory" in last else ""
    reason = str(last["trajectory_reason"].iloc[0]) if len(last) and "trajectory_reason" in last else ""
    odd_years = {y.period for y in series if any(f in ("outlier", "break") for f in y.flags)}
    lqt = rows[["geo_code", "period", "lq"]].dropna() if "lq" in rows else pd.DataFrame()
    lqt = lqt.assign(odd=lqt["period"].astype(str).isin(odd_years)) if len(lqt) else lqt
    crossings = lq_crossings(lqt, near_one=NEAR_ONE, set_aside="odd") if len(lqt) else pd.DataFrame(
        columns=["period", "direction", "lq_before", "lq_after", "status"])
    counted = crossings[crossings["status"] == "crossing"]
    aside = crossings[crossings["status"] != "crossing"]
    notes = [y.note for y in series if y.note]
    zeros = ""
    if len(series) > 1 and all(y.value == 0 for y in series):
        # zeros read as unknown: no LQ of 0 (with an interval from 0) that would read as "far below the UK"
        series = [replace(y, lq=None, lq_lower=None, lq_upper=None) for y in series]
        zeros = (f"{name} is published as 0 (0 to 2 enterprises) in every year {series[0].period}–"
                 f"{series[-1].period}: the series may not capture its creative firms (a disclosure or coverage "
                 "gap), so read its zeros as unknown, not as no creative firms; it is not ranked.")
        notes.append(zeros)
    if any(y.lq is not None for y in series):
        notes.append(LQ_CAVEAT)
    win = _class_window(data.years, data.years[-1], rules)
    if traj:
        notes.append("Trajectory class rules"
                     + (f", growth over {rules.window_words(win.start, win.end)}" if win else "") + ": "
                     + "; ".join(rules.describe((win.start, win.end) if win else None)) + ".")
    elif win is None and level != "custom":
        notes.append(rules.no_class_words(data.years[-1], data.years[0]))
    if level == "ttwa":
        notes.append("TTWA figures are LAD-approximated: each 2023 LAD is counted wholly in the 2011 TTWA "
                     "holding most of its LSOAs.")
    notes.extend(data.notes)
    versus = nation if level not in ("ctry", "uk") else (UK_CODE if level == "ctry" else "")
    comparison: tuple[float | None, ...] = ()
    if versus:
        vs = ref_tab[ref_tab["geo_code"] == versus].set_index("period")["value"]
        comparison = tuple(_opt(vs.get(y.period)) for y in series)
    return PlaceTrajectory(
        code=code, name=name, level=level, nation=nation, nation_name=nation_name, members=tuple(members),
        member_names=tuple(data.names.get(m, m) for m in members), series=tuple(series), windows=tuple(windows),
        trajectory=traj, trajectory_reason=reason, trajectory_year=data.years[-1],
        trajectory_window=rules.window_words(win.start, win.end) if traj and win else "",
        lq_crossings=tuple((str(r["period"]), str(r["direction"]), float(r["lq_before"]), float(r["lq_after"]))
                           for r in counted.to_dict("records")),
        lq_crossings_set_aside=tuple(
            (str(r["period"]), "outlier" if r["status"] == "set-aside" else "near-one", float(r["lq_before"]),
             float(r["lq_after"])) for r in aside.to_dict("records")),
        source=data.source, denominator_sources=data.active_sources, notes=tuple(notes),
        comparison_series=comparison,
        comparison_name=(nation_name if versus == nation else "United Kingdom") if versus else "",
        rank_base=base, coverage_note=zeros,
    )


def trajectory_statistics(t: PlaceTrajectory) -> dict[str, Statistic]:
    """The trajectory's headline figures as typed statistics (keys as in ``PlaceStatistics.figures``).

    ``creative_enterprises_series`` (latest year of the series, ranked among
    places of its level in the UK; its nation's rank in ``notes``),
    ``creative_enterprises_growth`` (CAGR over the ten-year window, compared with
    its nation) and ``business_lq_series`` (the LQ of the latest year with a
    denominator, with interval). These come from the annual series; the
    SIC-level table serves ``creative_enterprises`` and the sub-sectors.
    """
    out: dict[str, Statistic] = {}
    last = t.series[-1]
    ten = t.window("ten_year") or (t.windows[0] if t.windows else None)
    nat_rank = (f"rank {last.rank_nation} of {ten.n_nation} places of its level in {t.nation_name}"
                + (f" (joint: tied with {last.tied_nation} other place{'s' if last.tied_nation > 1 else ''} on the "
                   "same count)" if last.tied_nation else "")
                if last.rank_nation is not None and ten is not None and t.level not in ("ctry", "uk") else "")
    flags = tuple(f for f in last.flags if f != "denominator-break")
    members = (f"sum of {len(t.members)} member local authorities' rounded counts",) if len(t.members) > 1 else ()
    out["creative_enterprises_series"] = Statistic(
        key="creative_enterprises_series", label="Creative enterprises (UK Business Counts series)",
        value=last.value, unit="count", period=last.period, source=t.source, flags=flags,
        notes=tuple(n for n in (nat_rank, f"enterprises rounded to 5 by ONS; all UK LADs, {t.series[0].period}–"
                                + t.series[-1].period, *members, last.note) if n),
        rank=last.rank_uk, rank_of=ten.n_uk if ten is not None else None,
    )
    if ten is not None:
        out["creative_enterprises_growth"] = Statistic(
            key="creative_enterprises_growth", label=f"Compound annual growth of creative enterprises, {ten.label}",
            value=ten.cagr, unit="share", period=ten.label, source=t.source, flags=ten.flags,
            notes=(ten.sentence,), comparison=ten.nation_cagr if t.level not in ("ctry", "uk") else ten.uk_cagr,
            comparison_label=t.nation_name if t.level not in ("ctry", "uk") else "United Kingdom",
        )
    with_lq = [y for y in t.series if y.lq is not None]
    if with_lq:
        y = with_lq[-1]
        out["business_lq_series"] = Statistic(
            key="business_lq_series", label="Creative LQ (enterprises, against the UK)", value=y.lq, unit="ratio",
            period=y.period, source=t.source, lower=y.lq_lower, upper=y.lq_upper,
            flags=(*(f for f in y.flags if f == "denominator-break"), "mixed-sources"),
            notes=(LQ_CAVEAT,) + ((y.note,) if "denominator-break" in y.flags else ()),
            comparison=1.0, comparison_label="United Kingdom",
            denominator_source=t.denominator_sources[0] if t.denominator_sources else None,
        )
    return out
