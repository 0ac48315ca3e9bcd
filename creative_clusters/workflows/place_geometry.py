"""Boundaries, centroids and spatial weights of the places the detectors work on.

- :data:`GEOMETRY_LAYERS`: the boundary layer of each business-count level;
- :func:`lad_geometry`, :func:`level_geometry`: polygons from the warehouse;
- :func:`place_centroids`: centroids in British National Grid metres;
- :func:`build_connectivity`, :func:`knn_from_xy`: spatial weights (libpysal).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from creative_clusters import kinds
from creative_clusters.errors import ParameterError, WarehouseError
from creative_clusters.geography.boundaries import contiguity, count_layer

if TYPE_CHECKING:
    from creative_clusters.warehouse import Warehouse

__all__ = [
    "GEOMETRY_LAYERS",
    "build_connectivity",
    "knn_from_xy",
    "lad_geometry",
    "layer_name",
    "level_geometry",
    "place_centroids",
]


#: Boundary layer of each business-count level (LAD boundaries on the data's LAD vintage). Combined
#: authorities are drawn as they are now: :func:`layer_name` picks the newest ``cauth_YYYY`` layer.
GEOMETRY_LAYERS = {level: count_layer(level, ()) for level in ("lad", "cauth", "rgn", "ttwa")}


def layer_name(wh: Warehouse, level: str) -> str:
    """The geometry layer of ``level``: :data:`GEOMETRY_LAYERS`, but for ``cauth`` the newest
    ``cauth_YYYY`` layer in the warehouse (the authorities in force, as the counts are summed by
    :func:`creative_clusters.geography.membership.current_cauth`)."""
    if level not in GEOMETRY_LAYERS:
        raise ParameterError(f"no boundaries for level {level!r}; levels with boundaries: {list(GEOMETRY_LAYERS)}.")
    return count_layer(level, wh.geometry_layers() if level == "cauth" else ())


def lad_geometry(wh: Warehouse, *, vintage: str = kinds.LAD_VINTAGE) -> Any:
    """LAD polygons (GeoDataFrame, EPSG:4326) of one boundary vintage."""
    return wh.read_geometry(f"lad_{vintage}")


def level_geometry(wh: Warehouse, level: str) -> Any:
    """Polygons of a business-count level (``lad`` on the data's vintage, ``cauth`` as now, ``rgn``, ``ttwa``)."""
    return wh.read_geometry(layer_name(wh, level))


def place_centroids(wh: Warehouse, *, level: str = "lad", vintage: str = kinds.LAD_VINTAGE,
                    geometry: Any = None) -> pd.DataFrame:
    """``geo_code``, ``x``, ``y``: centroids in British National Grid metres.

    Taken from the boundary polygons (projected to EPSG:27700; pass ``geometry``
    if it is already read) so the codes match
    the boundary vintage; LADs missing there fall back to the ``lad_centroids``
    reference table (LAD 2022 centroids).
    """
    frames = []
    try:
        if geometry is not None:
            g = geometry
        else:
            g = wh.read_geometry(f"lad_{vintage}" if level == "lad" else layer_name(wh, level)
                                 if level == "cauth" else level)
        pts = g.to_crs(27700).geometry.representative_point()
        frames.append(pd.DataFrame({"geo_code": g["geo_code"].astype(str).to_numpy(),
                                    "x": pts.x.to_numpy(), "y": pts.y.to_numpy()}))
    except WarehouseError:
        pass
    if level == "lad" and wh.has_table("lad_centroids"):
        t = wh.table("lad_centroids")
        cols = {c.lower(): c for c in t.columns}
        code = cols.get("lad22_code") or cols.get("lad22cd") or cols.get("geo_code")
        e = cols.get("bng_e") or cols.get("x")
        n = cols.get("bng_n") or cols.get("y")
        if code and e and n:
            frames.append(pd.DataFrame({"geo_code": t[code].astype(str), "x": t[e].astype(float),
                                        "y": t[n].astype(float)}))
    if not frames:
        raise WarehouseError(
            f"no centroids for {level!r}: import the geography datasets "
            "(`creative-clusters data import DIR`)."
        )
    return pd.concat(frames, ignore_index=True).drop_duplicates("geo_code").reset_index(drop=True)


def build_connectivity(gdf: Any, *, kind: str = "queen", k: int = 6, ids: str = "geo_code") -> Any:
    """Spatial weights (a libpysal ``W``) on ``gdf`` ids: ``"queen"`` or ``"knn"`` (k nearest centroids).

    ``"queen"`` is :func:`~creative_clusters.geography.boundaries.contiguity`, the one contiguity rule
    the evidence pack's neighbours and the corridors' ``--touching`` use too: queen contiguity made
    robust to the simplified boundaries' gaps (areas within
    :data:`~creative_clusters.geography.boundaries.CONTIGUITY_TOLERANCE_M`, 1 km, border each other),
    so Dumfries and Galloway has its five land neighbours and Orkney stays an island.
    """
    import warnings

    from libpysal import weights

    if kind == "queen":
        # islands are reported by the detectors (HotspotClusters.islands_), not warned here
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return contiguity(gdf, ids=ids).to_W()
    if kind == "knn":
        pts = gdf.to_crs(27700).geometry.representative_point() if gdf.crs else gdf.geometry
        coords = np.column_stack([pts.x.to_numpy(), pts.y.to_numpy()])
        return weights.KNN(coords, k=k, ids=gdf[ids].astype(str).tolist())
    raise ParameterError(f"weights kind must be 'queen' or 'knn'. Got {kind!r} instead.")


def knn_from_xy(table: pd.DataFrame, *, k: int = 6, geo: str = "geo_code") -> Any:
    """kNN weights from ``x``/``y`` columns (no polygons needed, e.g. for NUTS2)."""
    from libpysal import weights

    ok = table[["x", "y"]].notna().all(axis=1)
    return weights.KNN(table.loc[ok, ["x", "y"]].to_numpy(dtype=float), k=k,
                       ids=table.loc[ok, geo].astype(str).tolist())
