"""LAD → NUTS2 (2013), built from ITL3 2021 polygons (the bundle has no NUTS lookup).

BRES employment and IDBR local units in the reference data are published by
NUTS 2013 level-2 area (``bres_nuts2``, ``idbr_nuts2``). To put a place (a LAD
or a group of LADs) in its NUTS2 area we go through what the bundle has:

1. **LAD → ITL3 2021**: a point inside each LAD polygon (its representative
   point; LADs without a polygon fall back to the ``lad_centroids`` table) is
   located in the ITL3 2021 polygons (``itl3_2021``); a point that falls in no
   polygon (generalised coastlines) takes the nearest ITL3 polygon.
2. **ITL3 2021 → NUTS2 2013**: ``TL`` → ``UK`` on the first four characters
   (the ITL2 code) wherever the NUTS2 area is the same in NUTS 2013 and ITL
   2021, and an explicit ITL3 → NUTS2 2013 table where it is not.

What changed between NUTS 2013 and ITL 2021 (ITL 2021 carries the NUTS 2016
UK areas with the ``TL`` prefix):

- **Scotland.** NUTS 2016 replaced UKM2 Eastern Scotland and UKM3 South
  Western Scotland by UKM7 Eastern Scotland, UKM8 West Central Scotland and
  UKM9 Southern Scotland; the NUTS3 units themselves were unchanged (only
  recoded and regrouped). Scottish Borders (UKM24 in 2013, TLM91 in 2021) moved
  from Eastern Scotland to Southern Scotland. So, exactly at ITL3 level:
  TLM71–TLM78 and TLM91 → **UKM2**; TLM81–TLM84 and TLM92–TLM95 → **UKM3**.
  UKM5 North Eastern Scotland and UKM6 Highlands and Islands were unchanged.
- **London did not change.** The split of London into UKI3 Inner London – West,
  UKI4 Inner London – East, UKI5–UKI7 Outer London came with **NUTS 2013**
  (NUTS 2010 had UKI1 Inner London and UKI2 Outer London), and the BRES files
  use UKI3–UKI7. TLI3–TLI7 therefore map to UKI3–UKI7 one-to-one; UKI1/UKI2 do
  not exist in NUTS 2013.
- **Everything else** (England outside London, Wales, Northern Ireland): same
  NUTS2 areas in 2013 and 2021. NUTS3-level changes after 2013 (Dorset and
  BCP, the Northamptonshire unitaries, Buckinghamshire) stay inside their NUTS2
  area. The 2010→2013 Cheshire/Merseyside recodes (UKD2/UKD5 → UKD6/UKD7) are
  already in NUTS 2013.

Two LADs straddle NUTS2 areas in both vintages: **Argyll and Bute** (Helensburgh
and Lomond lies in UKM3, the rest in UKM6) and **North Ayrshire** (Arran and
Cumbrae in UKM6, the mainland in UKM3). Each is put where its representative
point falls (Argyll and Bute → UKM6, North Ayrshire → UKM3); ``overlap_share``
in :func:`lad_nuts2_lookup` shows how much of a LAD's area lies in the chosen
NUTS2 area, so such cases are visible.

Examples
--------
>>> itl3_to_nuts2_2013("TLE32"), itl3_to_nuts2_2013("TLI32"), itl3_to_nuts2_2013("TLM91")
('UKE3', 'UKI3', 'UKM2')
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import pandas as pd

from creative_clusters.errors import SchemaError, WarehouseError
from creative_clusters.geography.boundaries import layer_name
from creative_clusters.kinds import LAD_VINTAGE

__all__ = [
    "CHANGED_ITL2",
    "ITL3_TO_NUTS2_2013",
    "itl3_to_nuts2_2013",
    "lad_nuts2_lookup",
    "load_lad_nuts2",
    "place_nuts2",
]

#: ITL3 2021 codes whose NUTS 2013 level-2 area is *not* the ``TL``→``UK`` ITL2 code.
ITL3_TO_NUTS2_2013: dict[str, str] = {
    **dict.fromkeys(("TLM71", "TLM72", "TLM73", "TLM75", "TLM76", "TLM77", "TLM78", "TLM91"), "UKM2"),
    **dict.fromkeys(("TLM81", "TLM82", "TLM83", "TLM84", "TLM92", "TLM93", "TLM94", "TLM95"), "UKM3"),
}

#: ITL2 2021 areas with no same-code NUTS2 2013 area, and why (documentation and checks).
CHANGED_ITL2: dict[str, str] = {
    "TLM7": "Eastern Scotland (NUTS 2016) = NUTS 2013 UKM2 without Scottish Borders → UKM2",
    "TLM8": "West Central Scotland (NUTS 2016) is part of NUTS 2013 UKM3 South Western Scotland → UKM3",
    "TLM9": "Southern Scotland (NUTS 2016): Scottish Borders (TLM91) → UKM2; TLM92–TLM95 → UKM3",
}

_PIP = "point-in-polygon"
_NEAREST = "nearest ITL3"


def itl3_to_nuts2_2013(itl3: str) -> str:
    """NUTS 2013 level-2 code of an ITL3 2021 area.

    Raises
    ------
    SchemaError
        For a code that is not an ITL3 2021 code (``TL`` + 3 characters), or a
        Scottish code in a changed ITL2 area that the explicit table lacks.

    Examples
    --------
    >>> itl3_to_nuts2_2013("TLK11"), itl3_to_nuts2_2013("TLM82")
    ('UKK1', 'UKM3')
    """
    code = str(itl3).strip().upper()
    if len(code) != 5 or not code.startswith("TL"):
        raise SchemaError(f"expected an ITL3 2021 code such as 'TLE32' but got {itl3!r}.")
    if code in ITL3_TO_NUTS2_2013:
        return ITL3_TO_NUTS2_2013[code]
    if code[:4] in CHANGED_ITL2:
        raise SchemaError(
            f"ITL3 {code} lies in {code[:4]}, whose area changed between NUTS 2013 and ITL 2021, "
            "and it is not in ITL3_TO_NUTS2_2013; add it there with its NUTS 2013 area.")
    return "UK" + code[2:4]


def _points(lads: Any, centroids: pd.DataFrame | None) -> Any:
    """A point inside each LAD (EPSG:27700): representative point of the polygon,
    else the LAD 2022 centroid for codes without a polygon."""
    import geopandas as gpd

    g = lads.to_crs(27700) if lads.crs is not None else lads.set_crs(27700)
    pts = gpd.GeoDataFrame({"lad_code": g["geo_code"].astype(str).to_numpy(),
                            "lad_name": g["geo_name"].astype(str).to_numpy() if "geo_name" in g else "",
                            "geometry_source": "polygon"},
                           geometry=g.geometry.representative_point().to_numpy(), crs=27700)
    if centroids is not None and len(centroids):
        cols = {c.lower(): c for c in centroids.columns}
        code = cols.get("lad22_code") or cols.get("geo_code")
        if code and "bng_e" in cols and "bng_n" in cols:
            extra = centroids[~centroids[code].astype(str).isin(set(pts["lad_code"]))]
            if len(extra):
                name = cols.get("lad22_name") or cols.get("geo_name")
                pts = pd.concat([pts, gpd.GeoDataFrame(
                    {"lad_code": extra[code].astype(str).to_numpy(),
                     "lad_name": extra[name].astype(str).to_numpy() if name else "",
                     "geometry_source": "centroid"},
                    geometry=gpd.points_from_xy(extra[cols["bng_e"]], extra[cols["bng_n"]]), crs=27700)],
                    ignore_index=True)
    return pts


def lad_nuts2_lookup(lads: Any, itl3: Any, *, centroids: pd.DataFrame | None = None,
                     nuts2_names: pd.DataFrame | None = None, overlap: bool = True) -> pd.DataFrame:
    """LAD → ITL3 2021 → ITL2 2021 → NUTS2 2013, one row per LAD.

    Parameters
    ----------
    lads : GeoDataFrame
        LAD polygons with ``geo_code`` (and ``geo_name``), any CRS (e.g. the
        ``lad_2023`` layer).
    itl3 : GeoDataFrame
        ITL3 2021 polygons with ``geo_code`` (the ``itl3_2021`` layer).
    centroids : DataFrame, optional
        Extra LADs as points (``lad22_code``, ``bng_e``, ``bng_n``; the
        ``lad_centroids`` table), used for codes with no polygon.
    nuts2_names : DataFrame, optional
        NUTS2 2013 names (``nuts2_code``/``nuts2_name`` or ``code``/``name``);
        with it, every mapped code must be listed there.
    overlap : bool, default True
        Also compute ``overlap_share``: the share of the LAD polygon's area
        inside the chosen NUTS2 area (rebuilt from the ITL3 polygons).

    Returns
    -------
    DataFrame
        ``lad_code, lad_name, itl3_code, itl2_code, nuts2_code, nuts2_name,
        method`` (``point-in-polygon`` or ``nearest ITL3``), ``geometry_source``
        (``polygon``, or ``centroid`` for codes only in ``centroids``) and
        ``overlap_share`` (NaN for LADs given as points only).

    Raises
    ------
    SchemaError
        Missing ``geo_code`` columns, or a mapped NUTS2 code not in ``nuts2_names``.
    """
    import geopandas as gpd

    for name, frame in (("lads", lads), ("itl3", itl3)):
        if "geo_code" not in frame.columns:
            raise SchemaError(f"lad_nuts2_lookup(): {name} needs a 'geo_code' column; "
                              f"it has {list(frame.columns)}.")
    poly = itl3[["geo_code", "geometry"]].to_crs(27700).rename(columns={"geo_code": "itl3_code"})
    pts = _points(lads, centroids)
    j = gpd.sjoin(pts, poly, how="left", predicate="within")
    j = j[~j.index.duplicated(keep="first")]
    method = pd.Series(_PIP, index=j.index)
    miss = j["itl3_code"].isna()
    if miss.any():
        near = gpd.sjoin_nearest(pts.loc[miss[miss].index], poly, how="left")
        near = near[~near.index.duplicated(keep="first")]
        j.loc[near.index, "itl3_code"] = near["itl3_code"]
        method[near.index] = _NEAREST
    out = pd.DataFrame({"lad_code": j["lad_code"].to_numpy(), "lad_name": j["lad_name"].to_numpy(),
                        "itl3_code": j["itl3_code"].astype(str).to_numpy()})
    out["itl2_code"] = out["itl3_code"].str[:4]
    out["nuts2_code"] = [itl3_to_nuts2_2013(c) for c in out["itl3_code"]]
    names = _nuts2_names(nuts2_names)
    if names is not None:
        unknown = sorted(set(out["nuts2_code"]) - set(names))
        if unknown:
            raise SchemaError(f"lad_nuts2_lookup(): NUTS2 code(s) {unknown} are not NUTS 2013 level-2 "
                              f"areas in the names table ({len(names)} areas); fix ITL3_TO_NUTS2_2013.")
        out["nuts2_name"] = out["nuts2_code"].map(names)
    else:
        out["nuts2_name"] = ""
    out["method"] = method.to_numpy()
    out["geometry_source"] = j["geometry_source"].to_numpy()
    out["overlap_share"] = float("nan")
    if overlap:
        n2 = poly.assign(nuts2_code=[itl3_to_nuts2_2013(c) for c in poly["itl3_code"]])
        n2 = n2.dissolve(by="nuts2_code")
        lp = lads.to_crs(27700)
        shapes = dict(zip(lp["geo_code"].astype(str), lp.geometry, strict=False))
        shares = []
        for r in out.itertuples():
            shp = shapes.get(r.lad_code)
            if shp is None or shp.is_empty or shp.area == 0:
                shares.append(float("nan"))
                continue
            inter = shp.intersection(n2.geometry[r.nuts2_code]).area
            shares.append(min(1.0, inter / shp.area))
        out["overlap_share"] = shares
    return out.sort_values("lad_code").reset_index(drop=True)


def _nuts2_names(table: pd.DataFrame | None) -> dict[str, str] | None:
    if table is None:
        return None
    cols = {c.lower(): c for c in table.columns}
    code = cols.get("nuts2_code") or cols.get("code") or cols.get("geo_code")
    name = cols.get("nuts2_name") or cols.get("name") or cols.get("geo_name")
    if code is None or name is None:
        raise SchemaError("the NUTS2 names table needs code and name columns (nuts2_code, nuts2_name); "
                          f"it has {list(table.columns)}.")
    return dict(zip(table[code].astype(str), table[name].astype(str), strict=False))


def load_lad_nuts2(wh: Any, *, vintage: str = LAD_VINTAGE, overlap: bool = False) -> pd.DataFrame:
    """Read the layers from the warehouse and build :func:`lad_nuts2_lookup`.

    Uses geometry layers ``lad_<vintage>`` and ``itl3_2021``, and ref tables
    ``lad_centroids`` and ``nuts2_areas`` when present.

    Raises
    ------
    WarehouseError
        When a geometry layer is missing (import the geography datasets).
    """
    try:
        lads = wh.read_geometry(layer_name("lad", vintage))
        itl3 = wh.read_geometry(layer_name("itl3"))
    except WarehouseError as exc:
        raise WarehouseError(f"LAD → NUTS2 needs the geometry layers {layer_name('lad', vintage)} and "
                             f"{layer_name('itl3')}: {exc} "
                             "Import them with `creative-clusters data import DIR`.") from exc
    cen = wh.table("lad_centroids") if wh.has_table("lad_centroids") else None
    names = wh.table("nuts2_areas") if wh.has_table("nuts2_areas") else None
    return lad_nuts2_lookup(lads, itl3, centroids=cen, nuts2_names=names, overlap=overlap)


def place_nuts2(lookup: pd.DataFrame, members: Iterable[str]) -> tuple[list[str], list[str]]:
    """NUTS2 2013 areas containing a place's LADs, and the LADs the lookup lacks.

    A group whose LADs fall in several NUTS2 areas returns all of them (sorted);
    counts for the wider area are then summed over them.

    Examples
    --------
    >>> lk = pd.DataFrame({"lad_code": ["A", "B", "C"], "nuts2_code": ["UKE3", "UKE3", "UKE4"]})
    >>> place_nuts2(lk, ["A", "B"]), place_nuts2(lk, ["A", "C", "Z"])
    ((['UKE3'], []), (['UKE3', 'UKE4'], ['Z']))
    """
    m = dict(zip(lookup["lad_code"].astype(str), lookup["nuts2_code"].astype(str), strict=False))
    mem: Sequence[str] = [str(x) for x in members]
    codes = sorted({m[x] for x in mem if x in m})
    return codes, [x for x in mem if x not in m]
