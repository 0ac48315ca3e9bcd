"""The place's annual-series figures for its evidence pack: its trajectory and its scale outside England.

Both read the creative-enterprise series once per warehouse version and keep
it (and one scale table per level) on the pack's
:class:`~creative_clusters.workflows.pack_data.NationalData` and on disk beside
its national tables (:mod:`creative_clusters.workflows._series_cache`), so a
new process reads them instead of recomputing them; every number comes from
:mod:`creative_clusters.workflows.trajectory`.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from creative_clusters.errors import ParameterError, WarehouseError
from creative_clusters.reporting._model import PlaceInfo
from creative_clusters.workflows import _series_cache
from creative_clusters.workflows.pack_data import NationalData

__all__ = ["NationTables", "load_series", "nation_benchmark_tables", "pack_series_lads", "pack_series_scale",
           "pack_trajectory"]


def pack_trajectory(nd: NationalData, place: PlaceInfo) -> tuple[Any, str]:
    """The place's creative-enterprise trajectory as of the series' latest year (or ``--year``), or None and why.

    The series is read once per warehouse version (kept on ``nd`` and in the
    series disk cache, with the table of the place's level).
    """
    from creative_clusters.workflows._trajectory_table import has_table, remember_table, trajectory_table
    from creative_clusters.workflows.trajectory import LEVELS, place_trajectory, until

    why = load_series(nd)
    if why:
        return None, why
    data = nd.trajectory
    # the latest year of the series (what the profile, web and clusters show), or the year asked for
    as_of = nd.requested_year if nd.requested_year in data.years else None
    level = place.geo_type
    if level in LEVELS and until(data, as_of) is data and not has_table(data, level):
        table = _series_cache.load_table(nd, f"trajectory-{level}")
        if table is None:
            with contextlib.suppress(ParameterError, WarehouseError):  # place_trajectory says why
                _series_cache.save_table(nd, f"trajectory-{level}", trajectory_table(level=level, data=data))
        else:
            remember_table(data, level, table)
    try:
        return place_trajectory(None, place, data=data, year=as_of), ""
    except ParameterError as exc:
        return None, str(exc)


def load_series(nd: NationalData) -> str:
    """Read the annual series onto ``nd.trajectory`` once (from the series cache, else the warehouse).

    Returns "" when it is there, else why not (kept on ``nd`` as the reason, the same for every pack of
    this warehouse).
    """
    from creative_clusters.workflows.trajectory import load_trajectory_data

    if nd.trajectory is None:
        if nd.home is None:
            return "the national tables were built without a warehouse"
        nd.trajectory = _series_cache.load_data(nd)
    if nd.trajectory is None:
        from creative_clusters.warehouse import Warehouse

        try:
            with Warehouse(nd.home, read_only=True) as wh:
                nd.trajectory = load_trajectory_data(wh)
            _series_cache.save_data(nd, nd.trajectory)
        except WarehouseError as exc:
            nd.trajectory = str(exc)  # no series: the reason, the same for every pack of this warehouse
    return nd.trajectory if isinstance(nd.trajectory, str) else ""


def nation_benchmark_tables(nd: NationalData, place: PlaceInfo) -> NationTables | None:
    """The indicator tables a LAD outside England is ranked on: its nation's and the UK's.

    From the national tables' framework values (:func:`~creative_clusters.benchmarking.nations.nation_rows`,
    :func:`~creative_clusters.benchmarking.nations.uk_table`), with each indicator the framework reads from
    the UK-wide annual series outside England (``uk_series``) taken from the series' scale table for every
    LAD of both tables (:func:`~creative_clusters.benchmarking.nations.with_series`): the figures of the
    pack's sections 2 and 3 (:func:`pack_series_scale`). Without the series those indicators keep their
    own source, which does not reach the place's nation (their notes say why). A group of LADs of one nation
    outside England (a user's group, a Welsh TTWA) gets its nation's and the UK's tables without its own row;
    a group across nations (Bristol, Cardiff and Newport) gets the tables of the LADs of the nations it spans
    and the UK's. None for a place in England. The pack's section 4 and the ``benchmark`` command (CLI,
    web) read it.
    """
    from creative_clusters.benchmarking.nations import nation_rows, series_notes, uk_table, with_series

    letters = {str(m)[:1] for m in place.members}
    uk = uk_table(nd.indicators, nd.nation_indicators)
    if place.is_single:
        nation = nation_rows(nd.nation_indicators, place.code)
    elif place.geo_type not in ("ctry", "rgn", "uk") and len(letters) == 1 and letters != {"E"}:
        # a group of LADs of one nation outside England (a user's group, a TTWA, a NUTS2 area such as East
        # Wales): ranked among that nation's LADs (its own row is
        # added by the caller, :func:`creative_clusters.workflows.evidence.gather_inputs`)
        nation = nation_rows(nd.nation_indicators, str(place.members[0]))
    elif place.geo_type not in ("ctry", "rgn", "uk") and len(letters) > 1 and uk is not None:
        # a group across nations: ranked among the LADs of the nations it spans (England and Wales, say), on
        # what their data reach; England's own base would read its English members only
        nation = uk[uk.index.str[:1].isin(letters)]
    else:
        nation = None
    if nation is None or (not place.is_single and not set(place.members) <= set(nation.index)):
        return None
    notes: dict[str, str] = {}
    fw = nd.framework
    if any(i.uk_series for i in fw.indicators) and not load_series(nd):
        lads = pack_series_lads(nd)
        if lads is not None and len(lads):
            nation, uk = with_series(nation, lads, fw), with_series(uk, lads, fw)
            lq_year = str(lads["period"].iloc[0])
            notes = series_notes(fw, {"businesses": lq_year, "business_lq_uk": lq_year,
                                      "latest": str(lads["latest_period"].iloc[0])})
    return NationTables(nation=nation, uk=uk, notes=notes)


@dataclass(frozen=True)
class NationTables:
    """What :func:`nation_benchmark_tables` returns: the nation's and the UK's indicator tables, and notes.

    ``notes`` maps an indicator read from the annual series to where its values come from (and their year).
    """

    nation: pd.DataFrame
    uk: pd.DataFrame | None
    notes: dict[str, str] = field(default_factory=dict)
    #: For a group's row: indicator id -> how its value was obtained (summed, weighted, recomputed).
    how: dict[str, str] = field(default_factory=dict)


def pack_series_scale(nd: NationalData, place: PlaceInfo) -> dict[str, Any] | None:
    """The place's row of the annual-series scale table (count, ranks, LQ against the UK and its nation).

    From :func:`~creative_clusters.workflows.trajectory.series_place_table` for the place's level in
    the latest year with a denominator; kept per level on ``nd`` (one table per level for every pack).
    A nation's row has its LQ against the UK only. A user's group of LADs, or an area of LADs the table is not
    built for (a NUTS2 area), that the counts by SIC class do not cover gets its own row
    (:func:`~creative_clusters.workflows._series_places.series_group_row`: no ranks).
    None for a user's group in England, a level the series is not built for, or a warehouse without the
    series.
    """
    from creative_clusters.workflows._series_places import SCALE_LEVELS, series_group_row

    if not hasattr(nd.trajectory, "series"):
        return None
    if place.geo_type == "custom" or (place.geo_type not in (*SCALE_LEVELS, "uk") and len(place.members) > 1):
        covered = nd.enterprises is not None and all(m in nd.enterprises.index for m in place.members)
        # a user's group or an area of LADs (a NUTS2 area: East Wales) the counts by SIC class do not cover:
        # its row from the series (England's keep their LQs from the counts by SIC class)
        return None if covered else series_group_row(nd.trajectory, place.code, list(place.members))
    if place.geo_type not in SCALE_LEVELS:  # the UK: the sum of its nations, with no LQ against itself
        return None
    table = _series_table(nd, place.geo_type)
    if table.empty:
        return None
    codes = [place.code, *place.members] if place.geo_type == "lad" else [place.code]
    rows = table[table["geo_code"].isin(codes)]
    return rows.iloc[0].to_dict() if len(rows) else None


def _series_table(nd: NationalData, level: str) -> pd.DataFrame:
    """The annual-series scale table of ``level`` (empty when it cannot be built), kept on ``nd`` and on disk."""
    from creative_clusters.workflows.trajectory import series_place_table

    table = nd.series_tables.get(level)
    if table is None:
        table = _series_cache.load_table(nd, f"series-{level}")
    if table is None:
        try:
            table, _meta = series_place_table(None, level, data=nd.trajectory)
            _series_cache.save_table(nd, f"series-{level}", table)
        except (ParameterError, WarehouseError):
            table = pd.DataFrame()
    nd.series_tables[level] = table
    return table


def pack_series_lads(nd: NationalData) -> pd.DataFrame | None:
    """Every LAD's creative enterprises and business LQ against the UK from the annual series, in its latest
    year with a denominator (columns ``businesses``, ``business_lq_uk``, ``period``; index ``geo_code``):
    what the neighbour map and table show for places outside England's counts by SIC class. Also each
    LAD's count in the series' latest year (``latest``, ``latest_period``): what an English place's
    neighbour table shows for a neighbour beyond England's counts (Scottish Borders beside the North East).
    None without the series."""
    if not hasattr(nd.trajectory, "series"):
        return None
    t = _series_table(nd, "lad")
    if t.empty or "business_lq_uk" not in t.columns:
        return None
    out = t.set_index(t["geo_code"].astype(str))[["businesses", "business_lq_uk", "period"]]
    out.index.name = "geo_code"
    series = nd.trajectory.series
    last = str(series["period"].max())
    rows = series[series["period"].astype(str) == last]
    latest = pd.Series(rows["value"].to_numpy(float), index=rows["geo_code"].astype(str).to_numpy())
    return out.assign(latest=latest.reindex(out.index), latest_period=last)
