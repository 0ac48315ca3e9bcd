"""File-level helpers of the geography importers: paths, code lists, the
TopoJSON layers and the vintage rule. Used by :mod:`.geography`; no warehouse I/O.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from creative_clusters.errors import ImportFormatError
from creative_clusters.geography.hierarchy import is_lad_code
from creative_clusters.geography.topojson import decode_arcs, decode_layer
from creative_clusters.sources._base import fail_rows, read_csv_strict

__all__ = ["active_mask", "read_changes", "read_topology_layers"]

G = "geography/"
TOPO = G + "uk_topo.json"
CHANGES = G + "changes.csv"
LTLA14 = G + "ltla14-lookup.csv"
CAUTH24_LOOKUP = G + "lad24_cauth24_lookup_en.csv"
WARD23 = G + "ward23_lad23_lookup.csv"
LAD22_UK = G + "lad22_uk.csv"
TTWA_LU = G + "ttwa/LSOA11_TTWA11_UK_LU.csv"
TTWA_DERIVED = G + "ttwa/lsoa21_to_ttwa11_derived.csv"
TTWA_GEOJSON = G + "ttwa/ttwa11_uk_dissolved_from_lsoa11.geojson"
ITL3_SHP = G + "ITL3_JAN_2021_UK_BUC_V3.shp"
ITL3_FILES = tuple(G + "ITL3_JAN_2021_UK_BUC_V3." + e for e in ("shp", "shx", "dbf", "prj", "cpg"))
LSOA21_LAD = G + "lookup_lsoa21_ward24_ltla24.csv"
LSOA11_21 = G + "lookup_lsoa11_lsoa21_ltla22.csv"
NUTS2_SOURCE = "bres_nuts2/nomis_BRES_2018_TYPE450.csv"
CODE_LISTS = {
    "ltla22": 2022,
    "ltla23": 2023,
    "ltla25": 2025,
    "cauth22": 2022,
    "cauth24": 2024,
    "cauth25": 2025,
}
# ttwa11.csv (E&W only) is not read: UK-wide TTWA names come from the TTWA lookup.
OTHER_LISTS = ("rgn22", "ctry22", "cty23")

#: LAD boundary vintages written as GeoParquet layers.
LAD_VINTAGES: tuple[int, ...] = tuple(range(2019, 2026))

_TOPO_TYPES = {
    "uk": "uk",
    "ctry": "ctry",
    "rgn": "rgn",
    "cty": "cty",
    "mcty": "mcty",
    "cauth": "cauth",
    "utla": "utla",
    "ltla": "lad",
}
_GEO_COLS = ["geo_code", "geo_name", "geo_type", "start", "end"]


def active_mask(frame: pd.DataFrame, year: int) -> pd.Series:
    """Rows of ``frame`` (with ``start``/``end`` columns) in force during ``year``.

    ``start`` missing = since always; ``end`` missing = still current; ``end``
    is the last year inclusive.

    Examples
    --------
    >>> f = pd.DataFrame({"start": pd.array([None, 2023], dtype="Int64"),
    ...                   "end": pd.array([2022, None], dtype="Int64")})
    >>> active_mask(f, 2022).tolist(), active_mask(f, 2023).tolist()
    ([True, False], [False, True])
    """
    start = frame["start"].astype("Int64")
    end = frame["end"].astype("Int64")
    ok = (start.isna() | (start <= year)) & (end.isna() | (end >= year))
    return ok.fillna(False).astype(bool)


# --------------------------------------------------------------------------- readers
def _code_list(root: Path, name: str) -> dict[str, str]:
    f = read_csv_strict(root / f"{G}{name}.csv", required=["areacd", "areanm"])
    return dict(zip(f["areacd"], f["areanm"], strict=True))


def _names_by_year(root: Path, prefix: str) -> dict[int, dict[str, str]]:
    return {y: _code_list(root, n) for n, y in CODE_LISTS.items() if n.startswith(prefix)}


def read_changes(root: Path) -> pd.DataFrame:
    path = root / CHANGES
    ch = read_csv_strict(path, required=["oldcd", "oldnm", "newcd", "newnm", "type", "start"])
    bad = pd.to_numeric(ch["start"], errors="coerce").isna()
    fail_rows(bad, file=str(path), column="start", expected="a year", values=ch["start"])
    ch["start"] = ch["start"].astype(int)
    for c in ("oldcd", "oldnm", "newcd", "newnm", "type"):
        ch[c] = ch[c].fillna("")
    return ch


def polygonal(geoms: np.ndarray) -> np.ndarray:
    """Repair invalid (self-intersecting, simplified) polygons, keeping polygon parts only."""
    import shapely

    geoms = np.asarray(geoms, dtype=object)
    bad = ~shapely.is_valid(geoms)
    for i in np.flatnonzero(bad):
        fixed = shapely.buffer(geoms[i], 0)  # fast; checked below not to drop any area
        if not (
            shapely.is_valid(fixed) and abs(fixed.area - geoms[i].area) <= 1e-6 * geoms[i].area
        ):
            fixed = shapely.make_valid(geoms[i], method="structure", keep_collapsed=False)
        parts = [p for p in shapely.get_parts(fixed) if p.geom_type in ("Polygon", "MultiPolygon")]
        polys = [q for p in parts for q in shapely.get_parts(p)]
        geoms[i] = shapely.MultiPolygon(polys)
    return geoms


def _load_topology(root: Path) -> dict[str, Any]:
    path = root / TOPO
    try:
        with open(path, encoding="utf-8") as fh:
            return json.load(fh)
    except FileNotFoundError:
        raise ImportFormatError(
            "file not found; check the data directory", file=str(path)
        ) from None
    except json.JSONDecodeError as exc:
        raise ImportFormatError(
            f"not valid JSON ({exc.msg} at line {exc.lineno}); expected TopoJSON",
            file=str(path),
            row=exc.lineno,
        ) from None


def read_topology_layers(root: Path) -> dict[str, Any]:
    """Decode every TopoJSON layer into a GeoDataFrame (raw codes and names, EPSG:4326).

    Layer ``ltla`` is returned under ``lad``, with the Scottish 2019 recodes applied.
    """
    import geopandas as gpd

    topo = _load_topology(root)
    try:
        arcs = decode_arcs(topo)
        out = {}
        for layer, geo_type in _TOPO_TYPES.items():
            rows = decode_layer(topo, layer, arcs=arcs)
            props = pd.DataFrame([p for p, _ in rows])
            frame = pd.DataFrame(
                {
                    "geo_code": props["areacd"].astype("string"),
                    "geo_name": props["areanm"].astype("string"),
                    "geo_type": geo_type,
                    "start": pd.array(
                        props.get("start", pd.Series([None] * len(props))), dtype="Int64"
                    ),
                    "end": pd.array(
                        props.get("end", pd.Series([None] * len(props))), dtype="Int64"
                    ),
                }
            )
            geoms = np.array([g for _, g in rows], dtype=object)
            if layer not in ("cty", "mcty"):  # those two only feed the areas table
                geoms = polygonal(geoms)
            out[geo_type] = gpd.GeoDataFrame(frame, geometry=list(geoms), crs="EPSG:4326")
    except (KeyError, ValueError, TypeError) as exc:
        raise ImportFormatError(
            f"not the expected ONS TopoJSON layout: {exc}", file=str(root / TOPO)
        ) from None
    changes = read_changes(root)
    out["lad"] = _apply_lad_recodes(out["lad"], changes)
    cauth = out["cauth"]
    out["cauth"] = cauth[cauth["geo_code"].str.startswith("E47")].reset_index(drop=True)
    return out


def _apply_lad_recodes(lad: Any, changes: pd.DataFrame) -> Any:
    """Add LAD recodes listed in ``changes`` that the layer lacks (same boundary, new code)."""
    lad = lad.copy()
    add = []
    for r in changes.itertuples(index=False):
        if r.type not in ("new_code", "new_geo") or not (
            is_lad_code(r.oldcd) and is_lad_code(r.newcd)
        ):
            continue
        if (lad["geo_code"] == r.newcd).any():
            continue
        hit = lad.index[(lad["geo_code"] == r.oldcd) & lad["end"].isna()]
        if len(hit) != 1:
            continue
        new = lad.loc[hit].copy()
        new["geo_code"], new["geo_name"] = r.newcd, r.newnm
        new["start"] = pd.array([r.start], dtype="Int64")
        lad.loc[hit, "end"] = r.start - 1
        add.append(new)
    if add:
        lad = pd.concat([lad, *add], ignore_index=True)
    return lad


def _official_names(root: Path) -> dict[str, dict[str, str]]:
    lad, cauth = _names_by_year(root, "ltla"), _names_by_year(root, "cauth")
    latest_lad: dict[str, str] = {}
    for y in sorted(lad):
        latest_lad.update(lad[y])
    latest_cauth: dict[str, str] = {}
    for y in sorted(cauth):
        latest_cauth.update(cauth[y])
    rgn, ctry, cty = (
        _code_list(root, "rgn22"),
        _code_list(root, "ctry22"),
        _code_list(root, "cty23"),
    )
    return {
        "lad": latest_lad,
        "cauth": latest_cauth,
        "rgn": {**ctry, **rgn},
        "ctry": ctry,
        "cty": cty,
        "utla": {**latest_lad, **cty},
        "mcty": {},
        "uk": {},
    }


def _rename(frame: pd.DataFrame, names: dict[str, str]) -> pd.DataFrame:
    out = frame.copy()
    raw = [str(n) for n in out["geo_name"]]
    official = [names.get(str(c), n) for c, n in zip(out["geo_code"], raw, strict=True)]
    out["other_names"] = pd.array(
        [r if r != o else "" for r, o in zip(raw, official, strict=True)], dtype="string"
    )
    out["geo_name"] = pd.array(official, dtype="string")
    return out


def _extra_areas(root: Path) -> pd.DataFrame:
    import pyogrio

    ttwa = read_csv_strict(root / TTWA_LU, required=["TTWA11CD", "TTWA11NM"])
    ttwa = ttwa[["TTWA11CD", "TTWA11NM"]].drop_duplicates()
    itl = pyogrio.read_dataframe(
        root / ITL3_SHP, read_geometry=False, columns=["ITL321CD", "ITL321NM"]
    )
    nuts = read_csv_strict(root / NUTS2_SOURCE, required=["geo_type", "geo_nm", "geo_cd"])
    nuts = nuts.loc[
        nuts["geo_type"].str.contains("level 2", na=False), ["geo_cd", "geo_nm"]
    ].drop_duplicates()
    parts = [
        pd.DataFrame(
            {
                "geo_code": ttwa["TTWA11CD"],
                "geo_name": ttwa["TTWA11NM"],
                "geo_type": "ttwa",
                "vintage": "2011",
            }
        ),
        pd.DataFrame(
            {
                "geo_code": itl["ITL321CD"],
                "geo_name": itl["ITL321NM"],
                "geo_type": "itl3",
                "vintage": "2021",
            }
        ),
        pd.DataFrame(
            {
                "geo_code": nuts["geo_cd"],
                "geo_name": nuts["geo_nm"],
                "geo_type": "nuts2",
                "vintage": "2013",
            }
        ),
    ]
    out = pd.concat(parts, ignore_index=True)
    out["start"] = pd.array([None] * len(out), dtype="Int64")
    out["end"] = pd.array([None] * len(out), dtype="Int64")
    out["other_names"] = ""
    return out
