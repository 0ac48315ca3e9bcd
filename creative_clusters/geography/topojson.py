"""A small TopoJSON decoder: topology dict → shapely geometries.

Implements the TopoJSON 1.0 specification (https://github.com/topojson/topojson-specification):

- **quantised** topologies carry a ``transform`` (``scale``, ``translate``);
  arc positions are then **delta-encoded** integers (each position is the
  difference from the previous one) and are decoded as
  ``x = cumsum(dx) * scale_x + translate_x``;
- a geometry's ``arcs`` refers to the shared arcs by index; a **negative
  index** ``~i`` (``-i - 1``) means arc ``i`` traversed in reverse;
- consecutive arcs of one line or ring share their end/start position, which
  is kept once;
- ``Point``/``MultiPoint`` coordinates are quantised but not delta-encoded.

Pure functions: the only input is the parsed JSON dictionary.

Examples
--------
>>> topo = {"type": "Topology",
...         "transform": {"scale": [1, 1], "translate": [0, 0]},
...         "arcs": [[[0, 0], [1, 0], [0, 1], [-1, 0], [0, -1]]],
...         "objects": {"sq": {"type": "GeometryCollection", "geometries": [
...             {"type": "Polygon", "arcs": [[0]], "properties": {"areacd": "X"}}]}}}
>>> rows = decode_layer(topo, "sq")
>>> rows[0][0]["areacd"], rows[0][1].area
('X', 1.0)
"""

from __future__ import annotations

from typing import Any

import numpy as np
import shapely
from shapely.geometry.base import BaseGeometry

__all__ = ["decode_arcs", "decode_geometry", "decode_layer", "layer_names"]


def layer_names(topology: dict[str, Any]) -> list[str]:
    """Names of the objects (layers) of a topology."""
    _check_topology(topology)
    return list(topology["objects"])


def _check_topology(topology: dict[str, Any]) -> None:
    if not isinstance(topology, dict) or topology.get("type") != "Topology":
        got = topology.get("type") if isinstance(topology, dict) else type(topology).__name__
        raise ValueError(f"expected a TopoJSON object with type 'Topology', got {got!r}")
    if "objects" not in topology or "arcs" not in topology:
        raise ValueError("a TopoJSON topology needs 'objects' and 'arcs' members")


def _transform(topology: dict[str, Any]) -> tuple[np.ndarray, np.ndarray] | None:
    tr = topology.get("transform")
    if not tr:
        return None
    return np.asarray(tr["scale"], dtype="float64"), np.asarray(tr["translate"], dtype="float64")


def decode_arcs(topology: dict[str, Any]) -> list[np.ndarray]:
    """Absolute coordinates of every arc, as ``(n, 2)`` float arrays.

    Quantised arcs are delta-decoded and scaled; extra position members
    (beyond x, y) are ignored.

    Examples
    --------
    >>> t = {"type": "Topology", "transform": {"scale": [0.5, 2], "translate": [10, 20]},
    ...      "arcs": [[[2, 1], [2, 0], [0, 1]]], "objects": {}}
    >>> decode_arcs(t)[0].tolist()
    [[11.0, 22.0], [12.0, 22.0], [12.0, 24.0]]
    """
    _check_topology(topology)
    tr = _transform(topology)
    out = []
    for i, arc in enumerate(topology["arcs"]):
        a = np.asarray([p[:2] for p in arc], dtype="float64").reshape(-1, 2)
        if a.shape[0] < 2:
            raise ValueError(f"arc {i} has {a.shape[0]} position(s); an arc needs at least two")
        if tr is not None:
            a = np.cumsum(a, axis=0) * tr[0] + tr[1]
        out.append(a)
    return out


def _line(indices: list[int], arcs: list[np.ndarray]) -> np.ndarray:
    parts = []
    for k, idx in enumerate(indices):
        if idx >= len(arcs) or ~idx >= len(arcs):
            raise ValueError(f"arc index {idx} out of range (the topology has {len(arcs)} arcs)")
        a = arcs[idx] if idx >= 0 else arcs[~idx][::-1]
        parts.append(a if k == 0 else a[1:])
    return np.concatenate(parts, axis=0)


def _ring(indices: list[int], arcs: list[np.ndarray]) -> np.ndarray:
    ring = _line(indices, arcs)
    if not np.array_equal(ring[0], ring[-1]):
        ring = np.vstack([ring, ring[:1]])
    return ring


def _point(pos: list[float], tr: tuple[np.ndarray, np.ndarray] | None) -> np.ndarray:
    p = np.asarray(pos[:2], dtype="float64")
    return p * tr[0] + tr[1] if tr is not None else p


def decode_geometry(
    obj: dict[str, Any],
    arcs: list[np.ndarray],
    transform: tuple[np.ndarray, np.ndarray] | None = None,
) -> BaseGeometry | None:
    """Decode one TopoJSON geometry object into a shapely geometry.

    ``arcs`` are the decoded arcs from :func:`decode_arcs`. A ``null`` type
    (or missing type) gives ``None``.
    """
    kind = obj.get("type")
    if kind is None:
        return None
    if kind == "Point":
        return shapely.Point(_point(obj["coordinates"], transform))
    if kind == "MultiPoint":
        return shapely.MultiPoint([_point(p, transform) for p in obj["coordinates"]])
    if kind == "LineString":
        return shapely.LineString(_line(obj["arcs"], arcs))
    if kind == "MultiLineString":
        return shapely.MultiLineString([_line(a, arcs) for a in obj["arcs"]])
    if kind == "Polygon":
        rings = [_ring(r, arcs) for r in obj["arcs"]]
        return shapely.Polygon(rings[0], rings[1:]) if rings else shapely.Polygon()
    if kind == "MultiPolygon":
        polys = []
        for poly in obj["arcs"]:
            rings = [_ring(r, arcs) for r in poly]
            if rings:
                polys.append(shapely.Polygon(rings[0], rings[1:]))
        return shapely.MultiPolygon(polys)
    if kind == "GeometryCollection":
        parts = [decode_geometry(g, arcs, transform) for g in obj.get("geometries", [])]
        return shapely.GeometryCollection([p for p in parts if p is not None])
    raise ValueError(f"unknown TopoJSON geometry type {kind!r}")


def decode_layer(
    topology: dict[str, Any], layer: str, *, arcs: list[np.ndarray] | None = None
) -> list[tuple[dict[str, Any], BaseGeometry | None]]:
    """Decode one layer into ``(properties, geometry)`` pairs.

    A layer that is a ``GeometryCollection`` yields one pair per member
    (as GDAL and topojson-client's ``feature`` do); any other object yields
    one pair. Pass pre-decoded ``arcs`` to decode several layers cheaply.

    Raises
    ------
    KeyError
        When ``layer`` is not in the topology; the message lists the layers.
    """
    _check_topology(topology)
    if layer not in topology["objects"]:
        raise KeyError(f"layer {layer!r} not in the topology; it has {list(topology['objects'])}")
    arcs = decode_arcs(topology) if arcs is None else arcs
    tr = _transform(topology)
    obj = topology["objects"][layer]
    members = obj["geometries"] if obj.get("type") == "GeometryCollection" else [obj]
    return [(dict(g.get("properties") or {}), decode_geometry(g, arcs, tr)) for g in members]
