"""Importers for the geography reference files (``geography/`` in the data root).

Datasets (ids), with what each stores:

``geography_boundaries``
    GeoParquet layers from the ONS TopoJSON (``geography/uk_topo.json``, WGS84,
    EPSG:4326): ``lad_2019`` … ``lad_2025``, ``cauth_2019`` … ``cauth_2025``,
    ``utla_2023``, ``rgn``, ``ctry``, ``uk``; columns ``geo_code, geo_name,
    geo_type, start, end, geometry``. Ref table ``areas``: every area of every
    layer plus TTWA 2011, ITL3 2021 and NUTS2 2013 names; columns ``geo_code,
    geo_name, geo_type, start, end, vintage, other_names``. One row per
    (code, type): a unitary authority appears as ``lad`` and ``utla``;
    ``geo_type`` also takes ``cty`` (E10 counties) and ``mcty`` (E11
    metropolitan counties) here. ``vintage`` is set for fixed-vintage
    geographies (ttwa "2011", itl3 "2021", nuts2 "2013"), ``other_names``
    holds a second published name (e.g. "Sheffield City Region").
``geography_lookups``
    Ref tables ``lad_hierarchy``, ``code_changes``, ``lad_centroids``,
    ``lsoa21_ttwa11``, ``lsoa21_lad``, ``lsoa11_lsoa21_lad22``, ``lad_ttwa_overlap``.
``geography_ttwa``
    GeoParquet ``ttwa_2011`` (228 TTWAs, EPSG:4326) and ref table ``lsoa11_ttwa11``.
``geography_itl3``
    GeoParquet ``itl3_2021`` (179 ITL3 areas) reprojected from British National
    Grid (EPSG:27700) to EPSG:4326; column ``source_crs`` records the original.
``geography_centroids``
    Ref tables ``lsoa21_pwc`` and ``msoa21_pwc``: population-weighted centroids
    with ``lon, lat`` (WGS84) and ``bng_e, bng_n`` (EPSG:27700).

Vintage rule: an area is active in year ``y`` when ``start <= y`` (missing =
always) and ``end >= y`` (missing = still current): ``end`` is the **last year
inclusive**. That is the reading under which the LAD counts match the
published ones (2019 = 382, 2021 = 374, 2023 = 361); with ``end`` exclusive
they would be 378 / 374 / 361.

Two fixes to the TopoJSON, both taken from ``changes.csv``: the 2019 Scottish
recodes (Glasgow City S12000046 → S12000049, North Lanarkshire S12000044 →
S12000050) appear there as ``new_geo`` rows and were put in the ``cauth``
layer upstream; here they are LAD recodes with unchanged boundaries, and
non-E47 rows are dropped from the combined-authority layers. Names come from
the official code lists where they have the code (e.g. E47000002 "South
Yorkshire", E07000083 "Tewkesbury"), the TopoJSON names otherwise; the other
name is kept in ``areas.other_names``.
"""

from __future__ import annotations

import gzip
import json
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from creative_clusters.errors import ImportFormatError
from creative_clusters.geography.boundaries import FIXED_VINTAGES, layer_name
from creative_clusters.geography.hierarchy import build_lad_hierarchy, name_for_year
from creative_clusters.sources._base import (
    OGL,
    DatasetSpec,
    ImportResult,
    read_csv_strict,
)
from creative_clusters.sources._geography_files import (
    _GEO_COLS,
    CAUTH24_LOOKUP,
    CHANGES,
    CODE_LISTS,
    ITL3_FILES,
    ITL3_SHP,
    LAD22_UK,
    LAD_VINTAGES,
    LSOA11_21,
    LSOA21_LAD,
    LTLA14,
    NUTS2_SOURCE,
    OTHER_LISTS,
    TOPO,
    TTWA_DERIVED,
    TTWA_GEOJSON,
    TTWA_LU,
    WARD23,
    G,
    _code_list,
    _extra_areas,
    _names_by_year,
    _official_names,
    _rename,
    active_mask,
    polygonal,
    read_changes,
    read_topology_layers,
)

__all__ = [
    "DATASETS",
    "LAD_VINTAGES",
    "active_mask",
    "read_geography_boundaries",
    "read_geography_centroids",
    "read_geography_itl3",
    "read_geography_lookups",
    "read_geography_ttwa",
]


def read_geography_boundaries(root: Path) -> ImportResult:
    """Read the TopoJSON into LAD/CA/UTLA/region/country layers and the ``areas`` table."""
    root = Path(root)
    layers = read_topology_layers(root)
    names = _official_names(root)
    lad_names, cauth_names = _names_by_year(root, "ltla"), _names_by_year(root, "cauth")
    layers = {k: _rename(v, names.get(k, {})) for k, v in layers.items()}
    geoms: dict[str, Any] = {}
    for year in LAD_VINTAGES:
        for level, by_year in (("lad", lad_names), ("cauth", cauth_names)):
            g = layers[level]
            g = g.loc[active_mask(g, year), [*_GEO_COLS, "geometry"]].copy()
            g["geo_name"] = [
                name_for_year(c, year, by_year, n)
                for c, n in zip(g["geo_code"], g["geo_name"], strict=True)
            ]
            geoms[f"{level}_{year}"] = g.sort_values("geo_code").reset_index(drop=True)
    u = layers["utla"]
    geoms[layer_name("utla")] = (  # the upper-tier authorities of one year (FIXED_VINTAGES)
        u.loc[active_mask(u, int(str(FIXED_VINTAGES["utla"]))), [*_GEO_COLS, "geometry"]]
        .sort_values("geo_code")
        .reset_index(drop=True)
    )
    for level in ("rgn", "ctry", "uk"):
        geoms[level] = (
            layers[level][[*_GEO_COLS, "geometry"]].sort_values("geo_code").reset_index(drop=True)
        )
    topo_areas = pd.concat(
        [pd.DataFrame(v.drop(columns="geometry")) for v in layers.values()], ignore_index=True
    )
    topo_areas["vintage"] = ""
    areas = pd.concat([topo_areas, _extra_areas(root)], ignore_index=True)
    areas = areas[[*_GEO_COLS, "vintage", "other_names"]].drop_duplicates(["geo_code", "geo_type"])
    for c in ("geo_code", "geo_name", "geo_type", "vintage", "other_names"):
        areas[c] = areas[c].astype("string").fillna("")
    counts = {y: len(geoms[f"lad_{y}"]) for y in LAD_VINTAGES}
    return ImportResult(
        tables={"areas": areas.sort_values(["geo_type", "geo_code"]).reset_index(drop=True)},
        geometries=geoms,
        coverage="UK LADs "
        + ", ".join(f"{y}: {n}" for y, n in counts.items())
        + f"; {len(areas)} named areas",
    )


def _lad_ttwa_overlap(lsoa_ttwa: pd.DataFrame, lsoa_lad: pd.DataFrame) -> pd.DataFrame:
    j = lsoa_lad[["lsoa21_code", "lad24_code"]].merge(
        lsoa_ttwa[["lsoa21_code", "ttwa11_code"]], on="lsoa21_code", how="inner"
    )
    t = j.groupby(["lad24_code", "ttwa11_code"]).size().rename("lsoa_count").reset_index()
    t["share_of_lad_lsoas"] = t["lsoa_count"] / t.groupby("lad24_code")["lsoa_count"].transform(
        "sum"
    )
    return t.sort_values(["lad24_code", "lsoa_count"], ascending=[True, False]).reset_index(
        drop=True
    )


def read_geography_lookups(root: Path) -> ImportResult:
    """Read the LAD hierarchy, code changes, centroids and small-area lookups."""
    root = Path(root)
    changes = read_changes(root)
    l14 = read_csv_strict(
        root / LTLA14,
        required=[
            "ltlacd",
            "ltlanm",
            "ctycd",
            "ctynm",
            "mctycd",
            "mctynm",
            "cauthcd",
            "cauthnm",
            "rgncd",
            "rgnnm",
            "ctrycd",
            "ctrynm",
        ],
    )
    ca24 = read_csv_strict(root / CAUTH24_LOOKUP, required=["LAD24CD", "CAUTH24CD"])
    ward = read_csv_strict(root / WARD23, required=["LAD23CD", "LAD23NM"])
    lad_names = _names_by_year(root, "ltla")
    lad_names[2023] = {
        **dict(zip(ward["LAD23CD"], ward["LAD23NM"], strict=True)),
        **lad_names[2023],
    }
    hier = build_lad_hierarchy(
        l14,
        changes,
        vintages=LAD_VINTAGES,
        lad_names=lad_names,
        cauth_names=_names_by_year(root, "cauth"),
        cty_names=_code_list(root, "cty23"),
        rgn_names=_code_list(root, "rgn22"),
        ctry_names=_code_list(root, "ctry22"),
        cauth_override={2024: dict(zip(ca24["LAD24CD"], ca24["CAUTH24CD"], strict=True))},
    )
    cent = read_csv_strict(
        root / LAD22_UK, required=["LAD22CD", "LAD22NM", "BNG_E", "BNG_N", "LONG", "LAT"]
    )
    centroids = pd.DataFrame(
        {
            "lad22_code": cent["LAD22CD"],
            "lad22_name": cent["LAD22NM"],
            "bng_e": cent["BNG_E"].astype(float),
            "bng_n": cent["BNG_N"].astype(float),
            "lon": cent["LONG"].astype(float),
            "lat": cent["LAT"].astype(float),
        }
    )
    der = read_csv_strict(
        root / TTWA_DERIVED, required=["lsoa21_code", "ttwa_n", "TTWA11CD", "TTWA11NM"]
    )
    lsoa_ttwa = pd.DataFrame(
        {
            "lsoa21_code": der["lsoa21_code"],
            "ttwa11_code": der["TTWA11CD"],
            "ttwa11_name": der["TTWA11NM"],
            "ttwa_n": der["ttwa_n"].astype(int),
        }
    )
    l21 = read_csv_strict(
        root / LSOA21_LAD,
        required=[
            "lsoa21_code",
            "lsoa21_name",
            "ward24_code",
            "ward24_name",
            "ltla24_code",
            "ltla24_name",
        ],
    )
    lsoa_lad = l21.rename(columns={"ltla24_code": "lad24_code", "ltla24_name": "lad24_name"})
    l11 = read_csv_strict(
        root / LSOA11_21, required=["lsoa11_code", "lsoa21_code", "ltla22_code", "change_code"]
    )
    l11 = l11.rename(columns={"ltla22_code": "lad22_code", "ltla22_name": "lad22_name"})
    ch = changes.rename(columns={})[["oldcd", "oldnm", "newcd", "newnm", "type", "start"]]
    return ImportResult(
        tables={
            "lad_hierarchy": hier,
            "code_changes": ch,
            "lad_centroids": centroids,
            "lsoa21_ttwa11": lsoa_ttwa,
            "lsoa21_lad": lsoa_lad,
            "lsoa11_lsoa21_lad22": l11,
            "lad_ttwa_overlap": _lad_ttwa_overlap(lsoa_ttwa, lsoa_lad),
        },
        coverage=f"LAD hierarchy {LAD_VINTAGES[0]}–{LAD_VINTAGES[-1]} ({len(hier)} rows); "
        f"{len(changes)} code changes; {len(lsoa_ttwa)} LSOA21→TTWA11",
    )


def read_geography_ttwa(root: Path) -> ImportResult:
    """Read the 2011 TTWA polygons and the official LSOA11 → TTWA11 lookup."""
    import geopandas as gpd

    root = Path(root)
    g = gpd.read_file(root / TTWA_GEOJSON)
    missing = [c for c in ("TTWA11CD", "TTWA11NM") if c not in g.columns]
    if missing:
        raise ImportFormatError(f"expected properties {missing}", file=str(root / TTWA_GEOJSON))
    g = g.to_crs("EPSG:4326")
    layer = gpd.GeoDataFrame(
        {
            "geo_code": g["TTWA11CD"].astype("string"),
            "geo_name": g["TTWA11NM"].astype("string"),
            "geo_type": "ttwa",
            "start": pd.array([None] * len(g), dtype="Int64"),
            "end": pd.array([None] * len(g), dtype="Int64"),
            "n_units": g["n_units"].astype("int64") if "n_units" in g else pd.NA,
        },
        geometry=list(polygonal(g.geometry.to_numpy())),
        crs="EPSG:4326",
    )
    lu = read_csv_strict(root / TTWA_LU, required=["LSOA11CD", "LSOA11NM", "TTWA11CD", "TTWA11NM"])
    lu.columns = ["lsoa11_code", "lsoa11_name", "ttwa11_code", "ttwa11_name"]
    return ImportResult(
        tables={"lsoa11_ttwa11": lu},
        geometries={layer_name("ttwa"): layer.sort_values("geo_code").reset_index(drop=True)},
        coverage=f"{len(layer)} UK TTWAs (2011); {len(lu)} small areas in the lookup",
    )


def read_geography_itl3(root: Path) -> ImportResult:
    """Read the ITL3 2021 boundaries (BNG) and store them in EPSG:4326."""
    import geopandas as gpd

    root = Path(root)
    g = gpd.read_file(root / ITL3_SHP)
    src = g.crs.to_string() if g.crs is not None else "unknown"
    if g.crs is None:
        raise ImportFormatError(
            "shapefile has no CRS (.prj); expected British National Grid", file=str(root / ITL3_SHP)
        )
    g = g.to_crs("EPSG:4326")
    layer = gpd.GeoDataFrame(
        {
            "geo_code": g["ITL321CD"].astype("string"),
            "geo_name": g["ITL321NM"].astype("string"),
            "geo_type": "itl3",
            "start": pd.array([None] * len(g), dtype="Int64"),
            "end": pd.array([None] * len(g), dtype="Int64"),
            "bng_e": g["BNG_E"].astype(float),
            "bng_n": g["BNG_N"].astype(float),
            "lon": g["LONG"].astype(float),
            "lat": g["LAT"].astype(float),
            "source_crs": src,
        },
        geometry=list(polygonal(g.geometry.to_numpy())),
        crs="EPSG:4326",
    )
    return ImportResult(
        geometries={layer_name("itl3"): layer.sort_values("geo_code").reset_index(drop=True)},
        coverage=f"{len(layer)} ITL3 areas (2021), reprojected {src} → EPSG:4326",
    )


def _read_pwc(root: Path, rel: str, names_rel: str) -> pd.DataFrame:
    from pyproj import Transformer

    path = root / rel
    codes, lon, lat = [], [], []
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        for i, line in enumerate(fh, start=1):
            if not line.strip():
                continue
            try:
                feat = json.loads(line)
                codes.append(feat["properties"]["areacd"])
                x, y = feat["geometry"]["coordinates"][:2]
            except (json.JSONDecodeError, KeyError, TypeError, ValueError) as exc:
                raise ImportFormatError(
                    f"expected one GeoJSON Point Feature with properties.areacd per line ({exc})",
                    file=str(path),
                    row=i,
                ) from None
            lon.append(float(x))
            lat.append(float(y))
    e, n = Transformer.from_crs("EPSG:4326", "EPSG:27700", always_xy=True).transform(lon, lat)
    names = _code_list(root, Path(names_rel).stem)
    out = pd.DataFrame(
        {
            "geo_code": codes,
            "geo_name": [names.get(c, "") for c in codes],
            "lon": lon,
            "lat": lat,
            "bng_e": np.round(e, 1),
            "bng_n": np.round(n, 1),
        }
    )
    return out.sort_values("geo_code").reset_index(drop=True)


def read_geography_centroids(root: Path) -> ImportResult:
    """Read LSOA21 and MSOA21 population-weighted centroids."""
    root = Path(root)
    lsoa = _read_pwc(root, G + "lsoa21_pwc.json.gz", G + "lsoa21.csv")
    msoa = _read_pwc(root, G + "msoa21_pwc.json.gz", G + "msoa21.csv")
    return ImportResult(
        tables={"lsoa21_pwc": lsoa, "msoa21_pwc": msoa},
        coverage=f"{len(lsoa)} LSOA21 and {len(msoa)} MSOA21 centroids (E&W)",
    )


_ONS_GEO = "https://geoportal.statistics.gov.uk/"
DATASETS: list[DatasetSpec] = [
    DatasetSpec(
        id="geography_boundaries",
        title="UK administrative boundaries 2014–2025 (super-generalised, ONS TopoJSON)",
        publisher="ONS (ONSvisual/uk-topojson)",
        licence=OGL,
        source_url="https://github.com/ONSvisual/uk-topojson",
        vintage="2014-2025",
        files=(
            TOPO,
            CHANGES,
            *(f"{G}{n}.csv" for n in [*CODE_LISTS, *OTHER_LISTS]),
            TTWA_LU,
            *ITL3_FILES,
            NUTS2_SOURCE,
        ),
        reader=read_geography_boundaries,
        caveats=(
            "Super-generalised boundaries (from 2016): for maps and adjacency, not area sums.",
            "Vintage y = areas with start <= y <= end (end inclusive).",
        ),
    ),
    DatasetSpec(
        id="geography_lookups",
        title="LAD hierarchy 2019–2025, code changes, LAD centroids and small-area lookups",
        publisher="ONS",
        licence=OGL,
        source_url=_ONS_GEO,
        vintage="2014-2025",
        files=(
            LTLA14,
            CHANGES,
            CAUTH24_LOOKUP,
            WARD23,
            LAD22_UK,
            TTWA_DERIVED,
            LSOA21_LAD,
            LSOA11_21,
            *(f"{G}{n}.csv" for n in [*CODE_LISTS, "rgn22", "ctry22", "cty23"]),
        ),
        reader=read_geography_lookups,
        caveats=("LSOA21→TTWA11 is derived: 4 LSOAs straddle two TTWAs; the modal one is used.",),
    ),
    DatasetSpec(
        id="geography_ttwa",
        title="Travel-to-work areas 2011 (UK) and LSOA11 → TTWA11 lookup",
        publisher="ONS",
        licence=OGL,
        source_url=_ONS_GEO,
        vintage="2011",
        files=(TTWA_GEOJSON, TTWA_LU),
        reader=read_geography_ttwa,
        caveats=(
            "TTWA polygons are dissolved from generalised small areas: good for maps and "
            "point-in-polygon, not for area sums.",
        ),
    ),
    DatasetSpec(
        id="geography_itl3",
        title="ITL3 boundaries, January 2021 (UK, BUC)",
        publisher="ONS",
        licence=OGL,
        source_url=_ONS_GEO,
        vintage="2021",
        files=ITL3_FILES,
        reader=read_geography_itl3,
        caveats=("Stored in EPSG:4326, reprojected from British National Grid (EPSG:27700).",),
    ),
    DatasetSpec(
        id="geography_centroids",
        title="LSOA 2021 and MSOA 2021 population-weighted centroids",
        publisher="ONS",
        licence=OGL,
        source_url=_ONS_GEO,
        vintage="2021",
        files=(
            G + "lsoa21_pwc.json.gz",
            G + "msoa21_pwc.json.gz",
            G + "lsoa21.csv",
            G + "msoa21.csv",
        ),
        reader=read_geography_centroids,
    ),
]
