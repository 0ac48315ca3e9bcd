"""Boundary layers: the only geometry I/O, plus spatial weights.

Layers written by the geography importers (GeoParquet, EPSG:4326):

=========  ===========================  =====================================
level      layer names                  vintage
=========  ===========================  =====================================
lad        ``lad_2019`` … ``lad_2025``  required (default: latest)
cauth      ``cauth_2019`` … ``cauth_2025``  required (default: latest)
utla       ``utla_2023``                2023
rgn        ``rgn``                      none (no changes 2014–2025)
ctry, uk   ``ctry``, ``uk``             none
ttwa       ``ttwa_2011``                2011
itl3       ``itl3_2021``                2021
=========  ===========================  =====================================

Spatial weights are libpysal :class:`libpysal.graph.Graph` objects (the
modern API; ``graph.to_W()`` gives a legacy ``W`` for older esda code).

Contiguity: :func:`contiguity` is the one rule for which areas border each other, used by the
hot-spot weights (``--weights queen``), the corridors' ``--touching`` and the evidence pack's
neighbours: two areas border when their boundaries come within :data:`CONTIGUITY_TOLERANCE_M`
(1 km). The simplified boundaries the warehouse holds (ONS visualisation TopoJSON) are clipped
to the coast and simplified per area, so neighbours can touch without sharing a vertex (Dumfries
and Galloway and its five land neighbours, which strict queen contiguity made an island) or be
left a gap apart across an estuary or a river (Plymouth and Cornwall 474 m across the Tamar,
Anglesey and Gwynedd 211 m across the Menai Strait). Islands across wider water stay islands:
the Isle of Wight (1.2 km from the New Forest in these boundaries), the Isles of Scilly, Orkney,
Shetland and Na h-Eileanan Siar. A 1 km tolerance also joins some pairs that do not share a border
on the full-resolution map (Camden and Lambeth are 790 m apart across Westminster and the Thames).
"""

from __future__ import annotations

import warnings
from collections.abc import Iterable
from typing import Any

from creative_clusters import kinds
from creative_clusters.errors import ParameterError

__all__ = ["CONTIGUITY_TOLERANCE_M", "FIXED_VINTAGES", "build_weights", "contiguity", "count_layer", "layer_name",
           "newest_layer", "read_boundaries"]

#: Two areas are contiguous (neighbours) when their boundaries come within this distance, in metres:
#: the simplified boundaries leave gaps across estuaries and rivers (474 m between Plymouth and Cornwall
#: across the Tamar) and touch without shared vertices (Dumfries and Galloway). See :func:`contiguity`.
CONTIGUITY_TOLERANCE_M = 1000.0

#: Levels stored for one vintage only.
FIXED_VINTAGES: dict[str, str | None] = {
    "utla": "2023",
    "ttwa": "2011",
    "itl3": "2021",
    "rgn": None,
    "ctry": None,
    "uk": None,
}
_YEARLY = ("lad", "cauth")
_YEARS = tuple(range(2019, 2026))


def layer_name(level: str, vintage: int | str | None = None) -> str:
    """Name of the geometry layer for ``level`` and ``vintage``.

    Examples
    --------
    >>> layer_name("lad", 2023), layer_name("ttwa"), layer_name("rgn")
    ('lad_2023', 'ttwa_2011', 'rgn')
    """
    level = level.lower()
    if level in _YEARLY:
        year = _YEARS[-1] if vintage is None else int(vintage)
        if year not in _YEARS:
            raise ParameterError(
                f"{level} boundaries exist for {_YEARS[0]}–{_YEARS[-1]}; got {vintage!r}"
            )
        return f"{level}_{year}"
    if level not in FIXED_VINTAGES:
        raise ParameterError(
            f"level must be one of {sorted([*_YEARLY, *FIXED_VINTAGES])}; got {level!r}"
        )
    fixed = FIXED_VINTAGES[level]
    if vintage is not None and fixed is not None and str(vintage) != fixed:
        raise ParameterError(f"{level} boundaries are only available for {fixed}; got {vintage!r}")
    return level if fixed is None else f"{level}_{fixed}"


def newest_layer(layers: Iterable[str], level: str, default: str | None = None) -> str:
    """The newest ``<level>_YYYY`` among ``layers`` (a warehouse's geometry layer names), else ``default``
    (:func:`layer_name` of ``level`` if not given).

    A yearly level's newest imported vintage (the areas in force now), so a
    user who imports a newer year's boundaries gets them without a code change.
    Levels stored for one vintage only give their one layer.

    Examples
    --------
    >>> newest_layer(["cauth_2023", "cauth_2025", "lad_2023", "rgn"], "cauth")
    'cauth_2025'
    >>> newest_layer(["rgn"], "cauth"), newest_layer(["rgn", "ttwa_2011"], "ttwa")
    ('cauth_2025', 'ttwa_2011')
    """
    level = level.lower()
    if level in _YEARLY:
        years = [int(n[len(level) + 1:]) for n in layers
                 if n.startswith(f"{level}_") and n[len(level) + 1:].isdigit()]
        if years:
            return f"{level}_{max(years)}"
    return layer_name(level) if default is None else default


def count_layer(level: str, layers: Iterable[str]) -> str:
    """The boundary layer of a business-count level, given a warehouse's geometry ``layers``.

    LADs on the counts' vintage (:data:`creative_clusters.kinds.LAD_VINTAGE`);
    combined authorities as they are now (the newest ``cauth_YYYY`` imported,
    as :func:`creative_clusters.geography.membership.current_cauth` sums the
    counts; the counts' vintage when none is); other levels their one layer.

    Examples
    --------
    >>> count_layer("lad", ["lad_2023", "lad_2025"]), count_layer("cauth", ["cauth_2024", "cauth_2025"])
    ('lad_2023', 'cauth_2025')
    >>> count_layer("cauth", []), count_layer("ttwa", [])
    ('cauth_2023', 'ttwa_2011')
    """
    if level == "lad":
        return layer_name("lad", kinds.LAD_VINTAGE)
    if level == "cauth":
        return newest_layer(layers, "cauth", default=layer_name("cauth", kinds.LAD_VINTAGE))
    return layer_name(level)


def read_boundaries(warehouse: Any, level: str, vintage: int | str | None = None) -> Any:
    """Read a boundary layer from the warehouse as a GeoDataFrame (EPSG:4326).

    Columns ``geo_code, geo_name, geo_type, start, end, geometry`` (plus
    layer-specific ones). ``vintage`` is the boundary year (areas in force in
    that year); see :func:`layer_name` for the levels. For a yearly level
    (``lad``, ``cauth``) the years are the warehouse's own layers: without
    ``vintage`` the newest imported (:func:`newest_layer`), so a user who
    imports a newer year's boundaries reads them without a code change.

    Raises
    ------
    ParameterError
        For a yearly level's ``vintage`` the warehouse holds no layer of,
        naming the years it holds.

    Examples
    --------
    >>> class Layers:
    ...     def geometry_layers(self): return ["lad_2025", "lad_2026", "rgn"]
    ...     def read_geometry(self, name): return name
    >>> read_boundaries(Layers(), "lad"), read_boundaries(Layers(), "lad", 2026), read_boundaries(Layers(), "rgn")
    ('lad_2026', 'lad_2026', 'rgn')
    """
    level = level.lower()
    layers = list(getattr(warehouse, "geometry_layers", list)())
    years = sorted(int(n[len(level) + 1:]) for n in layers
                   if level in _YEARLY and n.startswith(f"{level}_") and n[len(level) + 1:].isdigit())
    if not years:  # a yearly level with no layer imported, or a level of one vintage
        return warehouse.read_geometry(layer_name(level, vintage))
    if vintage is None:
        return warehouse.read_geometry(newest_layer(layers, level))
    year = int(vintage)
    if year not in years:
        raise ParameterError(f"{level} boundaries in this warehouse exist for {', '.join(map(str, years))}; got "
                             f"{vintage!r}. Import the geography files of that year with "
                             "`creative-clusters data import DIR`.")
    return warehouse.read_geometry(f"{level}_{year}")


def contiguity(gdf: Any, *, ids: str = "geo_code", tolerance_m: float = CONTIGUITY_TOLERANCE_M,
               crs: str | None = "EPSG:27700") -> Any:
    """Which areas border each other: a libpysal ``Graph`` joining two areas whose boundaries come
    within ``tolerance_m`` metres (:data:`CONTIGUITY_TOLERANCE_M`, 1 km).

    This is queen contiguity made robust to boundary simplification: every pair that shares a
    boundary point (libpysal's queen) is joined, and so is every pair the simplified boundaries left
    less than ``tolerance_m`` apart. Built by ``libpysal.graph.Graph.build_fuzzy_contiguity`` with
    each area buffered by half the tolerance (two buffers meet when the areas are at most
    ``tolerance_m`` apart), in ``crs`` (British National Grid metres; ``None`` keeps the
    geometry's own units). ``tolerance_m=0`` joins areas whose polygons intersect.

    Examples
    --------
    >>> import geopandas as gpd, shapely
    >>> g = gpd.GeoDataFrame({"geo_code": ["a", "b", "c", "d"]},
    ...     geometry=[shapely.box(0, 0, 10, 10), shapely.box(10.5, 0, 20, 10), shapely.box(0, 10, 10, 20),
    ...               shapely.box(5000, 0, 5010, 10)], crs="EPSG:27700")
    >>> w = contiguity(g)
    >>> sorted(w.neighbors["a"]), sorted(w.isolates)
    (['b', 'c'], ['d'])
    >>> sorted(contiguity(g, tolerance_m=0).neighbors["a"])
    ['c']
    """
    from libpysal.graph import Graph

    if ids not in gdf.columns:
        raise ParameterError(f"gdf has no id column {ids!r}; it has {list(gdf.columns)}")
    if gdf[ids].duplicated().any():
        raise ParameterError(f"id column {ids!r} has duplicates; pass one row per area")
    if not tolerance_m >= 0:
        raise ParameterError(f"tolerance_m must be 0 or more metres; got {tolerance_m!r}")
    geoms = gdf.set_index(gdf[ids].astype(str)).geometry
    if crs is not None and geoms.crs is not None:
        geoms = geoms.to_crs(crs)
    return Graph.build_fuzzy_contiguity(geoms, buffer=tolerance_m / 2.0)


def near_areas(gdf: Any, codes: Any, *, ids: str = "geo_code",
               tolerance_m: float = CONTIGUITY_TOLERANCE_M) -> list[str]:
    """The areas that border ``codes`` by :func:`contiguity`'s rule (boundaries within ``tolerance_m``
    metres), ``codes`` excluded, in ``gdf``'s order; ``gdf`` in metres (British National Grid).

    The same pairs as the ``Graph`` (tested on every LAD), found with shapely's distance test alone:
    a single pack needs one place's neighbours, and importing libpysal for them cost about 2 s.

    Examples
    --------
    >>> import geopandas as gpd, shapely
    >>> g = gpd.GeoDataFrame({"geo_code": ["a", "b", "c", "d"]},
    ...     geometry=[shapely.box(0, 0, 10, 10), shapely.box(10.5, 0, 20, 10), shapely.box(0, 10, 10, 20),
    ...               shapely.box(5000, 0, 5010, 10)], crs="EPSG:27700")
    >>> near_areas(g, ["a"]), near_areas(g, ["d"])
    (['b', 'c'], [])
    """
    inside = gdf[ids].astype(str).isin({str(c) for c in codes})
    if not inside.any():
        return []
    if gdf.crs is not None and gdf.crs.is_geographic:  # degrees: the tolerance is in metres
        gdf = gdf.to_crs("EPSG:27700")
    hit = gdf.geometry.dwithin(gdf.geometry[inside].union_all(), tolerance_m) & ~inside
    return [str(c) for c in gdf.loc[hit, ids]]


def build_weights(
    gdf: Any,
    kind: str = "queen",
    *,
    k: int = 6,
    ids: str = "geo_code",
    crs: str = "EPSG:27700",
) -> Any:
    """Spatial weights between areas as a libpysal ``Graph`` (row-standardise with ``.transform("r")``).

    Parameters
    ----------
    gdf : GeoDataFrame
        Polygons; ``ids`` names the column used as graph ids.
    kind : {"queen", "rook", "knn"}
        ``queen``: :func:`contiguity` (boundaries within :data:`CONTIGUITY_TOLERANCE_M`, queen
        contiguity robust to simplification gaps); ``rook``: libpysal's strict shared-edge rule;
        or k nearest neighbours of centroids computed in ``crs`` (British National Grid by default).
    k : int
        Neighbours for ``knn``.

    Warns
    -----
    UserWarning
        For contiguity graphs with islands (areas with no neighbour, e.g.
        Isle of Wight, Orkney); the graph is still returned. Use ``knn`` to
        give every area neighbours.

    Examples
    --------
    >>> import geopandas as gpd, shapely
    >>> g = gpd.GeoDataFrame({"geo_code": ["a", "b", "c"]},
    ...     geometry=[shapely.box(0, 0, 1, 1), shapely.box(1, 0, 2, 1), shapely.box(5000, 5, 5001, 6)])
    >>> import warnings
    >>> with warnings.catch_warnings():
    ...     warnings.simplefilter("ignore")
    ...     w = build_weights(g, "queen", crs=None)
    >>> sorted(w.neighbors["a"])
    ['b']
    """
    from libpysal.graph import Graph

    if ids not in gdf.columns:
        raise ParameterError(f"gdf has no id column {ids!r}; it has {list(gdf.columns)}")
    if gdf[ids].duplicated().any():
        raise ParameterError(f"id column {ids!r} has duplicates; pass one row per area")
    frame = gdf.set_index(ids)
    if kind in ("queen", "rook"):
        graph = contiguity(gdf, ids=ids, crs=crs) if kind == "queen" else Graph.build_contiguity(frame, rook=True)
        islands = list(graph.isolates)
        if islands:
            warnings.warn(
                f"{len(islands)} area(s) have no {kind} neighbour (islands): {islands[:10]}. "
                "They get no spatial lag; consider kind='knn'.",
                stacklevel=2,
            )
        return graph
    if kind == "knn":
        if k < 1 or k >= len(frame):
            raise ParameterError(f"k must be between 1 and {len(frame) - 1}; got {k}")
        pts = frame.geometry
        if crs is not None and frame.crs is not None:
            pts = pts.to_crs(crs)
        return Graph.build_knn(pts.representative_point(), k=k)
    raise ParameterError(f"kind must be 'queen', 'rook' or 'knn'; got {kind!r}")
