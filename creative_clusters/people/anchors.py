"""Anchor institutions per place: HE providers and museums, and distance to microclusters.

Points are placed in LADs by point-in-polygon on LAD boundaries (EPSG:4326,
``Warehouse.read_geometry("lad_2023")``), or taken from a LAD code column when
the table has one. Counts per 100,000 people need a population table.

Museum outputs must carry :data:`MUSEUMS_ATTRIBUTION` (CC BY 4.0).

Examples
--------
>>> pts = pd.DataFrame({"name": ["m1", "m2"], "lad_code": ["A", "A"], "open_2021": [True, False]})
>>> count_by_place(pts, flags=["open_2021"])[["lad_code", "count", "open_2021"]].values.tolist()
[['A', 2, 1]]
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from creative_clusters.errors import SchemaError

__all__ = [
    "MUSEUMS_ATTRIBUTION",
    "anchor_points_bng",
    "assign_lad",
    "count_by_place",
    "museum_breakdown",
    "nearest_anchors",
    "per_100k",
]

MUSEUMS_ATTRIBUTION = (
    "Data from the Mapping Museums project, Birkbeck, University of London (www.mappingmuseums.org)"
)


def assign_lad(points: pd.DataFrame, lad_geometry, /, *, lat: str = "latitude", lon: str = "longitude",
               code: str = "geo_code") -> pd.DataFrame:
    """Add ``lad_code`` to points by point-in-polygon (WGS84 lat/lon in LAD polygons).

    Points without coordinates or outside every polygon get ``lad_code`` NA and
    are counted in ``result.attrs["unplaced"]`` (not dropped).
    """
    import geopandas as gpd

    if lat not in points.columns or lon not in points.columns:
        raise SchemaError(f"assign_lad() needs {lat!r} and {lon!r} columns; got {list(points.columns)}.")
    out = points.copy()
    ok = out[lat].notna() & out[lon].notna()
    pts = gpd.GeoDataFrame(out[ok][[]], geometry=gpd.points_from_xy(out.loc[ok, lon].astype(float),
                                                                    out.loc[ok, lat].astype(float)), crs=4326)
    lads = lad_geometry[[code, "geometry"]]
    if lads.crs is not None and lads.crs.to_epsg() != 4326:
        lads = lads.to_crs(4326)
    hit = gpd.sjoin(pts, lads, predicate="within", how="left")
    hit = hit[~hit.index.duplicated()]
    out["lad_code"] = pd.Series(hit[code], index=hit.index).reindex(out.index).astype("string")
    out.attrs["unplaced"] = int(out["lad_code"].isna().sum())
    return out


def count_by_place(points: pd.DataFrame, /, *, place: str = "lad_code",
                   flags: list[str] | None = None) -> pd.DataFrame:
    """Count points per place, and how many have each boolean flag set."""
    if place not in points.columns:
        raise SchemaError(f"count_by_place() needs column {place!r}; got {list(points.columns)}.")
    t = points[points[place].notna()]
    g = t.groupby(place)
    out = pd.DataFrame({"count": g.size()})
    for f in flags or []:
        out[f] = g[f].apply(lambda s: int(s.fillna(False).astype(bool).sum()))
    return out.reset_index()


#: The museums table's column: open on the date of ONS's museums per 100,000 people (set by the importer).
OPEN_COLUMN = "open_2021"


def open_museums(museums: pd.DataFrame) -> pd.DataFrame:
    """The museums open on the list's date (:data:`OPEN_COLUMN`, the date of ONS's museums per 100,000
    people): a museum closed by then is not one the rate counts (Longstone Heritage Centre on the Isles of
    Scilly). A table without the column is returned as it is.

    Examples
    --------
    >>> open_museums(pd.DataFrame({"open_2021": [True, False, None]})).index.tolist()
    [0]
    """
    if OPEN_COLUMN not in museums.columns:
        return museums
    return museums[museums[OPEN_COLUMN].fillna(False).astype(bool)]


def museum_breakdown(museums: pd.DataFrame, /, *, by: str) -> pd.DataFrame:
    """Museums open in 2021 by ``by`` (e.g. ``governance_type`` or ``subject_matter``).

    Examples
    --------
    >>> m = pd.DataFrame({"governance_type": ["Independent", "Local Authority", "Independent"],
    ...                   "open_2021": [True, True, False], "accredited": [False, True, False]})
    >>> museum_breakdown(m, by="governance_type").values.tolist()
    [['Independent', 1, 0], ['Local Authority', 1, 1]]
    """
    for c in (by, OPEN_COLUMN, "accredited"):
        if c not in museums.columns:
            raise SchemaError(f"museum_breakdown() needs column {c!r}.")
    m = open_museums(museums)
    g = m.groupby(m[by].fillna("Unknown"))
    out = pd.DataFrame({OPEN_COLUMN: g.size(), "accredited": g["accredited"].apply(
        lambda s: int(s.fillna(False).astype(bool).sum()))})
    return out.rename_axis(by).reset_index().sort_values(by).reset_index(drop=True)


def per_100k(count: float, population: float | None) -> float | None:
    """``count`` per 100,000 people (None when the population is unknown).

    Examples
    --------
    >>> per_100k(5, 250_000)
    2.0
    """
    if population is None or not np.isfinite(population) or population <= 0:
        return None
    return 100_000 * count / population


def anchor_points_bng(table: pd.DataFrame, /, *, kind: str, name: str) -> pd.DataFrame:
    """Anchors as ``kind, name, easting, northing`` (BNG metres), projecting lat/lon when needed."""
    if {"easting", "northing"} <= set(table.columns) and table["easting"].notna().all():
        e, n = table["easting"].astype(float), table["northing"].astype(float)
    elif {"latitude", "longitude"} <= set(table.columns):
        from pyproj import Transformer

        ok = table["latitude"].notna() & table["longitude"].notna()
        table = table[ok]
        tr = Transformer.from_crs(4326, 27700, always_xy=True)
        x, y = tr.transform(table["longitude"].astype(float).to_numpy(), table["latitude"].astype(float).to_numpy())
        e, n = pd.Series(x, index=table.index), pd.Series(y, index=table.index)
    else:
        raise SchemaError("anchors need easting/northing (BNG) or latitude/longitude columns.")
    return pd.DataFrame({"kind": kind, "name": table[name].astype(str).to_numpy(),
                         "easting": e.to_numpy(), "northing": n.to_numpy()})


def nearest_anchors(clusters: pd.DataFrame, anchors: pd.DataFrame, /, *, k: int = 3,
                    cluster_id: str = "cluster_id") -> pd.DataFrame:
    """The ``k`` nearest anchors of each kind to each microcluster (straight-line km, BNG).

    Parameters
    ----------
    clusters : DataFrame
        ``cluster_id``, ``easting``, ``northing`` (e.g. cluster centroids).
    anchors : DataFrame
        ``kind``, ``name``, ``easting``, ``northing`` (see :func:`anchor_points_bng`).

    Returns
    -------
    DataFrame
        ``cluster_id, kind, rank, name, distance_km``.

    Examples
    --------
    >>> c = pd.DataFrame({"cluster_id": [1], "easting": [0.0], "northing": [0.0]})
    >>> a = pd.DataFrame({"kind": ["hei", "hei", "museum"], "name": ["U1", "U2", "M1"],
    ...                   "easting": [3000.0, 1000.0, 0.0], "northing": [4000.0, 0.0, 500.0]})
    >>> nearest_anchors(c, a, k=1)[["kind", "name", "distance_km"]].values.tolist()
    [['hei', 'U2', 1.0], ['museum', 'M1', 0.5]]
    """
    from scipy.spatial import cKDTree

    for t, cols, nm in ((clusters, [cluster_id, "easting", "northing"], "clusters"),
                        (anchors, ["kind", "name", "easting", "northing"], "anchors")):
        missing = [c for c in cols if c not in t.columns]
        if missing:
            raise SchemaError(f"nearest_anchors(): {nm} table lacks columns {missing}.")
    if k < 1:
        raise SchemaError(f"k must be >= 1, got {k}.")
    rows = []
    xy = clusters[["easting", "northing"]].astype(float).to_numpy()
    for kind, a in anchors.groupby("kind", sort=True):
        tree = cKDTree(a[["easting", "northing"]].astype(float).to_numpy())
        kk = min(k, len(a))
        d, i = tree.query(xy, k=kk)
        d, i = np.atleast_2d(d.reshape(len(xy), kk)), np.atleast_2d(i.reshape(len(xy), kk))
        names = a["name"].to_numpy()
        for ci, cid in enumerate(clusters[cluster_id].to_numpy()):
            for r in range(kk):
                rows.append({"cluster_id": cid, "kind": kind, "rank": r + 1, "name": names[i[ci, r]],
                             "distance_km": round(float(d[ci, r]) / 1000, 3)})
    return pd.DataFrame(rows, columns=["cluster_id", "kind", "rank", "name", "distance_km"])
