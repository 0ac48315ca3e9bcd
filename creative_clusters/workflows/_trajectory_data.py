"""Trajectory data read once from the warehouse, and the member LADs of every level (private).

Public names are re-exported by :mod:`creative_clusters.workflows.trajectory`.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any, TypeVar

import pandas as pd

from creative_clusters import kinds
from creative_clusters.errors import ParameterError, WarehouseError
from creative_clusters.geography.lookups import harmonise_codes
from creative_clusters.indicators.outliers import outlier_flags
from creative_clusters.indicators.trajectory import (
    sum_members,
    window_changes,
)
from creative_clusters.results import DatasetRef
from creative_clusters.sources.business_counts_timeseries import fill_caveats
from creative_clusters.warehouse import Warehouse
from creative_clusters.workflows.periods import sic_snapshots

__all__ = ["LEVELS", "NATIONS", "UK_CODE", "TrajectoryData", "level_groups", "load_trajectory_data"]

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
        :func:`~creative_clusters.indicators.outliers.outlier_flags` of the LAD series.
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



# ---------------------------------------------------------------- loading
def _active_enterprises(wh: Warehouse, lads: set[str]) -> tuple[pd.DataFrame, tuple[DatasetRef, ...], list[str]]:
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


#: One TrajectoryData per (warehouse content version and home, vintage): data are small and read-only.
_CACHE: dict[tuple[str, str], TrajectoryData] = {}


def load_trajectory_data(wh: Warehouse, *, vintage: str | None = None) -> TrajectoryData:
    """Read the series (latest of its kind, or ``vintage``), denominators and geography once.

    Cached per warehouse content (:meth:`~creative_clusters.warehouse.Warehouse.version`),
    so a re-import is seen at once.

    Raises
    ------
    WarehouseError
        When no creative-enterprise series is imported (the message says how to import it).
    """
    key = (wh.version() + str(wh.home), str(vintage))
    if key not in _CACHE:
        if len(_CACHE) > 8:
            _CACHE.clear()
        _CACHE[key] = _load(wh, vintage)
    return _CACHE[key]


def _load(wh: Warehouse, vintage: str | None) -> TrajectoryData:
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
    # the caveats name the years and the snapshots by SIC class this warehouse holds, not the bundle's
    ref = replace(ref, caveats=fill_caveats(ref.caveats, years=sorted(set(series["period"])),
                                             snapshots=sic_snapshots(wh)))
    lads = set(series["geo_code"])
    from creative_clusters.workflows.business_counts import current_hierarchy

    # combined authorities as they are now, on the data's LAD codes (not the abolished ones of its vintage)
    h = current_hierarchy(wh, vintage=kinds.LAD_VINTAGE)
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
        from creative_clusters.geography.membership import lad_ttwa_assignment

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
R = TypeVar("R")


def memo_on(store: dict[Any, tuple[Any, Any]], data: Any, key: Any, compute: Callable[[], R],
            limit: int = 64) -> R:
    """``compute()`` once per ``data`` object: kept in ``store`` under ``key`` (which starts with
    ``id(data)``) and reused while that very object lives (identity checked, so a reused id never
    serves another object's result); the store is emptied past ``limit`` entries."""
    hit = store.get(key)
    if hit is None or hit[0] is not data:
        if len(store) > limit:
            store.clear()
        hit = (data, compute())
        store[key] = hit
    return hit[1]


_GROUPS: dict[tuple[int, str], tuple[TrajectoryData, dict[str, tuple[str, ...]]]] = {}


def level_groups(data: TrajectoryData, level: str) -> dict[str, tuple[str, ...]]:
    """Member LADs (2023) of every place of ``level`` (cached per data object); see :func:`_level_groups`."""
    return memo_on(_GROUPS, data, (id(data), level), lambda: _level_groups(data, level))


def _by_parent(parents: Any, lads: Any) -> dict[str, tuple[str, ...]]:
    out: dict[str, list[str]] = {}
    for p, lad in zip(parents, lads, strict=True):
        out.setdefault(str(p), []).append(str(lad))
    return {p: tuple(sorted(m)) for p, m in out.items()}


def _level_groups(data: TrajectoryData, level: str) -> dict[str, tuple[str, ...]]:
    """Member LADs (2023) of every place of ``level``.

    ``lad``: each LAD itself; ``utla``, ``cauth``, ``rgn``, ``ctry``: the 2023
    hierarchy (LADs outside every CA are in no ``cauth``); ``uk``: all LADs;
    ``ttwa``: each LAD wholly in the 2011 TTWA holding most of its LSOAs
    (:func:`creative_clusters.geography.membership.lad_ttwa_assignment`).
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
        return _by_parent(a["ttwa11_code"].to_numpy(), a["lad_code"].to_numpy())
    col = {"utla": "utla_code", "cauth": "cauth_code", "rgn": "rgn_code", "ctry": "ctry_code"}.get(level)
    if col is None:
        raise ParameterError(f"level must be one of {list(LEVELS)}; got {level!r}.")
    h = data.hierarchy[data.hierarchy["lad_code"].astype(str).isin(lads)]
    h = h[h[col].fillna("").astype(str) != ""]
    return _by_parent(h[col].to_numpy(), h["lad_code"].to_numpy())


def _nation_of(members: Sequence[str]) -> str:
    """The nation most of the members are in (a cross-border TTWA goes with its majority)."""
    letters = Counter(m[0] for m in members).most_common(1)
    return NATIONS[letters[0][0]][0] if letters else UK_CODE


def _level_series(data: TrajectoryData, groups: Mapping[str, Sequence[str]], level: str) -> pd.DataFrame:
    if level == "lad":
        return data.series[["geo_code", "period", "value", "disclosure_flag"]].assign(n_members=1)
    return sum_members(data.series, groups)


_REFS: dict[int, tuple[TrajectoryData, tuple[pd.DataFrame, pd.DataFrame]]] = {}


def _reference_tables(data: TrajectoryData) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Nation and UK series and their standard-window changes (computed once per ``data``).

    The same data serve every place of a batch, so the sums over all LADs are
    kept for as long as ``data`` lives (keyed by identity, checked on use);
    callers must not modify the returned tables.
    """
    return memo_on(_REFS, data, id(data), lambda: _compute_reference_tables(data), limit=8)


def _compute_reference_tables(data: TrajectoryData) -> tuple[pd.DataFrame, pd.DataFrame]:
    nat: dict[str, list[str]] = {}
    for c in data.series["geo_code"].unique():
        nat.setdefault(NATIONS[c[0]][0], []).append(c)
    nat[UK_CODE] = sorted(data.series["geo_code"].unique())
    ref = sum_members(data.series, nat)
    return ref, window_changes(ref)


