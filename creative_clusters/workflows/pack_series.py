"""The place's annual-series figures for its evidence pack: its trajectory and its scale outside England.

Both read the creative-enterprise series once per warehouse version and keep
it (and one scale table per level) on the pack's
:class:`~creative_clusters.workflows.pack_data.NationalData`, never in its disk
cache; every number comes from :mod:`creative_clusters.workflows.trajectory`.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from creative_clusters.errors import ParameterError, WarehouseError
from creative_clusters.reporting._model import PlaceInfo
from creative_clusters.workflows.pack_data import NationalData

__all__ = ["pack_series_scale", "pack_trajectory"]


def pack_trajectory(nd: NationalData, place: PlaceInfo) -> tuple[Any, str]:
    """The place's creative-enterprise trajectory as of the pack's year, or None and why.

    The series is read once per warehouse version (kept on ``nd``, never in its
    disk cache: :func:`~creative_clusters.workflows.trajectory.load_trajectory_data`
    caches it per process).
    """
    from creative_clusters.workflows.trajectory import load_trajectory_data, place_trajectory

    if nd.trajectory is None:
        if nd.home is None:
            return None, "the national tables were built without a warehouse"
        from creative_clusters.warehouse import Warehouse

        try:
            with Warehouse(nd.home, read_only=True) as wh:
                nd.trajectory = load_trajectory_data(wh)
        except WarehouseError as exc:
            nd.trajectory = str(exc)  # no series: the reason, the same for every pack of this warehouse
    if isinstance(nd.trajectory, str):
        return None, nd.trajectory
    data = nd.trajectory
    as_of = nd.enterprises_period if nd.enterprises_period in data.years else None
    try:
        return place_trajectory(None, place, data=data, year=as_of), ""
    except ParameterError as exc:
        return None, str(exc)


def pack_series_scale(nd: NationalData, place: PlaceInfo) -> dict[str, Any] | None:
    """The place's row of the annual-series scale table (count, ranks, LQ against the UK and its nation).

    From :func:`~creative_clusters.workflows.trajectory.series_place_table` for the place's level in
    the latest year with a denominator; kept per level on ``nd`` (one table per level for every pack).
    None for a user group, a level the series is not built for, or a warehouse without the series.
    """
    from creative_clusters.workflows.trajectory import DETECTION_LEVELS, series_place_table

    if not hasattr(nd.trajectory, "series") or place.geo_type not in DETECTION_LEVELS:
        return None
    table = nd.series_tables.get(place.geo_type)
    if table is None:
        try:
            table, _meta = series_place_table(None, place.geo_type, data=nd.trajectory)
        except (ParameterError, WarehouseError):
            table = pd.DataFrame()
        nd.series_tables[place.geo_type] = table
    if table.empty:
        return None
    codes = [place.code, *place.members] if place.geo_type == "lad" else [place.code]
    rows = table[table["geo_code"].isin(codes)]
    return rows.iloc[0].to_dict() if len(rows) else None
