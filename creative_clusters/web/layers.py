"""Map layers as the browser needs them: simplified boundaries per zoom, label points, firm points by view.

Only geometry is handled here (simplification, reprojection, rounding of
coordinates, bounding-box selection); no statistic is computed. Attribute
values come from the warehouse as stored.

Examples
--------
>>> parse_bbox("-1.6,53.3,-1.3,53.5")
(-1.6, 53.3, -1.3, 53.5)
>>> parse_bbox("1,2,3")  # doctest: +ELLIPSIS
Traceback (most recent call last):
...
creative_clusters.errors.ParameterError: bbox must be four numbers west,south,east,north in degrees ...
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from creative_clusters.errors import ParameterError

__all__ = ["DETAIL", "FirmPoints", "boundaries_geojson", "labels", "overlay_geojson", "parse_bbox"]

#: Simplification tolerance (degrees) and coordinate grid (degrees) per level of detail.
#: ``low`` is for the national view (zoom < 8), ``high`` for closer zooms.
DETAIL = {"low": (0.004, 1e-4), "high": (0.0004, 1e-5)}

#: Most firm points one bounding-box request returns (the view at zoom >= 8 holds far fewer).
MAX_FIRMS = 20_000


def _to_json(gdf: Any, grid: float) -> bytes:
    import shapely

    gdf = gdf.to_crs(4326) if gdf.crs is not None and not gdf.crs.equals("EPSG:4326") else gdf
    gdf = gdf.copy()
    gdf["geometry"] = shapely.set_precision(gdf.geometry.values, grid)
    gdf = gdf[~gdf.geometry.is_empty]
    return gdf.to_json(drop_id=True).encode()


def boundaries_geojson(gdf: Any, detail: str) -> bytes:
    """GeoJSON of ``geo_code``/``geo_name`` polygons simplified for ``detail`` (``low`` or ``high``)."""
    if detail not in DETAIL:
        raise ParameterError(f"detail must be one of {list(DETAIL)}, got {detail!r}")
    tol, grid = DETAIL[detail]
    gdf = gdf[["geo_code", "geo_name", "geometry"]].to_crs(4326)
    gdf["geometry"] = gdf.geometry.simplify(tol, preserve_topology=True)
    return _to_json(gdf, grid)


def labels(gdf: Any) -> list[dict[str, Any]]:
    """One label point per place (a point inside the polygon) with the polygon's area for label priority."""
    metric = gdf.to_crs(27700)
    pts = gdf.to_crs(4326).geometry.representative_point()
    out = []
    for code, name, p, area in zip(gdf["geo_code"], gdf["geo_name"], pts, metric.geometry.area, strict=True):
        out.append({"code": str(code), "name": str(name), "lon": round(p.x, 4), "lat": round(p.y, 4),
                    "area_km2": round(float(area) / 1e6, 1)})
    return sorted(out, key=lambda r: -r["area_km2"])


def overlay_geojson(gdf: Any, *, tolerance: float = 0.0) -> bytes:
    """An overlay layer (microclusters, corridors) as WGS84 GeoJSON, all attributes kept."""
    gdf = gdf.to_crs(4326)
    if tolerance:
        gdf["geometry"] = gdf.geometry.simplify(tolerance, preserve_topology=True)
    for col in gdf.columns:
        if col != "geometry" and gdf[col].dtype == object:
            gdf[col] = gdf[col].astype(str)
    return _to_json(gdf, 1e-5)


def parse_bbox(text: str) -> tuple[float, float, float, float]:
    """``west,south,east,north`` in degrees, checked."""
    msg = ("bbox must be four numbers west,south,east,north in degrees (WGS84), e.g. -1.6,53.3,-1.3,53.5")
    parts = text.split(",")
    if len(parts) != 4:
        raise ParameterError(msg)
    try:
        w, s, e, n = (float(p) for p in parts)
    except ValueError:
        raise ParameterError(msg) from None
    if not all(math.isfinite(v) for v in (w, s, e, n)) or not (-180 <= w <= e <= 180 and -90 <= s <= n <= 90):
        raise ParameterError(msg)
    return w, s, e, n


def _firm_feature(lon: float, lat: float, cluster: str, subsector: str) -> bytes:
    """One firm as a compact GeoJSON Feature."""
    return json.dumps({"type": "Feature", "geometry": {"type": "Point", "coordinates": [lon, lat]},
                       "properties": {"microcluster_id": cluster, "subsector": subsector}},
                      separators=(",", ":"), ensure_ascii=False).encode()


@dataclass
class FirmPoints:
    """Clustered firm locations in WGS84 for bounding-box queries (built once per warehouse version).

    Each firm's GeoJSON Feature is encoded once, when the points are built, so
    a view's answer is a selection and a join of bytes, not a JSON encoding.

    Examples
    --------
    >>> pts = FirmPoints(np.array([-1.5, 0.5]), np.array([53.4, 51.5]), np.array(["mc1", "mc2"]),
    ...                  np.array(["Music", "IT"]))
    >>> pts.count((-2, 53, -1, 54))
    1
    >>> pts.in_bbox((-2, 53, -1, 54)).decode()[:80]
    '{"type":"FeatureCollection","features":[{"type":"Feature","geometry":{"type":"Po'
    """

    lon: np.ndarray
    lat: np.ndarray
    cluster: np.ndarray
    subsector: np.ndarray
    features: np.ndarray = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self.features = np.empty(len(self.lon), dtype=object)
        self.features[:] = [_firm_feature(float(x), float(y), str(c), str(s)) for x, y, c, s
                            in zip(self.lon, self.lat, self.cluster, self.subsector, strict=True)]

    @classmethod
    def from_table(cls, table: Any) -> FirmPoints:
        """From the warehouse's ``microcluster_firms`` table (easting/northing in EPSG:27700)."""
        import pyproj

        t = table[table["microcluster_id"].notna() & (table["microcluster_id"].astype(str) != "")]
        t = t[np.isfinite(t["easting"].astype(float)) & np.isfinite(t["northing"].astype(float))]
        tr = pyproj.Transformer.from_crs(27700, 4326, always_xy=True)
        lon, lat = tr.transform(t["easting"].to_numpy(float), t["northing"].to_numpy(float))
        return cls(np.round(lon, 5), np.round(lat, 5), t["microcluster_id"].astype(str).to_numpy(),
                   t["subsector"].astype(str).to_numpy())

    @classmethod
    def empty(cls) -> FirmPoints:
        """No firms (no microclusters loaded)."""
        z = np.zeros(0)
        return cls(z, z, np.zeros(0, dtype=object), np.zeros(0, dtype=object))

    def __len__(self) -> int:
        return len(self.lon)

    def _inside(self, bbox: tuple[float, float, float, float]) -> np.ndarray:
        w, s, e, n = bbox
        return np.flatnonzero((self.lon >= w) & (self.lon <= e) & (self.lat >= s) & (self.lat <= n))

    def count(self, bbox: tuple[float, float, float, float]) -> int:
        """How many firms lie inside ``bbox`` (a vectorised test, no encoding)."""
        return len(self._inside(bbox))

    def in_bbox(self, bbox: tuple[float, float, float, float]) -> bytes:
        """A GeoJSON FeatureCollection (bytes) of the firms inside ``bbox`` (at most :data:`MAX_FIRMS`)."""
        idx = self._inside(bbox)
        truncated = len(idx) > MAX_FIRMS
        feats = b",".join(self.features[idx[:MAX_FIRMS]].tolist())
        return (b'{"type":"FeatureCollection","features":[' + feats + b'],"truncated":'
                + (b"true" if truncated else b"false") + b',"total":' + str(len(self)).encode() + b"}")
