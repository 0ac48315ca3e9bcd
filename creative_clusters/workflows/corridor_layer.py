"""Corridors as map polygons: member LADs dissolved per corridor.

Uses the same defaults as ``creative-clusters corridors`` (threshold clusters
above the size floor ``areas.DEFAULT_MIN_SIZE``, joined within 20 km,
corridors of at least 1,000 creative businesses); see ``docs/corridors.md``.
"""

from __future__ import annotations

from typing import Any

from creative_clusters import kinds
from creative_clusters.warehouse import Warehouse
from creative_clusters.workflows._notes import with_notes

__all__ = ["corridor_polygons"]


def corridor_polygons(
    wh: Warehouse, *, min_size: float | str | None = None, max_distance: float = 20_000.0,
    min_corridor: float = 1_000.0,
) -> Any:
    """GeoDataFrame (EPSG:4326): one dissolved polygon per corridor with its summary."""
    import geopandas as gpd

    from creative_clusters.workflows.detection import DEFAULT_MIN_SIZE, find_corridors, place_table, run_method

    if min_size is None:
        min_size = DEFAULT_MIN_SIZE

    # islands and other data notes are reported by the `corridors` command; the layer is the geometry
    (table, meta), _notes = with_notes(place_table, wh, level="lad")
    (res, _), _notes = with_notes(run_method, wh, table, meta, method="threshold", min_size=min_size)
    (places, det), _notes = with_notes(find_corridors, res, mass="businesses", max_distance=max_distance,
                                       min_size=min_corridor)
    lads = wh.read_geometry(f"lad_{kinds.LAD_VINTAGE}")[["geo_code", "geometry"]]
    members = places.loc[places["corridor"] >= 0, ["geo_code", "corridor"]]
    shapes = lads.merge(members, on="geo_code").dissolve(by="corridor", as_index=False)
    summary = det.corridors_.drop(columns=["members"], errors="ignore")
    key = "corridor" if "corridor" in summary.columns else summary.columns[0]
    out = shapes[["corridor", "geometry"]].merge(summary, left_on="corridor", right_on=key, how="left")
    for col in out.columns:
        if col != "geometry" and out[col].dtype == object:
            out[col] = out[col].astype(str)
    return gpd.GeoDataFrame(out, geometry="geometry", crs=lads.crs)
