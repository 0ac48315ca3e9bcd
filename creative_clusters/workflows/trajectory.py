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
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from creative_clusters import kinds
from creative_clusters.clusters.trajectory import TrajectoryClasses, TrajectoryRules, load_trajectory_rules
from creative_clusters.errors import ParameterError, WarehouseError
from creative_clusters.geography.lookups import harmonise_codes
from creative_clusters.geography.resolver import Place
from creative_clusters.indicators.trajectory import (
    Window,
    lq_crossings,
    lq_series,
    outlier_flags,
    rank_table,
    relative_cagr,
    standard_windows,
    sum_members,
    window_changes,
)
from creative_clusters.results import DatasetRef

__all__ = [
    "LEVELS",
    "NATIONS",
    "UK_CODE",
    "GrowthWindow",
    "PlaceTrajectory",
    "TrajectoryData",
    "YearValue",
    "level_groups",
    "load_trajectory_data",
    "place_trajectory",
    "trajectory_table",
]

#: Levels a trajectory can be computed for (all built from whole 2023 LADs).
LEVELS: tuple[str, ...] = ("lad", "utla", "cauth", "rgn", "ttwa", "ctry", "uk")
#: Nation codes by the first letter of a LAD code.
NATIONS: dict[str, tuple[str, str]] = {
    "E": ("E92000001", "England"), "W": ("W92000004", "Wales"),
    "S": ("S92000003", "Scotland"), "N": ("N92000002", "Northern Ireland"),
}
UK_CODE = "K02000001"
#: LAD codes (Business Demography also has counties, regions and nations).
_LAD_CODE = r"^(E06|E07|E08|E09|W06|S12|N09)"
_LQ_CAVEAT = (
    "LQ over time: creative enterprises (UK Business Counts, March snapshot of year t) over active "
    "enterprises of all industries (ONS Business Demography, any activity during year t) against the UK. "
    "The two sources differ in coverage and timing, so the LQ is indicative; compare its movement rather "
    "than its level with other LQs."
)


@dataclass(frozen=True)
class TrajectoryData:
    """Everything the trajectory figures are computed from, read once from the warehouse.

    Attributes
    ----------
    series : pandas.DataFrame
        Creative enterprises by LAD (2023 codes) × year: ``geo_code, period,
        value, disclosure_flag, dataset``.
    source : DatasetRef
        The series' catalogue entry.
    active : pandas.DataFrame
        Active enterprises by LAD (2023 codes) × year, harmonised (merged LADs
        summed); empty when no denominator is imported.
    active_sources : tuple of DatasetRef
        The denominators' catalogue entries (latest first).
    hierarchy : pandas.DataFrame
        LAD 2023 → UTLA, CA, region, nation.
    names : dict
        Code → official name for every place of every level.
    outliers : pandas.DataFrame
        :func:`~creative_clusters.indicators.trajectory.outlier_flags` of the LAD series.
    denominator_breaks : pandas.DataFrame or None
        The same test on active enterprises: a break there moves the LQ without any
        change in creative enterprises (e.g. Bromsgrove 2022), so LQs of those
        years are flagged ``denominator-break``.
    notes : tuple of str
        Notes on how the data were put together (denominator years, harmonisation).
    """

    series: pd.DataFrame
    source: DatasetRef
    active: pd.DataFrame
    active_sources: tuple[DatasetRef, ...]
    hierarchy: pd.DataFrame
    names: dict[str, str]
    outliers: pd.DataFrame
    ttwa: pd.DataFrame | None = None
    denominator_breaks: pd.DataFrame | None = None
    notes: tuple[str, ...] = ()

    @property
    def years(self) -> list[str]:
        """The series' years, in order."""
        return sorted(self.series["period"].unique())


@dataclass(frozen=True)
class YearValue:
    """One year of a place's series.

    ``value`` is the count as published (or the sum of its members'), never
    altered; ``flags`` carries ``rounded`` and ``outlier`` / ``break``, with the
    sentence in ``note``.
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


@dataclass(frozen=True)
class GrowthWindow:
    """Change over one standard window, for the place and its comparators.

    ``cagr`` values are fractions a year; ``relative_to_nation_pp`` and
    ``relative_to_uk_pp`` are differences in percentage points a year. Rank
    changes are positive when the place climbed.
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
        ``declining`` or ``""``) and ``trajectory_reason`` in words.
    lq_crossings : tuple of (period, direction, lq before, lq after)
        Years the LQ (point estimate) crossed 1; ``direction`` is ``above`` or ``below``.
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
    denominator_sources: tuple[DatasetRef, ...] = ()
    unit: str = "enterprises"
    rank_basis: str = "creative enterprises, 1 = most, among places of the same level"
    notes: tuple[str, ...] = field(default_factory=tuple)

    def value(self, period: str | int) -> float | None:
        """The count in ``period`` (``None`` if absent)."""
        for y in self.series:
            if y.period == str(period):
                return y.value
        return None

    def window(self, name: str) -> GrowthWindow | None:
        """The growth window called ``name`` (``full``, ``ten_year``, ``since_2019``, ``last_year``)."""
        return next((w for w in self.windows if w.name == name), None)


# ---------------------------------------------------------------- loading
def _active_enterprises(wh: Any, lads: set[str]) -> tuple[pd.DataFrame, tuple[DatasetRef, ...], list[str]]:
    """Active enterprises by LAD 2023 code and year, from the latest dataset covering each year."""
    refs = []
    for kind in (kinds.ACTIVE_ENTERPRISES, kinds.BUSINESS_DEMOGRAPHY_HISTORY):
        refs += list(reversed(wh.catalogue_entries(kind)))
    if not refs:
        return pd.DataFrame(columns=["geo_code", "period", "value", "dataset"]), (), [
            "No Business Demography dataset is imported, so there is no LQ over time."]
    changes = wh.table("code_changes")
    parts, used, notes = [], [], []
    done: set[str] = set()
    for ref in refs:
        obs = wh.observations(dataset=ref.id, measure="active_enterprises", geo_type="lad")
        if obs.empty:
            continue
        for period, part in obs.groupby("period"):
            p = str(period)
            if p in done:
                continue
            part = part[part["geo_code"].astype(str).str.match(_LAD_CODE)]
            h = harmonise_codes(part[["geo_code", "period", "value", "disclosure_flag", "measure"]],
                                to_vintage=int(kinds.LAD_VINTAGE), changes=changes)
            got = set(h["geo_code"].astype(str))
            if not lads <= got:
                notes.append(f"Active enterprises {p} ({ref.id}) cover {len(got & lads)} of {len(lads)} LADs on "
                             f"{kinds.LAD_VINTAGE} codes after harmonising; no LQ for {p}.")
                continue
            h = h[h["geo_code"].isin(lads)].assign(dataset=ref.id)
            parts.append(h)
            done.add(p)
            if ref not in used:
                used.append(ref)
    active = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(
        columns=["geo_code", "period", "value", "dataset"])
    return active, tuple(used), notes


def load_trajectory_data(wh: Any, *, vintage: str | None = None) -> TrajectoryData:
    """Read the series (latest of its kind, or ``vintage``), denominators and geography once.

    Raises
    ------
    WarehouseError
        When no creative-enterprise series is imported (the message says how to import it).
    """
    ref = wh.require_dataset(kinds.CREATIVE_ENTERPRISES_SERIES, vintage=vintage)
    obs = wh.observations(dataset=ref.id, measure="enterprises", geo_type="lad")
    if obs.empty:
        raise WarehouseError(f"dataset {ref.id} has no LAD rows of creative enterprises; re-import it.")
    vint = sorted(set(obs["geo_vintage"].astype(str)))
    if vint != [kinds.LAD_VINTAGE]:
        raise WarehouseError(f"{ref.id} is on LAD vintage(s) {vint}; trajectories expect {kinds.LAD_VINTAGE} codes.")
    series = obs[["geo_code", "period", "value", "disclosure_flag", "dataset"]].copy()
    for c in ("geo_code", "period", "disclosure_flag", "dataset"):
        series[c] = series[c].astype(str)
    series = series.sort_values(["geo_code", "period"]).reset_index(drop=True)
    lads = set(series["geo_code"])
    h = wh.table("lad_hierarchy")
    h = h[h["vintage"].astype(str) == kinds.LAD_VINTAGE].reset_index(drop=True)
    missing = sorted(lads - set(h["lad_code"].astype(str)))
    if missing:
        raise WarehouseError(f"{len(missing)} LADs of {ref.id} are not in the {kinds.LAD_VINTAGE} hierarchy, "
                             f"e.g. {missing[:5]}; re-import the geography datasets.")
    active, active_refs, notes = _active_enterprises(wh, lads)
    areas = wh.table("areas")
    names = dict(zip(areas["geo_code"].astype(str), areas["geo_name"].astype(str), strict=False))
    for col in ("lad", "cauth", "rgn", "ctry"):
        names.update({str(c): str(n) for c, n in zip(h[f"{col}_code"], h[f"{col}_name"], strict=True)
                      if isinstance(c, str) and c})
    ttwa = None
    if wh.has_table("lad_ttwa_overlap"):
        from creative_clusters.workflows.areas import lad_ttwa_assignment

        cc = wh.table("code_changes") if wh.has_table("code_changes") else None
        # TTWAs are built from LSOAs of England and Wales: Scottish and NI LADs have none.
        ew = sorted(c for c in lads if c[0] in "EW")
        ttwa = lad_ttwa_assignment(wh.table("lad_ttwa_overlap"), code_changes=cc, lad_codes=ew)
    return TrajectoryData(
        series=series, source=ref, active=active, active_sources=active_refs, hierarchy=h, names=names,
        outliers=outlier_flags(series), ttwa=ttwa, notes=tuple(notes),
        denominator_breaks=outlier_flags(active[["geo_code", "period", "value"]]) if len(active) else None,
    )


# ---------------------------------------------------------------- levels
def level_groups(data: TrajectoryData, level: str) -> dict[str, tuple[str, ...]]:
    """Member LADs (2023) of every place of ``level``.

    ``lad``: each LAD itself; ``utla``, ``cauth``, ``rgn``, ``ctry``: the 2023
    hierarchy (LADs outside every CA are in no ``cauth``); ``uk``: all LADs;
    ``ttwa``: each LAD wholly in the 2011 TTWA holding most of its LSOAs
    (:func:`creative_clusters.workflows.areas.lad_ttwa_assignment`).
    """
    lads = sorted(data.series["geo_code"].unique())
    if level == "lad":
        return {c: (c,) for c in lads}
    if level == "uk":
        return {UK_CODE: tuple(lads)}
    if level == "ttwa":
        if data.ttwa is None:
            raise WarehouseError("level 'ttwa' needs the ref table 'lad_ttwa_overlap'; import the geography data.")
        a = data.ttwa
        return {str(t): tuple(sorted(g["lad_code"].astype(str))) for t, g in a.groupby("ttwa11_code")}
    col = {"utla": "utla_code", "cauth": "cauth_code", "rgn": "rgn_code", "ctry": "ctry_code"}.get(level)
    if col is None:
        raise ParameterError(f"level must be one of {list(LEVELS)}; got {level!r}.")
    h = data.hierarchy[data.hierarchy["lad_code"].astype(str).isin(lads)]
    h = h[h[col].fillna("").astype(str) != ""]
    return {str(c): tuple(sorted(g["lad_code"].astype(str))) for c, g in h.groupby(col)}


def _nation_of(members: Sequence[str]) -> str:
    """The nation most of the members are in (a cross-border TTWA goes with its majority)."""
    letters = Counter(m[0] for m in members).most_common(1)
    return NATIONS[letters[0][0]][0] if letters else UK_CODE


def _level_series(data: TrajectoryData, groups: Mapping[str, Sequence[str]], level: str) -> pd.DataFrame:
    if level == "lad":
        return data.series[["geo_code", "period", "value", "disclosure_flag"]].assign(n_members=1)
    return sum_members(data.series, groups)


def _reference_tables(data: TrajectoryData) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Nation and UK series and their standard-window changes."""
    nat: dict[str, list[str]] = {}
    for c in data.series["geo_code"].unique():
        nat.setdefault(NATIONS[c[0]][0], []).append(c)
    nat[UK_CODE] = sorted(data.series["geo_code"].unique())
    ref = sum_members(data.series, nat)
    return ref, window_changes(ref)


def _class_window(years: Sequence[str], year: str, rules: TrajectoryRules) -> Window | None:
    y = int(year)
    start = max(int(years[0]), y - rules.window_years)
    if y - start < rules.min_window_years or str(start) not in years:
        return None
    return Window("class", str(start), str(y))


def trajectory_table(
    wh: Any | None = None,
    level: str = "lad",
    *,
    data: TrajectoryData | None = None,
    years: Sequence[str | int] | None = None,
    rules: str | Path | Mapping[str, Any] | None = None,
) -> pd.DataFrame:
    """All places of ``level`` × all years: counts, ranks, LQ, flags and trajectory classes.

    Parameters
    ----------
    wh : Warehouse, optional
        Read with :func:`load_trajectory_data` unless ``data`` is given.
    level : str
        One of :data:`LEVELS`.
    years : sequence, optional
        Restrict the rows (and the classes computed) to these years; ranks,
        outlier tests and growth still use the whole series.
    rules : optional
        Trajectory rules (default: the packaged YAML).

    Returns
    -------
    pandas.DataFrame
        One row per place × year: ``geo_code, geo_name, level, nation, period,
        value, disclosure_flag, n_members, rank_uk, n_uk, rank_nation, n_nation,
        lq, lq_lower, lq_upper, outlier_flag, outlier_note, lq_flag, lq_note, window_start, cagr,
        relative_cagr_pp, trajectory, trajectory_reason``. ``rank_uk`` ranks
        places of the level across the UK; ``rank_nation`` within the nation.
    """
    if data is None:
        if wh is None:
            raise ParameterError("trajectory_table() needs a warehouse or data=.")
        data = load_trajectory_data(wh)
    if level not in LEVELS:
        raise ParameterError(f"level must be one of {list(LEVELS)}; got {level!r}.")
    r = load_trajectory_rules(rules)
    groups = level_groups(data, level)
    table = _level_series(data, groups, level)
    nation = {g: (_nation_of(m) if level not in ("uk",) else UK_CODE) for g, m in groups.items()}
    if level == "ctry":
        nation = {g: g for g in groups}
    all_years = data.years
    want = [str(y) for y in years] if years is not None else all_years
    bad = sorted(set(want) - set(all_years))
    if bad:
        raise ParameterError(f"the series {data.source.id} has no year(s) {bad}; it covers "
                             f"{all_years[0]}–{all_years[-1]}.")
    ranks = rank_table(table, groups=nation)
    out = table.merge(ranks[["geo_code", "period", "rank_all", "n_all", "rank_group", "n_group"]],
                      on=["geo_code", "period"], how="left")
    out = out.rename(columns={"rank_all": "rank_uk", "n_all": "n_uk", "rank_group": "rank_nation",
                              "n_group": "n_nation"})
    out.insert(1, "geo_name", out["geo_code"].map(data.names).fillna(out["geo_code"]))
    out.insert(2, "level", level)
    out.insert(3, "nation", out["geo_code"].map(nation))
    out = out.merge(_level_lq(data, table, level), on=["geo_code", "period"], how="left")
    out = out.merge(_level_outliers(data, groups, level), on=["geo_code", "period"], how="left")
    out = out.merge(_level_outliers(data, groups, level, denominator=True), on=["geo_code", "period"], how="left")
    for c in ("outlier_flag", "outlier_note", "lq_flag", "lq_note"):
        out[c] = out[c].fillna("").astype(str)
    out = out[out["period"].isin(want)]
    classes = _classes(data, table, nation, out, want, r)
    out = out.merge(classes, on=["geo_code", "period"], how="left")
    out["trajectory"] = out["trajectory"].fillna("")
    out["trajectory_reason"] = out["trajectory_reason"].fillna("")
    return out.sort_values(["geo_code", "period"]).reset_index(drop=True)


def _level_lq(data: TrajectoryData, table: pd.DataFrame, level: str) -> pd.DataFrame:
    cols = ["geo_code", "period", "lq", "lq_lower", "lq_upper"]
    if data.active.empty:
        return pd.DataFrame(columns=cols)
    creative = data.series.assign(measure="enterprises")
    active = data.active
    if level == "lad":
        res = lq_series(creative, active)
        return res[cols]
    groups = level_groups(data, level)
    num = table[["geo_code", "period", "value"]].assign(dataset=data.source.id, measure="enterprises")
    den = sum_members(active, groups).assign(dataset="+".join(sorted(set(active["dataset"]))),
                                             measure="active_enterprises")
    ref = pd.DataFrame({
        "period": sorted(set(active["period"])),
    })
    ref["creative"] = ref["period"].map(creative.groupby("period")["value"].sum())
    ref["active"] = ref["period"].map(active.groupby("period")["value"].sum())
    res = lq_series(num, den) if level == "uk" else lq_series(num, den, reference=ref)
    return res[cols]


def _level_outliers(data: TrajectoryData, groups: Mapping[str, Sequence[str]], level: str,
                    *, denominator: bool = False) -> pd.DataFrame:
    """Flags of the place's own values (or, with ``denominator``, of its LQ denominator), members named."""
    src = data.denominator_breaks if denominator else data.outliers
    flag_col, note_col = ("lq_flag", "lq_note") if denominator else ("outlier_flag", "outlier_note")
    cols = ["geo_code", "period", flag_col, note_col]
    if src is None or src.empty or not (src["flag"] != "").any():
        return pd.DataFrame(columns=cols)
    f = src[src["flag"] != ""]
    what = "active enterprises (the LQ denominator)" if denominator else "value"
    rows = []
    flagged = set(f["geo_code"])
    for g, members in groups.items():
        for m in sorted(set(members) & flagged):
            for rec in f[f["geo_code"] == m].to_dict("records"):
                label = ("denominator-break" if denominator else rec["flag"])
                who = "" if level == "lad" else f"Includes {data.names.get(m, m)} ({m}), whose "
                text = (f"{who}{what} {'are' if denominator else 'is'} flagged: {rec['note']}" if who
                        else (f"Active enterprises (the LQ denominator) are flagged: {rec['note']} The LQ "
                              "moves with them." if denominator else rec["note"]))
                rows.append({"geo_code": g, "period": rec["period"], flag_col: label, note_col: text})
    if not rows:
        return pd.DataFrame(columns=cols)
    res = pd.DataFrame(rows)
    return res.groupby(["geo_code", "period"], as_index=False).agg(
        **{flag_col: (flag_col, "first"), note_col: (note_col, " ".join)})


def _classes(data: TrajectoryData, table: pd.DataFrame, nation: Mapping[str, str], rows: pd.DataFrame,
             want: Sequence[str], rules: TrajectoryRules) -> pd.DataFrame:
    cols = ["geo_code", "period", "window_start", "cagr", "relative_cagr_pp", "trajectory", "trajectory_reason"]
    wins = [w for w in (_class_window(data.years, y, rules) for y in want) if w is not None]
    if not wins or (set(nation.values()) == {UK_CODE} and len(nation) == 1):
        return pd.DataFrame(columns=cols)  # no window, or the UK itself (the reference)
    wins = [Window(f"class_{w.end}", w.start, w.end) for w in wins]
    ref_series, _ = _reference_tables(data)
    ch = window_changes(table, wins)
    ref_ch = window_changes(ref_series, wins)
    parent = {g: (nation[g] if rules.compare_with == "nation" else UK_CODE) for g in ch["geo_code"].unique()}
    ch["relative_cagr_pp"] = relative_cagr(ch, ref_ch, parent)
    ch["period"] = ch["period_end"]
    # The LQ of the class year, or of the latest earlier year with a denominator (2024 for 2025).
    lq = rows[["geo_code", "period", "lq"]].dropna(subset=["lq"]).assign(lq_period=lambda f: f["period"])
    lq = lq.sort_values("period")
    ch = ch.sort_values("period")
    ch = pd.merge_asof(ch.assign(_y=ch["period"].astype(int)), lq.assign(_y=lq["period"].astype(int))
                       .drop(columns="period"), on="_y", by="geo_code", direction="backward")
    det = TrajectoryClasses(rules=rules_mapping(rules), by=["period"]).fit(ch)
    reason = det.reasons_.where(ch["lq_period"].isna() | (ch["lq_period"] == ch["period"]),
                                det.reasons_ + " (LQ of " + ch["lq_period"].fillna("").astype(str) + ")")
    return pd.DataFrame({
        "geo_code": ch["geo_code"], "period": ch["period"], "window_start": ch["period_start"],
        "cagr": ch["cagr"], "relative_cagr_pp": ch["relative_cagr_pp"],
        "trajectory": det.labels_, "trajectory_reason": reason,
    })


def rules_mapping(rules: TrajectoryRules) -> dict[str, Any]:
    """The rules back as the YAML's mapping (so a loaded rule set can be passed to the classifier)."""
    return {
        "window": {"years": rules.window_years, "min_years": rules.min_window_years,
                   "compare_with": rules.compare_with},
        "precedence": list(rules.precedence),
        "declining": {"max_cagr": rules.declining_max_cagr,
                      "max_relative_cagr_pp": rules.declining_max_relative_pp},
        "established": {"min_lq": rules.established_min_lq,
                        "min_size_quantile": rules.established_min_size_quantile,
                        "without_lq_min_size_quantile": rules.established_without_lq_min_size_quantile},
        "emerging": {"min_relative_cagr_pp": rules.emerging_min_relative_pp,
                     "min_base_quantile": rules.emerging_min_base_quantile},
    }


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


def _level_of(place: Place) -> str:
    t = place.geo_type
    if t in LEVELS:
        return t
    return "custom"


def place_trajectory(
    wh: Any,
    place: Place | str,
    *,
    data: TrajectoryData | None = None,
    rules: str | Path | Mapping[str, Any] | None = None,
) -> PlaceTrajectory:
    """One place's creative-enterprise trajectory with its comparisons, ranks, LQ and flags.

    Parameters
    ----------
    wh : Warehouse
    place : Place or str
        A resolved place (:func:`creative_clusters.workflows.places.resolve` or
        :func:`~creative_clusters.workflows.places.user_group`) or what a user typed.
    data : TrajectoryData, optional
        Reuse data already loaded (e.g. for many places).

    Returns
    -------
    PlaceTrajectory
        For a LAD, CA, region, nation, UK, UTLA, TTWA or user group (``custom``:
        the member sum, ranked among LADs of no level, so without ranks).
    """
    if isinstance(place, str):
        from creative_clusters.workflows.places import resolve

        place = resolve(wh, place)
    data = data or load_trajectory_data(wh)
    rl = load_trajectory_rules(rules)
    level = _level_of(place)
    if level == "custom" or place.geo_type not in LEVELS:
        members = tuple(place.members)
        if not members:
            raise ParameterError(f"{place.name} has no member LADs on {kinds.LAD_VINTAGE} codes, so no trajectory.")
        return _custom_trajectory(data, place, members, rl)
    table = trajectory_table(level=level, data=data, rules=rules)
    mine = table[table["geo_code"] == place.code]
    if mine.empty:
        raise ParameterError(
            f"{place.name} ({place.code}) has no creative-enterprise series at level {level!r}; the series covers "
            f"the {data.series['geo_code'].nunique()} LADs of {kinds.LAD_VINTAGE} and places built from them."
        )
    groups = level_groups(data, level)
    members = groups[place.code]
    nation = str(mine["nation"].iloc[0])
    level_tab = table[["geo_code", "period", "value", "disclosure_flag"]]
    return _assemble(data, place.code, place.name, level, nation, members, mine, level_tab, rl)


def _custom_trajectory(data: TrajectoryData, place: Place, members: tuple[str, ...],
                       rules: TrajectoryRules) -> PlaceTrajectory:
    known = set(data.series["geo_code"])
    missing = sorted(set(members) - known)
    if missing:
        raise ParameterError(f"{place.name}: member(s) {missing[:5]} have no creative-enterprise series on "
                             f"{kinds.LAD_VINTAGE} codes.")
    tab = sum_members(data.series, {place.code: members})
    nation = _nation_of(members)
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
    rows["trajectory_reason"] = "user-defined groups are not classified: the size floors are quantiles of a level"
    if w is not None:
        rows["window_start"] = w.start
    return _assemble(data, place.code, place.name, "custom", nation, members, rows,
                     rows[["geo_code", "period", "value", "disclosure_flag"]], rules)


def _sentence(name: str, w: GrowthWindow, nation_name: str) -> str:
    if w.cagr is None or w.start_value is None or w.end_value is None:
        return f"{name}: no growth figure for {w.label} (a zero or missing start)."
    verb = "grew" if (w.change or 0) > 0 else ("fell" if (w.change or 0) < 0 else "was unchanged")
    pct = f" ({w.change_pct:+.1f}%, {100 * w.cagr:+.1f}% a year)" if w.change_pct is not None else ""
    comp = []
    if w.nation_cagr is not None and nation_name not in ("United Kingdom", name):
        comp.append(f"{nation_name} {100 * w.nation_cagr:+.1f}% a year")
    if w.uk_cagr is not None:
        comp.append(f"the UK {100 * w.uk_cagr:+.1f}% a year")
    tail = f", against {' and '.join(comp)}" if comp else ""
    return (f"Creative enterprises in {name} {verb} from {w.start_value:,.0f} in {w.start} to {w.end_value:,.0f} "
            f"in {w.end}{pct}{tail} ({w.label}).")


def _assemble(data: TrajectoryData, code: str, name: str, level: str, nation: str, members: Sequence[str],
              rows: pd.DataFrame, level_tab: pd.DataFrame, rules: TrajectoryRules) -> PlaceTrajectory:
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
        ))
    _, ref_ch = _reference_tables(data)
    wins = standard_windows(data.years)
    ch = window_changes(level_tab[level_tab["geo_code"] == code], wins)
    by_year = rows.set_index("period")
    refc = ref_ch.set_index(["geo_code", "window"])["cagr"]
    nation_name = data.names.get(nation, nation) if nation != UK_CODE else "United Kingdom"
    outlier_years = {y.period for y in series if "outlier" in y.flags}

    def rank(col: str, year: str) -> int | None:
        return _opt_int(by_year.at[year, col]) if col in by_year.columns and year in by_year.index else None

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
        )
        windows.append(replace(gw, sentence=_sentence(name, gw, nation_name)))
    last = rows[rows["period"] == data.years[-1]]
    traj = str(last["trajectory"].iloc[0]) if len(last) and "trajectory" in last else ""
    reason = str(last["trajectory_reason"].iloc[0]) if len(last) and "trajectory_reason" in last else ""
    lqt = rows[["geo_code", "period", "lq"]].dropna() if "lq" in rows else pd.DataFrame()
    crossings = lq_crossings(lqt) if len(lqt) else pd.DataFrame(
        columns=["period", "direction", "lq_before", "lq_after"])
    notes = [y.note for y in series if y.note]
    if any(y.lq is not None for y in series):
        notes.append(_LQ_CAVEAT)
    if traj:
        notes.append("Trajectory class rules: " + "; ".join(rules.describe()) + ".")
    if level == "ttwa":
        notes.append("TTWA figures are LAD-approximated: each 2023 LAD is counted wholly in the 2011 TTWA "
                     "holding most of its LSOAs.")
    notes.extend(data.notes)
    return PlaceTrajectory(
        code=code, name=name, level=level, nation=nation, nation_name=nation_name, members=tuple(members),
        member_names=tuple(data.names.get(m, m) for m in members), series=tuple(series), windows=tuple(windows),
        trajectory=traj, trajectory_reason=reason, trajectory_year=data.years[-1],
        lq_crossings=tuple((str(r["period"]), str(r["direction"]), float(r["lq_before"]), float(r["lq_after"]))
                           for r in crossings.to_dict("records")),
        source=data.source, denominator_sources=data.active_sources, notes=tuple(notes),
    )
