"""Evidence-pack workflow: read the warehouse once, resolve the place, build
the context and render HTML / PDF / Word / Excel.

I/O lives here and in the renderers; :func:`creative_clusters.reporting.build_context`
is pure. Whatever is not in the warehouse becomes a section status
``missing``/``partial`` with plain words on how to get it, never an error.

Hooks for modules other layers provide (used when present):

- ``creative_clusters.workflows.business_counts`` (``lad_business_table``) and
  ``creative_clusters.workflows.detection`` (``detect``, ``find_corridors``): cluster detection
  under each method and corridors;
- reference table ``microclusters`` (LAD column ``lad23_code``, else ``geo_code`` or
  ``lad_code``; optionally ``microcluster_id, n_firms, meets_min_firms,
  dominant_subsector, dominant_share, area_km2, density_per_km2, stability,
  in_area_cluster, top_postcode_share``; ``national_rank`` by firms is added
  over the whole table) and geometry layer ``microclusters`` (EPSG:27700) for
  the section 6 map over ``lad_2023``;
- ``creative_clusters.people.evidence_workforce(wh, members) -> dict`` with
  ``sentences``, ``tables``, ``sources``, ``missing`` for section 5.
"""

from __future__ import annotations

import contextlib
import os
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from creative_clusters import kinds
from creative_clusters.benchmarking.framework import (
    Framework,
    creative_enterprises_by_subsector,
    indicator_table,
    indicator_values,
    lad_column,
    load_framework,
)
from creative_clusters.errors import ClusterToolkitError, ParameterError, WarehouseError
from creative_clusters.geography.resolver import PlaceBook
from creative_clusters.reporting._model import EvidenceInputs, PlaceInfo
from creative_clusters.reporting._national import (
    LAD_VINTAGE,
    lad_areas_km2,
    micro_in_place,
    n_qualifying,
    rank_microclusters,
    to_lad_vintage,
)
from creative_clusters.workflows._notes import with_notes
from creative_clusters.workflows.evidence_stats import (
    business_lq,
    census_divisions,
    census_wide,
    choose_place_peers,
    demography_values,
    deprivation,
    focus_figure,
    neighbours,
    peer_pool,
    place_indicator_row,
    published_indicators,
    with_group,
)

__all__ = [
    "FORMATS",
    "NationalData",
    "PackBatchError",
    "build_all",
    "build_pack",
    "gather_inputs",
    "level_codes",
    "lint_codes",
    "load_national",
    "place_chain",
    "resolve_evidence_place",
    "write_pack",
]

FORMATS = ("html", "pdf", "docx", "xlsx")
#: The dataset kinds the packs read (the catalogue serves the latest dataset of each).
KINDS = (kinds.CREATIVE_ENTERPRISES_SIC, kinds.ACTIVE_ENTERPRISES, kinds.CENSUS_INDUSTRY,
         kinds.LOCAL_INDICATORS, kinds.DEPRIVATION_ENGLAND)
IMPORT_HINT = "Run `creative-clusters data import DIR` with the reference-data folder."


@dataclass
class NationalData:
    """Everything national the packs need, read once (picklable: no connections)."""

    framework: Framework
    enterprises: pd.DataFrame | None = None
    enterprises_period: str = ""
    demography: pd.DataFrame | None = None
    census: pd.DataFrame | None = None
    indicators: pd.DataFrame | None = None
    names: dict[str, str] = field(default_factory=dict)
    areas: pd.DataFrame | None = None
    hierarchy: pd.DataFrame | None = None
    ttwa_overlap: pd.DataFrame | None = None
    hei: pd.DataFrame | None = None
    museums: pd.DataFrame | None = None
    microclusters: pd.DataFrame | None = None
    microcluster_hulls: Any = None
    lad_area_km2: pd.Series | None = None
    clusters: pd.DataFrame | None = None
    corridors: pd.DataFrame | None = None
    geometry: Any = None
    bres_groups: pd.DataFrame | None = None
    lad_nuts2: pd.DataFrame | None = None
    nuts2_names: dict[str, str] = field(default_factory=dict)
    sources: list[dict[str, Any]] = field(default_factory=list)
    missing: dict[str, list[str]] = field(default_factory=dict)
    home: str | None = None
    nuts2_cache: dict[tuple[str, ...], Any] = field(default_factory=dict)
    published: pd.DataFrame | None = None
    population: pd.Series | None = None
    workforce_lads: frozenset[str] = frozenset()
    deprivation: dict[str, tuple[str, str, pd.DataFrame]] = field(default_factory=dict)
    class_counts: pd.DataFrame | None = None
    census_wide: pd.DataFrame | None = None
    active_latest: pd.Series | None = None
    active_first: pd.Series | None = None
    lq: Any = None
    peer_pools: dict[str, pd.DataFrame] = field(default_factory=dict)
    peer_groups: dict[str, dict[str, list[str]]] = field(default_factory=dict)
    group_rows: dict[str, Any] = field(default_factory=dict)


def _obs(wh: Any, dataset: str, **filters: Any) -> pd.DataFrame | None:
    if not wh.has_dataset(dataset):
        return None
    return wh.observations(dataset=dataset, **filters)


def _points_to_lads(table: pd.DataFrame, geometry: Any) -> pd.DataFrame:
    """Add ``lad_code`` to a table with latitude/longitude by point-in-polygon."""
    if lad_column(table) is not None or geometry is None:
        return table
    if not {"latitude", "longitude"} <= set(table.columns):
        return table
    import geopandas as gpd

    ok = table["latitude"].notna() & table["longitude"].notna()
    pts = gpd.GeoDataFrame(table.loc[ok].copy(),
                           geometry=gpd.points_from_xy(table.loc[ok, "longitude"], table.loc[ok, "latitude"]),
                           crs="EPSG:4326")
    g = geometry[["geo_code", "geometry"]]
    if g.crs is not None and g.crs != pts.crs:
        g = g.to_crs(pts.crs)
    j = gpd.sjoin(pts, g, how="left", predicate="within")
    j = j[~j.index.duplicated()]
    out = table.copy()
    out["lad_code"] = j["geo_code"].reindex(out.index)
    return out


def _clusters_hook(wh: Any, geometry: Any, missing: dict[str, list[str]]) -> tuple[Any, Any]:
    """Cluster flags by method and corridors (the library's warnings become the section's notes)."""
    from creative_clusters.workflows import business_counts, detection, place_geometry

    names = {"threshold": "Nesta co-location rule", "strong": "US Cluster Mapping rule",
             "hotspot": "hot-spot analysis (Getis-Ord Gi* and local Moran)"}
    notes = missing.setdefault("connections", [])
    rows, thr = [], None
    try:
        table, more = with_notes(business_counts.lad_business_table, wh)
        notes.extend(more)
        conn = None
        if geometry is not None:
            conn, more = with_notes(place_geometry.build_connectivity,
                                    geometry[geometry["geo_code"].isin(table["geo_code"])])
            notes.extend(more)
        for method in ("threshold", "strong", "hotspot"):
            if method == "hotspot" and conn is None:
                continue
            try:
                (out, _), more = with_notes(detection.detect, table, method=method, connectivity=conn, seed=0)
                notes.extend(more)
            except ClusterToolkitError as exc:
                notes.append(f"Detection method {method} failed: {exc}")
                continue
            if method == "threshold":
                thr = out
            for r in out.itertuples():
                rows.append({"method": names[method], "geo_code": r.geo_code,
                             "is_cluster": bool(r.cluster), "detail": ""})
    except ClusterToolkitError as exc:
        missing.setdefault("summary", []).append(f"Cluster detection could not run: {exc}")
        return None, None
    clusters = pd.DataFrame(rows) if rows else None
    corridors = None
    if thr is not None:
        try:
            (cor, _), more = with_notes(detection.find_corridors, thr)
            notes.extend(more)
            c = cor[cor["corridor"].notna() & (cor["corridor"].astype(str) != "-1")]
            size = "creative_businesses" if "creative_businesses" in c.columns else "businesses"
            recs = []
            for _k, g in c.groupby("corridor"):
                g = g.sort_values(size, ascending=False)
                top = [str(x) for x in g["geo_name"].head(3)] if "geo_name" in g.columns else []
                label = "the corridor of " + ", ".join(top) + (f" and {len(g) - 3} more" if len(g) > 3 else "")
                recs.append({"corridor": label, "members": ",".join(sorted(g["geo_code"].astype(str))),
                             "detail": f"{len(g)} clustered local authorities, "
                                       f"{int(g[size].sum()):,} creative enterprises"})
            corridors = pd.DataFrame(recs)
        except ClusterToolkitError as exc:
            notes.append(f"Corridor detection could not run: {exc}")
    return clusters, corridors


def load_national(home: str | os.PathLike[str] | None = None, *, wh: Any = None,
                  framework: str | Framework = "growth_potential_v1", year: str | int | None = None,
                  detect_clusters: bool = True, cache: bool = True) -> NationalData:
    """Read every national table the evidence packs use from the warehouse.

    With ``cache`` (and no open ``wh`` given), the result is kept in this
    process and under ``<home>/cache/evidence-national/`` as Parquet and JSON
    (data only, never pickles: see :mod:`creative_clusters.workflows._table_cache`),
    keyed by the warehouse's content fingerprint
    (:meth:`~creative_clusters.warehouse.Warehouse.version`), this package's
    code and the arguments, so further packs from an unchanged warehouse skip
    the read and national cluster detection. Any import gives a new key.
    """
    if not (cache and wh is None and isinstance(framework, str)):
        return _load_national(home, wh=wh, framework=framework, year=year, detect_clusters=detect_clusters)
    from creative_clusters.warehouse import Warehouse
    from creative_clusters.workflows import _table_cache

    with Warehouse(home, read_only=True) as w:
        key = _national_key(w.version(), framework, year, detect_clusters)
        hit = _NATIONAL_CACHE.get(str(w.home.resolve()) + key)
        if hit is not None:
            return hit
        root = w.home / "cache" / "evidence-national"
        nd = _table_cache.load(root, key, NationalData, framework=load_framework(framework))
        if nd is None:
            nd = _load_national(home, wh=w, framework=framework, year=year, detect_clusters=detect_clusters)
            _table_cache.prune(root, keep=key)
            _table_cache.save(root, key, nd, skip=("framework", "nuts2_cache"))
        nd.home = str(w.home)
    _NATIONAL_CACHE.clear()  # one warehouse version at a time: the tables are large
    _NATIONAL_CACHE[str(w.home.resolve()) + key] = nd
    return nd


def _national_key(version: str, framework: str, year: str | int | None, detect: bool) -> str:
    """Warehouse content + this package's code + the arguments."""
    import hashlib
    from pathlib import Path

    h = hashlib.sha256(repr((version, framework, None if year is None else str(year), detect)).encode())
    pkg = Path(__file__).resolve().parents[1]
    for f in sorted([*pkg.rglob("*.py"), *pkg.rglob("*.yaml")]):
        st = f.stat()
        h.update(f"{f.relative_to(pkg)}|{st.st_size}|{st.st_mtime_ns}\n".encode())
    return h.hexdigest()[:24]


#: National tables of the warehouse version last read, in this process.
_NATIONAL_CACHE: dict[str, NationalData] = {}


def _load_national(home: str | os.PathLike[str] | None = None, *, wh: Any = None,
                   framework: str | Framework = "growth_potential_v1", year: str | int | None = None,
                   detect_clusters: bool = True) -> NationalData:
    from creative_clusters.warehouse import Warehouse

    own = wh is None
    wh = wh or Warehouse(home, read_only=True)
    try:
        fw = framework if isinstance(framework, Framework) else load_framework(framework)
        nd = NationalData(framework=fw, home=str(wh.home))
        miss = nd.missing
        cat = wh.datasets()
        nd.sources = [{k: ("" if pd.isna(v) else v) for k, v in r.items()} for r in cat.to_dict("records")]
        obs: dict[str, pd.DataFrame] = {}
        changes = wh.table("code_changes") if wh.has_table("code_changes") else None
        for kind in KINDS:
            ref = wh.find_dataset(kind, period=year if kind == kinds.CREATIVE_ENTERPRISES_SIC else None)
            o = wh.observations(dataset=ref.id) if ref is not None else None
            if o is None or o.empty:
                miss.setdefault("benchmark", []).append(
                    f"No dataset of {kinds.kind_of(kind).serves} is in the warehouse. {IMPORT_HINT}")
                continue
            if changes is not None and kind != kinds.CREATIVE_ENTERPRISES_SIC:
                o = to_lad_vintage(o, changes)  # older LAD codes: counts summed onto the business LAD set
            obs[kind] = o
        bc = obs.get(kinds.CREATIVE_ENTERPRISES_SIC)
        if bc is not None:
            bc = bc[bc["measure"] == "enterprises"]
            periods = sorted(bc["period"].unique())
            if year is not None and str(year) not in periods:
                raise ParameterError(f"no creative business counts for {year}; the warehouse has {periods}. "
                                     "Fetch other years with "
                                     "`creative-clusters data fetch business_counts_enterprises --date YEAR`.")
            p = str(year) if year is not None else periods[-1]
            nd.enterprises_period = p
            sel = bc[(bc["period"] == p) & (bc["geo_type"] == "lad")]
            ent = creative_enterprises_by_subsector(sel)
            nd.enterprises = ent if not ent.empty else None
            cls = sel[sel["industry_scheme"] == "SIC2007"]
            nd.class_counts = cls.pivot_table(index="geo_code", columns="industry_code", values="value",
                                              aggfunc="sum") if len(cls) else None
        d = obs.get(kinds.ACTIVE_ENTERPRISES)
        if d is not None:
            nd.demography = d[["geo_code", "geo_type", "period", "measure", "status", "value"]].copy()
        c = obs.get(kinds.CENSUS_INDUSTRY)
        if c is not None:
            pop = c[(c["measure"] == "usual_residents") & (c["geo_type"] == "lad")]
            nd.population = pop.groupby("geo_code")["value"].sum(min_count=1).astype(float)
            c = c[(c["measure"] == "residents_in_employment") & (c["industry_scheme"] == "SIC2007_DIV")]
            nd.census = c[["geo_code", "industry_code", "value"]].copy()
        tables = {}
        for name in ("areas", "lad_hierarchy", "lad_ttwa_overlap", "hei", "museums", "microclusters"):
            if wh.has_table(name):
                tables[name] = wh.table(name)
        # without it, the scale section says the map is missing and how to get it
        with contextlib.suppress(ClusterToolkitError):
            nd.geometry = wh.read_geometry(f"lad_{LAD_VINTAGE}")
        if nd.geometry is not None:
            nd.lad_area_km2 = lad_areas_km2(nd.geometry)
            nd.geometry = nd.geometry.to_crs("EPSG:27700")  # metres: neighbour buffers, scale bars
        nd.areas = tables.get("areas")
        nd.hierarchy = tables.get("lad_hierarchy")
        nd.ttwa_overlap = tables.get("lad_ttwa_overlap")
        if nd.areas is not None:
            a = nd.areas.drop_duplicates("geo_code", keep="first")
            nd.names = dict(zip(a["geo_code"].astype(str), a["geo_name"].astype(str), strict=False))
        elif nd.geometry is not None:
            nd.names = dict(zip(nd.geometry["geo_code"], nd.geometry["geo_name"], strict=False))
        for name in ("hei", "museums"):
            t = tables.get(name)
            if t is not None:
                setattr(nd, name, _points_to_lads(t, nd.geometry))
        nd.microclusters = rank_microclusters(tables.get("microclusters"))
        if nd.microclusters is not None:
            # without hulls the table still lists them; the map is left out
            with contextlib.suppress(ClusterToolkitError):
                nd.microcluster_hulls = wh.read_geometry("microclusters")
        _load_nuts2_growth(wh, nd)
        universe = list(nd.enterprises.index) if nd.enterprises is not None else None
        ref_tables = {k: v for k, v in (("hei", nd.hei), ("museums", nd.museums)) if v is not None
                      and lad_column(v) is not None}
        vals, notes = with_notes(indicator_values, fw, obs, ref_tables, geo_type="lad", universe=universe)
        if notes:
            miss.setdefault("benchmark", []).extend(notes)
        nd.indicators = indicator_table(fw, vals) if len(vals) else None
        nd.published = published_indicators(fw, obs)
        # computed once for every pack: national LQs, Census divisions wide, active enterprises
        nd.active_latest, nd.active_first = _active_latest(nd.demography)
        if nd.enterprises is not None and len(nd.active_latest):
            nd.lq = business_lq(nd.enterprises, nd.active_latest)
        if nd.census is not None and len(nd.census):
            nd.census_wide = census_wide(nd.census)
        nd.deprivation = _deprivation_indices(wh)
        # the places with creative-occupation tables (SOC 2020 minor groups): section 5 adds them
        occ = wh.observations(occupation_scheme="SOC2020_MINOR")
        nd.workforce_lads = frozenset(occ["geo_code"].astype(str)) if len(occ) else frozenset()
        if nd.indicators is not None and universe is not None:
            # one base for every indicator: the 2023 English LADs of the business counts
            nd.indicators = nd.indicators[nd.indicators.index.isin(set(universe))]
        if detect_clusters and nd.enterprises is not None:
            nd.clusters, nd.corridors = _clusters_hook(wh, nd.geometry, miss)
        return nd
    finally:
        if own:
            wh.close()


def _deprivation_indices(wh: Any) -> dict[str, tuple[str, str, pd.DataFrame]]:
    """The latest deprivation index of each nation (by dataset kind): kind -> (dataset id, vintage, LAD rows)."""
    out = {}
    for kind in (kinds.DEPRIVATION_ENGLAND, kinds.DEPRIVATION_WALES, kinds.DEPRIVATION_SCOTLAND,
                 kinds.DEPRIVATION_NORTHERN_IRELAND):
        ref = wh.find_dataset(kind)
        if ref is not None:
            o = wh.observations(dataset=ref.id, geo_type="lad")
            keep = o["measure"].isin(["imd_rank_of_average_score", "imd_proportion_most_deprived_10pct"])
            out[kind] = (ref.id, str(ref.vintage), o[keep])
    return out


def _load_nuts2_growth(wh: Any, nd: NationalData) -> None:
    """BRES employment by NUTS2 grouped into creative sub-sectors, and the LAD → NUTS2 (2013)
    lookup, for the section 3 wider-area block (both read once)."""
    if wh.find_dataset(kinds.EMPLOYMENT_NUTS2) is None:
        nd.missing.setdefault("growth", []).append(
            f"No BRES employment by NUTS2 is in the warehouse, so no wider-area creative trend. {IMPORT_HINT}")
        return
    from creative_clusters.geography.nuts2 import load_lad_nuts2
    from creative_clusters.reporting.growth_block import group_employment
    from creative_clusters.workflows.nuts2_tables import nuts2_counts

    try:
        nd.lad_nuts2 = load_lad_nuts2(wh, vintage=LAD_VINTAGE)
        nd.bres_groups = group_employment(nuts2_counts(wh, measure="employment"))
    except ClusterToolkitError as exc:
        nd.missing.setdefault("growth", []).append(f"No wider-area creative trend: {exc}")
        nd.lad_nuts2 = nd.bres_groups = None
        return
    if wh.has_table("nuts2_areas"):
        t = wh.table("nuts2_areas")
        nd.nuts2_names = dict(zip(t["nuts2_code"].astype(str), t["nuts2_name"].astype(str), strict=False))


def _nuts2_growth(nd: NationalData, place: PlaceInfo, subsectors: Sequence[str]) -> dict[str, Any] | None:
    """The section 3 wider-area block for ``place`` (None when the inputs are absent)."""
    if nd.bres_groups is None or nd.lad_nuts2 is None:
        return None
    from creative_clusters.geography.nuts2 import place_nuts2
    from creative_clusters.reporting.growth_block import growth_block, wider_area_growth

    codes, unknown = place_nuts2(nd.lad_nuts2, place.members)
    lk = nd.lad_nuts2[nd.lad_nuts2["geometry_source"] == "polygon"]
    n_lads = int(lk["nuts2_code"].isin(codes).sum())
    n_members = int(lk["lad_code"].isin(place.members).sum())
    have = set(nd.bres_groups["geo_code"])
    key = tuple(c for c in codes if c in have)
    if key and key not in nd.nuts2_cache:
        nd.nuts2_cache[key] = wider_area_growth(nd.bres_groups, list(key))
    share = None
    if nd.population is not None:  # the place's share of the wider area's residents (Census 2021)
        pop = nd.population
        area_pop = float(pop.reindex(lk.loc[lk["nuts2_code"].isin(codes), "lad_code"].astype(str)).sum())
        place_pop = float(pop.reindex(list(place.members)).sum())
        share = min(place_pop / area_pop, 1.0) if area_pop > 0 and place_pop > 0 else None
    block = growth_block(nd.bres_groups, codes, place=place.name, nuts2_names=nd.nuts2_names,
                         n_lads=n_lads or None, n_members=n_members, focus=_short_codes(subsectors),
                         rows=nd.nuts2_cache.get(key), population_share=share)
    if unknown:
        block["missing"].append(f"No NUTS2 (2013) area found for {', '.join(unknown)}.")
    return block


def _short_codes(subsectors: Sequence[str]) -> list[str]:
    from creative_clusters.classifications import dcms

    out = []
    for s in subsectors:
        try:
            out.append(dcms.subsector_short(s))
        except (ClusterToolkitError, KeyError, ValueError):
            out.append(str(s))
    return out


def _chain(nd: NationalData, place: PlaceInfo) -> list[str]:
    chain = [place.name, place.code]
    h = nd.hierarchy
    if h is not None and len(place.members):
        hv = h[h["vintage"].astype(str) == LAD_VINTAGE] if "vintage" in h.columns else h
        r = hv[hv["lad_code"].astype(str).isin(place.members)]
        for col in ("cauth_name", "cauth_code", "rgn_name", "rgn_code", "ctry_name", "ctry_code"):
            if col in r.columns:
                vals = [v for v in r[col].dropna().astype(str).unique() if v]
                if len(vals) == 1:
                    chain.append(vals[0])
    if len(place.members) == 1 and place.members[0] != place.code:
        chain.append(nd.names.get(place.members[0], place.members[0]))
    chain.append("UK")
    return list(dict.fromkeys(chain))


def _place_book(nd: NationalData) -> PlaceBook:
    """The place book over the pack's national tables (the same resolver as every command)."""
    if nd.areas is None:
        raise WarehouseError("evidence packs need the geography datasets to find places; "
                             "run `creative-clusters data import DIR`.")
    hit = _BOOKS.get(id(nd))
    if hit is not None and hit[0] is nd.areas:
        return hit[1]
    from creative_clusters.workflows.places import book_from_tables

    book = book_from_tables(nd.areas, nd.hierarchy, nd.ttwa_overlap, lad_lookup=nd.lad_nuts2)
    if len(_BOOKS) > 8:
        _BOOKS.clear()
    _BOOKS[id(nd)] = (nd.areas, book)
    return book


_BOOKS: dict[int, tuple[pd.DataFrame, PlaceBook]] = {}


def resolve_evidence_place(nd: NationalData, query: str | None = None, *, name: str | None = None,
                           places: Sequence[str] | None = None) -> PlaceInfo:
    """Resolve a place query, or build a user's group (code ``custom:<slug>``) from LAD codes or names.

    Uses :class:`~creative_clusters.geography.resolver.PlaceBook`, the resolver of
    :func:`creative_clusters.workflows.places.resolve_place`, on the pack's national tables.
    """
    book = _place_book(nd)
    if places:
        pl = book.group(name or "Custom area", places)
    elif not query:
        raise ParameterError("give a PLACE, or --name with --places CODE,CODE,...")
    else:
        pl = book.resolve(query)
    p = PlaceInfo(code=pl.code, name=pl.name, geo_type=pl.level, members=list(pl.members) or [pl.code])
    p.chain = _chain(nd, p)
    return p


def place_chain(query: str, home: str | os.PathLike[str] | None = None) -> list[str]:
    """The place and the areas containing it (names and codes, up to region, nation and "UK"),
    read from the warehouse's ``areas`` and ``lad_hierarchy`` tables; for the research search."""
    from creative_clusters.warehouse import Warehouse
    from creative_clusters.workflows.places import resolve_place

    with Warehouse(home, read_only=True) as wh:
        pl = resolve_place(wh, query)
        nd = NationalData(framework=load_framework())
        a = wh.table("areas").drop_duplicates("geo_code", keep="first")
        nd.names = dict(zip(a["geo_code"].astype(str), a["geo_name"].astype(str), strict=False))
        if wh.has_table("lad_hierarchy"):
            nd.hierarchy = wh.table("lad_hierarchy")
    p = PlaceInfo(code=pl.code, name=pl.name, geo_type=pl.level, members=list(pl.members) or [pl.code])
    return _chain(nd, p)


def _in_place(table: pd.DataFrame | None, members: Iterable[str]) -> pd.DataFrame | None:
    if table is None:
        return None
    col = lad_column(table)
    if col is None:
        return None
    return table[table[col].astype(str).isin(set(members))].reset_index(drop=True)


def gather_inputs(nd: NationalData, place: PlaceInfo, *, subsectors: Sequence[str] = (),
                  peers: Sequence[str] | None = None, composite: bool = False,
                  build_date: str | None = None, png: bool | str = True, seed: int = 0,
                  workforce: dict[str, Any] | None = None) -> EvidenceInputs:
    """The place's :class:`EvidenceInputs` from national data."""
    micro = micro_in_place(nd.microclusters, place.members)
    hulls = None
    if micro is not None and nd.microcluster_hulls is not None and "microcluster_id" in micro.columns \
            and "microcluster_id" in nd.microcluster_hulls.columns:
        hulls = nd.microcluster_hulls[nd.microcluster_hulls["microcluster_id"].isin(set(micro["microcluster_id"]))]
    missing = {k: list(v) for k, v in nd.missing.items()}
    choice = _peers(nd, place, peers)
    stats = _place_stats(nd, place, choice)
    subsectors, focus = _focus(nd, place, subsectors, stats["lq"])
    if nd.microclusters is not None and micro is None:
        missing.setdefault("microclusters", []).append(
            "The microclusters table has no LAD code column (geo_code or lad_code).")
    return EvidenceInputs(
        place=place, framework=nd.framework, subsectors=subsectors, enterprises=nd.enterprises,
        enterprises_period=nd.enterprises_period, demography=_demography_rows(nd, place), census=nd.census,
        active_latest=nd.active_latest,
        indicators=nd.indicators, names=nd.names, peers=list(peers) if peers else None,
        hei=_in_place(nd.hei, place.members) if nd.hei is not None else None,
        museums=_in_place(nd.museums, place.members) if nd.museums is not None else None,
        microclusters=micro,
        microclusters_national=n_qualifying(nd.microclusters), microcluster_hulls=hulls,
        lad_area_km2=nd.lad_area_km2,
        clusters=nd.clusters, corridors=nd.corridors, workforce=workforce,
        geometry=nd.geometry, nuts2_growth=_nuts2_growth(nd, place, subsectors), sources=nd.sources,
        missing=missing, composite=composite, seed=seed,
        build_date=build_date, png=png, focus=focus, peer_choice=choice, **stats)


_PEER_TOKENS = {"include-london": False, "exclude-london": True}


def _peer_groups(nd: NationalData, kind: str) -> dict[str, list[str]]:
    """Every place of ``kind`` as its member LADs (the same membership rules as the packs; kept on ``nd``)."""
    if kind not in nd.peer_groups:
        nd.peer_groups[kind] = _peer_groups_uncached(nd, kind)
    return nd.peer_groups[kind]


def _peer_groups_uncached(nd: NationalData, kind: str) -> dict[str, list[str]]:
    if nd.enterprises is None:
        return {}
    lads = [str(c) for c in nd.enterprises.index]
    if kind in ("lad", "custom"):
        return {c: [c] for c in lads}
    if kind == "ttwa" and nd.ttwa_overlap is not None:
        from creative_clusters.geography.membership import lad_ttwa_assignment

        a = lad_ttwa_assignment(nd.ttwa_overlap)
        a = a[a["lad_code"].astype(str).isin(set(lads))]
        return {str(t): sorted(g["lad_code"].astype(str)) for t, g in a.groupby("ttwa11_code")}
    col = {"cauth": "cauth_code", "rgn": "rgn_code"}.get(kind)
    h = nd.hierarchy
    if col is None or h is None:
        return {}
    hv = h[h["vintage"].astype(str) == LAD_VINTAGE] if "vintage" in h.columns else h
    hv = hv[hv["lad_code"].astype(str).isin(set(lads)) & hv[col].notna() & (hv[col].astype(str) != "")]
    return {str(c): sorted(g["lad_code"].astype(str)) for c, g in hv.groupby(col)}


def _peers(nd: NationalData, place: PlaceInfo, peers: Sequence[str] | None) -> Any:
    """The place's peers of the same kind and nation (see ``evidence_stats.choose_place_peers``)."""
    if nd.enterprises is None or nd.active_latest is None:
        return None
    tokens = [p for p in (peers or []) if p.strip().lower() in _PEER_TOKENS]
    given = [p for p in (peers or []) if p not in tokens] or None
    exclude = _PEER_TOKENS[tokens[-1].strip().lower()] if tokens else None
    kind = place.geo_type if place.geo_type in ("lad", "cauth", "rgn", "ttwa") else "custom"
    if kind == "lad" and not place.is_single:
        kind = "custom"
    if kind not in nd.peer_pools:
        nd.peer_pools[kind] = peer_pool(nd.enterprises.astype(float), nd.active_latest, nd.lad_area_km2,
                                        _peer_groups(nd, kind))
    pool = nd.peer_pools[kind]
    if place.code not in pool.index:
        extra = peer_pool(nd.enterprises.astype(float), nd.active_latest, nd.lad_area_km2,
                          {place.code: list(place.members)})
        if extra.empty:
            return None
        pool = pd.concat([pool, extra])
    method = "structure" if kind == "custom" else "size_structure"
    return choose_place_peers(pool, place.code, kind=kind, place_name=place.label, members=place.members,
                              given=given, exclude_london=exclude, method=method)


def _focus(nd: NationalData, place: PlaceInfo, terms: Sequence[str], lq: Any) -> tuple[list[str], list[Any]]:
    """Split ``--subsector`` words into DCMS sub-sectors and focus activities (exact SIC classes).

    An unknown word raises :class:`ParameterError` with suggestions related by meaning.
    """
    from creative_clusters.classifications import dcms
    from creative_clusters.errors import UnknownCodeError
    from creative_clusters.reporting.focus import focus_activity, suggest

    subs: list[str] = []
    figs = []
    for term in terms:
        act = focus_activity(term)
        if act is not None:
            subs.append(act.subsector)
            if nd.class_counts is not None and lq is not None:
                f = focus_figure(term, act, nd.class_counts, lq, code=place.code, members=place.members)
                if f is not None:
                    figs.append(f)
            continue
        try:
            subs.append(dcms.resolve_subsector(term))
        except UnknownCodeError as exc:
            hints = suggest(term)
            raise ParameterError(
                f"unknown creative sub-sector or activity {term!r}"
                + (f"; related: {', '.join(hints)}" if hints else "")
                + f". Use a DCMS sub-sector ({', '.join(dcms.SUBSECTORS)}) or one of the activities "
                "games, animation, vfx, music.") from exc
    return list(dict.fromkeys(subs)), figs


def _demography_rows(nd: NationalData, place: PlaceInfo) -> pd.DataFrame | None:
    """Business demography rows of the place, its members and the UK (what section 3 shows)."""
    from creative_clusters.reporting._model import UK

    d = nd.demography
    if d is None:
        return None
    return d[d["geo_code"].isin({place.code, *place.members, UK})]


def _active_latest(demography: pd.DataFrame | None) -> tuple[pd.Series, pd.Series]:
    """Active enterprises (all industries) in the latest year, and in the first and last years."""
    if demography is None or demography.empty:
        return pd.Series(dtype=float), pd.Series(dtype=float)
    a = demography[(demography["measure"] == "active_enterprises") & (demography["status"].fillna("") == "")]
    if a.empty:
        return pd.Series(dtype=float), pd.Series(dtype=float)
    p0, p1 = a["period"].min(), a["period"].max()
    latest = a[a["period"] == p1].set_index("geo_code")["value"].astype(float)
    first = a[a["period"] == p0].set_index("geo_code")["value"].astype(float)
    return latest, first


def _group_row(nd: NationalData, code: str, geo_type: str, members: Sequence[str], lq: Any) -> tuple[Any, dict]:
    """The benchmark row of a place made of LADs (see ``evidence_stats.place_indicator_row``)."""
    latest = nd.active_latest if nd.active_latest is not None else pd.Series(dtype=float)
    first = nd.active_first if nd.active_first is not None else pd.Series(dtype=float)
    mem = [m for m in members if m in latest.index and m in first.index]
    growth = None
    if mem and len(mem) == len(members):
        growth = (float(latest.loc[mem].sum()) / float(first.loc[mem].sum()) - 1.0) * 100.0
    return place_indicator_row(nd.framework, nd.indicators, code=code, geo_type=geo_type, members=members,
                               published=nd.published, lq=lq, census=census_divisions(nd.census_wide, members),
                               active=latest, population=nd.population, active_growth=growth)


def _place_stats(nd: NationalData, place: PlaceInfo, choice: Any = None) -> dict[str, Any]:
    """The place's statistics for the pack, computed once here (the renderers only show them)."""
    lq = with_group(nd.lq, place.code, place.members) if nd.lq is not None else None
    cen = census_divisions(nd.census_wide, place.members)
    rows: list[pd.Series] = []
    how: dict[str, str] = {}
    vals = nd.indicators
    if vals is not None and place.code not in vals.index and any(m in vals.index for m in place.members):
        row, how = _group_row(nd, place.code, place.geo_type, place.members, lq)
        rows.append(row)
    if vals is not None and choice is not None:  # peers that are groups of LADs get their rows the same way
        kind = place.geo_type if place.geo_type in ("cauth", "rgn", "ttwa") else None
        groups = _peer_groups(nd, kind) if kind else {}
        for p in choice.codes:
            if p not in vals.index and p in groups:
                if lq is not None:
                    lq = with_group(lq, p, groups[p])
                if p not in nd.group_rows:  # a peer's row is the same in every pack: computed once
                    nd.group_rows[p] = _group_row(nd, p, kind or "custom", groups[p], lq)[0]
                rows.append(nd.group_rows[p])
    extra = pd.DataFrame(rows) if rows else None
    near = neighbours(nd.geometry, place.members) if nd.geometry is not None else None
    dep = deprivation(nd.deprivation, place.members) if nd.deprivation else None
    dp: Any = None
    dr: Any = None
    if nd.demography is not None:
        from creative_clusters.reporting._model import UK

        drows = _demography_rows(nd, place)
        dp = demography_values(drows, place.code, place.members)
        dr = demography_values(drows, UK, [])
    return {"lq": lq, "census_divisions": cen, "place_indicators": extra, "indicator_how": how, "neighbours": near,
            "deprivation": dep, "demography_place": dp, "demography_ref": dr}


def _stem(place: PlaceInfo) -> str:
    return re.sub(r"[^A-Za-z0-9]+", "_", f"{place.name}_{place.code}").strip("_")


def write_pack(ctx: dict[str, Any], out_dir: str | os.PathLike[str], stem: str,
               formats: Sequence[str] = FORMATS, *, html: str | None = None) -> list[Path]:
    """Render ``ctx`` in each format into ``out_dir`` (each file written atomically).

    ``html`` is the already rendered HTML of ``ctx``, when the caller has it.
    """
    from creative_clusters.reporting.render_html import render_html

    bad = [f for f in formats if f not in FORMATS]
    if bad:
        raise ParameterError(f"unknown format(s) {bad}; use some of {list(FORMATS)}")
    out = Path(out_dir)
    paths = []
    if html is None and ("html" in formats or "pdf" in formats):
        html = render_html(ctx)
    if "html" in formats:
        from creative_clusters.reporting._io import atomic_write_text

        assert html is not None  # rendered just above whenever html is asked for
        paths.append(atomic_write_text(out / f"{stem}.html", html))
    if "pdf" in formats:
        from creative_clusters.reporting.render_pdf import write_pdf

        paths.append(write_pdf(ctx, out / f"{stem}.pdf", html))
    if "docx" in formats:
        from creative_clusters.reporting.render_docx import write_docx

        paths.append(write_docx(ctx, out / f"{stem}.docx"))
    if "xlsx" in formats:
        from creative_clusters.reporting.render_xlsx import write_xlsx

        paths.append(write_xlsx(ctx, out / f"{stem}.xlsx"))
    return paths


def _workforce(nd: NationalData, place: PlaceInfo) -> dict[str, Any] | None:
    """Occupations and self-employment for a place whose members have those tables (else ``None``:
    the pack says where they exist and how to fetch them). Used by single and batch packs alike."""
    from creative_clusters.warehouse import Warehouse
    from creative_clusters.workflows.workforce_report import evidence_workforce

    if not nd.workforce_lads & set(place.members):
        return None

    try:
        with Warehouse(nd.home, read_only=True) as wh:
            return evidence_workforce(wh, list(place.members), code=place.code, name=place.name,
                                      geo_type=place.geo_type)
    except ClusterToolkitError:
        return None


def _pdf_worker(conn: Any) -> None:
    """Forked PDF renderer: import WeasyPrint, then render the one job sent (``None`` = quit)."""
    import weasyprint  # noqa: F401 - warm the import while the parent builds the context

    from creative_clusters.reporting.render_pdf import write_pdf

    job = conn.recv()
    if job is not None:
        path, html = job
        write_pdf({}, path, html)


def build_pack(place: str | None = None, *, home: str | os.PathLike[str] | None = None,
               out: str | os.PathLike[str] = ".", formats: Sequence[str] = FORMATS,
               subsectors: Sequence[str] = (), peers: Sequence[str] | None = None,
               name: str | None = None, places: Sequence[str] | None = None, year: str | None = None,
               build_date: str | None = None, composite: bool = False,
               national: NationalData | None = None) -> tuple[dict[str, Any], list[Path]]:
    """Build one pack: resolve, gather, build the context, render. Returns (context, paths).

    The context is built once (each figure drawn once, SVG and, for Word, PNG).
    When the PDF and another format are asked for, the PDF (WeasyPrint, the
    slowest step) is rendered in a forked child process while the parent
    writes the other formats, on separate cores.
    """
    import multiprocessing as mp

    from creative_clusters.reporting.context import build_context
    from creative_clusters.reporting.figures import finish_pngs

    bad = [f for f in formats if f not in FORMATS]
    if bad:
        raise ParameterError(f"unknown format(s) {bad}; use some of {list(FORMATS)}")
    parallel = ("pdf" in formats and len(formats) > 1 and "fork" in mp.get_all_start_methods()
                and not mp.current_process().daemon)
    child = conn = None
    ctx: dict[str, Any] | None = None
    sent = False
    if parallel:
        # fork the PDF worker first: it imports WeasyPrint (~1 s) while this process reads the
        # warehouse and builds the context
        conn, child_conn = mp.get_context("fork").Pipe()
        child = mp.get_context("fork").Process(target=_pdf_worker, args=(child_conn,))
        child.start()
        child_conn.close()
    try:
        nd = national or load_national(home, year=year)
        pl = resolve_evidence_place(nd, place, name=name, places=places)
        # one context for every format: each figure is drawn once, as SVG (HTML/PDF) and, when Word
        # is asked for, PNG from the same figure; with the PDF on another core the PNGs are drawn
        # after the HTML has been handed over ("defer")
        png: bool | str = ("defer" if child is not None else True) if "docx" in formats else False
        inp = gather_inputs(nd, pl, subsectors=subsectors, peers=peers, composite=composite,
                            build_date=build_date, png=png, workforce=_workforce(nd, pl))
        ctx = build_context(inp)
        stem = _stem(pl)
        out = Path(out)
        if child is None:
            return ctx, write_pack(ctx, out, stem, formats)
        assert conn is not None  # the pipe is opened with the child process
        from creative_clusters.reporting.render_html import render_html

        html = render_html(ctx)
        pdf_path = out / f"{stem}.pdf"
        out.mkdir(parents=True, exist_ok=True)
        conn.send((str(pdf_path), html))
        sent = True
        finish_pngs(ctx)
        paths = write_pack(ctx, out, stem, [f for f in formats if f != "pdf"], html=html)
    finally:
        if ctx is not None:
            finish_pngs(ctx, draw=False)  # close any figure left open by an error
        if child is not None and conn is not None:
            if not sent:  # failed before the PDF was asked for: let the worker exit
                with contextlib.suppress(OSError):
                    conn.send(None)
            child.join()
            conn.close()
    if child.exitcode != 0:
        from creative_clusters.errors import DataSourceError

        raise DataSourceError(f"rendering the PDF failed (exit code {child.exitcode}); "
                              "try --format html,docx,xlsx and report the problem")
    order = {f: i for i, f in enumerate(FORMATS)}
    paths.append(pdf_path)
    return ctx, sorted(paths, key=lambda p: order[p.suffix[1:]])


_NATIONAL: NationalData | None = None


def _init_worker(nd: NationalData) -> None:
    global _NATIONAL
    _NATIONAL = nd


def _one(code: str, out: str, formats: tuple[str, ...], build_date: str | None) -> list[str]:
    from creative_clusters.reporting.context import build_context

    nd = _NATIONAL
    assert nd is not None
    if nd.enterprises is not None and code in nd.enterprises.index:
        pl = PlaceInfo(code=code, name=nd.names.get(code, code))
        pl.chain = _chain(nd, pl)
    else:
        pl = resolve_evidence_place(nd, code)
    # the same inputs as a single pack (build_pack): the batch must not build a different pack
    inp = gather_inputs(nd, pl, build_date=build_date, png="docx" in formats, workforce=_workforce(nd, pl))
    ctx = build_context(inp)
    return [str(p) for p in write_pack(ctx, out, _stem(pl), formats)]


LEVELS = {"lad": "lad_code", "cauth": "cauth_code", "rgn": "rgn_code", "ttwa": "ttwa11_code"}


def level_codes(nd: NationalData, level: str) -> list[str]:
    """Codes of every place at ``level``: every UK LAD (2023 boundaries), or the combined
    authorities, regions or TTWAs whose LADs have creative counts (England)."""
    if level not in LEVELS:
        raise ParameterError(f"--level must be one of {list(LEVELS)}, got {level!r}")
    if nd.enterprises is None:
        raise ParameterError(f"no creative business counts in the warehouse. {IMPORT_HINT}")
    lads = set(nd.enterprises.index)
    if level == "lad":  # every UK LAD on the pack's boundaries (those without creative counts say so)
        h = nd.hierarchy
        if h is not None and "vintage" in h.columns:
            lads |= set(h.loc[h["vintage"].astype(str) == LAD_VINTAGE, "lad_code"].astype(str))
        return sorted(lads)
    if level == "ttwa":
        if nd.ttwa_overlap is None:
            raise ParameterError(f"--level ttwa needs ref table lad_ttwa_overlap. {IMPORT_HINT}")
        from creative_clusters.geography.membership import lad_ttwa_assignment

        a = lad_ttwa_assignment(nd.ttwa_overlap)
        return sorted(a.loc[a["lad_code"].astype(str).isin(lads), "ttwa11_code"].astype(str).unique())
    h = nd.hierarchy
    if h is None:
        raise ParameterError(f"--level {level} needs the LAD hierarchy (ref table lad_hierarchy). {IMPORT_HINT}")
    hv = h[h["vintage"].astype(str) == LAD_VINTAGE] if "vintage" in h.columns else h
    hv = hv[hv["lad_code"].astype(str).isin(lads)]
    return sorted(c for c in hv[LEVELS[level]].dropna().astype(str).unique() if c)


def lint_codes(nd: NationalData) -> dict[str, list[str]]:
    """Every place a pack can be built for: UK LADs (2023 boundaries), combined authorities,
    regions (and the devolved nations' equivalents in the hierarchy) and English TTWAs."""
    h = nd.hierarchy
    hv = h[h["vintage"].astype(str) == LAD_VINTAGE] if h is not None and "vintage" in h.columns else h
    out: dict[str, list[str]] = {"lad": sorted(nd.geometry["geo_code"].astype(str)) if nd.geometry is not None else []}
    for level, col in (("cauth", "cauth_code"), ("rgn", "rgn_code")):
        out[level] = sorted(c for c in hv[col].dropna().astype(str).unique() if c) if hv is not None else []
    out["ttwa"] = level_codes(nd, "ttwa") if nd.ttwa_overlap is not None else []
    return out


class PackBatchError(ClusterToolkitError):
    """Some packs of a batch failed; the others were written. ``failures`` maps code -> reason."""

    def __init__(self, failures: dict[str, str], n: int, paths: list[Path]) -> None:
        self.failures, self.paths = failures, paths
        lines = [f"  {c}: {r}" for c, r in sorted(failures.items())[:30]]
        more = f"\n  ... and {len(failures) - 30} more" if len(failures) > 30 else ""
        super().__init__(f"{len(failures)} of {n} packs failed ({n - len(failures)} written):\n"
                         + "\n".join(lines) + more)


def _reason(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {exc}".splitlines()[0][:300]


def build_all(*, level: str = "lad", home: str | os.PathLike[str] | None = None,
              out: str | os.PathLike[str] = ".", formats: Sequence[str] = ("html", "xlsx"),
              workers: int = 2, build_date: str | None = None, limit: int | None = None,
              progress: Callable[[int, int, str], None] | None = None,
              national: NationalData | None = None) -> list[Path]:
    """Packs for every place at ``level`` in parallel: ``lad`` (every English LAD with creative
    counts), ``cauth`` (combined authorities), ``rgn`` (English regions) or ``ttwa``.

    Every place is attempted; when any fails, :class:`PackBatchError` lists each failure (place and
    reason) after the others are written, so the command exits non-zero with a summary.
    """
    nd = national or load_national(home)
    codes = level_codes(nd, level)[:limit]
    paths: list[Path] = []
    failures: dict[str, str] = {}
    if workers <= 1:
        _init_worker(nd)
        for i, c in enumerate(codes, 1):
            try:
                paths += [Path(p) for p in _one(c, str(out), tuple(formats), build_date)]
            except Exception as exc:
                failures[c] = _reason(exc)
            if progress:
                progress(i, len(codes), c)
    else:
        import multiprocessing as mp
        from concurrent.futures import ProcessPoolExecutor, as_completed

        ctx = mp.get_context("fork") if "fork" in mp.get_all_start_methods() else None
        with ProcessPoolExecutor(max_workers=workers, mp_context=ctx, initializer=_init_worker,
                                 initargs=(nd,)) as ex:
            futs = {ex.submit(_one, c, str(out), tuple(formats), build_date): c for c in codes}
            for i, f in enumerate(as_completed(futs), 1):
                try:
                    paths += [Path(p) for p in f.result()]
                except Exception as exc:
                    failures[futs[f]] = _reason(exc)
                if progress:
                    progress(i, len(codes), futs[f])
    if failures:
        raise PackBatchError(failures, len(codes), sorted(paths))
    return sorted(paths)
